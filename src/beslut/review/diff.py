"""The semantic diff: what changed in each record, field by field, not line by line.

Records are compared as parsed YAML (so re-indenting a file changes nothing): scalars as
old → new, prose word by word, lists of points item by item (added, removed, moved, reworded),
lists of sections and parties by their name. The result is plain data (``RecordDiff``), written
as text, Markdown or JSON by ``output.py``; a record that is invalid in one revision is still
compared as far as its YAML goes, and the problem is named.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ..yamlsource import load_bytes
from .words import similarity, word_diff

Kind = Literal["added", "removed", "changed", "reworded", "moved"]
PathItem = str | int

#: Keys that name an item in a list of mappings (a section by its heading, a party by its organ …).
_IDENTITY = ("instans", "post", "rubrik", "standard", "organ", "namn", "titel", "fil", "undertecknare")

#: How list items are called in labels: förslag points are "punkt", sections "avsnitt" …
_ITEM_WORD = {"punkter": "punkt", "avsnitt": "avsnitt", "ärenden": "ärende", "parter": "part",
              "beslutsunderlag": "underlag", "underskrifter": "underskrift", "tillägg": "tillägg",
              "ledamöter": "ledamot", "ersättare": "ersättare", "bilagor": "bilaga"}


@dataclass
class Change:
    """One difference inside a record: where (path and a Swedish label), what kind, old and new."""

    path: list[PathItem]
    label: str
    kind: Kind
    old: Any = None
    new: Any = None
    words: list[tuple[str, str]] | None = None  # for "reworded": (equal|delete|insert, text) pieces
    moved_from: int | None = None  # for "moved": the old position (1-based); the path has the new one

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON (the shape ``diff.schema.json`` describes)."""
        data: dict[str, Any] = {"path": self.path, "label": self.label, "kind": self.kind}
        if self.kind != "added":
            data["old"] = self.old
        if self.kind != "removed":
            data["new"] = self.new
        if self.words is not None:
            data["words"] = [{"op": op, "text": text} for op, text in self.words]
        if self.moved_from is not None:
            data["moved_from"] = self.moved_from
        return data


@dataclass
class RecordDiff:
    """What became of one record between two revisions."""

    status: Literal["added", "removed", "modified", "renamed"]
    old_path: str | None
    new_path: str | None
    typ: str = ""
    rubrik: str = ""
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems reading either side: "REV:path:line: message"

    @property
    def path(self) -> str:
        """The record's path in the newer revision (or the older one, if it was removed)."""
        return self.new_path or self.old_path or ""

    @property
    def id(self) -> str:
        return PurePosixPath(self.path).stem

    def to_data(self) -> dict[str, Any]:
        return {"path": self.path, "old_path": self.old_path, "new_path": self.new_path, "status": self.status,
                "id": self.id, "typ": self.typ, "rubrik": self.rubrik,
                "changes": [c.to_data() for c in self.changes], "errors": list(self.errors)}


def parse(path: str, data: bytes | None, rev_name: str) -> tuple[Any, list[str]]:
    """A record's plain YAML data (None if unreadable) and its problems as text naming the revision."""
    if data is None:
        return None, []
    src = load_bytes(Path(path), data)
    errors = [f"{rev_name}:{path}:{p.line}:{p.column}: {p.message}" for p in src.problems]
    return src.data, errors


def diff_record(old_path: str | None, old: Any, new_path: str | None, new: Any) -> RecordDiff:
    """Compare one record's plain data in two revisions (None: not there)."""
    if old_path is None:
        status: Any = "added"
    elif new_path is None:
        status = "removed"
    else:
        status = "renamed" if old_path != new_path else "modified"
    result = RecordDiff(status, old_path, new_path)
    side = new if isinstance(new, dict) else old if isinstance(old, dict) else {}
    result.typ = str(side.get("typ", "") or "")
    result.rubrik = str(side.get("rubrik") or "")
    if not result.rubrik and side.get("datum"):  # a meeting: its nämnd and date
        result.rubrik = " ".join(str(side[k]) for k in ("nämnd", "datum") if side.get(k))
    if status in ("added", "removed") or not (isinstance(old, dict) and isinstance(new, dict)):
        return result  # a side that is not a readable record: its errors say why, field by field says nothing
    context: dict[str, Any] = {"nämnd": str((new if isinstance(new, dict) else {}).get("nämnd", "") or ""),
                               "old": old, "new": new}
    _diff(old, new, [], result.changes, context)
    return result


def _diff(old: Any, new: Any, path: list[PathItem], out: list[Change], ctx: dict[str, Any]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(new) + [k for k in old if k not in new]
        for key in keys:
            sub = [*path, key]
            if key not in old:
                out.append(Change(sub, label(sub, ctx), "added", None, new[key]))
            elif key not in new:
                out.append(Change(sub, label(sub, ctx, side="old"), "removed", old[key], None))
            else:
                _diff(old[key], new[key], sub, out, ctx)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, out, ctx)
        return
    if isinstance(old, str) and isinstance(new, str) and (len(old.split()) > 1 or len(new.split()) > 1):
        out.append(Change(path, label(path, ctx), "reworded", old, new, words=word_diff(old, new)))
        return
    out.append(Change(path, label(path, ctx), "changed", old, new))


def _identity(item: Any, ctx: dict[str, Any]) -> Any:
    """What names a list item: a mapping by its naming key (a förslag by its instans), else its value."""
    if isinstance(item, dict):
        if "punkter" in item:  # förslag till beslut: one level per instans, the nämnd's own by default
            return ("instans", str(item.get("instans") or ctx.get("nämnd", "")))
        for key in _IDENTITY:
            if isinstance(item.get(key), str):
                return (key, item[key])
        return None
    if isinstance(item, (str, int, float, bool)) or item is None:
        return ("value", item)
    return None


def _diff_list(old: list, new: list, path: list[PathItem], out: list[Change], ctx: dict[str, Any]) -> None:
    ids_old = [_identity(x, ctx) for x in old]
    ids_new = [_identity(x, ctx) for x in new]
    keyed = all(isinstance(x, dict) for x in old + new) and None not in ids_old + ids_new \
        and len(set(ids_old)) == len(ids_old) and len(set(ids_new)) == len(ids_new)
    if keyed:  # sections, parties, förslag levels, ärenden: matched by name, wherever they stand
        where_old = {k: i for i, k in enumerate(ids_old)}
        common = [k for k in ids_new if k in where_old]
        order = [k for k in ids_old if k in set(common)]
        stay = _stable(order, common)
        for j, (k, item) in enumerate(zip(ids_new, new)):
            sub = [*path, j]
            if k not in where_old:
                out.append(Change(sub, label(sub, ctx), "added", None, item))
                continue
            i = where_old[k]
            if k not in stay:
                out.append(Change(sub, label(sub, ctx), "moved", None, None, moved_from=i + 1))
            _diff(old[i], item, sub, out, ctx)
        for i, (k, item) in enumerate(zip(ids_old, old)):
            if k not in set(ids_new):
                sub = [*path, i]
                out.append(Change(sub, label(sub, ctx, side="old"), "removed", item, None))
        return
    # points and other plain lists: aligned in order; a replaced item paired with its likeness
    removed: list[tuple[int, Any]] = []
    added: list[tuple[int, Any]] = []
    keys_old = [repr(x) for x in old]
    keys_new = [repr(x) for x in new]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        one_for_one = len(olds) == len(news) == 1
        while olds and news:  # pair in order those alike enough to be the same item reworded
            i, j = olds[0], news[0]
            if _alike(old[i], new[j], 0.3 if one_for_one else 0.5):
                _diff(old[i], new[j], [*path, j], out, ctx)
                olds.pop(0)
                news.pop(0)
            elif len(olds) > len(news):
                removed.append((olds.pop(0), old[i]))
            else:
                added.append((news.pop(0), new[j]))
        removed += [(i, old[i]) for i in olds]
        added += [(j, new[j]) for j in news]
    moved = []
    for j, item in list(added):  # the same item removed in one place and added in another: moved
        match = next(((i, x) for i, x in removed if x == item), None)
        if match is not None:
            removed.remove(match)
            added.remove((j, item))
            moved.append((j, match[0]))
    events = [(j, Change([*path, j], label([*path, j], ctx), "added", None, item)) for j, item in added]
    events += [(j, Change([*path, j], label([*path, j], ctx), "moved", None, None, moved_from=i + 1))
               for j, i in moved]
    events += [(i, Change([*path, i], label([*path, i], ctx, side="old"), "removed", item, None)) for i, item in removed]
    out.extend(c for _, c in sorted(events, key=lambda e: (e[0], e[1].kind != "removed")))


def _alike(a: Any, b: Any, threshold: float = 0.5) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return similarity(a, b) >= threshold
    if isinstance(a, dict) and isinstance(b, dict):
        return len(set(a) & set(b)) * 2 >= max(len(a), len(b))
    return type(a) is type(b)


def _stable(order: list, target: list) -> set:
    """The items that keep their relative order (a longest common subsequence): the others moved."""
    ops = difflib.SequenceMatcher(None, order, target, autojunk=False).get_matching_blocks()
    return {order[m.a + k] for m in ops for k in range(m.size)}


def label(path: list[PathItem], ctx: dict[str, Any], side: str = "new") -> str:
    """A Swedish name for a place in a record: "förslag till beslut (KS), punkt 2", "avsnitt 1 (Bakgrund), text".

    A list item that has a name (a section's rubrik, a party's organ) is named by it too; the
    names are looked up in the record's data on ``side`` ("new", or "old" for what was removed).
    """
    rest = list(path)
    parts: list[str] = []
    node = ctx.get(side)
    if rest and rest[0] == "förslag_till_beslut":
        head = "förslag till beslut"
        node = _step(node, rest[0])
        rest = rest[1:]
        if rest and isinstance(rest[0], int):
            level = _step(node, rest[0])
            name = level.get("instans") if isinstance(level, dict) else None
            name = str(name or ctx.get("nämnd", ""))
            head += f" ({name})" if name else f" (nivå {rest[0] + 1})"
            node = level
            rest = rest[1:]
        if rest and rest[0] == "punkter":
            node = _step(node, "punkter")
            rest = rest[1:]
            if rest and isinstance(rest[0], int):
                parts.append(head)
                head = f"punkt {rest[0] + 1}"
                node = _step(node, rest[0])
                rest = rest[1:]
        parts.append(head)
    previous: PathItem | None = None
    for step in rest:
        node = _step(node, step)
        if isinstance(step, int):
            word = f"{_ITEM_WORD.get(str(previous), 'punkt')} {step + 1}"
            if parts and previous is not None and parts[-1] == str(previous).replace("_", " ") \
                    and str(previous) in _ITEM_WORD:
                parts[-1] = word
            else:
                parts.append(word)
            ident = _identity(node, ctx) if isinstance(node, dict) and "punkter" not in node else None
            if ident and ident[0] != "value":
                parts[-1] += f" ({ident[1]})"
        else:
            parts.append(str(step).replace("_", " "))
        previous = step
    return ", ".join(parts)


def _step(node: Any, step: PathItem) -> Any:
    if isinstance(node, dict) and isinstance(step, str):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


__all__ = ["Change", "RecordDiff", "diff_record", "label", "parse"]
