"""One renderer per output format; each draws a ``Document`` and returns bytes.

The template file names live here so that the build can fingerprint templates without
importing the engines (a no-op build then starts faster).
"""

DOCX_TEMPLATE = "dokument.docx"
PDF_TEMPLATE = "dokument.typ"
HTML_TEMPLATE = "dokument.html.j2"
