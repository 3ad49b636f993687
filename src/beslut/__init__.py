"""beslut: committee decisions kept as YAML become the documents a kommun sends and archives.

The library in a few names: ``Project.open()`` finds a project; ``produce(source, project)``
makes one record's documents in memory; ``check`` and ``build`` run over many records.

The names are imported when first used (PEP 562), so that ``import beslut`` and the start of a
command such as ``beslut check`` load only the modules they need.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "BuildResult": "build", "CheckResult": "build", "build": "build", "check": "build",
    "Document": "document",
    "BeslutError": "errors", "Problem": "errors", "RecordError": "errors", "TemplateError": "errors",
    "UsageError": "errors",
    "Kind": "kinds", "get_kind": "kinds", "register": "kinds",
    "Outcome": "produce", "produce": "produce",
    "Profile": "profile", "load_profile": "profile",
    "Options": "project", "Project": "project",
}

__all__ = ["BeslutError", "BuildResult", "CheckResult", "Document", "Kind", "Options", "Outcome", "Problem", "Profile",
           "Project", "RecordError", "TemplateError", "UsageError", "build", "check", "get_kind", "load_profile",
           "produce", "register"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .build import BuildResult, CheckResult, build, check
    from .document import Document
    from .errors import BeslutError, Problem, RecordError, TemplateError, UsageError
    from .kinds import Kind, get_kind, register
    from .produce import Outcome, produce
    from .profile import Profile, load_profile
    from .project import Options, Project


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` the first time the name is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'beslut' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


class _Package(types.ModuleType):
    """The package, where ``beslut.build`` and ``beslut.produce`` stay the functions.

    Importing a submodule sets the package attribute of its name to the module; two of the
    exported functions share their module's name, so without this ``beslut.produce`` would be the
    module once ``beslut.produce`` had been imported, instead of the function it always was.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
