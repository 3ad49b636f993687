"""HTML: semantic, lang="sv", one h1, ordered headings, real lists. All text is escaped."""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from . import HTML_TEMPLATE as TEMPLATE
from .context import template_context
from .environment import render_text_template


def render_html(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as a standalone HTML page (UTF-8)."""
    return render_text_template(template_dir, TEMPLATE, template_context(doc, "html"), record).encode("utf-8")
