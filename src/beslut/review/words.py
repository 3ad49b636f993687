"""Word-level differences: text split into words, spaces and punctuation, compared with difflib.

A date, an amount or a diarienummer is one word ("2020-12-31", "5,5", "SON"), so a change never
shows inside a word: "2026" → "2027", never "202~~6~~7". Between two changes, a stretch that is
only spaces joins them: "~~a b~~ x y", not "~~a~~ x ~~b~~ y".
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Sequence
from typing import Literal

#: Words (with inner hyphens, dots, colons, commas and slashes: dates, amounts, ids), spaces, other characters.
TOKEN = re.compile(r"\s+|\w+(?:[-‐‑–./:,]\w+)*|\S")

WORD = re.compile(r"\w+(?:[-‐‑–./:,]\w+)*")
Op = Literal["equal", "delete", "insert"]


def tokens(text: str) -> list[str]:
    """``text`` as tokens that join back to it exactly."""
    return TOKEN.findall(text)


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable], space: Sequence[bool] | None = None,
            space_b: Sequence[bool] | None = None) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two token sequences, with whitespace-only equal stretches between two
    changes folded into them (``space``/``space_b`` say which tokens of a/b are spaces)."""
    ops = _trimmed_opcodes(a, b)
    if space is None or space_b is None or len(ops) < 3:
        return ops
    merged: list[tuple[str, int, int, int, int]] = []
    for i, op in enumerate(ops):
        tag, i1, i2, j1, j2 = op
        between = 0 < i < len(ops) - 1 and ops[i - 1][0] != "equal" and ops[i + 1][0] != "equal"
        if tag == "equal" and between and all(space[i1:i2]) and (i2 - i1) <= 1:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _, pi1, _, pj1, _ = merged[-1]
            merged[-1] = ("replace", pi1, i2, pj1, j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _trimmed_opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, the common beginning and end set aside first (an edit is usually local,
    and difflib is quadratic in what it has to look at)."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False).get_opcodes()
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle
            if (i1, i2, j1, j2) != (0, 0, 0, 0) or tag != "equal"]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # adjacent equal stretches (prefix and difflib's first) as one
        if merged and op[0] == "equal" and merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        elif op[1:] != (op[2], op[2], op[4], op[4]) or op[0] != "equal":
            merged.append(op)
    return merged


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The differences between two texts as (operation, text) pieces, word by word (equal, delete, insert)."""
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b, [t.isspace() for t in a], [t.isspace() for t in b]):
        if tag == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out


def similarity(old: str, new: str) -> float:
    """How alike two texts are by their words, 0 … 1."""
    a, b = WORD.findall(old.lower()), WORD.findall(new.lower())
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


__all__ = ["TOKEN", "opcodes", "similarity", "tokens", "word_diff"]
