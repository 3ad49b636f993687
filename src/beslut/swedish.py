"""Swedish conventions: dates, amounts in tkr, page numbers. Babel does the locale work."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LOCALE = "sv_SE"


def datum(value: Any) -> str:
    """ISO 8601 as Swedish public documents write dates (2020-09-21); placeholders unchanged."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def tkr(amount: int | Decimal) -> str:
    """An amount in tkr with Swedish digit grouping: 8410 → "8 410 tkr" (no-break space)."""
    from babel.numbers import format_decimal  # Babel's locale data only when a number is written

    return f"{format_decimal(amount, locale=LOCALE)}\u00a0tkr"


def pro_rata(amount_per_year: int, start: dt.date) -> tuple[int, Decimal]:
    """The share of a yearly amount paid from ``start`` to the year's end, by months.

    A month counts whole if the payment starts on its first day, else by its remaining days.
    Returns the amount rounded to whole tkr (half up) and the number of months counted.
    """
    first_of_next = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    days_in_month = (first_of_next - dt.date(start.year, start.month, 1)).days
    first_month = Decimal(days_in_month - start.day + 1) / Decimal(days_in_month)
    months = first_month + (12 - start.month)
    share = (Decimal(amount_per_year) * months / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(share), months


def months_text(months: Decimal) -> str:
    """6 → "6", 5.5 → "5,5" (Swedish decimal comma)."""
    from babel.numbers import format_decimal

    return format_decimal(months.normalize(), locale=LOCALE)
