"""The pipeline, top to bottom: find → load → validate → compose → render → write.

Everything is read and validated before anything is written; a record with errors is not
built and its earlier outputs stay as they were.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .compose import compose
from .document import Document
from .errors import BeslutError, Problem, RecordError
from .output import remove_stale_temporaries, write_atomic
from .profile import Profile
from .records import LoadedRecord, load_record
from .render.docx import render_docx
from .render.html import render_html
from .render.libreoffice import docx_to_pdf
from .render.pdf import render_pdf
from .validate import validate

FORMATS = ("docx", "pdf", "html")
RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class CheckResult:
    """What ``check`` found: the valid records and every problem (errors and warnings)."""

    records: list[LoadedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def errors(self, strict: bool = False) -> list[Problem]:
        """Problems that fail the check; with ``strict`` warnings count too."""
        return [p for p in self.problems if strict or p.severity == "error"]

    def invalid_paths(self, strict: bool = False) -> set[Path]:
        return {p.path for p in self.errors(strict)}


@dataclass
class BuildResult:
    """What ``build`` did: files written per action, records that failed, time taken."""

    check: CheckResult
    written: list[tuple[str, Path]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def find_records(paths: Iterable[Path]) -> list[Path]:
    """Record files among ``paths`` (folders are searched recursively), sorted, without duplicates."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.suffix in RECORD_SUFFIXES and p.is_file()
                         and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.add(path)
    return sorted(found)


def check(paths: Iterable[Path], profile: Profile) -> CheckResult:
    """Load and validate every record; collect all problems."""
    result = CheckResult()
    ids: dict[str, Path] = {}
    for path in find_records(paths):
        result.files += 1
        record, problems = load_record(path)
        result.problems.extend(problems)
        if record is None:
            continue
        if record.id in ids:
            result.problems.append(Problem(path, 1, 1, "", f"id '{record.id}' används redan av {ids[record.id]}; "
                                                          "byt filnamn (id:t namnger utfilerna)"))
            continue
        ids[record.id] = path
        domain = validate(record, profile)
        result.problems.extend(domain)
        result.records.append(record)
    return result


def render(doc: Document, formats: Iterable[str], templates: Path, record: Path,
           pdf_engine: str = "typst") -> dict[str, bytes]:
    """Render one document in each format, in memory."""
    out: dict[str, bytes] = {}
    formats = list(formats)
    if "docx" in formats or ("pdf" in formats and pdf_engine == "libreoffice"):
        out["docx"] = render_docx(doc, templates, record)
    if "html" in formats:
        out["html"] = render_html(doc, templates, record)
    if "pdf" in formats:
        out["pdf"] = render_pdf(doc, templates, record) if pdf_engine == "typst" else docx_to_pdf(out["docx"], doc.id)
    return {k: v for k, v in out.items() if k in formats}


def build(paths: Iterable[Path], profile: Profile, out_dir: Path, formats: Iterable[str] = FORMATS,
          templates: Path | None = None, pdf_engine: str = "typst", strict: bool = False,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Build every valid record among ``paths`` into ``out_dir`` as ``<id>.<format>``."""
    started = time.perf_counter()
    templates = templates or profile.root / "templates"
    result = BuildResult(check=check(paths, profile))
    invalid = result.check.invalid_paths(strict)
    remove_stale_temporaries(out_dir)
    for record in result.check.records:
        if record.path in invalid:
            result.failed.append(record.id)
            continue
        doc = compose(record, profile)
        rendered = render(doc, formats, templates, record.path, pdf_engine)
        for fmt, data in rendered.items():
            target = out_dir / f"{record.id}.{fmt}"
            result.written.append((write_atomic(target, data), target))
        if progress:
            progress(record.id)
    result.failed.extend(sorted({p.path.stem for p in result.check.errors(strict)} - set(result.failed)))
    result.seconds = time.perf_counter() - started
    return result


def require_valid(result: CheckResult, strict: bool = False) -> None:
    """Raise RecordError with every problem if any counts as an error."""
    if result.errors(strict):
        raise RecordError(result.errors(strict))


__all__ = ["BeslutError", "BuildResult", "CheckResult", "build", "check", "find_records", "render"]
