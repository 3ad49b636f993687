"""A project: one kommun's repository of decisions, found once and passed everywhere.

The conventions live here and nowhere else: the profile ``beslut.yaml`` at the root, records
under ``decisions/``, templates under ``templates/``, outputs under ``build/``. A ``Project`` is
frozen and picklable, so worker processes get the same one.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .locate import PROFILE_FILE, find_profile
from .profile import Profile, load_profile

RECORDS_DIR = "decisions"
TEMPLATES_DIR = "templates"
OUTPUT_DIR = "build"
FORMATS = ("docx", "pdf", "html")
PDF_ENGINES = ("typst", "libreoffice")
RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Options:
    """How documents are made: which formats, which PDF engine, whether warnings fail a record."""

    formats: tuple[str, ...] = FORMATS
    pdf_engine: str = "typst"
    strict: bool = False

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise UsageError(f"okänt format {', '.join(unknown) or '(inget)'}; välj bland {', '.join(FORMATS)}")
        if self.pdf_engine not in PDF_ENGINES:
            raise UsageError(f"okänd PDF-motor '{self.pdf_engine}'; välj bland {', '.join(PDF_ENGINES)}")
        # one order, whatever order they were asked in: fingerprints and outputs do not depend on it
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in self.formats))

    def key(self) -> str:
        """The options as text, part of every record's fingerprint."""
        return f"{','.join(self.formats)}|{self.pdf_engine}|strict={self.strict}"


def parse_formats(text: str) -> tuple[str, ...]:
    """"docx, pdf" → ("docx", "pdf"); an unknown or empty list is a UsageError."""
    wanted = tuple(f.strip() for f in text.split(",") if f.strip())
    return Options(formats=wanted).formats


@dataclass(frozen=True)
class Project:
    """Where everything is: root, profile, templates, records and outputs, and the build options."""

    root: Path
    profile: Profile
    templates: Path
    records: Path
    output: Path
    options: Options = Options()

    @classmethod
    def open(cls, start: Path | None = None, *, profile: Path | None = None, output: Path | None = None,
             options: Options | None = None) -> Project:
        """The project that holds ``start`` (default the working folder): the nearest ``beslut.yaml``
        at or above it, or the profile file given. Raises UsageError if there is none."""
        start = Path.cwd() if start is None else start
        path = profile or find_profile(start) or find_profile(Path.cwd())
        if path is None:
            raise UsageError(f"hittar ingen profil ({PROFILE_FILE}) här eller i mappar ovanför; ange --profile")
        loaded = load_profile(path)
        root = loaded.root
        return cls(root=root, profile=loaded, templates=root / TEMPLATES_DIR, records=root / RECORDS_DIR,
                   output=(output.resolve() if output else root / OUTPUT_DIR), options=options or Options())

    @classmethod
    def for_profile(cls, profile: Profile, options: Options | None = None) -> Project:
        """The project a loaded profile belongs to, with the conventional folders."""
        root = profile.root
        return cls(root=root, profile=profile, templates=root / TEMPLATES_DIR, records=root / RECORDS_DIR,
                   output=root / OUTPUT_DIR, options=options or Options())

    def record_index(self) -> dict[str, Path]:
        """Every record file of the project by id (the records folder, searched recursively)."""
        from .records import record_id

        return {record_id(p): p for p in self.find_records()}

    def with_options(self, **changes: object) -> Project:
        """The same project with other options (formats, pdf_engine, strict)."""
        return dataclasses.replace(self, options=dataclasses.replace(self.options, **changes))  # type: ignore[arg-type]

    def relative(self, path: Path) -> str:
        """A path inside the project as a POSIX path relative to its root (how the manifest stores it)."""
        return Path(path).resolve().relative_to(self.root).as_posix()

    def contains(self, path: Path) -> bool:
        """Whether ``path`` (symlinks resolved) lies inside the project."""
        return Path(path).resolve().is_relative_to(self.root)

    def find_records(self, paths: list[Path] | None = None) -> list[Path]:
        """Record files among ``paths`` (default the records folder), searched recursively.

        Hidden files and folders, the profile, the templates and the output folder are never
        records. Sorted, without duplicates.
        """
        found: set[Path] = set()
        skip = {self.output.resolve(), self.templates.resolve()}
        profile_file = self.profile.file
        for path in paths or [self.records]:
            if not paths and not path.exists():
                continue  # no records folder yet: no records, not a record that is missing
            if path.is_dir():
                for p in path.rglob("*"):
                    if p.suffix not in RECORD_SUFFIXES or any(part.startswith(".") for part in p.relative_to(path).parts):
                        continue
                    real = p.resolve()  # once: each resolve stats every folder on the way
                    if real != profile_file and not any(real.is_relative_to(s) for s in skip) and p.is_file():
                        found.add(p)
            elif path.resolve() != profile_file:
                found.add(path)
        return sorted(found)
