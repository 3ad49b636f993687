"""The one place that decides what a document says: a validated record → a ``Document``.

Renderers never look at records; they draw the blocks made here. Each kind composes its own
document (``beslut.kinds``); the pieces kinds share (sections, logo, dates) live here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePosixPath

from .document import Bilaga, Block, Document, Heading, Letterhead, ListBlock, Paragraph, Run, text_run
from .markdown import to_blocks
from .profile import Formuleringar, Profile
from .records import Avsnitt, LoadedRecord, Underlag
from .swedish import datum as datum_text


def compose(record: LoadedRecord, profile: Profile) -> Document:
    """Build the document for one record, by its kind's composer."""
    from .kinds import kind_of

    return kind_of(record).compose(record, profile)


def section_blocks(section: Avsnitt, profile: Profile, level: int) -> list[Block]:
    """A section with its heading (own, or the profile's for a standard section), text, areas and sub-sections."""
    heading = section.rubrik if section.rubrik is not None else profile.standardavsnitt[section.standard or ""].rubrik
    out: list[Block] = [Heading(level, text_run(heading))]  # a heading is literal text, never Markdown
    out.extend(to_blocks(section.text, level + 1))
    for area in section.områden:
        out.append(Paragraph(text_run(area.namn), "label"))
        out.append(Paragraph(text_run(", ".join(area.delar))))
    for sub in section.avsnitt:
        out.extend(section_blocks(sub, profile, min(level + 1, 6)))
    return out


def label_or_heading(text: str, as_heading: bool) -> Block:
    """A list's lead-in as the kommun writes it: a heading, or a bold label ending in a colon."""
    return Heading(1, text_run(text)) if as_heading else Paragraph(text_run(f"{text}:"), "label")


def underlag_text(item: Underlag, words: Formuleringar) -> str:
    """"Tjänsteskrivelse, daterad 2018-08-28" (the profile's word; none when it is empty)."""
    if item.datum is None:
        return item.titel
    daterad = f"{words.daterad} " if words.daterad else ""
    return f"{item.titel}, {daterad}{datum_text(item.datum)}"


def bilaga_output(record_id: str, number: int, source: str) -> str:
    """The name a bilaga gets beside the outputs: "<id>.bilaga-<n><suffix>"."""
    return f"{record_id}.bilaga-{number}{PurePosixPath(source.replace(chr(92), '/')).suffix}"


def beslutsunderlag(items: Sequence[Underlag], profile: Profile, record_id: str) -> tuple[list[Block], list[Bilaga]]:
    """The beslutsunderlag as a bulleted list, and the numbered bilagor among them.

    An item with a file is "Bilaga 1: Titel, daterad …", its text a link to the copy the build
    puts beside the outputs; the others are their title and date. No items: no blocks.
    """
    if not items:
        return [], []
    words = profile.formuleringar
    entries: list[list[Block]] = []
    bilagor: list[Bilaga] = []
    for item in items:
        text = underlag_text(item, words)
        if item.bilaga:
            number = len(bilagor) + 1
            output = bilaga_output(record_id, number, item.bilaga)
            bilagor.append(Bilaga(number, item.titel, item.bilaga, output))
            runs = [Run(f"{words.bilaga} {number}: "), Run(text, href=output)]
        else:
            runs = text_run(text)
        entries.append([Paragraph(runs)])
    lead = label_or_heading(words.beslutsunderlag, words.beslutsunderlag_som_rubrik)
    return [lead, ListBlock(False, entries)], bilagor


def recipients(names: Sequence[str], profile: Profile) -> list[Block]:
    """"Beslutet skickas till:" (the profile's words) and one line per recipient."""
    if not names:
        return []
    return [Paragraph(text_run(f"{profile.formuleringar.skickas_till}:"), "label"),
            *(Paragraph(text_run(name)) for name in names)]


def letterhead(profile: Profile, *, kind: str, forvaltning: str, datum: str, dnr: str, er_beteckning: str = "",
               handlaggare: list[str] | None = None, mottagare: str = "") -> Letterhead:
    """The first page's header as the profile lays it out: fields in its order with its labels."""
    bh = profile.brevhuvud
    values = {"datum": datum, "dnr": dnr, "er_beteckning": er_beteckning, "mall_id": bh.mall_id or ""}
    fields = [(bh.label(name), values[name]) for name in bh.fält if values[name]]
    running = " · ".join(v for v in (datum, dnr) if v) if bh.löpande_sidhuvud else ""
    return Letterhead(profile.kommun, forvaltning, datum, dnr, handlaggare or [], mottagare, *logo(profile),
                      fields=fields, document_type=kind.upper() if bh.dokumenttyp else "", running=running,
                      page_number=bh.sidnummer, handlaggare_lines=bh.handläggare == "rader")


def logo(profile: Profile) -> tuple[str | None, str]:
    """The letterhead's logo (absolute path) and its text alternative, if the profile has one."""
    path = profile.logo
    return (str(path), f"{profile.kommun}s logotyp") if path else (None, "")


def lower_first(name: str) -> str:
    """"Social- och omsorgsnämnden" → "social- och omsorgsnämnden" (after "För")."""
    return name[:1].lower() + name[1:]


def iso(value: object) -> str:
    """A date for metadata; a placeholder date (a draft) gives a fixed stand-in."""
    return value.isoformat() if isinstance(value, dt.date) else "2000-01-01"
