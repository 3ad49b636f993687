"""``produce``: one record in, its problems and its documents out — nothing written.

Every capability is a client of this function: ``build`` produces all changed records and then
writes them, a meeting packet produces the records it holds, a redline produces a record at a
Git revision (``source=(path, bytes)``), ``serve`` produces on every save. It reads only the
record (or takes its bytes) and its attachments' bytes (to fingerprint them), and keeps no state.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, Problem
from .kinds import kind_of
from .kinds.common import attachment_path
from .manifest import stat_of
from .project import Project
from .records import LoadedRecord, read_record, record_id
from .validate import validate, validate_raw

if TYPE_CHECKING:
    from .document import Document

Source = Path | tuple[Path, bytes]
"""A record file, or a record's path with its bytes (as at a Git revision)."""


@dataclass
class Outcome:
    """What became of one record: its problems and, unless it has errors, its documents."""

    id: str
    path: Path
    problems: list[Problem] = field(default_factory=list)
    documents: dict[str, bytes] = field(default_factory=dict)
    """Format → bytes; empty when the record has errors (or with --strict, warnings)."""
    document: Document | None = None
    """The format-neutral document (None if the record did not compose)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """What was read, as ``{path: sha256}``: the record's own bytes under "", attachments by name."""
    stats: dict[str, list[int]] = field(default_factory=dict)
    """Each attachment's [size, mtime_ns] taken before it was read (a later edit shows as a change)."""
    attachments: dict[str, Path] = field(default_factory=dict)
    """Files to copy beside the documents: output name → the bilaga (numbered, linked from the documents)."""
    package: dict[str, bytes] = field(default_factory=dict)
    """A packaging kind's files (a meeting's packet), by path relative to ``<output>/<id>/``."""
    screened: list[str] = field(default_factory=list)
    """A packaging kind's content keys found clean of personnummer (see ``produce``'s ``screened``)."""
    ok: bool = False
    """Whether documents (or a package) were made."""


def check_source(source: Source, project: Project) -> tuple[LoadedRecord | None, list[Problem], bytes | None]:
    """Load and validate one record: the record (None if not valid), all problems, the bytes read."""
    path, data = (source, None) if isinstance(source, Path) else source
    record, problems, src = read_record(path, data)
    raw = record.source.raw if record is not None else None
    if record is not None:
        problems = problems + validate(record, project.profile)
    elif src.data is not None:  # refused by the schema: what can be checked without a model is reported too
        known = {(p.line, p.field, p.message) for p in problems}
        problems = problems + [p for p in validate_raw(src, project.profile) if (p.line, p.field, p.message) not in known]
    return record, problems, raw


def produce(source: Source, project: Project, *, parallel: bool = False,
            prebuilt: dict[str, dict[str, bytes]] | None = None, screened: frozenset[str] = frozenset()) -> Outcome:
    """Read, check, compose and render one record in every format of ``project.options``.

    A record with errors (or warnings, with ``strict``) gets no documents; a character a
    format cannot hold becomes a problem of this record only. A broken template or a failing
    engine raises ``TemplateError`` / ``EngineError``: it concerns every record. With
    ``parallel``, typst lays out the PDF in a thread while DOCX and HTML are made. A kind that
    packages other records (a meeting) takes their PDF and HTML from ``prebuilt`` (record id →
    format → bytes) where given, instead of rendering them again, and does not read again the
    records and bilagor whose content keys are in ``screened`` (``Outcome.screened`` of its last
    build: found clean of personnummer then).
    """
    from .compose import compose
    from .render import render

    path = source if isinstance(source, Path) else source[0]
    outcome = Outcome(record_id(path), path)
    from .meetings.agenda import PRODUCED

    token = PRODUCED.set(frozenset(prebuilt or ()))  # records produced in this build: checked already
    try:
        record, problems, raw = check_source(source, project)
    finally:
        PRODUCED.reset(token)
    outcome.problems = problems
    if raw is not None:
        outcome.inputs[""] = hashlib.sha256(raw).hexdigest()
    if record is None or any(project.options.strict or p.severity == "error" for p in problems):
        return outcome
    for name in record.model.bilagor():
        outcome.stats[name] = stat_of(attachment_path(path, name)) or [0, 0]
        outcome.inputs[name] = file_digest(attachment_path(path, name))
    kind = kind_of(record)
    try:
        if kind.package is not None:  # a meeting: its packet, both editions, instead of one document
            packaged = kind.package(record, project, prebuilt or {}, screened=screened)
            outcome.package = packaged.files
            outcome.screened = list(getattr(packaged, "screened", []))
            outcome.problems = problems + [Problem(path, 1, 1, "", line, "warning") for line in packaged.report]
            outcome.problems += [Problem(path, 1, 1, "", line) for line in getattr(packaged, "errors", [])]
            for file in packaged.inputs:
                name = os.path.relpath(file, path.parent)
                outcome.stats[name] = stat_of(file) or [0, 0]
                outcome.inputs[name] = file_digest(file)
            outcome.ok = not getattr(packaged, "errors", [])
            return outcome
        document = compose(record, project.profile)
        outcome.document = document
        outcome.attachments = {b.output: attachment_path(path, b.source) for b in document.bilagor}
        options = project.options
        outcome.documents = render(document, options.formats, project.templates, pdf_engine=options.pdf_engine,
                                   parallel=parallel, source=path)
        outcome.ok = True
    except ContentError as exc:  # this record's text, not the templates: only this record fails
        outcome.problems = problems + [exc.problem]
    return outcome


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks (attachments are checked as regular files of bounded size first)."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["Outcome", "Source", "check_source", "file_digest", "produce"]
