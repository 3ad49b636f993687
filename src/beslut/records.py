"""Decision records: the parts every kind shares, and loading a record from YAML.

Keys are Swedish, as case officers know them; prose fields hold Markdown. Every model refuses
unknown keys, and each field's docstring becomes its description in ``beslut schema``. Each
kind's own model lives in ``beslut.kinds`` with its rules and composer; ``load_record`` picks
the kind by the record's ``typ:``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeGuard, Union

from pydantic import (
    BeforeValidator,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from .errors import Problem
from .models import Model
from .schema_errors import problems_from_validation
from .yamlsource import Source, load, load_bytes

if TYPE_CHECKING:
    from .profile import Profile

#: Text that stands in for something not yet known: "SON § XXXXXX", "2022-…-…", "2022-.....-.....".
PLACEHOLDER = re.compile(r"X{3,}|x{4,}|\.{4,}|…|\?{3,}|\bÅÅÅÅ\b|\bTODO\b")
#: Text each kind of placeholder contains: a value without any of them has none (a substring
#: test is ten times faster than the pattern, and most values are not placeholders).
_PLACEHOLDER_MARKS = ("XXX", "xxxx", "....", "…", "???", "ÅÅÅÅ", "TODO")


def find_placeholder(value: str) -> re.Match[str] | None:
    """The first placeholder in ``value`` (``PLACEHOLDER``), or None."""
    if not any(mark in value for mark in _PLACEHOLDER_MARKS):
        return None
    return PLACEHOLDER.search(value)


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


Datum = Annotated[dt.date | Placeholder, PlainValidator(_date_or_placeholder),
                  WithJsonSchema({"type": "string", "description": "ÅÅÅÅ-MM-DD"})]
"""A date written ÅÅÅÅ-MM-DD, or in a draft a placeholder such as 2022-…-…."""


def is_date(value: object) -> TypeGuard[dt.date]:
    """Whether a Datum holds a real date (not a placeholder, not missing)."""
    return isinstance(value, dt.date)

#: Largest amount in tkr a record may state (ten billion kronor): beyond it a typo, not a budget.
MAX_TKR = 10_000_000

Status = Literal["utkast", "färdig", "beslutad"]
Markdown = Annotated[str, WithJsonSchema({"type": "string", "description": "Markdown"})]


def text_to_mapping(key: str):
    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value
    return BeforeValidator(convert)


class Handlaggare(Model):
    """The case officer responsible for the document."""

    namn: str
    """Full name."""
    titel: str | None = None
    """Title, e.g. "Verksamhetsutvecklare"."""
    telefon: str | None = None
    """Phone number."""
    e_post: str | None = Field(None, alias="e-post")
    """E-mail address."""


class Forslag(Model):
    """Förslag till beslut at one level (the nämnd's own, kommunstyrelsen, kommunfullmäktige)."""

    instans: str | None = None
    """Organ key from the profile (SON, KS, KF …); default the record's nämnd."""
    punkter: list[Markdown] = Field(min_length=1)
    """The points of the proposal, in order."""
    numrerade: bool = True
    """false for a single point that stands unnumbered."""


class Underlag(Model):
    """A document the decision is based on (beslutsunderlag)."""

    titel: str
    """Title of the document."""
    datum: Datum | None = None
    """Date of the document."""
    bilaga: str | None = None
    """Path of an attached file, relative to the record; it must exist."""


class Omrade(Model):
    """A named area with the parts it covers (agreements list stadsdelar per team)."""

    namn: str
    """Name of the area or team, e.g. "Områdesteam 1 Skäggetorp"."""
    delar: list[str] = Field(min_length=1)
    """The places it covers."""


class Avsnitt(Model):
    """A section: a free heading of your own, or a standard section named by its profile key."""

    rubrik: str | None = None
    """Heading of a free section."""
    standard: str | None = None
    """Key of a standard section from the profile (ekonomiska_konsekvenser, jämställdhet …)."""
    text: Markdown | None = None
    """The section's text (Markdown)."""
    områden: list[Omrade] = Field(default_factory=list)
    """Area lists printed after the text."""
    avsnitt: list[Avsnitt] = Field(default_factory=list)
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

    typ: Literal["information", "förhandling", "ej_påkallad"]
    """information (§ 19), förhandling (§ 11) or ej_påkallad (not called for)."""
    datum: Datum | None = None
    """When it took place."""
    text: Markdown | None = None
    """Own wording; without it a standard sentence is printed."""


class Underskrift(Model):
    """One signature: who signs and for which förvaltning."""

    namn: str
    """Name of the person who signs."""
    titel: str | None = None
    """Title, e.g. "Socialdirektör"."""
    förvaltning: str | None = None
    """The förvaltning signing (must be in the profile)."""


class RecordBase(Model):
    """What every record has, whatever its kind. A kind's model adds its own fields."""

    typ: str
    """The kind of record (tjänsteskrivelse, uppdrag …)."""
    status: Status
    """utkast, färdig or beslutad. Placeholders are allowed only in utkast."""
    nämnd: str
    """Key of the nämnd (from the profile's organ)."""
    rubrik: str
    """Title of the document."""
    sekretess: bool = False
    """true if the document holds material covered by sekretess (left out of public packets)."""
    personnummer_tillåtna: list[str] = Field(default_factory=list)
    """Personnummer that may lawfully stand in this record (acknowledged occurrences)."""

    def bilagor(self) -> list[str]:
        """Attached files named by the record, relative to it (their bytes are build inputs)."""
        return []

    def document_date(self) -> dt.date | Placeholder:
        """The document's date (placeholder in a draft)."""
        raise NotImplementedError


class LoadedRecord:
    """A record with its id, its source (for positions) and its validated model."""

    def __init__(self, path: Path, source: Source, model: RecordBase):
        self.path = path
        self.source = source
        self.model = model
        #: What a kind's rules worked out and its composer may reuse for the same bytes (a
        #: meeting's resolved agenda): filled by the kind, never by beslut's core.
        self.cache: dict[str, object] = {}

    @property
    def id(self) -> str:
        """Stable id: the file name without extension (NFC). It names every output."""
        return record_id(self.path)


#: Longest id: outputs add a suffix and the build a temporary name, within 255 bytes a name.
MAX_ID_BYTES = 200


def record_id(path: Path) -> str:
    """A record's id: its file name without extension, in NFC (macOS writes file names in NFD)."""
    return unicodedata.normalize("NFC", path.stem)


def record_id_problem(path: Path) -> Problem | None:
    """An id must be usable as a file name everywhere (letters, digits, - _ .) and not too long."""
    rid = record_id(path)
    if not re.fullmatch(r"[\w][\w.-]*", rid):
        return Problem(path, 1, 1, "", "filnamnet blir postens id och får bara innehålla bokstäver, siffror, - _ och .")
    if len(rid.encode("utf-8")) > MAX_ID_BYTES:
        return Problem(path, 1, 1, "", f"filnamnet är {len(rid.encode('utf-8'))} byte; högst {MAX_ID_BYTES} "
                                       "(det namnger utfilerna); korta det")
    return None


def load_record(path: Path, data: bytes | None = None) -> tuple[LoadedRecord | None, list[Problem]]:
    """Read one record from its file, or from ``data`` (e.g. the file at a Git revision).

    Returns the record (None if it is not valid) and every problem found.
    """
    record, problems, _ = read_record(path, data)
    return record, problems


def read_record(path: Path, data: bytes | None = None) -> tuple[LoadedRecord | None, list[Problem], Source]:
    """As ``load_record``, and the YAML source too (its plain data is there even when the schema
    refused the record, so rules that need no model can still run on it)."""
    from .kinds import get_kind, kind_names

    src = load(path) if data is None else load_bytes(path, data)
    problems = list(src.problems)
    id_problem = record_id_problem(path)
    if id_problem:
        problems.append(id_problem)
    if src.data is None:
        return None, problems, src
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "posten ska vara en mappning av nycklar till värden (typ: …, rubrik: …)"))
        return None, problems, src
    typ = src.data.get("typ")
    kind = get_kind(typ) if isinstance(typ, str) else None
    if kind is None:
        loc = ("typ",) if "typ" in src.data else ()
        problems.append(src.problem(loc, f"'typ' ska vara en av: {', '.join(kind_names())}"))
        return None, problems, src
    try:
        record = kind.model.model_validate(src.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, src, kind.model))
        return None, problems, src
    if any(p.severity == "error" for p in problems):
        return None, problems, src
    return LoadedRecord(path, src, record), problems, src


def json_schema(profile: Profile | None = None) -> dict[str, Any]:
    """JSON Schema for records of every registered kind, for editors (yaml-language-server).

    Every property carries a Swedish description and an example (``beslut.schema_sv``). With a
    ``profile``, the fields that name an organ (nämnd, instans, till, a part's organ) or a
    förvaltning also list the profile's values as ``enum``, so the editor offers them; without
    one the schema holds for any kommun.
    """
    from .kinds import all_kinds
    from .schema_sv import RECORD, apply

    models = tuple(k.model for k in all_kinds())
    union = models[0] if len(models) == 1 else Annotated[Union[models], Field(discriminator="typ")]  # noqa: UP007
    schema = TypeAdapter(union).json_schema(by_alias=True)  # type: ignore[arg-type]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"beslut: beslutspost ({', '.join(k.name for k in all_kinds())})"
    apply(schema, RECORD)
    for definition, field in _TEXT_OR_MAPPING:
        prop = schema["$defs"][definition]["properties"][field]
        prop["items"] = {"anyOf": [{"type": "string"}, prop["items"]]}
    for definition, field in _TEXT_OR_LIST:
        props = schema["$defs"][definition]["properties"]
        shape = {k: props[field].pop(k) for k in ("type", "items") if k in props[field]}
        props[field]["anyOf"] = [{"type": "string"}, shape]
    if profile is not None:
        _profile_enums(schema, profile)
    return schema


#: Lists whose items may be written as a plain string, which a BeforeValidator turns into the
#: mapping (``text_to_mapping`` and the like): the schema says so, or the editor would flag them.
_TEXT_OR_MAPPING = (("Tjansteskrivelse", "beslutsunderlag"), ("Utlatande", "beslutsunderlag"),
                    ("Arende", "bilagor"), ("Arende", "reservationer"),
                    ("Sammantrade", "ledamöter"), ("Sammantrade", "ersättare"))
#: Lists that may be written as a single string (one point): ``[value]``.
_TEXT_OR_LIST = (("Arende", "beslutstext"), ("Arende", "protokollsanteckning"))

#: Properties whose value is a key of the profile's organ, or one of its förvaltningar.
_ORGAN_FIELDS = {"nämnd", "instans", "till", "organ"}
_FORVALTNING_FIELDS = {"förvaltning"}


def _profile_enums(schema: dict[str, Any], profile: Profile) -> None:
    for definition in schema.get("$defs", {}).values():
        for field, prop in definition.get("properties", {}).items():
            if field in _ORGAN_FIELDS:
                values = list(profile.organ)
            elif field in _FORVALTNING_FIELDS:
                values = list(profile.förvaltningar)
            else:
                continue
            if not values:
                continue
            branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") == "string"]
            for branch in branches:
                branch["enum"] = values
            prop["examples"] = [values[0]]


def project_schema_json(start: Path | None = None) -> str:
    """The record schema for the project at or above ``start`` (default: the working folder): with
    its profile's organ and förvaltningar when a valid beslut.yaml is found, else the generic one.
    What ``beslut build`` writes to build/schema.json for that project."""
    from .errors import BeslutError
    from .locate import find_profile
    from .profile import load_profile

    found = find_profile(start or Path.cwd())
    profile = None
    if found is not None:
        try:
            profile = load_profile(found)
        except BeslutError:
            profile = None  # beslut check reports the profile's problems; the editor still gets a schema
    return schema_json(profile)


def schema_json(profile: Profile | None = None) -> str:
    """The JSON Schema as text, the same bytes every time (with the profile's values, given one)."""
    import json

    return json.dumps(json_schema(profile), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
