"""Domain rules over loaded records. Every rule adds problems; none stops at the first."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from .errors import Problem
from .personnummer import find_personnummer
from .profile import Profile
from .records import PLACEHOLDER, LoadedRecord, Placeholder, Tjansteskrivelse, Uppdrag
from .swedish import pro_rata, tkr
from .yamlsource import Source


def validate(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """All domain problems of one record (errors and warnings)."""
    src, r = record.source, record.model
    out: list[Problem] = []
    out += _organs(src, r, profile)
    out += _placeholders(src, r)
    out += _personnummer(src, r)
    if isinstance(r, Tjansteskrivelse):
        out += _tjansteskrivelse(src, r, profile, record)
    else:
        out += _uppdrag(src, r, profile)
    return out


def _organs(src: Source, r: Tjansteskrivelse | Uppdrag, profile: Profile) -> list[Problem]:
    out = []
    known = ", ".join(profile.organ)
    if r.nämnd not in profile.organ:
        out.append(src.problem(("nämnd",), f"'{r.nämnd}' finns inte bland profilens organ ({known})"))
    if r.dnr and not PLACEHOLDER.search(r.dnr) and not re.search(profile.dnr_mönster, r.dnr):
        out.append(src.problem(("dnr",), f"'{r.dnr}' följer inte profilens mönster för diarienummer "
                                         f"({profile.dnr_mönster})"))
    return out


def _tjansteskrivelse(src: Source, r: Tjansteskrivelse, profile: Profile, record: LoadedRecord) -> list[Problem]:
    out = []
    if r.förvaltning not in profile.förvaltningar:
        out.append(src.problem(("förvaltning",), _not_in("förvaltning", r.förvaltning, profile.förvaltningar)))
    for i, level in enumerate(r.förslag_till_beslut):
        if level.instans is not None and level.instans not in profile.organ:
            out.append(src.problem(("förslag_till_beslut", i, "instans"),
                                   f"'{level.instans}' finns inte bland profilens organ ({', '.join(profile.organ)})"))
        if not level.numrerade and len(level.punkter) > 1:
            out.append(src.problem(("förslag_till_beslut", i, "numrerade"),
                                   "bara en enda punkt kan stå onumrerad; numrera punkterna eller slå ihop dem"))
    levels = [level.instans or r.nämnd for level in r.förslag_till_beslut]
    if len(set(levels)) != len(levels):
        out.append(src.problem(("förslag_till_beslut",), "samma instans förekommer två gånger"))
    for i, u in enumerate(r.underskrifter):
        if u.förvaltning and u.förvaltning not in profile.förvaltningar:
            out.append(src.problem(("underskrifter", i, "förvaltning"),
                                   _not_in("förvaltning", u.förvaltning, profile.förvaltningar)))
    used = set()
    for loc, section in _sections(r.avsnitt, ("avsnitt",)):
        if section.standard is not None:
            if section.standard not in profile.standardavsnitt:
                out.append(src.problem(loc + ("standard",), _not_in("standardavsnitt", section.standard,
                                                                    list(profile.standardavsnitt))))
            used.add(section.standard)
    for key, std in profile.standardavsnitt.items():
        if std.obligatorisk and key not in used:
            out.append(src.problem(("avsnitt",), f"standardavsnittet '{key}' ({std.rubrik}) krävs av profilen; "
                                                 f"lägg till '- standard: {key}' med en text"))
    for i, doc in enumerate(r.beslutsunderlag):
        if _is_date(doc.datum) and _is_date(r.datum) and doc.datum > r.datum:
            out.append(src.problem(("beslutsunderlag", i, "datum"),
                                   f"underlaget är daterat {doc.datum}, efter tjänsteskrivelsen ({r.datum})"))
        if doc.bilaga and not (record.path.parent / doc.bilaga).is_file():
            out.append(src.problem(("beslutsunderlag", i, "bilaga"),
                                   f"bilagan '{doc.bilaga}' finns inte (sökväg relativt {record.path.name})"))
    if r.mbl:
        if r.mbl.typ != "ej_påkallad" and r.mbl.datum is None and r.mbl.text is None:
            out.append(src.problem(("mbl",), "ange 'datum' för MBL-information/förhandling, eller en egen 'text'"))
        if _is_date(r.mbl.datum) and _is_date(r.datum) and r.mbl.datum > r.datum:
            out.append(src.problem(("mbl", "datum"), f"MBL-datumet {r.mbl.datum} ligger efter tjänsteskrivelsens "
                                                     f"datum {r.datum}"))
    return out


def _uppdrag(src: Source, r: Uppdrag, profile: Profile) -> list[Problem]:
    out = []
    for i, part in enumerate(r.parter):
        if part.organ and part.organ not in profile.organ:
            out.append(src.problem(("parter", i, "organ"), _not_in("organ", part.organ, list(profile.organ))))
    for loc, section in _sections(r.avsnitt, ("avsnitt",)):
        if section.standard is not None and section.standard not in profile.standardavsnitt:
            out.append(src.problem(loc + ("standard",), _not_in("standardavsnitt", section.standard,
                                                                list(profile.standardavsnitt))))
    tid = r.uppdragstid
    if _is_date(tid.start) and _is_date(tid.slut) and tid.slut <= tid.start:
        out.append(src.problem(("uppdragstid", "slut"), f"slutdatum {tid.slut} ligger inte efter start {tid.start}"))
    ers = r.ersättning
    for i, add in enumerate(ers.tillägg):
        loc = ("ersättning", "tillägg", i)
        if not _is_date(add.från):
            continue
        if _is_date(tid.start) and add.från < tid.start:
            out.append(src.problem(loc + ("från",), f"tillägget börjar {add.från}, före uppdragets start {tid.start}"))
        if _is_date(tid.slut) and add.från > tid.slut:
            out.append(src.problem(loc + ("från",), f"tillägget börjar {add.från}, efter uppdragets slut {tid.slut}"))
        amount, months = pro_rata(add.belopp_tkr_per_år, add.från)
        if add.belopp_första_året_tkr is not None and add.belopp_första_året_tkr != amount:
            out.append(src.problem(loc + ("belopp_första_året_tkr",),
                                   f"ska vara {tkr(amount)}: {tkr(add.belopp_tkr_per_år)}/år × {months.normalize()}/12 "
                                   f"månader från {add.från}, inte {tkr(add.belopp_första_året_tkr)}"))
    if ers.uppräkning and _is_date(ers.uppräkning.från) and _is_date(tid.start) and ers.uppräkning.från < tid.start:
        out.append(src.problem(("ersättning", "uppräkning", "från"),
                               f"uppräkningen börjar {ers.uppräkning.från}, före uppdragets start {tid.start}"))
    if ers.prisnivå and _is_date(tid.start) and ers.prisnivå > tid.start.year + 1:
        out.append(src.problem(("ersättning", "prisnivå"), f"prisnivå {ers.prisnivå} ligger långt efter uppdragets "
                                                           f"start {tid.start}", "warning"))
    return out


def _placeholders(src: Source, r: Tjansteskrivelse | Uppdrag) -> list[Problem]:
    """Placeholders are fine in a draft (a warning, an error with --strict) and an error otherwise."""
    out = []
    severity = "warning" if r.status == "utkast" else "error"
    for loc, value in _strings(src.data, ()):
        m = PLACEHOLDER.search(value)
        if m:
            msg = (f"platshållaren '{m.group()}' står kvar" +
                   ("" if severity == "warning" else f"; bara ett utkast får ha platshållare (status: {r.status})"))
            out.append(src.problem(loc, msg, severity))
    return out


def _personnummer(src: Source, r: Tjansteskrivelse | Uppdrag) -> list[Problem]:
    """Personnummer in prose are personal data: a warning, an error with --strict, unless acknowledged."""
    allowed = {re.sub(r"\D", "", p)[-10:] for p in r.personnummer_tillåtna}
    out = []
    for loc, value in _strings(src.data, ()):
        if loc and loc[0] == "personnummer_tillåtna":
            continue
        for hit in find_personnummer(value):
            if hit.digits10 in allowed:
                continue
            out.append(src.problem(loc, f"{hit.kind} '{hit.text}' i texten: ta bort det, eller godkänn just detta "
                                        "nummer under 'personnummer_tillåtna' om det är lagligt", "warning"))
    return out


def _strings(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, loc + (i,))


def _sections(sections: list[Any], loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    for i, s in enumerate(sections):
        yield loc + (i,), s
        yield from _sections(s.avsnitt, loc + (i, "avsnitt"))


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, Placeholder)


def _not_in(what: str, value: str, allowed: list[str]) -> str:
    import difflib
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f"; menade du '{close[0]}'?" if close else f"; profilen har: {', '.join(allowed)}"
    return f"{what} '{value}' finns inte i profilen{hint}"
