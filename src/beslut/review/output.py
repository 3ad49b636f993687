"""A comparison written out: text for a terminal (coloured there, plain when piped), Markdown for a
pull-request comment, JSON (described by ``diff.schema.json``) for programs."""
from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import click

from .compare import Comparison
from .diff import Change, RecordDiff

#: Words in Swedish for each kind of change and each record status.
KIND_WORDS = {"added": "tillagd", "removed": "borttagen", "changed": "ändrad", "reworded": "omformulerad",
              "moved": "flyttad"}
STATUS_WORDS = {"added": "ny post", "removed": "borttagen post", "modified": "ändrad", "renamed": "bytt namn"}
#: Equal words kept around a change in a long text; the rest becomes "…".
CONTEXT_WORDS = 8


def schema_text() -> str:
    """The published JSON Schema of ``beslut diff --format json``."""
    return resources.files("beslut.review").joinpath("diff.schema.json").read_text(encoding="utf-8")


def to_json(comparison: Comparison) -> str:
    """The comparison as one JSON document (sorted keys where order carries nothing)."""
    return json.dumps(comparison.to_data(), ensure_ascii=False, indent=2) + "\n"


def short(value: Any, limit: int = 300) -> str:
    """A value on one line: text with its spaces collapsed, a mapping as "key: value; …"."""
    if isinstance(value, dict):
        text = "; ".join(f"{k}: {short(v, limit)}" for k, v in value.items() if not isinstance(v, (dict, list)))
        text = text or "; ".join(f"{k}: …" for k in value)
    elif isinstance(value, list):
        text = "; ".join(short(v, limit) for v in value)
    else:
        text = " ".join(str(value).split()) if value is not None else "–"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compact(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Word pieces with long unchanged stretches cut to a few words either side of a change."""
    out: list[tuple[str, str]] = []
    for n, (op, text) in enumerate(words):
        text = " ".join(text.split()) if op == "equal" else re.sub(r"\s+", " ", text)
        if op == "equal":
            lead = " " if words[n][1][:1].isspace() else ""
            tail = " " if words[n][1][-1:].isspace() else ""
            parts = text.split(" ")
            first, last = n == 0, n == len(words) - 1
            keep = CONTEXT_WORDS if first or last else 2 * CONTEXT_WORDS
            if len(parts) > keep:
                if first:
                    text = "… " + " ".join(parts[-CONTEXT_WORDS:])
                elif last:
                    text = " ".join(parts[:CONTEXT_WORDS]) + " …"
                else:
                    text = " ".join(parts[:CONTEXT_WORDS]) + " … " + " ".join(parts[-CONTEXT_WORDS:])
            text = lead + text + tail
        out.append((op, text))
    return out


# --- text -------------------------------------------------------------------------------------

def to_text(comparison: Comparison, colour: bool) -> str:
    """The comparison for a terminal: one block per record, one line per change."""
    lines: list[str] = []
    for rd in comparison.records:
        lines.extend(_text_record(rd, colour))
        lines.append("")
    n = len(comparison.records)
    if n:
        lines.append(f"{n} {'post' if n == 1 else 'poster'} skiljer sig åt")
    return "\n".join(lines) + ("\n" if lines else "")


def _text_record(rd: RecordDiff, colour: bool) -> list[str]:
    where = f"{rd.old_path} → {rd.new_path}" if rd.status == "renamed" else rd.path
    head = f"{where}: {STATUS_WORDS[rd.status]}" + (f" ({rd.typ}: {rd.rubrik})" if rd.rubrik else "")
    lines = [click.style(head, bold=True) if colour else head]
    for error in rd.errors:
        lines.append(f"  fel: {error}")
    for c in rd.changes:
        lines.append(f"  {_text_change(c, colour)}")
    return lines


def _text_change(c: Change, colour: bool) -> str:
    def dele(t: str) -> str:
        return click.style(t, fg="red", strikethrough=True) if colour else f"[-{t}-]"

    def ins(t: str) -> str:
        return click.style(t, fg="green", underline=True) if colour else f"{{+{t}+}}"

    if c.kind == "reworded" and c.words is not None:
        pieces = compact(c.words)
        text = "".join(dele(t) if op == "delete" else ins(t) if op == "insert" else t for op, t in pieces)
        return f"{c.label}: omformulerad: {text}"
    if c.kind == "changed":
        return f"{c.label}: {dele(short(c.old))} → {ins(short(c.new))}"
    if c.kind == "added":
        return f"{c.label}: tillagd: {ins(short(c.new))}"
    if c.kind == "removed":
        return f"{c.label}: borttagen: {dele(short(c.old))}"
    return f"{c.label}: flyttad (var nummer {c.moved_from})"


# --- markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def md_escape(text: str) -> str:
    """Text safe inside Markdown (GitHub, GitLab): its special characters backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(comparison: Comparison) -> str:
    """The comparison as a pull-request comment: a heading per record, a bullet per change."""
    old = comparison.old
    new = comparison.new
    span = f"`{old.rev}` ({old.sha[:8]}) → " + (f"`{new.rev}` ({new.sha[:8]})" if new else "arbetskopian")
    n = len(comparison.records)
    lines = [f"## Ändringar i beslutsposter: {span}", ""]
    if not n:
        lines.append("Inga poster skiljer sig åt.")
        return "\n".join(lines) + "\n"
    lines.append(f"{n} {'post' if n == 1 else 'poster'} skiljer sig åt.")
    for rd in comparison.records:
        where = f"`{rd.old_path}` → `{rd.new_path}`" if rd.status == "renamed" else f"`{rd.path}`"
        title = f" — {md_escape(rd.rubrik)}" if rd.rubrik else ""
        lines += ["", f"### {where}{title} ({STATUS_WORDS[rd.status]})", ""]
        for error in rd.errors:
            lines.append(f"- ⚠️ **fel:** {md_escape(error)}")
        for c in rd.changes:
            lines.append(f"- {_md_change(c)}")
    return "\n".join(lines) + "\n"


def _md_change(c: Change) -> str:
    label = f"**{md_escape(c.label)}**"
    if c.kind == "reworded" and c.words is not None:
        text = "".join(_md_piece(op, t) for op, t in compact(c.words))
        return f"{label} (omformulerad): {text}"
    if c.kind == "changed":
        return f"{label}: ~~{md_escape(short(c.old))}~~ → **{md_escape(short(c.new))}**"
    if c.kind == "added":
        return f"{label} (tillagd): **{md_escape(short(c.new))}**"
    if c.kind == "removed":
        return f"{label} (borttagen): ~~{md_escape(short(c.old))}~~"
    return f"{label} (flyttad, var nummer {c.moved_from})"


def _md_piece(op: str, text: str) -> str:
    if op == "equal":
        return md_escape(text)
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() else ""
    core = md_escape(text.strip())
    if not core:
        return text
    return f"{lead}~~{core}~~{tail}" if op == "delete" else f"{lead}**{core}**{tail}"


__all__ = ["compact", "md_escape", "schema_text", "short", "to_json", "to_markdown", "to_text"]
