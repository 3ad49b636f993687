"""DOCX with docxtpl from the Word template in templates/: real styles, lists and links.

The letterhead, logo, title and footer are docxtpl tags a communicator can move and restyle
in Word; the body is written as WordprocessingML (wordml.py) in place of the {{p body }}
paragraph. This module loads the template, renders it with the one Jinja environment and the
one template context, sets the document properties and saves the zip reproducibly: output is
byte-identical across builds (fixed zip dates and document properties).
"""
from __future__ import annotations

import copy
import importlib.metadata
import io
import threading
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ..document import Document
from ..errors import BeslutError, TemplateError
from . import DOCX_TEMPLATE as TEMPLATE
from . import template_path
from .context import template_context
from .environment import environment, template_failure
from .wordml import BodyWriter, nobreak

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def render_docx(doc: Document, template_dir: Path, record: Path | None = None, *, change_author: str = "beslut",
                change_date: str | None = None) -> bytes:
    """The document as DOCX bytes, identical for identical input.

    Change marks (a redline) are Word's tracked changes by ``change_author`` at ``change_date``
    (ISO 8601; default the document's date).
    """
    path = template_path(template_dir, TEMPLATE)
    if not path.is_file():
        raise TemplateError(path, "Word-mallen finns inte", record)
    try:
        tpl = _open(path)
    except Exception as exc:  # python-docx raises many kinds for a non-DOCX file
        raise TemplateError(path, f"inte en läsbar Word-fil (.docx): {exc.__class__.__name__}", record) from None
    body = BodyWriter(tpl.docx, path, doc.date_iso, change_author, change_date, tpl.pristine.styles)
    context = template_context(doc, "docx")
    meta = context["meta"]
    lh = doc.letterhead
    context.update(body=body, logo=InlineImage(tpl, lh.logo, height=Mm(13)) if lh.logo else "",
                   running=nobreak(context["running"]), datum=nobreak(lh.datum), dnr_text=nobreak(context["dnr_text"]))
    for f in context["fields"]:
        f["text"] = nobreak(f["text"])
    body.blocks(doc.blocks)
    if doc.bilagor:
        body.bilagor(doc.bilagor, context["labels"]["bilagor"], context["labels"]["bilaga"])
    try:
        tpl.render(context, jinja_env=environment(template_dir), autoescape=True)
        body.insert_into(tpl.docx.element.body, path)
    except BeslutError:
        raise
    except Exception as exc:  # anything a template can make go wrong is the template's fault
        raise template_failure(exc, path, record) from None
    if lh.logo:
        _describe_images(tpl.docx, lh.logo_alt)
    _set_properties(tpl.docx, meta)
    return _save_reproducibly(tpl.docx, tpl.pristine)


@dataclass
class _Pristine:
    """The Word template parsed once per process, with what every document made from it shares."""

    document: Any
    """python-docx's parse of the template; each document renders into a copy of it."""
    shared: tuple[Any, ...]
    """The parts no renderer changes (styles, settings, theme, fonts, custom XML): every copy
    shares them instead of copying them, and they are serialised and compressed once."""
    styles: dict[str, str | None] = field(default_factory=dict)
    """Style ids by style name (None: the template has no such style), found once (wordml.BodyWriter)."""
    prefixes: dict[tuple[bytes, bytes, tuple[str, ...]], bytes] = field(default_factory=dict)
    """The start of a DOCX (zip): its content types, package relationships and shared parts, by
    those (the set of parts can differ between documents, say with and without a logo)."""


#: Parts beslut, docxtpl and python-docx only ever read while rendering: shared by all copies.
#: (Headers and footers are not: docxtpl relates the logo to the template's own header part.)
_READ_ONLY = frozenset({CT.WML_STYLES, CT.WML_SETTINGS, CT.WML_WEB_SETTINGS, CT.WML_FONT_TABLE, CT.OFC_THEME,
                        CT.OFC_CUSTOM_XML_PROPERTIES})


def _read_only(part) -> bool:
    return part.content_type in _READ_ONLY or str(part.partname).startswith("/customXml/")


_pristine: dict[tuple[str, int, int], _Pristine] = {}
_pristine_lock = threading.Lock()


def _open(path: Path) -> _Template:
    """The Word template, ready to render: a copy of the one parsed by this process.

    python-docx parses every part of the template (styles, numbering, theme …) on opening; the
    parsed template is kept per file (its size and time: an edited template is parsed anew) and
    each document gets a deep copy of the parts a render changes (the body, headers, footers,
    numbering, relationships), sharing the others: 1.8 ms less per DOCX than parsing, same bytes.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    with _pristine_lock:  # serve renders in threads: one parse, copies taken one at a time
        pristine = _pristine.get(key)
        if pristine is None:
            document = WordDocument(str(path))
            pristine = _Pristine(document, tuple(p for p in document.part.package.parts if _read_only(p)))
            if len(_pristine) >= 4:
                _pristine.clear()
            _pristine[key] = pristine
        tpl = _Template(str(path))
        tpl.docx = copy.deepcopy(pristine.document, {id(part): part for part in pristine.shared})
        tpl.pristine = pristine
    return tpl


class _Template(DocxTemplate):
    """docxtpl's template with its clean-up of the template's XML done once per process.

    docxtpl rewrites each part's XML (tags split across runs joined, spaces preserved …) before
    Jinja sees it, with some twenty regular expressions: a pure function of the template's own
    XML, the same for every record. Memoised, the first page header alone costs 2 ms less per DOCX.
    ``pristine`` is the parsed template this one is a copy of (see ``_open``).
    """

    pristine: _Pristine

    def patch_xml(self, src_xml: str) -> str:
        return _patched_xml(src_xml)

    def render_properties(self, context, jinja_env=None) -> None:
        """Nothing: docProps/core.xml is written whole afterwards (``_set_properties``), so
        rendering the template's own properties as Jinja would be work thrown away."""


@lru_cache(maxsize=64)
def _patched_xml(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)  # type: ignore[arg-type]  # uses nothing of the instance


_CORE = ("http://schemas.openxmlformats.org/package/2006/metadata/core-properties", "http://purl.org/dc/elements/1.1/",
         "http://purl.org/dc/terms/", "http://www.w3.org/2001/XMLSchema-instance")


def _set_properties(document, meta: dict) -> None:
    """docProps/core.xml written whole (each element once, in its own namespace) and app.xml naming beslut.

    python-docx appends a second element in a wrong namespace for some properties of a template
    made elsewhere; writing the part anew leaves nothing of the template's own properties behind.
    The dates are the record's: no clock. A template's thumbnail (a picture of another text) is dropped.
    """
    cp, dc, dcterms, xsi = _CORE
    root = etree.Element(f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc, "dcterms": dcterms, "xsi": xsi})
    stamp = f"{meta['date'][:10]}T00:00:00Z"
    for ns, tag, value in ((dc, "title", meta["title"]), (dc, "subject", meta["subject"]), (dc, "creator", meta["author"]),
                           (cp, "keywords", meta["keywords"]), (dc, "language", meta["language"]),
                           (cp, "category", meta["kind"]), (cp, "lastModifiedBy", "beslut"), (cp, "revision", "1"),
                           (dcterms, "created", stamp), (dcterms, "modified", stamp)):
        el = etree.SubElement(root, f"{{{ns}}}{tag}")
        el.text = value
        if ns == dcterms:
            el.set(f"{{{xsi}}}type", "dcterms:W3CDTF")
    package = document.part.package
    package.core_properties  # noqa: B018 - makes the part if the template has none
    package._core_properties_part._element = root
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
            package.rels._target_parts_by_rId.pop(rid, None)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_xml(meta)


def _app_xml(meta: dict) -> bytes:
    """docProps/app.xml: the application is beslut, with its version."""
    ep = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ep}}}Properties", nsmap={None: ep})
    for tag, value in (("Application", f"beslut {_version()}"), ("DocSecurity", "0"), ("Company", meta["organisation"]),
                       ("LinksUpToDate", "false"), ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{ep}}}{tag}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return importlib.metadata.version("beslut")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        return "0"


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _describe_images(document, alt: str) -> None:
    """Give the letterhead's images their text alternative (docPr/@descr), as Word's Alt Text."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.HEADER:  # docxtpl replaced the header parts when rendering them
            for pr in rel.target_part.element.iter(f"{{{_WP}}}docPr"):
                pr.set("descr", alt)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date (same input, same bytes)."""
    entry = zipfile.ZipInfo(name, ZIP_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _save_reproducibly(document, pristine: _Pristine) -> bytes:
    """The package as a DOCX: what python-docx's OpcPackage.save writes, with fixed zip dates.

    The zip starts with the content types, the package relationships and the parts shared with
    the template (``_Pristine.shared``): those bytes are the same for every document with the
    same set of parts, so they are compressed once per process and each document appends only
    its own parts to a copy of them (zipfile's append mode). A third of the cost of saving.
    """
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    shared = {id(part) for part in pristine.shared}
    head = [part for part in parts if id(part) in shared]
    key = (_ContentTypesItem.from_parts(parts).blob, package.rels.xml, tuple(str(p.partname) for p in head))
    prefix = pristine.prefixes.get(key)
    if prefix is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as start:
            start.writestr(_entry(CONTENT_TYPES_URI.membername), key[0])
            start.writestr(_entry(PACKAGE_URI.rels_uri.membername), key[1])
            _write_parts(start, head)
        prefix = buffer.getvalue()
        if len(pristine.prefixes) >= 8:
            pristine.prefixes.clear()
        pristine.prefixes[key] = prefix
    buffer = io.BytesIO(prefix)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as rest:
        _write_parts(rest, [part for part in parts if id(part) not in shared])
    return buffer.getvalue()


def _write_parts(zip_file: zipfile.ZipFile, parts: list) -> None:
    """Each part and, if it has any, its relationships (as python-docx's PackageWriter writes them)."""
    for part in parts:
        zip_file.writestr(_entry(part.partname.membername), part.blob)
        if len(part.rels):
            zip_file.writestr(_entry(part.partname.rels_uri.membername), part.rels.xml)
