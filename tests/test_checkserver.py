"""`beslut check` answered by a running `beslut serve` (checkserver.py): what the command alone
prints, with its exit code, without the command's start-up; anything unusual is checked by the
command itself, as before. Real processes and a real Unix socket."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from beslut import checkserver
from beslut.checkserver import CheckServer, private_folder, project_root, respond, socket_path

from .conftest import MINIMAL, write

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")

#: The ``beslut`` console script's entry point, run as the shell runs it.
COMMAND = [sys.executable, "-X", "importtime", "-c", "from beslut.checkserver import main; main()"]


def beslut(cwd: Path, *args: str, **env: str) -> tuple[str, str, int, bool]:
    """Standard output, standard error (without the import lines), exit code, and whether the
    server answered (the command then never imports pydantic)."""
    proc = subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **env})
    lines = proc.stderr.splitlines(keepends=True)
    imports = [line for line in lines if line.startswith("import time:")]
    err = "".join(line for line in lines if not line.startswith("import time:"))
    served = not any(" pydantic" in line for line in imports)
    return proc.stdout, err, proc.returncode, served


@pytest.fixture
def records(project: Path) -> list[str]:
    """A valid record, one with a warning (a placeholder) and one with an error (no rubrik)."""
    write(project / "decisions" / "ok.yaml", MINIMAL)
    write(project / "decisions" / "varning.yaml",
          MINIMAL.replace("Kort ärende.", "Kort ärende XXXXXX.").replace("status: beslutad", "status: utkast"))
    write(project / "decisions" / "fel.yaml", MINIMAL.replace("rubrik: Ett litet ärende\n", ""))
    return ["decisions/ok.yaml", "decisions/varning.yaml", "decisions/fel.yaml"]


@pytest.fixture
def server(project: Path):
    running = CheckServer.start(project)
    assert running is not None
    yield running
    running.close()


def test_a_check_the_server_answers_is_what_the_command_alone_prints(project, records, server):
    cases = [[records[0]], [records[1]], [records[2]], records, ["decisions/son-2020-faltverksamhet.yaml"]]
    for args in cases:
        *alone, served_alone = beslut(project, "check", *args, BESLUT_SERVER="0")
        *answered, served = beslut(project, "check", *args)
        assert served and not served_alone, args
        assert answered == alone, args
    out, err, code, _ = beslut(project, "check", *records)
    assert code == 1 and "rubrik" in err and "XXXXXX" in err and err.endswith("3 poster kontrollerade: 1 fel, 1 varningar\n")
    assert out == ""
    out, err, code, _ = beslut(project, "check", records[0])
    assert (out, err, code) == ("1 poster kontrollerade: 0 fel\n", "", 0)


def test_the_server_reads_the_records_and_profile_as_they_are_now(project, records, server):
    assert beslut(project, "check", records[0])[2] == 0
    write(project / records[0], MINIMAL.replace("datum: 2024-03-01", "datum: 2024-13-01"))
    *answered, served = beslut(project, "check", records[0])
    assert served and answered[2] == 1 and "datum" in answered[1]
    assert answered == list(beslut(project, "check", records[0], BESLUT_SERVER="0")[:3])
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "okänd_nyckel: 1\n", encoding="utf-8")
    *answered, served = beslut(project, "check", records[1])  # a broken profile: the command says so itself
    assert not served and answered[2] != 0
    assert answered == list(beslut(project, "check", records[1], BESLUT_SERVER="0")[:3])


def test_anything_unusual_is_checked_by_the_command_itself(project, records, server):
    (project / "sub").mkdir()
    cases = [(project, ["check", "--strict", records[1]]), (project, ["check", "saknas.yaml"]),
             (project, ["check", "decisions"]), (project, ["check"]), (project, ["--version"]),
             (project / "decisions", ["check", "ok.yaml"]),  # another working folder than the server's
             (project, ["check", *[records[0]] * (checkserver.MAX_PATHS + 1)])]
    for cwd, args in cases:
        *answered, served = beslut(cwd, *args)
        assert not served, args
        assert answered == list(beslut(cwd, *args, BESLUT_SERVER="0")[:3]), args


def test_without_a_server_or_with_a_stale_socket_the_command_checks_by_itself(project, records):
    assert beslut(project, "check", records[0])[3] is False  # no server
    where = socket_path(project.resolve())
    assert where is not None and private_folder(where.parent, create=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(where))  # a socket file nobody listens on: a server that was killed
    stale.close()
    try:
        *answered, served = beslut(project, "check", records[2])
        assert not served and answered[2] == 1
        running = CheckServer.start(project)  # a new server replaces the stale socket
        assert running is not None
        try:
            assert beslut(project, "check", records[2])[3] is True
            assert CheckServer.start(project) is None  # one server per project
        finally:
            running.close()
        assert not where.exists()
    finally:
        where.unlink(missing_ok=True)


def test_the_socket_is_reachable_by_its_user_only(project, server):
    assert stat.S_IMODE(os.stat(server.where).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(server.where.parent).st_mode) & 0o077 == 0
    shared = project / "delad"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    assert not private_folder(shared) and not private_folder(shared, create=True)
    os.chmod(shared, 0o700)
    assert private_folder(shared)
    (project / "länk").symlink_to(shared)
    assert not private_folder(project / "länk")


def test_requests_the_server_does_not_answer(project, records):
    root, folder = project.resolve(), project.resolve()
    assert project_root(project / records[0]) == root
    good = {"version": checkserver.__version__, "cwd": str(project), "args": ["check", records[0]]}
    assert respond(good, root, folder)["code"] == 0
    for bad in ("check", None, [], {**good, "version": "0.0.0"}, {**good, "args": "check"},
                {**good, "args": ["build", records[0]]}, {**good, "args": ["check", "--strict", records[0]]},
                {**good, "args": ["check", 1]}, {**good, "cwd": str(project / "decisions")},
                {**good, "args": ["check", "/etc/passwd"]}):
        assert respond(bad, root, folder) == {"fallback": True}, bad
    assert respond(good, root, project / "decisions") == {"fallback": True}  # not the server's folder
