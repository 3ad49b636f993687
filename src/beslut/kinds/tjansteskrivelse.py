"""Tjänsteskrivelse: an officer's report to a nämnd, with förslag till beslut at one or more levels."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from ..errors import Problem
from ..markdown import to_blocks
from ..profile import Profile
from ..records import (
    MBL,
    Avsnitt,
    Datum,
    Forslag,
    Handlaggare,
    LoadedRecord,
    Markdown,
    RecordBase,
    Underlag,
    Underskrift,
    is_date,
    text_to_mapping,
)
from ..swedish import datum
from . import Kind, register
from .common import not_in, sections, underlag_problems

if TYPE_CHECKING:
    from ..document import Block, Document

MBL_HEADING = "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet"


class Tjansteskrivelse(RecordBase):
    """A tjänsteskrivelse: an officer's report to a nämnd."""

    typ: Literal["tjänsteskrivelse"]
    """The kind of record."""
    förvaltning: str
    """The förvaltning that writes it."""
    datum: Datum
    """Date of the report."""
    dnr: str
    """Diarienummer, e.g. "SON 2020-123"."""
    er_beteckning: str | None = None
    """The recipient's or sender's own reference ("Er beteckning"), when the ärende began elsewhere."""
    handläggare: Handlaggare
    """The case officer."""
    förslag_till_beslut: list[Forslag] = Field(min_length=1)
    """Proposals, one entry per deciding level."""
    ärende: Markdown
    """Summary of the ärende (Markdown)."""
    beslutsunderlag: list[Annotated[Underlag, text_to_mapping("titel")]] = Field(default_factory=list)
    """Documents the decision rests on: text, or titel + datum."""
    avsnitt: list[Avsnitt] = Field(default_factory=list)
    """Bakgrund, free sections and standard sections, in the order they are printed."""
    mbl: MBL | None = None
    """MBL information or förhandling."""
    underskrifter: list[Underskrift] = Field(min_length=1)
    """Who signs, one entry per förvaltning."""
    skickas_till: list[str] = Field(default_factory=list)
    """Beslutet skickas till."""

    def bilagor(self) -> list[str]:
        return [u.bilaga for u in self.beslutsunderlag if u.bilaga]

    def document_date(self):
        return self.datum


def rules(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """Förvaltningar, instanser, standard sections, dates and attachments against the profile."""
    src, r = record.source, record.model
    assert isinstance(r, Tjansteskrivelse)
    out = []
    if r.förvaltning not in profile.förvaltningar:
        out.append(src.problem(("förvaltning",), not_in("förvaltning", r.förvaltning, profile.förvaltningar)))
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
                                   not_in("förvaltning", u.förvaltning, profile.förvaltningar)))
    used = {section.standard for _, section in sections(r.avsnitt, ("avsnitt",)) if section.standard}
    for key, std in profile.standardavsnitt.items():
        if std.obligatorisk and key not in used:
            out.append(src.problem(("avsnitt",), f"standardavsnittet '{key}' ({std.rubrik}) krävs av profilen; "
                                                 f"lägg till '- standard: {key}' med en text"))
    out += underlag_problems(record, profile, r.beslutsunderlag, r.datum, "tjänsteskrivelsen")
    if r.mbl:
        if r.mbl.typ != "ej_påkallad" and r.mbl.datum is None and r.mbl.text is None:
            out.append(src.problem(("mbl",), "ange 'datum' för MBL-information/förhandling, eller en egen 'text'"))
        if is_date(r.mbl.datum) and is_date(r.datum) and r.mbl.datum > r.datum:
            out.append(src.problem(("mbl", "datum"), f"MBL-datumet {r.mbl.datum} ligger efter tjänsteskrivelsens "
                                                     f"datum {r.datum}"))
    return out


def compose(record: LoadedRecord, profile: Profile) -> Document:
    """The tjänsteskrivelse as a document: förslag, ärende, the protokoll line, underlag, sections, signatures."""
    from .. import compose as c  # composing only: a check never loads the document model
    from ..document import Document, Heading, ListBlock, Paragraph, Rule, Signatures, Signer, text_run

    r = record.model
    assert isinstance(r, Tjansteskrivelse)
    blocks: list[Block] = []
    parts: dict[str, tuple[int, int]] = {}
    words = profile.formuleringar
    several = len(r.förslag_till_beslut) > 1
    for level in r.förslag_till_beslut:
        organ = profile.organ[level.instans or r.nämnd]
        # the heading names who decides whenever it is not (only) the record's own nämnd
        own = not several and (level.instans or r.nämnd) == r.nämnd
        heading = words.förslag_till_beslut if own else words.förslag_till_organ.replace("{genitiv}", organ.genitiv)
        blocks.append(Heading(1, text_run(heading)))
        points = [to_blocks(p) for p in level.punkter]
        if level.numrerade:
            blocks.append(ListBlock(True, points))
        else:
            blocks.extend(b for point in points for b in point)
    parts["förslag"] = (0, len(blocks))
    start = len(blocks)
    blocks.append(Heading(1, text_run(words.ärende)))
    blocks.extend(to_blocks(r.ärende))
    parts["ärende"] = (start, len(blocks))
    underlag, bilagor = c.beslutsunderlag(r.beslutsunderlag, profile, record.id)
    if underlag:
        # the line closes förslag and ärende, the text the protokoll takes over; the protokoll lists
        # the beslutsunderlag under its own heading. Without a list nothing follows to set apart:
        # the next heading ends the ärende, and a line there would stand alone.
        blocks.append(Rule())
    start = len(blocks)
    blocks.extend(underlag)
    parts["underlag"] = (start, len(blocks))
    for section in r.avsnitt:
        blocks.extend(c.section_blocks(section, profile, 1))
    if r.mbl:
        blocks.append(Heading(1, text_run(MBL_HEADING)))
        blocks.extend(to_blocks(r.mbl.text) if r.mbl.text else [Paragraph(text_run(_mbl_sentence(r)))])
    start = len(blocks)
    blocks.append(Signatures([Signer(u.förvaltning or "", u.namn, u.titel or "", f"underskrift-{i}")
                              for i, u in enumerate(r.underskrifter, 1)]))
    parts["underskrifter"] = (start, len(blocks))
    if r.skickas_till:
        start = len(blocks)
        blocks.extend(c.recipients(r.skickas_till, profile))
        parts["skickas_till"] = (start, len(blocks))
    handlaggare = [r.handläggare.namn] + [v for v in (r.handläggare.titel, r.handläggare.telefon,
                                                      r.handläggare.e_post) if v]
    return Document(
        id=record.id, kind="tjänsteskrivelse", title=r.rubrik, lang="sv-SE", draft=r.status == "utkast",
        letterhead=c.letterhead(profile, kind="tjänsteskrivelse", forvaltning=r.förvaltning, datum=datum(r.datum),
                                dnr=r.dnr, er_beteckning=r.er_beteckning or "", handlaggare=handlaggare,
                                mottagare=profile.organ[r.nämnd].namn),
        subtitle=[], blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(r.datum),
        keywords=["tjänsteskrivelse", r.dnr], parts=parts, confidential=r.sekretess, bilagor=bilagor)


def _mbl_sentence(r: Tjansteskrivelse) -> str:
    assert r.mbl is not None
    when = f" {datum(r.mbl.datum)}" if r.mbl.datum else ""
    if r.mbl.typ == "information":
        return f"Information enligt MBL § 19 har givits{when}."
    if r.mbl.typ == "förhandling":
        return f"Förhandling enligt MBL § 11 har skett{when}."
    return "MBL-information eller förhandling är inte påkallad."


KIND = register(Kind("tjänsteskrivelse", Tjansteskrivelse, compose, rules, scaffold="tjansteskrivelse.yaml"))
