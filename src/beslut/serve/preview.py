"""The live preview's state: every record rendered on demand, in memory, and made again when its
sources change.

Nothing here touches ``build/``: renderings live in memory, keyed by record id, so the server can
only ever hand out what ``produce`` made (no path from a URL reaches the file system). A record
is made again when its bytes differ from the ones it was made from, or when the watcher says a
file it may depend on changed (a bilaga, a template, the profile). The last good rendering of a
record that no longer validates is kept so the page can offer it.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import BeslutError, Problem
from ..produce import Outcome, produce
from ..project import Project

#: Files besides records, profile and templates whose change may alter a rendering.
ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".png", ".jpg", ".jpeg"})


@dataclass(frozen=True)
class Rendering:
    """One record as the preview shows it: what ``produce`` made from these bytes."""

    id: str
    path: Path
    digest: str
    outcome: Outcome

    @property
    def ok(self) -> bool:
        return self.outcome.ok

    @property
    def problems(self) -> list[Problem]:
        return self.outcome.problems

    def file(self, name: str) -> bytes | None:
        """A file of this rendering by name: "<id>.html|pdf|docx", a bilaga copy, or a packet file."""
        outcome = self.outcome
        for fmt, data in outcome.documents.items():
            if name == f"{self.id}.{fmt}":
                return data
        if name in outcome.attachments:  # a bilaga: checked inside the project by produce
            try:
                return outcome.attachments[name].read_bytes()
            except OSError:
                return None
        return outcome.package.get(f"intern/{name}")


class Preview:
    """Renderings of a project's records, made lazily and invalidated by changes."""

    def __init__(self, root: Path, profile: Path | None = None):
        self._root = root
        self._profile = profile
        self._lock = threading.RLock()
        self._renderings: dict[str, Rendering] = {}
        self._good: dict[str, Rendering] = {}
        self._stale: set[str] = set()
        self._changed = threading.Condition()
        self.generation = 0
        self.changes: list[tuple[int, frozenset[str]]] = []  # (generation, ids or {"*"})
        self.project = self._open()
        self.error: str | None = None
        self._shared: tuple | None = None

    def _open(self) -> Project:
        project = Project.open(self._root, profile=self._profile)
        return project.with_options(formats=("docx", "pdf", "html"), strict=False)

    def _profile_file(self) -> Path:
        from ..profile import PROFILE_FILE

        return (self._profile or self.project.root / PROFILE_FILE).resolve()

    def records(self) -> dict[str, Path]:
        """Every record and meeting of the project by id."""
        return self.project.record_index()

    def rendering(self, rid: str) -> Rendering | None:
        """The current rendering of a record (made now if its bytes changed), or None for an unknown id."""
        path = self.records().get(rid)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._check_shared()
            current = self._renderings.get(rid)
            if current is not None and current.digest == digest and rid not in self._stale \
                    and self._attachments_unchanged(current):
                return current
            outcome = produce((path, data), self.project)
            made = Rendering(rid, path, digest, outcome)
            self._renderings[rid] = made
            self._stale.discard(rid)
            if made.ok:
                self._good[rid] = made
            return made

    def _shared_stamp(self) -> tuple:
        """Size and time of what every rendering depends on: the profile, its logo, every template."""
        from ..manifest import stat_of
        from ..render import template_files

        files = [self._profile_file(), *template_files(self.project.templates)]
        if self.project.profile.logo:
            files.append(self.project.profile.logo)
        return tuple((str(f), tuple(stat_of(f) or ())) for f in files)

    def _check_shared(self) -> None:
        """Open the project again when the profile, logo or a template changed since the last look
        (the watcher says so too; this holds even before its first event arrives)."""
        stamp = self._shared_stamp()
        if self._shared is not None and stamp != self._shared:
            try:
                self.project = self._open()
                self.error = None
            except BeslutError as exc:
                self.error = str(exc)
            self._stale.update(self._renderings)
            stamp = self._shared_stamp()
        self._shared = stamp

    @staticmethod
    def _attachments_unchanged(rendering: Rendering) -> bool:
        from ..kinds.common import attachment_path
        from ..manifest import stat_of

        return all(stat_of(attachment_path(rendering.path, name)) == list(st)
                   for name, st in rendering.outcome.stats.items())

    def last_good(self, rid: str) -> Rendering | None:
        """The last rendering of the record that had no errors."""
        with self._lock:
            return self._good.get(rid)

    def invalidate(self, paths: set[Path]) -> frozenset[str]:
        """Forget what changed files may affect; returns the ids concerned ({"*"} for all) and tells
        every waiting page."""
        records = {p.resolve(): rid for rid, p in self.records().items()}
        project = self.project
        ids: set[str] = set()
        everything = False
        for path in paths:
            resolved = path.resolve()
            if resolved in records:
                ids.add(records[resolved])
            elif resolved == self._profile_file() or resolved.is_relative_to(project.templates.resolve()):
                everything = True  # the profile (the project is opened again) or a template
            elif resolved.suffix in (".yaml", ".yml") and resolved.is_relative_to(project.records.resolve()):
                everything = True  # a record added or removed: the index changes
            elif resolved.suffix.lower() in ATTACHMENT_SUFFIXES:
                everything = True  # a bilaga or the logo: any record may use it
            # anything else (an editor's swap or backup file, a temporary file) concerns no record
        with self._lock:
            if everything:
                try:
                    self.project = self._open()
                    self.error = None
                except BeslutError as exc:  # a broken profile: keep the old one, say so on every page
                    self.error = str(exc)
                self._stale.update(self._renderings)
                ids = {"*"}
            else:
                self._stale.update(ids)
        found = frozenset(ids)
        if found:
            self.notify(found)
        return found

    def notify(self, ids: frozenset[str]) -> None:
        with self._changed:
            self.generation += 1
            self.changes.append((self.generation, ids))
            del self.changes[:-100]
            self._changed.notify_all()

    def wait(self, generation: int, timeout: float) -> tuple[int, frozenset[str]]:
        """Block until a change after ``generation`` (or the timeout); returns the newest generation
        and the ids changed since."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation > generation, timeout)
            ids: set[str] = set()
            for gen, changed in self.changes:
                if gen > generation:
                    ids |= changed
            return self.generation, frozenset(ids)
