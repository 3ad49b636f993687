"""The user documentation (docs/, mkdocs) covers every command, option, record field, profile key and exit code;
its examples pass `beslut check`; it builds with `mkdocs build --strict`. The README's Quick start is what CI runs."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from beslut.cli import main
from beslut.records import json_schema

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def commands(group: click.Group = main, prefix: str = "beslut"):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_and_option_is_in_the_user_documentation():
    text = page("kommandon.md")
    for name, command in commands():
        assert f"## {name}\n" in text, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}`" in text, f"{name} {opt}"


def test_every_record_field_is_explained_with_an_example():
    text = page("skriva-poster.md")
    for model, definition in json_schema()["$defs"].items():
        for field in definition.get("properties", {}):
            assert f"`{field}`" in text, f"{model}.{field}"


def test_every_profile_key_is_explained():
    from beslut.profile import Profile

    schema = Profile.model_json_schema(by_alias=True)
    text = page("profilen.md")
    for model, definition in [("Profile", schema), *schema.get("$defs", {}).items()]:
        for key in definition.get("properties", {}):
            assert f"`{key}`" in text, f"{model}.{key}"


def test_every_exit_code_is_documented():
    from beslut import errors
    for code in (0, errors.EXIT_INVALID, errors.EXIT_USAGE, errors.EXIT_TEMPLATE, errors.EXIT_OUTPUT, errors.EXIT_INTERNAL):
        assert re.search(rf"^\| {code} \|", README, flags=re.M), code
        assert re.search(rf"^\| {code} \|", page("felsokning.md"), flags=re.M), code


def test_the_record_examples_pass_check(tmp_path):
    from beslut.build import check
    from beslut.init import Settings, init_project, organs
    from beslut.project import Project

    organ = organs(["BUN=Barn- och utbildningsnämnden", "KS=Kommunstyrelsen", "KF=Kommunfullmäktige"])
    init_project(tmp_path, Settings("Ale kommun", "Nödinge", organ, ("Sektor utbildning",)))
    blocks = re.findall(r"```yaml\n(.*?)```", page("skriva-poster.md"), flags=re.S)
    records = [b for b in blocks if b.lstrip("# \n").startswith(("typ:", "yaml-language-server")) or "\ntyp:" in b]
    assert len(records) == 4  # tjänsteskrivelse, uppdrag, utlåtande, sammanträde
    for number, block in enumerate(records):
        (tmp_path / "decisions" / f"dok{number}.yaml").write_text(block, encoding="utf-8")
    (tmp_path / "decisions" / "bilagor").mkdir()
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(tmp_path / "decisions" / "bilagor" / "riktlinjer-skolskjuts.pdf")
    (tmp_path / "decisions" / "ett-individarende.yaml").write_text(
        records[0].replace("status: utkast", "status: färdig").replace("sekretess: false", "sekretess: true"),
        encoding="utf-8")
    result = check(Project.open(tmp_path))
    assert result.files == 6 and result.errors() == [], [p.format() for p in result.problems]


def test_the_documentation_builds_strict_with_the_generated_reference(tmp_path):
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs och mkdocs-material saknas i CI: pip install -e '.[test]'")
        pytest.skip("mkdocs eller mkdocs-material saknas: pip install -e '.[docs]'")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    reference = (site / "referens" / "poster" / "index.html").read_text(encoding="utf-8")
    for model, definition in json_schema()["$defs"].items():
        for field in definition.get("properties", {}):
            assert f"<code>{field}</code>" in reference, f"{model}.{field}"
    profile = (site / "referens" / "profil" / "index.html").read_text(encoding="utf-8")
    assert "<code>dnr_mönster</code>" in profile and "<code>löpande_sidhuvud</code>" in profile
    assert '<html lang="sv"' in (site / "index.html").read_text(encoding="utf-8")
    assert not (ROOT / "site").exists() or Path(ROOT / "site").is_dir()


def test_quick_start_has_two_commands_install_build_and_test():
    block = re.search(r"## Quick start\n.*?```\n(.*?)```", README, flags=re.S)
    assert block, "Quick start code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install" in commands[0] and "beslut build" in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]
