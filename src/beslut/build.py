"""The pipeline, top to bottom: find → fingerprint → load → validate → compose → render → write.

Records whose inputs did not change since the last build are skipped without being read
(see ``manifest.py``). Everything that is rebuilt is read and validated before anything is
written; a record with errors is not built and its earlier outputs stay as they were. Rendering
runs in worker processes (``jobs``); the bytes are the same as a serial build's.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from .compose import compose
from .errors import BeslutError, ContentError, OutputError, Problem
from .lock import build_lock
from .manifest import Manifest, base_fingerprint, record_fingerprint
from .output import remove_stale_temporaries, write_atomic
from .profile import Profile
from .records import LoadedRecord, Tjansteskrivelse, load_record, schema_json
from .render import render, template_files
from .validate import validate

FORMATS = ("docx", "pdf", "html")
SCHEMA_FILE = "schema.json"
RECORD_SUFFIXES = (".yaml", ".yml")

Progress = Callable[[int, int, str], None]


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
    """What ``build`` did: files written per action, records skipped or failed, time taken."""

    check: CheckResult
    written: list[tuple[str, Path]] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
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


def _duplicate_ids(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Paths with unique ids, and a problem for each file whose id is already taken."""
    seen: dict[str, Path] = {}
    unique, problems = [], []
    for path in paths:
        if path.stem in seen:
            problems.append(Problem(path, 1, 1, "", f"id '{path.stem}' används redan av {seen[path.stem]}; "
                                                   "byt filnamn (id:t namnger utfilerna)"))
        else:
            seen[path.stem] = path
            unique.append(path)
    return unique, problems


def check(paths: Iterable[Path], profile: Profile) -> CheckResult:
    """Load and validate every record; collect all problems."""
    record_paths, problems = _duplicate_ids(find_records(paths))
    result = _check_files(record_paths, profile)
    result.problems[:0] = problems
    result.files += len(problems)
    return result


def check_record(path: Path, profile: Profile) -> tuple[LoadedRecord | None, list[Problem]]:
    """Load and validate one record: the record (None if unreadable) and all its problems."""
    record, problems = load_record(path)
    if record is not None:
        problems = problems + validate(record, profile)
    return record, problems


def _check_files(record_paths: list[Path], profile: Profile) -> CheckResult:
    result = CheckResult()
    for path in record_paths:
        result.files += 1
        record, problems = check_record(path, profile)
        result.problems.extend(problems)
        if record is not None:
            result.records.append(record)
    return result


def build(paths: Iterable[Path], profile: Profile, out_dir: Path, formats: Iterable[str] = FORMATS,
          templates: Path | None = None, pdf_engine: str = "typst", strict: bool = False,
          jobs: int | None = None, force: bool = False, progress: Progress | None = None,
          waiting: Callable[[], None] | None = None) -> BuildResult:
    """Build every changed, valid record among ``paths`` into ``out_dir`` as ``<id>.<format>``.

    Builds into the same folder take turns: ``waiting`` is called if another build holds it.
    """
    with build_lock(out_dir, waiting):
        result = _build(list(paths), profile, out_dir, formats, templates, pdf_engine, strict, jobs, force, progress)
        # the records' JSON Schema beside the outputs: record files point editors at it
        write_atomic(out_dir / SCHEMA_FILE, schema_json().encode("utf-8"))
        return result


def _build(paths: list[Path], profile: Profile, out_dir: Path, formats: Iterable[str], templates: Path | None,
           pdf_engine: str, strict: bool, jobs: int | None, force: bool, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    formats = [f for f in FORMATS if f in set(formats)]
    templates = templates or profile.root / "templates"
    record_paths, id_problems = _duplicate_ids(find_records(paths))

    # 1. what changed: fingerprints from bytes alone, no YAML read for unchanged records
    manifest = Manifest.load(out_dir) if not force else Manifest(out_dir)
    options = f"{','.join(formats)}|{pdf_engine}|strict={strict}"
    inputs = template_files(templates) + ([profile.logo] if profile.logo else [])
    base = base_fingerprint(profile.file or profile.root / "beslut.yaml", inputs, options)
    changed: list[Path] = []
    skipped: list[str] = []
    fingerprints: dict[str, str] = {}
    for path in record_paths:
        entry = manifest.entries.get(path.stem)
        fingerprint = record_fingerprint(base, path, entry.attachments if entry else [])
        fingerprints[path.stem] = fingerprint
        if manifest.is_current(path.stem, fingerprint):
            skipped.append(path.stem)
        else:
            changed.append(path)

    result = BuildResult(check=CheckResult(problems=list(id_problems), files=len(id_problems)), skipped=skipped)

    # 2. outputs of records that no longer exist go with them
    remove_stale_temporaries(out_dir)
    live = {p.stem for p in record_paths}
    for rid, entry in list(manifest.entries.items()):
        if rid not in live and not Path(entry.source).exists():
            for name in entry.outputs:
                target = out_dir / name
                if target.exists():
                    target.unlink()
                    result.removed.append(target)
            del manifest.entries[rid]

    # 3. each changed record is read, validated, composed and rendered in a worker; a record
    #    with errors is not rendered and its earlier outputs stay; the others are written
    #    atomically as they come back, in order
    total = len(changed)
    try:
        with _Workers(profile, formats, templates, pdf_engine, strict, jobs, total) as workers:
            for done, (path, outcome) in enumerate(workers.build(changed), 1):
                rid = path.stem
                result.check.files += 1
                result.check.problems.extend(outcome.problems)
                if outcome.rendered is None:
                    result.failed.append(rid)
                    manifest.entries.pop(rid, None)  # build it again next time; keep its old outputs
                else:
                    files = []
                    for fmt, data in outcome.rendered.items():
                        target = out_dir / f"{rid}.{fmt}"
                        result.written.append((write_atomic(target, data), target))
                        files.append(target)
                    fingerprint = (record_fingerprint(base, path, outcome.attachments) if outcome.attachments
                                   else fingerprints[rid])
                    manifest.record(rid, path, fingerprint, outcome.attachments, files)
                    result.built.append(rid)
                if progress:
                    progress(done, total, rid)
    finally:
        if result.built or result.removed or result.failed:
            try:
                manifest.save()
            except OutputError:
                pass  # the outputs are written; the next build just rebuilds more
    result.failed.extend(sorted({p.path.stem for p in id_problems}))
    result.seconds = time.perf_counter() - started
    return result


def _attachments(record: LoadedRecord) -> list[str]:
    model = record.model
    if isinstance(model, Tjansteskrivelse):
        return [u.bilaga for u in model.beslutsunderlag if u.bilaga]
    return []


@dataclass
class _Outcome:
    """What a worker made of one record: its problems, and its outputs unless it had errors."""

    problems: list[Problem]
    rendered: dict[str, bytes] | None = None
    attachments: list[str] = field(default_factory=list)
    error: BeslutError | None = None  # a template or engine failure (errors pickle whole)


class _Workers:
    """Where records are built: worker processes when there is more than one, else here."""

    def __init__(self, profile: Profile, formats: list[str], templates: Path, pdf_engine: str, strict: bool,
                 jobs: int | None, size: int):
        requested = jobs or os.cpu_count() or 1
        self.setup = (profile, formats, templates, pdf_engine, strict, requested > 1)
        self.jobs = min(requested, max(size, 1))
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Self:
        if self.jobs > 1:
            # forkserver, not fork: a process that already ran typst holds engine threads a fork
            # would copy in a locked state; the fork server is a clean process with beslut preloaded
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["beslut.build", "beslut.render.docx", "beslut.render.pdf",
                                            "beslut.render.html"])
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_worker_init,
                                            initargs=self.setup)
        else:
            _worker_init(*self.setup)
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def build(self, paths: list[Path]):
        """Yield (path, outcome) in input order; raise the first template or engine failure."""
        outcomes: Iterator[_Outcome]
        if self.pool is None:
            outcomes = map(_build_job, paths)
        else:
            outcomes = self.pool.map(_build_job, paths, chunksize=max(1, min(8, len(paths) // (self.jobs * 8))))
        for path, outcome in zip(paths, outcomes):
            if outcome.error:
                raise outcome.error
            yield path, outcome


_worker: dict = {}


def _worker_init(profile: Profile, formats: list[str], templates: Path, pdf_engine: str, strict: bool,
                 parallel_formats: bool) -> None:
    _worker.update(profile=profile, formats=formats, templates=templates, pdf_engine=pdf_engine, strict=strict,
                   parallel_formats=parallel_formats)


def _build_job(path: Path) -> _Outcome:
    """Read, validate, compose and render one record (in a worker process)."""
    w = _worker
    record, problems = check_record(path, w["profile"])
    if record is None or any(w["strict"] or p.severity == "error" for p in problems):
        return _Outcome(problems)
    try:
        doc = compose(record, w["profile"])
        rendered = render(doc, w["formats"], w["templates"], pdf_engine=w["pdf_engine"],
                          parallel=w["parallel_formats"], source=path)
    except ContentError as exc:  # this record's text, not the templates: only this record fails
        return _Outcome(problems + [exc.problem])
    except BeslutError as exc:
        return _Outcome(problems, error=exc)
    return _Outcome(problems, rendered, _attachments(record))


__all__ = ["BeslutError", "BuildResult", "CheckResult", "build", "check", "find_records", "render"]
