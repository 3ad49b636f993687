"""The personnummer screen: separators, digit scripts, boundaries, Markdown views and false positives."""
from __future__ import annotations

import pytest

from beslut.personnummer import _luhn_ok, find_personnummer, screen

SEPARATORS = ["-", "+", "", " ", "\u2013", "\u2212", "\u00a0", "\u202f", "\u00ad", "\u2011", "\t", "_", " - ", " \u2013 "]


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(h.text, h.kind, h.digits10) for h in find_personnummer(text)]


@pytest.mark.parametrize("sep", SEPARATORS, ids=[f"U+{ord(s[len(s) // 2]):04X}x{len(s)}" if s else "none" for s in SEPARATORS])
@pytest.mark.parametrize("date,kind", [("121212", "personnummer"), ("19121212", "personnummer"),
                                       ("701063", "samordningsnummer"), ("19701063", "samordningsnummer")])
def test_every_separator_with_and_without_century(sep, date, kind):
    tail = "1212" if kind == "personnummer" else "2391"
    number = f"{date}{sep}{tail}"
    assert _found(f"Gäller {number}, se bilaga.") == [(number, kind, date[-6:] + tail)]


@pytest.mark.parametrize("text,number", [
    ("\u066019121212-1212", "19121212-1212"),   # Arabic-Indic zero before
    ("19121212-1212\u0663", "19121212-1212"),   # Arabic-Indic three after
    ("\uff1119121212-1212", "19121212-1212"),   # full-width one before
    ("p-19121212-1212", "19121212-1212"),       # a dash before (a URL path, a file name)
    ("x19121212-1212y", "19121212-1212"),
])
def test_only_ascii_digits_bound_a_number(text, number):
    assert [h.text for h in find_personnummer(text)] == [number]


@pytest.mark.parametrize("text", ["\u0661\u0662\u0661\u0662\u0661\u0662-\u0661\u0662\u0661\u0662",
                                  "\uff11\uff12\uff11\uff12\uff11\uff12-\uff11\uff12\uff11\uff12"])
def test_non_ascii_digits_are_not_digits(text):
    assert _found(text) == []


@pytest.mark.parametrize("text", ["119121212-1212", "19121212-12121", "9121212121212", "12121212123", "1-121212-12123"])
def test_an_ascii_digit_next_to_the_number_makes_it_another_number(text):
    assert _found(text) == []


@pytest.mark.parametrize("text", ["1212\u00ad12-1212", "12\u200b1212-1212", "121212-12\u202e12", "1\u00ad2\u00ad1212\u2060-1212"])
def test_soft_hyphen_and_invisible_characters_inside_are_ignored_and_kept_in_the_hit(text):
    assert _found(f"se {text} här") == [(text, "personnummer", "1212121212")]


def test_a_line_break_does_not_separate():
    assert _found("121212\n1212") == []


@pytest.mark.parametrize("text", [
    "SON 2020-377", "Dnr KS 2019-121212", "2020-09-21", "den 2020-09-21 kl. 13.00", "8 410 tkr", "8 410 000 kr",
    "013-20 60 00", "Tel. 013-20 60 00 eller 070-123 45 67", "1 234 567 890", "1 212 121 212 kr", "121 212 1212",
    "12 1212 1212", "1212 121212", "Linköpings kommun, org.nr 212000-2163", "perioden 2012-12-12–2012-12-31",
    "201212-201231", "2020-12-12 12:12", "§ 121 2020-12-12", "SON 2015-182, SON 2016-12",
])
def test_ordinary_numbers_are_not_hits(text):
    assert _found(text) == [] and screen(text) == []


def test_a_sum_that_passes_the_checksum_is_no_hit_because_of_its_grouping():
    assert _luhn_ok("1212121212")
    assert _found("Summa: 1 212 121 212 kr; 12 12 12 12 12; 121-212-1212") == []


@pytest.mark.parametrize("text", ["121232-1212", "121300-1212", "000000-0000", "19121212-1213", "701093-2391"])
def test_invalid_date_or_checksum_is_no_hit(text):
    assert _found(text) == []


# screen(): what the raw text holds and what a reader sees once Markdown is rendered

@pytest.mark.parametrize("text", [
    "1212**12**-1212",
    "1912*1212*-1212",
    "`1912`1212-1212",
    "19121212&#45;1212",
    "19121212&#x2D;1212",
    "19121212&ndash;1212",
    "19121212&minus;1212",
    "19121212&nbsp;1212",
    "1912&shy;1212-1212",
    "1912&#x200B;1212-1212",
    "&#49;9121212-1212",
    "19121212\\-1212",
    "[länk](https://a.se/?p=19121212&#45;1212)",
    "[länk](https://a.se/?p=19121212%2D1212)",
    "[länk](https://a.se/?p=19121212%E2%80%931212)",
    "[länk](https://a.se/ \"19121212&#45;1212\")",
    "<https://a.se/p/19121212%2D1212>",
    "![bild](https://a.se/19121212%2D1212.png)",
    "[länk][ref]\n\n[ref]: https://a.se/?p=19121212&#45;1212",
    "| a | 19121212&#45;1212 |\n|---|---|\n| 1 | 2 |",
])
def test_screen_sees_the_rendered_text_and_link_targets(text):
    assert [h.digits10 for h in screen(text)] == ["1212121212"]


def test_screen_without_markdown_reads_only_the_raw_text():
    assert screen("19121212&#45;1212", markdown=False) == []
    assert [h.text for h in screen("bilaga_19121212_1212.pdf", markdown=False)] == ["19121212_1212"]


def test_screen_gives_one_hit_per_number_in_order_of_first_appearance():
    hits = screen("701063-2391, sedan 1912**1212**&#45;1212 och 121212-1212 och 19701063-2391")
    assert [(h.kind, h.digits10) for h in hits] == [("samordningsnummer", "7010632391"), ("personnummer", "1212121212")]
    assert hits[1].text == "121212-1212"  # the raw text's own spelling comes first


def test_screen_handles_empty_and_plain_strings():
    assert screen("") == [] and screen("Kort ärende.") == [] and screen("# \n\n***") == []


def _screen_always_rendering(text: str) -> list[str]:
    """screen() as it was before the shortcut: the raw text and always the rendered one."""
    from beslut.markdown import plain_text

    seen: list[str] = []
    for hit in [*find_personnummer(text), *find_personnummer(plain_text(text))]:
        if hit.digits10 not in seen:
            seen.append(hit.digits10)
    return seen


JOINED_BY_RENDERING = [
    "19121212-\n1212", "19121212\n  -1212", "> 19121212-\n> 1212", "1912__1212__-1212", "1912~~1212~~-1212",
    "1912\\*1212-1212", "19121212 \\\n1212", "19121212  \n1212", "# 19121212\n-1212", "1. 19121212-\n   1212",
    "19121212-`1212`", "*19121212*-*1212*", "1212**12**-1212", "19121212&#45;1212", "[1912](x)1212-1212",
    "<b>1912</b>1212-1212", "19 12 12 12 - 12 12", "1912**1212** 1212", "19121212 -\n   1212",
    "19121212\u00a0\n1212", "1912\u00ad1212 _\n1212", "*19121212* *-* *1212*", "19121212 \u2013\n1212",
    "Dnr SON 2020-377 den 2021-12-17, 8 410 tkr",
]


@pytest.mark.parametrize("text", JOINED_BY_RENDERING)
def test_screen_skips_rendering_only_when_rendering_cannot_add_a_number(text):
    assert [h.digits10 for h in screen(text)] == _screen_always_rendering(text)


def test_screen_agrees_with_always_rendering_on_every_text_of_the_examples():
    from pathlib import Path

    from beslut.yamlsource import load, strings

    root = Path(__file__).resolve().parent.parent / "decisions"
    texts = [value for path in sorted(root.glob("*.yaml")) for _, value in strings(load(path).data, ())]
    assert len(texts) > 200
    for text in texts:
        assert [h.digits10 for h in screen(text)] == _screen_always_rendering(text), text

