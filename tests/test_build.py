"""`beslut build`: the seeds build back, outputs are reproducible, PDFs are PDF/A and PDF/UA."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from .conftest import MINIMAL, ROOT, SECOND_PROFILE, SEEDS, run, write
from .helpers import docx_body_text, html_text, pdf_text, require_tool, words

FIDELITY = ROOT.parent / "shared" / "checks" / "fidelity.py"


@pytest.fixture
def built(built_examples: Path) -> Path:
    """The repository's example records, built once per session."""
    return built_examples


def ids() -> list[str]:
    return sorted(p.stem for p in (ROOT / "decisions").glob("*.yaml"))


def test_every_record_gives_three_formats(built):
    for rid in ids():
        for fmt in ("docx", "pdf", "html"):
            assert (built / f"{rid}.{fmt}").stat().st_size > 0


def _fidelity():
    if not FIDELITY.is_file():
        pytest.skip("shared/checks/fidelity.py finns inte bredvid repot")
    spec = importlib.util.spec_from_file_location("fidelity", FIDELITY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [
    "000_05822279f194f340.txt", "002_1ef3c2437ef2dd9c.txt", "003_9164f0889cbba213.txt", "004_6819f8861d7beafd.txt",
])
def test_seed_builds_back(built, seed):
    fidelity = _fidelity()
    require_tool("pdftotext", "poppler-utils")
    need, fold = fidelity.SEEDS[seed]
    seed_words = fidelity.words((SEEDS / seed).read_text(encoding="utf8"), fold)
    for kind, reader in (("docx", fidelity.docx_text), ("pdf", fidelity.pdf_text), ("html", fidelity.html_text)):
        texts = {p: reader(p) for p in sorted(built.glob(f"*.{kind}"))}
        score, name = fidelity.best(seed_words, texts, fold)
        assert score >= need, (seed, kind, score, name)


def test_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    result = subprocess.run([sys.executable, "-m", "beslut.cli", "build", "--out", str(again), "-q"],
                            cwd=ROOT, capture_output=True, text=True, env={"TZ": "Pacific/Auckland", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    for path in sorted(p for p in built.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = path.relative_to(built)
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256((again / name).read_bytes()).digest(), name


def test_same_words_in_same_order_in_all_formats(built):
    for rid in ids():
        html = words(html_text(built / f"{rid}.html"))
        docx = [w for w in words(docx_body_text(built / f"{rid}.docx")) if w != "utkast"]
        assert html == docx, rid
        # PDF text joins a word broken at a hyphen ("SMS-gruppen" → "SMSgruppen") and adds the
        # page header; compare letters, in order, with the header allowed in between
        # the PDF's text is read as laid out: signature blocks row by row across the signers, where
        # DOCX and HTML (and the PDF's tags) read each signer as a unit; those words are compared as a set
        page = (built / f"{rid}.html").read_text(encoding="utf-8")
        signing = words(html_text_of(page[page.find('<div class="underskrifter">'):])) if "underskrifter" in page else []
        before = html[:len(html) - len(signing)] if signing else html
        pdf_words = words(pdf_text(built / f"{rid}.pdf"))
        assert _in_order("".join(before), "".join(pdf_words)), rid
        assert set(signing) <= set(pdf_words), rid
        assert len("".join(pdf_words)) - len("".join(html)) < 400, rid  # only page furniture is extra


def html_text_of(fragment: str) -> str:
    """The text of an HTML fragment."""
    import re
    return re.sub(r"<[^>]+>", " ", fragment)


def _in_order(needle: str, hay: str) -> bool:
    """Every character of needle appears in hay in the same order."""
    it = iter(hay)
    return all(ch in it for ch in needle)


def test_pdf_metadata_outline_and_page_numbers(built):
    path = built / "on-2015-182-omradesarbete-berga-lambohov.pdf"
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == ("Områdesarbete Berga och Lambohov, ställningstagande till förlängning av uppdrag "
                                    "till Leanlink Råd och Stöd")
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert str(pdf.Root.Lang) in ("sv", "sv-SE")
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert "Förslag till beslut" in titles and "Ekonomiska konsekvenser" in titles
        pages = len(pdf.pages)
    text = pdf_text(path, layout=True)
    assert f"1 ({pages})" in text and f"2 ({pages})" in text
    assert "Dnr ON 2015-182" in text and "Sofia Lindholm-Åström" in text


def test_pdf_passes_pdfa_and_pdfua_checks(built):
    page = pytest.importorskip("page")
    for rid in ids():
        data = (built / f"{rid}.pdf").read_bytes()
        assert page.is_pdf_compliant_bytes(data, profile="2b"), rid
        assert page.is_pdf_compliant_bytes(data, profile="ua1"), rid


def test_docx_uses_word_styles_and_real_numbering(built):
    with zipfile.ZipFile(built / "son-2020-faltverksamhet.docx") as z:
        xml = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
        footer_xml = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert '<w:pStyle w:val="Heading1"/>' in xml
    assert xml.count("<w:numPr>") >= 3 and "•" not in docx_body_text(built / "son-2020-faltverksamhet.docx")
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
    assert 'w:val="sv-SE"' in styles


def test_html_is_semantic(built):
    html = (built / "son-2021-omradesbaserat-socialt-arbete-motion.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and html.count("<h1>") == 1
    assert "<ul>" in html and "<ol>" in html
    assert "<h2>Förslag till kommunfullmäktiges beslut</h2>" in html


def test_draft_is_marked_in_every_format(built):
    rid = "son-2022-utvecklingsuppdrag-omradesteam"
    assert "UTKAST" in docx_body_text(built / f"{rid}.docx")
    assert "UTKAST" in html_text(built / f"{rid}.html", "main")
    assert pdf_text(built / f"{rid}.pdf").count("UTKAST") >= 2  # banner and every page header


def test_agreement_amounts_in_swedish_format(built):
    text = html_text(built / "son-2022-utvecklingsuppdrag-omradesteam.html")
    # the example carries the source's own wording (ersättning.text); generated sentences: tests/test_kinds.py
    assert "totalt 8 410 tkr/år:" in text and "vilket innebär 875 tkr." in text and "månader)" not in text
    assert "För social- och omsorgsnämnden" in text and "För Leanlink" in text


HOSTILE = "{{ 7*7 }} {% if x %} #set text(red) $x^2$ \\\\section{x} <script>alert(1)</script> & < > \" § – @ref *a* `b`"


def test_hostile_prose_comes_out_literally(empty_project):
    text = MINIMAL.replace("Kort ärende.", "'" + HOSTILE.replace("'", "''") + "'")
    text = text.replace("rubrik: Ett litet ärende", "rubrik: '{{ rubrik }} <b>#strong[x]</b>'")
    write(empty_project / "decisions" / "fientlig.yaml", text)
    result = run("build")
    assert result.exit_code == 0, result.output
    literal = HOSTILE.replace("*a*", "a").replace("`b`", "b").replace("\\\\", "\\")
    out = empty_project / "build"
    assert literal in docx_body_text(out / "fientlig.docx")
    assert "{{ rubrik }} <b>#strong[x]</b>" in docx_body_text(out / "fientlig.docx")
    assert literal in html_text(out / "fientlig.html")
    assert "<script>" not in (out / "fientlig.html").read_text(encoding="utf-8")
    assert literal in " ".join(pdf_text(out / "fientlig.pdf").split())


def test_failed_build_keeps_earlier_outputs(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build").exit_code == 0
    before = {p.name: p.read_bytes() for p in (empty_project / "build").glob("r.*")}
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("status: beslutad", "status: okänd"))
    result = run("build")
    assert result.exit_code == 1 and "status" in result.stderr
    after = {p.name: p.read_bytes() for p in (empty_project / "build").glob("r.*")}
    assert after == before


def _png(width: int = 40, height: int = 20) -> bytes:
    """A small red PNG, made here so the test needs no image library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc0\x10\x10" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_second_profile_builds_with_its_own_letterhead(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder" / "logo.png").write_bytes(_png())
    write(tmp_path / "beslut.yaml", SECOND_PROFILE + "logotyp: bilder/logo.png\n"
          "sidfot: [Exempelby kommun, Storgatan 1, 123 45 Exempelby]\n")
    write(tmp_path / "decisions" / "bun.yaml", MINIMAL.replace("nämnd: SON", "nämnd: BUN")
          .replace("Social- och omsorgsförvaltningen", "Utbildningsförvaltningen")
          .replace("dnr: SON 2024-12", "dnr: BUN.2024.123").replace("ekonomiska_konsekvenser", "ekonomi"))
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "build" / "bun.pdf")
    assert "Storgatan 1" in text and "Linköping" not in text
    assert "Barn- och utbildningsnämnden" in html_text(tmp_path / "build" / "bun.html")
    # the logo in all three formats, with its text alternative
    html = (tmp_path / "build" / "bun.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in html and 'alt="Exempelby kommuns logotyp"' in html
    with pikepdf.open(tmp_path / "build" / "bun.pdf") as pdf:
        assert any(str(x.get("/Subtype")) == "/Image" for x in pdf.pages[0].Resources.XObject.values())
    with zipfile.ZipFile(tmp_path / "build" / "bun.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
        assert 'descr="Exempelby kommuns logotyp"' in headers
    page = pytest.importorskip("page")
    assert page.is_pdf_compliant_bytes((tmp_path / "build" / "bun.pdf").read_bytes(), profile="ua1")


def test_profile_logo_must_exist_and_be_an_image(empty_project):
    profile = empty_project / "beslut.yaml"
    text = re.sub(r"(?m)^logotyp: .*\n", "", profile.read_text(encoding="utf-8"))
    profile.write_text(text + "logotyp: saknas.png\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = run("check")
    assert result.exit_code == 1
    assert f"beslut.yaml:{line}:1: logotyp: logotypen 'saknas.png' finns inte" in result.stderr
    (empty_project / "saknas.png").write_text("inte en bild", encoding="utf-8")
    assert "ska vara en PNG- eller JPEG-bild" in run("check").stderr


def test_project_without_templates_uses_the_packaged_ones(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    shutil.rmtree(empty_project / "templates")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in (empty_project / "build").glob("r.*")} == {".docx", ".pdf", ".html"}


def test_broken_html_template_names_file_and_line(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    (empty_project / "templates" / "dokument.html.j2").write_text("<p>\n{{ doc.title }\n</p>", encoding="utf-8")
    result = run("build", "--format", "html")
    assert result.exit_code == 3
    assert "dokument.html.j2:2: mallfel: syntaxfel" in result.stderr


def test_template_sandbox_blocks_python_internals(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    (empty_project / "templates" / "dokument.html.j2").write_text(
        "{{ doc.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    result = run("build", "--format", "html")
    assert result.exit_code == 3 and "mallfel" in result.stderr


def test_corrupt_word_template(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    (empty_project / "templates" / "dokument.docx").write_bytes(b"not a zip")
    result = run("build", "--format", "docx")
    assert result.exit_code == 3 and "inte en läsbar Word-fil" in result.stderr


def test_unknown_format_is_usage_error(empty_project):
    result = run("build", "--format", "odt")
    assert result.exit_code == 2 and "okänt format odt" in result.output


def test_read_only_output_folder(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    out = empty_project / "ro"
    out.mkdir()
    out.chmod(0o555)
    if os.geteuid() != 0:
        result = run("build", "--out", str(out), "-j", "1")
    else:
        # root writes anywhere: build as nobody, in this process (a new process as nobody could not
        # read a virtualenv in a folder only root may read, as CI containers have it)
        for folder in [empty_project, *empty_project.parents]:
            folder.chmod(folder.stat().st_mode | 0o001)
        os.setegid(65534)
        os.seteuid(65534)
        try:
            result = run("build", "--out", str(out), "-j", "1")
        finally:
            os.seteuid(0)
            os.setegid(0)
    assert result.exit_code == 4, result.output
    assert "får inte skriva här" in result.stderr and "Traceback" not in result.stderr


def test_output_path_that_is_a_file(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    (empty_project / "fil").write_text("x")
    result = run("build", "--out", "fil/ut")
    assert result.exit_code == 4 and "kan inte skriva" in result.stderr


def test_tjansteskrivelse_has_the_protokoll_line_before_beslutsunderlag(built):
    html = (built / "son-2020-faltverksamhet.html").read_text(encoding="utf-8")
    assert html.index("<hr>") < html.index("Beslutsunderlag:") and html.index("<h2>Ärende</h2>") < html.index("<hr>")
    with zipfile.ZipFile(built / "son-2020-faltverksamhet.docx") as z:
        assert '<w:bottom w:val="single"' in z.read("word/document.xml").decode()


RICH = """
Inledning med *kursiv* och **fet** text.

1. Första punkten
   - underpunkt a
   - underpunkt b
2. Andra punkten

> Ett citat ur motionen.

| År | Belopp |
|----|--------|
| 2024 | 1 200 tkr |
| 2025 | 1 250 tkr |

    kod som den står
"""


def test_markdown_structures_in_every_format(empty_project):
    text = MINIMAL.replace("ärende: |\n  Kort ärende.\n", "ärende: |\n" + "".join(
        f"  {line}\n" if line else "\n" for line in RICH.strip("\n").splitlines()))
    write(empty_project / "decisions" / "r.yaml", text)
    result = run("build")
    assert result.exit_code == 0, result.output
    out = empty_project / "build"
    html = (out / "r.html").read_text(encoding="utf-8")
    for fragment in ("<em>kursiv</em>", "<strong>fet</strong>", "<ol>", "<ul>", "<blockquote>", '<table class="tabell">',
                     '<th scope="col">År</th>', "<td>1 250 tkr</td>", "<pre><code>kod som den står</code></pre>"):
        assert fragment in html, fragment
    with zipfile.ZipFile(out / "r.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "<w:tbl>" in xml and "<w:tblHeader/>" in xml and '<w:ilvl w:val="1"/>' in xml
    assert '<w:pStyle w:val="Quote"/>' in xml and "<w:i/>" in xml
    pdf = " ".join(pdf_text(out / "r.pdf").split())
    for words_ in ("Första punkten", "underpunkt b", "Ett citat ur motionen.", "1 250 tkr", "kod som den står"):
        assert words_ in pdf, words_


def test_docx_font_table_describes_the_bundled_fonts_for_word_without_them(built):
    """Word on a machine without Noto substitutes by the font table: a serif for the body, a sans for headings."""
    with zipfile.ZipFile(built / "son-2020-faltverksamhet.docx") as z:
        fonts = z.read("word/fontTable.xml").decode()
    assert re.search(r'<w:font w:name="Noto Serif"><w:altName w:val="Cambria"/>.*?<w:family w:val="roman"/>', fonts)
    assert re.search(r'<w:font w:name="Noto Sans"><w:altName w:val="Calibri"/>.*?<w:family w:val="swiss"/>', fonts)


def test_html_style_names_the_bundled_fonts_as_valid_css(built):
    """The font lists were HTML-escaped (&#34;Noto Serif&#34;): invalid CSS, so browsers showed Times."""
    html = (built / "son-2020-faltverksamhet.html").read_text(encoding="utf-8")
    style = html[html.index("<style>"):html.index("</style>")]
    assert "&#34;" not in style and "&quot;" not in style
    assert 'body { font-family: "Noto Serif", Georgia' in style
    assert 'h1, h2, h3, h4, h5, footer { font-family: "Noto Sans", Arial' in style
