"""Domain rules over loaded records. Every rule adds problems; none stops at the first.

The rules every kind shares run here (organs, Dnr, standard sections, placeholders,
personnummer); each kind adds its own (``Kind.rules``); the writing guidance
(``beslut.guidance``) runs last.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from .errors import Problem
from .guidance import guidance
from .kinds import kind_of
from .kinds.common import not_in, sections
from .personnummer import screen
from .profile import Profile
from .records import PLACEHOLDER, LoadedRecord, RecordBase, find_placeholder
from .yamlsource import Source, strings

#: Longest Dnr checked against the profile's pattern (a Dnr is short; bounds the regex's work).
MAX_DNR = 200


def validate(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """All domain problems of one record (errors and warnings)."""
    src, r = record.source, record.model
    out: list[Problem] = []
    out += _organs(src, r, profile)
    out += _standard_sections(src, r, profile)
    out += placeholders(src, r)
    out += _personnummer(src, r)
    out += kind_of(record).rules(record, profile)
    out += guidance(record, profile)
    return out


def validate_raw(src: Source, profile: Profile) -> list[Problem]:
    """The shared rules that need no valid model, on a record the schema refused: its nämnd and
    Dnr against the profile, placeholders and personnummer in any text. So ``check`` reports
    these together with the schema's problems, not only after those are fixed."""
    data = src.data
    if not isinstance(data, dict):
        return []

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    allowed = data.get("personnummer_tillåtna")
    view = SimpleNamespace(nämnd=text("nämnd"), dnr=text("dnr"), status=text("status") or "utkast",
                           personnummer_tillåtna=[a for a in allowed if isinstance(a, str)]
                           if isinstance(allowed, list) else [])
    out = placeholders(src, view) + _personnummer(src, view)  # type: ignore[arg-type]
    if view.nämnd is not None:
        out = _organs(src, view, profile) + out  # type: ignore[arg-type]
    return out


def _organs(src: Source, r: RecordBase, profile: Profile) -> list[Problem]:
    out = []
    known = ", ".join(profile.organ)
    if r.nämnd not in profile.organ:
        out.append(src.problem(("nämnd",), f"'{r.nämnd}' finns inte bland profilens organ ({known})"))
    dnr = getattr(r, "dnr", None)
    if dnr and not PLACEHOLDER.search(dnr) and (len(dnr) > MAX_DNR or not profile.dnr_matches(dnr)):
        example = dnr_example(profile, r.nämnd)
        hint = f"; ett giltigt diarienummer ser ut så här: '{example}'" if example else f" ({profile.dnr_mönster})"
        out.append(src.problem(("dnr",), f"'{dnr}' följer inte profilens mönster för diarienummer{hint}"))
    return out


def dnr_example(profile: Profile, organ: str = "") -> str | None:
    """A diarienummer the profile's pattern accepts, to show instead of the pattern itself.

    The profile's own ``dnr_exempel`` if it matches; else a few usual shapes with the record's
    organ and a year; else one made from the pattern. Each candidate is tried against the
    pattern, so a guess is never shown unless it is valid; None when nothing is found.
    """
    year = "2024"
    candidates = [profile.dnr_exempel or ""]
    for key in dict.fromkeys([organ, *profile.organ]):
        if key:
            candidates += [f"{key} {year}-123", f"{key} {year}/123", f"{key} {year}:123", f"{key}.{year}.123",
                           f"{key}/{year}:123", f"{key} {year}-00123", f"{year}/{key} 0123"]
    candidates += [f"{year}-123", f"{year}/123", f"{year}.123"]
    candidates.append(_from_pattern(profile.dnr_mönster) or "")
    for candidate in candidates:
        if candidate and profile.dnr_matches(candidate):
            return candidate
    return None


def _from_pattern(pattern: str) -> str | None:
    """One string the pattern accepts, read off its parse tree (None for what we cannot follow)."""
    try:
        items = list(re._parser.parse(pattern))  # type: ignore[attr-defined]  # the stdlib's own parse tree
        return _walk(items)
    except Exception:  # noqa: BLE001 - a private API; a pattern we cannot read gets no example
        return None


def _walk(items: list[Any]) -> str | None:
    out = ""
    for op, av in items:
        piece = _one(op, av)
        if piece is None:
            return None
        out += piece
    return out


def _one(op: Any, av: Any) -> str | None:
    from re import _constants as c  # type: ignore[attr-defined]
    if op is c.LITERAL:
        return chr(av)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""
    if op is c.SUBPATTERN:
        return _walk(list(av[-1]))
    if op is c.BRANCH:
        return _walk(list(av[1][0]))
    if op is c.IN:
        return _member(av, 0)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        count = max(low, min(high, 3))
        sub = list(sub)
        if len(sub) == 1 and sub[0][0] is c.IN:  # a run of digits or letters: a year, a number, a code
            digits = "2024" if count == 4 else "1234567890" * (count // 10 + 1)
            chars = [_member(sub[0][1], i, digits) for i in range(count)]
            return None if None in chars else "".join(c for c in chars if c is not None)
        unit = _walk(sub)
        return None if unit is None else unit * count
    if op is c.ANY:
        return "A"
    return None


def _member(members: list[Any], index: int, digits: str = "1234567890") -> str | None:
    """The ``index``-th character of a run drawn from a character set: digits count, letters stay A…"""
    from re import _constants as c  # type: ignore[attr-defined]
    for op, av in members:
        if op is c.NEGATE:
            return None
        if op is c.LITERAL:
            return chr(av)
        if op is c.RANGE:
            low, high = av
            if low <= ord("0") <= high or (low >= ord("0") and high <= ord("9")):
                return digits[index] if low <= ord(digits[index]) <= high else chr(low)
            return chr(low)
        if op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            return digits[index]
        if op is c.CATEGORY and av is c.CATEGORY_WORD:
            return "A"
    return None


def _standard_sections(src: Source, r: RecordBase, profile: Profile) -> list[Problem]:
    out = []
    for loc, section in sections(getattr(r, "avsnitt", []), ("avsnitt",)):
        if section.standard is not None and section.standard not in profile.standardavsnitt:
            out.append(src.problem(loc + ("standard",), not_in("standardavsnitt", section.standard,
                                                               list(profile.standardavsnitt))))
    return out


def placeholders(src: Source, r: RecordBase) -> list[Problem]:
    """Placeholders are fine in a draft (a warning, an error with --strict) and an error otherwise."""
    out = []
    severity = "warning" if r.status == "utkast" else "error"
    for loc, value in strings(src.data, ()):
        m = find_placeholder(value)
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
