"""beslut as a real package: ``python -m build`` makes an sdist and a wheel; the wheel, installed into a fresh venv
away from the source tree, runs ``beslut init`` and ``beslut build`` with its packaged templates.

The wheel is built and installed once per session (the venv takes its dependencies from PyPI or
pip's cache); ``-m "not slow"`` leaves these tests out.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import beslut

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
INIT = ["init", "--kommun", "Ale kommun", "--ort", "Nödinge", "--nämnd", "BUN=Barn- och utbildningsnämnden",
        "--förvaltning", "Sektor utbildning"]


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} saknas i CI: pip install -e '.[test]'")
        pytest.skip(f"{module} saknas: pip install -e '.[test]'")


@dataclass
class Dist:
    sdist: Path
    wheel: Path


@dataclass
class Installed:
    bin: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "beslut"), *args], cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=300, check=False)


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """An sdist and a wheel from ``python -m build`` (the wheel is built from the sdist, so both are complete)."""
    _need("build")
    if not (ROOT / "src" / "beslut" / "templates").is_dir():
        pytest.skip("src/beslut/templates/ finns inte än: standardmallarna flyttas in i paketet på h2-render")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return Dist(sdist, wheel)


@pytest.fixture(scope="session")
def installed(dist: Dist, tmp_path_factory) -> Installed:
    """The wheel in a fresh venv of its own; nothing of the source tree on its path."""
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, with_pip=True)
    bin_dir = folder / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    result = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(dist.wheel)], env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Installed(bin_dir, env)


@pytest.mark.slow
def test_the_wheel_and_the_sdist_carry_the_templates_scaffolds_and_project_files(dist: Dist):
    names = set(zipfile.ZipFile(dist.wheel).namelist())
    source = ROOT / "src" / "beslut"
    data = [p.relative_to(source.parent).as_posix() for folder in ("templates", "fonts", "scaffolds", "projektmall")
            for p in (source / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert "beslut/templates/dokument.docx" in data and "beslut/projektmall/gitignore" in data
    assert sorted(set(data) - names) == []
    sdist = {n.split("/", 1)[1] for n in tarfile.open(dist.sdist).getnames() if "/" in n}
    assert sorted({f"src/{d}" for d in data} - sdist) == []
    assert dist.wheel.name == f"beslut-{beslut.__version__}-py3-none-any.whl"


@pytest.mark.slow
def test_the_installed_wheel_inits_and_builds_a_project(installed: Installed, tmp_path):
    where = subprocess.run([str(installed.bin / "python"), "-c", "import beslut; print(beslut.__file__)"], cwd=tmp_path,
                           env=installed.env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(installed.bin.parent), where
    version = installed.run("--version", cwd=tmp_path)
    assert version.stdout == f"beslut, version {beslut.__version__}\n"

    made = installed.run(*INIT, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / "templates").exists()
    checked = installed.run("check", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    built = installed.run("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    docx, pdf, html = (tmp_path / "build" / f"exempel.{suffix}" for suffix in ("docx", "pdf", "html"))
    assert "Exempel på en tjänsteskrivelse" in zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "Exempel på en tjänsteskrivelse" in html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_projects_own_template_overrides_only_its_format(installed: Installed, tmp_path):
    assert installed.run(*INIT, cwd=tmp_path).returncode == 0
    assert installed.run("build", cwd=tmp_path).returncode == 0
    before = {s: (tmp_path / "build" / f"exempel.{s}").read_bytes() for s in ("docx", "pdf", "html")}

    exported = installed.run("templates", "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "create    " in exported.stdout
    templates = tmp_path / "templates"
    for other in templates.iterdir():  # keep only the HTML template: the others come from the package
        if other.name != "dokument.html.j2":
            other.unlink()
    html_template = templates / "dokument.html.j2"
    html_template.write_text(html_template.read_text(encoding="utf-8").replace("</body>", "<p>EGEN MALL</p></body>"),
                             encoding="utf-8")
    built = installed.run("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    after = {s: (tmp_path / "build" / f"exempel.{s}").read_bytes() for s in ("docx", "pdf", "html")}
    assert b"<p>EGEN MALL</p>" in after["html"] and b"EGEN MALL" not in before["html"]
    assert after["docx"] == before["docx"] and after["pdf"] == before["pdf"]


def test_the_package_metadata():
    project = PYPROJECT["project"]
    assert project["license"] == "EUPL-1.2"
    assert "version" in project["dynamic"] and "version" not in project
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "beslut.__version__"}
    assert "urls" not in project  # no project links to hosts outside the kommun's control
    assert any(c.startswith("Natural Language :: Swedish") for c in project["classifiers"])
    assert {"build", "mkdocs", "mkdocs-material"} <= {d.split(">")[0].split("=")[0] for d in
                                                      project["optional-dependencies"]["test"]}
