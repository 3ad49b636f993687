"""One renderer per output format; each draws a ``Document`` and returns bytes.

The template file names live here so that the build can fingerprint templates without
importing the engines (a no-op build then starts faster).
"""

DOCX_TEMPLATE = "dokument.docx"
PDF_TEMPLATE = "dokument.typ"
HTML_TEMPLATE = "dokument.html.j2"


def template_files(templates):  # TEMP shim
    return sorted(p for p in templates.rglob("*") if p.is_file())


def render(doc, formats, templates, *, pdf_engine="typst", parallel=False, source=None):  # TEMP shim
    from .docx import render_docx
    from .html import render_html
    from .libreoffice import docx_to_pdf
    from .pdf import render_pdf
    out = {}
    if "docx" in formats or ("pdf" in formats and pdf_engine == "libreoffice"):
        out["docx"] = render_docx(doc, templates, source)
    if "html" in formats:
        out["html"] = render_html(doc, templates, source)
    if "pdf" in formats:
        out["pdf"] = render_pdf(doc, templates, source) if pdf_engine == "typst" else docx_to_pdf(out["docx"], doc.id)
    return {k: out[k] for k in ("docx", "pdf", "html") if k in formats}
