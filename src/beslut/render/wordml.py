"""The DOCX body as WordprocessingML: the document's blocks in the Word template's own styles.

Elements are built with lxml directly (python-docx's object layer cost 60 % of a build);
styles and numbering ("beslut-numrerad", "beslut-punkt") are the template's own, looked up by
name once. Change marks become Word's own tracked changes (w:ins, w:del), by "beslut".
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..document import Bilaga, Block, Heading, ListBlock, Paragraph, Rule, Run, Signatures, Table, plain_text
from ..errors import TemplateError
from .context import NOBREAK

#: The named style of each line of a signature block.
_SIGNATURE_STYLES = {"party": "Underskrift part", "line": "Underskriftslinje", "name": "Underskrift namn",
                     "title": "Underskrift titel"}


def nobreak(text: str) -> str:
    """Hyphens inside dates, diarienummer and id-like values as Word's non-breaking hyphen (U+2011)."""
    if "-" not in text:
        return text
    return NOBREAK.sub(lambda m: m.group().replace("-", "\u2011"), text)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _el(parent, tag: str, **attrs: str):
    """A WordprocessingML element under ``parent``; attribute names are w: names."""
    el = etree.SubElement(parent, qn(tag)) if parent is not None else etree.Element(qn(tag), nsmap={"w": W})
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


class BodyWriter:
    """Writes document blocks as WordprocessingML into a fragment the template's {{p body}} takes.

    Elements are built with lxml directly (python-docx's object layer cost 60 % of a build);
    styles and numbering are the template's own, looked up by name once.
    """

    def __init__(self, main_docx, template_path: Path, date_iso: str, change_author: str = "beslut",
                 change_date: str | None = None, styles: dict[str, str | None] | None = None):
        """``styles`` keeps the style ids found by name (None: no such style) for the next writer
        on a copy of the same template: its styles are never changed (see docx._Pristine)."""
        self.main = main_docx
        # tracked changes carry a date: the document's own (or a redline's commit time), so that the bytes stay the same
        self.change_date = change_date or f"{date_iso[:10]}T00:00:00Z"
        self.change_author = change_author
        self.change_id = 0
        self.marks: list[tuple[Any, str]] = []  # paragraphs whose mark is an inserted or deleted one
        # the place of the body is found again by a token no record text can know in advance
        self.marker = f"beslut-body-{secrets.token_hex(16)}"
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
        self._style_ids: dict[str, str | None] = {} if styles is None else styles
        nums = [int(n.get(qn("w:numId"))) for n in self.numbering.findall(qn("w:num"))]
        self.next_num = max(nums, default=0) + 1

    def __html__(self) -> str:
        """What docxtpl puts in place of the {{p body}} paragraph: a marker paragraph.

        The body elements are moved in afterwards (``insert_into``): passing them through
        docxtpl as text would serialise and parse them again.
        """
        return f"<w:p><w:r><w:t>{self.marker}</w:t></w:r></w:p>"

    __str__ = __html__

    def insert_into(self, document_body, template_path: Path) -> None:
        """Replace the marker paragraph in the rendered document with the body elements."""
        places = [p for p in document_body.iter(qn("w:p")) if [t.text for t in p.iter(qn("w:t"))] == [self.marker]]
        if not places:
            raise TemplateError(template_path, "Word-mallen saknar {{p body }} (platsen för dokumentets text)")
        if len(places) > 1:
            raise TemplateError(template_path, "Word-mallen har {{p body }} mer än en gång; behåll en")
        for para, change in self.marks:  # the paragraph mark's change: last in w:pPr (schema order)
            rpr = _el(para.find(qn("w:pPr")), "w:rPr")
            self._change(rpr, change)
        p = places[0]
        parent = p.getparent()
        index = parent.index(p)
        parent.remove(p)
        for offset, child in enumerate(list(self.root)):
            parent.insert(index + offset, child)

    def blocks(self, blocks: list[Block], depth: int = 0) -> None:
        for i, block in enumerate(blocks):
            if i + 1 < len(blocks) and isinstance(blocks[i + 1], Signatures) and isinstance(block, Paragraph) \
                    and block.style == "body":
                # the place-and-date line stays with the signatures below it
                p = self.paragraph(block.runs, self._style("Normal"), change=block.change)
                _el(p.find(qn("w:pPr")), "w:keepNext")
                continue
            if isinstance(block, Heading):
                self.paragraph(block.runs, self._style(f"Heading {min(block.level, 6)}"), change=block.change)
            elif isinstance(block, Paragraph):
                style = {"quote": "Quote", "code": "macro", "label": "Etikett"}.get(block.style, "Normal")
                p = self.paragraph(block.runs, self._style(style), bold=block.style == "label", change=block.change)
                if block.style == "label":  # with its paragraph, also in a template without "Etikett"
                    ppr = p.find(qn("w:pPr"))
                    _el(ppr, "w:keepNext")
                    _el(ppr, "w:keepLines")
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
        p = self.paragraph([], self._style("Avgränsning"))
        ppr = p.find(qn("w:pPr"))
        _el(_el(ppr, "w:pBdr"), "w:bottom", val="single", sz="6", space="1", color="000000")
        _el(ppr, "w:ind", right="7000")

    def _style(self, name: str) -> str:
        """The style id for a style name, else Normal's (python-docx looks names up slowly: once is enough)."""
        return self._lookup(name) or self.main.styles["Normal"].style_id

    def _lookup(self, name: str) -> str | None:
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self.main.styles[name].style_id
            except KeyError:
                self._style_ids[name] = None
        return self._style_ids[name]

    def paragraph(self, runs: list[Run], style_id: str, bold: bool = False, parent=None, change: str | None = None):
        p = _el(self.root if parent is None else parent, "w:p")
        ppr = _el(p, "w:pPr")
        _el(ppr, "w:pStyle", val=style_id)
        self.runs(p, runs, bold)
        if change:
            self.marks.append((p, change))
        return p

    def runs(self, p, runs: list[Run], bold: bool = False) -> None:
        for r in runs:
            parent = p
            if r.href:
                parent = _el(p, "w:hyperlink")
                parent.set(qn("r:id"), self.main.part.relate_to(r.href, RT.HYPERLINK, is_external=True))
            if r.change:
                parent = self._change(parent, r.change)
            run = _el(parent, "w:r")
            rpr = None
            if r.href or r.bold or bold or r.italic or r.code:
                rpr = _el(run, "w:rPr")
                if r.href and self._has_style("Hyperlink"):  # Word's own character style for links
                    _el(rpr, "w:rStyle", val=self._style("Hyperlink"))
                elif r.href:
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
            t = _el(run, "w:delText" if r.change == "delete" else "w:t")
            t.text = nobreak(r.text)
            if r.text != r.text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _change(self, parent, change: str):
        """A tracked insertion or deletion (w:ins / w:del) to hold the next run."""
        self.change_id += 1
        return _el(parent, "w:ins" if change == "insert" else "w:del", id=str(self.change_id),
                   author=self.change_author, date=self.change_date)

    def _has_style(self, name: str) -> bool:
        return self._lookup(name) is not None

    def list(self, block: ListBlock, depth: int) -> None:
        num_id = self._new_num("beslut-numrerad" if block.ordered else "beslut-punkt", block.start, depth)
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, Paragraph) and first:
                    p = self.paragraph(inner.runs, self._style("List Paragraph"), change=inner.change)
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

    def _table(self, rows: int, cols: int, style: str | None, borders: bool, widths: Sequence[int] | None = None):
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
        for j in range(cols):
            _el(grid, "w:gridCol", w=str(widths[j] if widths else 9000 // cols))
        return tbl

    def table(self, block: Table) -> None:
        """A table with columns as wide as their content asks (within the page); a header row repeats."""
        rows, header = block.rows, block.header
        if header and rows and not any(plain_text(c).strip() for c in rows[0]):
            rows, header = rows[1:], False  # a Markdown table with an empty header row: no header
        if not rows:
            return
        cols = max(len(r) for r in rows)
        need = [max(4, min(40, max((len(plain_text(r[j])) for r in rows if j < len(r)), default=0))) for j in range(cols)]
        widths = [9000 * n // sum(need) for n in need]
        tbl = self._table(len(rows), cols, self._style("Table Grid") if self._has_style("Table Grid") else None,
                          borders=True, widths=widths)
        for i, row in enumerate(rows):
            tr = _el(tbl, "w:tr")
            trpr = _el(tr, "w:trPr")
            _el(trpr, "w:cantSplit")
            if header and i == 0:
                _el(trpr, "w:tblHeader")
            row_change = block.row_changes[i + len(block.rows) - len(rows)] if block.row_changes else None
            if row_change:  # redline: the whole row inserted or deleted
                self._change(trpr, row_change)
            for j in range(cols):
                tc = _el(tr, "w:tc")
                _el(_el(tc, "w:tcPr"), "w:tcW", w=str(widths[j]), type="dxa")
                runs = row[j] if j < len(row) else []
                self.paragraph(runs, self._style("Tabelltext"), bold=header and i == 0, parent=tc)

    def signatures(self, block: Signatures) -> None:
        """Signers side by side, one cell each: party, a line to sign on (agreements), name, title.

        Each signer is one unit (read in that order); the row cannot split and every paragraph
        keeps with the next, so a page break never comes inside the block.
        """
        spacer = self.paragraph([], self._style("Normal"))  # the PDF's gap above the block: 15 pt, exactly
        _el(spacer.find(qn("w:pPr")), "w:spacing", before="0", after="0", line="300", lineRule="exact")
        _el(spacer.find(qn("w:pPr")), "w:keepNext")
        cols = max(len(block.signers), 1)
        tbl = self._table(1, cols, None, borders=False)
        tr = _el(tbl, "w:tr")
        _el(_el(tr, "w:trPr"), "w:cantSplit")
        for signer in block.signers:
            tc = _el(tr, "w:tc")
            _el(_el(tc, "w:tcPr"), "w:tcW", w=str(9000 // cols), type="dxa")
            lines = [("party", signer.party), ("line", "" if block.lines else None), ("name", signer.name),
                     ("title", signer.title)]
            lines = [(kind, text) for kind, text in lines if text or (kind == "line" and text == "")]
            for n, (kind, text) in enumerate(lines):
                p = self.paragraph([Run(text)] if text else [], self._style(_SIGNATURE_STYLES[kind]), parent=tc)
                ppr = p.find(qn("w:pPr"))
                if n + 1 < len(lines):
                    _el(ppr, "w:keepNext")
                if kind == "line":
                    # room to sign above a line; right indent keeps neighbouring lines apart
                    _el(_el(ppr, "w:pBdr"), "w:bottom", val="single", sz="6", space="1", color="000000")
                    _el(ppr, "w:spacing", before="720", after="60")
                    _el(ppr, "w:ind", right="567")
            if not lines:  # a cell holds at least one paragraph
                self.paragraph([], self._style("Underskrift namn"), parent=tc)

    def bilagor(self, bilagor: Sequence[Bilaga], label: str, word: str) -> None:
        """The attached files, each linked to its name beside the document."""
        self.paragraph([Run(label)], self._style("Etikett"), bold=True)
        items: Sequence[Sequence[Block]] = [[Paragraph([Run(f"{word} {b.number}: {b.title}", href=b.output)])]
                                            for b in bilagor]
        self.list(ListBlock(False, [[*item] for item in items]), 0)
