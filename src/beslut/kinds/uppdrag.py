"""Uppdrag: a verksamhetsuppdrag or utvecklingsuppdrag between a nämnd and a provider, signed by both."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ..errors import Problem
from ..markdown import to_blocks
from ..models import Model
from ..profile import Profile
from ..records import MAX_TKR, Avsnitt, Datum, LoadedRecord, Markdown, RecordBase, is_date
from ..swedish import datum, pro_rata, tkr
from . import Kind, register
from .common import not_in

if TYPE_CHECKING:
    from ..document import Block, Document


class Uppdragstid(Model):
    """When the assignment runs and how it is ended."""

    start: Datum
    """First day of the assignment."""
    slut: Datum | None = None
    """Last day; leave out for "tills vidare"."""
    uppsägningstid_månader: int = Field(ge=0, le=120)
    """Notice period in months."""


class Tillagg(Model):
    """An addition to the yearly payment from a date."""

    belopp_tkr_per_år: int = Field(gt=0, le=MAX_TKR)
    """Yearly amount in tkr."""
    från: Datum
    """First day the addition is paid."""
    belopp_första_året_tkr: int | None = Field(None, ge=0, le=MAX_TKR)
    """Amount for the first (partial) year; checked against the pro-rata sum."""


class Uppräkning(Model):
    """How the payment is indexed."""

    från: Datum
    """From when it is indexed yearly."""
    modell: str = "kommunens uppräkningsmodell"
    """Which model is used."""


class Ersattning(Model):
    """Payment for the assignment."""

    omfattning: str | None = None
    """What the payment covers, e.g. "Samtliga kostnader inklusive lokalkostnader ingår i ersättningen"."""
    belopp_tkr_per_år: int = Field(gt=0, le=MAX_TKR)
    """Yearly amount in tkr."""
    tillägg: list[Tillagg] = Field(default_factory=list)
    """Additions from a date."""
    villkor: Markdown | None = None
    """Further terms, printed before the price level."""
    prisnivå: int = Field(ge=1900, le=2200)
    """Year of the price level."""
    moms: Literal["exklusive", "inklusive"] = "exklusive"
    """Whether amounts include VAT."""
    uppräkning: Uppräkning | None = None
    """Yearly indexing."""
    text: Markdown | None = None
    """Own wording of the section "Uppdragstid och ersättning", printed instead of the sentences made from
    the fields (which are still checked, and whose amounts and dates the text must name)."""


class Part(Model):
    """A party that signs an agreement."""

    organ: str | None = None
    """Organ key from the profile (for the nämnd)."""
    namn: str | None = None
    """Name of a party that is not an organ in the profile, e.g. "Leanlink"."""
    undertecknare: str
    """Who signs for the party."""
    titel: str | None = None
    """The signer's title."""

    @model_validator(mode="after")
    def _organ_or_name(self) -> Part:
        if (self.organ is None) == (self.namn is None):
            raise ValueError("en part har antingen 'organ' (nyckel i profilen) eller 'namn'")
        return self


class OrtDatum(Model):
    """The place and date line above the signatures."""

    ort: str | None = None
    """Place; default the profile's ort."""
    datum: Datum
    """Date of signing, or a placeholder in a draft."""


class Uppdrag(RecordBase):
    """A verksamhetsuppdrag or utvecklingsuppdrag between a nämnd and a provider."""

    typ: Literal["uppdrag"]
    """The kind of record."""
    uppdragstyp: Literal["verksamhetsuppdrag", "utvecklingsuppdrag"]
    """Which kind of assignment."""
    utförare: str
    """The provider, e.g. "Leanlink, Råd och stöd"."""
    dnr: str | None = None
    """Diarienummer."""
    reviderad: Datum | None = None
    """Date of the latest revision."""
    nämndbeslut: str | None = None
    """The nämnd's decision, e.g. "SON § 123"."""
    avsnitt: list[Avsnitt] = Field(min_length=1)
    """The agreement's sections, in order."""
    uppdragstid: Uppdragstid
    """When the assignment runs."""
    ersättning: Ersattning
    """Payment."""
    ort_och_datum: OrtDatum
    """Place and date of signing."""
    parter: list[Part] = Field(min_length=2)
    """The signing parties, the nämnd first."""

    def document_date(self):
        """The revision date, else the start of the assignment."""
        return self.reviderad or self.uppdragstid.start


def rules(record: LoadedRecord, profile: Profile) -> list[Problem]:
    """Parties and sections against the profile; periods, additions and pro-rata sums."""
    src, r = record.source, record.model
    assert isinstance(r, Uppdrag)
    out = []
    for i, part in enumerate(r.parter):
        if part.organ and part.organ not in profile.organ:
            out.append(src.problem(("parter", i, "organ"), not_in("organ", part.organ, list(profile.organ))))
    tid = r.uppdragstid
    if is_date(tid.start) and is_date(tid.slut) and tid.slut <= tid.start:
        out.append(src.problem(("uppdragstid", "slut"), f"slutdatum {tid.slut} ligger inte efter start {tid.start}"))
    ers = r.ersättning
    for i, add in enumerate(ers.tillägg):
        loc = ("ersättning", "tillägg", i)
        if not is_date(add.från):
            continue
        if is_date(tid.start) and add.från < tid.start:
            out.append(src.problem(loc + ("från",), f"tillägget börjar {add.från}, före uppdragets start {tid.start}"))
        if is_date(tid.slut) and add.från > tid.slut:
            out.append(src.problem(loc + ("från",), f"tillägget börjar {add.från}, efter uppdragets slut {tid.slut}"))
        amount, months = pro_rata(add.belopp_tkr_per_år, add.från)
        if add.belopp_första_året_tkr is not None and add.belopp_första_året_tkr != amount:
            out.append(src.problem(loc + ("belopp_första_året_tkr",),
                                   f"ska vara {tkr(amount)}: {tkr(add.belopp_tkr_per_år)}/år × {months.normalize()}/12 "
                                   f"månader från {add.från}, inte {tkr(add.belopp_första_året_tkr)}"))
    if ers.uppräkning and is_date(ers.uppräkning.från) and is_date(tid.start) and ers.uppräkning.från < tid.start:
        out.append(src.problem(("ersättning", "uppräkning", "från"),
                               f"uppräkningen börjar {ers.uppräkning.från}, före uppdragets start {tid.start}"))
    if ers.prisnivå and is_date(tid.start) and ers.prisnivå > tid.start.year + 1:
        out.append(src.problem(("ersättning", "prisnivå"), f"prisnivå {ers.prisnivå} ligger långt efter uppdragets "
                                                           f"start {tid.start}", "warning"))
    if ers.text:
        out += _own_text_problems(record, r)
    return out


def _own_text_problems(record: LoadedRecord, r: Uppdrag) -> list[Problem]:
    """The own wording of uppdragstid and ersättning must name what the fields say (a warning each).

    The fields are what is checked (pro-rata sums, periods); a text that says another amount or
    date than they do would be signed while the checks pass.
    """
    tid, ers = r.uppdragstid, r.ersättning
    facts: list[tuple[tuple[str, ...], str]] = [(("uppdragstid", "start"), datum(tid.start)),
                                                (("ersättning", "belopp_tkr_per_år"), tkr(ers.belopp_tkr_per_år))]
    if tid.slut:
        facts.append((("uppdragstid", "slut"), datum(tid.slut)))
    for i, add in enumerate(ers.tillägg):
        facts.append((("ersättning", "tillägg", str(i), "belopp_tkr_per_år"), tkr(add.belopp_tkr_per_år)))
        if add.belopp_första_året_tkr is not None:
            facts.append((("ersättning", "tillägg", str(i), "belopp_första_året_tkr"), tkr(add.belopp_första_året_tkr)))
    if ers.uppräkning:
        facts.append((("ersättning", "uppräkning", "från"), datum(ers.uppräkning.från)))
    squeezed = _squeeze(ers.text or "")
    out = []
    for loc, value in facts:
        if _squeeze(value) not in squeezed:
            field = ".".join(loc)
            out.append(record.source.problem(("ersättning", "text"),
                                             f"texten nämner inte {value} ({field}); skriv in det i texten eller "
                                             "rätta fältet, så att texten och fälten säger samma sak", "warning"))
    return out


def _squeeze(text: str) -> str:
    """Text without spaces of any kind: "8 410 tkr" and "8\u00a0410\u00a0tkr" compare equal."""
    return "".join(text.split())


def compose(record: LoadedRecord, profile: Profile) -> Document:
    """The agreement as a document: sections, uppdragstid and ersättning, place and date, signatures."""
    from .. import compose as c  # composing only: a check never loads the document model
    from ..document import Document, Heading, Paragraph, Signatures, Signer, text_run

    r = record.model
    assert isinstance(r, Uppdrag)
    nämnd = profile.organ[r.nämnd]
    blocks: list[Block] = []
    for section in r.avsnitt:
        blocks.extend(c.section_blocks(section, profile, 1))
    blocks.append(Heading(1, text_run("Uppdragstid och ersättning")))
    blocks.extend(to_blocks(r.ersättning.text) if r.ersättning.text else _uppdragstid_och_ersattning(r))
    ort = r.ort_och_datum.ort or profile.ort
    start = len(blocks)
    blocks.append(Paragraph(text_run(f"{ort} {datum(r.ort_och_datum.datum)}")))
    signers = []
    for i, part in enumerate(r.parter, 1):
        name = c.lower_first(profile.organ[part.organ].namn) if part.organ else (part.namn or "")
        signers.append(Signer(f"För {name}", part.undertecknare, part.titel or "", f"part-{i}"))
    blocks.append(Signatures(signers, lines=True))
    subtitle = []
    if r.reviderad:
        subtitle.append(f"Reviderat uppdrag {datum(r.reviderad)}")
    if r.nämndbeslut:
        subtitle.append(r.nämndbeslut)
    return Document(
        id=record.id, kind=r.uppdragstyp, title=r.rubrik, lang="sv-SE", draft=r.status == "utkast",
        letterhead=c.letterhead(profile, kind=r.uppdragstyp, forvaltning=nämnd.namn, datum=datum(r.document_date()),
                                dnr=r.dnr or ""),
        subtitle=subtitle, blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(r.document_date()),
        keywords=[r.uppdragstyp, r.utförare], parts={"underskrifter": (start, len(blocks))},
        confidential=r.sekretess)


def _uppdragstid_och_ersattning(r: Uppdrag) -> list[Block]:
    from ..document import Paragraph, text_run

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
        if is_date(add.från) and (add.från.month, add.från.day) != (1, 1):
            amount, _months = pro_rata(add.belopp_tkr_per_år, add.från)
            out.append(Paragraph(text_run(
                f"För {add.från.year} utges ersättning fr.o.m. {datum(add.från)}, vilket innebär {tkr(amount)}.")))
    out.extend(to_blocks(ers.villkor))
    out.append(Paragraph(text_run(f"Ersättningen är i {ers.prisnivå} års prisnivå. Pris är angett i svenska kronor "
                                  f"{ers.moms} moms.")))
    if ers.uppräkning:
        out.append(Paragraph(text_run(f"Uppräkning av ersättningen sker årsvis fr.o.m. {datum(ers.uppräkning.från)}. "
                                      f"Uppräkning sker enligt {ers.uppräkning.modell}.")))
    return out


KIND = register(Kind("uppdrag", Uppdrag, compose, rules, scaffold="uppdrag.yaml"))
