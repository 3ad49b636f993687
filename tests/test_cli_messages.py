"""Every message the command line shows is Swedish, click's own included; usage errors keep exit code 2."""
from __future__ import annotations

import ast
import importlib.metadata
import json
from pathlib import Path

import click
import pytest

import beslut
from beslut import click_sv
from beslut.cli import main

from .conftest import run

ENGLISH = ["Usage:", "Options:", "Commands:", "Show this message", "Show the version", "Error:", "Try '", "[OPTIONS]",
           "COMMAND [ARGS]", "Missing", "Invalid value", "No such", "is not one of", "default:", "does not exist"]


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_an_unknown_kind_is_refused_in_swedish():
    result = run("new", "protokoll")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Användning: beslut new [FLAGGOR] [TYP] [FIL]",
        "Skriv 'beslut new --help' för hjälp.",
        "",
        "Fel: Ogiltigt värde för '[TYP]': 'protokoll' är inte något av 'sammanträde', 'tjänsteskrivelse', "
        "'uppdrag', 'utlåtande'."]


@pytest.mark.parametrize(("args", "last_line"), [
    (["new", "--nämnd"], "Fel: Flaggan '--nämnd' kräver ett värde."),
    (["schema", "--profill"], "Fel: Flaggan '--profill' finns inte. Menade du '--profil'?"),
    (["build", "--fo"], "Fel: Flaggan '--fo' finns inte. (Menade du någon av: '--force', '--format', '--out'?)"),
    (["buil"], "Fel: Kommandot 'buil' finns inte. Menade du 'build'?"),
    (["build", "-j", "x"], "Fel: Ogiltigt värde för '--jobs' / '-j': 'x' är inget giltigt heltal."),
    (["build", "-j", "0"], "Fel: Ogiltigt värde för '--jobs' / '-j': 0 ligger inte i intervallet x>=1."),
    (["build", "--out"], "Fel: Flaggan '--out' kräver ett värde."),
    (["check", "finns-inte.yaml"], "Fel: Ogiltigt värde för '[SÖKVÄGAR]...': Sökväg 'finns-inte.yaml' finns inte."),
    (["schema", "extra"], "Fel: Oväntat extra argument (extra)"),
    ([], None),
])
def test_usage_errors_are_swedish_with_exit_code_2(args, last_line, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines() or result.stdout.splitlines()
    if last_line:
        assert last_line in lines
    else:
        assert lines[0].startswith("Användning: beslut")
    for english in ENGLISH:
        assert english not in result.stderr + result.stdout, english


@pytest.mark.parametrize("command", list(all_commands()), ids=lambda c: " ".join(c) or "beslut")
def test_every_help_text_is_swedish(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Användning: beslut")
    assert "Flaggor:" in result.stdout and "Visa den här hjälpen och avsluta." in result.stdout
    for english in ENGLISH:
        assert english not in result.stdout, (english, result.stdout)


def test_version_is_the_packages_version():
    result = run("--version")
    assert result.stdout == f"beslut, version {beslut.__version__}\n"
    assert importlib.metadata.version("beslut") == beslut.__version__


def test_every_translated_text_is_one_click_still_uses():
    """A click upgrade that rewords a message would leave it English: this notices."""
    used: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id == "_" and texts:
                    used.add(texts[0])
                elif node.func.id == "ngettext" and len(texts) == 2:
                    plural.add((texts[0], texts[1]))
    used.add("required")  # passed to _() through a variable
    assert sorted(set(click_sv.MESSAGES) - used) == []
    assert sorted(set(click_sv.PLURALS) - plural) == []


def test_placeholders_survive_translation():
    import string

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    for english, swedish in click_sv.MESSAGES.items():
        assert names(english) == names(swedish), english
    for (one, many), (sv_one, sv_many) in click_sv.PLURALS.items():
        assert names(one) == names(sv_one) and names(many) == names(sv_many), one


def test_schema_for_the_profile():
    from beslut import profile

    if not hasattr(profile, "profile_schema_json"):
        pytest.skip("beslut.profile.profile_schema_json finns inte än (kommer från en annan gren)")
    result = run("schema", "--profil")
    assert result.exit_code == 0
    assert result.stdout == profile.profile_schema_json()
    assert "kommun" in json.loads(result.stdout)["properties"]
