"""Page breaks a registrator accepts: no page ends with a heading or a bold lead-in, a signature
block is whole on one page, no paragraph leaves a single line alone at a page's foot or head;
checked on the laid-out PDF (pdfplumber reads each word's page, position and font) for many
record lengths, so that every break point is met somewhere."""
from __future__ import annotations

import io
import re
from collections import defaultdict

import pytest

from beslut.document import Document, Heading, Letterhead, ListBlock, Paragraph, Run, Signatures, Signer
from beslut.render import default_templates, render

pdfplumber = pytest.importorskip("pdfplumber")

SIGNERS = [Signer("För social- och omsorgsnämnden", "Linda Ljungqvist", "Socialdirektör", "part-1"),
           Signer("För Leanlink", "Sonja Erlandsson", "Verksamhetschef", "part-2")]


def paragraph(k: int, lines: int) -> Paragraph:
    """A paragraph of about ``lines`` lines whose every word names it: p<k>w<j>."""
    return Paragraph([Run(" ".join(f"p{k}w{j}" for j in range(11 * lines)))])


def long_document(filler: int, lines: bool) -> Document:
    """Filler paragraphs, then sections with headings, lead-ins, a list, and the signatures at the end."""
    blocks = [paragraph(k, 1 + k % 4) for k in range(filler)]
    for s in range(3):
        blocks += [Heading(1, [Run(f"Rubrik{s}")]), paragraph(100 + s, 3),
                   Heading(2, [Run(f"Underrubrik{s}")]), Paragraph([Run(f"Etikett{s}")], "label"),
                   paragraph(200 + s, 2),
                   ListBlock(False, [[paragraph(300 + 10 * s + i, 2)] for i in range(3)])]
    blocks += [Paragraph([Run("Linköping 2022-05-18")]), Signatures(SIGNERS, lines=lines)]
    lh = Letterhead("Linköpings kommun", "Social- och omsorgsförvaltningen", "2022-05-18", "SON 2022-1", ["Anna"], "",
                    fields=[("", "2022-05-18"), ("Dnr", "SON 2022-1")])
    return Document(id="t", kind="uppdrag", title="Sidbrytningar", lang="sv-SE", draft=False, letterhead=lh,
                    subtitle=[], blocks=blocks, footer=[], date_iso="2022-05-18")


def body_lines(pdf_bytes: bytes) -> list[list[tuple[float, str, str]]]:
    """Per page, the body's lines top to bottom as (top, text, font of the first word); footer left out."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            foot = page.height - 2.6 / 2.54 * 72  # the bottom margin: page numbers live there
            rows: dict[float, list] = defaultdict(list)
            for w in page.extract_words(extra_attrs=["fontname", "size"]):
                if w["bottom"] < foot:
                    rows[round(w["top"])].append(w)
            pages.append([(top, " ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])), ws[0]["fontname"])
                          for top, ws in sorted(rows.items())])
    return pages


@pytest.mark.parametrize("lines", [False, True])
def test_page_breaks_over_many_record_lengths(lines):
    seen_breaks = 0
    for filler in range(0, 40, 3):
        pages = body_lines(render(long_document(filler, lines), ["pdf"], default_templates())["pdf"])
        seen_breaks += len(pages) - 1
        for number, page in enumerate(pages, 1):
            where = f"{filler} stycken, sida {number}"
            last = page[-1][1]
            assert not re.fullmatch(r"(Underrubrik|Rubrik|Etikett)\d", last), f"{where} slutar med {last!r}"
            assert "Linköping 2022-05-18" != last, f"{where}: ort och datum skilt från underskrifterna"
            # widows and orphans: no page holds a single line of a paragraph that has more lines
            counts: dict[str, int] = defaultdict(int)
            for _top, text, _font in page:
                for k in set(re.findall(r"\bp(\d+)w", text)):
                    counts[k] += 1
            totals = {k: sum(1 for p in pages for _t, text, _f in p if f"p{k}w" in text) for k in counts}
            lonely = [k for k, n in counts.items() if n == 1 and totals[k] > 1]
            assert not lonely, f"{where}: ensam rad ur stycke {lonely}"
        # the signature block and the place-and-date line before it on one page
        sig_pages = {n for n, page in enumerate(pages) for _t, text, _f in page
                     if any(x in text for x in ("Linköping 2022-05-18", "Ljungqvist", "Erlandsson", "Leanlink",
                                                "Socialdirektör", "Verksamhetschef"))}
        assert len(sig_pages) == 1, (filler, sig_pages)
    assert seen_breaks >= 15  # the lengths do reach many page breaks


def test_headings_are_set_apart_in_size_and_family():
    doc = long_document(0, False)
    with pdfplumber.open(io.BytesIO(render(doc, ["pdf"], default_templates())["pdf"])) as pdf:
        words = {w["text"]: w for p in pdf.pages for w in p.extract_words(extra_attrs=["fontname", "size"])}
    title, h1, h2, label, body = (words[t] for t in ("Sidbrytningar", "Rubrik0", "Underrubrik0", "Etikett0", "p100w0"))
    assert title["size"] > h1["size"] > h2["size"] > body["size"]
    assert all("NotoSans-Bold" in w["fontname"] for w in (title, h1, h2))
    assert "NotoSerif-Bold" in label["fontname"] and "NotoSerif-Regular" in body["fontname"]
