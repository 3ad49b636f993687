"""DOCX with docxtpl from the Word template in templates/: real styles, lists and links.

The letterhead, logo, title and footer are docxtpl tags a communicator can move and restyle
in Word; the body is written as WordprocessingML (lxml) in place of the {{p body }} paragraph,
using the template's own styles (Heading 1–6, List Paragraph, Quote) and numbering
("beslut-numrerad", "beslut-punkt"). Output is byte-identical across builds: fixed zip dates
and document properties.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from ..document import Block, Document, Heading, ListBlock, Paragraph, Rule, Run, Signatures, Table
from ..errors import TemplateError
from . import DOCX_TEMPLATE as TEMPLATE

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
    body = _BodyWriter(tpl.docx, path)
    body.blocks(doc.blocks)
    lh = doc.letterhead
    context = {
        "organisation": lh.organisation, "forvaltning": lh.forvaltning, "datum": lh.datum,
        "dnr_text": f"Dnr {lh.dnr}" if lh.dnr else "", "handlaggare": ", ".join(lh.handlaggare),
        "mottagare": lh.mottagare, "title": doc.title, "subtitle": doc.subtitle, "draft": doc.draft,
        "footer_text": "  ·  ".join(doc.footer), "body": body,
        "logo": InlineImage(tpl, lh.logo, height=Mm(13)) if lh.logo else "",
    }
    try:
        tpl.render(context, jinja_env=_env, autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(path, f"{exc.__class__.__name__}: {exc}", record) from None
    body.insert_into(tpl.docx.element.body, path)
    if lh.logo:
        _describe_images(tpl.docx, lh.logo_alt)
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
    return _save_reproducibly(tpl.docx)


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _describe_images(document, alt: str) -> None:
    """Give the letterhead's images their text alternative (docPr/@descr), as Word's Alt Text."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.HEADER:  # docxtpl replaced the header parts when rendering them
            for pr in rel.target_part.element.iter(f"{{{_WP}}}docPr"):
                pr.set("descr", alt)


class _FixedDateZip:
    """The writer python-docx's PackageWriter writes parts to, with fixed entry dates."""

    def __init__(self, buffer: io.BytesIO):
        self.zip = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def close(self) -> None:
        self.zip.close()


def _save_reproducibly(document) -> bytes:
    """Save as python-docx's OpcPackage.save does, but with fixed zip dates (same input, same bytes)."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    buffer = io.BytesIO()
    writer = _FixedDateZip(buffer)
    PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[arg-type]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[arg-type]
    PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]
    writer.close()
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _el(parent, tag: str, **attrs: str):
    """A WordprocessingML element under ``parent``; attribute names are w: names."""
    el = etree.SubElement(parent, qn(tag)) if parent is not None else etree.Element(qn(tag), nsmap={"w": W})
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


class _BodyWriter:
    """Writes document blocks as WordprocessingML into a fragment the template's {{p body}} takes.

    Elements are built with lxml directly (python-docx's object layer cost 60 % of a build);
    styles and numbering are the template's own, looked up by name once.
    """

    def __init__(self, main_docx, template_path: Path):
        self.main = main_docx
        self.root = etree.Element(qn("w:body"), nsmap={"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"})
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
        self._style_ids: dict[str, str] = {}
        nums = [int(n.get(qn("w:numId"))) for n in self.numbering.findall(qn("w:num"))]
        self.next_num = max(nums, default=0) + 1

    MARKER = "beslut-body-6f1d2c"

    def __html__(self) -> str:
        """What docxtpl puts in place of the {{p body}} paragraph: a marker paragraph.

        The body elements are moved in afterwards (``insert_into``): passing them through
        docxtpl as text would serialise and parse them again.
        """
        return f"<w:p><w:r><w:t>{self.MARKER}</w:t></w:r></w:p>"

    __str__ = __html__

    def insert_into(self, document_body, template_path: Path) -> None:
        """Replace the marker paragraph in the rendered document with the body elements."""
        for p in document_body.iter(qn("w:p")):
            texts = [t.text for t in p.iter(qn("w:t"))]
            if texts == [self.MARKER]:
                parent = p.getparent()
                index = parent.index(p)
                parent.remove(p)
                for offset, child in enumerate(list(self.root)):
                    parent.insert(index + offset, child)
                return
        raise TemplateError(template_path, "Word-mallen saknar {{p body }} (platsen för dokumentets text)")

    def blocks(self, blocks: list[Block], depth: int = 0) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.paragraph(block.runs, self._style(f"Heading {min(block.level, 6)}"))
            elif isinstance(block, Paragraph):
                style = {"quote": "Quote", "code": "macro"}.get(block.style, "Normal")
                p = self.paragraph(block.runs, self._style(style), bold=block.style == "label")
                if block.style == "label":
                    ppr = p.find(qn("w:pPr"))
                    _el(ppr, "w:keepNext")
                    _el(ppr, "w:spacing", after="0")
            elif isinstance(block, ListBlock):
                self.list(block, depth)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Signatures):
                self.signatures(block)
            elif isinstance(block, Rule):
                self.rule()

    def rule(self) -> None:
        """A short line: an empty paragraph with a bottom border, indented from the right."""
        p = self.paragraph([], self._style("Normal"))
        ppr = p.find(qn("w:pPr"))
        _el(_el(ppr, "w:pBdr"), "w:bottom", val="single", sz="6", space="1", color="000000")
        _el(ppr, "w:ind", right="7000")

    def _style(self, name: str) -> str:
        """The style id for a style name (python-docx looks names up slowly: once is enough)."""
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self.main.styles[name].style_id
            except KeyError:
                self._style_ids[name] = self.main.styles["Normal"].style_id
        return self._style_ids[name]

    def paragraph(self, runs: list[Run], style_id: str, bold: bool = False, parent=None):
        p = _el(self.root if parent is None else parent, "w:p")
        ppr = _el(p, "w:pPr")
        _el(ppr, "w:pStyle", val=style_id)
        self.runs(p, runs, bold)
        return p

    def runs(self, p, runs: list[Run], bold: bool = False) -> None:
        for r in runs:
            parent = p
            if r.href:
                parent = _el(p, "w:hyperlink")
                parent.set(qn("r:id"), self.main.part.relate_to(r.href, RT.HYPERLINK, is_external=True))
            run = _el(parent, "w:r")
            rpr = None
            if r.href or r.bold or bold or r.italic or r.code:
                rpr = _el(run, "w:rPr")
                if r.href:
                    _el(rpr, "w:rStyle", val=self._style("Hyperlink") if self._has_style("Hyperlink") else "")
                    if not self._has_style("Hyperlink"):
                        rpr.remove(rpr[-1])
                        _el(rpr, "w:u", val="single")
                if r.code:
                    _el(rpr, "w:rFonts", ascii="Courier New", hAnsi="Courier New", cs="Courier New")
                if r.bold or bold:
                    _el(rpr, "w:b")
                if r.italic:
                    _el(rpr, "w:i")
            if r.br:
                _el(run, "w:br")
                continue
            t = _el(run, "w:t")
            t.text = r.text
            if r.text != r.text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _has_style(self, name: str) -> bool:
        try:
            self.main.styles[name]
            return True
        except KeyError:
            return False

    def list(self, block: ListBlock, depth: int) -> None:
        num_id = self._new_num("beslut-numrerad" if block.ordered else "beslut-punkt", block.start, depth)
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, Paragraph) and first:
                    p = self.paragraph(inner.runs, self._style("List Paragraph"))
                    numpr = _el(p.find(qn("w:pPr")), "w:numPr")
                    _el(numpr, "w:ilvl", val=str(depth))
                    _el(numpr, "w:numId", val=str(num_id))
                elif isinstance(inner, ListBlock):
                    self.list(inner, depth + 1)
                else:  # a further paragraph of the item: indented under its text, no number
                    before = len(self.root)
                    self.blocks([inner], depth + 1)
                    for el in list(self.root)[before:]:
                        if el.tag == qn("w:p"):
                            _el(el.find(qn("w:pPr")), "w:ind", left=str(425 * (depth + 1)))
                first = False

    def _new_num(self, abstract_name: str, start: int, depth: int) -> int:
        num_id = self.next_num
        self.next_num += 1
        num = _el(self.numbering, "w:num", numId=str(num_id))
        _el(num, "w:abstractNumId", val=self.abstract[abstract_name])
        override = _el(num, "w:lvlOverride", ilvl=str(depth))
        _el(override, "w:startOverride", val=str(start))
        return num_id

    def _table(self, rows: int, cols: int, style: str | None, borders: bool):
        tbl = _el(self.root, "w:tbl")
        tblpr = _el(tbl, "w:tblPr")
        if style:
            _el(tblpr, "w:tblStyle", val=style)
        _el(tblpr, "w:tblW", w="5000", type="pct")
        if not borders:
            b = _el(tblpr, "w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                _el(b, f"w:{side}", val="nil")
        grid = _el(tbl, "w:tblGrid")
        for _ in range(cols):
            _el(grid, "w:gridCol", w=str(9000 // cols))
        return tbl

    def table(self, block: Table) -> None:
        cols = max(len(r) for r in block.rows)
        tbl = self._table(len(block.rows), cols, self._style("Table Grid") if self._has_style("Table Grid") else None,
                          borders=True)
        for i, row in enumerate(block.rows):
            tr = _el(tbl, "w:tr")
            if block.header and i == 0:
                _el(_el(tr, "w:trPr"), "w:tblHeader")
            for j in range(cols):
                tc = _el(tr, "w:tc")
                _el(_el(tc, "w:tcPr"), "w:tcW", w=str(9000 // cols), type="dxa")
                runs = row[j] if j < len(row) else []
                self.paragraph(runs, self._style("Normal"), bold=block.header and i == 0, parent=tc)

    def signatures(self, block: Signatures) -> None:
        spacer = self.paragraph([], self._style("Normal"))
        _el(spacer.find(qn("w:pPr")), "w:spacing", before="240")
        cols = max(len(r) for r in block.rows)
        tbl = self._table(len(block.rows), cols, None, borders=False)
        for row in block.rows:
            tr = _el(tbl, "w:tr")
            for j in range(cols):
                tc = _el(tr, "w:tc")
                _el(_el(tc, "w:tcPr"), "w:tcW", w=str(9000 // cols), type="dxa")
                text = row[j] if j < len(row) else ""
                self.paragraph([Run(text)] if text else [], self._style("Normal"), parent=tc)
