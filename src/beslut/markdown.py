"""Markdown prose → document blocks, in-process with markdown-it-py (CommonMark).

Raw HTML is not enabled, so ``<b>`` or ``<script>`` typed in prose stays text. Headings in
prose are shifted below the heading of the section that holds them. Entities are decoded by
markdown-it, so ``&#x202E;`` would bring back a direction override that the YAML reader removed:
blocks drop invisible direction/zero-width characters and XML-illegal characters however written.
"""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .yamlsource import INVISIBLE, XML_ILLEGAL

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .document import Block, Run


@cache
def _parser() -> MarkdownIt:
    """The one parser, made on first use: ``beslut check`` of texts without Markdown to render
    never imports markdown-it (20 ms of its start)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.disable(["image"])  # images in prose would need files the renderers do not have: keep alt text
    return md

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def to_blocks(text: str | None, heading_level: int = 2) -> list[Block]:
    """Convert Markdown to blocks. Prose headings start at ``heading_level``."""
    if not text:
        return []
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, len(tokens), heading_level)
    return blocks


def _clean(text: str) -> str:
    """Without invisible direction/zero-width characters and characters XML does not allow."""
    return INVISIBLE.sub("", XML_ILLEGAL.sub("", text))


def plain_text(text: str | None) -> str:
    """``text`` as a reader sees it once rendered, plus every URL it holds: for screening, not display.

    Entities and escapes are decoded, emphasis and links are joined into their words (so
    ``1212**12**-1212`` reads ``121212-1212``), soft line breaks are spaces, code is kept as written.
    Blocks and table rows end in a newline, table cells are separated by `` | ``. After each block
    comes every link target, autolink and image source in it (each on its own line, also
    percent-decoded when that differs) and link titles. Invisible and XML-illegal characters go.
    """
    if not text:
        return ""
    out: list[str] = []
    urls: list[str] = []  # written after the block (or table row) that holds them
    tokens = _parser().parse(text)
    for i, tok in enumerate(tokens):
        if tok.type == "inline":
            for child in tok.children or []:
                t = child.type
                if t in ("text", "text_special", "code_inline", "html_inline", "image"):
                    out.append(child.content)
                elif t == "softbreak":
                    out.append(" ")
                elif t == "hardbreak":
                    out.append("\n")
                for name in ("href", "src", "title"):
                    value = child.attrGet(name)
                    if value:
                        urls += dict.fromkeys((str(value), unquote(str(value))))
            if tokens[i - 1].type in ("th_open", "td_open"):
                out.append(" | ")
                continue
            out.append("\n")
        elif tok.type in ("fence", "code_block", "html_block"):
            out.append(tok.content.rstrip("\n") + "\n")
        elif tok.type == "tr_close":
            out.append("\n")
        else:
            continue
        out.extend(url + "\n" for url in urls)
        urls.clear()
    return _clean("".join(out))


def _blocks(tokens: list[Token], i: int, end: int, base: int) -> tuple[list[Block], int]:
    from .document import Heading, ListBlock, Paragraph, Run, Table  # only composing needs them, not check

    out: list[Block] = []
    while i < end:
        tok = tokens[i]
        t = tok.type
        if t == "paragraph_open":
            inline = tokens[i + 1]
            out.append(Paragraph(inline_runs(inline.children or [])))
            i += 3
        elif t == "heading_open":
            level = min(base + int(tok.tag[1]) - 1, 6)
            out.append(Heading(level, inline_runs(tokens[i + 1].children or [])))
            i += 3
        elif t in ("bullet_list_open", "ordered_list_open"):
            close = _matching(tokens, i)
            items: list[list[Block]] = []
            j = i + 1
            while j < close:
                if tokens[j].type == "list_item_open":
                    item_close = _matching(tokens, j)
                    item, _ = _blocks(tokens, j + 1, item_close, base)
                    items.append(item)
                    j = item_close + 1
                else:
                    j += 1
            start = int(tok.attrGet("start") or 1) if t == "ordered_list_open" else 1
            out.append(ListBlock(t == "ordered_list_open", items, start))
            i = close + 1
        elif t == "blockquote_open":
            close = _matching(tokens, i)
            inner, _ = _blocks(tokens, i + 1, close, base)
            out.extend(Paragraph(b.runs, "quote") if isinstance(b, Paragraph) else b for b in inner)
            i = close + 1
        elif t in ("fence", "code_block"):
            out.append(Paragraph([Run(_clean(tok.content.rstrip("\n")), code=True)], "code"))
            i += 1
        elif t == "table_open":
            close = _matching(tokens, i)
            rows: list[list[list[Run]]] = []
            for j in range(i, close):
                if tokens[j].type == "tr_open":
                    rows.append([])
                elif tokens[j].type == "inline" and rows:
                    rows[-1].append(inline_runs(tokens[j].children or []))
            out.append(Table(rows))
            i = close + 1
        elif t == "html_block":  # not produced with html disabled; kept literal if it ever is
            out.append(Paragraph([Run(_clean(tok.content.rstrip("\n")))]))
            i += 1
        else:
            i += 1  # hr and closing tokens
    return out, i


def _matching(tokens: list[Token], i: int) -> int:
    """Index of the token that closes the one at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def inline_runs(children: list[Token]) -> list[Run]:
    """Inline tokens → runs. Soft line breaks are spaces; hard breaks are kept; invisible/XML-illegal characters go."""
    from .document import Run

    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for tok in children:
        t = tok.type
        if t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            target = str(tok.attrGet("href") or "")
            href = target if target.startswith(_SAFE_SCHEMES) else None
            if href is None and target and target != "#":
                runs.append(Run("", bold=bool(bold), italic=bool(italic)))
        elif t == "link_close":
            href = None
        elif t == "text" or t == "html_inline":
            _append(runs, Run(_clean(tok.content), bool(bold), bool(italic), href=href))
        elif t == "code_inline":
            runs.append(Run(_clean(tok.content), bool(bold), bool(italic), code=True, href=href))
        elif t == "softbreak":
            _append(runs, Run(" ", bool(bold), bool(italic), href=href))
        elif t == "hardbreak":
            runs.append(Run("", br=True))
        elif t == "image":
            _append(runs, Run(_clean(tok.content), bool(bold), bool(italic), href=href))
    return [r for r in runs if r.text or r.br]


def _append(runs: list[Run], run: Run) -> None:
    """Merge with the previous run when formatting is the same (fewer, longer runs)."""
    if runs and not runs[-1].br and (runs[-1].bold, runs[-1].italic, runs[-1].code, runs[-1].href) == (
            run.bold, run.italic, run.code, run.href):
        runs[-1] = type(run)(runs[-1].text + run.text, run.bold, run.italic, run.code, run.href)
    else:
        runs.append(run)
