"""Writing guidance as checks: how a förslag and its beslutsunderlag are best written.

Each rule is a warning (an error with ``--strict``) that names file:line:field and says how to
fix it. The rules and the phrases they look for come from the profile's ``vägledning``, where
each rule can be turned off (``false``); the rule's key ends every message, so the user knows
which one to turn off. A rule applies to every kind whose record has the part it looks at:
förslag points (``förslag_till_beslut`` of ``Forslag``, or ``förslag`` as plain points) and
``beslutsunderlag``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import Problem
from .profile import Profile, Vagledning
from .records import Forslag, LoadedRecord, RecordBase, Underlag, is_date
from .swedish import datum

Loc = tuple[Any, ...]

#: A point in the old style: "att godkänna …" (a clause hanging on "Nämnden beslutar").
OLD_STYLE = re.compile(r"\s*att\b", re.IGNORECASE)


def guidance(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """Every guidance warning for one record, by the profile's rules."""
    rules = profile.vägledning
    r = record.model
    found: list[tuple[Loc, str, str]] = []
    points = list(forslag_points(r))
    if rules.förslag_hänvisar:
        found += [(loc, msg, "förslag_hänvisar") for loc, msg in _refers_elsewhere(points, rules)]
    if rules.förslag_att:
        found += [(loc, msg, "förslag_att") for loc, msg in _old_style(points)]
    underlag = list(getattr(r, "beslutsunderlag", None) or [])
    if rules.underlag_datum:
        found += [(loc, msg, "underlag_datum") for loc, msg in _undated(r, underlag)]
    if rules.egen_tjänsteskrivelse_först and r.typ == "tjänsteskrivelse":
        found += [(loc, msg, "egen_tjänsteskrivelse_först") for loc, msg in _own_report_first(r, underlag)]
    if rules.standardavsnitt_i_ordning:
        found += [(loc, msg, "standardavsnitt_i_ordning") for loc, msg in _standard_order(r, profile)]
    return [record.source.problem(loc, f"{msg} [vägledning.{key}]", "warning") for loc, msg, key in found]


def _standard_order(r: RecordBase, profile: Profile) -> Iterator[tuple[Loc, str]]:
    """Standard sections (at the top level) in the order the profile lists them."""
    order = {key: n for n, key in enumerate(profile.standardavsnitt)}
    last: tuple[int, str] | None = None
    for i, section in enumerate(getattr(r, "avsnitt", None) or []):
        key = getattr(section, "standard", None)
        if key not in order:
            continue
        if last is not None and order[key] < last[0]:
            yield ("avsnitt", i, "standard"), (f"standardavsnittet '{key}' står efter '{last[1]}' men kommer före det "
                                                "i profilens ordning; flytta det")
        else:
            last = (order[key], key)


def forslag_points(r: RecordBase) -> Iterator[tuple[Loc, str]]:
    """Every förslag point of a record with where it stands."""
    levels = getattr(r, "förslag_till_beslut", None) or []
    for i, level in enumerate(levels):
        if isinstance(level, Forslag):
            for j, point in enumerate(level.punkter):
                yield ("förslag_till_beslut", i, "punkter", j), point
    for j, point in enumerate(getattr(r, "förslag", None) or []):
        if isinstance(point, str):
            yield ("förslag", j), point


def _refers_elsewhere(points: list[tuple[Loc, str]], rules: Vagledning) -> Iterator[tuple[Loc, str]]:
    phrases = [p for p in rules.hänvisningar if p.strip()]
    for loc, text in points:
        flat = " ".join(text.split()).casefold()
        for phrase in phrases:
            if " ".join(phrase.split()).casefold() in flat:
                yield loc, (f"förslaget hänvisar till ett annat dokument ('{phrase}'); i protokollet ska beslutet "
                            "förstås på egen hand: skriv ut vad som beslutas i stället för hänvisningen")
                break


def _old_style(points: list[tuple[Loc, str]]) -> Iterator[tuple[Loc, str]]:
    for loc, text in points:
        if OLD_STYLE.match(text):
            yield loc, ("förslaget börjar med 'att' (den äldre stilen); skriv en hel mening med vem som beslutar, "
                        "t.ex. 'Nämnden godkänner …' i stället för 'att godkänna …'")


def _undated(r: RecordBase, items: list[Underlag]) -> Iterator[tuple[Loc, str]]:
    own_date = getattr(r, "datum", None)
    for i, item in enumerate(items):
        if item.datum is None:
            when = datum(own_date) if _is_report(item) and is_date(own_date) else "ÅÅÅÅ-MM-DD"
            yield ("beslutsunderlag", i), (f"underlaget '{_short(item.titel)}' saknar datum; skriv det som "
                                           f"'titel: …' med 'datum: {when}' på raden under")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _is_report(item: Underlag) -> bool:
    return item.titel.casefold().startswith("tjänsteskrivelse")


def _own_report_first(r: RecordBase, items: list[Underlag]) -> Iterator[tuple[Loc, str]]:
    """The record's own tjänsteskrivelse first among the underlag, with the record's date."""
    if not items:
        return  # no beslutsunderlag at all: nothing to order
    own_date = getattr(r, "datum", None)
    when = datum(own_date) if is_date(own_date) else "ÅÅÅÅ-MM-DD"
    first = items[0]
    if not _is_report(first):
        later = next((i for i, item in enumerate(items) if _is_report(item)), None)
        if later is None:
            yield ("beslutsunderlag",), ("den egna tjänsteskrivelsen saknas bland beslutsunderlagen; lägg den först: "
                                         f"'- titel: Tjänsteskrivelse' och 'datum: {when}'")
        else:
            yield ("beslutsunderlag", later), (f"den egna tjänsteskrivelsen står som nummer {later + 1} bland "
                                               "beslutsunderlagen; flytta den först")
        return
    if is_date(first.datum) and is_date(own_date) and first.datum != own_date:
        yield ("beslutsunderlag", 0, "datum"), (f"den egna tjänsteskrivelsen är daterad {datum(first.datum)} men "
                                                f"posten {when}; ändra datumet till {when}")
