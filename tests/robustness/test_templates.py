"""Broken, missing and malicious templates: an error naming the template, its line, the record."""
from __future__ import annotations

from ..conftest import MINIMAL, run, write
from ..helpers import docx_body_text, own_template, pdf_text


def build(project, *args):
    write(project / "decisions" / "r.yaml", MINIMAL)
    return run("build", *args)


def build_with_template(project, name: str, text: str, fmt: str):
    """Replace one template with ``text`` and build the one format that reads it."""
    (project / "templates" / name).write_text(text, encoding="utf-8")
    return build(project, "--format", fmt)


def test_jinja_syntax_error_in_html_template(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "<p>\n{% if doc.title %}\n", "html")
    assert result.exit_code == 3
    assert "templates/dokument.html.j2:2: mallfel: syntaxfel" in result.stderr
    assert "decisions/r.yaml" in result.stderr and "Traceback" not in result.output


def test_unknown_variable_in_html_template(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "<p>\n{{ doc.finns_inte.alls }}</p>\n", "html")
    assert result.exit_code == 3 and "dokument.html.j2:2: mallfel: UndefinedError" in result.stderr


def add_to_word_template(project, text: str) -> None:
    """A paragraph with ``text`` appended to the Word template, as a communicator might type it."""
    from docx import Document
    path = own_template(project, "dokument.docx")
    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))


def test_jinja_error_in_word_template(empty_project):
    add_to_word_template(empty_project, "{{ title }")
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "templates/dokument.docx: mallfel: syntaxfel: unexpected '}'" in result.stderr


def test_unknown_variable_in_word_template(empty_project):
    add_to_word_template(empty_project, "{{ finns_inte }}")
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "UndefinedError: 'finns_inte' is undefined" in result.stderr


def test_typst_template_error_names_line(empty_project):
    result = build_with_template(empty_project, "dokument.typ", "#let doc = json(bytes(sys.inputs.doc))\n#doc.saknas\n", "pdf")
    assert result.exit_code == 3
    assert "dokument.typ:2: mallfel: typst: dictionary does not contain key \"saknas\"" in result.stderr


def test_non_docx_word_template(empty_project):
    (empty_project / "templates" / "dokument.docx").write_text("det här är text", encoding="utf-8")
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "inte en läsbar Word-fil" in result.stderr


def test_word_template_that_is_a_symlink_out_of_templates_is_not_followed(empty_project):
    (empty_project / "annan.docx").write_text("inte en mall", encoding="utf-8")
    (empty_project / "templates" / "dokument.docx").symlink_to(empty_project / "annan.docx")
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 0, result.output  # beslut's own template is used instead
    assert "Ett litet ärende" in docx_body_text(empty_project / "build" / "r.docx")


def test_sandbox_refuses_python_internals(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "{{ doc.title.__class__.__base__.__subclasses__() }}", "html")
    assert result.exit_code == 3 and "mallfel" in result.stderr


def test_sandbox_refuses_files_outside_templates(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "{% include '/etc/passwd' %}", "html")
    assert result.exit_code == 3 and "root:" not in result.output


def test_sandbox_refuses_mutating_data(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "{{ doc.blocks.append(1) }}", "html")
    assert result.exit_code == 3 and "mallfel" in result.stderr


def test_typst_template_cannot_read_files_outside_templates(empty_project):
    result = build_with_template(empty_project, "dokument.typ", '#read("/etc/passwd")\n', "pdf")
    assert result.exit_code == 3 and "root:" not in result.output


# --- jail: no template reads a file outside the templates folder ---------------------------------

def test_html_include_cannot_follow_a_symlink_out_of_templates(empty_project):
    (empty_project / "hemligt.txt").write_text("HEMLIG-UPPGIFT", encoding="utf-8")
    (empty_project / "templates" / "del.html").symlink_to(empty_project / "hemligt.txt")
    result = build_with_template(empty_project, "dokument.html.j2", '{% include "del.html" %}', "html")
    assert result.exit_code == 3, result.output
    assert "mallfel: TemplateNotFound: mallen 'del.html' finns inte i mallmappen" in result.stderr
    assert not (empty_project / "build" / "r.html").exists()


def test_html_include_cannot_climb_out_with_dotdot(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", '{% include "../beslut.yaml" %}', "html")
    assert result.exit_code == 3 and "mallfel" in result.stderr and "kommun:" not in result.output


def test_html_include_inside_templates_works(empty_project):
    (empty_project / "templates" / "del.html.j2").write_text("<p>{{ doc.title }} ur en del</p>", encoding="utf-8")
    result = build_with_template(empty_project, "dokument.html.j2", '{% include "del.html.j2" %}', "html")
    assert result.exit_code == 0, result.output
    assert (empty_project / "build" / "r.html").read_text(encoding="utf-8") == "<p>Ett litet ärende ur en del</p>"


def test_typst_template_cannot_read_the_profile(empty_project):
    text = '#let s = read("../beslut.yaml")\n#set document(title: "x")\n#s\n'
    result = build_with_template(empty_project, "dokument.typ", text, "pdf")
    assert result.exit_code == 3 and "dokument.typ:1: mallfel: typst:" in result.stderr
    assert not (empty_project / "build" / "r.pdf").exists()


def test_typst_template_cannot_read_the_build_manifest(empty_project):
    assert build(empty_project, "--format", "html").exit_code == 0  # writes build/.beslut-manifest.json
    text = '#let s = read("../build/.beslut-manifest.json")\n#set document(title: "x")\n#s\n'
    result = build_with_template(empty_project, "dokument.typ", text, "pdf")
    assert result.exit_code == 3 and "mallfel: typst:" in result.stderr


def test_typst_template_imports_a_template_beside_it(empty_project):
    (empty_project / "templates" / "del.typ").write_text("#let rubrik(t) = heading(t)\n", encoding="utf-8")
    original = own_template(empty_project, "dokument.typ").read_text(encoding="utf-8")
    title = "#title(ctx.title_display)"
    text = '#import "del.typ": rubrik\n' + original.replace(title, title + "\n#rubrik[Ur en del]")
    result = build_with_template(empty_project, "dokument.typ", text, "pdf")
    assert result.exit_code == 0, result.output
    assert "Ur en del" in pdf_text(empty_project / "build" / "r.pdf")


def test_changed_included_template_rebuilds(empty_project):
    (empty_project / "templates" / "del.html.j2").write_text("<p>första</p>", encoding="utf-8")
    assert build_with_template(empty_project, "dokument.html.j2", '{% include "del.html.j2" %}', "html").exit_code == 0
    (empty_project / "templates" / "del.html.j2").write_text("<p>andra</p>", encoding="utf-8")
    assert build(empty_project, "--format", "html").exit_code == 0
    assert (empty_project / "build" / "r.html").read_text(encoding="utf-8") == "<p>andra</p>"


# --- template runtime errors: exit 3 naming the template, never an internal error ----------------

def test_division_by_zero_in_html_template(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "<p>\n{{ 1/0 }}</p>\n", "html")
    assert result.exit_code == 3, result.output
    assert "templates/dokument.html.j2:2: mallfel: ZeroDivisionError: division by zero" in result.stderr


def test_template_including_itself(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", '{% include "dokument.html.j2" %}', "html")
    assert result.exit_code == 3, result.output
    assert "dokument.html.j2:1: mallfel: mallen anropar sig själv utan slut (RecursionError)" in result.stderr


def test_error_in_included_template_names_that_file(empty_project):
    (empty_project / "templates" / "del.html.j2").write_text("ok\n{{ doc.saknas }}\n", encoding="utf-8")
    result = build_with_template(empty_project, "dokument.html.j2", '{% include "del.html.j2" %}', "html")
    assert result.exit_code == 3 and "templates/del.html.j2:2: mallfel: UndefinedError" in result.stderr


def test_include_in_word_template(empty_project):
    add_to_word_template(empty_project, '{% include "x" %}')
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3, result.output
    assert "templates/dokument.docx: mallfel: TemplateNotFound: mallen 'x' finns inte i mallmappen" in result.stderr


def test_division_by_zero_in_word_template(empty_project):
    add_to_word_template(empty_project, "{{ 1/0 }}")
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "templates/dokument.docx: mallfel: ZeroDivisionError" in result.stderr


# --- bounded: no template makes beslut build a value too large to hold ---------------------------

def test_huge_string_is_refused_at_once(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", '{{ "x" * 3000000000 }}', "html")
    assert result.exit_code == 3 and "mallen bygger en text längre än 50 MB" in result.stderr


def test_huge_list_and_concatenation_are_refused(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "{{ [1] * 3000000000 }}", "html")
    assert result.exit_code == 3 and "längre än 50 MB" in result.stderr
    text = '{% set a = "x" * 40000000 %}{{ a + a }}'
    result = build_with_template(empty_project, "dokument.html.j2", text, "html")
    assert result.exit_code == 3 and "längre än 50 MB" in result.stderr


def test_huge_power_is_refused(empty_project):
    result = build_with_template(empty_project, "dokument.html.j2", "{{ 7 ** 1000000000 }}", "html")
    assert result.exit_code == 3 and "för stort tal" in result.stderr


def test_total_output_is_capped(empty_project):
    text = '{% for i in range(60000) %}{{ "x" * 1000 }}{% endfor %}'
    result = build_with_template(empty_project, "dokument.html.j2", text, "html")
    assert result.exit_code == 3 and "mallen ger mer än 50 MB text" in result.stderr


def test_huge_string_in_word_template_is_refused(empty_project):
    add_to_word_template(empty_project, '{{ "x" * 3000000000 }}')
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "templates/dokument.docx: mallfel" in result.stderr
