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

import errno
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

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


#: The operating system's reasons, in Swedish (its own text is English, or in the server's locale).
_OS_ERRORS = {
    errno.EACCES: "behörighet saknas", errno.EPERM: "åtgärden är inte tillåten", errno.ELOOP: "för många "
    "symboliska länkar i rad (en slinga?)", errno.ENAMETOOLONG: "sökvägen är för lång", errno.ENOTDIR: "en del av "
    "sökvägen är ingen mapp", errno.EISDIR: "är en mapp", errno.EIO: "läsfel på disken", errno.ENOENT: "finns inte",
    errno.EMFILE: "för många öppna filer", errno.ENXIO: "enheten finns inte", errno.EAGAIN: "inte tillgänglig just nu",
}


def os_error_text(exc: OSError) -> str:
    """Why an operation on a file failed, in Swedish (the errno name when we have no words for it)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    return f"systemfel {errno.errorcode.get(exc.errno or 0, exc.errno)}"


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
        raise _Unreadable(f"kan inte läsa filen: {os_error_text(exc)}") from None


def read_bounded(path: Path) -> bytes | None:
    """The bytes of a regular file of at most ``MAX_BYTES`` (as ``load`` reads them), or None if it
    is not one or cannot be read: never blocks on a FIFO or device, never reads without bound."""
    try:
        raw = _read_bounded(path)
    except _Unreadable:
        return None
    return raw if len(raw) <= MAX_BYTES else None


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
    try:
        node = _composer().compose(text)
    except MarkedYAMLError as exc:
        line, col, message = explain_yaml_error(exc, text)
        src.problems.append(Problem(path, line, col, "", f"ogiltig YAML: {message}"))
        return src
    except RecursionError:
        src.problems.append(Problem(path, 1, 1, "", f"YAML-dokumentet är nästlat djupare än {MAX_DEPTH} nivåer"))
        return src
    except YAMLError:
        src.problems.append(Problem(path, 1, 1, "", "ogiltig YAML: filen kan inte tolkas; kontrollera citattecken, "
                                                    "kolon och indrag"))
        return src
    # no document, or a document that is only a null: one message for every spelling of "nothing",
    # since a None or {} passed on would validate as nothing at all or as a misleading "typ saknas"
    if node is None or (isinstance(node, ScalarNode) and not node.style and node.value in _NULLS):
        src.problems.append(Problem(path, 1, 1, "", empty_message))
        return src
    counter = [0]
    try:
        src.data = _build(node, (), src, counter, 0, text.split("\n"))
    except _TooBig as exc:
        src.problems.append(Problem(path, 1, 1, "", str(exc)))
        src.data = None
    return src


def _decode(raw: bytes, src: Source) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")  # a BOM says what it is; accept it
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            src.problems.append(Problem(src.path, line, 1, "", "filen börjar som UTF-16 men är trasig (avkortad eller "
                                                               "med ogiltiga tecken); spara den som UTF-8"))
            return None
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


def _swallowed_lines(node: ScalarNode, loc: Path_, src: Source, lines: list[str]) -> None:
    """Warn when a quoted value runs over lines that look like keys: its closing quote is most likely missing."""
    start, end = node.start_mark.line, node.end_mark.line
    keys = [lines[i].strip() for i in range(start + 1, min(end, len(lines) - 1) + 1) if _BARE_KEY.match(lines[i])]
    if not keys:
        return
    quote = node.style
    shown = ", ".join(f"'{k.split(':', 1)[0]}:'" for k in keys[:3])
    src.problems.append(Problem(
        src.path, start + 1, node.start_mark.column + 1, dotted(loc),
        f"citattecknet {quote} här stängs först på rad {end + 1}, så raderna med {shown} blev en del av texten; "
             f"saknas ett avslutande {quote} på rad {start + 1}?", "warning"))


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


_local = threading.local()


def _composer() -> YAML:
    """This thread's YAML composer, made once: making one looks for ruamel's plug-ins on disk (a
    glob of its package folder), which was a tenth of checking a record.

    Composing only: the C parser (ruamel.yaml.clib) is 16× faster than the pure one, and no tag
    is resolved here, so YAML 1.1 vs 1.2 typing never comes into play.
    """
    yaml = getattr(_local, "yaml", None)
    if yaml is None:
        yaml = _local.yaml = YAML(typ="safe", pure=False)
        yaml.Resolver = _Untyped  # values are built as text: resolving each scalar's tag is wasted work
    yaml.doc_infos.clear()  # ruamel notes each document read here; reused, the list would only grow
    return yaml


class _Untyped(VersionedResolver):
    """A resolver that gives every node its plain tag (str, seq, map) without trying YAML 1.1/1.2's
    implicit types: ``_build`` reads scalars as text and explicit tags from the source, so the
    resolution ruamel does per scalar (about half of composing a record) has no use here."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"


def _build(node: Node, loc: Path_, src: Source, counter: list[int], depth: int, lines: list[str]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _TooBig(f"YAML-dokumentet expanderar till över {MAX_NODES} värden (alias-bomb?); förenkla det")
    if depth > MAX_DEPTH:
        raise _TooBig(f"YAML-dokumentet är nästlat djupare än {MAX_DEPTH} nivåer")
    src.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    first = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
    if first[node.start_mark.column:node.start_mark.column + 1] == "!":
        # an explicit tag ('!Viktigt! Läs', '!!binary …') would silently drop or reinterpret part of the text
        tag = first[node.start_mark.column:].split()[0]
        fix = _quote_fix(first, node.start_mark.column)
        src.problems.append(Problem(src.path, node.start_mark.line + 1, node.start_mark.column + 1, dotted(loc),
                                    f"'{tag}' i början av värdet är en YAML-tagg, inte text; sätt värdet inom "
                                    f"citattecken{': ' + fix if fix else ''}"))
    if isinstance(node, ScalarNode):
        if node.style in ('"', "'") and node.end_mark.line > node.start_mark.line:
            _swallowed_lines(node, loc, src, lines)
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
        return [_build(item, loc + (i,), src, counter, depth + 1, lines) for i, item in enumerate(node.value)]
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
            out[key] = _build(value_node, kloc, src, counter, depth + 1, lines)
        return out
    raise _TooBig(f"okänd YAML-nod {type(node).__name__}")  # pragma: no cover


# --- ruamel's parse errors, explained in Swedish -------------------------------------------------------------
#
# ruamel reports where the parser gave up, in English, which is often lines after the mistake (an unclosed quote
# is noticed at the end of the file). Each explanation below names the likely mistake, at the place to fix it,
# and where it can, shows the line as it should be written.

# "key: value" at the start of a line (after any "- " list markers); the key is plain text without ': '
_KEY_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#'\"\[\]{}&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?):(?:\s+|$)")
# a line that is only a key as records spell them (no spaces): prose in a quoted value rarely looks like this
_BARE_KEY = re.compile(r"^\s*(?:-\s+)?[a-zåäö_][a-zåäö0-9_-]*:(?:\s|$)")
_RECORD_KEY = re.compile(r"^[a-zåäö_][a-zåäö0-9_-]*$")
_SPECIAL_START = {"@": "'@'", "`": "'`'", "%": "'%'", "*": "'*' (alias)", "&": "'&' (ankare)", "!": "'!' (tagg)",
                  "[": "'[' (lista)", "{": "'{' (mappning)", "|": "'|' (textblock)", ">": "'>' (textblock)",
                  "]": "']'", "}": "'}'", ",": "','"}


def _quoted(value: str) -> str:
    """``value`` as one YAML scalar that reads back as exactly that text."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _split_comment(value: str) -> tuple[str, str]:
    """A plain value and its trailing comment (' # …'), which YAML does not count as text."""
    m = re.search(r"\s+#", value)
    return (value[: m.start()], value[m.start():]) if m else (value.rstrip(), "")


def _quote_fix(line: str, column: int) -> str | None:
    """The line with the value that holds ``column`` (0-based) quoted, or None if it has no ``key: value`` shape.

    In a list item whose text before the colon is not a record key (``- Svar: två``), the whole item is text.
    """
    key = _KEY_LINE.match(line)
    if key is None or key.end() > column:
        item = re.match(r"^(\s*-\s+)(.+)$", line)
        if item is None:
            return None
        value, comment = _split_comment(item.group(2))
        return f"{item.group(1).strip()} {_quoted(value)}{comment}"
    lead, name = key.group("lead"), key.group("key")
    if lead.strip() and not _RECORD_KEY.match(name.strip()):
        value, comment = _split_comment(line[len(lead):])
        return f"{lead.strip()} {_quoted(value)}{comment}"
    value, comment = _split_comment(line[key.end():])
    return f"{line[:key.end()].strip()} {_quoted(value)}{comment}"


def _unclosed_quote(text: str, lines: list[str], problem: Any) -> tuple[int, int, str] | None:
    """An opening quote whose value runs over several lines up to where parsing failed: the likely real mistake.

    A quoted value may span lines in YAML, so a missing closing quote swallows the lines after it until the next
    quote (or the end of the file), and the parser fails only there.
    """
    last = None
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if getattr(event, "style", None) in ('"', "'"):
                last = event
    except (YAMLError, RecursionError):
        pass
    if last is None or last.end_mark.line == last.start_mark.line:
        return None
    if problem is not None and (last.end_mark.line, last.end_mark.column) > (problem.line, problem.column):
        return None
    if problem is not None and problem.line - last.end_mark.line > 1:
        return None
    return _quote_message(lines, last.start_mark.line, last.start_mark.column, problem and problem.line + 1)


def _quote_message(lines: list[str], line: int, column: int, noticed: int | None) -> tuple[int, int, str]:
    """The message for the quote opened at ``line``/``column`` (0-based) that is not closed on its line."""
    quote = lines[line][column] if column < len(lines[line]) else '"'
    fixed = lines[line].rstrip() + quote
    where = f" (felet märks först på rad {noticed})" if noticed and noticed != line + 1 else ""
    return (line + 1, column + 1,
            f"citattecknet {quote} som öppnas här stängs aldrig på samma rad{where}; avsluta värdet med {quote}: "
            f"{fixed.strip()}")


def explain_yaml_error(exc: MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column (1-based) and a Swedish explanation with a fix for one of ruamel's parse errors."""
    lines = text.split("\n")
    problem, context = exc.problem_mark, exc.context_mark
    what = f"{exc.context or ''} {exc.problem or ''}"
    mark = problem or context
    line, col = (mark.line, mark.column) if mark else (0, 0)
    here = lines[line] if line < len(lines) else ""
    char = here[col] if col < len(here) else ""

    def at(message: str, ln: int = line, cl: int = col) -> tuple[int, int, str]:
        return ln + 1, cl + 1, message

    if "while scanning a quoted scalar" in what and "end of stream" in what and context is not None:
        return _quote_message(lines, context.line, context.column, problem.line + 1 if problem else None)
    if "found unknown escape character" in what or "expected hexdecimal number" in what:
        key = _KEY_LINE.match(here)
        fixed = f" eller skriv: {here[:key.end()].strip()} {_quoted(here[key.end():].strip()[1:-1])}" if key else ""
        slash = here.rfind("\\", 0, col + 1)
        escaped = here[slash + 1:slash + 2] if slash >= 0 else char
        return at(f"okänd escape-sekvens '\\{escaped}' inom dubbla citattecken; skriv '\\\\' för ett bakstreck{fixed}",
                  line, slash if slash >= 0 else col)
    unclosed = _unclosed_quote(text, lines, problem)
    if unclosed is not None:
        return unclosed
    if "tab character" in what or char == "\t":
        return at("tabbtecken får inte användas för indrag i YAML; dra in med mellanslag")
    if "mapping values are not allowed" in what:
        return _colon_in_value(lines, line, col)
    if "block sequence entries are not allowed" in what:
        fix = _quote_fix(here, col)
        return at("'- ' mitt på en rad startar ingen lista; skriv listposten på en egen rad med indrag"
                  + (f", eller sätt värdet inom citattecken: {fix}" if fix else ""))
    if any(k in what for k in ("found character that cannot start any token", "did not find expected tag URI",
                               "while scanning an alias", "while scanning an anchor", "undefined alias",
                               "while scanning a tag")) or ("expected node content" in what and char in _SPECIAL_START):
        start = char if char in _SPECIAL_START else (here[col - 1] if col and here[col - 1] in _SPECIAL_START else char)
        if any(k in what for k in ("while parsing a tag", "while scanning a tag", "while scanning an alias",
                                   "while scanning an anchor")):
            if context is not None:
                line, col = context.line, context.column
                here = lines[line]
                start = here[col] if col < len(here) else start
        fix = _quote_fix(here, col)
        name = _SPECIAL_START.get(start, f"'{start}'")
        if col == _indent(here) and _KEY_LINE.match(here[col + 1:]):
            return at(f"en nyckel kan inte börja med {name}, som är YAML-syntax; ta bort tecknet", line, col)
        return at(f"ett värde kan inte börja med {name}, som är YAML-syntax"
                  + (f"; sätt värdet inom citattecken: {fix}" if fix else "; sätt värdet inom citattecken"), line, col)
    if "expected ',' or ']'" in what or "expected ',' or '}'" in what:
        bracket, closing = ("[", "]") if "]" in what else ("{", "}")
        if context is not None:
            opened = lines[context.line]
            fix = _quote_fix(opened, context.column)
            return at(f"'{bracket}' som öppnas här stängs inte (saknas '{closing}' eller ett kommatecken? felet märks på "
                      f"rad {line + 1}); är värdet text, sätt det inom citattecken" + (f": {fix}" if fix else ""),
                      context.line, context.column)
    if "did not find expected key" in what or "did not find expected '-' indicator" in what:
        return _unexpected_line(lines, line, col, context, "'-' indicator" in what)
    if "could not find expected ':'" in what and context is not None:
        start = lines[context.line]
        return at(f"raden '{start.strip()}' är varken 'nyckel: värde' eller en listpost ('- …'); saknas ':' efter "
                  "nyckeln, eller hör texten till värdet ovanför (ge den i så fall indrag under värdet, eller "
                  "använd '|' för text över flera rader)?", context.line, _indent(start))
    if "expected <document start>" in what:
        top = next((i for i, t in enumerate(lines) if t.strip() and not t.lstrip().startswith(("#", "---"))), 0)
        return at(f"fel indrag: raden står i kolumn {_indent(here) + 1}, men posten börjar i kolumn "
                  f"{_indent(lines[top]) + 1} (rad {top + 1}); nycklar på samma nivå ska börja i samma kolumn",
                  line, _indent(here))
    if "found another document" in what:
        return at("filen innehåller flera YAML-dokument (en rad '---' efter början); en post är ett dokument: ta "
                  "bort raden '---' eller dela upp filen")
    if "found duplicate anchor" in what:
        first = f" (första gången på rad {context.line + 1})" if context is not None else ""
        return at(f"ankaret '{here[col:].split()[0] if here[col:].split() else '&'}' finns redan{first}; "
                  "ett värde som börjar med '&' ska stå inom citattecken")
    if "while scanning a block scalar" in what:
        return at("efter '|' eller '>' får bara '-', '+' eller en siffra stå på raden; skriv texten på raderna under, "
                  "med indrag")
    if "incompatible YAML document" in what or "directive" in what:
        return at("YAML-direktivet (en rad som börjar med '%') stöds inte; ta bort raden")
    return at("filen kan inte tolkas här; kontrollera citattecken, kolon och indrag")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _colon_in_value(lines: list[str], line: int, col: int) -> tuple[int, int, str]:
    """A ': ' where no key can start: mid-value, or a key line that YAML reads as part of the value above."""
    here = lines[line]
    key = _KEY_LINE.match(here)
    if key is not None and key.end() <= col:
        fix = _quote_fix(here, col)
        return (line + 1, col + 1,
                "kolon följt av mellanslag mitt i ett värde läses som en ny nyckel; sätt värdet inom citattecken: "
                f"{fix}")
    # the key on this line continues a plain value begun on a line above
    above = next((i for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                 None)
    if above is not None:
        glued = re.match(r"^(\s*(?:-\s+)*)([^\s:#'\"][^:#\s]*):(\S.*)$", lines[above])
        if glued is not None:
            fixed = f"{glued.group(1).strip()} {glued.group(2)}: {glued.group(3)}".strip()
            return (above + 1, len(glued.group(1)) + len(glued.group(2)) + 1,
                    f"mellanslag saknas efter kolon, så raden läses som text och nästa rads nyckel blir fel; skriv: {fixed}")
        return (line + 1, _indent(here) + 1,
                f"raden är mer indragen än nycklarna ovanför och läses som en fortsättning på värdet på rad {above + 1}; "
                "ge nycklar på samma nivå samma indrag")
    return (line + 1, col + 1, "kolon följt av mellanslag är inte tillåtet här; sätt värdet inom citattecken")


def _unexpected_line(lines: list[str], line: int, col: int, context: Any, in_list: bool) -> tuple[int, int, str]:
    """A line that fits neither the mapping (or list) it stands in: a list item among keys, text after a
    closed value, or an indent that matches no level above."""
    here = lines[line] if line < len(lines) else ""
    opened = f" (rad {context.line + 1})" if context is not None else ""
    if in_list:
        return (line + 1, col + 1,
                f"en nyckel står bland listposterna i listan ovan{opened}; börja raden med '- ' om den är en ny post, "
                "eller dra in den lika långt som nycklarna i posten ovanför")
    if here[col:col + 2] in (":", ": "):
        return (line + 1, col + 1, "nyckeln saknas före ':'; skriv 'nyckel: värde'")
    if here[col:col + 1] == "-" and here[col + 1:col + 2] in ("", " "):
        return (line + 1, col + 1,
                f"en listpost ('- …') står bland nycklarna i mappningen{opened}; en lista hör till en nyckel utan eget "
                "värde och skrivs under den (t.ex. 'punkter:' och sedan '  - …')")
    if col > _indent(here):
        before = here[:col].rstrip()[-1:]
        key = _KEY_LINE.match(here)
        fix = _quote_fix(here, col) if key is not None else None
        if before in ("\"", "'"):
            what = "text efter det avslutande citattecknet hör inte till värdet"
        elif before == "]":
            what = "ett värde som börjar med '[' läses som en lista"
        elif before == "}":
            what = "ett värde som börjar med '{' läses som en mappning"
        else:
            what = "texten passar inte in här"
        return (line + 1, col + 1, f"{what}; sätt hela värdet inom citattecken" + (f": {fix}" if fix else ""))
    column = f"; mappningen{opened} har sina nycklar i kolumn {context.column + 1}" if context is not None else ""
    return (line + 1, col + 1,
            f"fel indrag: raden står i kolumn {col + 1} och passar inte under någon nyckel ovanför{column}; nycklar på "
            "samma nivå ska börja i samma kolumn")


def strings(data: Any, loc: Path_ = (), keys: bool = False) -> Iterator[tuple[Path_, str]]:
    """Every string in plain YAML data with where it stands; with ``keys`` the mapping keys too
    (a profile's organ keys are printed in places)."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if keys:
                yield loc + (key,), str(key)
            yield from strings(value, loc + (key,), keys)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, loc + (i,), keys)
