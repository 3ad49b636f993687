"""What every template sees: one context for the Word, typst and HTML templates alike.

The fixed wording of the documents ("Dnr", "UTKAST", …) is written here once; the templates
take it from ``labels``. This module imports no engine.
"""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ..document import Document, Signatures

#: Fixed wording in every format.
LABELS: dict[str, str] = {
    "dnr": "Dnr",
    "draft": "UTKAST",
}

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
    data = doc.to_data()
    for block, plain in zip(doc.blocks, data["blocks"]):
        if isinstance(block, Signatures):
            plain["grid"] = signature_grid(block)
    limit = META_LIMITS.get(fmt)
    context: dict[str, Any] = {
        "doc": data,
        "labels": dict(LABELS),
        "meta": {
            "title": truncate(doc.title, limit), "author": truncate(lh.organisation, limit),
            "subject": truncate(doc.kind, limit), "keywords": truncate(", ".join(doc.keywords), limit),
            "keyword_list": [truncate(k, limit) for k in doc.keywords], "date": doc.date_iso,
        },
        "organisation": lh.organisation, "forvaltning": lh.forvaltning, "datum": lh.datum,
        "dnr_text": f"{LABELS['dnr']} {lh.dnr}" if lh.dnr else "", "handlaggare": ", ".join(lh.handlaggare),
        "mottagare": lh.mottagare, "title": doc.title, "subtitle": list(doc.subtitle), "draft": doc.draft,
        "footer_text": "  ·  ".join(doc.footer),
    }
    if fmt == "html":
        context["logo"] = _data_uri(lh.logo)
    elif fmt == "pdf":
        context["logo_file"] = pdf_logo_path(lh.logo) if lh.logo else None
    return context


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
