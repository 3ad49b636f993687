"""Reading records at Git revisions: which files changed, their bytes, who committed and when.

Everything goes through the ``git`` command (no library): ``git diff --name-status`` for the
changed files (renames followed), one ``git cat-file --batch`` process for all the blobs a
command needs. Unknown revisions, a folder outside any repository and a shallow clone that lacks
the revision become ``GitError`` with a Swedish message, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_USAGE, BeslutError

#: The work tree (uncommitted files) as a "revision".
WORKTREE = None


class GitError(BeslutError):
    """Git could not answer: not a repository, an unknown revision, a path missing in a revision."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Commit:
    """Who made a revision and when (for tracked changes: author and date)."""

    rev: str
    sha: str
    author: str
    date: str  # ISO 8601 in UTC, seconds: 2026-12-04T10:15:00Z


@dataclass(frozen=True)
class FileChange:
    """One changed file between two revisions, paths relative to the repository's root."""

    status: str  # "A" added, "D" deleted, "M" modified, "R" renamed
    old: str | None
    new: str | None


class Repo:
    """A Git repository found from a folder inside it."""

    def __init__(self, start: Path):
        start = start if start.is_dir() else start.parent
        try:
            out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True)
        except FileNotFoundError:
            raise GitError("git finns inte installerat (kommandot git saknas)") from None
        if out.returncode != 0:
            raise GitError(f"{start} är inte i ett Git-arkiv (ingen .git hittades); kör kommandot i ett arkiv")
        self.root = Path(out.stdout.strip()).resolve()

    def git(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        """Run a git command in the repository; its stdout. A failure raises GitError with git's own words."""
        out = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=self.root, input=input,
                             capture_output=True)
        if check and out.returncode != 0:
            message = out.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} misslyckades: {message[-1] if message else out.returncode}")
        return out.stdout

    @property
    def shallow(self) -> bool:
        """Whether this is a shallow clone (history cut off)."""
        return self.git("rev-parse", "--is-shallow-repository").strip() == b"true"

    def resolve(self, rev: str) -> str:
        """The commit a revision names; GitError for an unknown one (and a hint in a shallow clone)."""
        if rev.startswith("-"):
            raise GitError(f"'{rev}' är ingen revision")
        out = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=self.root,
                             capture_output=True, text=True)
        if out.returncode != 0:
            if self.shallow:
                raise GitError(f"revisionen '{rev}' finns inte här: arkivet är en grund klon (shallow clone). "
                               "Hämta mer historik med git fetch --unshallow (i CI: fetch-depth: 0)")
            raise GitError(f"okänd revision '{rev}' (ingen commit, gren eller tagg med det namnet)")
        return out.stdout.strip()

    def commit(self, rev: str) -> Commit:
        """Author and commit time of a revision."""
        sha = self.resolve(rev)
        name, stamp = self.git("log", "-1", "--format=%an%x00%ct", sha).decode("utf-8").strip().split("\x00")
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Commit(rev, sha, name, when)

    def changes(self, a: str, b: str | None, paths: list[str] | None = None) -> list[FileChange]:
        """Files that differ between commit ``a`` and ``b`` (None: the work tree), renames followed."""
        args = ["diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M", a]
        if b is not None:
            args.append(b)
        fields = self.git(*args, "--", *(paths or [])).decode("utf-8").split("\x00")
        out: list[FileChange] = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i][0]
            if status in "RC":
                old, new = fields[i + 1], fields[i + 2]
                out.append(FileChange("R" if status == "R" else "A", old if status == "R" else None, new))
                i += 3
                continue
            path = fields[i + 1]
            out.append(FileChange(status if status in "ADM" else "M", None if status == "A" else path,
                                  None if status == "D" else path))
            i += 2
        return out

    def exists(self, rev: str, path: str) -> bool:
        """Whether ``path`` (relative to the root) is a file in ``rev``."""
        return subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=self.root,
                              capture_output=True).returncode == 0

    def read(self, rev: str | None, paths: list[str]) -> dict[str, bytes | None]:
        """The bytes of each path at ``rev`` (None: the work tree); None for a path not there.

        All blobs of one revision come from one ``git cat-file --batch`` process.
        """
        if rev is None:
            found: dict[str, bytes | None] = {}
            for p in paths:
                file = self.root / p
                found[p] = file.read_bytes() if file.is_file() else None
            return found
        if not paths:
            return {}
        request = "".join(f"{rev}:{p}\n" for p in paths).encode("utf-8")
        out = self.git("cat-file", "--batch", input=request)
        result: dict[str, bytes | None] = {}
        pos = 0
        for p in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].split(b" ")
            pos = end + 1
            if header[-1] == b"missing" or len(header) != 3 or header[1] != b"blob":
                result[p] = None
                continue
            size = int(header[2])
            result[p] = out[pos:pos + size]
            pos += size + 1
        return result

    def relative(self, path: Path) -> str:
        """A path given on the command line as a path relative to the repository's root (POSIX)."""
        full = (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()
        try:
            return full.relative_to(self.root).as_posix()
        except ValueError:
            raise GitError(f"{path} ligger utanför Git-arkivet {self.root}") from None


__all__ = ["WORKTREE", "Commit", "FileChange", "GitError", "Repo"]
