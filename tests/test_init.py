"""``beslut init`` writes a project that checks and builds at once; ``beslut templates export`` ejects the templates."""
from __future__ import annotations

import datetime as dt
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from beslut import init as init_lib
from beslut.build import build, check
from beslut.errors import UsageError
from beslut.init import Settings, default_templates, export_templates, genitive, init_project, organs, parse_organ
from beslut.project import Project

from .conftest import ROOT, run

TODAY = dt.date(2025, 3, 14)
FILES = ["beslut.yaml", "decisions/exempel.yaml", ".gitignore", ".gitattributes", ".pre-commit-config.yaml",
         ".vscode/settings.json", ".github/workflows/beslut.yml", ".gitlab-ci.yml"]
OPTIONS = ["--kommun", "Ale kommun", "--ort", "Nödinge", "--nämnd", "BUN=Barn- och utbildningsnämnden",
           "--nämnd", "KS=Kommunstyrelsen", "--förvaltning", "Sektor utbildning"]


def settings(**changes) -> Settings:
    values = {"kommun": "Ale kommun", "ort": "Nödinge", "organ": organs(["BUN=Barn- och utbildningsnämnden"]),
              "förvaltningar": ("Sektor utbildning",)}
    return Settings(**{**values, **changes})


def packaged_templates() -> Path:
    """The packaged default templates; skipped until they are in the package (moved there on h2-render)."""
    folder = init_lib.default_templates()
    if not (folder / "dokument.docx").is_file():
        pytest.skip("standardmallarna finns inte i paketet än (src/beslut/templates/ kommer från h2-render)")
    return folder


def buildable(root: Path) -> Project:
    """The project as it builds: with the packaged templates, or (until render falls back to them, h2-render) a copy
    of the repository's."""
    import beslut.render

    if not hasattr(beslut.render, "default_templates"):
        shutil.copytree(ROOT / "templates", root / "templates")
    return Project.open(root)


@pytest.mark.parametrize(("name", "expected"), [
    ("Barn- och utbildningsnämnden", "barn- och utbildningsnämndens"),
    ("Kommunstyrelsen", "kommunstyrelsens"),
    ("Kommunfullmäktige", "kommunfullmäktiges"),
    ("Socialnämnden", "socialnämndens"),
    ("IT-nämnden", "IT-nämndens"),
    ("Valnämnden i Borås", "valnämnden i Borås"),
])
def test_the_genitive_is_derived(name, expected):
    assert genitive(name) == expected


def test_a_genitive_after_a_colon_overrides_the_derived_one():
    assert parse_organ("KF=Kommunfullmäktige:fullmäktiges") == init_lib.Organ("KF", "Kommunfullmäktige", "fullmäktiges")
    assert parse_organ(" BUN = Barn- och utbildningsnämnden ").genitiv == "barn- och utbildningsnämndens"


def test_malformed_organs_are_all_named():
    with pytest.raises(UsageError) as caught:
        organs(["Barn- och utbildningsnämnden", "B U N=Namn"])
    assert str(caught.value).splitlines() == [
        "--nämnd 'Barn- och utbildningsnämnden': skriv NYCKEL=Namn, t.ex. BUN=Barn- och utbildningsnämnden (genitiv "
        "efter kolon om den inte ska härledas: BUN=Barn- och utbildningsnämnden:barn- och utbildningsnämndens)",
        "--nämnd 'B U N=Namn': nyckeln 'B U N' ska vara ett kort ord av bokstäver, t.ex. BUN"]


def test_init_writes_a_project_that_passes_check_strict_and_builds(tmp_path):
    report = init_project(tmp_path, settings(), TODAY)
    assert [(action, path.relative_to(tmp_path).as_posix()) for action, path in report] == [("create", f) for f in FILES]
    project = buildable(tmp_path)
    assert project.profile.kommun == "Ale kommun" and project.profile.ort == "Nödinge"
    assert project.profile.organ["BUN"].genitiv == "barn- och utbildningsnämndens"
    assert project.profile.förvaltningar == ["Sektor utbildning"]
    assert project.profile.dnr_exempel == "BUN 2025-1"
    assert check(project).errors(strict=True) == []
    result = build(project)
    assert result.ok, result.check.problems
    assert sorted(p.name for p in project.output.iterdir() if not p.name.startswith(".")) == [
        "exempel.docx", "exempel.html", "exempel.pdf", "profile.schema.json", "schema.json"]


def test_the_profile_is_commented_and_the_record_names_the_first_organ(tmp_path):
    init_project(tmp_path, settings(), TODAY)
    profile = (tmp_path / "beslut.yaml").read_text(encoding="utf-8")
    assert profile.startswith("# Organisationsprofil för Ale kommun")
    assert "# logotyp: logotyp.png" in profile and "# brevhuvud:" in profile
    record = (tmp_path / "decisions" / "exempel.yaml").read_text(encoding="utf-8")
    assert record.startswith("# yaml-language-server: $schema=../build/schema.json\n")
    assert "nämnd: BUN\n" in record and "datum: 2025-03-14\n" in record and "dnr: BUN 2025-1\n" in record


def test_values_yaml_would_misread_are_quoted(tmp_path):
    odd = settings(kommun="Kommun: 'Test' #1", ort="yes", organ=organs(["KS=Kommunstyrelsen"]),
                   förvaltningar=("Förvaltning #2",))
    init_project(tmp_path, odd, TODAY)
    profile = Project.open(tmp_path).profile
    assert (profile.kommun, profile.ort, profile.förvaltningar) == ("Kommun: 'Test' #1", "yes", ["Förvaltning #2"])


def test_a_dnr_pattern_of_the_kommuns_own_gets_an_example_that_matches(tmp_path):
    init_project(tmp_path, settings(dnr_mönster=r"^\d{4}/\d{1,4}$"), TODAY)
    project = Project.open(tmp_path)
    assert project.profile.dnr_exempel == "2025/1"
    assert check(project).errors(strict=True) == []


def test_a_dnr_pattern_nothing_usual_matches_is_refused_before_writing(tmp_path):
    with pytest.raises(UsageError, match=r"--dnr-mönster '\^KS-\\d\{8\}\$' godtar inget vanligt diarienummer"):
        init_project(tmp_path, settings(dnr_mönster=r"^KS-\d{8}$"), TODAY)
    with pytest.raises(UsageError, match="inget giltigt reguljärt uttryck"):
        init_project(tmp_path, settings(dnr_mönster="(("), TODAY)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_project_is_refused_and_existing_files_are_kept(tmp_path):
    (tmp_path / ".gitignore").write_text("*.tmp\n")
    report = init_project(tmp_path, settings(), TODAY)
    assert ("skip", tmp_path / ".gitignore") in report
    assert (tmp_path / ".gitignore").read_text() == "*.tmp\n"
    with pytest.raises(UsageError, match="finns redan: .* är redan ett beslut-projekt"):
        init_project(tmp_path, settings(), TODAY)


def test_editor_hooks_and_ci_run_check_strict_and_keep_build(tmp_path):
    init_project(tmp_path, settings(), TODAY)
    yaml = YAML(typ="safe")
    vscode = json.loads((tmp_path / ".vscode/settings.json").read_text())
    assert vscode["yaml.schemas"] == {"./build/schema.json": ["decisions/**/*.yaml", "decisions/**/*.yml"],
                                      "./build/profile.schema.json": ["beslut.yaml"]}
    hook = yaml.load(tmp_path / ".pre-commit-config.yaml")["repos"][0]
    assert hook["repo"] == "local" and hook["hooks"][0]["entry"] == "beslut check --strict"
    github = yaml.load(tmp_path / ".github/workflows/beslut.yml")
    steps = github["jobs"]["bygg"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [f'pip install "beslut=={init_lib.__version__}"', "beslut check --strict", "beslut build"]
    assert steps[-1]["with"]["path"] == "build/"
    gitlab = yaml.load(tmp_path / ".gitlab-ci.yml")["beslut"]
    assert gitlab["script"][1:] == ["beslut check --strict", "beslut build"]
    assert gitlab["artifacts"]["paths"] == ["build/"]
    assert "/build/" in (tmp_path / ".gitignore").read_text().splitlines()
    assert "*.docx binary" in (tmp_path / ".gitattributes").read_text().splitlines()


def test_cli_init_with_options_needs_no_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "ny", *OPTIONS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [f"create    {Path('ny', f)}" for f in FILES] + ["Klart. Kör nu: cd ny && beslut build"]
    assert Project.open(tmp_path / "ny").profile.organ["KS"].genitiv == "kommunstyrelsens"
    spaced = run("init", "två ord", *OPTIONS)
    assert spaced.stdout.splitlines()[-1] == "Klart. Kör nu: cd 'två ord' && beslut build"


def test_cli_init_without_a_terminal_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 2
    assert result.stderr == "ange --kommun och --ort (eller kör beslut init i en terminal för att bli tillfrågad)\n"
    assert list(tmp_path.iterdir()) == []
    result = run("init", "--kommun", "Ale kommun", "--ort", "Nödinge")
    assert result.exit_code == 0
    profile = Project.open(tmp_path).profile
    assert list(profile.organ) == ["KS", "KF"] and profile.förvaltningar == ["Kommunledningsförvaltningen"]
    again = run("init", *OPTIONS)
    assert again.exit_code == 2 and again.stderr == f"{Path('beslut.yaml')} finns redan: . är redan ett beslut-projekt\n"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminaler finns bara på POSIX")
def test_cli_init_on_a_terminal_asks(tmp_path):
    """A real pseudo-terminal: init asks for the kommun and offers defaults for the rest."""
    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-c", "from beslut.cli import main; main()", "init", str(tmp_path)],
                               stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    output = b""
    answers = [a.encode() for a in ("Ale kommun\n", "\n", "BUN=Barn- och utbildningsnämnden\n", "\n", "\n")]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if output.rstrip().endswith(b":") or output.rstrip().endswith(b"]:"):
                if answers:
                    os.write(leader, answers.pop(0))
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(leader)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "Kommunens namn (t.ex. Linköpings kommun):" in text and "Ort [Ale]:" in text
    profile = Project.open(tmp_path).profile
    assert (profile.kommun, profile.ort, list(profile.organ)) == ("Ale kommun", "Ale", ["BUN"])


def test_export_writes_creates_then_identical_skip_and_force_overwrites(tmp_path):
    source = default_templates()
    target = tmp_path / "templates"
    names = sorted(p.name for p in source.iterdir())
    assert export_templates(target, source=source) == [("create", target / n) for n in names]
    assert export_templates(target, source=source) == [("identical", target / n) for n in names]
    (target / "dokument.typ").write_text("// egen\n")
    report = export_templates(target, source=source)
    assert ("skip", target / "dokument.typ") in report
    assert (target / "dokument.typ").read_text() == "// egen\n"
    assert ("overwrite", target / "dokument.typ") in export_templates(target, source=source, force=True)
    assert (target / "dokument.typ").read_bytes() == (source / "dokument.typ").read_bytes()


def test_export_from_a_folder_without_templates_is_refused(tmp_path):
    with pytest.raises(UsageError, match="hittar inga standardmallar i"):
        export_templates(tmp_path / "ut", source=tmp_path / "inget")


def test_cli_templates_export_defaults_to_the_projects_templates(tmp_path, monkeypatch):
    packaged = packaged_templates()
    init_project(tmp_path, settings(), TODAY)
    (tmp_path / "decisions" / "under").mkdir()
    monkeypatch.chdir(tmp_path / "decisions" / "under")
    result = run("templates", "export")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.relative_to(packaged).as_posix() for p in packaged.rglob("*") if p.is_file())
    assert result.stdout.splitlines() == [f"create    {tmp_path / 'templates' / n}" for n in names]
    (tmp_path / "templates" / "dokument.typ").write_text("// egen\n")
    again = run("templates", "export")
    assert again.exit_code == 0
    assert f"skip      {tmp_path / 'templates' / 'dokument.typ'}" in again.stdout.splitlines()
    assert again.stderr == "skip: filen finns redan med annat innehåll och behölls; --force skriver över\n"
    assert run("templates", "export", "--force").stdout.count("overwrite") == 1


def test_cli_templates_export_outside_a_project_needs_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("templates", "export")
    assert result.exit_code == 2
    assert result.stderr == ("hittar ingen profil (beslut.yaml) här eller i mappar ovanför; kör i projektet eller "
                             "ange en mapp\n")
