"""The renderers from Python and the CLI: one context, signers and signing lines, change marks,
metadata limits, the body marker, typst's jail and identical bytes from any folder."""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from beslut.document import Document, Letterhead, Paragraph, Run, Signatures, Signer
from beslut.render import check_overrides, default_templates, render, template_files, template_path
from beslut.render.context import LABELS, template_context

from .conftest import MINIMAL, ROOT, run, write
from .helpers import docx_body_text, html_text, own_template, pdf_text, words

TEMPLATES = ROOT / "templates"  # holds only a README: the packaged templates are used
SRC = ROOT / "src"


def document(blocks, title: str = "Ett ärende") -> Document:
    lh = Letterhead("Linköpings kommun", "Socialförvaltningen", "1 mars 2024", "SON 2024-12", ["Anna"], "")
    return Document(id="t", kind="uppdrag", title=title, lang="sv-SE", draft=False, letterhead=lh, subtitle=[],
                    blocks=blocks, footer=[], date_iso="2024-03-01")


SIGNERS = [Signer("För nämnden", "Anna Andersson", "ordförande", "part-1"),
           Signer("För Leanlink", "Bo Bengtsson", "", "part-2")]


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def saved(tmp_path: Path, out: dict[str, bytes]) -> dict[str, Path]:
    paths = {}
    for fmt, data in out.items():
        paths[fmt] = tmp_path / f"t.{fmt}"
        paths[fmt].write_bytes(data)
    return paths


# --- one entry point, light to import ------------------------------------------------------------

def test_importing_render_loads_no_engine():
    code = "import sys, beslut.render; print(sorted(m for m in ('docxtpl', 'typst', 'jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}).stdout
    assert out.strip() == "[]"


def test_render_returns_the_formats_asked_for_in_order():
    out = render(document([Paragraph([Run("Text.")])]), ["html", "docx"], TEMPLATES)
    assert list(out) == ["docx", "html"]
    both = render(document([Paragraph([Run("Text.")])]), ["pdf", "html"], TEMPLATES, parallel=True)
    assert list(both) == ["pdf", "html"] and both["pdf"].startswith(b"%PDF")


def test_template_files_lists_every_file_and_no_symlink_out(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "delar").mkdir()
    (templates / "delar" / "sidhuvud.typ").write_text("", encoding="utf-8")
    (tmp_path / "hemligt.txt").write_text("x", encoding="utf-8")
    (templates / "ut.txt").symlink_to(tmp_path / "hemligt.txt")
    (templates / "dokument.typ").write_text("#set document(title: \"x\")\n", encoding="utf-8")
    (templates / "in.typ").symlink_to(templates / "dokument.typ")
    files = template_files(templates)
    names = [os.path.relpath(p, templates) for p in files]
    assert names == ["delar/sidhuvud.typ", os.path.relpath(default_templates() / "dokument.docx", templates),
                     os.path.relpath(default_templates() / "dokument.html.j2", templates), "dokument.typ", "in.typ"]
    # each packaged default is named below the project's folder (build.py names inputs relative to it)
    assert all(p.is_relative_to(templates) and p.is_file() for p in files)


# --- templates in the package, overridden file by file --------------------------------------------

def test_packaged_templates_are_used_where_the_project_has_none(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    assert template_path(templates, "dokument.typ") == default_templates() / "dokument.typ"
    out = render(document([Paragraph([Run("Text.")])]), ["docx", "pdf", "html"], templates)
    assert list(out) == ["docx", "pdf", "html"]


def test_a_project_overrides_one_template_and_keeps_the_others(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "dokument.html.j2").write_text("<p>Egen: {{ doc.title }}</p>{% include 'del.html.j2' %}", encoding="utf-8")
    (templates / "del.html.j2").write_text("<p>Egen del</p>", encoding="utf-8")
    out = render(document([Paragraph([Run("Text.")])]), ["pdf", "html"], templates)
    assert out["html"] == "<p>Egen: Ett ärende</p><p>Egen del</p>".encode()
    path = tmp_path / "t.pdf"
    path.write_bytes(out["pdf"])
    assert "Ett ärende" in pdf_text(path)  # the packaged typst template


def test_project_typst_template_imports_a_packaged_file_and_overlays_it(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    original = (default_templates() / "dokument.typ").read_text(encoding="utf-8")
    (templates / "dokument.typ").write_text(original + "\n#par[Egen typst-mall]\n", encoding="utf-8")
    path = tmp_path / "t.pdf"
    path.write_bytes(render(document([Paragraph([Run("Text.")])]), ["pdf"], templates)["pdf"])
    assert "Egen typst-mall" in pdf_text(path)
    (templates / "dokument.typ").unlink()  # back to the packaged one in the same process
    path.write_bytes(render(document([Paragraph([Run("Text.")])]), ["pdf"], templates)["pdf"])
    assert "Egen typst-mall" not in pdf_text(path)


def test_check_overrides_warns_about_a_template_from_an_older_version(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    assert check_overrides(templates) == []
    for name in ("dokument.typ", "dokument.html.j2", "dokument.docx"):
        shutil.copyfile(default_templates() / name, templates / name)
    assert check_overrides(templates) == []  # a copy of the current templates lacks nothing
    html = (templates / "dokument.html.j2").read_text(encoding="utf-8")
    html = html.replace("{% if bilagor %}", "{% if false %}").replace("in bilagor %}", "in [] %}")
    (templates / "dokument.html.j2").write_text(html, encoding="utf-8")
    typ = (templates / "dokument.typ").read_text(encoding="utf-8")
    (templates / "dokument.typ").write_text(typ.replace("ctx.fields", "()"), encoding="utf-8")
    from docx import Document as Word
    word = Word(str(templates / "dokument.docx"))
    for p in word.paragraphs:
        if "{{ title }}" in p.text:
            p.runs[0].text = "Fast rubrik"
    word.save(str(templates / "dokument.docx"))
    warnings = check_overrides(templates)
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith("templates/dokument.docx: använder inte title,")
    assert warnings[1].startswith("templates/dokument.typ: använder inte ctx.fields,")
    assert warnings[2].startswith("templates/dokument.html.j2: använder inte bilagor,")
    assert "äldre version" in warnings[0]


# --- one context: fixed wording written once -----------------------------------------------------

def test_dnr_label_is_written_only_in_the_context():
    places = [p.name for p in [*default_templates().iterdir(), *(SRC / "beslut" / "render").glob("*.py")]
              if p.suffix != ".docx" and re.search(r"\bDnr\b", p.read_text(encoding="utf-8"))]
    assert places == ["context.py"]
    context = template_context(document([]), "html")
    assert context["dnr_text"] == "Dnr SON 2024-12" and context["labels"] == LABELS


def test_dnr_label_reaches_all_three_formats(tmp_path):
    paths = saved(tmp_path, render(document([Paragraph([Run("Text.")])]), ["docx", "pdf", "html"], TEMPLATES))
    assert "Dnr SON 2024-12" in pdf_text(paths["pdf"])
    assert "Dnr SON 2024-12" in paths["html"].read_text(encoding="utf-8")
    with zipfile.ZipFile(paths["docx"]) as z:
        headers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))
    assert "Dnr SON 2024\u201112" in headers  # Word's non-breaking hyphen


# --- signers: party, (line to sign on), name, title ----------------------------------------------

@pytest.mark.parametrize("lines", [True, False])
def test_signers_in_all_formats(tmp_path, lines):
    paths = saved(tmp_path, render(document([Signatures(SIGNERS, lines=lines)]), ["docx", "pdf", "html"], TEMPLATES))
    order = ["för", "nämnden", "för", "leanlink", "anna", "andersson", "bo", "bengtsson", "ordförande"]
    assert words(pdf_text(paths["pdf"]))[-len(order) - 2:-2] == order  # as laid out; the page number follows
    # DOCX and HTML: each signer is one unit, read party, name, title (the PDF's tags read so too)
    unit = ["för", "nämnden", "anna", "andersson", "ordförande", "för", "leanlink", "bo", "bengtsson"]
    assert words(docx_body_text(paths["docx"]))[-len(unit):] == unit
    assert words(html_text(paths["html"]))[-len(unit):] == unit

    xml = document_xml(paths["docx"].read_bytes())
    table = xml[xml.rindex("<w:tbl>"):]
    assert table.count("<w:pBdr>") == (2 if lines else 0)  # one line to sign on per signer
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count('<p class="linje" aria-hidden="true">') == (2 if lines else 0)
    if lines:  # the line comes between the party and the name
        assert html.index("För nämnden") < html.index('class="linje"') < html.index("Anna Andersson")
        assert table.index("För nämnden") < table.index("<w:pBdr>") < table.index("Anna Andersson")


def test_signing_lines_are_drawn_in_the_pdf():
    def strokes(lines: bool) -> int:
        pdf = render(document([Signatures(SIGNERS, lines=lines)]), ["pdf"], TEMPLATES)["pdf"]
        with pikepdf.open(io.BytesIO(pdf)) as p:
            return sum(1 for op in pikepdf.parse_content_stream(p.pages[0]) if str(op.operator) == "S")
    assert strokes(True) == strokes(False) + 2


# --- change marks ----------------------------------------------------------------------------------

CHANGED = [Paragraph([Run("Nämnden "), Run("beviljar", change="delete"), Run("avslår", change="insert"),
                      Run(" ansökan.")])]


def test_change_marks_are_tracked_changes_in_word(tmp_path):
    xml = document_xml(render(document(CHANGED), ["docx"], TEMPLATES)["docx"])
    assert re.search(r'<w:del w:id="\d+" w:author="beslut" w:date="2024-03-01T00:00:00Z"><w:r>'
                     r'<w:delText>beviljar</w:delText></w:r></w:del>', xml)
    assert re.search(r'<w:ins w:id="\d+" w:author="beslut" w:date="2024-03-01T00:00:00Z"><w:r>'
                     r'<w:t>avslår</w:t></w:r></w:ins>', xml)
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids)) == 2
    paths = saved(tmp_path, {"docx": render(document(CHANGED), ["docx"], TEMPLATES)["docx"]})
    assert "Nämnden avslår ansökan." in docx_body_text(paths["docx"])  # deleted text is not visible text


def test_change_marks_in_html():
    html = render(document(CHANGED), ["html"], TEMPLATES)["html"].decode("utf-8")
    assert "<p>Nämnden <del>beviljar</del><ins>avslår</ins> ansökan.</p>" in html


def test_change_marks_in_pdf(tmp_path):
    plain = [Paragraph([Run("Nämnden "), Run("beviljar"), Run("avslår"), Run(" ansökan.")])]
    marked = render(document(CHANGED), ["pdf"], TEMPLATES)["pdf"]

    def strokes(pdf: bytes) -> int:
        with pikepdf.open(io.BytesIO(pdf)) as p:
            ops = [str(op.operator) for op in pikepdf.parse_content_stream(p.pages[0])]
        return ops.count("S") + ops.count("re")
    assert strokes(marked) >= strokes(render(document(plain), ["pdf"], TEMPLATES)["pdf"]) + 2  # underline, strike
    path = tmp_path / "t.pdf"
    path.write_bytes(marked)
    assert "Nämnden beviljaravslår ansökan." in pdf_text(path)


# --- the DOCX body marker cannot be typed ----------------------------------------------------------

def test_record_titled_like_the_old_body_marker(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("rubrik: Ett litet ärende", "rubrik: beslut-body-6f1d2c"))
    result = run("build", "--format", "docx")
    assert result.exit_code == 0, result.output
    text = docx_body_text(empty_project / "build" / "r.docx").splitlines()
    assert text.count("beslut-body-6f1d2c") == 1
    assert text.index("beslut-body-6f1d2c") < text.index("Kort ärende.")
    assert not any(line.startswith("beslut-body-") and line != "beslut-body-6f1d2c" for line in text)


def test_word_template_with_the_body_twice_is_a_template_error(empty_project):
    from docx import Document as Word
    path = own_template(empty_project, "dokument.docx")
    word = Word(str(path))
    word.add_paragraph("{{p body }}")
    word.save(str(path))
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    result = run("build", "--format", "docx")
    assert result.exit_code == 3 and "Word-mallen har {{p body }} mer än en gång" in result.stderr


# --- long titles: metadata cut, the body whole -----------------------------------------------------

def test_300_character_title_in_all_formats(empty_project):
    title = " ".join(["Långrubrik"] * 27) + " slut"  # 301 characters
    assert len(title) > 300
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("rubrik: Ett litet ärende", f"rubrik: {title}"))
    result = run("build")
    assert result.exit_code == 0, result.output
    out = empty_project / "build"
    from docx import Document as Word
    props = Word(str(out / "r.docx")).core_properties
    assert len(props.title) == 255 and props.title.endswith("…") and title.startswith(props.title[:-1])
    assert title in docx_body_text(out / "r.docx")
    assert title in html_text(out / "r.html")
    assert " ".join(pdf_text(out / "r.pdf").split()).count(title) == 1
    with pikepdf.open(out / "r.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == title  # PDF holds it whole
    assert f"<title>{title}</title>" in (out / "r.html").read_text(encoding="utf-8")


# --- typst's jail: identical bytes from any folder, removed at exit --------------------------------

def _project(folder: Path) -> Path:
    shutil.copy(ROOT / "beslut.yaml", folder / "beslut.yaml")
    shutil.copy(ROOT / "logotyp-exempel.png", folder / "logotyp-exempel.png")
    shutil.copytree(ROOT / "templates", folder / "templates")
    write(folder / "decisions" / "r.yaml", MINIMAL)
    return folder


def test_pdf_bytes_are_identical_from_two_folders(tmp_path):
    digests = []
    for name in ("a", "b/djupare/mapp"):
        folder = tmp_path / name
        folder.mkdir(parents=True)
        _project(folder)
        result = subprocess.run([sys.executable, "-m", "beslut.cli", "build", "-q", "-j", "1"], cwd=folder,
                                capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
        assert result.returncode == 0, result.stderr
        digests.append(hashlib.sha256((folder / "build" / "r.pdf").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_typst_jail_is_removed_when_the_build_ends(tmp_path, jobs):
    folder = _project(tmp_path)
    write(folder / "decisions" / "s.yaml", MINIMAL.replace("Ett litet", "Ett annat"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = subprocess.run([sys.executable, "-m", "beslut.cli", "build", "-q", "-j", jobs, "--format", "pdf"],
                            cwd=folder, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr
    assert (folder / "build" / "s.pdf").is_file()
    assert [p.name for p in temp.iterdir() if p.name.startswith("beslut-typst-")] == []


def test_changed_typst_template_is_seen_by_the_same_process(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    doc = document([Paragraph([Run("Text.")])])
    render(doc, ["pdf"], templates)
    typ = own_template(tmp_path, "dokument.typ")
    typ.write_text(typ.read_text(encoding="utf-8") + "\n#par[Tillagt i mallen]\n", encoding="utf-8")
    path = tmp_path / "t.pdf"
    path.write_bytes(render(doc, ["pdf"], templates)["pdf"])
    assert "Tillagt i mallen" in pdf_text(path)


# --- issue 11: documents a registrator accepts --------------------------------------------------

def letterhead_document(blocks, **letterhead) -> Document:
    values = dict(fields=[("", "2024-03-01"), ("Vår beteckning", "SON 2024-12")], document_type="TJÄNSTESKRIVELSE",
                  running="2024-03-01 · SON 2024-12", page_number="sidhuvud", handlaggare_lines=True)
    values.update(letterhead)
    lh = Letterhead("Linköpings kommun", "Socialförvaltningen", "2024-03-01", "SON 2024-12",
                    ["Anna Andersson", "Utredare", "013-20 60 00"], "", **values)
    return Document(id="t", kind="tjänsteskrivelse", title="Ett ärende", lang="sv-SE", draft=False, letterhead=lh,
                    subtitle=[], blocks=blocks, footer=["Linköpings kommun", "", "581 81 Linköping"],
                    date_iso="2024-03-01", keywords=["tjänsteskrivelse"])


def test_letterhead_fields_in_the_kommuns_order_in_all_formats(tmp_path):
    long = [Paragraph([Run(f"Stycke {i} " + "ord " * 80)]) for i in range(12)]
    paths = saved(tmp_path, render(letterhead_document(long), ["docx", "pdf", "html"], TEMPLATES))
    pdf = pdf_text(paths["pdf"])
    first, *later = pdf.split("\f")
    assert first.index("TJÄNSTESKRIVELSE") < first.index("2024-03-01") < first.index("Vår beteckning SON 2024-12")
    assert "Anna Andersson\nUtredare\n013-20 60 00" in first  # one line each
    assert "1 (2)" in first.split("Linköpings kommun")[0]  # the page number in the header, above the letterhead
    assert later[0].lstrip().startswith("2024-03-01 · SON 2024-12")  # the running header on page two
    assert "Linköpings kommun · 581 81 Linköping" in " ".join(first.split()).replace("  ", " ") or \
        "Linköpings kommun  ·  581 81 Linköping" in first  # no dangling "·" for the empty line
    html = paths["html"].read_text(encoding="utf-8")
    html = html[html.index('<header class="brevhuvud">'):html.index("</header>")]
    assert html.index("Linköpings kommun") < html.index("TJÄNSTESKRIVELSE") < html.index("2024-03-01") \
        < html.index("Vår beteckning SON 2024-12")
    assert '<p class="handlaggare">Utredare</p>' in html
    with zipfile.ZipFile(paths["docx"]) as z:
        headers = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header")}
    first_header = next(x for x in headers.values() if "TJÄNSTESKRIVELSE" in x)
    assert first_header.index("TJÄNSTESKRIVELSE") < first_header.index("Vår beteckning SON 2024\u201112")
    assert any("2024\u201103\u201101 · SON 2024\u201112" in x for x in headers.values())


def test_footer_without_empty_lines_has_no_dangling_separator():
    context = template_context(letterhead_document([]), "pdf")
    assert context["footer_text"] == "Linköpings kommun  ·  581 81 Linköping"


def test_dates_and_dnr_never_break_but_read_as_hyphens(tmp_path):
    text = "Beslutet " + "fattades den 2021-12-17 i ärende SON 2020-377 och " * 30
    paths = saved(tmp_path, render(document([Paragraph([Run(text)])]), ["docx", "pdf", "html"], TEMPLATES))
    pdf = pdf_text(paths["pdf"])
    assert "\u2011" not in pdf and pdf.count("2021-12-17") == 30 and pdf.count("SON 2020-377") == 30
    assert not re.search(r"(2021-|2021-12-|SON|SON 2020-)\n", pdf)  # never broken at a hyphen or inside
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count('<span class="nb">2021-12-17</span>') == 30 and html.count('<span class="nb">SON 2020-377</span>') == 30
    xml = document_xml(paths["docx"].read_bytes())
    assert xml.count("2021\u201112\u201117") == 30 and "2021-12-17" not in xml


def test_a_dnr_beginning_with_a_swedish_letter_never_breaks_in_the_pdf(tmp_path):
    text = "Beslutet " + "i ärende ÖFN 2020-377 och Ä 2021-12 samt " * 30
    paths = saved(tmp_path, render(document([Paragraph([Run(text)])]), ["pdf"], TEMPLATES))
    pdf = pdf_text(paths["pdf"])
    assert pdf.count("ÖFN 2020-377") == 30 and pdf.count("Ä 2021-12") == 30
    assert not re.search(r"(ÖFN|ÖFN 2020-|Ä|Ä 2021-)\n", pdf)


def test_typst_finds_the_values_python_finds_in_every_example_record():
    """typst's pattern uses ASCII word boundaries (fast in Rust); on real text it finds what the
    Unicode pattern of the DOCX and HTML finds. Read here with re.ASCII, as Rust reads (?-u:\\b)."""
    from beslut.render.context import NOBREAK, NOBREAK_TYPST
    from beslut.yamlsource import load, strings

    as_typst = re.compile(NOBREAK_TYPST.replace("(?-u:\\b)", "\\b"), re.ASCII)
    texts = ["ÖFN 2020-377", "Dnr ÄN 2024-12", "Å 2021-1", "KS.2024.12", "den 2021-12-17.", "tel 013-20 60 00",
             "(SON 2020-377)", "åtgärd 2021-12-17 för ärende KS 2024-12 och ÖK 2023-4"]
    for path in sorted((ROOT / "decisions").rglob("*.yaml")):
        texts += [value for _, value in strings(load(path).data, ())]
    assert len(texts) > 300
    for text in texts:
        assert [m.span() for m in as_typst.finditer(text)] == [m.span() for m in NOBREAK.finditer(text)], text


def test_title_does_not_break_at_an_en_dash_and_two_lines_stay_apart_in_html():
    doc = document([], title="Områdesbaserat arbete – svar på motion\nandra raden")
    context = template_context(doc, "pdf")
    assert context["title_display"] == "Områdesbaserat arbete\u00a0– svar på motion andra raden"
    html = render(doc, ["html"], TEMPLATES)["html"].decode("utf-8")
    assert "<title>Områdesbaserat arbete – svar på motion andra raden</title>" in html
    assert "<h1>Områdesbaserat arbete – svar på motion<br>\nandra raden</h1>" in html


def test_names_in_five_scripts_build_in_all_formats(tmp_path):
    names = ["محمد الأحمد", "فاطمه رضایی", "ኣብርሃም ተስፋይ", "Cabdi Maxamed Xasan", "王小明", "김민준", "🙂"]
    doc = document([Paragraph([Run(" ".join(names))]), Signatures([Signer("För nämnden", names[0], "", "p1"),
                                                                    Signer("För Leanlink", names[4], "", "p2")])])
    paths = saved(tmp_path, render(doc, ["docx", "pdf", "html"], TEMPLATES))
    pdf = pdf_text(paths["pdf"])
    for name in ("ኣብርሃም", "Cabdi Maxamed Xasan", "王小明", "김민준"):
        assert name in pdf
    with pikepdf.open(paths["pdf"]) as p:
        fonts = {str(f.get("/BaseFont")) for page in p.pages for f in page.Resources.Font.values()}
    assert any("Arabic" in f for f in fonts) and any("Ethiopic" in f for f in fonts) and any("Droid" in f for f in fonts)
    assert names[0] in paths["html"].read_text(encoding="utf-8") and names[0] in docx_body_text(paths["docx"])


def test_every_docx_paragraph_has_a_named_style_and_links_use_hyperlink(tmp_path):
    blocks = [Paragraph([Run("Etikett")], "label"), Paragraph([Run("Se "), Run("länken", href="https://example.org")]),
              Paragraph([Run("Linköping 2024-03-01")]), Signatures(SIGNERS, lines=True)]
    data = render(document(blocks), ["docx"], TEMPLATES)["docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in [n for n in z.namelist() if re.match(r"word/(document|header\d|footer\d)\.xml", n)]:
            xml = z.read(name).decode("utf-8")
            for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                assert "<w:pStyle " in para, (name, para[:300])
        styles = z.read("word/styles.xml").decode("utf-8")
    xml = document_xml(data)
    assert re.search(r'<w:hyperlink [^>]*><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>', xml)
    for style in ("Etikett", "Underskrift part", "Underskriftslinje", "Underskrift namn", "Underskrift titel", "Utkast",
                  "Mottagare", "Undertitel"):
        assert f'<w:name w:val="{style}"/>' in styles


def test_docx_core_and_app_properties_are_valid(tmp_path):
    data = render(letterhead_document([Paragraph([Run("Text.")])]), ["docx"], TEMPLATES)["docx"]
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = etree.fromstring(z.read("docProps/core.xml"))
        app = z.read("docProps/app.xml").decode("utf-8")
        names = z.namelist()
        settings = z.read("word/settings.xml").decode("utf-8")
    tags = [etree.QName(el).localname for el in core]
    assert len(tags) == len(set(tags))  # each element once
    ns = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
          "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    assert {etree.QName(el).namespace for el in core} <= set(ns.values())
    assert core.findtext("dc:title", namespaces=ns) == "Ett ärende"
    assert core.findtext("dc:subject", namespaces=ns) == "SON 2024-12"
    assert core.findtext("dc:creator", namespaces=ns) == "Socialförvaltningen, Linköpings kommun"
    assert core.findtext("dc:language", namespaces=ns) == "sv-SE"
    assert core.findtext("cp:keywords", namespaces=ns) == "tjänsteskrivelse"
    assert core.findtext("dcterms:created", namespaces=ns) == "2024-03-01T00:00:00Z"
    assert "<Application>beslut " in app and "python-docx" not in app
    assert not any("thumbnail" in n for n in names)
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings


def test_markdown_table_without_header_text_gets_no_empty_header_row(tmp_path):
    from beslut.document import Table
    rows = [[[], []], [[Run("Kort")], [Run("En mycket längre cell med många fler ord än den första")]]]
    paths = saved(tmp_path, render(document([Table(rows)]), ["docx", "html"], TEMPLATES))
    xml = document_xml(paths["docx"].read_bytes())
    assert "<w:tblHeader/>" not in xml and xml.count("<w:tr>") == 1
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert widths[1] > 3 * widths[0]
    html = paths["html"].read_text(encoding="utf-8")
    assert "<th" not in html and "<thead>" not in html


def test_bilagor_are_listed_and_linked(tmp_path):
    from beslut.document import Bilaga
    doc = document([Paragraph([Run("Text.")])])
    doc = Document(**{**doc.__dict__, "bilagor": [Bilaga(1, "Karta över området", "karta.pdf", "t.bilaga-1.pdf")]})
    paths = saved(tmp_path, render(doc, ["docx", "pdf", "html"], TEMPLATES))
    assert '<a href="t.bilaga-1.pdf">Bilaga 1: Karta över området</a>' in paths["html"].read_text(encoding="utf-8")
    assert "Bilaga 1: Karta över området" in pdf_text(paths["pdf"])
    assert "Bilaga 1: Karta över området" in docx_body_text(paths["docx"])
    with pikepdf.open(paths["pdf"]) as p:
        uris = [str(a.A.URI) for page in p.pages for a in page.get("/Annots", []) if "/A" in a]
    assert uris == ["t.bilaga-1.pdf"]


def _structure(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """The structure tree as (depth, type) in reading order."""
    out: list[tuple[int, str]] = []

    def walk(node, depth: int) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append((depth, str(node.S)))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid, depth + 1)
    kids = pdf.Root.StructTreeRoot.K
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        walk(kid, 0)
    return out


def test_tagged_pdf_letterhead_is_content_title_signatures_units_and_page_labels():
    doc = letterhead_document([Paragraph([Run("Text.")]), Paragraph([Run("Linköping 2024-03-01")]),
                               Signatures(SIGNERS, lines=True)])
    with pikepdf.open(io.BytesIO(render(doc, ["pdf"], TEMPLATES)["pdf"])) as pdf:
        tree = _structure(pdf)
        assert str(pdf.Root.PageLabels.Nums[1].S) == "/D"  # page labels: 1, 2, 3
        info, xmp = pdf.docinfo, pdf.open_metadata()
        assert str(info["/Title"]) == xmp["dc:title"] == "Ett ärende"
        assert str(info["/Creator"]) == xmp["xmp:CreatorTool"]
    # the letterhead (kommun, förvaltning, handläggare, fields) is tagged content before the title
    assert tree[0] == (0, "/Document") and tree[1] == (1, "/Div")
    title_at = tree.index((1, "/Title"))
    assert sum(1 for d, s in tree[2:title_at] if s in ("/P", "/Span")) >= 5
    # the signatures: one Div holding a Div per signer
    last = max(i for i, (d, s) in enumerate(tree) if (d, s) == (1, "/Div"))
    assert [s for d, s in tree[last + 1:] if d == 2] == ["/Div", "/Div"]
