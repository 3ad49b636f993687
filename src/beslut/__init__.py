"""beslut: committee decisions kept as YAML become the documents a kommun sends and archives."""
from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, CheckResult, build, check
from .errors import BeslutError, Problem, RecordError, TemplateError
from .profile import Profile, load_profile

__all__ = ["BeslutError", "BuildResult", "CheckResult", "Problem", "Profile", "RecordError", "TemplateError",
           "build", "check", "load_profile"]
