"""YAML traps: nothing silently changes meaning, nothing blows up, every problem has a line."""
from __future__ import annotations

from pathlib import Path

import pytest

from beslut import yamlsource
from beslut.records import load_record

from .conftest import MINIMAL, run, write


def load(tmp_path: Path, text: str | bytes):
    p = tmp_path / "r.yaml"
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return yamlsource.load(p)


def test_times_booleans_and_octal_stay_text(tmp_path):
    src = load(tmp_path, "a: 13:00\nb: no\nc: on\nd: 042\ne: 2020-01-01\n")
    assert src.data == {"a": "13:00", "b": "no", "c": "on", "d": "042", "e": "2020-01-01"}


def test_duplicate_key_is_an_error_with_both_lines(tmp_path):
    src = load(tmp_path, "rubrik: a\nstatus: x\nrubrik: b\n")
    assert [p.format().split(": ", 1)[1] for p in src.problems] == [
        "rubrik: nyckeln förekommer två gånger (första gången på rad 1)"]
    assert src.problems[0].line == 3


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    src = load(tmp_path, "\n".join(lines) + "\n")
    assert src.data is None
    assert "alias-bomb" in src.problems[0].message


def test_vertical_tab_is_refused_with_position(tmp_path):
    src = load(tmp_path, "rubrik: ok\ntext: \"a\x0bb\"\n")
    assert src.problems[0].line == 2 and "U+000B" in src.problems[0].message


def test_bom_crlf_and_utf16_are_read(tmp_path):
    assert load(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: \xc3\xa5\r\n").data == {"a": "1", "b": "å"}
    assert load(tmp_path, "a: ö\n".encode("utf-16")).data == {"a": "ö"}


def test_latin1_gets_a_clear_message(tmp_path):
    src = load(tmp_path, "a: \xe5\n".encode("latin-1"))
    assert src.data is None and "inte UTF-8" in src.problems[0].message


def test_zero_width_and_bidi_characters_are_removed_with_a_warning(tmp_path):
    src = load(tmp_path, "a: Hej\u200bdå\u202e\n")
    assert src.data == {"a": "Hejdå"}
    assert src.problems[0].severity == "warning"


def test_broken_yaml_names_line(empty_project):
    write(empty_project / "decisions" / "trasig.yaml", "rubrik: [oavslutad\nstatus: x\n")
    result = run("check")
    assert result.exit_code == 1
    assert "decisions/trasig.yaml:" in result.stderr and "ogiltig YAML" in result.stderr
    assert "Traceback" not in result.output


def test_deep_nesting_is_refused(empty_project):
    write(empty_project / "decisions" / "djup.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run("check")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_folded_scalar_has_no_fold_markers(tmp_path):
    src = load(tmp_path, "a: >-\n  ett\n  två\n")
    assert src.data == {"a": "ett två"}


def test_minimal_record_is_clean(empty_project):
    write(empty_project / "decisions" / "ok.yaml", MINIMAL)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "1 poster kontrollerade: 0 fel" in result.output


def test_decomposed_unicode_is_normalised(tmp_path):
    import unicodedata
    src = load(tmp_path, unicodedata.normalize("NFD", "nämnd: Social- och omsorgsnämnden\n"))
    assert src.data == {"nämnd": "Social- och omsorgsnämnden"}


EMPTY = [b"", b"\n", b"   \n\n", b"# bara en kommentar\n", b"---\n", b"--- ~\n", b"~\n", b"null\n", b"NULL\n",
         b"---\n...\n", b"\xef\xbb\xbf", b"---\nnull\n# slut\n"]


@pytest.mark.parametrize("content", EMPTY, ids=repr)
def test_every_kind_of_empty_file_is_one_problem_on_line_1(tmp_path, content):
    src = load(tmp_path, content)
    assert src.data is None
    assert [(p.line, p.message) for p in src.problems] == [(1, yamlsource.EMPTY_RECORD)]


@pytest.mark.parametrize("content", [b"---\n", b"~\n", b"null\n", b""], ids=repr)
def test_empty_record_is_one_error(tmp_path, content):
    (tmp_path / "r.yaml").write_bytes(content)
    record, problems = load_record(tmp_path / "r.yaml")
    assert record is None
    assert [p.format().split(": ", 1)[1] for p in problems] == [
        "filen är tom: en post är en mappning av nycklar till värden (typ: …, rubrik: …)"]


def test_check_fails_on_a_record_that_is_only_a_document_marker(empty_project):
    write(empty_project / "decisions" / "tom.yaml", "---\n")
    result = run("check")
    assert result.exit_code == 1
    assert "decisions/tom.yaml:1:1: filen är tom" in result.stderr
    assert "1 poster kontrollerade: 1 fel" in result.output


def test_quoted_empty_text_is_not_an_empty_file(tmp_path):
    src = load(tmp_path, "''\n")
    assert src.data == "" and src.problems == []


def test_load_bytes_never_touches_the_disk(tmp_path):
    missing = tmp_path / "finns-inte" / "r.yaml"
    src = yamlsource.load_bytes(missing, b"rubrik: Hej\n")
    assert src.data == {"rubrik": "Hej"} and src.problems == [] and src.raw == b"rubrik: Hej\n"
    assert src.path == missing and not missing.parent.exists()


def test_load_bytes_refuses_too_many_bytes(tmp_path):
    src = yamlsource.load_bytes(tmp_path / "r.yaml", b"#" * (yamlsource.MAX_BYTES + 1))
    assert src.data is None and "högst" in src.problems[0].message


def test_load_and_load_bytes_agree(tmp_path):
    content = b"rubrik: a\nrubrik: b\ntext: \"x\\vy\"\n"
    from_disk = load(tmp_path, content)
    from_bytes = yamlsource.load_bytes(tmp_path / "r.yaml", content)
    assert (from_disk.data, from_disk.problems, from_disk.positions, from_disk.raw) == (
        from_bytes.data, from_bytes.problems, from_bytes.positions, from_bytes.raw)


@pytest.mark.parametrize("content", [b"\xff\xfea", b"\xff\xfe" + "a: b\n".encode("utf-16-le") + b"\x00\xd8\x41\x00"],
                         ids=["avkortad", "ensam-surrogat"])
def test_broken_utf16_is_a_problem_not_a_crash(tmp_path, content):
    src = load(tmp_path, content)
    assert src.data is None
    assert [p.message for p in src.problems] == [
        "filen börjar som UTF-16 men är trasig (avkortad eller med ogiltiga tecken); spara den som UTF-8"]


def test_an_unreadable_path_is_explained_in_swedish(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert [p.message for p in yamlsource.load(tmp_path / "a.yaml").problems] == [
        "kan inte läsa filen: för många symboliska länkar i rad (en slinga?)"]
    assert [p.message for p in yamlsource.load(tmp_path / ("x" * 300 + ".yaml")).problems] == [
        "kan inte läsa filen: sökvägen är för lång"]
