"""The one place that decides what a document says: a validated record → a ``Document``.

Renderers never look at records; they draw the blocks made here. Standard wording (MBL,
uppdragstid, ersättning) is produced here from structured fields.
"""
from __future__ import annotations

from .document import Block, Document, Heading, Letterhead, ListBlock, Paragraph, Rule, Signatures, Signer, text_run
from .markdown import to_blocks
from .profile import Profile
from .records import Avsnitt, LoadedRecord, Tjansteskrivelse, Uppdrag
from .swedish import datum, months_text, pro_rata, tkr

MBL_HEADING = "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet"


def compose(record: LoadedRecord, profile: Profile) -> Document:
    """Build the document for one record."""
    model = record.model
    if isinstance(model, Tjansteskrivelse):
        return _tjansteskrivelse(record.id, model, profile)
    return _uppdrag(record.id, model, profile)


def _tjansteskrivelse(rid: str, r: Tjansteskrivelse, profile: Profile) -> Document:
    blocks: list[Block] = []
    several = len(r.förslag_till_beslut) > 1
    for level in r.förslag_till_beslut:
        organ = profile.organ[level.instans or r.nämnd]
        heading = f"Förslag till {organ.genitiv} beslut" if several else "Förslag till beslut"
        blocks.append(Heading(1, text_run(heading)))
        points = [to_blocks(p) for p in level.punkter]
        if level.numrerade:
            blocks.append(ListBlock(True, points))
        else:
            blocks.extend(b for point in points for b in point)
    blocks.append(Heading(1, text_run("Ärende")))
    blocks.extend(to_blocks(r.ärende))
    blocks.append(Rule())  # förslag and ärende above the line are what the protokoll takes over
    if r.beslutsunderlag:
        blocks.append(Paragraph(text_run("Beslutsunderlag:"), "label"))
        for doc in r.beslutsunderlag:
            title = doc.titel + (f", {datum(doc.datum)}" if doc.datum else "")
            blocks.append(Paragraph(text_run(title)))
    for section in r.avsnitt:
        blocks.extend(_section(section, profile, 1))
    if r.mbl:
        blocks.append(Heading(1, text_run(MBL_HEADING)))
        blocks.extend(to_blocks(r.mbl.text) if r.mbl.text else [Paragraph(text_run(_mbl_sentence(r)))])
    blocks.append(Signatures([Signer(u.förvaltning or "", u.namn, u.titel or "", f"underskrift-{i}")
                              for i, u in enumerate(r.underskrifter, 1)]))
    if r.skickas_till:
        blocks.append(Paragraph(text_run("Beslutet skickas till:"), "label"))
        blocks.extend(Paragraph(text_run(name)) for name in r.skickas_till)
    handlaggare = [r.handläggare.namn] + [v for v in (r.handläggare.titel, r.handläggare.telefon,
                                                      r.handläggare.e_post) if v]
    return Document(
        id=rid, kind="tjänsteskrivelse", title=r.rubrik, lang="sv-SE", draft=r.status == "utkast",
        letterhead=Letterhead(profile.kommun, r.förvaltning, datum(r.datum), r.dnr, handlaggare,
                              profile.organ[r.nämnd].namn, *_logo(profile)),
        subtitle=[], blocks=blocks, footer=list(profile.sidfot), date_iso=_iso(r.datum),
        keywords=["tjänsteskrivelse", r.dnr])


def _mbl_sentence(r: Tjansteskrivelse) -> str:
    assert r.mbl is not None
    when = f" {datum(r.mbl.datum)}" if r.mbl.datum else ""
    if r.mbl.typ == "information":
        return f"Information enligt MBL § 19 har givits{when}."
    if r.mbl.typ == "förhandling":
        return f"Förhandling enligt MBL § 11 har skett{when}."
    return "MBL-information eller förhandling är inte påkallad."


def _section(section: Avsnitt, profile: Profile, level: int) -> list[Block]:
    heading = section.rubrik if section.rubrik is not None else profile.standardavsnitt[section.standard or ""].rubrik
    out: list[Block] = [Heading(level, text_run(heading))]  # a heading is literal text, never Markdown
    out.extend(to_blocks(section.text, level + 1))
    for area in section.områden:
        out.append(Paragraph(text_run(area.namn), "label"))
        out.append(Paragraph(text_run(", ".join(area.delar))))
    for sub in section.avsnitt:
        out.extend(_section(sub, profile, min(level + 1, 6)))
    return out


def _uppdrag(rid: str, r: Uppdrag, profile: Profile) -> Document:
    nämnd = profile.organ[r.nämnd]
    blocks: list[Block] = []
    for section in r.avsnitt:
        blocks.extend(_section(section, profile, 1))
    blocks.append(Heading(1, text_run("Uppdragstid och ersättning")))
    blocks.extend(_uppdragstid_och_ersattning(r))
    ort = r.ort_och_datum.ort or profile.ort
    blocks.append(Paragraph(text_run(f"{ort} {datum(r.ort_och_datum.datum)}")))
    signers = []
    for i, part in enumerate(r.parter, 1):
        name = _lower_first(profile.organ[part.organ].namn) if part.organ else (part.namn or "")
        signers.append(Signer(f"För {name}", part.undertecknare, part.titel or "", f"part-{i}"))
    blocks.append(Signatures(signers, lines=True))
    subtitle = []
    if r.reviderad:
        subtitle.append(f"Reviderat uppdrag {datum(r.reviderad)}")
    if r.nämndbeslut:
        subtitle.append(r.nämndbeslut)
    return Document(
        id=rid, kind=r.uppdragstyp, title=r.rubrik, lang="sv-SE", draft=r.status == "utkast",
        letterhead=Letterhead(profile.kommun, nämnd.namn, datum(r.datum), r.dnr or "", [], "", *_logo(profile)),
        subtitle=subtitle, blocks=blocks, footer=list(profile.sidfot), date_iso=_iso(r.datum),
        keywords=[r.uppdragstyp, r.utförare])


def _uppdragstid_och_ersattning(r: Uppdrag) -> list[Block]:
    tid, ers = r.uppdragstid, r.ersättning
    sentences = []
    if ers.omfattning:
        sentences.append(ers.omfattning.rstrip("."))
    sentences.append(f"Uppdraget startar {datum(tid.start)}")
    if tid.slut:
        sentences.append(f"Uppdraget gäller till och med {datum(tid.slut)} med {tid.uppsägningstid_månader} "
                         "månaders uppsägning")
    else:
        sentences.append(f"Uppdraget är ett tillsvidare uppdrag med {tid.uppsägningstid_månader} månaders uppsägning")
    out: list[Block] = [Paragraph(text_run(". ".join(sentences) + "."))]
    out.append(Paragraph(text_run(f"Ersättningen utges med totalt {tkr(ers.belopp_tkr_per_år)}/år.")))
    for add in ers.tillägg:
        out.append(Paragraph(text_run(f"Ersättningen utökas med {tkr(add.belopp_tkr_per_år)}/år.")))
        if hasattr(add.från, "year") and (add.från.month, add.från.day) != (1, 1):
            amount, months = pro_rata(add.belopp_tkr_per_år, add.från)
            out.append(Paragraph(text_run(
                f"För {add.från.year} utges ersättning fr.o.m. {datum(add.från)}, vilket innebär {tkr(amount)} "
                f"({months_text(months)} månader).")))
    out.extend(to_blocks(ers.villkor))
    out.append(Paragraph(text_run(f"Ersättningen är i {ers.prisnivå} års prisnivå. Pris är angett i svenska kronor "
                                  f"{ers.moms} moms.")))
    if ers.uppräkning:
        out.append(Paragraph(text_run(f"Uppräkning av ersättningen sker årsvis fr.o.m. {datum(ers.uppräkning.från)}. "
                                      f"Uppräkning sker enligt {ers.uppräkning.modell}.")))
    return out


def _logo(profile: Profile) -> tuple[str | None, str]:
    logo = profile.logo
    return (str(logo), f"{profile.kommun}s logotyp") if logo else (None, "")


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _iso(value: object) -> str:
    return datum(value) if hasattr(value, "year") else "2000-01-01"
