"""Decision records: the two kinds (tjänsteskrivelse and uppdrag) and loading them from YAML.

Keys are Swedish, as case officers know them; prose fields hold Markdown. Every model refuses
unknown keys, and each field's docstring becomes its description in ``beslut schema``.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BeforeValidator,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .errors import Problem
from .models import Model
from .schema_errors import problems_from_validation
from .yamlsource import Source, load

#: Text that stands in for something not yet known: "SON § XXXXXX", "2022-…-…", "2022-.....-.....".
PLACEHOLDER = re.compile(r"X{3,}|x{4,}|\.{4,}|…|\?{3,}|\bÅÅÅÅ\b|\bTODO\b")


class Placeholder(str):
    """A value that is still a placeholder (allowed in drafts only)."""


def _date_or_placeholder(value: Any) -> Any:
    if isinstance(value, (dt.date, Placeholder)):
        return value
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"'{value}' är inget giltigt datum") from None
        if PLACEHOLDER.search(value):
            return Placeholder(value)
    raise ValueError(f"ska vara ett datum ÅÅÅÅ-MM-DD (eller en platshållare som 2022-…-… i ett utkast), inte '{value}'")


Datum = Annotated[Any, BeforeValidator(_date_or_placeholder),
                  WithJsonSchema({"type": "string", "description": "ÅÅÅÅ-MM-DD"})]
"""A date written ÅÅÅÅ-MM-DD, or in a draft a placeholder such as 2022-…-…."""

Status = Literal["utkast", "färdig", "beslutad"]
Markdown = Annotated[str, WithJsonSchema({"type": "string", "description": "Markdown"})]


def _text_to_mapping(key: str):
    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value
    return BeforeValidator(convert)


class Handlaggare(Model):
    """The case officer responsible for the document."""

    namn: str = Field(alias="namn")
    """Full name."""
    titel: str | None = Field(None, alias="titel")
    """Title, e.g. "Verksamhetsutvecklare"."""
    telefon: str | None = Field(None, alias="telefon")
    """Phone number."""
    e_post: str | None = Field(None, alias="e-post")
    """E-mail address."""


class Forslag(Model):
    """Förslag till beslut at one level (the nämnd's own, kommunstyrelsen, kommunfullmäktige)."""

    instans: str | None = Field(None, alias="instans")
    """Organ key from the profile (SON, KS, KF …); default the record's nämnd."""
    punkter: list[Markdown] = Field(alias="punkter", min_length=1)
    """The points of the proposal, in order."""
    numrerade: bool = Field(True, alias="numrerade")
    """false for a single point that stands unnumbered."""


class Underlag(Model):
    """A document the decision is based on (beslutsunderlag)."""

    titel: str = Field(alias="titel")
    """Title of the document."""
    datum: Datum | None = Field(None, alias="datum")
    """Date of the document."""
    bilaga: str | None = Field(None, alias="bilaga")
    """Path of an attached file, relative to the record; it must exist."""


class Omrade(Model):
    """A named area with the parts it covers (agreements list stadsdelar per team)."""

    namn: str = Field(alias="namn")
    """Name of the area or team, e.g. "Områdesteam 1 Skäggetorp"."""
    delar: list[str] = Field(alias="delar", min_length=1)
    """The places it covers."""


class Avsnitt(Model):
    """A section: a free heading of your own, or a standard section named by its profile key."""

    rubrik: str | None = Field(None, alias="rubrik")
    """Heading of a free section."""
    standard: str | None = Field(None, alias="standard")
    """Key of a standard section from the profile (ekonomiska_konsekvenser, jämställdhet …)."""
    text: Markdown | None = Field(None, alias="text")
    """The section's text (Markdown)."""
    områden: list[Omrade] = Field(default_factory=list, alias="områden")
    """Area lists printed after the text."""
    avsnitt: list[Avsnitt] = Field(default_factory=list, alias="avsnitt")
    """Sub-sections, printed under their own smaller headings."""

    @model_validator(mode="after")
    def _one_heading(self) -> Avsnitt:
        if (self.rubrik is None) == (self.standard is None):
            raise ValueError("ett avsnitt har antingen 'rubrik' (eget avsnitt) eller 'standard' (standardavsnitt), "
                             "inte båda eller inget")
        if not (self.text or self.avsnitt or self.områden):
            raise ValueError("avsnittet är tomt: skriv 'text' eller 'avsnitt'")
        return self


class MBL(Model):
    """Information or negotiation under the Co-Determination Act (MBL)."""

    typ: Literal["information", "förhandling", "ej_påkallad"] = Field(alias="typ")
    """information (§ 19), förhandling (§ 11) or ej_påkallad (not called for)."""
    datum: Datum | None = Field(None, alias="datum")
    """When it took place."""
    text: Markdown | None = Field(None, alias="text")
    """Own wording; without it a standard sentence is printed."""


class Underskrift(Model):
    """One signature: who signs and for which förvaltning."""

    namn: str = Field(alias="namn")
    """Name of the person who signs."""
    titel: str | None = Field(None, alias="titel")
    """Title, e.g. "Socialdirektör"."""
    förvaltning: str | None = Field(None, alias="förvaltning")
    """The förvaltning signing (must be in the profile)."""


class Tjansteskrivelse(Model):
    """A tjänsteskrivelse: an officer's report to a nämnd."""

    typ: Literal["tjänsteskrivelse"] = Field(alias="typ")
    """The kind of record."""
    status: Status = Field(alias="status")
    """utkast, färdig or beslutad. Placeholders are allowed only in utkast."""
    nämnd: str = Field(alias="nämnd")
    """Key of the nämnd the report goes to (from the profile's organ)."""
    förvaltning: str = Field(alias="förvaltning")
    """The förvaltning that writes it."""
    datum: Datum = Field(alias="datum")
    """Date of the report."""
    dnr: str = Field(alias="dnr")
    """Diarienummer, e.g. "SON 2020-123"."""
    handläggare: Handlaggare = Field(alias="handläggare")
    """The case officer."""
    rubrik: str = Field(alias="rubrik")
    """Title of the ärende."""
    förslag_till_beslut: list[Forslag] = Field(alias="förslag_till_beslut", min_length=1)
    """Proposals, one entry per deciding level."""
    ärende: Markdown = Field(alias="ärende")
    """Summary of the ärende (Markdown)."""
    beslutsunderlag: list[Annotated[Underlag, _text_to_mapping("titel")]] = Field(
        default_factory=list, alias="beslutsunderlag")
    """Documents the decision rests on: text, or titel + datum."""
    avsnitt: list[Avsnitt] = Field(default_factory=list, alias="avsnitt")
    """Bakgrund, free sections and standard sections, in the order they are printed."""
    mbl: MBL | None = Field(None, alias="mbl")
    """MBL information or förhandling."""
    underskrifter: list[Underskrift] = Field(alias="underskrifter", min_length=1)
    """Who signs, one entry per förvaltning."""
    skickas_till: list[str] = Field(default_factory=list, alias="skickas_till")
    """Beslutet skickas till."""
    sekretess: bool = Field(False, alias="sekretess")
    """true if the document holds material covered by sekretess (left out of public packets)."""
    personnummer_tillåtna: list[str] = Field(default_factory=list, alias="personnummer_tillåtna")
    """Personnummer that may lawfully stand in this record (acknowledged occurrences)."""


class Uppdragstid(Model):
    """When the assignment runs and how it is ended."""

    start: Datum = Field(alias="start")
    """First day of the assignment."""
    slut: Datum | None = Field(None, alias="slut")
    """Last day; leave out for "tills vidare"."""
    uppsägningstid_månader: int = Field(alias="uppsägningstid_månader", ge=0)
    """Notice period in months."""


class Tillagg(Model):
    """An addition to the yearly payment from a date."""

    belopp_tkr_per_år: int = Field(alias="belopp_tkr_per_år", gt=0)
    """Yearly amount in tkr."""
    från: Datum = Field(alias="från")
    """First day the addition is paid."""
    belopp_första_året_tkr: int | None = Field(None, alias="belopp_första_året_tkr")
    """Amount for the first (partial) year; checked against the pro-rata sum."""


class Uppräkning(Model):
    """How the payment is indexed."""

    från: Datum = Field(alias="från")
    """From when it is indexed yearly."""
    modell: str = Field("kommunens uppräkningsmodell", alias="modell")
    """Which model is used."""


class Ersattning(Model):
    """Payment for the assignment."""

    omfattning: str | None = Field(None, alias="omfattning")
    """What the payment covers, e.g. "Samtliga kostnader inklusive lokalkostnader ingår i ersättningen"."""
    belopp_tkr_per_år: int = Field(alias="belopp_tkr_per_år", gt=0)
    """Yearly amount in tkr."""
    tillägg: list[Tillagg] = Field(default_factory=list, alias="tillägg")
    """Additions from a date."""
    villkor: Markdown | None = Field(None, alias="villkor")
    """Further terms, printed before the price level."""
    prisnivå: int = Field(alias="prisnivå", ge=1900, le=2200)
    """Year of the price level."""
    moms: Literal["exklusive", "inklusive"] = Field("exklusive", alias="moms")
    """Whether amounts include VAT."""
    uppräkning: Uppräkning | None = Field(None, alias="uppräkning")
    """Yearly indexing."""


class Part(Model):
    """A party that signs an agreement."""

    organ: str | None = Field(None, alias="organ")
    """Organ key from the profile (for the nämnd)."""
    namn: str | None = Field(None, alias="namn")
    """Name of a party that is not an organ in the profile, e.g. "Leanlink"."""
    undertecknare: str = Field(alias="undertecknare")
    """Who signs for the party."""
    titel: str | None = Field(None, alias="titel")
    """The signer's title."""

    @model_validator(mode="after")
    def _organ_or_name(self) -> Part:
        if (self.organ is None) == (self.namn is None):
            raise ValueError("en part har antingen 'organ' (nyckel i profilen) eller 'namn'")
        return self


class OrtDatum(Model):
    """The place and date line above the signatures."""

    ort: str | None = Field(None, alias="ort")
    """Place; default the profile's ort."""
    datum: Datum = Field(alias="datum")
    """Date of signing, or a placeholder in a draft."""


class Uppdrag(Model):
    """A verksamhetsuppdrag or utvecklingsuppdrag between a nämnd and a provider."""

    typ: Literal["uppdrag"] = Field(alias="typ")
    """The kind of record."""
    uppdragstyp: Literal["verksamhetsuppdrag", "utvecklingsuppdrag"] = Field(alias="uppdragstyp")
    """Which kind of assignment."""
    status: Status = Field(alias="status")
    """utkast, färdig or beslutad."""
    nämnd: str = Field(alias="nämnd")
    """Key of the commissioning nämnd (from the profile)."""
    utförare: str = Field(alias="utförare")
    """The provider, e.g. "Leanlink, Råd och stöd"."""
    rubrik: str = Field(alias="rubrik")
    """Title, e.g. "Utvecklingsuppdrag Områdesteam"."""
    dnr: str | None = Field(None, alias="dnr")
    """Diarienummer."""
    reviderad: Datum | None = Field(None, alias="reviderad")
    """Date of the latest revision."""
    nämndbeslut: str | None = Field(None, alias="nämndbeslut")
    """The nämnd's decision, e.g. "SON § 123"."""
    avsnitt: list[Avsnitt] = Field(alias="avsnitt", min_length=1)
    """The agreement's sections, in order."""
    uppdragstid: Uppdragstid = Field(alias="uppdragstid")
    """When the assignment runs."""
    ersättning: Ersattning = Field(alias="ersättning")
    """Payment."""
    ort_och_datum: OrtDatum = Field(alias="ort_och_datum")
    """Place and date of signing."""
    parter: list[Part] = Field(alias="parter", min_length=2)
    """The signing parties, the nämnd first."""
    sekretess: bool = Field(False, alias="sekretess")
    """true if the document holds material covered by sekretess."""
    personnummer_tillåtna: list[str] = Field(default_factory=list, alias="personnummer_tillåtna")
    """Personnummer that may lawfully stand in this record."""

    @property
    def datum(self) -> Any:
        """The document's date: the revision date, else the start of the assignment."""
        return self.reviderad or self.uppdragstid.start


Record = Union[Tjansteskrivelse, Uppdrag]
KINDS: dict[str, type[Model]] = {"tjänsteskrivelse": Tjansteskrivelse, "uppdrag": Uppdrag}


class LoadedRecord:
    """A record with its id, its source (for positions) and its validated model."""

    def __init__(self, path: Path, source: Source, model: Record):
        self.path = path
        self.source = source
        self.model = model

    @property
    def id(self) -> str:
        """Stable id: the file name without extension. It names every output."""
        return self.path.stem


def record_id_problem(path: Path) -> Problem | None:
    """An id must be usable as a file name everywhere (letters, digits, - _ .)."""
    if not re.fullmatch(r"[\w][\w.-]*", path.stem):
        return Problem(path, 1, 1, "", "filnamnet blir postens id och får bara innehålla bokstäver, siffror, - _ och .")
    return None


def load_record(path: Path) -> tuple[LoadedRecord | None, list[Problem]]:
    """Read one record. Returns the record (None if it is not valid) and every problem found."""
    src = load(path)
    problems = list(src.problems)
    id_problem = record_id_problem(path)
    if id_problem:
        problems.append(id_problem)
    if src.data is None:
        return None, problems
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "posten ska vara en mappning av nycklar till värden (typ: …, rubrik: …)"))
        return None, problems
    kind = src.data.get("typ")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        loc = ("typ",) if "typ" in src.data else ()
        problems.append(src.problem(loc, f"'typ' ska vara en av: {', '.join(KINDS)}", ))
        return None, problems
    try:
        record = model.model_validate(src.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, src, model))
        return None, problems
    if any(p.severity == "error" for p in problems):
        return None, problems
    return LoadedRecord(path, src, record), problems  # type: ignore[arg-type]


def json_schema() -> dict[str, Any]:
    """JSON Schema for records, for editors (yaml-language-server) to complete and check."""
    schema = TypeAdapter(Annotated[Tjansteskrivelse | Uppdrag, Field(discriminator="typ")]).json_schema(
        by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "beslut: beslutspost (tjänsteskrivelse eller uppdrag)"
    return schema


def schema_json() -> str:
    """The JSON Schema as text, the same bytes every time."""
    import json

    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
