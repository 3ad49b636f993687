"""The build never loses outputs it was not asked to remove, never trusts a foreign manifest,
notices edits made while it runs and leaves no process behind (hardening issue, cases 1–5)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beslut.build import build
from beslut.project import Project

from ..conftest import MINIMAL, ROOT, run, write


def outputs(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def test_moved_project_keeps_other_records_outputs(project, tmp_path, monkeypatch):
    assert run("build", "-q").exit_code == 0
    before = outputs(project / "build")
    moved = tmp_path.parent / (tmp_path.name + "-flyttad")
    shutil.move(str(project), moved)  # rename the project folder, as a clone elsewhere or a CI cache would
    monkeypatch.chdir(moved)
    result = run("build", "decisions/son-2020-faltverksamhet.yaml", "-q")
    assert result.exit_code == 0, result.output
    assert outputs(moved / "build") == before
    assert "0 borttagna" in result.output


def test_building_one_record_never_removes_another_records_outputs(project):
    assert run("build", "-q").exit_code == 0
    (project / "decisions" / "son-2021-omradesbaserat-socialt-arbete-motion.yaml").unlink()
    result = run("build", "decisions/son-2020-faltverksamhet.yaml", "-q")
    assert "0 borttagna" in result.output
    assert "son-2021-omradesbaserat-socialt-arbete-motion.pdf" in outputs(project / "build")
    result = run("build", "-q")  # a build of the whole records folder was asked about it
    assert "3 borttagna" in result.output


def test_record_edited_while_building_is_rebuilt_next_time(empty_project):
    record = write(empty_project / "decisions" / "r.yaml", MINIMAL)
    project = Project.open(empty_project)

    def edit_after_reading(done: int, total: int, rid: str) -> None:  # called once r is produced, before writing
        record.write_text(MINIMAL.replace("Kort ärende.", "Ändrat under bygget."), encoding="utf-8")

    assert build(project, jobs=1, progress=edit_after_reading).built == ["r"]
    again = build(project, jobs=1)
    assert again.built == ["r"] and again.skipped == []
    assert "Ändrat under bygget." in (empty_project / "build" / "r.html").read_text(encoding="utf-8")


def test_attachment_edited_while_building_is_rebuilt_next_time(empty_project):
    bilaga = empty_project / "decisions" / "bilaga.txt"
    bilaga.write_text("första", encoding="utf-8")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: Bilaga\n    bilaga: bilaga.txt\n")
    project = Project.open(empty_project)

    def edit(done: int, total: int, rid: str) -> None:
        bilaga.write_text("andra, längre", encoding="utf-8")

    assert build(project, jobs=1, progress=edit).built == ["r"]
    assert build(project, jobs=1).built == ["r"]
    assert build(project, jobs=1).skipped == ["r"]


def test_deleted_record_that_failed_last_time_loses_its_outputs(empty_project):
    record = write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    record.write_text(MINIMAL.replace("rubrik: Ett litet ärende\n", ""), encoding="utf-8")
    assert run("build", "-q").exit_code == 1  # fails: its earlier outputs stay
    assert {"r.docx", "r.pdf", "r.html"} <= outputs(empty_project / "build")
    record.unlink()
    result = run("build", "-q")
    assert "3 borttagna" in result.output
    assert not {"r.docx", "r.pdf", "r.html"} & outputs(empty_project / "build")


def test_deleted_record_loses_its_outputs_with_force(empty_project):
    record = write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    record.unlink()
    result = run("build", "--force", "-q")
    assert "3 borttagna" in result.output and not outputs(empty_project / "build") - {"schema.json", "profile.schema.json"}


def test_crafted_manifest_cannot_delete_files_outside_the_output_folder(empty_project):
    victim = empty_project / "viktig.txt"
    victim.write_text("rör inte", encoding="utf-8")
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    manifest = empty_project / "build" / ".beslut-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["records"]["borta"] = {"source": "decisions/borta.yaml", "base": "x", "inputs": {}, "stats": {},
                                "outputs": {"../viktig.txt": [8, 0]}}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = run("build", "-q")
    assert result.exit_code == 0 and victim.read_text(encoding="utf-8") == "rör inte"
    assert "beslut-manifest.json: ignoreras" in result.stderr


def test_manifest_with_absolute_source_is_ignored(empty_project):
    victim = empty_project / "build" / "annat.pdf"
    assert run("build", "-q").exit_code == 0
    victim.write_text("mitt eget", encoding="utf-8")
    manifest = empty_project / "build" / ".beslut-manifest.json"
    manifest.write_text(json.dumps({"tool": "beslut", "format": 2, "records": {"annat": {
        "source": "/tmp/finns-inte.yaml", "outputs": {"annat.pdf": [1, 1]}}}}), encoding="utf-8")
    result = run("build", "-q")
    assert victim.exists() and "ignoreras" in result.stderr


def test_foreign_json_manifest_is_ignored_with_a_warning(empty_project):
    (empty_project / "build").mkdir()
    (empty_project / "build" / ".beslut-manifest.json").write_text('{"records": {"x": {"source": "x"}}}')
    result = run("build", "-q")
    assert result.exit_code == 0 and "ignoreras (inte beslut:s format)" in result.stderr


def test_signed_pdf_is_not_overwritten(empty_project):
    record = write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    pdf = empty_project / "build" / "r.pdf"
    signed = pdf.read_bytes() + b"\n% incremental update\n<< /Type /Sig /ByteRange [0 1 2 3] >>\n%%EOF\n"
    pdf.write_bytes(signed)
    assert "0 byggda, 1 oförändrade" in run("build", "-q").output  # a signature is no reason to rebuild
    record.write_text(MINIMAL.replace("Kort ärende.", "Nytt."), encoding="utf-8")
    result = run("build", "-q")
    assert pdf.read_bytes() == signed and "är signerad och skrivs inte över" in result.stderr
    assert "Nytt." in (empty_project / "build" / "r.html").read_text(encoding="utf-8")


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, set()).add(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_killed_build_leaves_no_process_behind(empty_project, how):
    for i in range(60):
        write(empty_project / "decisions" / f"r{i:02}.yaml", MINIMAL)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    build_process = subprocess.Popen([sys.executable, "-m", "beslut.cli", "build", "-j", "2", "-q"], cwd=empty_project,
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    family: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(family) < 2:  # two workers (and a fork server where one is used)
        family = _descendants(build_process.pid)
        time.sleep(0.05)
    time.sleep(0.3)
    family |= _descendants(build_process.pid)
    assert len(family) >= 2, "the pool never started"
    build_process.send_signal(how)
    build_process.wait(timeout=60)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.1)
    left = [p for p in family if _alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"
