"""``beslut new``: a valid draft with every section present and a comment on each."""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import RecordError, UsageError
from .kinds import get_kind
from .locate import find_profile
from .output import write_atomic
from .profile import Profile
from .records import PLACEHOLDER

#: The Dnr line the scaffolds were written with, before they had a ``{dnr}`` placeholder of their own.
_LEGACY_DNR = "{dnr_prefix} XXXX-XXX"
#: Digits in a Dnr placeholder: at least three, so that ``records.PLACEHOLDER`` (X{3,}) recognises them.
_MIN_XS = 3
#: Longest run of X written for one unbounded repetition (\d+, \d{2,}).
_MAX_XS = 4

_SCHEMA_LINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Answers:
    """What the writer said about the new record (None: the scaffold's own placeholder)."""

    nämnd: str | None = None
    rubrik: str | None = None
    handläggare: str | None = None
    förvaltning: str | None = None


def new_record(kind: str, target: Path, profile: Profile, answers: Answers | None = None) -> str:
    """Write the scaffold for ``kind`` to ``target``, filled in from ``profile``; returns the action.

    The draft names the organ and förvaltning given in ``answers`` (default the profile's first)
    and lists every standard section: required ones with a placeholder text, the others commented
    out, ready to use. Its Dnr is a placeholder shaped like the profile's own (``dnr_placeholder``).
    A rubrik and handläggare given replace the scaffold's placeholders, as literal YAML text.
    """
    answers = answers or Answers()
    found = get_kind(kind)
    if found is None or found.scaffold is None:
        raise UsageError(f"ingen mall för '{kind}'")
    if not profile.organ:
        raise UsageError("profilen har inga organ: lägg till minst en nämnd under 'organ' i beslut.yaml")
    if answers.nämnd is not None and answers.nämnd not in profile.organ:
        raise UsageError(f"nämnden '{answers.nämnd}' finns inte i profilen; välj en av: {', '.join(profile.organ)}")
    if answers.förvaltning is not None and profile.förvaltningar and answers.förvaltning not in profile.förvaltningar:
        raise UsageError(f"förvaltningen '{answers.förvaltning}' finns inte i profilen; välj en av: "
                         f"{', '.join(profile.förvaltningar)}")
    text = resources.files("beslut").joinpath("scaffolds", found.scaffold).read_text(encoding="utf-8")
    organ = answers.nämnd or next(iter(profile.organ))
    sections = []
    for key, section in profile.standardavsnitt.items():
        prefix = "" if section.obligatorisk else "# "
        note = "krävs" if section.obligatorisk else "valfritt"
        sections.append(f"  {prefix}- standard: {key}    # {section.rubrik} ({note})\n"
                        f"  {prefix}  text: |\n  {prefix}    …\n")
    förvaltning = answers.förvaltning or (profile.förvaltningar[0] if profile.förvaltningar else "")
    values = {"nämnd": organ, "förvaltning": _yaml_text(förvaltning) if förvaltning else "",
              "dnr_prefix": organ, "dnr_mönster": profile.dnr_mönster, "organ": ", ".join(profile.organ),
              "standardavsnitt": "".join(sections), "dnr": _yaml_text(dnr_placeholder(profile)),
              "till": _deciding_organ(profile, organ)}
    text = _schema_line(text, target)
    text = text.replace(_LEGACY_DNR, "{dnr}")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    if answers.rubrik:
        text = re.sub(r"(?m)^rubrik: .*$", lambda _: "rubrik: " + _yaml_text(answers.rubrik or ""), text, count=1)
    if answers.handläggare:  # the handläggare's (or föredragande's) name, the first placeholder name
        text = re.sub(r"(?m)^(\s*)namn: Förnamn Efternamn$", lambda m: f"{m.group(1)}namn: "
                      f"{_yaml_text(answers.handläggare or '')}", text, count=1)
    return write_atomic(target, text.encode("utf-8"))


def suggested_path(folder: Path, kind: str, profile: Profile, answers: Answers, year: int) -> Path:
    """The next free file name for a new record: "<nämnd>-<år>-<rubrik i ord>.yaml" when there is a
    rubrik, else "nytt-<typ>.yaml"; "-2", "-3" … when the name is taken."""
    if answers.rubrik:
        organ = (answers.nämnd or next(iter(profile.organ), "")).lower()
        words = unicodedata.normalize("NFKD", answers.rubrik.lower()).encode("ascii", "ignore").decode()
        slug = "-".join(re.findall(r"[a-z0-9]+", words))[:48].rstrip("-")
        stem = "-".join(part for part in (_slug(organ), str(year), slug) if part)
    else:
        stem = f"nytt-{_slug(kind)}"
    candidate, n = folder / f"{stem}.yaml", 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{stem}-{n}.yaml"
    return candidate


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


def _schema_line(text: str, target: Path) -> str:
    """Point the scaffold's ``# yaml-language-server: $schema=`` line at the project's
    ``build/schema.json`` from where the record is written (records may sit in sub-folders)."""
    first, sep, rest = text.partition("\n")
    if not first.startswith(_SCHEMA_LINE):
        return text
    profile = find_profile(target.parent if target.parent.exists() else Path.cwd())
    if profile is None:
        return text
    schema = os.path.relpath(profile.parent / "build" / "schema.json", target.parent.resolve())
    return f"{_SCHEMA_LINE}{Path(schema).as_posix()}{sep}{rest}"


def dnr_placeholder(profile: Profile) -> str:
    """A Dnr for a draft that reads like the profile's pattern with its digits as X: '^BUN\\.\\d{4}\\.\\d{3}$' →
    'BUN.XXXX.XXX', '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$' → 'SON XXXX-XXX' (letters become the first organ's key).

    When the pattern is beyond that (look-arounds, back-references), the profile's ``dnr_exempel`` with its
    digits turned into X is used, and else '<organ> XXXX-XXX'. The result always holds a placeholder that
    ``beslut check`` recognises (X{3,}), so the draft is checked with a warning, never refused.
    """
    organ = next(iter(profile.organ), "DNR")
    candidates = []
    shaped = _shape(profile.dnr_mönster, organ)
    if shaped is not None and _matches(profile, shaped[0]):
        candidates.append(shaped[1])
    if profile.dnr_exempel and _matches(profile, profile.dnr_exempel):  # an example that does not match is no model
        candidates.append(re.sub(r"\d", "X", profile.dnr_exempel))
    candidates.append(f"{organ} XXXX-XXX")
    return next(c for c in candidates if PLACEHOLDER.search(c) and "\n" not in c)


def _matches(profile: Profile, value: str) -> bool:
    try:
        return profile.dnr_matches(value)
    except RecordError:  # a pattern too slow to try: nothing shaped by it is worth showing
        return False


def _yaml_text(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly that text (plain when it safely can be)."""
    if re.fullmatch(r"[\w][\w .,/§()-]*", value) and not value.endswith(" "):
        return value
    return "'" + value.replace("'", "''") + "'"


def _shape(pattern: str, organ: str) -> tuple[str, str] | None:
    """One string ``pattern`` accepts (digits as '1') and the same with its digits as 'X'; None if unsure."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]  # the stdlib's own parse tree
        pieces = _pieces(list(parsed), organ)
    except Exception:  # noqa: BLE001 - a private API, and a pattern may use what we do not follow
        return None
    if pieces is None:
        return None
    return "".join(p[0] for p in pieces), "".join(p[1] for p in pieces)


_Piece = tuple[str, str]


def _pieces(items: list[Any], organ: str) -> list[_Piece] | None:
    out: list[_Piece] = []
    for item in items:
        piece = _piece(item, organ)
        if piece is None:
            return None
        out.extend(piece)
    return out


def _piece(item: tuple[Any, Any], organ: str) -> list[_Piece] | None:
    """What one parse-tree item contributes: (sample, shown) pairs; a digit is ('1', 'X')."""
    from re import _constants as c  # type: ignore[attr-defined]
    op, av = item
    if op is c.LITERAL:
        return [(chr(av), chr(av))]
    if op is c.AT:
        return []
    if op is c.IN:
        one = _class_char(av)
        return None if one is None else [one]
    if op is c.SUBPATTERN:
        return _pieces(list(av[-1]), organ)
    if op is c.BRANCH:
        branches = [_pieces(list(b), organ) for b in av[1]]
        # the branch that spells the organ (SON|KS|KF), else the first one we can follow
        for branch in branches:
            if branch is not None and "".join(p[0] for p in branch) == organ:
                return branch
        return next((b for b in branches if b is not None), None)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        high = low + _MAX_XS if high is c.MAXREPEAT else high
        unit = _pieces(list(sub), organ)
        if unit is None:
            return None
        if unit == [("1", "X")]:
            return unit * max(low, min(high, max(_MIN_XS, min(low, _MAX_XS))))
        if len(unit) == 1 and unit[0][0].isalpha() and _letters_fit(sub, organ) and low <= len(organ) <= high:
            return [(organ, organ)]
        return unit * max(low, 1 if high >= 1 else 0)
    return None


def _class_char(members: list[tuple[Any, Any]]) -> _Piece | None:
    """A character a class [...] accepts: a digit where it takes digits, else its first letter or literal."""
    from re import _constants as c  # type: ignore[attr-defined]
    if members and members[0][0] is c.NEGATE:
        return None
    for op, av in members:
        if (op is c.CATEGORY and av == c.CATEGORY_DIGIT) or (op is c.RANGE and av[0] <= ord("1") <= av[1]):
            return ("1", "X")
    for op, av in members:
        if op is c.LITERAL:
            return (chr(av), chr(av))
        if op is c.RANGE:
            return (chr(av[0]), chr(av[0]))
        if op is c.CATEGORY and av == c.CATEGORY_WORD:
            return ("A", "A")
        if op is c.CATEGORY and av == c.CATEGORY_SPACE:
            return (" ", " ")
    return None


def _letters_fit(sub: Any, organ: str) -> bool:
    """Whether every character of ``organ`` is accepted by the single class in ``sub``."""
    return all(re.fullmatch(_class_source(sub), ch) for ch in organ)


def _class_source(sub: Any) -> str:
    """A regular expression for the class [...] in a parse tree ``sub`` (only ranges, literals and \\w)."""
    from re import _constants as c  # type: ignore[attr-defined]
    (op, members), = list(sub)
    if op is not c.IN:
        return "(?!)"
    parts = []
    for mop, av in members:
        if mop is c.LITERAL:
            parts.append(re.escape(chr(av)))
        elif mop is c.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif mop is c.CATEGORY and av == c.CATEGORY_WORD:
            parts.append("\\w")
        else:
            return "(?!)"
    return "[" + "".join(parts) + "]"


def _deciding_organ(profile: Profile, own: str) -> str:
    """The organ an utlåtande goes to in a draft: KF if the profile has it, else its last other organ."""
    if "KF" in profile.organ and own != "KF":
        return "KF"
    return next((key for key in reversed(list(profile.organ)) if key != own), own)
