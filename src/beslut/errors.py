"""One error family: every error knows where it happened and how to put it right."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One finding in a record or profile: where it is, which field, what is wrong."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        where = f"{_shown(self.path)}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        tag = "" if self.severity == "error" else " varning:"
        return f"{where}:{tag}{field} {self.message}"


class BeslutError(Exception):
    """Base of every error beslut reports to a user (never shown as a traceback)."""

    exit_code = 1


class RecordError(BeslutError):
    """A record or profile has problems; carries all of them, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class TemplateError(BeslutError):
    """A template is missing, broken or refers to something that does not exist."""

    def __init__(self, template: Path | str, message: str, record: Path | None = None, line: int | None = None):
        self.template = template
        where = f"{template}:{line}" if line else f"{template}"
        extra = f" (vid rendering av {record})" if record else ""
        super().__init__(f"{where}: mallfel: {message}{extra}")


class OutputError(BeslutError):
    """An output could not be written (folder missing, read-only, disk full)."""


class ContentError(BeslutError):
    """A record's text cannot be put into one format (a character no PDF font can show)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class EngineError(BeslutError):
    """An output engine (typst, LibreOffice) failed on input that passed validation."""


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
