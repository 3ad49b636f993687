"""DOCX with docxtpl from the Word template in templates/: real styles, lists and links.

The letterhead, logo, title and footer are docxtpl tags a communicator can move and restyle
in Word; the body is written as WordprocessingML (wordml.py) in place of the {{p body }}
paragraph. This module loads the template, renders it with the one Jinja environment and the
one template context, sets the document properties and saves the zip reproducibly: output is
byte-identical across builds (fixed zip dates and document properties).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ..document import Document
from ..errors import BeslutError, TemplateError
from . import DOCX_TEMPLATE as TEMPLATE
from . import template_path
from .context import template_context
from .environment import environment, template_failure
from .wordml import BodyWriter

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def render_docx(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as DOCX bytes, identical for identical input."""
    path = template_path(template_dir, TEMPLATE)
    if not path.is_file():
        raise TemplateError(path, "Word-mallen finns inte", record)
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a non-DOCX file
        raise TemplateError(path, f"inte en läsbar Word-fil (.docx): {exc.__class__.__name__}", record) from None
    body = BodyWriter(tpl.docx, path, doc.date_iso)
    context = template_context(doc, "docx")
    meta = context["meta"]
    lh = doc.letterhead
    context.update(body=body, logo=InlineImage(tpl, lh.logo, height=Mm(13)) if lh.logo else "")
    body.blocks(doc.blocks)
    try:
        tpl.render(context, jinja_env=environment(template_dir), autoescape=True)
        body.insert_into(tpl.docx.element.body, path)
    except BeslutError:
        raise
    except Exception as exc:  # anything a template can make go wrong is the template's fault
        raise template_failure(exc, path, record) from None
    if lh.logo:
        _describe_images(tpl.docx, lh.logo_alt)
    props = tpl.docx.core_properties
    stamp = dt.datetime.fromisoformat(doc.date_iso)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.last_modified_by = "beslut"
    # Word refuses core properties over 255 characters: the context cut them, the body keeps all
    props.author = meta["author"]
    props.title = meta["title"]
    props.subject = meta["subject"]
    props.keywords = meta["keywords"]
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
