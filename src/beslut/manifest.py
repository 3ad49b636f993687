"""What the last build made from what: lets a build skip records whose inputs did not change.

``build/.beslut-manifest.json`` maps each record id to a fingerprint of everything its outputs
depend on (the record's bytes, the profile, the templates, attachments, the tool's version and
the build options) and to the size and mtime of each output written.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .output import write_atomic

MANIFEST = ".beslut-manifest.json"


@dataclass
class Entry:
    """One record's last successful build."""

    source: str
    fingerprint: str
    attachments: list[str] = field(default_factory=list)
    outputs: dict[str, list[int]] = field(default_factory=dict)  # file name -> [size, mtime_ns]


@dataclass
class Manifest:
    """All entries of one output folder."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the manifest; a missing or unreadable one means "build everything"."""
        try:
            raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            entries = {rid: Entry(**e) for rid, e in raw.get("records", {}).items()}
        except (OSError, ValueError, TypeError):
            entries = {}
        return cls(folder, entries)

    def save(self) -> None:
        data = {"version": __version__,
                "records": {rid: vars(e) for rid, e in sorted(self.entries.items())}}
        write_atomic(self.folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1,
                                                        sort_keys=True).encode("utf-8"))

    def is_current(self, rid: str, fingerprint: str) -> bool:
        """Whether ``rid``'s outputs were built from these inputs and are untouched since."""
        entry = self.entries.get(rid)
        if entry is None or entry.fingerprint != fingerprint:
            return False
        for name, (size, mtime) in entry.outputs.items():
            try:
                st = (self.folder / name).stat()
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
        return True

    def record(self, rid: str, source: Path, fingerprint: str, attachments: list[str], files: list[Path]) -> None:
        """Note a successful build of ``rid``. Outputs of other formats from earlier builds are kept
        on the list (with their old stat), so that removing the record later removes them too."""
        previous = self.entries.get(rid)
        outputs = dict(previous.outputs) if previous else {}
        for path in files:
            st = path.stat()
            outputs[path.name] = [st.st_size, st.st_mtime_ns]
        self.entries[rid] = Entry(str(source), fingerprint, attachments, outputs)


def digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def file_bytes(path: Path) -> bytes:
    """A file's bytes, or a marker for a missing file (so adding it changes the fingerprint)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing\0" + str(path).encode()


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """beslut's own code: its version and the bytes of its modules, so that a changed renderer
    rebuilds everything even before the version number is raised."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts)
    return digest(__version__.encode(), *(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes() for p in files))


def base_fingerprint(profile_file: Path, templates: list[Path], options: str) -> str:
    """Everything every record's outputs depend on besides the record itself."""
    return digest(tool_fingerprint().encode(), options.encode(), file_bytes(profile_file),
                  *(file_bytes(t) for t in templates))


def record_fingerprint(base: str, record: Path, attachments: list[str]) -> str:
    """The fingerprint of one record: the base, its bytes and its attachments' bytes."""
    return digest(base.encode(), file_bytes(record),
                  *(file_bytes(record.parent / a) for a in attachments))
