"""The meeting file: ``typ: sammanträde`` — who meets when and where, and the ärenden in order.

An ärende refers to a record by its id (``post:``) or is an item of its own (information,
anmälan av delegationsbeslut, delgivningar, övriga frågor) with a rubrik and text. An ärende is
confidential when the item names an OSL reference (``sekretess: OSL 26 kap. 1 §``) or its record
has ``sekretess: true``; the public edition then shows only its number, ``offentlig_rubrik`` and
the OSL reference.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..models import Model
from ..records import Datum, Markdown, RecordBase, Status

#: What the public sees of a confidential ärende unless the item says otherwise.
SECRET_TITLE = "Ärende som omfattas av sekretess"

ItemKind = Literal["ärende", "information", "delegationsbeslut", "delgivningar", "övrigt"]
#: What the nämnd did with an ärende: adopted the förslag as written, adopted it changed, rejected
#: it, sent it back, postponed it, or took note of it (information, anmälningar).
Utfall = Literal["bifall", "ändrat", "avslag", "återremiss", "bordlagt", "information"]


def _time(value: Any) -> Any:
    """HH:MM with a real hour and minute (the YAML layer keeps 13:00 as text)."""
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value.strip())
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            return f"{int(m.group(1)):02d}:{m.group(2)}"
    raise ValueError(f"ska vara en tid TT:MM (t.ex. 13:00), inte '{value}'")


Tid = Annotated[str, BeforeValidator(_time)]


class Tidpunkt(Model):
    """When the meeting starts and (optionally) ends."""

    start: Tid
    """Start, TT:MM."""
    slut: Tid | None = None
    """End, TT:MM."""


class Ledamot(Model):
    """A member or substitute, with party."""

    namn: str
    """Name."""
    parti: str | None = None
    """Party abbreviation, e.g. (S)."""
    roll: str | None = None
    """ordförande, vice ordförande … (optional)."""


def _name_to_mapping(value: Any) -> Any:
    return {"namn": value} if isinstance(value, str) else value


class Justering(Model):
    """When and where the protokoll is adjusted."""

    datum: Datum
    """Date of justering."""
    plats: str | None = None
    """Place of justering."""


class ItemBilaga(Model):
    """A file attached to a meeting item, with the title the föredragningslista shows."""

    fil: str
    """Path of the PDF or DOCX, relative to the meeting file."""
    titel: str | None = None
    """Title; default the file name."""


def _file_to_mapping(value: Any) -> Any:
    return {"fil": value} if isinstance(value, str) else value


class Tjanstgorande(Model):
    """A substitute who serves in a member's place."""

    namn: str
    """The substitute's name (one of the meeting's ersättare)."""
    för: str
    """The member whose place they take."""


class Narvaro(Model):
    """Who is absent and who serves in their place: for the whole meeting or for one §."""

    frånvarande: list[str] = Field(default_factory=list)
    """Members not present (for the whole meeting, or for this §)."""
    tjänstgörande_ersättare: list[Tjanstgorande] = Field(default_factory=list)
    """Substitutes who serve in a member's place."""
    övriga: list[str] = Field(default_factory=list)
    """Others present (officials, föredragande), e.g. "Linda Ljungqvist, enhetschef"; meeting level only."""


class Yrkande(Model):
    """A motion made at the meeting: who moved what."""

    av: str
    """Who moved it (a member or serving substitute)."""
    yrkande: str
    """What they moved, e.g. "bifall till förvaltningens förslag" or "återremiss"."""


class Votering(Model):
    """A vote: who voted ja, nej or abstained, and what ja and nej stand for."""

    ja_för: str
    """What a ja vote is for, e.g. "bifall till Leila Haddads yrkande"."""
    nej_för: str
    """What a nej vote is for, e.g. "bifall till Jonas Bergs yrkande"."""
    ja: list[str] = Field(default_factory=list)
    """Who voted ja."""
    nej: list[str] = Field(default_factory=list)
    """Who voted nej."""
    avstår: list[str] = Field(default_factory=list)
    """Who abstained."""


class Reservation(Model):
    """A member who reserves against the decision."""

    namn: str
    """Who reserves."""
    skriftlig: bool = False
    """Whether a written reservation is attached to the protokoll (bilaga)."""


class Anslag(Model):
    """The notice that the protokoll is justerat (anslagstavlan)."""

    datum: Datum
    """The day the anslag goes up; at the latest the second day after justering."""
    förvaringsplats: str | None = None
    """Where the protokoll is kept, e.g. "Social- och omsorgsförvaltningen, Linköping"."""


def _to_list(value: Any) -> Any:
    return [value] if isinstance(value, (str, dict)) else value


class Arende(Model):
    """One item on the agenda: a record by its id, or an item of its own."""

    post: str | None = None
    """Id of a record (its file name without .yaml) that this ärende treats."""
    typ: ItemKind = "ärende"
    """ärende (a record), information, delegationsbeslut, delgivningar or övrigt."""
    rubrik: str | None = None
    """Heading of an item without a record (a record's ärende takes the record's rubrik)."""
    text: Markdown | None = None
    """Text of an item without a record (Markdown)."""
    föredragande: str | None = None
    """Who presents the ärende."""
    sekretess: str | None = None
    """OSL reference when the ärende is confidential, e.g. "OSL 26 kap. 1 §"."""
    offentlig_rubrik: str | None = None
    """What the public edition shows instead of the rubrik of a confidential ärende."""
    bilagor: list[Annotated[ItemBilaga, BeforeValidator(_file_to_mapping)]] = Field(default_factory=list)
    """Further attached files (PDF or DOCX): a path relative to the meeting file, or {fil, titel}."""
    utfall: Utfall | None = None
    """What the nämnd did: bifall, ändrat, avslag, återremiss, bordlagt or information (the protokoll)."""
    beslutstext: Annotated[list[Markdown], BeforeValidator(_to_list)] = Field(default_factory=list)
    """The adopted text when utfall is ändrat (or an own beslut for an item without a record), point by point."""
    motivering: Markdown | None = None
    """Why: the reason for a återremiss or bordläggning."""
    yrkanden: list[Yrkande] = Field(default_factory=list)
    """Motions made at the meeting, in order."""
    propositionsordning: Markdown | None = None
    """How the chair put the motions to the vote."""
    votering: Votering | None = None
    """A vote: ja, nej and avstår by name."""
    reservationer: list[Annotated[Reservation, BeforeValidator(_name_to_mapping)]] = Field(default_factory=list)
    """Who reserves against the decision: a name, or {namn, skriftlig}."""
    jäv: list[str] = Field(default_factory=list)
    """Members who are jäviga and leave the meeting for this §."""
    protokollsanteckning: Annotated[list[Markdown], BeforeValidator(_to_list)] = Field(default_factory=list)
    """Notes entered in the protokoll at a member's request."""
    omedelbar_justering: bool = False
    """This § is justerad at once, at the meeting."""
    närvaro: Narvaro | None = None
    """Changes of attendance for this § only: frånvarande, tjänstgörande ersättare."""
    skickas_till: list[str] | None = None
    """Beslutet skickas till; default the record's skickas_till."""

    @model_validator(mode="after")
    def _record_or_own(self) -> Arende:
        if self.post is None and not self.rubrik:
            raise ValueError("ett ärende har antingen 'post' (en posts id) eller en egen 'rubrik'")
        return self


class Sammantrade(RecordBase):
    """A meeting of a nämnd: time, place, people and the ärenden in order."""

    typ: Literal["sammanträde"]
    """The kind of record."""
    status: Status = "färdig"
    """utkast, färdig or beslutad."""
    rubrik: str = ""
    """Own title; default "Kallelse" with the nämnd's name."""
    datum: Datum
    """Date of the meeting."""
    tid: Tidpunkt
    """Start and end time."""
    plats: str
    """Where the meeting is held."""
    ordförande: str
    """The chair."""
    sekreterare: str
    """The secretary."""
    ledamöter: list[Annotated[Ledamot, BeforeValidator(_name_to_mapping)]] = Field(default_factory=list)
    """Members (name and party)."""
    ersättare: list[Annotated[Ledamot, BeforeValidator(_name_to_mapping)]] = Field(default_factory=list)
    """Substitutes (name and party)."""
    justerare: list[str] = Field(default_factory=list)
    """Who adjusts the protokoll with the chair."""
    justering: Justering | None = None
    """When and where the protokoll is adjusted."""
    ärenden: list[Arende] = Field(min_length=1)
    """The ärenden in the order they are treated."""
    första_paragraf: int | None = Field(None, ge=1)
    """The first § number of the protokoll; default: continue from the previous meeting file of the nämnd."""
    närvaro: Narvaro | None = None
    """Who is absent, who serves in their place, and others present (the protokoll)."""
    anslag: Anslag | None = None
    """The anslag of the justerat protokoll: date and förvaringsplats."""

    def bilagor(self) -> list[str]:
        return [b.fil for item in self.ärenden for b in item.bilagor]

    def document_date(self):
        return self.datum

    def has_outcomes(self) -> bool:
        """Whether any ärende has an utfall: then the meeting has a protokoll."""
        return any(item.utfall is not None for item in self.ärenden)
