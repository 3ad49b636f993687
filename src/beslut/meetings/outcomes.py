"""What happened at the meeting: attendance per §, votes and their result, and the rules that keep
the outcomes consistent with the närvaro and the dates consistent with kommunallagen.

Everything here works on the meeting file as written; nothing is rendered. The protokoll and
``beslut check`` both use these functions, so what is checked is what is printed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import lagtid
from ..errors import Problem
from ..profile import Profile
from ..records import LoadedRecord, is_date, load_record
from ..swedish import datum
from .model import Arende, Ledamot, Narvaro, Sammantrade


@dataclass(frozen=True)
class Person:
    """One who takes part in a decision: a member, or a substitute serving for one."""

    namn: str
    parti: str | None = None
    roll: str | None = None
    för: str | None = None  # the member a serving substitute replaces

    def label(self) -> str:
        """ "Leila Haddad (S)", "Olof Kvist (S), tjänstgörande ersättare för Maria Öst" """
        text = self.namn + (f" ({self.parti})" if self.parti else "")
        if self.roll:
            text += f", {self.roll}"
        if self.för:
            text += f", tjänstgörande ersättare för {self.för}"
        return text


@dataclass(frozen=True)
class Attendance:
    """Who decides one §, who is absent and who is jävig."""

    beslutande: tuple[Person, ...]
    frånvarande: tuple[str, ...]
    jäviga: tuple[str, ...]

    def names(self) -> set[str]:
        return {p.namn for p in self.beslutande}


def _person(member: Ledamot, för: str | None = None) -> Person:
    return Person(member.namn, member.parti, member.roll if för is None else None, för)


def attendance(model: Sammantrade, entry: Arende | None = None) -> Attendance:
    """The beslutande for the whole meeting (``entry`` None) or for one § (jäv and the §'s own närvaro applied)."""
    meeting = model.närvaro or Narvaro()
    own = (entry.närvaro if entry is not None else None) or Narvaro()
    jav = tuple(entry.jäv) if entry is not None else ()
    absent = set(meeting.frånvarande) | set(own.frånvarande) | set(jav)
    substitutes = {s.namn: s for s in model.ersättare}
    people = [_person(m) for m in model.ledamöter if m.namn not in absent]
    serving = {t.namn: t.för for t in meeting.tjänstgörande_ersättare}
    serving.update({t.namn: t.för for t in own.tjänstgörande_ersättare})
    for name, for_whom in serving.items():
        if name in absent or name in jav:
            continue
        member = substitutes.get(name, Ledamot(namn=name))
        people.append(_person(member, for_whom))
    ordered = tuple(m.namn for m in model.ledamöter if m.namn in absent and m.namn not in jav)
    return Attendance(tuple(people), ordered, jav)


@dataclass(frozen=True)
class VoteResult:
    """The counted vote: ja, nej, avstår and which side won (the chair's casting vote on a tie)."""

    ja: int
    nej: int
    avstår: int
    winner: str  # "ja" or "nej"
    casting_vote: bool

    def text(self, ja_för: str, nej_för: str, organ: str) -> str:
        """ "Med 3 ja-röster mot 2 nej-röster, 0 avstår, beslutar nämnden enligt ja: bifall till …" """
        won = ja_för if self.winner == "ja" else nej_för
        tie = " Ordföranden använder sin utslagsröst." if self.casting_vote else ""
        return (f"Med {self.ja} ja-röster mot {self.nej} nej-röster, {self.avstår} avstår, har {organ} "
                f"beslutat i enlighet med {won}.{tie}")


def count(entry: Arende, chair: str) -> VoteResult | None:
    """The result of an ärende's votering (None without one); on a tie the chair's vote decides."""
    vote = entry.votering
    if vote is None:
        return None
    ja, nej = len(vote.ja), len(vote.nej)
    if ja != nej:
        return VoteResult(ja, nej, len(vote.avstår), "ja" if ja > nej else "nej", False)
    winner = "nej" if chair in vote.nej else "ja"
    return VoteResult(ja, nej, len(vote.avstår), winner, chair in vote.ja or chair in vote.nej)


def is_fullmaktige(name: str) -> bool:
    """Whether the organ is a fullmäktige (its justering falls under 5 kap. 69 § KL)."""
    return "fullmäktige" in name.lower()


def rules(meeting: LoadedRecord, profile: Profile) -> list[Problem]:
    """The outcomes' and the dates' rules, for ``beslut check`` and before a protokoll is made."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    src = meeting.source
    problems = _date_rules(meeting, profile)
    members = {m.namn for m in model.ledamöter}
    substitutes = {s.namn for s in model.ersättare}
    meeting_absent = set(model.närvaro.frånvarande) if model.närvaro is not None else set()
    problems += _narvaro_rules(src, ("närvaro",), model.närvaro, members, substitutes, meeting_absent)
    for i, entry in enumerate(model.ärenden):
        loc = ("ärenden", i)
        present = attendance(model)
        own = set(entry.närvaro.frånvarande) if entry.närvaro is not None else set()
        problems += _narvaro_rules(src, loc + ("närvaro",), entry.närvaro, members, substitutes,
                                   meeting_absent | own | set(entry.jäv))
        for k, name in enumerate(entry.jäv):
            if name not in present.names():
                problems.append(src.problem(loc + ("jäv", k), f"'{name}' är inte beslutande på sammanträdet; jäv "
                                                              "anmäls av en närvarande ledamot eller tjänstgörande ersättare"))
        problems += _outcome_rules(src, loc, entry, model)
    if model.has_outcomes():
        for i, entry in enumerate(model.ärenden):
            if entry.utfall is None:
                problems.append(src.problem(("ärenden", i), "ärendet saknar utfall; protokollet kan inte göras förrän "
                                                            "varje ärende har ett (bifall, ändrat, avslag, återremiss, "
                                                            "bordlagt eller information)", "warning"))
    return problems


def _narvaro_rules(src, loc, narvaro: Narvaro | None, members: set[str], substitutes: set[str],
                   absent: set[str]) -> list[Problem]:
    if narvaro is None:
        return []
    out = []
    for k, name in enumerate(narvaro.frånvarande):
        if name not in members:
            out.append(src.problem(loc + ("frånvarande", k), f"'{name}' finns inte bland sammanträdets ledamöter"))
    for k, serving in enumerate(narvaro.tjänstgörande_ersättare):
        if serving.namn not in substitutes:
            out.append(src.problem(loc + ("tjänstgörande_ersättare", k, "namn"),
                                   f"'{serving.namn}' finns inte bland sammanträdets ersättare"))
        if serving.för not in members:
            out.append(src.problem(loc + ("tjänstgörande_ersättare", k, "för"),
                                   f"'{serving.för}' finns inte bland sammanträdets ledamöter"))
        elif serving.för not in absent:
            out.append(src.problem(loc + ("tjänstgörande_ersättare", k, "för"),
                                   f"'{serving.för}' är närvarande; en ersättare tjänstgör bara för en ledamot som "
                                   "är frånvarande eller jävig"))
    return out


def _outcome_rules(src, loc, entry: Arende, model: Sammantrade) -> list[Problem]:
    out: list[Problem] = []
    if entry.utfall is None:
        for key in ("beslutstext", "yrkanden", "votering", "reservationer", "protokollsanteckning"):
            if getattr(entry, key):
                out.append(src.problem(loc + (key,), "står utan utfall; skriv vad nämnden beslutade (utfall: bifall, "
                                                     "ändrat, avslag, återremiss, bordlagt eller information)"))
                break
        return out
    if entry.utfall == "ändrat" and not entry.beslutstext:
        out.append(src.problem(loc + ("utfall",), "utfall ändrat kräver beslutstext: den text nämnden beslutade"))
    if entry.utfall == "bifall" and entry.post is None and not entry.beslutstext:
        out.append(src.problem(loc + ("utfall",), "bifall för ett ärende utan post kräver beslutstext (det finns inget "
                                                  "förslag att ta över)"))
    if entry.utfall == "återremiss" and not entry.motivering:
        out.append(src.problem(loc + ("utfall",), "en återremiss ska ha en motivering (skriv motivering: …)"))
    present = attendance(model, entry)
    names = present.names()
    for k, motion in enumerate(entry.yrkanden):
        if motion.av not in names:
            out.append(src.problem(loc + ("yrkanden", k, "av"), _not_deciding(motion.av, entry)))
    for k, reservation in enumerate(entry.reservationer):
        if reservation.namn not in names:
            out.append(src.problem(loc + ("reservationer", k), _not_deciding(reservation.namn, entry)))
    vote = entry.votering
    if vote is not None:
        seen: dict[str, str] = {}
        for side in ("ja", "nej", "avstår"):
            for k, name in enumerate(getattr(vote, side)):
                where = loc + ("votering", side, k)
                if name in seen:
                    out.append(src.problem(where, f"'{name}' har redan röstat ({seen[name]})"))
                elif name not in names:
                    out.append(src.problem(where, _not_deciding(name, entry)))
                seen.setdefault(name, side)
        cast = len(vote.ja) + len(vote.nej) + len(vote.avstår)
        if cast != len(names):
            missing = sorted(names - set(seen))
            also = f"; röstar inte: {', '.join(missing)}" if missing else ""
            out.append(src.problem(loc + ("votering",), f"{cast} röster men {len(names)} beslutande i paragrafen{also}"))
    return out


def _not_deciding(name: str, entry: Arende) -> str:
    if name in entry.jäv:
        return f"'{name}' är jävig i ärendet och deltar inte i beslutet"
    return f"'{name}' är inte beslutande i ärendet (se ledamöter, närvaro och tjänstgörande ersättare)"


def _date_rules(meeting: LoadedRecord, profile: Profile) -> list[Problem]:
    model = meeting.model
    assert isinstance(model, Sammantrade)
    src = meeting.source
    out: list[Problem] = []
    if not is_date(model.datum):
        return out
    organ = profile.organ.get(model.nämnd)
    fullmaktige = organ is not None and is_fullmaktige(organ.namn)
    justering = model.justering.datum if model.justering is not None and is_date(model.justering.datum) else None
    if justering is not None:
        deadline = lagtid.justering_deadline(model.datum)
        if justering < model.datum:
            out.append(src.problem(("justering", "datum"), f"justeringen ({datum(justering)}) ligger före "
                                                           f"sammanträdet ({datum(model.datum)})"))
        elif justering > deadline:
            out.append(src.problem(("justering", "datum"),
                                   f"justeringen {datum(justering)} är för sen: protokollet ska justeras senast 14 "
                                   f"dagar efter sammanträdet ({lagtid.justering_paragraph(fullmaktige)}), alltså "
                                   f"senast {datum(deadline)}"))
    anslag = model.anslag.datum if model.anslag is not None and is_date(model.anslag.datum) else None
    if anslag is not None:
        if justering is None:
            out.append(src.problem(("anslag", "datum"), "anslaget förutsätter en justering (justering: datum: …)"))
        elif anslag < justering:
            out.append(src.problem(("anslag", "datum"), f"anslaget ({datum(anslag)}) kan inte sättas upp före "
                                                        f"justeringen ({datum(justering)})"))
        elif anslag > lagtid.anslag_deadline(justering):
            out.append(src.problem(("anslag", "datum"),
                                   f"anslaget {datum(anslag)} är för sent: det ska sättas upp senast andra dagen efter "
                                   f"justeringen (8 kap. 12 § kommunallagen), alltså senast "
                                   f"{datum(lagtid.anslag_deadline(justering))}"))
    return out


# -- § numbers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """Where a meeting's § numbers start, and the meeting before it in the nämnd's series."""

    first: int
    previous: Path | None = None
    previous_last: int | None = None


def _siblings(meeting: LoadedRecord) -> list[tuple[dt.date, str, LoadedRecord]]:
    """The meeting files of the same nämnd and year beside this one (this one included), in date order."""
    model = meeting.model
    assert isinstance(model, Sammantrade) and is_date(model.datum)
    found = [(model.datum, meeting.path.name, meeting)]
    for path in sorted(meeting.path.parent.glob("*.yaml")):
        if path == meeting.path or not path.is_file():
            continue
        record, _ = load_record(path)
        other = record.model if record is not None else None
        if record is not None and isinstance(other, Sammantrade) and other.nämnd == model.nämnd \
                and is_date(other.datum) and other.datum.year == model.datum.year:
            found.append((other.datum, path.name, record))
    return sorted(found, key=lambda t: (t[0], t[1]))


def series(meeting: LoadedRecord, profile: Profile) -> tuple[Series, list[Problem]]:
    """The first § number: given in the file, else after the previous meeting file of the same nämnd
    and year (in date order), else the profile's ``första_paragraf`` for the organ, else 1."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    organ = profile.organ.get(model.nämnd)
    start = (organ.första_paragraf if organ is not None else None) or 1
    if not is_date(model.datum):
        return Series(model.första_paragraf or start), []
    nxt, prev, prev_last = start, None, None
    for _, _, record in _siblings(meeting):
        other = record.model
        assert isinstance(other, Sammantrade)
        if record.path == meeting.path:
            break
        first = other.första_paragraf or nxt
        prev, prev_last = record.path, first + len(other.ärenden) - 1
        nxt = prev_last + 1
    given = model.första_paragraf
    if given is None:
        return Series(nxt, prev, prev_last), []
    problems = []
    if prev is not None and prev_last is not None and given <= prev_last:
        problems.append(meeting.source.problem(("första_paragraf",), f"§ {given} kolliderar med föregående sammanträde "
                                                                     f"{prev.name} (slutar med § {prev_last}); "
                                                                     f"nästa lediga är § {prev_last + 1}"))
    elif prev is not None and given > nxt:
        problems.append(meeting.source.problem(("första_paragraf",), f"§ {given} lämnar en lucka efter föregående "
                                                                     f"sammanträde {prev.name} (slutar med § "
                                                                     f"{prev_last}); nästa är § {nxt}"))
    return Series(given, prev, prev_last), problems
