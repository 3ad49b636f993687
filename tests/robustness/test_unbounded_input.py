"""Inputs without bounds: FIFOs, devices, huge or growing files are refused before or while reading.

Each dangerous case runs in a child process with a timeout and a memory limit, so that a
regression fails the test instead of hanging the suite or exhausting the machine.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import beslut
from beslut import yamlsource

SRC = Path(beslut.__file__).resolve().parent.parent
#: Address-space limit of the child: ample for beslut, far below what an unbounded read would take.
CHILD_MEMORY = 2 * 1024**3
TIMEOUT = 20

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def _child(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with beslut importable, bounded in time and memory."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_limit_memory)


def load_in_child(path: Path) -> dict:
    """``yamlsource.load(path)`` in a child: its problem messages and how many bytes it read."""
    result = _child("""
        import json, sys
        from pathlib import Path
        from beslut import yamlsource
        src = yamlsource.load(Path(sys.argv[1]))
        print(json.dumps({"problems": [p.message for p in src.problems], "raw": len(src.raw), "data": src.data}))
        """, str(path), cwd=path.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_in_child(project: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """``beslut check PATHS`` in a child, in ``project``."""
    return _child("from beslut.cli import main; main()", "check", *paths, cwd=project)


@needs_fifo
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "rör.yaml")
    out = load_in_child(tmp_path / "rör.yaml")
    assert out["problems"] == ["är ingen vanlig fil (FIFO); bara vanliga filer läses"]
    assert out["raw"] == 0 and out["data"] is None


@needs_fifo
def test_check_names_a_fifo(empty_project):
    os.mkfifo(empty_project / "decisions" / "rör.yaml")
    result = check_in_child(empty_project, "decisions/rör.yaml")
    assert result.returncode == 1
    assert "decisions/rör.yaml:1:1: är ingen vanlig fil (FIFO)" in result.stderr
    assert "Traceback" not in result.stderr


@needs_fifo
def test_build_names_a_fifo_without_waiting_for_a_writer(empty_project):
    """The build looks into each record's bytes for meetings before producing; a FIFO is not read."""
    os.mkfifo(empty_project / "decisions" / "rör.yaml")
    result = _child("from beslut.cli import main; main()", "build", "decisions/rör.yaml", cwd=empty_project)
    assert result.returncode == 1
    assert "decisions/rör.yaml:1:1: är ingen vanlig fil (FIFO)" in result.stderr
    assert "Traceback" not in result.stderr


@needs_fifo
def test_fifo_swapped_in_after_stat_does_not_hang(tmp_path):
    """A FIFO that replaces a checked file between stat and open: open must not block on it."""
    os.mkfifo(tmp_path / "rör.yaml")
    (tmp_path / "vanlig.yaml").write_text("a: 1\n", encoding="utf-8")
    result = _child("""
        import json, os, sys
        from pathlib import Path
        from beslut import yamlsource
        real_stat = os.stat
        # stat answers for a regular file, as it would have just before the swap
        os.stat = lambda p, *a, **k: real_stat(Path(p).with_name("vanlig.yaml"), *a, **k)
        src = yamlsource.load(Path(sys.argv[1]))
        print(json.dumps([p.message for p in src.problems]))
        """, str(tmp_path / "rör.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["är ingen vanlig fil (FIFO); bara vanliga filer läses"]


@needs_dev_zero
def test_link_to_dev_zero_is_refused_before_reading(tmp_path):
    (tmp_path / "noll.yaml").symlink_to("/dev/zero")
    out = load_in_child(tmp_path / "noll.yaml")
    assert out["problems"] == ["är ingen vanlig fil (teckenenhet): länken pekar på /dev/zero; bara vanliga filer läses"]
    assert out["raw"] == 0


@needs_dev_zero
def test_check_names_a_link_to_a_device(empty_project):
    (empty_project / "decisions" / "noll.yaml").symlink_to("/dev/zero")
    result = check_in_child(empty_project, "decisions/noll.yaml")
    assert result.returncode == 1
    assert "decisions/noll.yaml:1:1: är ingen vanlig fil (teckenenhet)" in result.stderr


def test_huge_sparse_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "stor.yaml"
    with path.open("wb") as f:
        f.truncate(64 * 1024**3)  # sparse: 64 GiB by size, nothing on disk
    out = load_in_child(path)
    assert out["problems"] == [f"filen är {64 * 1024**3} byte; högst {yamlsource.MAX_BYTES} tillåts"]
    assert out["raw"] == 0


def test_check_refuses_an_oversized_record(empty_project):
    with (empty_project / "decisions" / "stor.yaml").open("wb") as f:
        f.truncate(64 * 1024**3)
    result = check_in_child(empty_project)
    assert result.returncode == 1
    assert f"decisions/stor.yaml:1:1: filen är {64 * 1024**3} byte" in result.stderr


def test_file_that_grows_after_stat_is_read_only_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "växer.yaml"
    path.write_bytes(b"a: " + b"x" * (yamlsource.MAX_BYTES + 1000) + b"\n")
    real_stat = os.stat

    def small_stat(p, *args, **kwargs):
        # what stat said while the file was still small
        st = real_stat(p, *args, **kwargs)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 100,
                               int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))

    monkeypatch.setattr(os, "stat", small_stat)
    src = yamlsource.load(path)
    assert len(src.raw) == yamlsource.MAX_BYTES + 1
    assert src.data is None
    assert [p.message for p in src.problems] == [
        f"filen är över {yamlsource.MAX_BYTES} byte; högst {yamlsource.MAX_BYTES} tillåts"]


def test_directory_named_like_a_record_is_refused(tmp_path):
    (tmp_path / "mapp.yaml").mkdir()
    src = yamlsource.load(tmp_path / "mapp.yaml")
    assert [p.message for p in src.problems] == ["är ingen vanlig fil (katalog); bara vanliga filer läses"]


def test_dangling_link_is_missing(tmp_path):
    (tmp_path / "borta.yaml").symlink_to(tmp_path / "finns-inte.yaml")
    assert [p.message for p in yamlsource.load(tmp_path / "borta.yaml").problems] == ["filen finns inte"]


def test_raw_holds_exactly_the_bytes_read(tmp_path):
    content = "\ufeffrubrik: Hej\r\n".encode("utf-8")
    (tmp_path / "r.yaml").write_bytes(content)
    src = yamlsource.load(tmp_path / "r.yaml")
    assert src.raw == content and src.data == {"rubrik": "Hej"}
