"""beslut: committee decisions kept as YAML become the documents a kommun sends and archives.

The library in a few names: ``Project.open()`` finds a project; ``produce(source, project)``
makes one record's documents in memory; ``check`` and ``build`` run over many records.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, CheckResult, build, check
from .document import Document
from .errors import BeslutError, Problem, RecordError, TemplateError, UsageError
from .kinds import Kind, get_kind, register
from .produce import Outcome, produce
from .profile import Profile, load_profile
from .project import Options, Project

__all__ = ["BeslutError", "BuildResult", "CheckResult", "Document", "Kind", "Options", "Outcome", "Problem", "Profile",
           "Project", "RecordError", "TemplateError", "UsageError", "build", "check", "get_kind", "load_profile",
           "produce", "register"]
