"""One error family: every error knows where it happened, how to put it right and its exit code.

Each error builds its own message from what it carries, and pickles with the same arguments it
was made with, so an error raised in a worker process arrives in the parent unchanged. The CLI
maps an error to its exit code in one place: ``exc.exit_code``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Exit codes, as the README documents them.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_TEMPLATE, EXIT_OUTPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4, 70


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

    exit_code = EXIT_INVALID

    def __init__(self, *args: Any):
        self._args = args
        super().__init__(self._message(*args))

    def _message(self, *args: Any) -> str:
        return " ".join(str(a) for a in args)

    def __reduce__(self):
        return (self.__class__, self._args)


class RecordError(BeslutError):
    """A record or profile has problems; carries all of them, not only the first."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(problems)

    def _message(self, problems: list[Problem]) -> str:  # type: ignore[override]
        return "\n".join(p.format() for p in problems)


class UsageError(BeslutError):
    """The command was asked for something that cannot be: an unknown format, no profile found."""

    exit_code = EXIT_USAGE


class TemplateError(BeslutError):
    """A template is missing, broken or refers to something that does not exist."""

    exit_code = EXIT_TEMPLATE

    def __init__(self, template: Path | str, message: str, record: Path | None = None, line: int | None = None):
        self.template = template
        self.line = line
        super().__init__(template, message, record, line)

    def _message(self, template: Path | str, message: str, record: Path | None = None,  # type: ignore[override]
                 line: int | None = None) -> str:
        where = f"{template}:{line}" if line else f"{template}"
        extra = f" (vid rendering av {record})" if record else ""
        return f"{where}: mallfel: {message}{extra}"


class OutputError(BeslutError):
    """An output could not be written (folder missing, read-only, disk full)."""

    exit_code = EXIT_OUTPUT


class ContentError(BeslutError):
    """A record's text cannot be put into one format (a character no PDF font can show)."""

    exit_code = EXIT_INVALID

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem)

    def _message(self, problem: Problem) -> str:  # type: ignore[override]
        return problem.format()


class EngineError(BeslutError):
    """An output engine (typst, LibreOffice) failed on input that passed validation."""

    exit_code = EXIT_TEMPLATE


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
