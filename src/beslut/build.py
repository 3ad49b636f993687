"""The build, top to bottom: plan → produce all → write all → save the manifest.

1. **Plan**: which records changed (fingerprints from bytes alone: an unchanged record is not
   even parsed) and which outputs belong to records that are gone.
2. **Produce** every changed record (``produce``), in worker processes; nothing is written yet.
   A broken template stops the build here, before any file is touched.
3. **Write** the documents atomically, remove outputs of deleted records, never touch a signed PDF.
4. **Save** the manifest: what was built from which bytes.

A record with errors is not built and its earlier outputs stay as they were.
"""
from __future__ import annotations

import os
import re
import select
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Self

from .errors import Problem
from .lock import build_lock
from .manifest import Manifest, base_fingerprint, is_signed, record_digest
from .output import Staged, commit, copy_atomic, discard, remove_stale_temporaries, stage, write_atomic, write_tree_atomic
from .produce import Outcome, check_source, produce
from .profile import profile_schema_json
from .project import Project
from .records import LoadedRecord, record_id, schema_json
from .shard import Shard
from .yamlsource import MAX_BYTES, read_bounded

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

SCHEMA_FILE = "schema.json"
PROFILE_SCHEMA_FILE = "profile.schema.json"

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

    def summary(self, strict: bool = False) -> str:
        """The closing line ``beslut check`` prints: "3 poster kontrollerade: 1 fel, 2 varningar"."""
        errors = len(self.errors(strict))
        text = f"{self.files} poster kontrollerade: {errors} fel"
        if len(self.problems) > errors:
            text += f", {len(self.problems) - errors} varningar"
        return text


@dataclass
class BuildResult:
    """What ``build`` did: files written per action, records skipped or failed, time taken."""

    check: CheckResult
    written: list[tuple[str, Path]] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Signed PDFs left as they are although their record changed."""
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def unique_records(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Paths with unique ids, and a problem for each file whose id is taken (also when the ids
    differ only in case: on macOS and Windows they would be one output file)."""
    seen: dict[str, Path] = {}
    unique, problems = [], []
    for path in paths:
        rid = record_id(path)
        other = seen.get(rid.casefold())
        if other is not None:
            same = "" if record_id(other) == rid else " (bara skiftläget skiljer; på macOS och Windows blir det samma fil)"
            problems.append(Problem(path, 1, 1, "", f"id '{rid}' används redan av {other}{same}; "
                                                   "byt filnamn (id:t namnger utfilerna)"))
        else:
            seen[rid.casefold()] = path
            unique.append(path)
    return unique, problems


#: From this many records a check runs in worker processes (fewer are done before workers start).
PARALLEL_CHECK = 300
_CHECK_CHUNK = 50


def check(project: Project, paths: Iterable[Path] | None = None, *, jobs: int | None = None,
          records: bool = True) -> CheckResult:
    """Load and validate every record among ``paths`` (default the records folder); collect all problems.

    Many records (``PARALLEL_CHECK`` or more) are checked in ``jobs`` worker processes (default:
    one per core); the result is the same, in the same order. With ``records=False`` the result's
    ``records`` holds only those the checks across records need (meetings, and records with a
    signed copy in the output folder): the workers then send back little more than the problems,
    which are the same. ``beslut check`` asks for no records.
    """
    record_paths, problems = unique_records(project.find_records(list(paths) if paths else None))
    result = CheckResult(problems=problems, files=len(problems))
    for record, found in _check_each(project, record_paths, jobs, records):
        result.files += 1
        result.problems.extend(found)
        if record is not None:
            result.records.append(record)
    result.problems.extend(_across_records(result.records))
    result.problems.extend(_template_overrides(project))
    result.problems.extend(_signed_changed(project, result.records))
    return result


def _check_each(project: Project, paths: list[Path], jobs: int | None, keep: bool = True,
                ) -> Iterator[tuple[LoadedRecord | None, list[Problem]]]:
    """(record, problems) per path, in order: here, or in worker processes when there are many.
    Without ``keep``, a record comes back only if a check across records needs it (else None)."""
    workers = min(jobs or os.cpu_count() or 1, len(paths) // _CHECK_CHUNK)
    if len(paths) < PARALLEL_CHECK or workers < 2:
        yield from _checked(project, paths, None if keep else _Needed(project, with_manifest=len(paths) >= _CHECK_CHUNK))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = _start_method()  # fork is the fast start (nothing is imported again) where it is safe
    chunks = [paths[i:i + _CHECK_CHUNK] for i in range(0, len(paths), _CHECK_CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=_worker_init, initargs=(project, False, os.getpid())) as pool:
        for done in pool.map(_check_job, chunks, repeat(keep)):
            yield from done


class _Needed:
    """Whether a checked record is needed by the checks across records: a meeting (an ärende on two
    agendas) or a record with a signed copy (changed since signing). The output folder is listed
    once, not once per record. ``with_manifest``: read the build manifest to know which ``<id>.pdf``
    are as built (not signed) without reading them; for a few records reading their PDFs is less
    than parsing the manifest of a large project (some 25 µs an entry)."""

    def __init__(self, project: Project, with_manifest: bool = True) -> None:
        from .manifest import Manifest
        from .signing.stale import copies_by_id

        self.project = project
        self.built = project.output.is_dir()
        self.manifest = Manifest.load(project.output) if self.built and with_manifest else None
        self.copies = copies_by_id(project.output) if self.built else {}

    def __call__(self, record: LoadedRecord | None) -> bool:
        if record is None:
            return False
        if record.model.typ == "sammanträde":
            return True
        if not self.built:
            return False
        from .signing.stale import signed_copies

        return bool(signed_copies(self.project.output, record.id, self.manifest, self.copies))


def _checked(project: Project, paths: list[Path], needed: _Needed | None) -> list[tuple[LoadedRecord | None,
                                                                                         list[Problem]]]:
    """(record, problems) per path; the record only if ``needed`` wants it (all without ``needed``)."""
    out: list[tuple[LoadedRecord | None, list[Problem]]] = []
    for path in paths:
        record, found, _ = check_source(path, project)
        out.append((record if needed is None or needed(record) else None, found))
    return out


def _check_job(paths: list[Path], keep: bool = True) -> list[tuple[LoadedRecord | None, list[Problem]]]:
    project: Project = _job["project"]  # type: ignore[assignment]
    if not keep and "needed" not in _job:  # once per worker
        _job["needed"] = _Needed(project)
    return _checked(project, paths, None if keep else _job["needed"])  # type: ignore[arg-type]


def _signed_changed(project: Project, records: list[LoadedRecord]) -> list[Problem]:
    """Warnings for signed PDFs whose record (or profile, templates) changed after signing."""
    from .signing.stale import stale_signatures

    return stale_signatures(project, records)


def _template_overrides(project: Project) -> list[Problem]:
    """Warnings for a project template written for an older beslut (it lacks fields the packaged one uses)."""
    from .render import check_overrides

    return [Problem(project.templates, 1, 1, "", message, "warning") for message in check_overrides(project.templates)]


def _across_records(records: list[LoadedRecord]) -> list[Problem]:
    """Rules no single record can check: an ärende on the agendas of two meetings."""
    meetings = [r for r in records if r.model.typ == "sammanträde"]
    if len(meetings) < 2:
        return []  # (and without meetings, their code is never imported)
    from .meetings import shared_records

    return shared_records(meetings)


@dataclass
class Plan:
    """What a build will do before it does anything."""

    changed: list[Path]
    skipped: list[str]
    gone: list[str]
    """Ids of records in the build's scope whose source file no longer exists."""
    base: str
    problems: list[Problem]


def plan(project: Project, manifest: Manifest, paths: list[Path] | None, force: bool,
         shard: Shard | None = None) -> Plan:
    """Which records to build and which outputs to remove (nothing is read but bytes and stats);
    with ``shard`` only the records of that part (by id), and only their outputs are removed."""
    record_paths, problems = unique_records(project.find_records(paths))
    if shard is not None:
        record_paths = [p for p in record_paths if shard.holds(record_id(p))]
        problems = [p for p in problems if shard.holds(record_id(p.path))]
    base = base_fingerprint(project.profile.file or project.root / "beslut.yaml", _shared_inputs(project),
                            project.options.key())
    changed, skipped = [], []
    for path in record_paths:
        rid = record_id(path)
        sha = record_digest(path, MAX_BYTES)
        if not force and manifest.is_current(rid, base, sha, path.parent):
            skipped.append(rid)
        else:
            changed.append(path)
    live = {record_id(p) for p in record_paths} | {record_id(p.path) for p in problems}
    scope = [p.resolve() for p in (paths or [project.records])]
    gone = []
    for rid, entry in manifest.entries.items():
        source = project.root / entry.source
        if rid in live or source.exists() or source.is_symlink() or (shard is not None and not shard.holds(rid)):
            continue
        # only records this build was asked about: `beslut build decisions/a.yaml` never removes b's outputs
        if any(source.resolve() == s or source.resolve().is_relative_to(s) for s in scope):
            gone.append(rid)
    return Plan(changed, skipped, gone, base, problems)


def _shared_inputs(project: Project) -> list[tuple[str, Path]]:
    """Files every record's outputs depend on: every template (included ones too) and the logo."""
    from .render import template_files

    files = [(f"templates/{p.relative_to(project.templates).as_posix()}", p) for p in template_files(project.templates)]
    if project.profile.logo:
        files.append(("logotyp", project.profile.logo))
    return files


def build(project: Project, paths: Iterable[Path] | None = None, *, jobs: int | None = None, force: bool = False,
          progress: Progress | None = None, waiting: Callable[[], None] | None = None,
          shard: Shard | None = None) -> BuildResult:
    """Build every changed, valid record among ``paths`` (default all records) into the project's
    output folder as ``<id>.<format>``; with ``shard`` only that part of them (see ``beslut.shard``).

    Builds into the same folder take turns: ``waiting`` is called if another build holds it.
    """
    started = time.perf_counter()
    out = project.output
    with build_lock(out, waiting):
        remove_stale_temporaries(out)
        manifest = Manifest.load(out)
        todo = plan(project, manifest, list(paths) if paths else None, force, shard)
        result = BuildResult(check=CheckResult(problems=list(todo.problems), files=len(todo.problems)),
                             skipped=todo.skipped)
        if manifest.warning:
            result.warnings.append(manifest.warning)
        # each record's documents are staged (hidden temporaries) as they arrive, while the
        # workers make the next ones; only when all are made are they renamed into place
        staged: dict[str, list[tuple[Path, Staged | None]]] = {}

        def stage_outcome(outcome: Outcome) -> None:
            if outcome.ok:
                staged[outcome.id] = _stage(outcome, out)

        try:
            # what the last build of each meeting found clean of personnummer is not read again
            # (not with --force, which does everything again)
            screened = {} if force else {rid: manifest.screened(rid, todo.base)
                                         for rid, entry in manifest.entries.items() if entry.screened}
            outcomes = produce_all(project, todo.changed, jobs, progress, skipped=todo.skipped,
                                   on_outcome=stage_outcome, screened=screened)
            for outcome in outcomes:
                result.check.files += 1
                result.check.problems.extend(outcome.problems)
                source = project.relative(outcome.path)
                if not outcome.ok:
                    result.failed.append(outcome.id)
                    manifest.failed(outcome.id, source)
                    continue
                files = _write(outcome, out, result, staged.pop(outcome.id, None))
                manifest.record(outcome.id, source, todo.base, outcome.inputs, outcome.stats, files, outcome.screened)
                result.built.append(outcome.id)
            for rid in todo.gone:
                _remove(manifest, rid, out, result)
        finally:
            for items in staged.values():  # a failed build: what was staged goes, nothing else changed
                for _, item in items:
                    if item is not None:
                        discard(item)
            if result.built or result.removed or result.failed:
                manifest.save()
        # the JSON Schemas beside the outputs: record files and the profile point editors at them.
        # Made again only when what they are made from (beslut, the profile) changed or a file was
        # touched: making them is a sixth of a build with nothing to do.
        schemas = [SCHEMA_FILE, PROFILE_SCHEMA_FILE]
        if not manifest.schemas_current(todo.base, schemas):
            write_atomic(out / SCHEMA_FILE, schema_json(project.profile).encode("utf-8"))
            write_atomic(out / PROFILE_SCHEMA_FILE, profile_schema_json().encode("utf-8"))
            manifest.note_schemas(todo.base, schemas)
            manifest.save()
    result.failed.extend(sorted({record_id(p.path) for p in todo.problems}))
    result.seconds = time.perf_counter() - started
    return result


def _stage(outcome: Outcome, out: Path) -> list[tuple[Path, Staged | None]]:
    """Stage one record's documents beside their places (None: a signed PDF that is kept)."""
    items: list[tuple[Path, Staged | None]] = []
    try:
        for fmt, data in outcome.documents.items():
            target = out / f"{outcome.id}.{fmt}"
            if is_signed(target) and target.read_bytes() != data:
                items.append((target, None))
            else:
                items.append((target, stage(target, data)))
    except BaseException:
        for _, item in items:
            if item is not None:
                discard(item)
        raise
    return items


def _write(outcome: Outcome, out: Path, result: BuildResult,
           staged: list[tuple[Path, Staged | None]] | None = None) -> list[Path]:
    """Write one record's documents (staged already, or now); a signed PDF is never overwritten."""
    files = []
    for target, item in staged if staged is not None else _stage(outcome, out):
        if item is None:
            result.kept.append(target)
            result.warnings.append(f"{target}: är signerad och skrivs inte över; flytta den för att bygga en ny")
            continue
        result.written.append((commit(item), target))
        files.append(target)
    for name, source in outcome.attachments.items():
        target = out / name
        result.written.append((copy_atomic(source, target), target))
        files.append(target)
    if outcome.package:
        target = out / outcome.id
        result.written.append((write_tree_atomic(target, outcome.package), target))
        files.append(target)
    return files


def _remove(manifest: Manifest, rid: str, out: Path, result: BuildResult) -> None:
    """Remove the outputs of a record that no longer exists (only names the manifest vouches for);
    a signed PDF is kept (a signature is never lost)."""
    for name in manifest.entries[rid].outputs:
        target = out / name
        if target.is_symlink():
            continue
        if is_signed(target):
            result.kept.append(target)
            result.warnings.append(f"{target}: är signerad och tas inte bort fast posten är borta")
            continue
        if target.is_file():
            target.unlink()
            result.removed.append(target)
        elif target.is_dir():  # a meeting's packet folder
            shutil.rmtree(target)
            result.removed.append(target)
    del manifest.entries[rid]


def produce_all(project: Project, paths: list[Path], jobs: int | None, progress: Progress | None,
                skipped: list[str] | None = None,
                on_outcome: Callable[[Outcome], None] | None = None,
                screened: dict[str, frozenset[str]] | None = None) -> list[Outcome]:
    """Produce every record in worker processes (or here, with one job); outcomes in input order.
    ``on_outcome`` is called here with each outcome as it arrives (while the rest are made).

    Once ``on_outcome`` has had an outcome, its documents are dropped unless a meeting in ``paths``
    may name the record (its id is in the meeting's file), so a large build does not hold every
    document in memory.

    Records are produced first, then the kinds that package other records (a meeting's packet):
    they get the records' PDF and HTML made in this build, or already in the output folder for
    records the build skipped, instead of rendering every ärende again, and (``screened``, by
    record id) what their last build found clean of personnummer.
    """
    meetings: dict[Path, bytes] = {}  # each read once: whether it packages others, and its agenda
    for path in paths:
        data = _read(path)
        if _PACKAGING.search(data):
            meetings[path] = data
    packaging = list(meetings)
    first = [p for p in paths if p not in meetings]
    agendas = list(meetings.values())
    done: dict[Path, Outcome] = {}
    # the phases run one after the other: more workers than the larger phase has records only
    # cost start-up time (one record and its meeting are made here, without a pool)
    with _Workers(project, jobs, max(len(first), len(packaging))) as workers:
        for outcome in workers.produce(first):
            done[outcome.path] = outcome
            if on_outcome:
                on_outcome(outcome)
                if not any(outcome.id.encode() in agenda for agenda in agendas):
                    # handed over and no meeting names it: the build's memory stays flat however many records
                    outcome.documents = {}
            if progress:
                progress(len(done), len(paths), outcome.id)
        if packaging:
            prebuilt = _prebuilt(project, [o for o in done.values() if o.ok], skipped or [])
            known = [(screened or {}).get(record_id(p), frozenset()) for p in packaging]
            for outcome in workers.produce(packaging, prebuilt, known):
                done[outcome.path] = outcome
                if on_outcome:
                    on_outcome(outcome)
                if progress:
                    progress(len(done), len(paths), outcome.id)
    return [done[p] for p in paths]


#: A record of a kind that packages other records (a meeting), read from its bytes, not parsed.
_PACKAGING = re.compile(r"^typ:[ \t]*[\"']?sammanträde[\"']?[ \t]*(#.*)?$".encode(), re.MULTILINE)


def _read(path: Path) -> bytes:
    """A record's bytes (nothing if it is no regular file of a record's size: produce says why)."""
    return read_bounded(path) or b""


def _prebuilt(project: Project, outcomes: list[Outcome], skipped: list[str]) -> dict[str, dict[str, bytes]]:
    """PDF and HTML of records by id: made in this build, or unchanged in the output folder."""
    wanted = ("pdf", "html")
    if project.options.pdf_engine != "typst" or not set(wanted) <= set(project.options.formats):
        return {}  # the packet's documents are typst PDFs and HTML: without both, packets render their own
    found = {o.id: {f: o.documents[f] for f in wanted} for o in outcomes if set(wanted) <= set(o.documents)}
    for rid in skipped:
        try:
            found.setdefault(rid, {f: (project.output / f"{rid}.{f}").read_bytes() for f in wanted})
        except OSError:
            continue
    return found


def _start_method() -> str:
    """fork when it is safe, else a fork server (spawn where there is none, as on Windows).

    A process that ran typst (its native thread pool) or has other threads would hand a forked
    worker locks held by threads that do not exist there; a fork server is a clean process with
    beslut preloaded. The ``beslut`` command has neither when it builds, and fork starts the
    workers without importing anything again (0.3 s sooner on 2 cores). Only on Linux: macOS's
    system libraries are not fork-safe (Python itself stopped forking there).
    """
    import multiprocessing
    import sys
    import threading

    clean = threading.active_count() == 1 and "typst" not in sys.modules
    if clean and sys.platform.startswith("linux"):  # macOS's system libraries are not safe to fork
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class _Workers:
    """Where records are produced: worker processes when there is more than one job, else here."""

    def __init__(self, project: Project, jobs: int | None, size: int):
        requested = jobs or os.cpu_count() or 1
        self.project = project
        self.jobs = min(requested, max(size, 1))
        # typst in a thread of its own only when cores would otherwise idle (fewer records than
        # cores: one changed record uses two); with a worker per core the extra thread only
        # contends with the other workers (500 records on 2 cores: 10.9 s with it, 9.2 s without)
        self.parallel_formats = requested > self.jobs
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Self:
        if self.jobs > 1:
            import multiprocessing  # here, not at the top: check and one-record builds start faster
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context(_start_method())
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(["beslut.build", "beslut.render.docx", "beslut.render.pdf",
                                                "beslut.render.html"])
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_worker_init,
                                            initargs=(self.project, self.parallel_formats, os.getpid()))
        else:
            _worker_init(self.project, self.parallel_formats, None)
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def produce(self, paths: list[Path], prebuilt: dict[str, dict[str, bytes]] | None = None,
                screened: list[frozenset[str]] | None = None) -> Iterator[Outcome]:
        """Yield outcomes in input order; a template or engine failure is raised as itself.
        ``screened`` holds each path's content keys known clean of personnummer."""
        extra = repeat(prebuilt)
        known = screened if screened is not None else repeat(frozenset())
        if self.pool is None:
            return map(_produce_job, paths, extra, known)
        # chunks of at most 4: at the end one worker waits for at most 4 records of the other's
        return self.pool.map(_produce_job, paths, extra, known,
                             chunksize=max(1, min(4, len(paths) // (self.jobs * 8))))


_job: dict[str, object] = {}


def _worker_init(project: Project, parallel_formats: bool, parent: int | None) -> None:
    _job["project"], _job["parallel"] = project, parallel_formats
    _job.pop("needed", None)  # a forked worker inherits the parent's: it is this project's to make
    if parent is not None:
        # Ctrl-C is the parent's to handle: it cancels the pool, workers need no traceback of their own
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with(parent)
        from .render import jail

        jail.freeze()  # a worker lives for one build, whose templates were fingerprinted before it began


def _die_with(parent: int) -> None:
    """End this worker as soon as the build process ends, even by SIGKILL (a pool would otherwise
    wait for work for ever). A pidfd becomes readable when the process exits."""
    try:
        fd = os.pidfd_open(parent)
    except (OSError, AttributeError):  # pragma: no cover - kernels before 5.3: poll instead
        fd = None

    def watch() -> None:
        while True:
            if fd is not None:
                select.select([fd], [], [])
                os._exit(1)
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="beslut-watch-parent", daemon=True).start()
    if fd is None:
        return
    try:  # the parent may have died before the watch began
        os.kill(parent, 0)
    except ProcessLookupError:
        os._exit(1)


def _produce_job(path: Path, prebuilt: dict[str, dict[str, bytes]] | None = None,
                 screened: frozenset[str] = frozenset()) -> Outcome:
    outcome = produce(path, _job["project"], parallel=bool(_job["parallel"]),  # type: ignore[arg-type]
                      prebuilt=prebuilt, screened=screened)
    outcome.document = None  # the parent needs bytes, not the model: less to send back
    return outcome


__all__ = ["BuildResult", "CheckResult", "Plan", "build", "check", "plan", "produce_all", "unique_records"]
