"""`beslut check` answered by a running `beslut serve` (checkserver.py): what the command alone
prints, with its exit code, without the command's start-up; anything unusual is checked by the
command itself, as before; a server that does not answer never holds a check up for long. Real
processes and real Unix sockets, in a runtime folder of each test's own."""
from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from beslut import checkserver
from beslut.checkserver import CheckServer, code_stamp, private_folder, project_root, respond, socket_path

from .conftest import MINIMAL, write

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")

#: The ``beslut`` console script's entry point, run as the shell runs it.
COMMAND = [sys.executable, "-X", "importtime", "-c", "from beslut.checkserver import main; main()"]


def beslut(cwd: Path, *args: str, merged: bool = False, **env: str) -> tuple[str, str, int, bool]:
    """Standard output, standard error (without the import lines; with ``merged`` both in one
    stream, as a terminal shows them), exit code, and whether the server answered (the command
    then never imports pydantic)."""
    proc = subprocess.run([*COMMAND, *args], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merged else subprocess.PIPE, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **env})
    lines = (proc.stdout if merged else proc.stderr).splitlines(keepends=True)
    imports = [line for line in lines if line.startswith("import time:")]
    rest = "".join(line for line in lines if not line.startswith("import time:"))
    served = not any(" pydantic" in line for line in imports)
    return ("", rest, proc.returncode, served) if merged else (proc.stdout, rest, proc.returncode, served)


def alone(cwd: Path, *args: str, merged: bool = False, **env: str) -> list:
    """What the command prints checking by itself."""
    return list(beslut(cwd, *args, merged=merged, BESLUT_SERVER="0", **env)[:3])


@pytest.fixture(autouse=True)
def runtime(tmp_path_factory, monkeypatch) -> Path:
    """A runtime folder of this test's own: its sockets are nobody else's."""
    folder = tmp_path_factory.mktemp("run")
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


@pytest.fixture
def records(project: Path) -> list[str]:
    """A valid record, one with a warning (a placeholder in a draft) and one with an error (no rubrik)."""
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
    cases = [[records[0]], [records[1]], [records[2]], records, ["decisions/son-2020-faltverksamhet.yaml"],
             [records[2], str(project / records[2])], ["./" + records[0]]]
    for args in cases:
        *answered, served = beslut(project, "check", *args)
        assert served, args
        assert answered == alone(project, "check", *args), args
        *answered, served = beslut(project, "check", *args, merged=True)  # the two streams in their order
        assert served and answered == alone(project, "check", *args, merged=True), args
    out, err, code, _ = beslut(project, "check", *records)
    assert code == 1 and "rubrik" in err and "XXXXXX" in err and err.endswith("3 poster kontrollerade: 1 fel, 1 varningar\n")
    assert out == ""
    assert beslut(project, "check", records[0])[:3] == ("1 poster kontrollerade: 0 fel\n", "", 0, )


def test_the_server_reads_the_records_and_profile_as_they_are_now(project, records, server):
    assert beslut(project, "check", records[0])[2] == 0
    write(project / records[0], MINIMAL.replace("datum: 2024-03-01", "datum: 2024-13-01"))
    *answered, served = beslut(project, "check", records[0])
    assert served and answered[2] == 1 and "datum" in answered[1]
    assert answered == alone(project, "check", records[0])
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "okänd_nyckel: 1\n", encoding="utf-8")
    *answered, served = beslut(project, "check", records[1])  # a broken profile: the command says so itself
    assert not served and answered[2] != 0
    assert answered == alone(project, "check", records[1])


def test_anything_unusual_is_checked_by_the_command_itself(project, records, server, tmp_path_factory):
    outside = tmp_path_factory.mktemp("utanför") / "post.yaml"
    write(outside, MINIMAL)
    (project / "decisions" / "länk.yaml").symlink_to(outside)  # a link out of the project
    odd = "decisions/e\x1b[31mröd.yaml"  # a file name holding a terminal escape code
    write(project / odd, "typ: tjänsteskrivelse\n")
    cases = [(project, ["check", "--strict", records[1]], {}), (project, ["check", "saknas.yaml"], {}),
             (project, ["check", "decisions"], {}), (project, ["check"], {}), (project, ["--version"], {}),
             (project / "decisions", ["check", "ok.yaml"], {}),  # another working folder than the server's
             (project, ["check", *[records[0]] * (checkserver.MAX_PATHS + 1)], {}),
             (project, ["check", "decisions/länk.yaml"], {}), (project, ["check", str(outside)], {}),
             (project, ["check", odd], {}), (project, ["check", records[0]], {"PYTHONIOENCODING": "latin-1"})]
    for cwd, args, env in cases:
        *answered, served = beslut(cwd, *args, **env)
        assert not served, args
        assert answered == alone(cwd, *args, **env), args


def test_a_check_is_answered_only_in_a_folder_nobody_else_may_enter(project, records, server):
    assert stat.S_IMODE(os.stat(server.where).st_mode) == 0o600
    assert beslut(project, "check", records[0])[3] is True
    os.chmod(server.where.parent, 0o755)  # anyone may now enter: the command no longer asks
    try:
        *answered, served = beslut(project, "check", records[0])
        assert not served and answered == alone(project, "check", records[0])
    finally:
        os.chmod(server.where.parent, 0o700)
    shared = project / "delad"
    shared.mkdir()
    os.chmod(shared, 0o755)
    assert not private_folder(shared) and not private_folder(shared, create=True)
    os.chmod(shared, 0o700)
    assert private_folder(shared)
    (project / "länk").symlink_to(shared)
    assert not private_folder(project / "länk")


def test_without_a_server_or_with_a_stale_socket_the_command_checks_by_itself(project, records):
    assert beslut(project, "check", records[0])[3] is False  # no server
    where = socket_path(project.resolve())
    assert where is not None and private_folder(where.parent, create=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(where))  # a socket file nobody listens on: a server that was killed
    stale.close()
    *answered, served = beslut(project, "check", records[2])
    assert not served and answered == alone(project, "check", records[2])
    running = CheckServer.start(project)  # a new server replaces the stale socket
    assert running is not None
    try:
        assert beslut(project, "check", records[2])[3] is True
        assert CheckServer.start(project) is None  # one server per project
        assert CheckServer.start(project / "decisions") is None  # the same project from a subfolder
    finally:
        running.close()
    assert not where.exists()
    again = CheckServer.start(project)  # the lock went with the first server
    assert again is not None
    again.close()


def test_a_server_that_does_not_answer_holds_a_check_up_for_at_most_the_timeout(project, records):
    where = socket_path(project.resolve())
    assert where is not None and private_folder(where.parent, create=True)
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(where))
    silent.listen(4)  # connections are queued, never answered: a stopped (Ctrl+Z) or stuck server
    try:  # the command gives up on it after TIMEOUT and checks by itself (a hang fails the run's timeout)
        *answered, served = beslut(project, "check", records[2])
        assert not served and answered == alone(project, "check", records[2])
    finally:
        silent.close()


def test_closing_the_server_ends_the_checks_it_is_still_making(project, records, monkeypatch):
    running = CheckServer.start(project)
    assert running is not None
    entered, release = threading.Event(), threading.Event()
    real = checkserver.respond

    def slow(*args):
        entered.set()
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(checkserver, "respond", slow)
    outcome: list = []
    client = threading.Thread(target=lambda: outcome.append(beslut(project, "check", records[0])))
    client.start()
    assert entered.wait(60)
    running.close()  # the request is open: its command is told at once and checks by itself
    client.join(60)
    release.set()
    assert outcome and outcome[0][3] is False and list(outcome[0][:3]) == alone(project, "check", records[0])


def test_the_server_keeps_listening_after_a_failed_accept(project, records):
    where = socket_path(project.resolve())
    assert where is not None and private_folder(where.parent, create=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(where))
    listener.listen(4)

    class Flaky:
        """A listener whose first accept fails as when the process has no file descriptor left."""

        failed = False

        def accept(self):
            if not Flaky.failed:
                Flaky.failed = True
                raise OSError(errno.EMFILE, "Too many open files")
            return listener.accept()

        def __getattr__(self, name):
            return getattr(listener, name)

    lock = os.open(where.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    running = CheckServer(project.resolve(), project.resolve(), where, Flaky(), lock)  # type: ignore[arg-type]
    running._thread.start()
    try:
        assert beslut(project, "check", records[0])[3] is True
        assert Flaky.failed
    finally:
        running.close()


def test_many_checks_at_once_each_get_their_own_answer(project, records, server):
    expected = {r: alone(project, "check", r) for r in records}
    results: dict[int, tuple] = {}

    def one(i: int) -> None:
        results[i] = beslut(project, "check", records[i % 3])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 12
    for i, (out, err, code, _served) in results.items():
        assert [out, err, code] == expected[records[i % 3]], i


def test_a_command_in_a_removed_folder_checks_by_itself(project, records, server, tmp_path_factory):
    gone = tmp_path_factory.mktemp("borta")
    code = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
            "from beslut.checkserver import answer; print(answer(['check', sys.argv[2]]))")
    proc = subprocess.run([sys.executable, "-c", code, str(gone), str(project / records[0])], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (0, "None", "")


def test_beslut_serve_answers_checks_while_it_runs(project, records):
    from beslut.serve import PreviewServer

    preview = PreviewServer(project, 0).start()
    try:
        assert preview.checks is not None and preview.checks.where.exists()
        assert beslut(project, "check", records[1])[3] is True
    finally:
        preview.close()
    assert not preview.checks.where.exists()


def test_requests_the_server_does_not_answer(project, records, tmp_path_factory):
    root, folder, code = project.resolve(), project.resolve(), code_stamp()
    outside = tmp_path_factory.mktemp("utanför") / "post.yaml"
    write(outside, MINIMAL)
    (project / "decisions" / "länk.yaml").symlink_to(outside)
    write(project / "inre" / "beslut.yaml", (project / "beslut.yaml").read_text(encoding="utf-8"))
    shutil.copy(project / "logotyp-exempel.png", project / "inre" / "logotyp-exempel.png")
    write(project / "inre" / "decisions" / "post.yaml", MINIMAL)  # a project inside the project
    assert project_root(project / records[0]) == root == project_root(project / "decisions")
    good = {"version": checkserver.__version__, "code": code, "cwd": str(project), "args": ["check", records[0]],
            "deadline": time.monotonic() + 60}
    assert respond(good, root, folder, code)["code"] == 0
    for bad in ("check", None, [], {**good, "version": "0.0.0"}, {**good, "code": "äldre kod"},
                {**good, "deadline": time.monotonic() - 1}, {**good, "deadline": "snart"}, {**good, "args": "check"},
                {**good, "args": ["build", records[0]]}, {**good, "args": ["check", "--strict", records[0]]},
                {**good, "args": ["check", 1]}, {**good, "cwd": str(project / "decisions")},
                {**good, "args": ["check", "/etc/passwd"]}, {**good, "args": ["check", "decisions/länk.yaml"]},
                {**good, "args": ["check", "inre/decisions/post.yaml"]}):
        assert respond(bad, root, folder, code) == {"fallback": True}, bad
    assert respond(good, root, project / "decisions", code) == {"fallback": True}  # not the server's folder


def test_a_profile_that_is_a_link_still_gets_its_server(project, records, tmp_path_factory):
    shared = tmp_path_factory.mktemp("gemensam")
    shutil.move(project / "beslut.yaml", shared / "beslut.yaml")
    (project / "beslut.yaml").symlink_to(shared / "beslut.yaml")
    shutil.copy(project / "logotyp-exempel.png", shared / "logotyp-exempel.png")
    running = CheckServer.start(project)
    assert running is not None
    try:
        assert running.root == project.resolve()
        *answered, served = beslut(project, "check", records[0])
        assert served and answered == alone(project, "check", records[0])
    finally:
        running.close()
