"""The meeting packet: both editions of everything the members and the public read, in memory.

Each edition folder holds the kallelse (DOCX, PDF, HTML), every open ärende's documents and
bilagor, ``handlingar.pdf`` (kallelse first, then per ärende its tjänsteskrivelse and bilagor,
with a bookmark per ärende and one per document under it, and page labels), ``index.html`` and
``meeting.json`` with its schema. The public edition is made from the public view of the agenda
only: a confidential ärende contributes its number, public title and OSL reference and nothing
else — no file, no page, no bookmark, no metadata.
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Block, Document, Heading, ListBlock, Paragraph, Run, text_run
from ..project import Project
from ..records import LoadedRecord
from ..swedish import datum
from .agenda import Item
from .kallelse import Edition, compose_kallelse, title, when
from .model import Sammantrade
from .opendata import ItemData, Links, MeetingData, schema_json, to_json

EDITIONS: tuple[Edition, ...] = ("intern", "offentlig")
PACKET_PDF = "handlingar.pdf"


@dataclass
class Packet:
    """Both editions as files (paths relative to the packet folder) and what the secretary should know."""

    files: dict[str, bytes] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


@dataclass
class _Made:
    """One ärende's files, made once and shared by the editions that show it."""

    files: dict[str, bytes] = field(default_factory=dict)
    pdfs: list[tuple[str, bytes]] = field(default_factory=list)  # (bookmark title, PDF) in packet order
    links: Links = field(default_factory=Links)


def produce_packet(meeting: LoadedRecord, items: list[Item], project: Project,
                   prebuilt: dict[str, dict[str, bytes]] | None = None) -> Packet:
    """Make both editions of a meeting's packet (nothing is written); records' PDF and HTML come
    from ``prebuilt`` where it has them."""
    from ..render import render

    model = meeting.model
    assert isinstance(model, Sammantrade)
    packet = Packet()
    made = {item.number: _make(item, project, packet.report, prebuilt or {}) for item in items}
    for edition in EDITIONS:
        shown = [i for i in items if edition == "intern" or not i.confidential]
        kallelse = compose_kallelse(meeting, items, project.profile, edition)
        docs = render(kallelse, ("docx", "pdf", "html"), project.templates, source=meeting.path, parallel=True)
        files = {f"kallelse.{fmt}": data for fmt, data in docs.items()}
        for item in shown:
            files.update(made[item.number].files)
        # a bookmark per ärende: its documents, or (an item without documents, a confidential one in
        # the public edition) the kallelse where the föredragningslista names it
        parts = [("Kallelse och föredragningslista", [("Kallelse", docs["pdf"])])]
        visible = {i.number for i in shown}
        parts += [(f"{i.number}. {i.title if i.number in visible else i.public_title}",
                   made[i.number].pdfs if i.number in visible else []) for i in items]
        files[PACKET_PDF] = merge(parts, f"Handlingar – {kallelse.title}")
        files["index.html"] = _index(meeting, kallelse, items, made, edition, project)
        files["meeting.json"] = _open_data(model, items, made, edition, project).encode("utf-8")
        files["meeting.schema.json"] = schema_json().encode("utf-8")
        packet.files.update({f"{edition}/{name}": data for name, data in files.items()})
    return packet


def _make(item: Item, project: Project, report: list[str], prebuilt: dict[str, dict[str, bytes]]) -> _Made:
    """An ärende's documents and bilagor as files, and its PDFs for the packet."""
    from ..compose import bilaga_output
    from ..produce import produce  # produce is the client's entry point; imported late (it imports the kinds)

    made = _Made()
    if item.record is not None:
        rid = item.record.id
        documents = prebuilt.get(rid)
        if documents is not None:  # made by this build, or unchanged in the output folder: no second rendering
            # numbered as the composer numbers them (in order, one per file named)
            attachments = {bilaga_output(rid, n, name): item.record.path.parent / name
                           for n, name in enumerate(item.record.model.bilagor(), 1)}
        else:
            outcome = produce(item.record.path, project.with_options(formats=("pdf", "html"), strict=False))
            if not outcome.ok:
                report.append(f"ärende {item.number}: posten {rid} kunde inte byggas")
                return made
            documents, attachments = outcome.documents, outcome.attachments
        made.files[f"{rid}.pdf"] = documents["pdf"]
        made.files[f"{rid}.html"] = documents["html"]
        made.links = Links(html=f"{rid}.html", pdf=f"{rid}.pdf")
        made.pdfs.append((item.record.model.rubrik, documents["pdf"]))
        for name, path in attachments.items():
            _bilaga(made, name, path, report)
    for k, (bilaga_title, path) in enumerate(item.bilagor, 1):
        _bilaga(made, f"punkt-{item.number}.bilaga-{k}{path.suffix.lower()}", path, report, bilaga_title)
    return made


def _bilaga(made: _Made, name: str, path: Path, report: list[str], shown: str | None = None) -> None:
    data = path.read_bytes()
    made.files[name] = data
    made.links.bilagor.append(name)
    if name.endswith(".pdf"):
        made.pdfs.append((shown or f"Bilaga: {path.stem}", data))
        if not is_pdfa(data):
            report.append(f"{name}: bilagan är inte PDF/A (arkivbeständig); handlingar.pdf gör inte anspråk på PDF/A")
    else:
        report.append(f"{name}: DOCX-bilagor länkas men ingår inte i {PACKET_PDF}")


def is_pdfa(data: bytes) -> bool:
    """Whether a PDF declares PDF/A conformance in its XMP."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        try:
            meta = pdf.open_metadata()
        except Exception:  # a broken XMP packet: not PDF/A
            return False
        return bool(meta.get("pdfaid:part"))


def merge(parts: list[tuple[str, list[tuple[str, bytes]]]], pdf_title: str) -> bytes:
    """One PDF of all parts: a bookmark per part with one per document under it, page labels per part.

    A part without documents still gets its bookmark, pointing at the first page.

    The pages are copied, not re-rendered. The result claims no PDF/A (its parts may not be).
    """
    import pikepdf

    out = pikepdf.Pdf.new()
    labels: list = []
    sources = []
    with out.open_outline() as outline:
        for number, (part_title, docs) in enumerate(parts):
            first = len(out.pages)
            top = pikepdf.OutlineItem(part_title, first if docs else 0)  # no documents: the kallelse names it
            outline.root.append(top)
            if not docs:
                continue
            prefix = "K:" if number == 0 else f"{part_title.split('.', 1)[0]}:"
            labels += [first, pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(prefix))]
            for doc_title, data in docs:
                src = pikepdf.open(io.BytesIO(data))
                sources.append(src)
                top.children.append(pikepdf.OutlineItem(doc_title, len(out.pages)))
                out.pages.extend(src.pages)
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
    out.Root.Lang = pikepdf.String("sv-SE")
    out.docinfo[pikepdf.Name.Title] = pikepdf.String(pdf_title)
    out.docinfo[pikepdf.Name.Producer] = pikepdf.String("beslut")
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    for src in sources:
        src.close()
    return buffer.getvalue()


def _index(meeting: LoadedRecord, kallelse: Document, items: list[Item], made: dict[int, _Made], edition: Edition,
           project: Project) -> bytes:
    """An accessible HTML page linking every ärende's HTML, PDF and bilagor, drawn by the HTML template
    (with the letterhead of this edition's kallelse)."""
    from ..render import render

    model = meeting.model
    assert isinstance(model, Sammantrade)
    blocks: list[Block] = [Paragraph([Run("Tid: ", bold=True), Run(when(model))]),
              Paragraph([Run("Plats: ", bold=True), Run(model.plats)]),
              Heading(1, text_run("Kallelse och handlingar")),
              ListBlock(False, [[Paragraph([Run("Kallelse med föredragningslista (HTML)", href="kallelse.html")])],
                                [Paragraph([Run("Kallelse (PDF)", href="kallelse.pdf")])],
                                [Paragraph([Run("Kallelse (Word)", href="kallelse.docx")])],
                                [Paragraph([Run("Alla handlingar i en PDF med bokmärken", href=PACKET_PDF)])]]),
              Heading(1, text_run("Ärenden"))]
    for item in items:
        if item.confidential and edition == "offentlig":
            blocks += [Heading(2, text_run(f"{item.number}. {item.public_title}")),
                       Paragraph(text_run(f"Sekretess enligt {item.osl}."))]
            continue
        blocks.append(Heading(2, text_run(f"{item.number}. {item.title}")))
        links = made[item.number].links
        entries: list[list[Block]] = []
        if links.html:
            entries.append([Paragraph([Run(f"Ärende {item.number}, {item.title} (HTML)", href=links.html)])])
        if links.pdf:
            entries.append([Paragraph([Run(f"Ärende {item.number}, {item.title} (PDF)", href=links.pdf)])])
        entries += [[Paragraph([Run(f"Bilaga {k}: {name}", href=name)])] for k, name in enumerate(links.bilagor, 1)]
        if entries:
            blocks.append(ListBlock(False, entries))
        else:
            blocks.append(Paragraph(text_run("Inga handlingar.")))
    doc = Document(id=f"{meeting.id}-index", kind="sammanträde", title=f"Handlingar – {title(model, project.profile)}",
                   lang="sv-SE", draft=kallelse.draft, letterhead=kallelse.letterhead, subtitle=[], blocks=blocks,
                   footer=kallelse.footer, date_iso=kallelse.date_iso, keywords=kallelse.keywords)
    return render(doc, ("html",), project.templates, source=meeting.path)["html"]


def _open_data(model: Sammantrade, items: list[Item], made: dict[int, _Made], edition: Edition,
               project: Project) -> str:
    from .kallelse import _forslag

    data = []
    for item in items:
        if item.confidential and edition == "offentlig":
            data.append(ItemData(nummer=item.number, rubrik=item.public_title, typ=item.entry.typ, sekretess=item.osl))
            continue
        data.append(ItemData(nummer=item.number, rubrik=item.title, typ=item.entry.typ, dnr=item.dnr or None,
                             föredragande=item.entry.föredragande, förslag=_forslag(item.record) if item.record else [],
                             sekretess=item.osl or None, länkar=made[item.number].links))
    meeting = MeetingData(nämnd=project.profile.organ[model.nämnd].namn, datum=datum(model.datum), tid=when(model),
                          plats=model.plats, utgåva=edition,
                          kallelse=Links(html="kallelse.html", pdf="kallelse.pdf"), handlingar=PACKET_PDF, ärenden=data)
    return to_json(meeting)


@dataclass
class Screening:
    """What the personnummer screen of a public edition found, and what it may skip next time."""

    leaks: list[str] = field(default_factory=list)
    """One line per number the public edition would show."""
    clean: list[str] = field(default_factory=list)
    """Keys (:func:`content_key`) of the records and bilagor whose text holds no number: screened
    now or known clean from the last build. A build keeps them beside the meeting in its manifest."""


def content_key(what: str, data: bytes) -> str:
    """The memo key of a text source: what kind of source it is (its text is read by kind) and the
    SHA-256 of its bytes. A key names content, not a file: a changed bilaga has a new key."""
    import hashlib

    return f"{what}:{hashlib.sha256(data).hexdigest()}"


def public_personnummer(meeting: LoadedRecord, items: list[Item], packet: Packet) -> list[str]:
    """Personnummer that would reach the public edition: in the meeting's own text, the open
    ärenden's records (acknowledged ones too: a record may lawfully hold one, a public packet
    may not) and items, and the text of their bilagor (PDF and DOCX)."""
    return screen_public(meeting, items, packet).leaks


def screen_public(meeting: LoadedRecord, items: list[Item], packet: Packet,
                  known_clean: frozenset[str] = frozenset()) -> Screening:
    """:func:`public_personnummer`, skipping the records and bilagor in ``known_clean``.

    The screen of a record's text or a bilaga's is a function of its bytes alone, so what the
    last build of this meeting (by the same beslut) found clean need not be read again: reading the
    text of ten-page bilagor was a third of rebuilding a packet after one ärende was edited.
    The meeting's own text and the agenda items are always screened.
    """
    from ..personnummer import screen
    from ..yamlsource import strings

    # in the order the texts are reported: (memo key or None: always screened, [(where, text)])
    groups: list[tuple[str | None, list[tuple[str, str]]]] = []
    data = meeting.source.data if isinstance(meeting.source.data, dict) else {}
    groups.append((None, [("sammanträdet", v) for _, v in strings({k: v for k, v in data.items() if k != "ärenden"},
                                                                      ())]))
    for item in items:
        if item.confidential:
            continue
        where = f"ärende {item.number}"
        groups.append((None, [(where, v) for _, v in strings(item.entry.model_dump(mode="json"), ())]))
        if item.record is not None:
            raw = item.record.source.raw
            key = content_key("post", raw) if raw else None
            groups.append((key, [] if key in known_clean else
                           [(f"{where} (posten {item.record.id})", v) for _, v in strings(item.record.source.data, ())]))
    for name, data_bytes in packet.files.items():
        if name.startswith("offentlig/") and ".bilaga-" in name:
            key = content_key(Path(name).suffix.lstrip(".").lower(), data_bytes)
            groups.append((key, [] if key in known_clean else
                           [(name.removeprefix("offentlig/"), bilaga_text(name, data_bytes))]))
    result = Screening()
    for key, texts in groups:
        found = [f"offentlig utgåva: {hit.kind} '{hit.text}' i {where}" for where, text in texts for hit in screen(text)]
        result.leaks += found
        if key is not None and not found:
            result.clean.append(key)
    result.leaks = sorted(set(result.leaks), key=result.leaks.index)
    result.clean = sorted(set(result.clean))
    return result


_pdfium = threading.Lock()  # PDFium is not thread-safe; serve renders in threads


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page after page (PDFium: 10 pages in some 10 ms, where pdfminer's layout
    analysis took two seconds and made the packet of 40 ärenden 4× slower). Empty if unreadable."""
    import pypdfium2

    with _pdfium:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except Exception:  # a PDF PDFium cannot read: nothing to screen; the packet still names it
            return ""
        try:
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return "\n".join(pages)
        except Exception:
            return ""
        finally:
            pdf.close()


def bilaga_text(name: str, data: bytes) -> str:
    """The text of a PDF or DOCX bilaga, for screening (empty if it has none that can be read)."""
    if name.endswith(".pdf"):
        return pdf_text(data)
    if name.endswith(".docx"):
        import re
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                xml = z.read("word/document.xml").decode("utf-8", "ignore")
        except (KeyError, zipfile.BadZipFile):
            return ""
        return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return ""
