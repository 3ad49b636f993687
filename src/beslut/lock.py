"""One build at a time per output folder: a second build waits for the first and says so."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

LOCK = ".beslut.lock"


@contextmanager
def build_lock(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (created if missing) while the block runs.

    The lock is released by the kernel when the process ends, even by SIGKILL, so a killed
    build never blocks the next one.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError as exc:
        raise OutputError(f"{folder}: får inte skriva här ({exc.strerror}); välj en annan mapp med --out") from None
    except OSError as exc:
        raise OutputError(f"{folder}: kan inte skriva ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
