"""Utlåtande: kommunstyrelsens (regionstyrelsens) förslag to fullmäktige, in larger kommuner and regioner.

An utlåtande carries a number and series ("Utlåtande 2024:12 RVII"), the sentence
"Kommunstyrelsen föreslår att kommunfullmäktige beslutar följande." with the förslag points,
what the föredragande borgarråd or kommunalråd "anför", and how the ärende was prepared
(remissinstanser). It is the styrelse's document: no handläggare, no förvaltning in the
letterhead and no signature lines (the protokoll is what is signed).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from ..errors import Problem
from ..markdown import to_blocks
from ..models import Model
from ..profile import Profile
from ..records import (
    PLACEHOLDER,
    Avsnitt,
    Datum,
    LoadedRecord,
    Markdown,
    Placeholder,
    RecordBase,
    Underlag,
    is_date,
    text_to_mapping,
)
from ..swedish import datum
from . import Kind, register
from .common import not_in, underlag_problems

if TYPE_CHECKING:
    from ..document import Block, Document

#: An utlåtande's number: year and running number in the year's series.
NUMMER = re.compile(r"\d{4}:\d{1,4}")


class Foredragande(Model):
    """The borgarråd, kommunalråd or regionråd who presents the ärende."""

    namn: str
    """Full name, e.g. "Anna Svensson"."""
    titel: str = "kommunalrådet"
    """As written before the name: borgarrådet, kommunalrådet, regionrådet."""


class Beredning(Model):
    """How the ärende was prepared: the remiss and who answered it."""

    text: Markdown | None = None
    """What the preparation was (Markdown), e.g. "Ärendet har remitterats till …"."""
    remissinstanser: list[str] = Field(default_factory=list)
    """The organs and organisations the ärende was sent to for comment, in order."""


class Utlatande(RecordBase):
    """An utlåtande: the styrelse's förslag to fullmäktige, with the föredragande's statement."""

    typ: Literal["utlåtande"]
    """The kind of record."""
    nummer: str
    """Number in the year's series, e.g. "2024:12"."""
    serie: str | None = None
    """The series or rotel, e.g. "RVII"; printed after the number."""
    datum: Datum
    """Date of the styrelse's decision to propose."""
    dnr: str
    """Diarienummer, e.g. "KS 2024-118"."""
    er_beteckning: str | None = None
    """The other party's reference ("Er beteckning"), when the ärende began elsewhere."""
    till: str = "KF"
    """Organ key of the fullmäktige the förslag goes to."""
    förslag: list[Markdown] = Field(min_length=1)
    """The points fullmäktige is asked to decide, in order."""
    numrerade: bool = True
    """false for a single point that stands unnumbered."""
    föredragande: Foredragande
    """Who presents the ärende ("Föredragande borgarrådet … anför följande.")."""
    anförande: Markdown
    """What the föredragande states (Markdown)."""
    avsnitt: list[Avsnitt] = Field(default_factory=list)
    """Sections of the statement under their own headings (Ärendets beredning, Mina synpunkter …)."""
    beredning: Beredning | None = None
    """The preparation: remiss text and remissinstanser."""
    beslutsunderlag: list[Annotated[Underlag, text_to_mapping("titel")]] = Field(default_factory=list)
    """Documents the förslag rests on: text, or titel + datum (+ bilaga: a file)."""

    def bilagor(self) -> list[str]:
        return [u.bilaga for u in self.beslutsunderlag if u.bilaga]

    def document_date(self) -> dt.date | Placeholder:
        return self.datum

    def beteckning(self) -> str:
        """"Utlåtande 2024:12 RVII"."""
        return " ".join(p for p in ("Utlåtande", self.nummer, self.serie or "") if p)


def rules(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """The receiving organ, the number's year and the beslutsunderlag."""
    src, r = record.source, record.model
    assert isinstance(r, Utlatande)
    out = []
    if r.till not in profile.organ:
        out.append(src.problem(("till",), not_in("organ", r.till, list(profile.organ))))
    elif r.till == r.nämnd:
        out.append(src.problem(("till",), f"utlåtandet går från {r.nämnd} till ett annat organ; 'till' ska vara "
                                          "fullmäktige (t.ex. KF), inte samma organ som 'nämnd'"))
    if not NUMMER.fullmatch(r.nummer):
        if not PLACEHOLDER.search(r.nummer):  # a placeholder is the shared rule's to report
            out.append(src.problem(("nummer",), f"'{r.nummer}' ska skrivas år:löpnummer, t.ex. '2024:12'"))
    elif is_date(r.datum) and int(r.nummer.split(":")[0]) != r.datum.year:
        out.append(src.problem(("nummer",), f"utlåtandet är numrerat för {r.nummer.split(':')[0]} men daterat "
                                            f"{r.datum}; numret följer beslutsårets serie", "warning"))
    if not r.numrerade and len(r.förslag) > 1:
        out.append(src.problem(("numrerade",), "bara en enda punkt kan stå onumrerad; numrera punkterna eller slå "
                                               "ihop dem"))
    if r.beredning and not (r.beredning.text or r.beredning.remissinstanser):
        out.append(src.problem(("beredning",), "beredningen är tom: skriv 'text' eller 'remissinstanser'"))
    out += underlag_problems(record, profile, r.beslutsunderlag, r.datum, "utlåtandet")
    return out


def compose(record: LoadedRecord, profile: Profile) -> Document:
    """The utlåtande: the styrelse's förslag, the föredragande's statement, the beredning, the underlag."""
    from .. import compose as c  # composing only: a check never loads the document model
    from ..document import Document, Heading, ListBlock, Paragraph, text_run

    r = record.model
    assert isinstance(r, Utlatande)
    styrelse, fullmaktige = profile.organ[r.nämnd], profile.organ[r.till]
    blocks: list[Block] = [Paragraph(text_run(f"{styrelse.namn} föreslår att {c.lower_first(fullmaktige.namn)} "
                                              "beslutar följande."))]
    points = [to_blocks(p) for p in r.förslag]
    if r.numrerade:
        blocks.append(ListBlock(True, points))
    else:
        blocks.extend(b for point in points for b in point)
    parts = {"förslag": (0, len(blocks))}
    start = len(blocks)
    heading = f"Föredragande {r.föredragande.titel} {r.föredragande.namn} anför följande."
    blocks.append(Heading(1, text_run(heading)))
    blocks.extend(to_blocks(r.anförande))
    for section in r.avsnitt:
        blocks.extend(c.section_blocks(section, profile, 2))
    parts["anförande"] = (start, len(blocks))
    if r.beredning:
        start = len(blocks)
        blocks.append(Heading(1, text_run("Beredning")))
        blocks.extend(to_blocks(r.beredning.text))
        if r.beredning.remissinstanser:
            blocks.append(Paragraph(text_run("Remissinstanser:"), "label"))
            blocks.append(ListBlock(False, [[Paragraph(text_run(name))] for name in r.beredning.remissinstanser]))
        parts["beredning"] = (start, len(blocks))
    underlag, bilagor = c.beslutsunderlag(r.beslutsunderlag, profile, record.id)
    start = len(blocks)
    blocks.extend(underlag)
    parts["underlag"] = (start, len(blocks))
    return Document(
        id=record.id, kind="utlåtande", title=r.rubrik, lang="sv-SE", draft=r.status == "utkast",
        letterhead=c.letterhead(profile, kind="utlåtande", forvaltning="", datum=datum(r.datum), dnr=r.dnr,
                                er_beteckning=r.er_beteckning or "", mottagare=fullmaktige.namn),
        subtitle=[r.beteckning()], blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(r.datum),
        keywords=["utlåtande", r.beteckning(), r.dnr], parts=parts, confidential=r.sekretess, bilagor=bilagor)


KIND = register(Kind("utlåtande", Utlatande, compose, rules, scaffold="utlatande.yaml"))
