"""``beslut diff``'s engine: the records that changed between two revisions, compared as records.

Revisions as ``git diff`` takes them: none (HEAD against the work tree), one (it against the
work tree) or two. Only record files (``.yaml``/``.yml`` under the project's records folder,
not the profile) are compared; each side is read in one ``git cat-file --batch`` call.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..records import read_record
from .diff import RecordDiff, diff_record
from .git import Commit, GitError, Repo

RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class Comparison:
    """The result of one ``beslut diff``: the two sides and every record that differs."""

    old: Commit
    new: Commit | None  # None: the work tree
    records: list[RecordDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.records)

    def to_data(self) -> dict[str, Any]:
        """The JSON document (``diff.schema.json``)."""
        def side(c: Commit | None) -> dict[str, Any] | None:
            return None if c is None else {"rev": c.rev, "commit": c.sha, "author": c.author, "date": c.date}
        return {"$schema": SCHEMA_ID, "from": side(self.old), "to": side(self.new),
                "summary": {"records": len(self.records), "changes": sum(len(r.changes) for r in self.records),
                            "errors": sum(len(r.errors) for r in self.records)},
                "records": [r.to_data() for r in self.records]}


SCHEMA_ID = "https://beslut.example/schema/diff-1.json"


def parse_revisions(revs: tuple[str, ...]) -> tuple[str, str | None]:
    """``git diff``'s defaults: () → HEAD against the work tree; (A,) → A against the work tree; (A, B)."""
    if len(revs) > 2:
        raise GitError("ange högst två revisioner: beslut diff [REV_A [REV_B]] [-- SÖKVÄGAR]")
    if len(revs) == 1 and ".." in revs[0]:
        a, _, b = revs[0].partition("..")
        return a or "HEAD", b or "HEAD"
    return (revs[0] if revs else "HEAD"), (revs[1] if len(revs) == 2 else None)


def compare(repo: Repo, records_dir: Path | None, profile_file: Path | None, rev_a: str, rev_b: str | None,
            paths: list[Path] | None = None) -> Comparison:
    """Every record that differs between ``rev_a`` and ``rev_b`` (None: the work tree), limited to ``paths``."""
    old = repo.commit(rev_a)
    new = repo.commit(rev_b) if rev_b is not None else None
    wanted = [repo.relative(p) for p in paths or []]
    for p in wanted:
        if not repo.exists(old.sha, p) and not (repo.exists(new.sha, p) if new else (repo.root / p).exists()):
            side = new.rev if new else "arbetskopian"
            raise GitError(f"{p} finns varken i {old.rev} eller i {side}")
    records = _relative_dir(repo, records_dir)
    profile = _relative_file(repo, profile_file)

    def is_record(p: str | None) -> bool:
        return p is not None and p != profile and PurePosixPath(p).suffix in RECORD_SUFFIXES \
            and (records is None or p.startswith(records + "/") or records == "")

    changes = [c for c in repo.changes(old.sha, new.sha if new else None, wanted) if is_record(c.old) or is_record(c.new)]
    before = repo.read(old.sha, [c.old for c in changes if c.old])
    after = repo.read(new.sha if new else None, [c.new for c in changes if c.new])
    result = Comparison(old, new)
    jobs = [(c.old, before.get(c.old) if c.old else None, old.rev) for c in changes]
    jobs += [(c.new, after.get(c.new) if c.new else None, new.rev if new else "arbetskopian") for c in changes]
    loaded = _load_all(jobs)
    for n, c in enumerate(changes):
        (a, errors_a), (b, errors_b) = loaded[n], loaded[len(changes) + n]
        rd = diff_record(c.old, a, c.new, b)
        rd.errors = errors_a + errors_b
        if rd.changes or rd.errors or rd.status != "modified":
            result.records.append(rd)
    result.records.sort(key=lambda r: r.path)
    return result


#: From this many files on, records are parsed in worker processes (where fork exists).
PARALLEL_FROM = 200


def _load_all(jobs: list[tuple[str | None, bytes | None, str]]) -> list[tuple[Any, list[str]]]:
    """``_load`` for every (path, bytes, revision), in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_load(*job) for job in jobs]
    size = -(-len(jobs) // workers)
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(len(chunks), mp_context=multiprocessing.get_context("fork")) as pool:
        return [item for part in pool.map(_load_chunk, chunks) for item in part]


def _load_chunk(jobs: list[tuple[str | None, bytes | None, str]]) -> list[tuple[Any, list[str]]]:
    return [_load(*job) for job in jobs]


def _load(path: str | None, data: bytes | None, rev: str) -> tuple[Any, list[str]]:
    """A record's plain data at a revision and its errors (YAML and schema), each naming the revision."""
    if path is None or data is None:
        return None, []
    _record, problems, src = read_record(Path(path), data)
    return src.data, [f"{rev}:{path}:{p.line}:{p.column}: {p.field + ': ' if p.field else ''}{p.message}"
                      for p in problems if p.severity == "error"]


def _relative_dir(repo: Repo, folder: Path | None) -> str | None:
    if folder is None:
        return None
    try:
        rel = folder.resolve().relative_to(repo.root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _relative_file(repo: Repo, file: Path | None) -> str | None:
    if file is None:
        return None
    try:
        return file.resolve().relative_to(repo.root).as_posix()
    except ValueError:
        return None


__all__ = ["RECORD_SUFFIXES", "SCHEMA_ID", "Comparison", "compare", "parse_revisions"]
