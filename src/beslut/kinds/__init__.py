"""Record kinds in a registry: each kind's model, rules, composer and templates in one place.

A record's ``typ:`` names its kind. Adding a kind (utlåtande, sammanträde, protokoll) means a
module here that builds a ``Kind`` and calls ``register``, plus its templates if it needs its
own: nothing else in beslut changes (see CONTRIBUTING.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..document import Document
from ..errors import Problem
from ..profile import Profile
from ..records import LoadedRecord, RecordBase
from ..render import DOCX_TEMPLATE, HTML_TEMPLATE, PDF_TEMPLATE


@dataclass(frozen=True)
class Kind:
    """One kind of record: how it is read, checked and turned into a document."""

    name: str
    """The value of ``typ:`` in a record."""
    model: type[RecordBase]
    """The pydantic model a record of this kind validates against."""
    compose: Callable[[LoadedRecord, Profile], Document]
    """Turns a valid record into the format-neutral document."""
    rules: Callable[[LoadedRecord, Profile], list[Problem]]
    """Domain rules beyond the schema (the rules every kind shares run as well)."""
    scaffold: str | None = None
    """File in ``beslut/scaffolds`` that ``beslut new`` fills in, if the kind has one."""
    templates: tuple[str, ...] = (DOCX_TEMPLATE, PDF_TEMPLATE, HTML_TEMPLATE)
    """Template files (under templates/) the kind's documents are drawn with."""
    package: Callable[..., Any] | None = None
    """For kinds that make more than one document (a meeting's packet): ``package(record, project)``
    returns the files by relative path; ``produce`` calls it instead of rendering ``compose``'s document."""


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (a second kind with the same name replaces the first)."""
    _REGISTRY[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind | None:
    """The kind for a ``typ:`` value, or None."""
    return _REGISTRY.get(name)


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order."""
    return list(_REGISTRY.values())


def kind_names() -> list[str]:
    """The ``typ:`` values records may have, sorted (messages list them the same way every time)."""
    return sorted(_REGISTRY)


def kind_of(record: LoadedRecord) -> Kind:
    """The kind of a loaded record."""
    return _REGISTRY[record.model.typ]


# the built-in kinds register themselves on import
from .. import meetings  # noqa: E402,F401  (the sammanträde kind)
from . import tjansteskrivelse, uppdrag, utlatande  # noqa: E402,F401

__all__ = ["Kind", "all_kinds", "get_kind", "kind_names", "kind_of", "register"]
