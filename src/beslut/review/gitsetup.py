"""Git's own commands made to show records as records: ``git diff``, ``git log -p``, ``git show``.

Git runs a *textconv* program on both sides of a file before comparing them (gitattributes(5),
"Performing text diffs of binary files"). ``beslut textconv`` turns a record into one line per
field ("förslag till beslut (SON), punkt 1: …", prose one sentence a line), so re-indenting the
YAML shows no difference and a reworded point shows as that point; a built DOCX or PDF becomes
its text. ``git_setup`` writes the driver into the repository's ``.git/config`` (local, never
global) and the attributes into ``.gitattributes``.
"""
from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from ..yamlsource import load_bytes
from .diff import label
from .git import Repo

#: The attributes ``beslut git-setup`` adds (the records folder's YAML files, built documents).
ATTRIBUTES = [
    "# beslut git-setup: git diff, git log -p och git show visar poster som poster (beslut textconv)",
    "{records}/**/*.yaml diff=beslut",
    "{records}/**/*.yml diff=beslut",
    "*.docx diff=beslut-docx",
    "*.pdf diff=beslut-pdf",
]
SENTENCE = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9\"”»(])")


def textconv_command() -> str:
    """How Git should call beslut: the installed ``beslut`` script, else this Python running beslut's CLI."""
    script = shutil.which("beslut")
    here = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if here is not None and here.name == "beslut" and here.is_file():
        script = str(here.resolve())
    if script:
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -c 'from beslut.cli import main; main()'"


def git_setup(start: Path, records: str = "decisions", command: str | None = None) -> list[tuple[str, str]]:
    """Configure the repository holding ``start``; returns (action, what) lines for the user."""
    repo = Repo(start)
    command = command or textconv_command()
    report: list[tuple[str, str]] = []
    for driver, flag in (("beslut", ""), ("beslut-docx", " --docx"), ("beslut-pdf", " --pdf")):
        value = f"{command} textconv{flag}"
        repo.git("config", "--local", f"diff.{driver}.textconv", value)
        repo.git("config", "--local", f"diff.{driver}.cachetextconv", "true")
        report.append(("config", f"diff.{driver}.textconv = {value}"))
    attributes = repo.root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    lines = [line.format(records=records.strip("/") or ".") for line in ATTRIBUTES]
    missing = [line for line in lines if line not in text.splitlines()]
    if missing:
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + "\n".join(missing) + "\n", encoding="utf-8")
        report.append(("update" if text else "create", str(attributes)))
    else:
        report.append(("identical", str(attributes)))
    return report


def record_text(path: Path, data: bytes) -> str:
    """A record as lines of "field: value" in its own order; prose one sentence a line, indented.

    A file that is not valid YAML is given as it is (Git then compares its lines).
    """
    src = load_bytes(path, data)
    if src.data is None:
        return data.decode("utf-8", "replace")
    nämnd = str(src.data.get("nämnd", "")) if isinstance(src.data, dict) else ""
    ctx: dict[str, Any] = {"nämnd": nämnd, "new": src.data}
    lines: list[str] = []
    _lines(src.data, [], ctx, lines)
    return "\n".join(lines) + "\n"


def _lines(value: Any, path: list, ctx: dict[str, Any], out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _lines(item, [*path, key], ctx, out)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _lines(item, [*path, n], ctx, out)
    else:
        text = "" if value is None else str(value)
        where = label(path, ctx) if path else "(värde)"
        flat = " ".join(text.split())
        if "\n" not in text.strip() and len(flat) <= 100:
            out.append(f"{where}: {flat}")
            return
        out.append(f"{where}:")
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            for sentence in SENTENCE.split(" ".join(paragraph.split())):
                out.append(f"    {sentence}")
            out.append("")
        if out[-1] == "":
            out.pop()


def docx_text(data: bytes) -> str:
    """A DOCX's text, a paragraph a line (headers and footers first)."""
    from .tracked import paragraphs

    return "\n".join(paragraphs(data)) + "\n"


def pdf_text(data: bytes) -> str:
    """A PDF's text (pdfminer), as it reads."""
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


__all__ = ["ATTRIBUTES", "docx_text", "git_setup", "pdf_text", "record_text", "textconv_command"]
