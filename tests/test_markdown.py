"""Markdown: what a reader sees (plain_text) and what reaches the documents (no invisible/illegal characters)."""
from __future__ import annotations

import pytest

from beslut.document import ListBlock, Paragraph, Table
from beslut.markdown import inline_runs, plain_text, to_blocks
from beslut.yamlsource import INVISIBLE, XML_ILLEGAL


def test_plain_text_joins_emphasis_decodes_entities_and_separates_blocks():
    text = "# Rubrik\n\nHej **fet** *kursiv* a&#45;b &amp; \\*\nrad två\n\n- punkt\n\n> citat"
    assert plain_text(text) == "Rubrik\nHej fet kursiv a-b & *rad två\npunkt\ncitat\n".replace("*rad", "* rad")


def test_plain_text_adds_link_targets_autolinks_titles_and_image_sources():
    text = ('Se [beslutet](https://a.se/x?p=1%2D2 "Titel") och <https://b.se/y>.\n\n'
            "![bild](https://c.se/z.png)\n\n[ref][r]\n\n[r]: https://d.se/&#45;")
    assert plain_text(text).splitlines() == [
        "Se beslutet och https://b.se/y.", "https://a.se/x?p=1%2D2", "https://a.se/x?p=1-2", "Titel", "https://b.se/y",
        "!bild", "https://c.se/z.png", "ref", "https://d.se/-"]


def test_plain_text_keeps_code_and_table_cells_apart():
    text = "`a&#45;b`\n\n```\nkod &#45;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert plain_text(text) == "a&#45;b\nkod &#45;\na | b | \n1 | 2 | \n"


def test_plain_text_of_nothing():
    assert plain_text("") == "" and plain_text(None) == ""


@pytest.mark.parametrize("entity", ["&#x202E;", "&#8238;", "&#x200B;", "&#xFEFF;", "&#x2066;", "&#x200F;"])
def test_plain_text_drops_invisible_characters_that_entities_produce(entity):
    assert plain_text(f"a{entity}b") == "ab\n"


def _texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out += [r.text for r in b.runs]
        elif isinstance(b, ListBlock):
            out += [t for item in b.items for t in _texts(item)]
        elif isinstance(b, Table):
            out += [r.text for row in b.rows for cell in row for r in cell]
        else:
            out += [r.text for r in b.runs]
    return out


@pytest.mark.parametrize("entity", ["&#x202E;", "&#8238;", "&#x202D;", "&#x200B;", "&#x2067;", "&#x200E;", "&#xFEFF;"])
@pytest.mark.parametrize("shape", ["Avser {} text", "# Rubrik {}", "- punkt {}", "| a{} | b |\n|---|---|\n| 1 | {}2 |",
                                   "[länk{}](https://a.se)", "**fet{}**"])
def test_to_blocks_drops_invisible_characters_written_as_entities(entity, shape):
    texts = _texts(to_blocks(shape.format(entity, entity)))
    assert texts and not any(INVISIBLE.search(t) for t in texts)


@pytest.mark.parametrize("text", ["a\x0bb", "a\x00b", "`a\x0cb`", "```\na\x1fb\n```", "a &#11; &#0; &#xFFFE; &#xD800; b",
                                  "    a\x08b"])
def test_to_blocks_never_yields_xml_illegal_characters(text):
    texts = _texts(to_blocks(text))
    assert texts and not any(XML_ILLEGAL.search(t) for t in texts)


def test_inline_runs_cleans_code_spans_too():
    from beslut.markdown import _parser

    children = _parser().parse("`a\u202eb` c\u200bd")[1].children
    assert [r.text for r in inline_runs(children)] == ["ab", " cd"]
