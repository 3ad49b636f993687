"""Writing outputs: atomically (never a half-written file), and only when bytes change."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

#: Temporary files are hidden and named so that only beslut's own are ever removed.
TEMP_PREFIX = ".beslut-"


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns "create", "overwrite" or "identical" (nothing written). A killed build leaves
    either the old file or the new one, never a mix. There is no fsync: outputs are derived and
    the build manifest keeps each output's size, so a file a power cut truncated is rebuilt by
    the next build (fsync cost 2 ms a file, a fifth of a large build).
    """
    return commit(stage(path, data))


@dataclass
class Staged:
    """A file written to a hidden temporary beside its place, not yet renamed into it."""

    path: Path
    tmp: Path | None
    """None when ``path`` already holds the bytes: nothing to rename."""
    action: str
    """What ``commit`` will have done: "create", "overwrite" or "identical"."""


def stage(path: Path, data: bytes) -> Staged:
    """The first half of ``write_atomic``: ``data`` in a hidden temporary file beside ``path``
    (``path`` itself untouched until ``commit``; ``discard`` removes the temporary).

    A build stages each record's files while the workers make the next ones, and renames them
    all once every record is made: the files are written while the engines work, and a build
    that fails still changes nothing.
    """
    return _staged(path, lambda: path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data,
                   lambda handle: handle.write(data))


def commit(staged: Staged) -> str:
    """Rename a staged file into its place; returns its action."""
    if staged.tmp is not None:
        try:
            os.replace(staged.tmp, staged.path)
        except OSError as exc:
            staged.tmp.unlink(missing_ok=True)
            raise OutputError(f"{staged.path}: kan inte skriva ({exc.strerror})") from None
        staged.tmp = None
    return staged.action


def discard(staged: Staged) -> None:
    """Remove a staged file that will not be committed (its place was never touched)."""
    if staged.tmp is not None:
        staged.tmp.unlink(missing_ok=True)
        staged.tmp = None


def copy_atomic(source: Path, path: Path) -> str:
    """Copy a file (a bilaga) to ``path`` the way ``write_atomic`` writes: whole or not at all.

    Returns "create", "overwrite" or "identical" (same bytes already there: nothing written).
    """
    def copy(handle: BinaryIO) -> None:
        with open(source, "rb") as original:
            shutil.copyfileobj(original, handle, 1 << 20)

    return commit(_staged(path, lambda: path.is_file() and path.stat().st_size == source.stat().st_size
                          and _same_bytes(source, path), copy))


def _staged(path: Path, unchanged: Callable[[], bool], fill: Callable[[BinaryIO], object]) -> Staged:
    """The one way a file is written: nothing if ``unchanged()``, else ``fill`` a hidden temporary
    file beside ``path`` (renamed over it by ``commit``); file-system errors become OutputError."""
    try:
        if unchanged():
            return Staged(path, None, "identical")
        existed = path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)  # short: long names fit
        try:
            with os.fdopen(fd, "wb") as handle:
                fill(handle)
            os.chmod(tmp, 0o644)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except PermissionError as exc:
        raise OutputError(f"{path}: får inte skriva här ({exc.strerror}); välj en annan mapp med --out") from None
    except OSError as exc:
        raise OutputError(f"{path}: kan inte skriva ({exc.strerror})") from None
    return Staged(path, Path(tmp), "overwrite" if existed else "create")


def _same_bytes(a: Path, b: Path) -> bool:
    with open(a, "rb") as x, open(b, "rb") as y:
        while True:
            one, two = x.read(1 << 20), y.read(1 << 20)
            if one != two:
                return False
            if not one:
                return True


def write_tree_atomic(folder: Path, files: dict[str, bytes]) -> str:
    """Replace ``folder`` with exactly ``files`` (relative POSIX paths), all or nothing.

    The new tree is written to a hidden temporary folder beside it and swapped in by renames, so
    a reader (or a killed build) sees the old tree or the new one, never a mix: both editions of
    a meeting packet are published together or not at all. Returns "create", "overwrite" or
    "identical" (the same files already there: nothing written).
    """
    try:
        old = folder if folder.is_dir() and not folder.is_symlink() else None
        same = {name for name, data in files.items() if old is not None and _same_file(old / name, data)}
        if old is not None and len(same) == len(files) and _names(old) == set(files):
            return "identical"
        existed = folder.exists()
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder.parent))
        try:
            for name, data in files.items():
                target = tmp / name
                if ".." in Path(name).parts or Path(name).is_absolute():
                    raise OSError(f"ogiltigt filnamn {name!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                if name in same and old is not None and _link(old / name, target):
                    continue  # unchanged: the new tree shares the file, nothing is written
                target.write_bytes(data)
            os.chmod(tmp, 0o755)
            if existed:
                old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder.parent))
                os.replace(folder, old / "old")
                os.replace(tmp, folder)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except PermissionError as exc:
        raise OutputError(f"{folder}: får inte skriva här ({exc.strerror}); välj en annan mapp med --out") from None
    except OSError as exc:
        raise OutputError(f"{folder}: kan inte skriva ({exc.strerror or exc})") from None
    return "overwrite" if existed else "create"


def _link(source: Path, target: Path) -> bool:
    """Hard-link ``source`` as ``target``; False where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _names(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _same_file(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (its size is compared first)."""
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files and folders a killed build may have left (they are never outputs)."""
    if folder.is_dir():
        for tmp in folder.glob(f"{TEMP_PREFIX}*.tmp"):
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
