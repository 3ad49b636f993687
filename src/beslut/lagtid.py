"""Time limits in law for a protokoll: justering, anslag and the last day to appeal.

- Justering: at the latest 14 days after the meeting (kommunallagen 6 kap. 35 § for nämnder,
  5 kap. 69 § for fullmäktige).
- Anslag: at the latest the second day after justering (kommunallagen 8 kap. 12 §).
- Överklagande (laglighetsprövning): within three weeks of the day the anslag went up
  (kommunallagen 13 kap. 5 §).

A last day that falls on a Saturday, Sunday, public holiday, midsommarafton, julafton or
nyårsafton moves to the next working day (lag (1930:173) om beräkning av lagstadgad tid). The
calendar is the maintained ``holidays`` package's Sweden, with its "de facto" category, which
holds exactly those three eves.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays


#: Days after the meeting within which the protokoll is justerat.
JUSTERING_DAYS = 14
#: Days after justering within which the anslag goes up.
ANSLAG_DAYS = 2
#: The time to appeal, from the day the anslag goes up.
APPEAL = dt.timedelta(weeks=3)


@functools.cache
def _calendar(year: int) -> holidays.HolidayBase:
    import holidays  # the calendar's data only when a deadline is counted

    return holidays.Sweden(years=year, categories=("public", "de_facto"), language="sv")


def holiday_name(day: dt.date) -> str | None:
    """The name of the holiday or eve that makes ``day`` not count as a working day (or None)."""
    return _calendar(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and neither a public holiday nor midsommarafton, julafton or nyårsafton."""
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it (lag 1930:173)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def last_day_to_appeal(anslag: dt.date) -> dt.date:
    """Three weeks after the anslag went up, moved to the next working day (KL 13 kap. 5 §, lag 1930:173)."""
    return next_working_day(anslag + APPEAL)


def anslag_down(anslag: dt.date) -> dt.date:
    """The day the anslag may come down: the day after the last day to appeal."""
    return last_day_to_appeal(anslag) + dt.timedelta(days=1)


def justering_deadline(meeting: dt.date) -> dt.date:
    """The last day for justering: 14 days after the meeting, moved to the next working day."""
    return next_working_day(meeting + dt.timedelta(days=JUSTERING_DAYS))


def anslag_deadline(justering: dt.date) -> dt.date:
    """The last day for the anslag: the second day after justering, moved to the next working day."""
    return next_working_day(justering + dt.timedelta(days=ANSLAG_DAYS))


def justering_paragraph(fullmaktige: bool) -> str:
    """Where kommunallagen sets the justering deadline for this kind of organ."""
    return "5 kap. 69 § kommunallagen" if fullmaktige else "6 kap. 35 § kommunallagen"
