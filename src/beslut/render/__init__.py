"""One renderer per output format; each draws a ``Document`` and returns bytes.

``render`` makes the formats asked for; ``template_files`` lists what the templates folder gives
the engines (the build fingerprints those bytes). Importing this package imports no engine
(docxtpl, typst, Jinja): a build that has nothing to do starts faster.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document import Document

DOCX_TEMPLATE = "dokument.docx"
PDF_TEMPLATE = "dokument.typ"
HTML_TEMPLATE = "dokument.html.j2"
FORMATS = ("docx", "pdf", "html")

_pdf_thread: ThreadPoolExecutor | None = None


def render(doc: Document, formats: Sequence[str], templates: Path, *, pdf_engine: str = "typst",
           parallel: bool = False, source: Path | None = None) -> dict[str, bytes]:
    """Render one document in each of ``formats`` ("docx", "pdf", "html"), in memory.

    ``pdf_engine`` is "typst" (PDF/A-2b + PDF/UA-1 from templates/dokument.typ) or "libreoffice"
    (converts the DOCX). With ``parallel``, typst lays out the PDF in a thread while DOCX and
    HTML are made here: typst releases the GIL, so one record's formats use two cores.
    ``source`` is the record's path, used in error messages only. Returns bytes per format,
    in the order docx, pdf, html; a template fault raises TemplateError.
    """
    # the engines are imported here, not at the top: a no-op build never needs them
    from .docx import render_docx
    from .html import render_html
    from .libreoffice import docx_to_pdf
    from .pdf import render_pdf

    global _pdf_thread
    out: dict[str, bytes] = {}
    pdf_future = None
    if "pdf" in formats and pdf_engine == "typst" and parallel:
        if _pdf_thread is None:  # one long-lived thread: its typst compiler is reused
            _pdf_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beslut-typst")
        pdf_future = _pdf_thread.submit(render_pdf, doc, templates, source)
    try:
        if "docx" in formats or ("pdf" in formats and pdf_engine == "libreoffice"):
            out["docx"] = render_docx(doc, templates, source)
        if "html" in formats:
            out["html"] = render_html(doc, templates, source)
    finally:
        if pdf_future is not None:
            pdf = pdf_future.result()  # a template error in the PDF is raised here too
    if "pdf" in formats:
        if pdf_future is not None:
            out["pdf"] = pdf
        elif pdf_engine == "typst":
            out["pdf"] = render_pdf(doc, templates, source)
        else:
            out["pdf"] = docx_to_pdf(out["docx"], doc.id)
    return {k: out[k] for k in FORMATS if k in formats}


def template_files(templates: Path) -> list[Path]:
    """Every regular file under ``templates`` an engine may read, sorted.

    Included and imported templates count too, so that changing one rebuilds. A symlink that
    leads out of the folder is left out: no engine is allowed to follow it.
    """
    if not templates.is_dir():
        return []
    folder = templates.resolve()
    found: list[Path] = []
    for dirpath, _dirs, names in os.walk(templates):
        for name in names:
            path = Path(dirpath) / name
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a dangling symlink or a loop
                continue
            if real.is_relative_to(folder) and real.is_file():
                found.append(path)
    return sorted(found)


__all__ = ["DOCX_TEMPLATE", "FORMATS", "HTML_TEMPLATE", "PDF_TEMPLATE", "render", "template_files"]
