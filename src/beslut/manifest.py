"""What the last build made from what: lets a build skip records whose inputs did not change.

``build/.beslut-manifest.json`` maps each record id to its source (relative to the project
root, so a moved or cloned project keeps its manifest), the fingerprint of everything shared
(tool, options, profile, templates), the SHA-256 of the record and attachment bytes that were
actually read, and the size and mtime of every output written. A manifest that is not beslut's
own, or that names a file outside the output folder, is ignored: a build never deletes or
overwrites a path it did not write itself.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import __version__
from .output import write_atomic

MANIFEST = ".beslut-manifest.json"
TOOL = "beslut"
FORMAT = 2
#: Largest manifest read (a real one is a few hundred bytes a record).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass
class Entry:
    """One record's last build."""

    source: str
    """The record file, POSIX path relative to the project root."""
    base: str = ""
    """Fingerprint of the shared inputs; empty when the last build of the record failed."""
    inputs: dict[str, str] = field(default_factory=dict)
    """SHA-256 of what was read: "" for the record, attachment names for attachments."""
    stats: dict[str, list[int]] = field(default_factory=dict)
    """Attachment name → [size, mtime_ns] when it was read (unchanged stat: no need to hash again)."""
    outputs: dict[str, list[int]] = field(default_factory=dict)
    """Output file name → [size, mtime_ns] as written (earlier builds' other formats stay listed)."""
    current: list[str] = field(default_factory=list)
    """The outputs the last build wrote: these must be untouched for the record to count as built."""
    screened: list[str] = field(default_factory=list)
    """A meeting's records and bilagor found clean of personnummer (content keys: kind and
    SHA-256), so that the next build of the meeting by the same beslut need not read them again."""


@dataclass
class Manifest:
    """All entries of one output folder."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    warning: str | None = None
    """Why an existing manifest was ignored, if it was."""
    schemas: dict[str, object] = field(default_factory=dict)
    """The JSON Schemas written beside the outputs: ``{"base": fingerprint, "files": {name: [size,
    mtime_ns]}}``, so that a build whose shared inputs did not change need not make them again."""

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the manifest. A missing one means "build everything"; one that is not beslut's own
        (wrong tool or format, paths outside the folders) is ignored with a warning."""
        path = folder / MANIFEST
        try:
            st = os.stat(path)
        except OSError:
            return cls(folder)
        try:
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_MANIFEST_BYTES:
                raise ValueError("ingen vanlig fil eller för stor")
            raw = json.loads(path.read_bytes())
            if not isinstance(raw, dict) or raw.get("tool") != TOOL or raw.get("format") != FORMAT:
                raise ValueError("inte beslut:s format")
            entries = {rid: _entry(e) for rid, e in raw["records"].items()}
            schemas = _schemas(raw.get("schemas", {}))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            return cls(folder, warning=f"{path}: ignoreras ({exc}); allt byggs om och inget tas bort")
        return cls(folder, entries, schemas=schemas)

    def schemas_current(self, base: str, names: list[str]) -> bool:
        """Whether the schema files ``names`` were written from these shared inputs and are untouched."""
        files = self.schemas.get("files")
        if self.schemas.get("base") != base or not isinstance(files, dict):
            return False
        return all(name in files and stat_of(self.folder / name) == files[name] for name in names)

    def note_schemas(self, base: str, names: list[str]) -> None:
        """Note the schema files ``names`` as just written from the shared inputs ``base``."""
        self.schemas = {"base": base, "files": {name: stat_of(self.folder / name) or [0, 0] for name in names}}

    def save(self) -> None:
        data = {"tool": TOOL, "format": FORMAT, "version": __version__,
                "records": {rid: vars(e) for rid, e in sorted(self.entries.items())}}
        if self.schemas:
            data["schemas"] = self.schemas
        write_atomic(self.folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1,
                                                        sort_keys=True).encode("utf-8"))

    def is_current(self, rid: str, base: str, record_sha: str | None, record_dir: Path) -> bool:
        """Whether ``rid``'s outputs were built from these inputs and are as they were written.

        Attachments whose size and mtime are unchanged count as unchanged (a large bilaga is not
        read on every build). An output changed since only because it was signed still counts.
        """
        entry = self.entries.get(rid)
        if entry is None or not entry.base or entry.base != base or entry.inputs.get("") != record_sha:
            return False
        for name in entry.inputs:
            if name and stat_of(record_dir / name) != entry.stats.get(name):
                return False
        if not entry.current:
            return False
        for name in entry.current:
            if name not in entry.outputs:
                return False
            target = self.folder / name
            if stat_of(target) != entry.outputs[name] and not is_signed(target):
                return False
        return True

    def record(self, rid: str, source: str, base: str, inputs: dict[str, str], stats: dict[str, list[int]],
               files: list[Path], screened: list[str] | None = None) -> None:
        """Note a successful build of ``rid``. Outputs of other formats from earlier builds stay on
        the list, so that removing the record later removes them too."""
        previous = self.entries.get(rid)
        outputs = dict(previous.outputs) if previous else {}
        for path in files:
            outputs[path.name] = stat_of(path) or [0, 0]
        self.entries[rid] = Entry(source, base, inputs, stats, outputs, sorted(p.name for p in files),
                                  sorted(screened or []))

    def screened(self, rid: str, base: str) -> frozenset[str]:
        """The content keys ``rid``'s last successful build found clean of personnummer, if it was
        built from the same shared inputs (the same beslut, profile and options); else none."""
        entry = self.entries.get(rid)
        if entry is None or not entry.base or entry.base != base:
            return frozenset()
        return frozenset(entry.screened)

    def failed(self, rid: str, source: str) -> None:
        """Note a failed build: it is built again next time; its earlier outputs stay listed (and on disk)."""
        previous = self.entries.get(rid)
        self.entries[rid] = Entry(source, "", {}, {}, dict(previous.outputs) if previous else {})


def _entry(raw: dict) -> Entry:
    """An entry from JSON, refusing anything that could point outside the output folder or project."""
    entry = Entry(**raw)
    source = PurePosixPath(entry.source)
    if not isinstance(entry.source, str) or source.is_absolute() or ".." in source.parts or "\0" in entry.source:
        raise ValueError(f"källsökvägen {entry.source!r} ligger utanför projektet")
    for name in [*entry.outputs, *entry.current]:
        if not _plain_name(name):
            raise ValueError(f"utfilen {name!r} ligger utanför utmappen")
    if not isinstance(entry.screened, list) or not all(isinstance(key, str) for key in entry.screened):
        raise ValueError("'screened' är ingen lista av nycklar")
    return entry


def _schemas(raw: object) -> dict[str, object]:
    """The schema files' note from JSON (see ``Manifest.schemas``), refusing names outside the folder."""
    if not isinstance(raw, dict) or not isinstance(raw.get("files", {}), dict):
        raise ValueError("'schemas' har fel form")
    for name in raw.get("files", {}):
        if not _plain_name(name):
            raise ValueError(f"schemafilen {name!r} ligger utanför utmappen")
    return raw


def _plain_name(name: object) -> bool:
    """A bare file name: no folder part, not hidden, nothing that leaves the folder."""
    return (isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name
            and "\0" not in name and not name.startswith("."))


def stat_of(path: Path) -> list[int] | None:
    """[size, mtime_ns] of a regular file, [0, mtime_ns] of a folder (a meeting's packet), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return [0, st.st_mtime_ns]
    return [st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


def is_signed(path: Path) -> bool:
    """Whether a file is a PDF that carries a signature (a rebuild would destroy it)."""
    if path.suffix != ".pdf":
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(b"%PDF") and b"/ByteRange" in data and b"/Sig" in data


def digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def record_digest(path: Path, limit: int) -> str | None:
    """SHA-256 of a record file, or None if it is no regular file or larger than ``limit``
    (the build then reads it properly and reports why)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def file_bytes(path: Path) -> bytes:
    """A small file's bytes, or a marker for a missing one (adding it changes the fingerprint)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing\0" + path.name.encode()


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """beslut's own code: its version and the bytes of its modules, so that a changed renderer
    rebuilds everything even before the version number is raised."""
    package = Path(__file__).resolve().parent
    # code, scaffolds and the bundled fonts (a new font changes every PDF); templates are fingerprinted as used
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml", ".ttf", ".otf")
                   and "__pycache__" not in p.parts)
    return digest(__version__.encode(), *(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes() for p in files))


def base_fingerprint(profile_file: Path, inputs: list[tuple[str, Path]], options: str) -> str:
    """Everything every record's outputs depend on besides the record itself: the tool, the
    options, the profile and the named shared files (templates, logo)."""
    return digest(tool_fingerprint().encode(), options.encode(), file_bytes(profile_file),
                  *(name.encode() + b"\0" + file_bytes(path) for name, path in inputs))
