"""Guided new records (`beslut new`: questions on a terminal, options otherwise, the next free
name, the next command) and shell completion for commands, options and nämnd keys."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from beslut.records import load_record

from .conftest import run


def test_new_takes_its_answers_as_options_and_names_the_file_after_the_rubrik(empty_project):
    result = run("new", "tjänsteskrivelse", "--nämnd", "KS", "--rubrik", "Riktlinjer: hemtjänst & #1",
                 "--handläggare", "Åsa O'Neil", "--förvaltning", "Kommunledningsförvaltningen")
    assert result.exit_code == 0, result.output
    made = sorted((empty_project / "decisions").glob("*.yaml"))
    assert [p.name for p in made] == [f"ks-{__import__('datetime').date.today().year}-riktlinjer-hemtjanst-1.yaml"]
    record, problems = load_record(made[0])
    assert record is not None and not [p for p in problems if p.severity == "error"]
    model = record.model
    assert (model.rubrik, model.nämnd, model.handläggare.namn, model.förvaltning) == (
        "Riktlinjer: hemtjänst & #1", "KS", "Åsa O'Neil", "Kommunledningsförvaltningen")  # literal, as typed
    assert f"Nästa steg: fyll i utkastet, kör sedan  beslut check decisions/{made[0].name}" in result.output
    assert run("check", str(made[0])).exit_code == 0


def test_new_picks_the_next_free_name(empty_project):
    for _ in range(3):
        assert run("new", "uppdrag").exit_code == 0
    assert sorted(p.name for p in (empty_project / "decisions").glob("*.yaml")) == [
        "nytt-uppdrag-2.yaml", "nytt-uppdrag-3.yaml", "nytt-uppdrag.yaml"]


def test_new_refuses_an_organ_or_forvaltning_the_profile_lacks(empty_project):
    result = run("new", "tjänsteskrivelse", "--nämnd", "XYZ")
    assert result.exit_code == 2 and "nämnden 'XYZ' finns inte i profilen; välj en av: SON, ON, KS, KF" in result.stderr
    result = run("new", "tjänsteskrivelse", "--förvaltning", "Påhittade förvaltningen")
    assert result.exit_code == 2 and "förvaltningen 'Påhittade förvaltningen' finns inte i profilen" in result.stderr
    assert not list((empty_project / "decisions").glob("*.yaml"))


def test_new_without_a_kind_and_no_terminal_says_which_kinds_exist(empty_project):
    result = run("new")
    assert result.exit_code == 2
    assert result.stderr.strip() == "ange vilken typ av post: sammanträde, tjänsteskrivelse, uppdrag, utlåtande"


def test_new_asks_on_a_terminal_with_choices_from_the_profile(empty_project, monkeypatch):
    from click.testing import CliRunner

    from beslut import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = CliRunner().invoke(cli.main, ["new"], input="\nON\nHemtjänst i Ryd\nEva Ek\n")
    assert result.exit_code == 0, result.output
    assert "Typ av post (sammanträde, tjänsteskrivelse, uppdrag, utlåtande) [tjänsteskrivelse]:" in result.output
    assert "Nämnd (SON, ON, KS, KF) [SON]:" in result.output
    made = next((empty_project / "decisions").glob("*.yaml"))
    record, _ = load_record(made)
    assert record is not None and (record.model.nämnd, record.model.rubrik, record.model.handläggare.namn) == (
        "ON", "Hemtjänst i Ryd", "Eva Ek")
    assert made.name.startswith("on-") and made.name.endswith("-hemtjanst-i-ryd.yaml")


def complete(cwd: Path, words: str, cword: int) -> list[str]:
    env = {**os.environ, "_BESLUT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    out = subprocess.run([sys.executable, "-m", "beslut.cli"], cwd=cwd, env=env, capture_output=True, text=True,
                         check=True).stdout
    return [line.split(",", 1)[1] for line in out.splitlines() if "," in line]


@pytest.mark.parametrize("words, cword, expected", [
    ("beslut pro", 1, ["protokoll"]),
    ("beslut new tjänsteskrivelse --nämnd ", 4, ["SON", "ON", "KS", "KF"]),
    ("beslut new tjänsteskrivelse --nämnd K", 4, ["KS", "KF"]),
    ("beslut new ", 2, ["sammanträde", "tjänsteskrivelse", "uppdrag", "utlåtande"]),
    ("beslut build --for", 2, ["--format", "--force"]),
])
def test_shell_completion_of_commands_options_kinds_and_namnd_keys(project, words, cword, expected):
    assert complete(project, words, cword) == expected


def test_shell_completion_script_for_each_shell():
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_BESLUT_COMPLETE": f"{shell}_source"}
        script = subprocess.run([sys.executable, "-m", "beslut.cli"], env=env, capture_output=True, text=True,
                                check=True).stdout
        assert "_BESLUT_COMPLETE" in script, shell
