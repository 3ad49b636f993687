"""The only files typst may read: copies of the templates folder and the logo, in a temporary folder.

typst reads any file below its root. With the project folder as root a template could read the
profile, the records or the build's manifest (``read("../beslut.yaml")``) and print them into a
PDF. Each process therefore gives typst a folder of its own as root, holding

    templates/   copies of beslut's own templates, overlaid by the project's templates folder's
                 regular files (symlinks out of it left out): a project overrides file by file
    logo/        the organisation's logo (see ``context.pdf_logo_path``)

and nothing else. The copies are refreshed when a template or the logo changes; the folder is
removed when the process ends. What typst writes does not depend on the root's location, so the
PDF bytes are the same on every machine.
"""
from __future__ import annotations

import hashlib
import multiprocessing.util
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .context import pdf_logo_path

_lock = threading.Lock()
_base: Path | None = None
_copied: dict[Path, tuple[tuple[object, ...], ...]] = {}  # jail → what it holds (file names, sizes, times)


_fixed: dict[tuple[Path, str | None], Path] = {}  # jails of a build worker, by templates folder and logo
_frozen = False


def freeze() -> None:
    """Templates and logo do not change while this process lives (a build's worker: the build
    fingerprinted them before it began): a jail, once made, is not looked over again per record."""
    global _frozen
    _frozen = True


def typst_root(templates: Path, logo: str | None) -> Path:
    """The jail for ``templates`` (and ``logo``), up to date; templates are in its ``templates/``."""
    if _frozen and (templates, logo) in _fixed:
        return _fixed[(templates, logo)]
    jail = _refreshed(templates, logo)
    if _frozen:
        _fixed[(templates, logo)] = jail
    return jail


def _refreshed(templates: Path, logo: str | None) -> Path:
    from . import template_sources  # the package imports nothing heavy; this keeps the import order simple

    files = template_sources(templates)
    folder = templates.resolve()
    state: tuple[tuple[object, ...], ...] = tuple((name, str(f), *_stamp(f)) for name, f in files.items())
    state += (("logo", logo, *_stamp(Path(logo))),) if logo else ()
    with _lock:
        jail = _jail_base() / hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
        if _copied.get(jail) == state:
            return jail
        shutil.rmtree(jail, ignore_errors=True)
        for name, f in files.items():
            target = jail / "templates" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)  # follows a symlink inside the folder; writes a plain file
        if logo:
            target = jail / pdf_logo_path(logo).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(logo, target)
        (jail / "templates").mkdir(parents=True, exist_ok=True)
        _copied[jail] = state
        return jail


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


def _jail_base() -> Path:
    """This process's temporary folder, made on first use and removed when the process ends."""
    global _base
    if _base is None or _base_pid != os.getpid():
        _make_base()
    assert _base is not None
    return _base


_base_pid = -1


def _make_base() -> None:
    global _base, _base_pid
    _base = Path(tempfile.mkdtemp(prefix="beslut-typst-"))
    _base_pid = os.getpid()
    _copied.clear()
    # multiprocessing's finalizers run both at interpreter exit and when a worker process ends
    # (worker processes leave with os._exit, which skips atexit handlers)
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(str(_base),), kwargs={"ignore_errors": True},
                                  exitpriority=1)
