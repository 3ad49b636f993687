"""Where a project's profile is: the nearest ``beslut.yaml`` at or above a path.

Standard library only: the ``beslut`` command's entry point (checkserver.py) finds the project
with it before anything heavy is imported. ``profile`` and ``project`` use both.
"""
from __future__ import annotations

from pathlib import Path

PROFILE_FILE = "beslut.yaml"


def find_profile(start: Path) -> Path | None:
    """The nearest beslut.yaml at or above ``start`` (a folder, or a file: from its folder)."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / PROFILE_FILE
        if candidate.is_file():
            return candidate
    return None


__all__ = ["PROFILE_FILE", "find_profile"]
