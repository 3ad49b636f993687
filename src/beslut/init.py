"""A kommun's own repository: ``beslut init`` writes a complete project, ``templates export`` the templates.

Everything is gathered and checked before a file is written: the profile and the example
record are validated (``check --strict``) in a scratch folder first, so a project that
``init`` writes always builds. Each written file is reported as create, identical or skip
(a file already there with other content is kept, never overwritten, except by ``--force``
for the templates).
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import RecordError, UsageError
from .output import write_atomic
from .profile import PROFILE_FILE
from .project import RECORDS_DIR, TEMPLATES_DIR

#: The Dnr pattern a new project starts with: "BUN 2025-123".
DEFAULT_DNR_PATTERN = r"^[A-ZÅÄÖ]{1,5} \d{4}-\d{1,5}$"
#: Organs a new project gets when none are named: every kommun has these two.
DEFAULT_ORGANS = ("KS=Kommunstyrelsen", "KF=Kommunfullmäktige")
DEFAULT_FORVALTNING = "Kommunledningsförvaltningen"
EXAMPLE_RECORD = "exempel.yaml"

#: Files ``init`` writes: path in the project → file in ``beslut/projektmall`` (stored without a
#: leading dot: package data globs skip hidden files).
PROJECT_FILES = {
    PROFILE_FILE: "beslut.yaml",
    f"{RECORDS_DIR}/{EXAMPLE_RECORD}": "exempel.yaml",
    ".gitignore": "gitignore",
    ".gitattributes": "gitattributes",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".vscode/settings.json": "vscode-settings.json",
    ".github/workflows/beslut.yml": "github-workflow.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}


@dataclass(frozen=True)
class Organ:
    """A deciding organ as ``init`` writes it into the profile."""

    key: str
    namn: str
    genitiv: str


@dataclass(frozen=True)
class Settings:
    """What ``init`` asks: the kommun, its organs and förvaltningar, its Dnr pattern."""

    kommun: str
    ort: str
    organ: tuple[Organ, ...] = field(default_factory=lambda: tuple(parse_organ(o) for o in DEFAULT_ORGANS))
    förvaltningar: tuple[str, ...] = (DEFAULT_FORVALTNING,)
    dnr_mönster: str = DEFAULT_DNR_PATTERN


def genitive(name: str) -> str:
    """The genitive used in "Förslag till … beslut": "Barn- och utbildningsnämnden" → "barn- och utbildningsnämndens".

    The first letter is lowered unless the word is an abbreviation (two capitals: "IT-nämnden"
    stays); no s is added after s, x or z ("Valnämnden Mölndals" → "… Mölndals").
    """
    name = name.strip()
    if len(name) > 1 and not name[1].isupper():
        name = name[0].lower() + name[1:]
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def parse_organ(text: str) -> Organ:
    """"BUN=Barn- och utbildningsnämnden" (genitive derived) or "BUN=Barn- och utbildningsnämnden:barn- och
    utbildningsnämndens" (genitive given) → Organ. A malformed value is a UsageError."""
    key, sep, rest = text.partition("=")
    name, _, given = rest.partition(":")
    key, name, given = key.strip(), name.strip(), given.strip()
    if not sep or not key or not name:
        raise UsageError(f"--nämnd '{text}': skriv NYCKEL=Namn, t.ex. BUN=Barn- och utbildningsnämnden "
                         "(genitiv efter kolon om den inte ska härledas: BUN=Barn- och utbildningsnämnden:"
                         "barn- och utbildningsnämndens)")
    if not re.fullmatch(r"[A-ZÅÄÖa-zåäö][\wÅÄÖåäö-]{0,19}", key):
        raise UsageError(f"--nämnd '{text}': nyckeln '{key}' ska vara ett kort ord av bokstäver, t.ex. BUN")
    return Organ(key, name, given or genitive(name))


def guess_ort(kommun: str) -> str:
    """A first guess at the ort from the kommun's name ("Linköpings kommun" → "Linköping"), for a prompt's default."""
    stem = re.sub(r"\s+(kommun|stad)$", "", kommun.strip(), flags=re.I)
    return stem[:-1] if stem.endswith("s") and not stem.endswith("ss") and len(stem) > 3 else stem


def example_dnr(pattern: str, key: str, year: int) -> str | None:
    """A diarienummer for the example record that ``pattern`` accepts, or None if no usual shape fits."""
    shapes = [f"{key} {year}-1", f"{key} {year}-0001", f"{key} {year}/1", f"{key} {year}.1", f"{key}-{year}-1",
              f"{key}{year}-1", f"{year}-1", f"{year}/1", f"{key.upper()} {year}-1", f"{key} {year % 100:02d}-1"]
    compiled = re.compile(pattern)
    return next((s for s in shapes if compiled.search(s)), None)


def project_files(settings: Settings, today: dt.date | None = None) -> dict[str, bytes]:
    """Every file of a new project (path relative to its root → bytes), filled in from ``settings``.

    Raises UsageError for settings no project can be made from (no organ, a bad Dnr pattern).
    """
    today = today or dt.date.today()
    if not settings.kommun.strip() or not settings.ort.strip():
        raise UsageError("kommun och ort måste anges (--kommun, --ort)")
    if not settings.organ:
        raise UsageError("minst en nämnd måste anges (--nämnd NYCKEL=Namn)")
    keys = [o.key for o in settings.organ]
    if len(set(keys)) != len(keys):
        raise UsageError(f"nämndnyckeln {next(k for k in keys if keys.count(k) > 1)} anges två gånger")
    if not settings.förvaltningar:
        raise UsageError("minst en förvaltning måste anges (--förvaltning)")
    try:
        re.compile(settings.dnr_mönster)
    except re.error as exc:
        raise UsageError(f"--dnr-mönster '{settings.dnr_mönster}' är inget giltigt reguljärt uttryck: {exc}") from None
    first = settings.organ[0]
    dnr = example_dnr(settings.dnr_mönster, first.key, today.year)
    if dnr is None:
        raise UsageError(f"--dnr-mönster '{settings.dnr_mönster}' godtar inget vanligt diarienummer (som "
                         f"'{first.key} {today.year}-1'); exempelposten behöver ett – kontrollera mönstret")
    values = {
        "kommun": settings.kommun.strip(), "ort": settings.ort.strip(), "kommun_yaml": _yaml(settings.kommun.strip()),
        "ort_yaml": _yaml(settings.ort.strip()), "dnr_mönster_yaml": _quoted(settings.dnr_mönster),
        "dnr_exempel_yaml": _yaml(dnr),
        "organ": "".join(f"  {o.key}:\n    namn: {_yaml(o.namn)}\n    genitiv: {_yaml(o.genitiv)}\n" for o in settings.organ),
        "förvaltningar": "".join(f"  - {_yaml(f.strip())}\n" for f in settings.förvaltningar),
        "nämnd": first.key, "nämnd_namn": first.namn, "förvaltning": _yaml(settings.förvaltningar[0].strip()),
        "datum": today.isoformat(), "dnr": _yaml(dnr), "version": __version__,
    }
    mall = resources.files("beslut").joinpath("projektmall")
    return {target: _fill(mall.joinpath(name).read_text(encoding="utf-8"), values).encode("utf-8")
            for target, name in PROJECT_FILES.items()}


def init_project(target: Path, settings: Settings, today: dt.date | None = None) -> list[tuple[str, Path]]:
    """Write a new project into ``target`` (made if missing); returns (action, path) for each file.

    Refuses a folder that already holds a ``beslut.yaml``. The files are validated first, in a
    scratch folder: the profile loads and the example record passes ``check --strict``. A file
    already in ``target`` (a .gitignore of a fresh repository, say) is kept: "skip".
    """
    if (target / PROFILE_FILE).exists():
        raise UsageError(f"{target / PROFILE_FILE} finns redan: {target} är redan ett beslut-projekt")
    files = project_files(settings, today)
    _validate(files)
    report = []
    for rel, data in files.items():
        path = target / rel
        if path.exists() and not (path.is_file() and path.read_bytes() == data):
            report.append(("skip", path))
            continue
        report.append((write_atomic(path, data), path))
    return report


def _validate(files: dict[str, bytes]) -> None:
    """The profile loads and every record passes ``check --strict`` (a bug in beslut otherwise)."""
    from .build import check
    from .project import Project

    with tempfile.TemporaryDirectory(prefix="beslut-init-") as scratch:
        root = Path(scratch)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        try:
            result = check(Project.open(root))
        except RecordError as exc:
            raise UsageError(f"profilen blir ogiltig med de här uppgifterna:\n{_shorten_paths(str(exc), root)}") from None
        errors = result.errors(strict=True)
        if errors:
            raise UsageError("exempelposten blir ogiltig med de här uppgifterna:\n"
                             + _shorten_paths("\n".join(p.format() for p in errors), root))


def default_templates() -> Path:
    """The folder of the default templates packaged with beslut (a project's own templates/ override them)."""
    from . import render

    packaged = getattr(render, "default_templates", None)
    if packaged is not None:
        return Path(str(packaged()))
    return Path(str(resources.files("beslut").joinpath("templates")))


def export_templates(target: Path, *, force: bool = False, source: Path | None = None) -> list[tuple[str, Path]]:
    """Copy the default templates (or ``source``) into ``target``; returns (action, path) for each file.

    A file that is already there with other content is kept ("skip") unless ``force``
    ("overwrite"); an equal one is "identical". Nothing is written if the source is missing.
    """
    source = source or default_templates()
    files = sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if source.is_dir() else []
    if not files:
        raise UsageError(f"hittar inga standardmallar i {source}; installera om beslut")
    report = []
    for path in files:
        dest = target / path.relative_to(source)
        if dest.exists() and not force and not (dest.is_file() and dest.read_bytes() == path.read_bytes()):
            report.append(("skip", dest))
            continue
        report.append((write_atomic(dest, path.read_bytes()), dest))
    return report


def project_templates(start: Path | None = None) -> Path:
    """The templates folder of the project holding ``start`` (default the working folder): ``templates/``
    beside the nearest beslut.yaml. Outside a project a UsageError."""
    from .locate import find_profile

    found = find_profile(start or Path.cwd())
    if found is None:
        raise UsageError(f"hittar ingen profil ({PROFILE_FILE}) här eller i mappar ovanför; kör i projektet eller ange en mapp")
    return found.parent / TEMPLATES_DIR


def missing_settings(kommun: str | None, ort: str | None) -> list[str]:
    """The options that have no default and were not given (for one clear message naming all)."""
    return [name for name, value in (("--kommun", kommun), ("--ort", ort)) if not (value or "").strip()]


def organs(values: Iterable[str]) -> tuple[Organ, ...]:
    """Parse every --nämnd value (the defaults when none); all malformed ones are named at once."""
    parsed, errors = [], []
    for value in list(values) or list(DEFAULT_ORGANS):
        try:
            parsed.append(parse_organ(value))
        except UsageError as exc:
            errors.append(str(exc))
    if errors:
        raise UsageError("\n".join(errors))
    return tuple(parsed)


def split_list(text: str) -> Sequence[str]:
    """"a, b" → ["a", "b"] (what a prompt for several values returns)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _fill(text: str, values: dict[str, str]) -> str:
    # one pass, so a value that happens to contain "{ort}" is left as typed
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def _yaml(text: str) -> str:
    """A YAML scalar that reads back as ``text``: plain when that is safe, else single-quoted."""
    if re.fullmatch(r"[A-Za-zÅÄÖåäöÉéÜü][\w ,.()/&-]*[\w.)]|[A-Za-zÅÄÖåäö]", text) and ": " not in text and " #" not in text \
            and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n"):
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _shorten_paths(text: str, root: Path) -> str:
    return text.replace(str(root.resolve()) + "/", "").replace(str(root) + "/", "")


__all__ = ["DEFAULT_DNR_PATTERN", "Organ", "Settings", "default_templates", "export_templates", "genitive",
           "init_project", "parse_organ", "project_files", "project_templates"]

