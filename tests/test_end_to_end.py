"""Real components: LibreOffice opens every DOCX; headless Chromium renders every HTML page."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, run
from .helpers import pdf_text, require_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lo_built(tmp_path_factory) -> Path:
    """The examples built with LibreOffice as PDF engine (it converts each DOCX)."""
    require_tool("soffice", "libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("lo")
    result = subprocess.run([sys.executable, "-m", "beslut.cli", "build", "--out", str(out), "-q",
                             "--pdf-engine", "libreoffice", "--format", "docx,pdf"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


def test_libreoffice_opens_every_docx_and_keeps_the_text(lo_built):
    for docx in sorted(lo_built.glob("*.docx")):
        pdf = docx.with_suffix(".pdf")
        assert pdf.read_bytes().startswith(b"%PDF"), docx.name
        text = " ".join(pdf_text(pdf, layout=True).split())
        assert any(w in text for w in ("Förslag till", "Uppdragstid och ersättning", "föreslår att")), docx.name


def test_libreoffice_shows_numbered_lists_header_and_page_numbers(lo_built):
    text = pdf_text(lo_built / "son-2020-faltverksamhet.pdf", layout=True)
    assert re.search(r"1\.\s+Uppdraget till Leanlink Råd och stöd", text)
    assert re.search(r"3\.\s+Social- och omsorgsdirektören", text)
    pages = len(re.findall("\f", text)) or 1
    assert f"1 ({pages})" in text and f"2 ({pages})" in text
    assert "Dnr SON 2020-412" in text
    bullets = pdf_text(lo_built / "son-2021-omradesbaserat-socialt-arbete-motion.pdf", layout=True)
    assert re.search(r"•\s+Trygg och attraktiv kommun", bullets)


def test_docx_in_libreoffice_has_as_many_pages_as_the_pdf(lo_built, built_examples):
    """One typography and one rhythm: every example's DOCX, laid out by LibreOffice, has the page
    count of the typst PDF (the figures the closing note of the document-quality issue reports)."""
    import pikepdf

    for docx in sorted(lo_built.glob("*.docx")):
        with pikepdf.open(docx.with_suffix(".pdf")) as lo, pikepdf.open(built_examples / f"{docx.stem}.pdf") as ty:
            assert len(lo.pages) == len(ty.pages), docx.stem


def _chromium_dom(html: Path) -> str:
    chromium = require_tool("chromium", "chromium")
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={html.parent / '.chromium'}", "--dump-dom", html.as_uri()]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_chromium_renders_html_with_one_h1_and_ordered_headings(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "html"
    assert run("build", "--format", "html", "--out", str(out), "-q").exit_code == 0
    for page in sorted(out.glob("*.html")):
        dom = _chromium_dom(page)
        assert '<html lang="sv">' in dom, page.name
        levels = [int(n) for n in re.findall(r"<h([1-6])>", dom)]
        assert levels.count(1) == 1 and levels[0] == 1, page.name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (page.name, levels)
        assert "<script" not in dom


def test_chromium_shows_hostile_markup_as_text(tmp_path, monkeypatch):
    import shutil

    from .conftest import MINIMAL, write
    shutil.copy(ROOT / "beslut.yaml", tmp_path / "beslut.yaml")
    shutil.copy(ROOT / "logotyp-exempel.png", tmp_path / "logotyp-exempel.png")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    write(tmp_path / "decisions" / "x.yaml", MINIMAL.replace("Kort ärende.", "'<img src=x onerror=alert(1)> <b>fet</b>'"))
    monkeypatch.chdir(tmp_path)
    assert run("build", "--format", "html").exit_code == 0
    dom = _chromium_dom(tmp_path / "build" / "x.html")
    assert "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;fet&lt;/b&gt;" in dom
    assert not re.search(r"<img[^>]*onerror", dom) and "<b>" not in dom  # the only image is the logo
