"""DOCX with docxtpl from the Word template in templates/: real styles, lists and links.

The letterhead, title and footer are docxtpl tags a communicator can move and restyle in
Word; the body is built as a docxtpl subdocument with python-docx using the template's own
styles (Heading 1–6, List Paragraph, Quote) and numbering ("beslut-numrerad", "beslut-punkt").
Output is made byte-identical across builds: fixed zip dates and document properties.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..document import Block, Document, Heading, ListBlock, Paragraph, Run, Signatures, Table
from ..errors import TemplateError

TEMPLATE = "dokument.docx"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def render_docx(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as DOCX bytes, identical for identical input."""
    path = template_dir / TEMPLATE
    if not path.is_file():
        raise TemplateError(path, "Word-mallen finns inte", record)
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a non-DOCX file
        raise TemplateError(path, f"inte en läsbar Word-fil (.docx): {exc.__class__.__name__}", record) from None
    sub = tpl.new_subdoc()
    writer = _BodyWriter(sub.subdocx, tpl.get_docx(), path)
    writer.blocks(doc.blocks)
    lh = doc.letterhead
    context = {
        "organisation": lh.organisation, "forvaltning": lh.forvaltning, "datum": lh.datum,
        "dnr_text": f"Dnr {lh.dnr}" if lh.dnr else "", "handlaggare": ", ".join(lh.handlaggare),
        "mottagare": lh.mottagare, "title": doc.title, "subtitle": doc.subtitle, "draft": doc.draft,
        "footer_text": "  ·  ".join(doc.footer), "body": sub,
    }
    try:
        tpl.render(context, jinja_env=_env, autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(path, f"{exc.__class__.__name__}: {exc}", record) from None
    props = tpl.docx.core_properties
    stamp = dt.datetime.fromisoformat(doc.date_iso)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.last_modified_by = "beslut"
    props.author = lh.organisation
    props.title = doc.title
    props.subject = doc.kind
    props.keywords = ", ".join(doc.keywords)
    props.language = "sv-SE"
    props.revision = 1
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


class _BodyWriter:
    """Writes document blocks into a python-docx document that shares the template's parts."""

    def __init__(self, target, main_docx, template_path: Path):
        self.target = target
        self.main = main_docx
        self.template_path = template_path
        self.numbering = main_docx.part.numbering_part.element
        self.abstract = {}
        for abstract in self.numbering.findall(qn("w:abstractNum")):
            name = abstract.find(qn("w:name"))
            if name is not None:
                self.abstract[name.get(qn("w:val"))] = abstract.get(qn("w:abstractNumId"))
        for needed in ("beslut-numrerad", "beslut-punkt"):
            if needed not in self.abstract:
                raise TemplateError(template_path, f"numreringen '{needed}' saknas i Word-mallen; "
                                                   "skapa mallen på nytt med tools/make_word_template.py")
        nums = [int(n.get(qn("w:numId"))) for n in self.numbering.findall(qn("w:num"))]
        self.next_num = max(nums, default=0) + 1

    def blocks(self, blocks: list[Block], depth: int = 0) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.paragraph(block.runs, self._style(f"Heading {min(block.level, 6)}"))
            elif isinstance(block, Paragraph):
                style = {"quote": "Quote", "code": "macro"}.get(block.style, "Normal")
                p = self.paragraph(block.runs, self._style(style), bold=block.style == "label")
                if block.style == "label":
                    p.paragraph_format.keep_with_next = True
                    p.paragraph_format.space_after = 0
            elif isinstance(block, ListBlock):
                self.list(block, depth)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Signatures):
                self.signatures(block)

    def _style(self, name: str) -> str:
        try:
            self.main.styles[name]
        except KeyError:
            return "Normal"
        return name

    def paragraph(self, runs: list[Run], style: str, bold: bool = False, container=None):
        p = (container or self.target).add_paragraph(style=style)
        self.runs(p, runs, bold)
        return p

    def runs(self, p, runs: list[Run], bold: bool = False) -> None:
        for r in runs:
            if r.br:
                p.add_run().add_break()
                continue
            if r.href:
                self._hyperlink(p, r)
                continue
            run = p.add_run(r.text)
            run.bold = (r.bold or bold) or None
            run.italic = r.italic or None
            if r.code:
                run.font.name = "Courier New"

    def _hyperlink(self, p, r: Run) -> None:
        rid = self.main.part.relate_to(r.href, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = p.add_run(r.text)
        run.bold = r.bold or None
        run.italic = r.italic or None
        try:
            run.style = self.main.styles["Hyperlink"]
        except KeyError:
            run.font.underline = True
        p._p.remove(run._r)
        link.append(run._r)
        p._p.append(link)

    def list(self, block: ListBlock, depth: int) -> None:
        num_id = self._new_num("beslut-numrerad" if block.ordered else "beslut-punkt", block.start, depth)
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, Paragraph) and first:
                    p = self.paragraph(inner.runs, self._style("List Paragraph"))
                    self._number(p, num_id, depth)
                    first = False
                elif isinstance(inner, ListBlock):
                    self.list(inner, depth + 1)
                else:
                    before = len(self.target.element.body)
                    self.blocks([inner], depth + 1)
                    for el in list(self.target.element.body)[before:]:
                        if el.tag == qn("w:p"):
                            ppr = el.get_or_add_pPr()
                            ind = OxmlElement("w:ind")
                            ind.set(qn("w:left"), str(425 * (depth + 1)))
                            ppr.append(ind)
                    first = False

    def _new_num(self, abstract_name: str, start: int, depth: int) -> int:
        num_id = self.next_num
        self.next_num += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), self.abstract[abstract_name])
        num.append(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), str(depth))
        start_el = OxmlElement("w:startOverride")
        start_el.set(qn("w:val"), str(start))
        override.append(start_el)
        num.append(override)
        self.numbering.append(num)
        return num_id

    @staticmethod
    def _number(p, num_id: int, depth: int) -> None:
        ppr = p._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(depth))
        num = OxmlElement("w:numId")
        num.set(qn("w:val"), str(num_id))
        numpr.append(ilvl)
        numpr.append(num)
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, numpr)

    def table(self, block: Table) -> None:
        cols = max(len(r) for r in block.rows)
        table = self.target.add_table(rows=0, cols=cols)
        table.style = self._style("Table Grid") if self._style("Table Grid") != "Normal" else None
        for i, row in enumerate(block.rows):
            cells = table.add_row().cells
            for j, runs in enumerate(row):
                p = cells[j].paragraphs[0]
                self.runs(p, runs, bold=block.header and i == 0)
        if block.header and block.rows:
            trpr = table.rows[0]._tr.get_or_add_trPr()
            head = OxmlElement("w:tblHeader")
            trpr.append(head)

    def signatures(self, block: Signatures) -> None:
        spacer = self.target.add_paragraph()
        spacer.paragraph_format.space_before = 12
        cols = max(len(r) for r in block.rows)
        table = self.target.add_table(rows=0, cols=cols)
        for row in block.rows:
            cells = table.add_row().cells
            for j, text in enumerate(row):
                cells[j].paragraphs[0].add_run(text)
