"""Read YAML safely and keep where every value came from.

We compose the YAML node graph with ruamel.yaml (no tags resolved) and build plain Python values
ourselves, so that no YAML 1.1 surprise can change a value's meaning: ``13:00``, ``no``,
``yes``, ``on`` and dates stay text until the record model decides what they are. Duplicate
keys are errors, aliases are counted so that a nested-alias "bomb" cannot eat memory, and
characters that are illegal in XML (they corrupt DOCX) are refused with their position.

Reading is bounded before it starts: only regular files are opened (a FIFO would hang, a link
to ``/dev/zero`` would never end), and never more than ``MAX_BYTES + 1`` bytes are read.
``load_bytes`` parses bytes that came from elsewhere (a record at a Git revision).
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

#: Most nodes a record may expand to (aliases included). A real record has a few hundred.
MAX_NODES = 50_000
#: Largest record file read, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Deepest nesting accepted.
MAX_DEPTH = 60
#: Reported for a file with no content (empty, only comments, or only ``---``, ``~``, ``null``).
EMPTY_RECORD = "filen är tom: en post är en mappning av nycklar till värden (typ: …, rubrik: …)"

_NULLS = {"", "~", "null", "Null", "NULL"}
# XML 1.0 forbids these; docxtpl silently drops text around them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Invisible characters that change how text reads or sorts: removed, with a warning.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f]")

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A loaded YAML document: its plain data and the position of every value and key."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The bytes actually read (empty if nothing was), so a build can fingerprint exactly what it parsed.
    raw: bytes = b""

    def where(self, loc: Path_) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``loc``, or of its nearest parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, loc: Path_, message: str, severity: str = "error") -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, dotted(loc), message, severity)


def dotted(loc: Path_) -> str:
    """``('avsnitt', 2, 'rubrik')`` → ``avsnitt[2].rubrik`` (indices 1-based, as people count)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _TooBig(Exception):
    pass


class _Unreadable(Exception):
    """The file cannot or must not be read; the message is the Swedish problem text."""


#: What a non-regular file is, in the words of the problem message.
_FILE_KINDS: tuple[tuple[Any, str], ...] = (
    (stat.S_ISDIR, "katalog"),
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "teckenenhet"),
    (stat.S_ISBLK, "blockenhet"),
    (stat.S_ISSOCK, "socket"),
)
# O_NONBLOCK: should a FIFO be swapped in between stat and open, open returns at once instead of
# waiting for a writer (fstat then refuses it); regular files ignore the flag. O_BINARY: no CRLF
# translation on Windows. Either is 0 where the platform lacks it.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


def _too_big(size: int) -> str:
    return f"filen är {size} byte; högst {MAX_BYTES} tillåts"


def _require_regular(path: Path, st: os.stat_result) -> None:
    """Refuse anything but a regular file, naming what it is (and where a link leads)."""
    if stat.S_ISREG(st.st_mode):
        return
    kind = next((name for test, name in _FILE_KINDS if test(st.st_mode)), "okänd filtyp")
    target = f": länken pekar på {os.path.realpath(path)}" if os.path.islink(path) else ""
    raise _Unreadable(f"är ingen vanlig fil ({kind}){target}; bara vanliga filer läses")


def _read_bounded(path: Path) -> bytes:
    """At most ``MAX_BYTES + 1`` bytes of a regular file; type and size are checked before reading."""
    try:
        # os.stat follows links: what counts is what a link points at (a link to /dev/zero is a device)
        st = os.stat(path)
        _require_regular(path, st)
        if st.st_size > MAX_BYTES:
            raise _Unreadable(_too_big(st.st_size))
        fd = os.open(path, _OPEN_FLAGS)
        try:
            # the path may have been replaced since stat; judge the file actually opened
            _require_regular(path, os.fstat(fd))
            chunks: list[bytes] = []
            left = MAX_BYTES + 1  # one byte more than allowed tells a file that grew after stat
            while left > 0:
                chunk = os.read(fd, min(left, _CHUNK))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise _Unreadable("filen finns inte") from None
    except OSError as exc:
        raise _Unreadable(f"kan inte läsa filen: {exc.strerror or exc}") from None


def load(path: Path, *, empty_message: str = EMPTY_RECORD) -> Source:
    """Load one YAML file. Problems are collected in ``Source.problems``; data is None if unreadable.

    Only a regular file of at most ``MAX_BYTES`` is read (see ``_read_bounded``); ``empty_message``
    is the problem reported when the file holds no value at all.
    """
    try:
        raw = _read_bounded(path)
    except _Unreadable as exc:
        return Source(path=path, data=None, problems=[Problem(path, 1, 1, "", str(exc))])
    return load_bytes(path, raw, empty_message=empty_message)


def load_bytes(path: Path, raw: bytes, *, empty_message: str = EMPTY_RECORD) -> Source:
    """Parse ``raw`` as the YAML file ``path`` without touching the disk (``path`` only names it in problems).

    Empty content (nothing, only comments, or only ``---``, ``~``, ``null``) is a problem with
    ``empty_message`` and data None, so no caller mistakes it for a valid, empty record.
    """
    src = Source(path=path, data=None, raw=raw)
    if len(raw) > MAX_BYTES:
        # reached when a file grew after stat (load reads MAX_BYTES + 1) or bytes came from elsewhere
        src.problems.append(Problem(path, 1, 1, "", f"filen är över {MAX_BYTES} byte; högst {MAX_BYTES} tillåts"))
        return src
    text = _decode(raw, src)
    if text is None:
        return src
    # NFC: a file saved on macOS may spell å as a + ring; keys must still match, text compare equal
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    _check_characters(text, src)
    if src.problems:
        return src
    # composing only: the C parser (ruamel.yaml.clib) is 16× faster than the pure one, and no
    # tag is resolved here, so YAML 1.1 vs 1.2 typing never comes into play
    yaml = YAML(typ="safe", pure=False)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        src.problems.append(Problem(path, line, col, "", f"ogiltig YAML: {exc.problem or exc.context}"))
        return src
    except (YAMLError, RecursionError) as exc:
        src.problems.append(Problem(path, 1, 1, "", f"ogiltig YAML: {exc}"))
        return src
    # no document, or a document that is only a null: one message for every spelling of "nothing",
    # since a None or {} passed on would validate as nothing at all or as a misleading "typ saknas"
    if node is None or (isinstance(node, ScalarNode) and not node.style and node.value in _NULLS):
        src.problems.append(Problem(path, 1, 1, "", empty_message))
        return src
    counter = [0]
    try:
        src.data = _build(node, (), src, counter, 0)
    except _TooBig as exc:
        src.problems.append(Problem(path, 1, 1, "", str(exc)))
        src.data = None
    return src


def _decode(raw: bytes, src: Source) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")  # a BOM says what it is; accept it
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        if b"\x00" in raw[:200]:
            hint = " (ser ut som UTF-16 utan BOM eller binärdata)"
        elif all(b < 0x80 or 0xC0 <= b for b in raw[exc.start : exc.start + 1]):
            hint = " (kanske Latin-1/Windows-1252: spara filen som UTF-8)"
        src.problems.append(Problem(src.path, line, 1, "", f"filen är inte UTF-8{hint}"))
        return None


def _check_characters(text: str, src: Source) -> None:
    for m in XML_ILLEGAL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        src.problems.append(
            Problem(src.path, line, col, "", f"otillåtet styrtecken U+{ord(m.group()):04X}; ta bort det "
                    "(klistras ofta in från Word)")
        )
        if len(src.problems) >= 20:
            break


def _build(node: Node, loc: Path_, src: Source, counter: list[int], depth: int) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _TooBig(f"YAML-dokumentet expanderar till över {MAX_NODES} värden (alias-bomb?); förenkla det")
    if depth > MAX_DEPTH:
        raise _TooBig(f"YAML-dokumentet är nästlat djupare än {MAX_DEPTH} nivåer")
    src.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, ScalarNode):
        # ruamel marks the fold points of a folded (>) scalar with BEL; real BELs were refused above
        value = node.value.replace("\a", "")
        if not node.style and value in _NULLS:
            return None
        bad = XML_ILLEGAL.search(value)  # written as an escape ("\v", "\0") in a quoted string
        if bad:
            src.problems.append(src.problem(loc, f"otillåtet styrtecken U+{ord(bad.group()):04X} (skrivet som "
                                                 "escape-sekvens); ta bort det"))
            value = XML_ILLEGAL.sub("", value)
        if INVISIBLE.search(value):
            src.problems.append(src.problem(loc, "osynliga tecken (nollbredd/riktningsstyrning) togs bort", "warning"))
            value = INVISIBLE.sub("", value)
        return value
    if isinstance(node, SequenceNode):
        return [_build(item, loc + (i,), src, counter, depth + 1) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                src.problems.append(src.problem(loc, "en nyckel måste vara text"))
                continue
            key = key_node.value
            if key == "<<":
                src.problems.append(src.problem(loc, "sammanslagning med '<<' stöds inte; skriv ut fälten"))
                continue
            kloc = loc + (key,)
            if key in out:
                first = src.positions.get(kloc, (0, 0))[0]
                src.problems.append(
                    Problem(src.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1, dotted(kloc),
                            f"nyckeln förekommer två gånger (första gången på rad {first})")
                )
                continue
            src.positions[kloc] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, kloc, src, counter, depth + 1)
        return out
    raise _TooBig(f"okänd YAML-nod {type(node).__name__}")  # pragma: no cover
