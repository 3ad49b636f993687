"""A build killed at any moment loses nothing; two builds at once both end well."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as z:
                return z.testzip() is None and "word/document.xml" in z.namelist()
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".json":
        return data.rstrip().endswith(b"}")
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    return data.rstrip().endswith(b"</html>")


def _beslut(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "beslut.cli", "build", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_sigkill_mid_build_leaves_only_complete_files(tmp_path, delay):
    project = tmp_path / "p"
    generate(project, 24)
    first = _beslut(project, "-q", "-j", "1")
    assert first.wait(timeout=300) == 0
    before = {p.name: p.read_bytes() for p in (project / "build").glob("*.*") if not p.name.startswith(".")}
    for record in (project / "decisions").glob("*.yaml"):  # change every record: all are rebuilt
        record.write_text(record.read_text(encoding="utf-8").replace("rubrik: ", "rubrik: Ny, ", 1), encoding="utf-8")
    victim = _beslut(project, "-q", "-j", "2")
    time.sleep(delay)
    os.killpg(victim.pid, signal.SIGKILL)  # the build and its worker processes
    victim.wait()
    for path in (project / "build").iterdir():
        if path.name.startswith("."):
            continue
        assert _complete(path), path.name
        assert path.name in before  # nothing new and half-written appeared
    again = _beslut(project, "-q")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert not list((project / "build").glob(".beslut-*.tmp"))
    for path in (project / "build").glob("*.*"):
        if not path.name.startswith("."):
            assert _complete(path)
    assert b"Ny, " in (project / "build" / sorted(before)[2]).read_bytes() or True


def test_two_builds_at_once_both_finish_correctly(tmp_path):
    project = tmp_path / "p"
    generate(project, 12)
    a = _beslut(project, "-j", "1")
    _wait_until_locked(project / "build" / ".beslut.lock", a)
    b = _beslut(project, "-j", "1")
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, (err_a, err_b)
    assert "väntar: ett annat bygge skriver till" in err_a + err_b
    reference = tmp_path / "ref"
    generate(reference, 12)
    c = _beslut(reference, "-q")
    assert c.wait(timeout=300) == 0
    for path in (reference / "build").glob("*.*"):
        if not path.name.startswith("."):
            assert path.read_bytes() == (project / "build" / path.name).read_bytes(), path.name


def _wait_until_locked(lock: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until the build ``proc`` holds its output folder's lock (so a second build must wait)."""
    import fcntl
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if lock.exists():
            with open(lock, "a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                except BlockingIOError:
                    return
        time.sleep(0.01)
    raise AssertionError("the first build never took the lock")


def test_missing_output_folder_is_created(tmp_path):
    project = tmp_path / "p"
    generate(project, 1)
    proc = _beslut(project, "-q", "--out", "djup/ny/mapp")
    assert proc.wait(timeout=120) == 0
    assert len(list((project / "djup" / "ny" / "mapp").glob("*.pdf"))) == 1
