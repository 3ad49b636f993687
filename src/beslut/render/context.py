"""What every template sees: one context for the Word, typst and HTML templates alike.

The fixed wording of the documents ("Dnr", "UTKAST", …) is written here once; the templates
take it from ``labels``. This module imports no engine.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..document import Document, Signatures

#: Fixed wording in every format.
LABELS: dict[str, str] = {
    "dnr": "Dnr",
    "draft": "UTKAST",
    "bilagor": "Bilagor",
    "bilaga": "Bilaga",
    "handlaggare": "Handläggare",
    "page_of": "Sida",
}

#: One typography in every format: a family per role, then fallbacks for scripts the first lacks
#: (shipped in src/beslut/fonts; typst embeds them, Word and browsers use them when installed).
FONTS: dict[str, Any] = {
    "body": "Noto Serif",
    "heading": "Noto Sans",
    "fallback": ["Noto Sans Arabic", "Noto Sans Ethiopic", "Droid Sans Fallback", "Beslut Hangul", "Symbola"],
    # CSS font lists: our own constants, marked safe so the HTML template does not escape their quotes
    # (an escaped &#34;Noto Serif&#34; is invalid CSS and browsers dropped the whole declaration)
    "body_css": Markup('"Noto Serif", Georgia, "Times New Roman", serif'),
    "heading_css": Markup('"Noto Sans", Arial, "Helvetica Neue", sans-serif'),
    "fallback_css": Markup('"Noto Sans Arabic", "Noto Sans Ethiopic", "Noto Sans CJK SC", "Droid Sans Fallback", '
                           '"Noto Sans CJK KR", "Beslut Hangul", "Noto Color Emoji", "Segoe UI Emoji", '
                           '"Apple Color Emoji", "Symbola"'),
}

#: Dates, diarienummer and other id-like values that must not break at their hyphens or inner
#: space: 2021-12-17, SON 2020-377, KS.2024.12, 013-20 60 00 is left to break at its spaces.
NOBREAK = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|[A-ZÅÄÖ]{1,6}[ .]\d{4}[-.]\d{1,6}|\d+(?:-\d+)+)\b")
#: The same values as typst finds them (Rust regex). Its word boundaries are ASCII ones,
#: ``(?-u:\b)``: a Unicode ``\b`` keeps Rust's regex off its fast engine whenever the text has a
#: letter outside ASCII, as every Swedish text has, and the document-wide rule that boxes these
#: values cost twice as much (1 ms a document). Å, Ä and Ö count as letters for Unicode but not for
#: ASCII, so a diarienummer that begins with one is matched by the second branch. A match next to
#: another non-ASCII letter may be a little longer or shorter; that only moves where a word that
#: cannot break anyway begins. A test compares the two patterns' matches on real records.
NOBREAK_TYPST = (r"(?-u:\b)(?:\d{4}-\d{2}-\d{2}|[A-ZÅÄÖ]{1,6}[ .]\d{4}[-.]\d{1,6}|\d+(?:-\d+)+)(?-u:\b)"
                 r"|[ÅÄÖ][A-ZÅÄÖ]{0,5}[ .]\d{4}[-.]\d{1,6}(?-u:\b)")

#: Longest metadata value per format: Word's core properties refuse more than 255 characters;
#: PDF/A limits a string to 32 767 bytes (a UTF-16 title then ~16 000 characters); HTML has no limit.
META_LIMITS: dict[str, int | None] = {"docx": 255, "pdf": 16_000, "html": None}


def pdf_logo_path(logo: str) -> str:
    """Where the logo is inside typst's jail (see jail.py), the PDF template reads it from there."""
    return "/logo/logotyp" + Path(logo).suffix.lower()


def template_context(doc: Document, fmt: str) -> dict[str, Any]:
    """The data a template of format ``fmt`` ("docx", "pdf" or "html") renders.

    ``doc`` is the document as plain data (titles, letterhead, blocks; signature blocks also as
    ``grid`` rows); ``labels`` the fixed wording; ``meta`` the document properties, cut to what
    the format can hold (the body keeps the whole title). The letterhead is also given as flat
    names (``organisation``, ``dnr_text`` …): the Word template's tags use those.
    """
    lh = doc.letterhead
    data = document_data(doc)
    limit = META_LIMITS.get(fmt)
    title = doc.title.replace("\r\n", "\n").replace("\n", " ")  # a two-line rubrik: one line in metadata
    fields = [{"label": label, "value": value, "text": f"{label} {value}" if label else value}
              for label, value in (lh.fields or _default_fields(doc))]
    creator = ", ".join(v for v in (lh.forvaltning, lh.organisation) if v)
    context: dict[str, Any] = {
        "doc": data,
        "labels": dict(LABELS),
        "fonts": dict(FONTS),
        "nobreak": NOBREAK_TYPST,
        "meta": {
            "title": truncate(title, limit), "author": truncate(creator, limit),
            "subject": truncate(lh.dnr or doc.kind, limit), "keywords": truncate(", ".join(doc.keywords), limit),
            "keyword_list": [truncate(k, limit) for k in doc.keywords], "date": doc.date_iso,
            "organisation": truncate(lh.organisation, limit), "kind": doc.kind, "language": "sv-SE",
        },
        "organisation": lh.organisation, "forvaltning": lh.forvaltning, "datum": lh.datum,
        "dnr_text": f"{LABELS['dnr']} {lh.dnr}" if lh.dnr else "", "handlaggare": ", ".join(lh.handlaggare),
        "handlaggare_lines": _handlaggare_lines(lh.handlaggare, lh.handlaggare_lines),
        "fields": fields, "fields_text": "    ".join(f["text"] for f in fields),
        "document_type": lh.document_type, "running": lh.running, "page_number": lh.page_number,
        "mottagare": lh.mottagare, "title": title,
        "title_lines": [line for line in doc.title.replace("\r\n", "\n").split("\n") if line.strip()],
        "title_display": title.replace(" – ", "\u00a0– ").replace(" — ", "\u00a0— "),
        "subtitle": list(doc.subtitle), "draft": doc.draft,
        "footer_text": "  ·  ".join(line.strip(" ·") for line in doc.footer if line.strip(" ·")),
        "bilagor": [{"number": b.number, "title": b.title, "output": b.output} for b in doc.bilagor],
    }
    if fmt == "html":
        context["logo"] = _data_uri(lh.logo)
    elif fmt == "pdf":
        context["logo_file"] = pdf_logo_path(lh.logo) if lh.logo else None
    return context


def document_data(doc: Document) -> dict[str, Any]:
    """The document as plain data for the templates (``context["doc"]``), made once per document.

    A record's three formats share it: it is converted the first time a renderer asks and kept
    on the (frozen) document, so the DOCX, the PDF and the HTML of one record convert it once.
    It is the templates' to read, never to change.
    """
    cached = doc.__dict__.get("_template_data")
    if cached is not None:
        return cached
    data = doc.to_data()
    for block, plain in zip(doc.blocks, data["blocks"]):
        if isinstance(block, Signatures):
            plain["grid"] = signature_grid(block)
    _drop_empty_header_rows(data["blocks"])
    object.__setattr__(doc, "_template_data", data)  # not a field: equality and to_data() do not see it
    return data


def _drop_empty_header_rows(blocks: list[dict[str, Any]]) -> None:
    """A Markdown table whose header row is empty (``| | |``) gets no header row, in every format."""
    for block in blocks:
        if block["kind"] == "table" and block["header"] and block["rows"] \
                and not any(run["text"].strip() for cell in block["rows"][0] for run in cell):
            block["rows"], block["header"] = block["rows"][1:], False
        elif block["kind"] == "list":
            for item in block["items"]:
                _drop_empty_header_rows(item)


def _handlaggare_lines(handlaggare: list[str], own_lines: bool) -> list[str]:
    """The handläggare as printed: one line each (name, title, phone, e-mail), or all on one line."""
    if own_lines:
        return list(handlaggare)
    return [", ".join(handlaggare)] if handlaggare else []


def _default_fields(doc: Document) -> list[tuple[str, str]]:
    """Today's Linköping layout when the composer gave no fields: the date, then "Dnr …"."""
    lh = doc.letterhead
    return [(label, value) for label, value in (("", lh.datum), (LABELS["dnr"], lh.dnr)) if value]


def signature_grid(block: Signatures) -> list[dict[str, Any]]:
    """Signature blocks as rows across the signers: party, (line to sign on), name, title.

    Rows no signer has text for are left out; the signing line row comes only with ``lines``.
    """
    rows: list[dict[str, Any]] = []
    for kind in ("party", "line", "name", "title"):
        if kind == "line":
            if block.lines:
                rows.append({"kind": "line", "cells": [""] * len(block.signers)})
            continue
        cells = [getattr(s, kind) for s in block.signers]
        if any(cells):
            rows.append({"kind": kind, "cells": cells})
    return rows


def truncate(text: str, limit: int | None) -> str:
    """``text`` cut to ``limit`` characters, the last being "…" when it was cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _data_uri(path: str | None) -> str | None:
    """The logo inlined, so that the page stands alone (as published or mailed)."""
    if not path:
        return None
    data = Path(path).read_bytes()
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
