"""Redline: a record at two revisions as one document whose differences are change marks.

The record's document model is composed at each revision and the two are compared block by
block (paragraphs, headings, list items, table rows), then word by word inside a block. The
result is revision B's document with deleted blocks and runs put back, marked ``delete``, and new
ones marked ``insert``; the ordinary renderers draw it on the same templates as ``build``, so
styles and numbering are the template's own. In Word the marks are native tracked changes
(``w:ins``/``w:del``, paragraph marks and table rows included), in HTML ``<ins>``/``<del>``,
in the PDF underlined and struck through.

Text the templates print outside the body (letterhead, title, footer, signers' names) is not
made of runs: it is passed to the template as a marker word and replaced afterwards by the
pieces of its word-level difference (``markers.py``).
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from ..compose import compose
from ..document import (
    Bilaga,
    Block,
    Document,
    Heading,
    Letterhead,
    ListBlock,
    Paragraph,
    Rule,
    Run,
    Signatures,
    Signer,
    Table,
    plain_text,
    text_run,
)
from ..errors import UsageError
from ..kinds import kind_of
from ..produce import check_source
from ..project import Project
from .git import Commit, GitError, Repo
from .markers import Markers
from .words import TOKEN, opcodes, similarity

Change = Literal["insert", "delete"]
#: Two blocks of the same kind at least this alike (by words) are one block changed, not two.
ALIKE = 0.35
FORMATS = ("docx", "html", "pdf")
#: The redline page's own colours for changes (contrast ≥ 7:1 on white), added to the page's head.
HTML_STYLE = ("<style>ins { color: #0a5c1f; background: #eaf6ec; text-decoration: underline; }\n"
              "del { color: #8f1116; background: #fbeaea; text-decoration: line-through; }</style>\n")


@dataclass
class Redline:
    """A redline document with what it needs to be drawn: the markers and who made the change when."""

    document: Document
    markers: Markers
    old: Commit
    new: Commit
    path: Path


def document_at(repo: Repo, project: Project, commit: Commit, path: str) -> Document:
    """The record ``path`` (relative to the repository's root) composed as it is in ``commit``."""
    data = repo.read(commit.sha, [path])[path]
    if data is None:
        raise GitError(f"{path} finns inte i {commit.rev}")
    file = repo.root / path
    record, problems, _ = check_source((file, data), project)
    errors = [p for p in problems if p.severity == "error"]
    if record is None or errors:
        shown = "\n".join(f"  {commit.rev}:{path}:{p.line}:{p.column}: {p.field + ': ' if p.field else ''}{p.message}"
                          for p in errors[:10])
        raise UsageError(f"{path} är ogiltig i {commit.rev}; rätta den där eller välj en annan revision:\n{shown}")
    if kind_of(record).package is not None:
        raise UsageError(f"{path} är ett sammanträde; jämför dess ändringar med beslut diff (redline görs för "
                         "enskilda ärenden)")
    return compose(record, project.profile)


def redline(repo: Repo, project: Project, rev_a: str, rev_b: str, record: Path) -> Redline:
    """The redline of ``record`` between two revisions (author and date of the changes from ``rev_b``)."""
    old, new = repo.commit(rev_a), repo.commit(rev_b)
    path = repo.relative(record)
    old_path = path
    if not repo.exists(old.sha, path):  # renamed between the revisions: its old name, as git diff -M finds it
        old_path = next((c.old for c in repo.changes(old.sha, new.sha) if c.status == "R" and c.new == path and c.old),
                        path)
    a = document_at(repo, project, old, old_path)
    b = document_at(repo, project, new, path)
    markers = Markers()
    return Redline(compare_documents(a, b, markers), markers, old, new, repo.root / path)


def compare_documents(a: Document, b: Document, markers: Markers) -> Document:
    """Document ``b`` with ``a``'s differences in it as change marks (a redline of a → b)."""
    m = markers.text
    la, lb = a.letterhead, b.letterhead
    letterhead = Letterhead(
        organisation=m(la.organisation, lb.organisation), forvaltning=m(la.forvaltning, lb.forvaltning),
        datum=m(la.datum, lb.datum), dnr=m(la.dnr, lb.dnr), handlaggare=_strings(la.handlaggare, lb.handlaggare, m),
        mottagare=m(la.mottagare, lb.mottagare), logo=lb.logo, logo_alt=lb.logo_alt,
        fields=[(m(fa[0], fb[0]), m(fa[1], fb[1])) for fa, fb in _pairs(la.fields, lb.fields, ("", ""))],
        document_type=m(la.document_type, lb.document_type), running=m(la.running, lb.running),
        page_number=lb.page_number, handlaggare_lines=lb.handlaggare_lines)
    return replace(b, title=m(a.title, b.title), letterhead=letterhead, subtitle=_strings(a.subtitle, b.subtitle, m),
                   footer=_strings(a.footer, b.footer, m), blocks=compare_blocks(a.blocks, b.blocks, markers), parts={},
                   bilagor=_bilagor(a.bilagor, b.bilagor, m))


def _bilagor(a: list[Bilaga], b: list[Bilaga], m) -> list[Bilaga]:
    """b's bilagor, a title changed under the same number marked (a bilaga added or removed is not marked)."""
    return [replace(y, title=m(a[i].title, y.title)) if i < len(a) else y for i, y in enumerate(b)]


def _pairs(a: Sequence[Any], b: Sequence[Any], empty: Any) -> list[tuple[Any, Any]]:
    """Items paired by position, the shorter side padded with ``empty``."""
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else empty, b[i] if i < len(b) else empty) for i in range(n)]


def _strings(a: Sequence[str], b: Sequence[str], m) -> list[str]:
    return [m(x, y) for x, y in _pairs(a, b, "")]


# --- blocks -----------------------------------------------------------------------------------

def block_text(block: Block) -> str:
    """A block's words, for aligning and pairing blocks."""
    if isinstance(block, (Heading, Paragraph)):
        return plain_text(block.runs)
    if isinstance(block, ListBlock):
        return "\n".join(block_text(x) for item in block.items for x in item)
    if isinstance(block, Table):
        return "\n".join(" | ".join(plain_text(c) for c in row) for row in block.rows)
    if isinstance(block, Signatures):
        return "\n".join(" ".join(r) for r in block.rows)
    return ""


def _key(block: Block) -> tuple[str, str, Any]:
    style = getattr(block, "style", getattr(block, "level", getattr(block, "ordered", "")))
    return (block.kind, block_text(block), style)


def _compatible(a: Block, b: Block) -> bool:
    """Whether ``b`` is ``a`` changed (same kind, alike enough) rather than a new block."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Table) and isinstance(b, Table):
        return a.header == b.header and {len(r) for r in a.rows} == {len(r) for r in b.rows}
    if isinstance(a, (ListBlock, Signatures, Rule)):
        return not isinstance(a, ListBlock) or a.ordered == b.ordered  # type: ignore[union-attr]
    return similarity(block_text(a), block_text(b)) >= ALIKE


def compare_blocks(a: list[Block], b: list[Block], markers: Markers) -> list[Block]:
    """``b``'s blocks with ``a``'s deleted ones put back, each block marked or compared word by word."""
    out: list[Block] = []
    ops = difflib.SequenceMatcher(None, [_key(x) for x in a], [_key(x) for x in b], autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.extend(b[j1:j2])
        else:
            out.extend(_pair(a[i1:i2], b[j1:j2], markers, compare_block, mark_block))
    return out


def _pair(olds: Sequence[Any], news: Sequence[Any], markers: Markers, merge, mark) -> list[Any]:
    """Replaced items in order: an old and a new one alike are one item changed; others deleted/inserted."""
    out: list[Any] = []
    i = j = 0
    while i < len(olds) and j < len(news):
        if _compatible_item(olds[i], news[j]):
            out.append(merge(olds[i], news[j], markers))
            i, j = i + 1, j + 1
        elif any(_compatible_item(olds[i], n) for n in news[j + 1:]):
            out.append(mark(news[j], "insert", markers))
            j += 1
        else:
            out.append(mark(olds[i], "delete", markers))
            i += 1
    out.extend(mark(x, "delete", markers) for x in olds[i:])
    out.extend(mark(x, "insert", markers) for x in news[j:])
    return [x for x in out if x is not None]


def _compatible_item(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):  # list items (blocks) or table rows (cells of runs)
        ta = " ".join(_item_text(a))
        tb = " ".join(_item_text(b))
        return similarity(ta, tb) >= ALIKE
    return _compatible(a, b)


def _item_text(item: list) -> list[str]:
    return [block_text(x) if not isinstance(x, list) else plain_text(x) for x in item]


def compare_block(a: Block, b: Block, markers: Markers) -> Block:
    """Two versions of one block as one block with change marks."""
    if isinstance(a, (Heading, Paragraph)) and isinstance(b, (Heading, Paragraph)):
        return replace(b, runs=compare_runs(a.runs, b.runs))
    if isinstance(a, ListBlock) and isinstance(b, ListBlock):
        return replace(b, items=_compare_items(a.items, b.items, markers))
    if isinstance(a, Table) and isinstance(b, Table):
        return _compare_table(a, b)
    if isinstance(a, Signatures) and isinstance(b, Signatures):
        return replace(b, signers=[_compare_signer(x, y, markers) for x, y in
                                   _pairs(a.signers, b.signers, Signer("", ""))])
    return b


def _compare_signer(a: Signer, b: Signer, markers: Markers) -> Signer:
    m = markers.text
    return Signer(m(a.party, b.party), m(a.name, b.name), m(a.title, b.title), b.field or a.field)


def _compare_items(a: list[list[Block]], b: list[list[Block]], markers: Markers) -> list[list[Block]]:
    def key(item: list[Block]) -> tuple:
        return tuple(_key(x) for x in item)

    out: list[list[Block]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [key(x) for x in a], [key(x) for x in b],
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(b[j1:j2])
        else:
            out.extend(_pair(a[i1:i2], b[j1:j2], markers,
                             lambda x, y, mk: compare_blocks(x, y, mk),
                             lambda x, change, mk: [y for y in (mark_block(z, change, mk) for z in x) if y is not None]))
    return out


def _compare_table(a: Table, b: Table) -> Table:
    rows: list[list[list[Run]]] = []
    changes: list[Change | None] = []

    def key(row: list[list[Run]]) -> tuple:
        return tuple(plain_text(c) for c in row)

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [key(r) for r in a.rows], [key(r) for r in b.rows],
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(b.rows[j1:j2])
            changes.extend([None] * (j2 - j1))
            continue
        olds, news = a.rows[i1:i2], b.rows[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                rows.append([compare_runs(x, y) for x, y in _pairs(olds[k], news[k], [])])
                changes.append(None)
            elif k < len(olds):
                rows.append([_mark_runs(c, "delete") for c in olds[k]])
                changes.append("delete")
            else:
                rows.append([_mark_runs(c, "insert") for c in news[k]])
                changes.append("insert")
    return replace(b, rows=rows, row_changes=changes if any(changes) else [])


def mark_block(block: Block, change: Change, markers: Markers) -> Block | None:
    """A whole block inserted or deleted (None: nothing to show, a deleted rule)."""
    if isinstance(block, (Heading, Paragraph)):
        return replace(block, runs=_mark_runs(block.runs, change), change=change)
    if isinstance(block, ListBlock):
        items = [[y for y in (mark_block(x, change, markers) for x in item) if y is not None] for item in block.items]
        return replace(block, items=items)
    if isinstance(block, Table):
        return replace(block, rows=[[_mark_runs(c, change) for c in row] for row in block.rows],
                       row_changes=[change] * len(block.rows))
    if isinstance(block, Signatures):
        empty = Signer("", "")
        pairs = [(s, empty) if change == "delete" else (empty, s) for s in block.signers]
        return replace(block, signers=[_compare_signer(x, y, markers) for x, y in pairs])
    return None if change == "delete" else block


def _mark_runs(runs: list[Run], change: Change) -> list[Run]:
    return [replace(r, change=change) for r in runs]


# --- runs -------------------------------------------------------------------------------------

def _tokens(runs: list[Run]) -> list[tuple[str, tuple]]:
    """Runs as (token, formatting) pairs: words, spaces and punctuation, each with its run's emphasis."""
    out: list[tuple[str, tuple]] = []
    for r in runs:
        fmt = (r.bold, r.italic, r.code, r.href, r.br)
        if r.br:
            out.append(("\n", fmt))
            continue
        out.extend((t, fmt) for t in TOKEN.findall(r.text))
    return out


def compare_runs(a: list[Run], b: list[Run]) -> list[Run]:
    """Two versions of a paragraph's runs as one, word by word: b's words, a's deleted ones marked."""
    ta, tb = _tokens(a), _tokens(b)
    pieces: list[tuple[str, tuple, Change | None]] = []
    for tag, i1, i2, j1, j2 in opcodes(ta, tb, [t.isspace() for t, _ in ta], [t.isspace() for t, _ in tb]):
        if tag == "equal":
            pieces.extend((t, f, None) for t, f in tb[j1:j2])
            continue
        pieces.extend((t, f, "delete") for t, f in ta[i1:i2])
        pieces.extend((t, f, "insert") for t, f in tb[j1:j2])
    runs: list[Run] = []
    for text, fmt, change in pieces:
        bold, italic, code, href, br = fmt
        if runs and not br and not runs[-1].br and (runs[-1].bold, runs[-1].italic, runs[-1].code, runs[-1].href,
                                                     runs[-1].change) == (bold, italic, code, href, change):
            runs[-1] = replace(runs[-1], text=runs[-1].text + text)
        else:
            runs.append(Run("" if br else text, bold, italic, code, href, br, change))
    return runs


def _piece_runs(pieces: list[tuple[str, str]]) -> list[Run]:
    """Word pieces as marked runs, a space between a deletion and the insertion after it."""
    runs: list[Run] = []
    for n, (op, text) in enumerate(pieces):
        if n and op == "insert" and pieces[n - 1][0] == "delete":
            runs.append(Run(" "))
        runs.append(Run(text, change="insert" if op == "insert" else "delete" if op == "delete" else None))
    return runs


def changed(doc: Document) -> bool:
    """Whether a redline document holds any change mark in its body."""
    def walk(value: Any) -> bool:
        if isinstance(value, Run):
            return value.change is not None
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return any(walk(getattr(value, f.name)) for f in dataclasses.fields(value))
        if isinstance(value, (list, tuple)):
            return any(walk(v) for v in value)
        return False
    return walk(doc.blocks)


# --- output -----------------------------------------------------------------------------------

def render_redline(red: Redline, fmt: str, project: Project) -> bytes:
    """The redline as DOCX (tracked changes), HTML (<ins>/<del>) or PDF (underlined / struck through)."""
    if fmt == "docx":
        from ..render.docx import render_docx

        data = render_docx(red.markers.for_word(red.document), project.templates, red.path, change_author=red.new.author,
                           change_date=red.new.date)
        return red.markers.expand_docx(data, red.new.author, red.new.date)
    if fmt == "html":
        from ..render.html import render_html

        page = red.markers.expand_html(render_html(red.document, project.templates, red.path))
        return page.replace(b"</head>", HTML_STYLE.encode("utf-8") + b"</head>", 1)
    if fmt == "pdf":
        from ..render import render

        plain = red.markers.substitute(red.document)
        if red.markers.items:  # the PDF template prints the letterhead from plain strings: its changes listed first
            items: list[list[Block]] = [[Paragraph(_piece_runs(pieces))] for _, _, pieces in red.markers.items]
            plain = replace(plain, blocks=[Paragraph(text_run("Ändrat i brevhuvud, rubrik, sidfot eller underskrifter"),
                                                     style="label"), ListBlock(False, items), *plain.blocks])
        options = project.options
        return render(plain, ["pdf"], project.templates, pdf_engine=options.pdf_engine, source=red.path)["pdf"]
    raise UsageError(f"okänt format '{fmt}' för redline; välj docx, html eller pdf")


__all__ = ["ALIKE", "FORMATS", "Redline", "block_text", "changed", "compare_blocks", "compare_documents",
           "compare_runs", "document_at", "mark_block", "redline", "render_redline"]
