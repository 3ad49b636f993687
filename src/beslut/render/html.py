"""HTML: semantic, lang="sv", one h1, ordered headings, real lists. All text is escaped."""
from __future__ import annotations

import base64
from pathlib import Path

from ..document import Document
from . import HTML_TEMPLATE as TEMPLATE
from .environment import render_text_template


def render_html(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as a standalone HTML page (UTF-8)."""
    html = render_text_template(template_dir, TEMPLATE, {"doc": doc.to_data(), "logo": _data_uri(doc.letterhead.logo)},
                                record)
    return html.encode("utf-8")


def _data_uri(path: str | None) -> str | None:
    """The logo inlined, so that the page stands alone (as published or mailed)."""
    if not path:
        return None
    data = Path(path).read_bytes()
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
