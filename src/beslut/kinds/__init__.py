"""Record kinds in a registry: each kind's model, rules, composer and templates in one place.

A record's ``typ:`` names its kind. Adding a kind (utlåtande, sammanträde, protokoll) means a
module here that builds a ``Kind`` and calls ``register``, plus its templates if it needs its
own: nothing else in beslut changes (see CONTRIBUTING.md).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..profile import Profile
from ..records import LoadedRecord, RecordBase
from ..render import DOCX_TEMPLATE, HTML_TEMPLATE, PDF_TEMPLATE

if TYPE_CHECKING:
    from ..document import Document


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
    """For kinds that make more than one document (a meeting's packet): ``package(record, project,
    prebuilt, *, screened)`` returns the files by relative path; ``produce`` calls it instead of
    rendering ``compose``'s document (see ``produce`` for ``prebuilt`` and ``screened``)."""


_REGISTRY: dict[str, Kind] = {}

#: The kinds beslut ships, by ``typ:``, and the module that registers each. A module is imported
#: the first time its kind is asked for: a check of tjänsteskrivelser never builds the models of
#: meetings (which import the packet and protokoll code). All of them, in this order, for
#: ``all_kinds``.
BUILTIN: dict[str, str] = {
    "sammanträde": "beslut.meetings",
    "tjänsteskrivelse": "beslut.kinds.tjansteskrivelse",
    "uppdrag": "beslut.kinds.uppdrag",
    "utlåtande": "beslut.kinds.utlatande",
}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (a second kind with the same name replaces the first)."""
    _REGISTRY[kind.name] = kind
    return kind


def _load(name: str) -> None:
    """Import the module of a built-in kind that is not registered yet (a kind registered under
    that name by other code stays)."""
    module = BUILTIN.get(name)
    if module is not None and name not in _REGISTRY:
        saved = {k: v for k, v in _REGISTRY.items() if k != name}
        importlib.import_module(module)
        _REGISTRY.update(saved)  # a module registering more than its own kind never replaces another's


def get_kind(name: str) -> Kind | None:
    """The kind for a ``typ:`` value, or None."""
    if name not in _REGISTRY:
        _load(name)
    return _REGISTRY.get(name)


def all_kinds() -> list[Kind]:
    """Every registered kind: the built-in ones in ``BUILTIN``'s order, then others as registered."""
    for name in BUILTIN:
        _load(name)
    return [_REGISTRY[n] for n in BUILTIN if n in _REGISTRY] + [k for n, k in _REGISTRY.items() if n not in BUILTIN]


def kind_names() -> list[str]:
    """The ``typ:`` values records may have, sorted (messages list them the same way every time)."""
    return sorted(set(_REGISTRY) | set(BUILTIN))


def kind_of(record: LoadedRecord) -> Kind:
    """The kind of a loaded record."""
    kind = get_kind(record.model.typ)
    assert kind is not None  # a record is loaded only by its kind's model
    return kind


__all__ = ["BUILTIN", "Kind", "all_kinds", "get_kind", "kind_names", "kind_of", "register"]
