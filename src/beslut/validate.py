"""Domain rules over loaded records. Every rule adds problems; none stops at the first.

The rules every kind shares run here (organs, Dnr, standard sections, placeholders,
personnummer); each kind adds its own (``Kind.rules``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import Problem
from .kinds import kind_of
from .kinds.common import not_in, sections
from .personnummer import screen
from .profile import Profile
from .records import PLACEHOLDER, LoadedRecord, RecordBase
from .yamlsource import Source

#: Longest Dnr checked against the profile's pattern (a Dnr is short; bounds the regex's work).
MAX_DNR = 200


def validate(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """All domain problems of one record (errors and warnings)."""
    src, r = record.source, record.model
    out: list[Problem] = []
    out += _organs(src, r, profile)
    out += _standard_sections(src, r, profile)
    out += _placeholders(src, r)
    out += _personnummer(src, r)
    out += kind_of(record).rules(record, profile)
    return out


def _organs(src: Source, r: RecordBase, profile: Profile) -> list[Problem]:
    out = []
    known = ", ".join(profile.organ)
    if r.nämnd not in profile.organ:
        out.append(src.problem(("nämnd",), f"'{r.nämnd}' finns inte bland profilens organ ({known})"))
    dnr = getattr(r, "dnr", None)
    if dnr and not PLACEHOLDER.search(dnr) and (len(dnr) > MAX_DNR or not profile.dnr_matches(dnr)):
        out.append(src.problem(("dnr",), f"'{dnr}' följer inte profilens mönster för diarienummer "
                                         f"({profile.dnr_mönster})"))
    return out


def _standard_sections(src: Source, r: RecordBase, profile: Profile) -> list[Problem]:
    out = []
    for loc, section in sections(getattr(r, "avsnitt", []), ("avsnitt",)):
        if section.standard is not None and section.standard not in profile.standardavsnitt:
            out.append(src.problem(loc + ("standard",), not_in("standardavsnitt", section.standard,
                                                               list(profile.standardavsnitt))))
    return out


def _placeholders(src: Source, r: RecordBase) -> list[Problem]:
    """Placeholders are fine in a draft (a warning, an error with --strict) and an error otherwise."""
    out = []
    severity = "warning" if r.status == "utkast" else "error"
    for loc, value in strings(src.data, ()):
        m = PLACEHOLDER.search(value)
        if m:
            msg = (f"platshållaren '{m.group()}' står kvar" +
                   ("" if severity == "warning" else f"; bara ett utkast får ha platshållare (status: {r.status})"))
            out.append(src.problem(loc, msg, severity))
    return out


def _personnummer(src: Source, r: RecordBase) -> list[Problem]:
    """Personnummer in any text, as typed and as rendered (after Markdown and entities): a warning,
    an error with --strict, unless acknowledged under personnummer_tillåtna."""
    allowed = {re.sub(r"[^0-9]", "", p)[-10:] for p in r.personnummer_tillåtna}
    out = []
    for loc, value in strings(src.data, ()):
        if loc and loc[0] == "personnummer_tillåtna":
            continue
        for hit in screen(value):
            if hit.digits10 in allowed:
                continue
            out.append(src.problem(loc, f"{hit.kind} '{hit.text}' i texten: ta bort det, eller godkänn just detta "
                                        "nummer under 'personnummer_tillåtna' om det är lagligt", "warning"))
    return out


def strings(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string value in plain YAML data, with its location (keys are screened as values too)."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from strings(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from strings(v, loc + (i,))
