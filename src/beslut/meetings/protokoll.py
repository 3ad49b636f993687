"""The protokoll: from the meeting file's outcomes to the justerat protokoll, one protokollsutdrag
per §, the digital anslagstavla and the decisions as open data — in an internal and a public edition.

Each ärende on the agenda becomes a §, numbered on from the nämnd's previous meeting (see
``outcomes.series``). A bifall takes the record's förslag till beslut verbatim: the points of
every level the nämnd itself decides. The public edition is composed from the public view only:
a confidential § shows its number, ``offentlig_rubrik``, the OSL reference and the kind of
outcome, nothing else.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace

from pydantic import Field

from .. import compose as c
from .. import lagtid
from ..document import Block, Document, Heading, Letterhead, ListBlock, Paragraph, Run, Signatures, Signer, Table, text_run
from ..errors import Problem, UsageError
from ..markdown import to_blocks
from ..profile import Profile
from ..project import Project
from ..records import LoadedRecord, is_date
from ..swedish import datum
from .agenda import Item, resolve
from .kallelse import Edition
from .model import Arende, Sammantrade
from .opendata import ItemData, MeetingData
from .outcomes import Attendance, Person, attendance, count, rules, series

EDITIONS: tuple[Edition, ...] = ("intern", "offentlig")
PROTOKOLL = "protokoll"
ANSLAG_PAGE = "anslag.html"
OPEN_DATA = "protokoll.json"
OPEN_DATA_SCHEMA = "protokoll.schema.json"

#: What the public edition says of a confidential § (the kind of outcome, nothing of its content).
OUTCOME_NAMES = {"bifall": "Bifall till förslaget", "ändrat": "Beslut med ändringar", "avslag": "Avslag",
                 "återremiss": "Återremiss", "bordlagt": "Bordlagt", "information": "Lades till handlingarna"}


def utdrag_name(number: int) -> str:
    """The file name (without suffix) of the protokollsutdrag of § ``number``."""
    return f"protokollsutdrag-paragraf-{number}"


@dataclass(frozen=True)
class Dates:
    """The protokoll's dates: meeting, justering, anslag and what follows from it in law."""

    meeting: dt.date
    justering: dt.date
    anslag: dt.date

    @property
    def last_appeal(self) -> dt.date:
        return lagtid.last_day_to_appeal(self.anslag)

    @property
    def anslag_down(self) -> dt.date:
        return lagtid.anslag_down(self.anslag)


@dataclass
class Paragraf:
    """One § of the protokoll: its number, the agenda item and who decided it."""

    number: int
    item: Item
    present: Attendance
    dates: Dates

    @property
    def entry(self) -> Arende:
        return self.item.entry


@dataclass
class Protokoll:
    """Every file of both editions by relative path (``intern/…``, ``offentlig/…``), or the problems
    that stopped it (then no files)."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.files) and not any(p.severity == "error" for p in self.problems)


def produce_protokoll(meeting: LoadedRecord, project: Project) -> Protokoll:
    """Check the meeting file and make the protokoll's files; nothing is written.

    The meeting's own rules run first (agenda, outcomes, dates, § series); any error, or an
    ärende without utfall, means no files. A meeting without any outcome is a usage error.
    """
    model = meeting.model
    assert isinstance(model, Sammantrade)
    if not model.has_outcomes():
        raise UsageError(f"{meeting.path}: sammanträdet har inga utfall ännu; skriv utfall för varje ärende "
                         "(se dokumentationen om protokoll) innan protokollet görs")
    from ..validate import validate

    result = Protokoll(problems=validate(meeting, project.profile))
    src = meeting.source
    for i, entry in enumerate(model.ärenden):
        if entry.utfall is None:
            result.problems = [p for p in result.problems if not (p.field == f"ärenden[{i + 1}]" and
                                                                   p.severity == "warning" and "utfall" in p.message)]
            result.problems.append(src.problem(("ärenden", i), "ärendet saknar utfall (bifall, ändrat, avslag, "
                                                               "återremiss, bordlagt eller information)"))
    if model.justering is None or not is_date(model.justering.datum):
        result.problems.append(src.problem(("justering",), "protokollet behöver ett justeringsdatum (justering: "
                                                           "datum: ÅÅÅÅ-MM-DD)"))
    if not is_date(model.datum):
        result.problems.append(src.problem(("datum",), "protokollet behöver sammanträdets datum"))
    if any(p.severity == "error" for p in result.problems):
        return result
    cached = meeting.cache.get("agenda")
    items = cached if isinstance(cached, list) else resolve(meeting, project, check=False)[0]
    paragrafer = number(meeting, items, project.profile)
    files = _files(meeting, paragrafer, project, result.report)
    leaks = [Problem(meeting.path, 1, 1, "", line) for line in _public_personnummer(files)]
    result.problems += leaks
    if not leaks:  # a personnummer never reaches a public document: then nothing is written
        result.files = files
    return result


def dates(model: Sammantrade) -> Dates:
    """Meeting, justering and anslag dates (the anslag goes up on the day of justering unless given)."""
    assert model.justering is not None and is_date(model.justering.datum) and is_date(model.datum)
    anslag = model.anslag.datum if model.anslag is not None and is_date(model.anslag.datum) else model.justering.datum
    return Dates(model.datum, model.justering.datum, anslag)


def number(meeting: LoadedRecord, items: list[Item], profile: Profile) -> list[Paragraf]:
    """The §§ of the protokoll: one per agenda item, numbered on from the nämnd's series."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    first = series(meeting, profile)[0].first
    base = dates(model)
    out = []
    for k, item in enumerate(items):
        own = base
        if item.entry.omedelbar_justering:  # justerad at the meeting: its anslag goes up the same day
            own = Dates(base.meeting, base.meeting, base.meeting)
        out.append(Paragraf(first + k, item, attendance(model, item.entry), own))
    return out


def span(paragrafer: list[Paragraf]) -> str:
    """ "§ 1–6" (or "§ 4" for one)."""
    first, last = paragrafer[0].number, paragrafer[-1].number
    return f"§ {first}" if first == last else f"§ {first}–{last}"


# -- the documents -------------------------------------------------------------------------------

def _label(label: str, value: str) -> Paragraph:
    return Paragraph([Run(f"{label}: ", bold=True), Run(value)])


def _organ(model: Sammantrade, profile: Profile) -> str:
    return profile.organ[model.nämnd].namn


def compose_protokoll(meeting: LoadedRecord, paragrafer: list[Paragraf], profile: Profile,
                      edition: Edition) -> Document:
    """The protokoll of one edition: first page (närvaro, justering, signatures, anslagsbevis), then each §."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    organ = _organ(model, profile)
    d = dates(model)
    from .kallelse import when

    present = attendance(model)
    narvaro = model.närvaro
    blocks: list[Block] = [_label("Plats och tid", f"{model.plats}, {when(model)}")]
    blocks += [Heading(1, text_run("Beslutande")), ListBlock(False, [[Paragraph(text_run(p.label()))]
                                                                      for p in present.beslutande])]
    serving = {p.namn for p in present.beslutande}
    others = [s for s in model.ersättare if s.namn not in serving]
    if others:
        blocks += [Heading(1, text_run("Ersättare")),
                   ListBlock(False, [[Paragraph(text_run(Person(s.namn, s.parti).label()))] for s in others])]
    if narvaro is not None and narvaro.övriga:
        blocks += [Heading(1, text_run("Övriga närvarande")),
                   ListBlock(False, [[Paragraph(text_run(name))] for name in narvaro.övriga])]
    if present.frånvarande:
        blocks.append(_label("Frånvarande", ", ".join(present.frånvarande)))
    blocks.append(_label("Justerare", ", ".join(model.justerare) or "–"))
    place = f"{model.justering.plats}, " if model.justering is not None and model.justering.plats else ""
    blocks.append(_label("Justeringens plats och tid", f"{place}{datum(d.justering)}"))
    blocks.append(_label("Paragrafer", span(paragrafer)))
    signers = [Signer("Sekreterare", model.sekreterare, "", "sekreterare"),
               Signer("Ordförande", model.ordförande, "", "ordforande")]
    signers += [Signer("Justerare", name, "", f"justerare-{k}") for k, name in enumerate(model.justerare, 1)]
    blocks.append(Signatures(signers, lines=True))
    blocks += anslagsbevis(model, paragrafer, profile, d)
    start = len(blocks)
    for p in paragrafer:
        blocks += paragraph_blocks(p, model, profile, edition)
    title = f"Protokoll {organ} {datum(model.datum)}"
    return Document(
        id=f"{meeting.id}-protokoll", kind="protokoll", title=title, lang="sv-SE", draft=model.status == "utkast",
        letterhead=_running(c.letterhead(profile, kind="protokoll", forvaltning=organ, datum=datum(model.datum), dnr=""),
                            f"Protokoll {c.lower_first(organ)} {datum(model.datum)}"),
        subtitle=[f"Sammanträde med {c.lower_first(organ)}"], blocks=blocks, footer=list(profile.sidfot),
        date_iso=c.iso(model.datum), keywords=["protokoll", organ, datum(model.datum)],
        parts={"paragrafer": (start, len(blocks))})


def _running(letterhead: Letterhead, text: str) -> Letterhead:
    """Every page after the first names the protokoll and the meeting date, as protokoll pages do."""
    return replace(letterhead, running=text)


def anslagsbevis(model: Sammantrade, paragrafer: list[Paragraf], profile: Profile, d: Dates) -> list[Block]:
    """The anslagsbevis: the protokoll is justerat and made known by anslag, with the dates in law."""
    place = model.anslag.förvaringsplats if model.anslag is not None and model.anslag.förvaringsplats else None
    out: list[Block] = [Heading(1, text_run("Anslagsbevis")),
                        Paragraph(text_run("Protokollet är justerat. Justeringen har tillkännagivits genom anslag.")),
                        _label("Organ", _organ(model, profile)),
                        _label("Sammanträdesdatum", datum(model.datum)),
                        _label("Datum då anslaget sätts upp", datum(d.anslag)),
                        _label("Sista dag att överklaga", datum(d.last_appeal)),
                        _label("Datum då anslaget tas ned", datum(d.anslag_down))]
    if place:
        out.append(_label("Förvaringsplats för protokollet", place))
    omedelbar = [p for p in paragrafer if p.entry.omedelbar_justering]
    if omedelbar:
        numbers = ", ".join(f"§ {p.number}" for p in omedelbar)
        out.append(Paragraph(text_run(f"Omedelbart justerade vid sammanträdet: {numbers}. Anslaget för dem sattes upp "
                                      f"{datum(omedelbar[0].dates.anslag)}; sista dag att överklaga dem är "
                                      f"{datum(omedelbar[0].dates.last_appeal)}.")))
    return out


def paragraph_blocks(p: Paragraf, model: Sammantrade, profile: Profile, edition: Edition) -> list[Block]:
    """One § as the protokoll and its utdrag print it; a confidential § in the public edition is its
    number, public rubrik, OSL reference and the kind of outcome only."""
    item, entry = p.item, p.entry
    assert entry.utfall is not None
    if item.confidential and edition == "offentlig":
        return [Heading(1, text_run(f"§ {p.number} {item.public_title}")),
                Paragraph(text_run(f"Sekretess enligt {item.osl}.")),
                _label("Beslut", OUTCOME_NAMES[entry.utfall])]
    organ = _organ(model, profile)
    out: list[Block] = [Heading(1, text_run(f"§ {p.number} {item.title}"))]
    if item.dnr:
        out.append(Paragraph(text_run(f"Dnr {item.dnr}")))
    if item.confidential:
        out.append(Paragraph(text_run(f"Sekretess enligt {item.osl} (visas inte i den offentliga utgåvan).")))
    if entry.omedelbar_justering:
        out.append(Paragraph(text_run("Paragrafen justeras omedelbart.")))
    for name in entry.jäv:
        out.append(Paragraph(text_run(f"{_who(name, model)} anmäler jäv och deltar inte i handläggningen av ärendet.")))
    own = entry.närvaro
    if own is not None and own.frånvarande:
        out.append(_label("Frånvarande under paragrafen", ", ".join(own.frånvarande)))
    if own is not None and own.tjänstgörande_ersättare:
        out.append(_label("Tjänstgörande ersättare under paragrafen",
                          ", ".join(f"{_who(t.namn, model)} för {t.för}" for t in own.tjänstgörande_ersättare)))
    out.append(Heading(2, text_run("Beslut")))
    out += decision_blocks(p, organ)
    description = item.record.model.ärende if item.record is not None else entry.text  # type: ignore[attr-defined]
    if description:
        out.append(Heading(2, text_run("Ärendebeskrivning")))
        out += to_blocks(description, 3)
    if entry.yrkanden:
        out.append(Heading(2, text_run("Yrkanden")))
        out += [Paragraph(text_run(f"{_who(y.av, model)} yrkar {y.yrkande.rstrip('.')}.")) for y in entry.yrkanden]
    if entry.propositionsordning:
        out.append(Heading(2, text_run("Propositionsordning")))
        out += to_blocks(entry.propositionsordning, 3)
    if entry.votering is not None:
        out += vote_blocks(p, model, organ)
    if entry.reservationer:
        out.append(Heading(2, text_run("Reservation")))
        for r in entry.reservationer:
            how = " skriftligen, se bilaga" if r.skriftlig else ""
            out.append(Paragraph(text_run(f"{_who(r.namn, model)} reserverar sig mot beslutet{how}.")))
    if entry.protokollsanteckning:
        out.append(Heading(2, text_run("Protokollsanteckning")))
        for note in entry.protokollsanteckning:
            out += to_blocks(note, 3)
    recipients = entry.skickas_till if entry.skickas_till is not None else \
        list(getattr(item.record.model, "skickas_till", []) or []) if item.record is not None else []
    if recipients:
        out.append(Paragraph(text_run("Beslutet skickas till:"), "label"))
        out.append(ListBlock(False, [[Paragraph(text_run(r))] for r in recipients]))
    return out


def _who(name: str, model: Sammantrade) -> str:
    """ "Jonas Berg (M)" for a member or substitute of the meeting, the name alone otherwise."""
    for person in list(model.ledamöter) + list(model.ersättare):
        if person.namn == name and person.parti:
            return f"{name} ({person.parti})"
    return name


def adopted_text(p: Paragraf) -> list[str]:
    """The adopted text point by point (Markdown): the förslag verbatim for bifall, beslutstext otherwise."""
    entry = p.entry
    if entry.utfall == "bifall" and p.item.record is not None and not entry.beslutstext:
        return [point for level in own_levels(p) for point in level.punkter]
    return list(entry.beslutstext)


def own_levels(p: Paragraf) -> list:
    """The levels of the record's förslag that the meeting's nämnd decides itself (the first if none is its own)."""
    assert p.item.record is not None
    record = p.item.record.model
    levels = list(getattr(record, "förslag_till_beslut", []) or [])
    mine = [lv for lv in levels if lv.instans in (None, record.nämnd)]
    return mine or levels[:1]


def decision_blocks(p: Paragraf, organ: str) -> list[Block]:
    """What the nämnd decided, in words: the förslag verbatim for bifall, the adopted text for ändrat."""
    entry = p.entry
    utfall = entry.utfall
    out: list[Block] = []
    if utfall == "bifall" and p.item.record is not None and not entry.beslutstext:
        for level in own_levels(p):
            out.append(Paragraph(text_run(f"{organ} beslutar")))
            out += _points(list(level.punkter), level.numrerade)
        return out
    if utfall in ("bifall", "ändrat"):
        out.append(Paragraph(text_run(f"{organ} beslutar")))
        return out + _points(list(entry.beslutstext), True)
    lead = {"avslag": f"{organ} avslår förslaget.",
            "återremiss": "Ärendet återremitteras till förvaltningen.",
            "bordlagt": "Ärendet bordläggs.",
            "information": "Anmälan läggs till handlingarna." if entry.typ in ("delegationsbeslut", "delgivningar")
            else "Informationen läggs till handlingarna."}[utfall or "information"]
    out.append(Paragraph(text_run(lead)))
    out += _points(list(entry.beslutstext), True)
    if entry.motivering:
        out.append(Paragraph(text_run("Motivering:"), "label"))
        out += to_blocks(entry.motivering, 3)
    return out


def _points(points: list[str], numbered: bool) -> list[Block]:
    if not points:
        return []
    if len(points) == 1 and not numbered:
        return to_blocks(points[0], 3)
    return [ListBlock(numbered, [to_blocks(point, 3) for point in points])]


def vote_blocks(p: Paragraf, model: Sammantrade, organ: str) -> list[Block]:
    """The votering: what ja and nej stand for, each beslutande's vote in a table, and the result."""
    vote = p.entry.votering
    assert vote is not None
    result = count(p.entry, model.ordförande)
    assert result is not None
    marks = {**{n: "ja" for n in vote.ja}, **{n: "nej" for n in vote.nej}, **{n: "avstår" for n in vote.avstår}}
    rows = [[text_run("Ledamot"), text_run("Ja"), text_run("Nej"), text_run("Avstår")]]
    for person in p.present.beslutande:
        mark = marks.get(person.namn, "")
        rows.append([text_run(Person(person.namn, person.parti).label())]
                    + [text_run("X" if mark == side else "") for side in ("ja", "nej", "avstår")])
    rows.append([text_run("Summa"), text_run(str(result.ja)), text_run(str(result.nej)), text_run(str(result.avstår))])
    return [Heading(2, text_run("Votering")),
            Paragraph(text_run(f"Ja-röst för {vote.ja_för}; nej-röst för {vote.nej_för}.")),
            Table(rows),
            Paragraph(text_run(result.text(vote.ja_för, vote.nej_för, c.lower_first(organ))))]


def compose_utdrag(meeting: LoadedRecord, p: Paragraf, paragrafer: list[Paragraf], profile: Profile,
                   edition: Edition) -> Document:
    """The protokollsutdrag of one §: the § as in the protokoll, the justering and the utdragsbestyrkande."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    organ = _organ(model, profile)
    blocks = paragraph_blocks(p, model, profile, edition)
    how = "omedelbart vid sammanträdet" if p.entry.omedelbar_justering else ""
    blocks += [Heading(1, text_run("Justering och anslag")),
               _label("Justerat", f"{datum(p.dates.justering)}{' ' + how if how else ''}"),
               _label("Justerande", ", ".join([f"{model.ordförande} (ordförande)"] + list(model.justerare))),
               _label("Anslaget uppsatt", datum(p.dates.anslag)),
               _label("Sista dag att överklaga", datum(p.dates.last_appeal)),
               Paragraph(text_run("Utdragsbestyrkande: rätt utdraget intygar")),
               Signatures([Signer("Sekreterare", model.sekreterare, "", "utdragsbestyrkande")], lines=True)]
    return Document(
        id=f"{meeting.id}-{utdrag_name(p.number)}", kind="protokollsutdrag",
        title=f"Protokollsutdrag § {p.number}, {organ} {datum(model.datum)}", lang="sv-SE",
        draft=model.status == "utkast",
        letterhead=_running(c.letterhead(profile, kind="protokollsutdrag", forvaltning=organ, datum=datum(model.datum),
                                         dnr=p.item.dnr if not (p.item.confidential and edition == "offentlig") else ""),
                            f"Protokollsutdrag § {p.number} {datum(model.datum)}"),
        subtitle=[f"Sammanträde med {c.lower_first(organ)} {datum(model.datum)}", f"Paragrafer {span(paragrafer)}"],
        blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(model.datum),
        keywords=["protokollsutdrag", organ, f"§ {p.number}"])


def compose_anslag(meeting: LoadedRecord, paragrafer: list[Paragraf], profile: Profile) -> Document:
    """The digital anslagstavla's page: the protokoll is justerat, when the anslag is up, how to appeal."""
    model = meeting.model
    assert isinstance(model, Sammantrade)
    organ = _organ(model, profile)
    d = dates(model)
    blocks: list[Block] = [
        Paragraph(text_run(f"Protokollet från {c.lower_first(organ)}s sammanträde {datum(model.datum)} är justerat.")),
        _label("Organ", organ), _label("Sammanträdesdatum", datum(model.datum)),
        _label("Paragrafer", span(paragrafer)), _label("Justerat", datum(d.justering)),
        _label("Anslaget uppsatt", datum(d.anslag)), _label("Sista dag att överklaga", datum(d.last_appeal)),
        _label("Anslaget tas ned", datum(d.anslag_down))]
    if model.anslag is not None and model.anslag.förvaringsplats:
        blocks.append(_label("Förvaringsplats för protokollet", model.anslag.förvaringsplats))
    blocks += [Heading(1, text_run("Protokollet")),
               ListBlock(False, [[Paragraph([Run("Protokollet (PDF)", href=f"{PROTOKOLL}.pdf")])],
                                 [Paragraph([Run("Protokollet (HTML)", href=f"{PROTOKOLL}.html")])],
                                 [Paragraph([Run("Besluten som öppna data (JSON)", href=OPEN_DATA)])]]),
               Heading(1, text_run("Så överklagar du")),
               Paragraph(text_run("Den som är medlem i kommunen kan överklaga besluten genom laglighetsprövning enligt "
                                  "13 kap. kommunallagen. Överklagandet ska ha kommit in till förvaltningsrätten "
                                  f"senast {datum(d.last_appeal)}."))]
    omedelbar = [p for p in paragrafer if p.entry.omedelbar_justering]
    for p in omedelbar:
        blocks.append(Paragraph(text_run(f"Omedelbart justerad: § {p.number}. Dess anslag sattes upp "
                                         f"{datum(p.dates.anslag)} och sista dag att överklaga den är "
                                         f"{datum(p.dates.last_appeal)}.")))
    return Document(
        id=f"{meeting.id}-anslag", kind="anslag", title=f"Anslag: protokoll {organ} {datum(model.datum)}",
        lang="sv-SE", draft=model.status == "utkast",
        letterhead=c.letterhead(profile, kind="anslag", forvaltning=organ, datum=datum(d.anslag), dnr=""),
        subtitle=[], blocks=blocks, footer=list(profile.sidfot), date_iso=c.iso(d.anslag),
        keywords=["anslag", organ, datum(model.datum)])


# -- open data -----------------------------------------------------------------------------------

class ParagrafData(ItemData):
    """One § as open data; a confidential one has only its number, public rubrik, OSL reference and outcome."""

    paragraf: int = Field(description="Paragrafnummer i protokollet.")
    utfall: str = Field(description="bifall, ändrat, avslag, återremiss, bordlagt eller information.")
    beslut: list[str] = Field(default_factory=list, description="Den beslutade texten, punkt för punkt (Markdown).")
    omedelbart_justerad: bool = False
    votering: dict[str, int] | None = Field(default=None, description="Antal ja, nej och avstår.")


class ProtokollData(MeetingData):
    """The meeting's open data extended with the protokoll: justering, anslag, the appeal date and each §."""

    paragrafer: str = Field(description="Protokollets paragrafer, t.ex. \"§ 1–6\".")
    justerat: str = Field(description="Justeringsdatum, ÅÅÅÅ-MM-DD.")
    anslag: str = Field(description="Dag då anslaget sattes upp, ÅÅÅÅ-MM-DD.")
    sista_dag_att_överklaga: str = Field(description="ÅÅÅÅ-MM-DD (3 veckor efter anslaget, flyttad till vardag).")
    protokoll: str = Field(description="Protokollet som PDF.")
    ärenden: list[ParagrafData]  # type: ignore[assignment]


def protokoll_schema_json() -> str:
    """The JSON Schema of protokoll.json, the same bytes every time."""
    schema = ProtokollData.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def open_data(meeting: LoadedRecord, paragrafer: list[Paragraf], profile: Profile, edition: Edition) -> str:
    """protokoll.json of one edition."""
    from .kallelse import _forslag, when
    from .opendata import Links

    model = meeting.model
    assert isinstance(model, Sammantrade)
    items = []
    for p in paragrafer:
        item, entry = p.item, p.entry
        assert entry.utfall is not None
        if item.confidential and edition == "offentlig":
            items.append(ParagrafData(nummer=item.number, paragraf=p.number, rubrik=item.public_title,
                                      typ=entry.typ, sekretess=item.osl, utfall=entry.utfall))
            continue
        result = count(entry, model.ordförande)
        items.append(ParagrafData(
            nummer=item.number, paragraf=p.number, rubrik=item.title, typ=entry.typ, dnr=item.dnr or None,
            föredragande=entry.föredragande, förslag=_forslag(item.record) if item.record else [],
            sekretess=item.osl or None, utfall=entry.utfall, beslut=adopted_text(p),
            omedelbart_justerad=entry.omedelbar_justering,
            votering={"ja": result.ja, "nej": result.nej, "avstår": result.avstår} if result else None,
            länkar=Links(pdf=f"{utdrag_name(p.number)}.pdf", html=f"{utdrag_name(p.number)}.html")))
    d = dates(model)
    data = ProtokollData(nämnd=_organ(model, profile), datum=datum(model.datum), tid=when(model), plats=model.plats,
                         utgåva=edition, kallelse=Links(), handlingar=None, paragrafer=span(paragrafer),
                         justerat=datum(d.justering), anslag=datum(d.anslag),
                         sista_dag_att_överklaga=datum(d.last_appeal), protokoll=f"{PROTOKOLL}.pdf", ärenden=items)
    return json.dumps(data.model_dump(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# -- files ---------------------------------------------------------------------------------------

def _files(meeting: LoadedRecord, paragrafer: list[Paragraf], project: Project, report: list[str]) -> dict[str, bytes]:
    from ..render import render

    profile = project.profile
    files: dict[str, bytes] = {}
    for edition in EDITIONS:
        docs = render(compose_protokoll(meeting, paragrafer, profile, edition), ("docx", "pdf", "html"),
                      project.templates, source=meeting.path, parallel=True)
        files.update({f"{edition}/{PROTOKOLL}.{fmt}": data for fmt, data in docs.items()})
        for p in paragrafer:
            docs = render(compose_utdrag(meeting, p, paragrafer, profile, edition), ("docx", "pdf", "html"),
                          project.templates, source=meeting.path, parallel=True)
            files.update({f"{edition}/{utdrag_name(p.number)}.{fmt}": data for fmt, data in docs.items()})
        files[f"{edition}/{OPEN_DATA}"] = open_data(meeting, paragrafer, profile, edition).encode("utf-8")
        files[f"{edition}/{OPEN_DATA_SCHEMA}"] = protokoll_schema_json().encode("utf-8")
    files[f"offentlig/{ANSLAG_PAGE}"] = render(compose_anslag(meeting, paragrafer, profile), ("html",),
                                               project.templates, source=meeting.path)["html"]
    return files


def _public_personnummer(files: dict[str, bytes]) -> list[str]:
    """Personnummer in any file of the public edition (the records' own texts included)."""
    from ..personnummer import screen
    from .packet import bilaga_text

    found = []
    for name, data in files.items():
        if not name.startswith("offentlig/"):
            continue
        text = bilaga_text(name, data) if name.endswith((".pdf", ".docx")) else data.decode("utf-8", "ignore")
        found += [f"offentlig utgåva: {hit.kind} '{hit.text}' i {name.removeprefix('offentlig/')}" for hit in screen(text)]
    return sorted(set(found), key=found.index)


__all__ = ["ANSLAG_PAGE", "OPEN_DATA", "PROTOKOLL", "Dates", "Paragraf", "Protokoll", "ProtokollData", "adopted_text",
           "compose_anslag", "compose_protokoll", "compose_utdrag", "dates", "number", "produce_protokoll", "rules",
           "span", "utdrag_name"]
