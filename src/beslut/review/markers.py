"""Changed text outside the body (letterhead, title, footer, signers): markers replaced after rendering.

The templates print such text from plain strings, not runs. A string that differs between the
two revisions is handed to the template as a marker word (letters and digits only, so no filter
or escaping alters it); once the document is drawn, each marker is replaced by the pieces of its
word-level difference: in Word as tracked changes in the marker's own run formatting, in HTML as
``<del>``/``<ins>``. Where a marker stands in metadata or an attribute it becomes the new text.
"""
from __future__ import annotations

import copy
import dataclasses
import html
import io
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from .words import word_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: A marker: "QZBESLUTMARK7ZQ"; in Word "QZBESLUTMARK7Q 0-0 ZQ", whose hyphen tells whether the template
#: made id-like values non-breaking there (then the hyphen is U+2011 and the pieces get the same).
MARKER = re.compile(r"QZBESLUTMARK(\d+)(?:Q 0([-\u2011])0 )?ZQ")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Tracked changes made here are numbered from this id up (the body's start at 1).
FIRST_ID = 100_000


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Markers:
    """The changed strings of one redline: marker → (old, new) and its word pieces."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, list[tuple[str, str]]]] = []
        self._known: dict[tuple[str, str], str] = {}

    def text(self, old: str, new: str) -> str:
        """``new`` itself if nothing changed, else a marker standing for the change (the same one for the same change)."""
        if old == new:
            return new
        if (old, new) not in self._known:
            self.items.append((old, new, word_diff(old, new)))
            self._known[(old, new)] = f"QZBESLUTMARK{len(self.items) - 1}ZQ"
        return self._known[(old, new)]

    def for_word(self, doc: Any) -> Any:
        """The document with its markers in the Word form (which shows whether the template applied ``nobreak``)."""
        return self._map(doc, lambda text: MARKER.sub(lambda m: f"QZBESLUTMARK{m.group(1)}Q 0-0 ZQ", text))

    def new_text(self, text: str) -> str:
        """A string with its markers replaced by the new text."""
        return MARKER.sub(lambda m: self.items[int(m.group(1))][1], text)

    def substitute(self, value: Any) -> Any:
        """A document (or any value in it) with every marker replaced by the new text."""
        return self._map(value, self.new_text)

    def _map(self, value: Any, change) -> Any:
        if isinstance(value, str):
            return change(value) if "QZBESLUTMARK" in value else value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: self._map(getattr(value, f.name), change)
                                                 for f in dataclasses.fields(value) if f.init})
        if isinstance(value, list):
            return [self._map(v, change) for v in value]
        if isinstance(value, tuple):
            return tuple(self._map(v, change) for v in value)
        if isinstance(value, dict):
            return {k: self._map(v, change) for k, v in value.items()}
        return value

    # --- HTML --------------------------------------------------------------------------------

    def expand_html(self, page: bytes) -> bytes:
        """An HTML page with each marker in text as <del>old</del><ins>new</ins>, in tags and the title as the new text."""
        if not self.items:
            return page
        text = page.decode("utf-8")
        out: list[str] = []
        raw_text = False  # inside <title>, <script> or <style>: no markup
        for piece in re.split(r"(<[^>]*>)", text):
            if piece.startswith("<"):
                name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
                if name and name.group(1).lower() in ("title", "script", "style"):
                    raw_text = not piece.startswith("</")
                out.append(MARKER.sub(lambda m: html.escape(self.items[int(m.group(1))][1]), piece))
            elif raw_text:
                out.append(MARKER.sub(lambda m: html.escape(self.items[int(m.group(1))][1], quote=False), piece))
            else:
                out.append(MARKER.sub(lambda m: self._html_pieces(int(m.group(1))), piece))
        return "".join(out).encode("utf-8")

    def _html_pieces(self, n: int) -> str:
        parts = []
        for op, text in self.items[n][2]:
            t = html.escape(text, quote=False)
            parts.append(t if op == "equal" else f"<del>{t}</del>" if op == "delete" else f"<ins>{t}</ins>")
        return "".join(parts)

    # --- DOCX --------------------------------------------------------------------------------

    def expand_docx(self, data: bytes, author: str, date: str) -> bytes:
        """A DOCX with each marker in a text run replaced by tracked changes; elsewhere by the new text.

        The zip is written again with fixed dates (same input, same bytes).
        """
        if not self.items:
            return data
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        ids = [FIRST_ID]
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                blob = source.read(info.filename)
                if info.filename.endswith(".xml") and b"QZBESLUTMARK" in blob:
                    blob = self._expand_part(blob, author, date, ids)
                entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, blob)
        return buffer.getvalue()

    def _expand_part(self, blob: bytes, author: str, date: str, ids: list[int]) -> bytes:
        root = etree.fromstring(blob)
        for t in list(root.iter(_w("t"))):
            if t.text and MARKER.search(t.text) and t.getparent() is not None and t.getparent().tag == _w("r"):
                self._expand_run(t, author, date, ids)
        text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")
        # what is left (metadata, attributes): the new text, escaped for where it stands
        return MARKER.sub(lambda m: escape(self._nobreak(m), {'"': "&quot;"}), text).encode("utf-8")

    def _nobreak(self, m: re.Match) -> str:
        new = self.items[int(m.group(1))][1]
        if m.group(2) == "\u2011":
            from ..render.wordml import nobreak

            return nobreak(new)
        return new

    def _expand_run(self, t, author: str, date: str, ids: list[int]) -> None:
        run = t.getparent()
        parent = run.getparent()
        rpr = run.find(_w("rPr"))
        children = [c for c in run if c.tag != _w("rPr")]
        at = children.index(t)
        before, after = children[:at], children[at + 1:]
        pieces: list[tuple[str, str]] = []
        pos = 0
        for m in MARKER.finditer(t.text):
            if m.start() > pos:
                pieces.append(("equal", t.text[pos:m.start()]))
            own = self.items[int(m.group(1))][2]
            if m.group(2) == "\u2011":  # the template made this value non-breaking, as build does
                from ..render.wordml import nobreak

                own = [(op, nobreak(text)) for op, text in own]
            pieces.extend(own)
            pos = m.end()
        if pos < len(t.text):
            pieces.append(("equal", t.text[pos:]))
        new: list[Any] = []

        def make_run(elements: list) -> Any:
            r = etree.Element(_w("r"))
            if rpr is not None:
                r.append(copy.deepcopy(rpr))
            for el in elements:
                r.append(el)
            return r

        if before:
            new.append(make_run([copy.deepcopy(c) for c in before]))
        for op, text in pieces:
            if not text:
                continue
            el = etree.Element(_w("delText" if op == "delete" else "t"))
            el.text = text
            if text != text.strip():
                el.set(XML_SPACE, "preserve")
            r = make_run([el])
            if op == "equal":
                new.append(r)
                continue
            ids[0] += 1
            wrapper = etree.Element(_w("ins" if op == "insert" else "del"))
            wrapper.set(_w("id"), str(ids[0]))
            wrapper.set(_w("author"), author)
            wrapper.set(_w("date"), date)
            wrapper.append(r)
            new.append(wrapper)
        if after:
            new.append(make_run([copy.deepcopy(c) for c in after]))
        index = parent.index(run)
        parent.remove(run)
        for offset, el in enumerate(new):
            parent.insert(index + offset, el)


__all__ = ["MARKER", "Markers"]
