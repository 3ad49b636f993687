"""PDF with typst, in-process: PDF/A-2b and PDF/UA-1, tagged, bookmarks from headings.

The template context reaches the typst template as JSON data (``sys.inputs.doc``), never as
markup. The timestamp is the document's own date so two builds give the same bytes; system fonts
are ignored so that the same bytes come out on every machine (typst embeds its own fonts).
typst's root is a jail holding only the templates and the logo (jail.py).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typst

from ..document import Document, Signatures
from ..errors import BeslutError, ContentError, EngineError, Problem, TemplateError
from . import PDF_TEMPLATE as TEMPLATE
from . import template_path
from .context import template_context
from .jail import typst_root

if TYPE_CHECKING:
    from ..signing.fields import FieldMark

_Standard = Literal["1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u", "a-3a", "a-3b",
                    "a-3u", "a-4", "a-4e", "a-4f", "ua-1"]
STANDARDS: list[_Standard] = ["a-2b", "ua-1"]

#: The fonts beslut ships (README.md there): typst embeds these and its own, never the system's.
FONTS = Path(__file__).resolve().parent.parent / "fonts"

_local = threading.local()
_jail_lock = threading.RLock()


def _compiler(root: Path) -> typst.Compiler:
    """A typst compiler reused per thread and jail: the second compile costs half."""
    key = str(root)
    cache = getattr(_local, "compilers", None)
    if cache is None:
        cache = _local.compilers = {}
    if key not in cache:
        cache[key] = typst.Compiler(root / "templates" / TEMPLATE, root=root, font_paths=[FONTS],
                                    ignore_system_fonts=True)
    return cache[key]


def render_pdf(doc: Document, template_dir: Path, record: Path | None = None) -> bytes:
    """The document as PDF/A-2b + PDF/UA-1 bytes."""
    template = template_path(template_dir, TEMPLATE)
    if not template.is_file():
        raise TemplateError(template, "mallen finns inte", record)
    logo = doc.letterhead.logo
    if logo and not Path(logo).is_file():
        raise TemplateError(template, f"logotypen {logo} finns inte", record)
    data = json.dumps(template_context(doc, "pdf"), ensure_ascii=False, sort_keys=True)
    stamp = dt.datetime.fromisoformat(doc.date_iso).replace(tzinfo=dt.UTC)
    with _jail_lock:  # the jail is refreshed between compiles, never during one
        root = typst_root(template_dir, logo)
        try:
            compiler = _compiler(root)
            pdf = compiler.compile(sys_inputs={"doc": data}, pdf_standards=STANDARDS, timestamp=stamp)
            marks = _signature_marks(compiler, doc) if isinstance(pdf, bytes) and not doc.draft else []
        except typst.TypstError as exc:
            raise _typst_failure(exc, template, record, root, template_dir) from None
        except (RuntimeError, ValueError, OSError) as exc:  # typst-py's other failures: a template's doing
            raise TemplateError(template, f"typst: {exc.__class__.__name__}: {exc}", record) from None
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns pages only for images
        raise EngineError(f"typst gav ingen PDF för {record}")
    if doc.draft or marks:  # a document one signs: its status in the metadata, a field per signer
        from ..signing.fields import add_signature_fields

        pdf = add_signature_fields(pdf, marks, doc.draft)
    # typst ends without a newline after %%EOF; signing tools append after it, so add one
    return pdf if pdf.endswith(b"\n") else pdf + b"\n"


def _signature_marks(compiler: typst.Compiler, doc: Document) -> list[FieldMark]:
    """Where the template drew each signer's line (a final document with signing lines only)."""
    signers = {s.field: s for b in doc.blocks if isinstance(b, Signatures) and b.lines for s in b.signers if s.field}
    if not signers:
        return []
    from ..signing.fields import FieldMark

    found = json.loads(compiler.query("<beslut-signature-field>", field="value"))
    marks = []
    for mark in found:
        signer = signers.pop(mark.get("field"), None)  # pop: one field per name, however often it is marked
        if signer is not None:
            tooltip = ", ".join(t for t in (signer.party, signer.name, signer.title) if t)
            marks.append(FieldMark(signer.field, int(mark["page"]), float(mark["x"]), float(mark["y"]),
                                   float(mark["width"]), f"Underskrift: {tooltip}"))
    return marks


def _typst_failure(exc: typst.TypstError, template: Path, record: Path | None, root: Path,
                   template_dir: Path) -> BeslutError:
    """The error for a failed compile: a glyph no font has (the record's fault) or a template error."""
    message = getattr(exc, "message", str(exc))
    for copied in sorted(set(re.findall(re.escape(str(root / "templates")) + r"/[^\s:]+", message))):
        name = copied[len(str(root / "templates")) + 1:]
        message = message.replace(copied, str(template_path(template_dir, name)))
    message = message.replace(str(root / "templates"), str(template.parent))
    missing = re.search(r"the text `\"(.+?)\"` could not be displayed with font `\"(.+?)\"`", message)
    if missing and record is not None:
        return ContentError(_missing_glyph(record, missing.group(1), missing.group(2)))
    where = re.search(r"─ [^\n]*?:(\d+):\d+", getattr(exc, "diagnostic", "") or "")
    return TemplateError(template, f"typst: {message}", record, int(where.group(1)) if where else None)


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
