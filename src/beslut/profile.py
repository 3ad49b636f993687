"""The organisation profile: who the kommun is, its organs, förvaltningar and letterhead.

Nothing specific to one kommun lives in code; it all comes from ``beslut.yaml`` at the root
of a decisions repository.
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, PrivateAttr, ValidationError, field_validator

from .errors import RecordError
from .models import Model
from .schema_errors import problems_from_validation
from .yamlsource import load

PROFILE_FILE = "beslut.yaml"


class Organ(Model):
    """A nämnd, styrelse or fullmäktige that decides."""

    namn: str = Field(alias="namn")
    """Name as written at the start of a sentence, e.g. "Social- och omsorgsnämnden"."""
    genitiv: str = Field(alias="genitiv")
    """Genitive as used in "Förslag till ... beslut", e.g. "social- och omsorgsnämndens"."""


class Standardavsnitt(Model):
    """A standard section a record may include by key, with its heading from the profile."""

    rubrik: str = Field(alias="rubrik")
    """Heading printed in the document."""
    obligatorisk: bool = Field(False, alias="obligatorisk")
    """Whether every tjänsteskrivelse must have this section."""


class Profile(Model):
    """The organisation a repository of decisions belongs to."""

    kommun: str = Field(alias="kommun")
    """The kommun's name, e.g. "Linköpings kommun"."""
    ort: str = Field(alias="ort")
    """Place name used in the place-and-date line of agreements."""
    sidfot: list[str] = Field(default_factory=list, alias="sidfot")
    """Address lines printed in the footer of every page."""
    logotyp: str | None = Field(None, alias="logotyp")
    """Path (relative to the profile) of a PNG or JPEG logo for the letterhead; optional."""
    dnr_mönster: str = Field(alias="dnr_mönster")
    """Regular expression a diarienummer must match, e.g. '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$'."""
    organ: dict[str, Organ] = Field(alias="organ")
    """Deciding organs by short key (SON, KS, KF …)."""
    förvaltningar: list[str] = Field(alias="förvaltningar")
    """Names of the förvaltningar that write and sign."""
    standardavsnitt: dict[str, Standardavsnitt] = Field(default_factory=dict, alias="standardavsnitt")
    """Standard sections by key (ekonomiska_konsekvenser, jämställdhet, …)."""

    @field_validator("dnr_mönster")
    @classmethod
    def _pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"inte ett giltigt reguljärt uttryck: {exc}") from None
        return value

    _root: Path = PrivateAttr(default=Path("."))
    _file: Path | None = PrivateAttr(default=None)

    def dnr_matches(self, value):  # TEMP shim
        return re.search(self.dnr_mönster, value) is not None

    @property
    def logo(self) -> Path | None:
        """Absolute path of the logo, if the profile names one."""
        return (self._root / self.logotyp).resolve() if self.logotyp else None

    @property
    def file(self) -> Path | None:
        """The file the profile was read from."""
        return self._file

    @property
    def root(self) -> Path:
        """Folder the profile was read from."""
        return self._root


def find_profile(start: Path) -> Path | None:
    """The nearest beslut.yaml at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / PROFILE_FILE
        if candidate.is_file():
            return candidate
    return None


def load_profile(path: Path) -> Profile:
    """Read and validate a profile; every problem is reported at once."""
    src = load(path)
    if src.problems and src.data is None:
        raise RecordError(src.problems)
    if not isinstance(src.data, dict):
        raise RecordError([src.problem((), "profilen ska vara en mappning av nycklar till värden")])
    errors = [p for p in src.problems if p.severity == "error"]
    try:
        profile = Profile.model_validate({**src.data})
    except ValidationError as exc:
        raise RecordError(errors + problems_from_validation(exc, src, Profile)) from None
    if profile.logotyp is not None:
        logo = (path.parent / profile.logotyp).resolve()
        if not logo.is_file():
            errors.append(src.problem(("logotyp",), f"logotypen '{profile.logotyp}' finns inte (sökväg relativt {path.name})"))
        elif logo.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n" and logo.read_bytes()[:3] != b"\xff\xd8\xff":
            errors.append(src.problem(("logotyp",), "logotypen ska vara en PNG- eller JPEG-bild"))
        elif not logo.is_relative_to(path.parent.resolve()):
            errors.append(src.problem(("logotyp",), "logotypen ska ligga i mappen med beslut.yaml eller under den"))
    if errors:
        raise RecordError(errors)
    profile._root = path.parent.resolve()
    profile._file = path.resolve()
    return profile
