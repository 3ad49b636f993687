"""Kallelse with föredragningslista: the meeting's first document, in an internal and a public edition.

The public edition is composed from the public view of each item only (number, offentlig_rubrik,
OSL reference): nothing of a confidential ärende reaches its blocks, so no renderer can leak it.
"""
from __future__ import annotations

from typing import Literal

from .. import compose as c
from ..document import Block, Document, Heading, ListBlock, Paragraph, Run, text_run
from ..markdown import to_blocks
from ..profile import Profile
from ..records import LoadedRecord
from ..swedish import datum
from .agenda import Item
from .model import Sammantrade

Edition = Literal["intern", "offentlig"]


def title(model: Sammantrade, profile: Profile) -> str:
    """ "Kallelse till sammanträde med social- och omsorgsnämnden" (or the meeting's own rubrik)."""
    return model.rubrik or f"Kallelse till sammanträde med {c.lower_first(profile.organ[model.nämnd].namn)}"


def when(model: Sammantrade) -> str:
    """ "2022-02-16 kl. 13.00–16.00" """
    span = model.tid.start.replace(":", ".") + (f"–{model.tid.slut.replace(':', '.')}" if model.tid.slut else "")
    return f"{datum(model.datum)} kl. {span}"


def compose_kallelse(meeting: LoadedRecord, items: list[Item], profile: Profile, edition: Edition) -> Document:
    """The kallelse and föredragningslista of one edition."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    organ = profile.organ[model.nämnd]
    blocks: list[Block] = [
        Paragraph([Run("Tid: ", bold=True), Run(when(model))]),
        Paragraph([Run("Plats: ", bold=True), Run(model.plats)]),
        Paragraph([Run("Ordförande: ", bold=True), Run(model.ordförande)]),
        Paragraph([Run("Sekreterare: ", bold=True), Run(model.sekreterare)]),
    ]
    if model.justering is not None:
        where = f", {model.justering.plats}" if model.justering.plats else ""
        who = f" ({', '.join(model.justerare)})" if model.justerare else ""
        blocks.append(Paragraph([Run("Justering: ", bold=True), Run(f"{datum(model.justering.datum)}{where}{who}")]))
    for heading, people in (("Ledamöter", model.ledamöter), ("Ersättare", model.ersättare)):
        if people:
            blocks.append(Heading(1, text_run(heading)))
            blocks.append(ListBlock(False, [[Paragraph(text_run(_person(p)))] for p in people]))
    start = len(blocks)
    blocks.append(Heading(1, text_run("Föredragningslista")))
    for item in items:
        blocks.extend(_item(item, edition))
    return Document(
        id=meeting.id, kind="kallelse", title=title(model, profile), lang="sv-SE", draft=model.status == "utkast",
        letterhead=c.letterhead(profile, kind="kallelse", forvaltning=organ.namn, datum=datum(model.datum), dnr=""),
        subtitle=[], blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(model.datum),
        keywords=["kallelse", organ.namn, datum(model.datum)], parts={"föredragningslista": (start, len(blocks))})


def _person(p) -> str:
    return p.namn + (f" ({p.parti})" if p.parti else "") + (f", {p.roll}" if p.roll else "")


def _item(item: Item, edition: Edition) -> list[Block]:
    """One ärende of the föredragningslista; in the public edition a confidential one is its number,
    public title and OSL reference, nothing more."""
    if item.confidential and edition == "offentlig":
        return [Heading(2, text_run(f"{item.number}. {item.public_title}")),
                Paragraph(text_run(f"Sekretess enligt {item.osl}."))]
    out: list[Block] = [Heading(2, text_run(f"{item.number}. {item.title}"))]
    facts = []
    if item.dnr:
        facts.append(f"Dnr {item.dnr}")
    if item.entry.föredragande:
        facts.append(f"Föredragande: {item.entry.föredragande}")
    if item.confidential:
        facts.append(f"Sekretess enligt {item.osl} (visas inte i den offentliga utgåvan)")
    out.extend(Paragraph(text_run(f)) for f in facts)
    if item.record is None:
        out.extend(to_blocks(item.entry.text, 3))
    else:
        points = _forslag(item.record)
        if points:
            out.append(Paragraph(text_run("Förslag till beslut:"), "label"))
            out.append(ListBlock(True, [to_blocks(p) for p in points]))
    titles = [t for t, _ in _record_bilagor(item)] + [t for t, _ in item.bilagor]
    if titles:
        out.append(Paragraph(text_run("Bilagor:"), "label"))
        out.append(ListBlock(False, [[Paragraph(text_run(t))] for t in titles]))
    return out


def _forslag(record: LoadedRecord) -> list[str]:
    """The förslag in short: the points of the first level (the nämnd's own)."""
    levels = getattr(record.model, "förslag_till_beslut", None) or []
    return list(levels[0].punkter) if levels else []


def _record_bilagor(item: Item) -> list[tuple[str, str]]:
    """The record's own bilagor as (title, path as written)."""
    if item.record is None:
        return []
    underlag = getattr(item.record.model, "beslutsunderlag", []) or []
    return [(u.titel, u.bilaga) for u in underlag if u.bilaga]
