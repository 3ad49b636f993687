"""PDF with typst, in-process: PDF/A-2b and PDF/UA-1, tagged, bookmarks from headings.

The document reaches the typst template as JSON data, never as markup. The timestamp is the
document's own date so two builds give the same bytes; system fonts are ignored so that the
same bytes come out on every machine (typst embeds its own fonts).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path
from typing import Literal

import typst

from ..document import Document
from ..errors import ContentError, EngineError, Problem, TemplateError
from . import PDF_TEMPLATE as TEMPLATE

_Standard = Literal["1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u", "a-3a", "a-3b",
                    "a-3u", "a-4", "a-4e", "a-4f", "ua-1"]
STANDARDS: list[_Standard] = ["a-2b", "ua-1"]

_local = threading.local()


def _compiler(template: Path) -> typst.Compiler:
    """A typst compiler reused per thread and template: the second compile costs half."""
    key = str(template)
    cache = getattr(_local, "compilers", None)
    if cache is None:
        cache = _local.compilers = {}
    if key not in cache:
        cache[key] = typst.Compiler(template, root=template.parent.parent, ignore_system_fonts=True)
    return cache[key]


def render_pdf(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as PDF/A-2b + PDF/UA-1 bytes."""
    template = (template_dir / TEMPLATE).resolve()
    if not template.is_file():
        raise TemplateError(template, "mallen finns inte", record)
    root = template.parent.parent  # the project folder: the logo lives there too
    payload = doc.to_data()
    payload["logo_file"] = None
    if doc.letterhead.logo:
        logo = Path(doc.letterhead.logo)
        if not logo.is_relative_to(root):
            raise TemplateError(template, f"logotypen {logo} ligger utanför projektmappen {root}", record)
        payload["logo_file"] = "/" + logo.relative_to(root).as_posix()
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    stamp = dt.datetime.fromisoformat(doc.date_iso).replace(tzinfo=dt.UTC)
    try:
        pdf = _compiler(template).compile(sys_inputs={"doc": data}, pdf_standards=STANDARDS, timestamp=stamp)
    except typst.TypstError as exc:
        message = getattr(exc, "message", str(exc))
        missing = re.search(r"the text `\"(.+?)\"` could not be displayed with font `\"(.+?)\"`", message)
        if missing and record is not None:
            raise ContentError(_missing_glyph(record, missing.group(1), missing.group(2))) from None
        where = re.search(r"─ [^\n]*?:(\d+):\d+", getattr(exc, "diagnostic", "") or "")
        raise TemplateError(template, f"typst: {message}", record, int(where.group(1)) if where else None) from None
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns pages only for images
        raise EngineError(f"typst gav ingen PDF för {record}")
    # typst ends without a newline after %%EOF; signing tools append after it, so add one
    return pdf if pdf.endswith(b"\n") else pdf + b"\n"


def _missing_glyph(record: Path, text: str, font: str) -> Problem:
    """A problem pointing at the first place in the record where the text stands."""
    line, column = 1, 1
    try:
        for number, content in enumerate(record.read_text(encoding="utf-8").splitlines(), 1):
            if text in content:
                line, column = number, content.index(text) + 1
                break
    except (OSError, UnicodeDecodeError):
        pass
    codes = " ".join(f"U+{ord(c):04X}" for c in text)
    return Problem(record, line, column, "", f"tecknet '{text}' ({codes}) finns inte i PDF:ens typsnitt ({font}) "
                                             "och kan inte visas i en PDF/A; ta bort det eller skriv det med bokstäver")
