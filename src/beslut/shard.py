"""Scale-out: build a stable part of the records (``--shard K/N``) and join the parts' outputs.

A record belongs to shard ``sha256(id) mod N``: the partition depends on the id alone, so adding
a record moves only that record, and every machine of a CI matrix agrees without talking to the
others. ``merge`` copies each shard's outputs into one folder and joins their manifests, so the
joined folder is what one full build makes, byte for byte, and a later build there skips what is
unchanged.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .lock import build_lock
from .manifest import MANIFEST, Entry, Manifest, stat_of
from .output import copy_atomic, write_atomic, write_tree_atomic


@dataclass(frozen=True)
class Shard:
    """Part ``k`` (1-based) of ``n``."""

    k: int
    n: int

    def holds(self, rid: str) -> bool:
        """Whether the record with this id is built by this shard."""
        return shard_index(rid, self.n) == self.k - 1

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def shard_index(rid: str, n: int) -> int:
    """The 0-based shard of a record id among ``n`` (stable across machines and Python versions)."""
    return int.from_bytes(hashlib.sha256(rid.encode("utf-8")).digest()[:8], "big") % n


def parse_shard(text: str) -> Shard:
    """ "2/4" → Shard(2, 4); anything else is a usage error in Swedish."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise UsageError(f"--shard '{text}': skriv K/N med 1 ≤ K ≤ N, t.ex. 2/4")
    return Shard(int(found.group(1)), int(found.group(2)))


@dataclass
class MergeResult:
    """What ``merge`` did: records joined and files written per action."""

    records: list[str] = field(default_factory=list)
    written: list[tuple[str, Path]] = field(default_factory=list)


#: Files every build writes beside the outputs (the same in every shard).
SHARED_FILES = ("schema.json", "profile.schema.json")


def merge(shards: list[Path], out: Path) -> MergeResult:
    """Join the outputs and manifests of shard builds into ``out``.

    Every shard must be a beslut output folder built with the same tool, profile, templates and
    options (the same base fingerprint), and no record may be in two shards. Files are copied
    whole (temporary file and rename); the joined manifest records the copies' sizes and times.
    """
    result = MergeResult()
    manifests = []
    for folder in shards:
        manifest = Manifest.load(folder)
        if manifest.warning or not (folder / MANIFEST).is_file():
            raise UsageError(f"{folder}: inget delbygge av beslut (saknar eller har fel {MANIFEST})")
        manifests.append(manifest)
    bases = {e.base for m in manifests for e in m.entries.values() if e.base}
    if len(bases) > 1:
        raise UsageError("delbyggena gjordes med olika verktyg, profil, mallar eller flaggor; bygg om dem likadant")
    if out.resolve() in {f.resolve() for f in shards}:
        raise UsageError(f"{out}: välj en annan mapp än delbyggenas")
    out.mkdir(parents=True, exist_ok=True)
    with build_lock(out, None):  # a build into the same folder waits, and this waits for it
        _join(shards, manifests, out, result)
    return result


def _join(shards: list[Path], manifests: list[Manifest], out: Path, result: MergeResult) -> None:
    joined = Manifest.load(out) if (out / MANIFEST).exists() else Manifest(out)
    owner: dict[str, Path] = {}
    for folder, manifest in zip(shards, manifests):
        for rid, entry in sorted(manifest.entries.items()):
            if rid in owner:
                raise UsageError(f"posten {rid} finns i två delbyggen: {owner[rid]} och {folder}")
            owner[rid] = folder
            outputs = {}
            for name in entry.current:
                source, target = folder / name, out / name
                if source.is_dir():
                    files = {p.relative_to(source).as_posix(): p.read_bytes()
                             for p in sorted(source.rglob("*")) if p.is_file()}
                    result.written.append((write_tree_atomic(target, files), target))
                elif source.is_file():
                    result.written.append((copy_atomic(source, target), target))
                else:
                    continue
                outputs[name] = stat_of(target) or [0, 0]
            joined.entries[rid] = Entry(entry.source, entry.base, entry.inputs, entry.stats, outputs,
                                        sorted(outputs), list(entry.screened))
            result.records.append(rid)
    for name in SHARED_FILES:
        shared = next((f / name for f in shards if (f / name).is_file()), None)
        if shared is not None:
            result.written.append((write_atomic(out / name, shared.read_bytes()), out / name))
    joined.save()


__all__ = ["MergeResult", "Shard", "merge", "parse_shard", "shard_index"]
