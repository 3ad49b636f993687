"""Meetings: the sammanträde kind, its kallelse and the packet in an internal and a public edition.

A meeting file is a record with ``typ: sammanträde``; ``produce`` makes its packet (both
editions) through the kind's ``package`` hook, and ``build`` writes it to ``build/<id>/``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..kinds import Kind, register
from ..profile import Profile
from ..project import Project
from ..records import LoadedRecord
from .agenda import Item, resolve, rules, shared_records
from .kallelse import compose_kallelse
from .model import Sammantrade
from .packet import EDITIONS, Packet, produce_packet, screen_public


@dataclass
class Packaged:
    """What a kind's ``package`` hook makes: files by relative path, report lines, and the files it read."""

    files: dict[str, bytes] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Reasons not to publish (with --strict): then no files are written."""
    screened: list[str] = field(default_factory=list)
    """Records and bilagor of the public edition whose text was found clean of personnummer
    (content keys): the next build of the meeting need not read them again."""


def package(meeting: LoadedRecord, project: Project, prebuilt: dict[str, dict[str, bytes]] | None = None, *,
            screened: frozenset[str] = frozenset()) -> Packaged:
    """Both editions of the meeting's packet, and every file they were made from; ``prebuilt``
    holds records' PDF and HTML already made (by id), which are then not rendered again, and
    ``screened`` the content keys of records and bilagor found clean of personnummer before
    (``Packaged.screened`` of the last build), which are then not read again."""
    cached = meeting.cache.get("agenda")  # resolved by the rules a moment ago, from the same bytes
    items = cached if isinstance(cached, list) else resolve(meeting, project, check=False)[0]
    packet = produce_packet(meeting, items, project, prebuilt)
    # personnummer in what the public edition would show: a warning, and with --strict no packet
    screening = screen_public(meeting, items, packet, screened)
    leaks = screening.leaks
    inputs = [i.record.path for i in items if i.record is not None]
    inputs += [i.record.path.parent / b for i in items if i.record is not None for b in i.record.model.bilagor()]
    inputs += [path for i in items for _, path in i.bilagor]
    if project.options.strict:
        return Packaged({}, packet.report, inputs, leaks, screening.clean)
    return Packaged(packet.files, packet.report + leaks, inputs, screened=screening.clean)


def write_editions(out: Path, files: dict[str, bytes]) -> list[tuple[str, Path]]:
    """Write a packet's editions to ``out/intern`` and ``out/offentlig``; nothing else in ``out`` is touched.

    Each edition folder is written whole to a temporary folder and swapped in by a rename, the
    two right after each other once both are complete.
    """
    from ..output import write_tree_atomic

    written = []
    for edition in EDITIONS:
        prefix = f"{edition}/"
        part = {name[len(prefix):]: data for name, data in files.items() if name.startswith(prefix)}
        written.append((write_tree_atomic(out / edition, part), out / edition))
    return written


def compose(meeting: LoadedRecord, profile: Profile):
    """The internal kallelse (what ``produce`` composes; the packet holds both editions)."""
    items, _ = resolve(meeting, Project.for_profile(profile))
    return compose_kallelse(meeting, items, profile, "intern")


KIND = register(Kind("sammanträde", Sammantrade, compose, rules, scaffold="sammantrade.yaml", package=package))

__all__ = ["EDITIONS", "Item", "Packaged", "Packet", "Sammantrade", "package", "produce_packet", "resolve",
           "shared_records", "write_editions"]
