"""Leak test: a public edition holds nothing of a confidential ärende, anywhere in any file.

A unique string is planted in every prose field (25+ characters) of every record and meeting
item; after a build the internal edition holds all of them, the public edition every open one
and none of a confidential ärende — searched in extracted PDF text, every PDF object (streams
decoded, strings, Info, XMP, outline, embedded files), file names, HTML, JSON and every part of
every DOCX.
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from itertools import count
from pathlib import Path

import pikepdf
import pytest
from ruamel.yaml import YAML

from ..conftest import run
from ..helpers import require_tool

MEETING = "son-2022-01-26"
SECRET_RECORD = "son-2022-individarende"
#: Keys whose values are identifiers or must match the profile: not prose, never planted.
NOT_PROSE = {"typ", "status", "nämnd", "förvaltning", "dnr", "instans", "standard", "uppdragstyp", "bilaga", "fil",
             "post", "sekretess", "offentlig_rubrik", "moms", "personnummer_tillåtna", "e-post", "telefon"}


def plant(project: Path) -> tuple[set[str], set[str]]:
    """Append a unique token to every prose value of 25+ characters. Returns (open tokens, secret tokens)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    numbers = count(1)
    open_tokens: set[str] = set()
    secret_tokens: set[str] = set()
    meeting = project / "decisions" / "sammantraden" / f"{MEETING}.yaml"
    secret_items = _secret_items(yaml, meeting)
    def visit(node, key, secret: bool, is_meeting: bool):
        if isinstance(node, dict):
            for k in list(node):
                node[k] = visit(node[k], k, secret, is_meeting)
            return node
        if isinstance(node, list):
            if key == "ärenden" and is_meeting:
                return [visit(item, None, i in secret_items, False) for i, item in enumerate(node)]
            return [visit(item, key, secret, is_meeting) for item in node]
        if isinstance(node, str) and len(node) >= 25 and key not in NOT_PROSE:
            token = f"Zq{next(numbers)}xLeak"
            (secret_tokens if secret else open_tokens).add(token)
            return node.rstrip("\n") + f" {token}" + ("\n" if node.endswith("\n") else "")
        return node

    for path in sorted((project / "decisions").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        visit(data, None, path.stem == SECRET_RECORD, path == meeting)
        with open(path, "w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    return open_tokens, secret_tokens


def _secret_items(yaml: YAML, meeting: Path) -> set[int]:
    items = yaml.load(meeting.read_text(encoding="utf-8"))["ärenden"]
    return {i for i, item in enumerate(items) if item.get("sekretess") or item.get("post") == SECRET_RECORD}


def haystack(folder: Path) -> str:
    """Everything a reader, a tool or a crawler could get out of the files under ``folder``."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    parts: list[str] = []
    for path in sorted(folder.rglob("*")):
        parts.append(path.relative_to(folder).as_posix())
        if not path.is_file():
            continue
        raw = path.read_bytes()
        parts.append(raw.decode("latin-1"))
        if path.suffix == ".pdf":
            text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
            parts.append(re.sub(r"-\n", "", text))
            parts.extend(_pdf_objects(path))
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                parts.extend(z.read(name).decode("utf-8", "ignore") for name in z.namelist())
                parts.extend(z.namelist())
        else:
            parts.append(raw.decode("utf-8", "ignore"))
    return "\n".join(parts)


def _pdf_objects(path: Path) -> list[str]:
    out = []
    with pikepdf.open(path) as pdf:
        out.append(str(pdf.open_metadata()))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    data = obj.read_raw_bytes()
                out += [data.decode("latin-1"), data.decode("utf-8", "ignore"), data.decode("utf-16-be", "ignore")]
            out.extend(_strings(obj, 0))
        with pdf.open_outline() as outline:
            out.extend(item.title for item in outline.root)
            out.extend(child.title for item in outline.root for child in item.children)
    return out


def _strings(obj, depth: int) -> list[str]:
    if depth > 4:
        return []
    if isinstance(obj, pikepdf.String):
        return [str(obj)]
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        return [s for key in obj.keys() for s in _strings(obj.get(key), depth + 1)]
    if isinstance(obj, pikepdf.Array):
        return [s for item in obj for s in _strings(item, depth + 1)]
    return []


@pytest.fixture
def planted(project: Path):
    open_tokens, secret_tokens = plant(project)
    assert open_tokens and secret_tokens
    result = run("build", "-q")
    assert result.exit_code == 0, result.output
    packet = project / "build" / MEETING
    return open_tokens, secret_tokens, haystack(packet / "intern"), haystack(packet / "offentlig")


def test_public_edition_holds_nothing_of_a_confidential_arende(planted):
    open_tokens, secret_tokens, internal, public = planted
    assert sorted(t for t in secret_tokens if t in public) == []
    assert sorted(t for t in secret_tokens if t not in internal) == []


def test_open_text_reaches_both_editions(planted):
    open_tokens, secret_tokens, internal, public = planted
    # the agreement (an uppdrag) is on no agenda: its tokens are in neither edition
    agenda_tokens = {t for t in open_tokens if t in internal}
    assert len(agenda_tokens) >= 20
    assert sorted(t for t in agenda_tokens if t not in public) == []


def test_confidential_arende_with_bilaga_and_personnummer(project: Path):
    record = project / "decisions" / f"{SECRET_RECORD}.yaml"
    bilaga = project / "decisions" / "bilagor" / "utredning-hemlig.pdf"
    secret_pdf = pikepdf.new()
    secret_pdf.add_blank_page()
    secret_pdf.docinfo["/Title"] = "Utredning HemligBilagaZq99"
    secret_pdf.save(bilaga)
    text = record.read_text(encoding="utf-8")
    text = text.replace("Utredningen\n  visar", "Utredningen (barnets personnummer 20120313-2384)\n  visar")
    text += "beslutsunderlag:\n  - titel: Utredning HemligBilagaZq99\n    datum: 2022-01-10\n" \
            "    bilaga: bilagor/utredning-hemlig.pdf\n"
    text += "personnummer_tillåtna: ['20120313-2384']\n"
    record.write_text(text, encoding="utf-8")
    result = run("build", "-q")
    assert result.exit_code == 0, result.output
    packet = project / "build" / MEETING
    public = haystack(packet / "offentlig")
    internal = haystack(packet / "intern")
    for secret in ("HemligBilagaZq99", "20120313", "120313-2384", "utredning-hemlig"):
        assert secret not in public, secret
    assert "HemligBilagaZq99" in internal and "20120313-2384" in internal
    assert (packet / "intern" / f"{SECRET_RECORD}.bilaga-1.pdf").is_file()
    assert not list((packet / "offentlig").glob(f"{SECRET_RECORD}*"))


def test_confidential_item_of_its_own_leaks_nothing(project: Path):
    """An item without a record, confidential by its OSL reference: its rubrik, text, föredragande
    and a DOCX bilaga (file name and content) stay out of the public edition."""
    import io

    from docx import Document

    bilaga = project / "decisions" / "bilagor" / "HemligtProtokollZq77.docx"
    doc = Document()
    doc.add_paragraph("Innehåll HemligDocxZq78")
    buffer = io.BytesIO()
    doc.save(buffer)
    bilaga.write_bytes(buffer.getvalue())
    meeting = project / "decisions" / "sammantraden" / f"{MEETING}.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + (
        "  - rubrik: Hemlig punkt RubrikZq79\n    typ: övrigt\n    text: Text HemligTextZq80\n"
        "    föredragande: Föredragande HemligZq81\n    sekretess: OSL 21 kap. 1 §\n"
        "    bilagor: [../bilagor/HemligtProtokollZq77.docx]\n"), encoding="utf-8")
    result = run("build", "-q")
    assert result.exit_code == 0, result.output
    packet = project / "build" / MEETING
    public, internal = haystack(packet / "offentlig"), haystack(packet / "intern")
    for secret in ("Zq77", "Zq78", "Zq79", "Zq80", "Zq81"):
        assert secret not in public, secret
    for secret in ("Zq79", "Zq80", "Zq81"):
        assert secret in internal, secret
    assert "7. Ärende som omfattas av sekretess" in public
