"""``beslut check`` answered by a running ``beslut serve``: a check of a few records at editor speed.

A check started from the shell spends most of its time starting: Python with click, pydantic and
ruamel.yaml imported takes some 125 ms before beslut reads anything, 200 ms in all for one record.
While ``beslut serve`` runs in a project it also answers checks, over a Unix socket in a folder
only its user may enter. ``beslut check FILE…`` run in the server's folder sends its arguments
there and prints the answer: what the check prints when it runs itself, made by the same code
on the same files, read at that moment (the profile too), in a few tens of milliseconds.

Everything else is checked by the command itself, as before: any option (``--strict``,
``--profile``, ``--help``), a folder or a missing file among the paths, a file outside the
project, more than ``MAX_PATHS`` files, another working folder than the server's, beslut's code
changed since the server started, no server, a server that has not answered within ``TIMEOUT``
seconds (stopped, busy), output that is not UTF-8 or holds terminal escape codes, or
``BESLUT_SERVER=0``. The client side imports only the standard library.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .locate import find_profile

#: Most paths a check sent to the server may name (more is a large check: it runs in the command).
MAX_PATHS = 64
#: Seconds, in all, the command waits for the server's answer before it checks by itself.
TIMEOUT = 2.0
#: Largest request or answer, in bytes.
MAX_MESSAGE = 16 * 1024 * 1024
#: Checks the server runs at once; a request beyond them is sent back to its command.
MAX_CONCURRENT = 8
_FALLBACK: dict[str, Any] = {"fallback": True}


def socket_path(root: Path) -> Path | None:
    """Where the server for the project whose profile is in ``root`` listens (None: no Unix sockets).

    The folder is ``beslut-<uid>`` in ``$XDG_RUNTIME_DIR`` or, without one, in the temporary
    folder; the name is a hash of the project's folder, so that each project has its own server.
    """
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    base = runtime if runtime and os.path.isabs(runtime) and os.path.isdir(runtime) else \
        (os.environ.get("TMPDIR") or "/tmp")
    return Path(base) / f"beslut-{os.getuid()}" / f"{hashlib.sha256(os.fsencode(str(root))).hexdigest()[:24]}.sock"


def private_folder(folder: Path, create: bool = False) -> bool:
    """Whether ``folder`` is a folder (not a link) of this user that nobody else may enter; with
    ``create`` it is made so if missing. Another user's folder of that name is never used."""
    if create:
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def project_root(path: Path) -> Path | None:
    """The folder of the nearest beslut.yaml at or above ``path`` (a record file, resolved as
    ``Project.open`` resolves it, or a folder)."""
    found = find_profile(path)
    return found.parent if found is not None else None


def code_stamp() -> str:
    """beslut's code as this process would load it now: the name, time and size of each module.
    A server started before its code was changed (an editable install) no longer answers."""
    package = Path(__file__).resolve().parent
    stamps = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{info.st_mtime_ns}:{info.st_size}")
    return hashlib.sha256("\n".join([__version__, *stamps]).encode("utf-8", "surrogateescape")).hexdigest()


def answer(argv: list[str]) -> tuple[str, str, int] | None:
    """What ``beslut`` with arguments ``argv`` prints, from the project's server: (standard output,
    standard error, exit code); None when the command is to run here (see the module's docstring)."""
    if os.environ.get("BESLUT_SERVER", "").strip().lower() in ("0", "no", "nej", "off", "false"):
        return None
    if not 2 <= len(argv) <= MAX_PATHS + 1 or argv[0] != "check":
        return None
    try:
        if any(arg.startswith("-") or not os.path.isfile(arg) for arg in argv[1:]):
            return None
        if not (_utf8(sys.stdout) and _utf8(sys.stderr)):
            return None
        root = project_root(Path(argv[1]))
        where = socket_path(root) if root is not None else None
        if where is None or not private_folder(where.parent):
            return None
        deadline = time.monotonic() + TIMEOUT
        request = {"version": __version__, "code": code_stamp(), "cwd": os.getcwd(), "args": argv,
                   "deadline": deadline}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT)
            conn.connect(str(where))
            conn.sendall(json.dumps(request).encode("ascii") + b"\n")
            reply = json.loads(_read_line(conn, deadline))
    except (OSError, ValueError, RecursionError):  # no server, a stale socket, no answer in time, a garbled one
        return None
    if not isinstance(reply, dict) or reply.get("fallback"):
        return None
    out, err, code = reply.get("stdout"), reply.get("stderr"), reply.get("code")
    if not (isinstance(out, str) and isinstance(err, str) and isinstance(code, int)):
        return None
    if "\x1b" in out + err:  # click drops escape codes from output that is not a terminal: its to print
        return None
    try:
        (out + err).encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8
        return None
    return out, err, code


def _utf8(stream: TextIO | None) -> bool:
    encoding = getattr(stream, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "") == "utf8"


def _read_line(conn: socket.socket, deadline: float) -> bytes:
    """One newline-ended message of at most ``MAX_MESSAGE`` bytes, whole before ``deadline``
    (``time.monotonic``): a peer that sends slowly cannot keep us waiting longer."""
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("inget svar i tid")
        conn.settimeout(left)
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("avbrutet meddelande")
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n"):
            return b"".join(chunks)
        if size > MAX_MESSAGE:
            raise ValueError("för stort meddelande")


def respond(request: object, root: Path, folder: Path, code: str) -> dict[str, Any]:
    """The server's answer to one request: what ``beslut check`` prints for its arguments when run
    in ``folder``, or a fallback (the command then checks by itself).

    Only the plain case is answered here: this beslut (its code as ``code_stamp`` gave ``code``
    when the server started), a command run in ``folder``, which is this process's working folder
    too (relative paths mean the same to both), files (no options) inside the project whose
    profile is in ``root``, a request whose command still waits. Anything unusual is left to the
    command, so that its messages and exit codes stay exactly its own.
    """
    if not isinstance(request, dict) or request.get("version") != __version__ or request.get("code") != code:
        return _FALLBACK
    cwd, args, deadline = request.get("cwd"), request.get("args"), request.get("deadline")
    if not isinstance(cwd, str) or not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        return _FALLBACK
    if not isinstance(deadline, (int, float)) or deadline <= time.monotonic():
        return _FALLBACK  # its command has stopped waiting (this server was stopped or busy)
    if not 2 <= len(args) <= MAX_PATHS + 1 or args[0] != "check" or any(a.startswith("-") for a in args[1:]):
        return _FALLBACK
    try:
        if not Path(os.path.realpath(cwd)) == Path(os.path.realpath(os.getcwd())) == folder:
            return _FALLBACK
        paths = [Path(a) for a in args[1:]]
        if not all(p.is_file() and p.resolve().is_relative_to(root) for p in paths):
            return _FALLBACK  # a path outside the project is the command's to read (or refuse)
        from .build import check
        from .errors import EXIT_INVALID
        from .project import Options, Project

        project = Project.open(paths[0], profile=None, output=None, options=Options())
        if project.root.resolve() != root:
            return _FALLBACK
        result = check(project, paths, records=False)
    except Exception:  # noqa: BLE001 - whatever went wrong, the command itself reports it in its own words
        return _FALLBACK
    errors = result.errors()
    err = "".join(p.format() + "\n" for p in result.problems)
    summary = result.summary() + "\n"
    return {"stdout": "" if errors else summary, "stderr": err + summary if errors else err,
            "code": EXIT_INVALID if errors else 0}


class CheckServer:
    """Answers ``beslut check`` for one project over a Unix socket, in threads of this process."""

    def __init__(self, root: Path, folder: Path, where: Path, listener: socket.socket, lock: int):
        self.root, self.folder, self.where = root, folder, where
        self._listener, self._lock = listener, lock
        self._code = code_stamp()
        self._inode = os.stat(where).st_ino
        self._stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONCURRENT)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="beslut-check-server", daemon=True)

    @classmethod
    def start(cls, folder: Path) -> CheckServer | None:
        """Answer checks run in ``folder`` (this process's working folder) for the project it belongs
        to (found as ``beslut check`` finds it); None where that cannot be done (no Unix sockets, no
        private folder, another server for the project)."""
        import fcntl  # POSIX only, as the sockets are

        folder = Path(os.path.realpath(folder))
        root = project_root(folder)
        if root is None:
            return None
        where = socket_path(root)
        if where is None or not private_folder(where.parent, create=True):
            return None
        # one server per project: it holds the lock beside its socket for as long as it listens
        try:
            lock = os.open(where.with_suffix(".lock"), os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return None
        listener = None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                if stat.S_ISSOCK(os.lstat(where).st_mode):
                    where.unlink()  # left by a server that did not end cleanly: the lock was free
            except FileNotFoundError:
                pass
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(str(where))
            os.chmod(where, 0o600)
            listener.listen(16)
            server = cls(root, folder, where, listener, lock)
        except (OSError, ValueError):
            if listener is not None:
                listener.close()
            os.close(lock)
            return None
        server._thread.start()
        return server

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                if self._stopping.is_set() or self._listener.fileno() < 0:
                    return
                time.sleep(0.05)  # out of file descriptors or memory for a moment: keep listening
                continue
            if not self._slots.acquire(blocking=False):
                threading.Thread(target=self._reply, args=(conn, _FALLBACK), daemon=True).start()
                continue
            with self._open_lock:
                self._open.add(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            try:
                reply = respond(json.loads(_read_line(conn, time.monotonic() + TIMEOUT)), self.root, self.folder,
                                self._code)
            except Exception:  # noqa: BLE001 - a request this server cannot read: its command checks by itself
                reply = _FALLBACK
            self._reply(conn, reply)
        finally:
            with self._open_lock:
                self._open.discard(conn)
            self._slots.release()

    @staticmethod
    def _reply(conn: socket.socket, reply: dict[str, Any]) -> None:
        with conn:
            try:
                conn.settimeout(TIMEOUT)
                conn.sendall(json.dumps(reply).encode("ascii") + b"\n")
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        """Stop listening, end the requests still open (their commands check by themselves) and
        remove the socket if it is still this server's."""
        self._stopping.set()
        for sock in [self._listener, *self._open_sockets()]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._listener.close()
        try:
            if os.stat(self.where).st_ino == self._inode:
                self.where.unlink()
        except OSError:
            pass
        os.close(self._lock)
        self._thread.join(timeout=5)

    def _open_sockets(self) -> list[socket.socket]:
        with self._open_lock:
            return list(self._open)


def main() -> None:
    """The ``beslut`` command: a check the project's server can answer is answered there, the rest
    runs the click command line (cli.py)."""
    reply = answer(sys.argv[1:])
    if reply is None:
        from .cli import main as command_line

        command_line()
        return
    out, err, code = reply
    sys.stderr.write(err)
    sys.stderr.flush()
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.exit(code)


__all__ = ["MAX_PATHS", "TIMEOUT", "CheckServer", "answer", "code_stamp", "main", "private_folder", "project_root",
           "respond", "socket_path"]
