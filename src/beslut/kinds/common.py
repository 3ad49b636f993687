"""Rule helpers several kinds share: profile look-ups, nested sections, attachments."""
from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..profile import Profile
from ..records import LoadedRecord, Underlag, is_date

#: Largest bilaga, in bytes: its bytes are hashed to notice a change.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def not_in(what: str, value: str, allowed: list[str]) -> str:
    """"förvaltning 'X' finns inte i profilen; menade du 'Y'?" """
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f"; menade du '{close[0]}'?" if close else f"; profilen har: {', '.join(allowed)}"
    return f"{what} '{value}' finns inte i profilen{hint}"


def sections(items: list[Any], loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every section and sub-section with its location in the record."""
    for i, s in enumerate(items):
        yield loc + (i,), s
        yield from sections(s.avsnitt, loc + (i, "avsnitt"))


def attachment_path(record_path: Path, name: str) -> Path:
    """Where a bilaga named in a record lies (relative to the record's folder)."""
    return record_path.parent / name


def attachment_problems(record: LoadedRecord, profile: Profile, loc: tuple[Any, ...], name: str) -> list[Problem]:
    """A bilaga must be a regular file inside the project, of bounded size.

    Checked with ``stat`` before anything is read: a FIFO would hang a read, a device or a huge
    file would be read for ever, and a path outside the project would make the build an oracle
    for (and a manifest of) the host's files.
    """
    src = record.source
    path = attachment_path(record.path, name)
    root = profile.root.resolve()
    if Path(name).is_absolute() or not path.resolve().is_relative_to(root):
        return [src.problem(loc, f"bilagan '{name}' ligger utanför projektmappen; lägg den under {root.name}/")]
    try:
        st = os.stat(path)
    except OSError:
        return [src.problem(loc, f"bilagan '{name}' finns inte (sökväg relativt {record.path.name})")]
    if not stat.S_ISREG(st.st_mode):
        return [src.problem(loc, f"bilagan '{name}' är ingen vanlig fil")]
    if st.st_size > MAX_ATTACHMENT_BYTES:
        return [src.problem(loc, f"bilagan '{name}' är {st.st_size // 2**20} MiB; högst "
                                 f"{MAX_ATTACHMENT_BYTES // 2**20} MiB")]
    return []


def underlag_problems(record: LoadedRecord, profile: Profile, items: list[Underlag], date: object,
                      what: str) -> list[Problem]:
    """Beslutsunderlag not dated after the document (``what`` names it), and attachments that exist."""
    out = []
    for i, doc in enumerate(items):
        if is_date(doc.datum) and is_date(date) and doc.datum > date:
            out.append(record.source.problem(("beslutsunderlag", i, "datum"),
                                             f"underlaget är daterat {doc.datum}, efter {what} ({date})"))
        if doc.bilaga:
            out += attachment_problems(record, profile, ("beslutsunderlag", i, "bilaga"), doc.bilaga)
    return out
