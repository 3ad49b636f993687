"""Tracked changes resolved without Word: accept all or reject all, and a DOCX's text.

What Word's "Accept all" does to the XML: inserted content stays (its w:ins wrapper goes), deleted
content goes, a paragraph whose mark was deleted joins the next one, a deleted table row goes.
"Reject all" is the mirror image. Used by the tests (a redline accepted must read as revision B's
build, rejected as A's) and by ``beslut review`` to check its own redlines.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: The parts that hold text a reader sees: the body, headers, footers, footnotes.
TEXT_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def resolve_part(root, accept: bool):
    """One part's XML with every tracked change accepted (or rejected), in place; returns ``root``."""
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    # rows and paragraph marks first: their markers sit in trPr / pPr/rPr
    for tr in list(root.iter(_w("tr"))):
        trpr = tr.find(_w("trPr"))
        if trpr is not None and trpr.find(_w(drop)) is not None:
            tr.getparent().remove(tr)
        elif trpr is not None:
            for el in trpr.findall(_w(keep)):
                trpr.remove(el)
    joined = []
    for p in list(root.iter(_w("p"))):
        rpr = p.find(f"{_w('pPr')}/{_w('rPr')}")
        if rpr is None:
            continue
        if rpr.find(_w(drop)) is not None:
            joined.append(p)
        for el in rpr.findall(_w(keep)) + rpr.findall(_w(drop)):
            rpr.remove(el)
    for el in list(root.iter(_w(drop))):
        if el.getparent() is not None and el.getparent().tag != _w("rPr"):
            el.getparent().remove(el)
    for el in list(root.iter(_w(keep))):
        parent = el.getparent()
        if parent is None or parent.tag in (_w("rPr"), _w("trPr")):
            continue
        index = parent.index(el)
        for offset, child in enumerate(list(el)):
            parent.insert(index + offset, child)
        parent.remove(el)
    if not accept:
        for dt in list(root.iter(_w("delText"))):
            dt.tag = _w("t")
    for p in joined:  # the paragraph mark is gone: what is left of the paragraph joins the next one
        parent = p.getparent()
        following = p.getnext()
        content = [c for c in p if c.tag != _w("pPr")]
        if following is not None and following.tag == _w("p") and content:
            ppr = following.find(_w("pPr"))
            at = 0 if ppr is None else following.index(ppr) + 1
            for offset, child in enumerate(content):
                following.insert(at + offset, child)
        if following is None or following.tag == _w("p") or not _text(p):
            parent.remove(p)
    return root


def resolve_docx(data: bytes, accept: bool) -> bytes:
    """A DOCX with all tracked changes accepted (``accept``) or rejected."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename.startswith(TEXT_PARTS) and info.filename.endswith(".xml"):
                blob = etree.tostring(resolve_part(etree.fromstring(blob), accept), xml_declaration=True,
                                      encoding="UTF-8", standalone=True)
            target.writestr(info, blob)
    return buffer.getvalue()


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t"), _w("delText")))


def paragraphs(data: bytes, include_deleted: bool = True) -> list[str]:
    """A DOCX's paragraphs as text, headers and footers first, then the body (tabs and breaks as spaces)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n.startswith(TEXT_PARTS[1:3]) and n.endswith(".xml"))
    out: list[str] = []
    for name in [*names, "word/document.xml"]:
        root = etree.fromstring(source.read(name))
        for p in root.iter(_w("p")):
            pieces = []
            for el in p.iter(_w("t"), _w("delText"), _w("tab"), _w("br")):
                if el.tag == _w("delText") and not include_deleted:
                    continue
                pieces.append(el.text or "" if el.tag in (_w("t"), _w("delText")) else " ")
            out.append("".join(pieces))
    return out


def counts(data: bytes) -> dict[str, int]:
    """How many w:ins and w:del a DOCX holds (all parts)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    found = {"ins": 0, "del": 0}
    for name in source.namelist():
        if name.endswith(".xml") and name.startswith("word/"):
            root = etree.fromstring(source.read(name))
            found["ins"] += sum(1 for _ in root.iter(_w("ins")))
            found["del"] += sum(1 for _ in root.iter(_w("del")))
    return found


__all__ = ["counts", "paragraphs", "resolve_docx", "resolve_part"]
