"""Personnummer and samordningsnummer in prose: found, named, acknowledged, refused with --strict."""
from __future__ import annotations

import pytest

from beslut.personnummer import find_personnummer

from ..conftest import MINIMAL, run, write


@pytest.mark.parametrize("text,kind", [
    ("19121212-1212", "personnummer"),
    ("191212121212", "personnummer"),
    ("121212-1212", "personnummer"),
    ("1212121212", "personnummer"),
    ("121212+1212", "personnummer"),
    ("701063-2391", "samordningsnummer"),
    ("19701063-2391", "samordningsnummer"),
    ("19121212\u20131212", "personnummer"),
    ("121212\u00a01212", "personnummer"),
    ("701063 2391", "samordningsnummer"),
])
def test_found_with_and_without_century_and_separator(text, kind):
    hits = list(find_personnummer(f"Gäller {text}, se bilaga."))
    assert [(h.text, h.kind) for h in hits] == [(text, kind)]


@pytest.mark.parametrize("text", ["19121212-1213", "2020-12-31", "SON 2015-182", "1234567890123", "121232-1212"])
def test_not_found_when_checksum_or_date_is_wrong(text):
    assert list(find_personnummer(text)) == []


def test_check_names_file_line_field_and_strict_refuses(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("namn: Bo Bengtsson", "namn: Bo Bengtsson 701063-2391"))
    result = run("check")
    assert result.exit_code == 0
    assert ("decisions/r.yaml:20:5: varning: underskrifter[1].namn: samordningsnummer '701063-2391' i texten"
            in result.stderr)
    assert run("check", "--strict").exit_code == 1
    assert run("build", "--strict").exit_code == 1


def test_acknowledged_occurrence_passes_strict_but_others_do_not(empty_project):
    text = MINIMAL.replace("Kort ärende.", "Avser 19121212-1212 och 701063-2391.")
    write(empty_project / "decisions" / "r.yaml", text + "personnummer_tillåtna: ['19121212-1212']\n")
    result = run("check", "--strict")
    assert result.exit_code == 1 and "701063-2391" in result.stderr and "1212121212" not in result.stderr
    write(empty_project / "decisions" / "r.yaml",
          text + "personnummer_tillåtna: ['19121212-1212', '701063-2391']\n")
    assert run("check", "--strict").exit_code == 0
