"""Tiny real projects in tmp_path: the repository's profile, templates and example records."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from beslut.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory) -> Path:
    """The repository's example records built once for the whole session (by the library)."""
    from beslut.build import build
    from beslut.project import Project

    out = tmp_path_factory.mktemp("examples")
    result = build(Project.open(ROOT, output=out))
    assert result.ok and len(result.built) == len(list((ROOT / "decisions").rglob("*.yaml"))), result.check.problems
    return out


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of this repository's profile, templates and decisions; cwd is set to it."""
    shutil.copy(ROOT / "beslut.yaml", tmp_path / "beslut.yaml")
    shutil.copy(ROOT / "logotyp-exempel.png", tmp_path / "logotyp-exempel.png")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "decisions", tmp_path / "decisions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def empty_project(project: Path) -> Path:
    """The profile and templates, no records."""
    shutil.rmtree(project / "decisions")
    (project / "decisions").mkdir()
    return project


def run(*args: str):
    """Run the CLI in-process; returns the click Result (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


MINIMAL = """
typ: tjänsteskrivelse
status: beslutad
nämnd: SON
förvaltning: Social- och omsorgsförvaltningen
datum: 2024-03-01
dnr: SON 2024-12
handläggare:
  namn: Anna Andersson
rubrik: Ett litet ärende
förslag_till_beslut:
  - punkter:
      - Nämnden beslutar.
ärende: |
  Kort ärende.
avsnitt:
  - standard: ekonomiska_konsekvenser
    text: Inga.
underskrifter:
  - förvaltning: Social- och omsorgsförvaltningen
    namn: Bo Bengtsson
"""


#: A second, different organisation: another kommun, nämnd, förvaltning, Dnr pattern and sections.
SECOND_PROFILE = """
kommun: Exempelby kommun
ort: Exempelby
dnr_mönster: '^BUN\\.\\d{4}\\.\\d{3}$'
organ:
  BUN: {namn: Barn- och utbildningsnämnden, genitiv: barn- och utbildningsnämndens}
förvaltningar: [Utbildningsförvaltningen]
standardavsnitt:
  ekonomi: {rubrik: Ekonomi, obligatorisk: true}
  barn: {rubrik: Barnperspektiv}
"""
