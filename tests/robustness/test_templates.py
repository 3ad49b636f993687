"""Broken, missing and malicious templates: an error naming the template, its line, the record."""
from __future__ import annotations

from ..conftest import MINIMAL, run, write


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
    path = project / "templates" / "dokument.docx"
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


def test_missing_word_template(empty_project):
    (empty_project / "templates" / "dokument.docx").unlink()
    result = build(empty_project, "--format", "docx")
    assert result.exit_code == 3 and "Word-mallen finns inte" in result.stderr


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
