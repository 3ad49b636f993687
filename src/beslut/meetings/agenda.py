"""The agenda resolved: each ärende with its record (loaded and checked), bilagor and secrecy.

Both the rules (``beslut check``) and the documents (kallelse, packet) work from this one view,
so what is checked is what is published.
"""
from __future__ import annotations

import os
import re
import stat
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..profile import Profile
from ..project import Project
from ..records import LoadedRecord, load_record
from .model import SECRET_TITLE, Arende, Sammantrade

#: An OSL reference names the law or a chapter: "OSL 26 kap. 1 §", "26 kap. 1 § offentlighets- och sekretesslagen".
OSL = re.compile(r"\bOSL\b|offentlighets- och sekretesslag|\d+\s*kap\.?\s*\d+\s*§", re.IGNORECASE)
#: Largest bilaga of a meeting item (as for records).
MAX_BILAGA_BYTES = 200 * 1024 * 1024
ITEM_TITLES = {"information": "Information", "delegationsbeslut": "Anmälan av delegationsbeslut",
               "delgivningar": "Delgivningar", "övrigt": "Övriga frågor"}


@dataclass
class Item:
    """One ärende as the documents show it."""

    number: int
    entry: Arende
    loc: tuple[Any, ...]
    record: LoadedRecord | None = None
    record_problems: list[Problem] = field(default_factory=list)
    bilagor: list[tuple[str, Path]] = field(default_factory=list)
    """Item bilagor as (title, path)."""

    @property
    def confidential(self) -> bool:
        """Confidential when the item names an OSL reference or its record has sekretess."""
        return bool(self.entry.sekretess) or bool(self.record is not None and self.record.model.sekretess)

    @property
    def title(self) -> str:
        """The real rubrik (internal edition)."""
        if self.record is not None:
            return self.record.model.rubrik
        return self.entry.rubrik or ITEM_TITLES.get(self.entry.typ, "Ärende")

    @property
    def public_title(self) -> str:
        """What the public edition shows."""
        return (self.entry.offentlig_rubrik or SECRET_TITLE) if self.confidential else self.title

    @property
    def osl(self) -> str:
        return self.entry.sekretess or ""

    @property
    def dnr(self) -> str:
        return str(getattr(self.record.model, "dnr", "") or "") if self.record is not None else ""


def resolve(meeting: LoadedRecord, project: Project, *, check: bool = True) -> tuple[list[Item], list[Problem]]:
    """The agenda's items with their records, and every problem of the agenda.

    Without ``check`` the records are only loaded, not validated (the packet is made after the
    rules ran on the same bytes).
    """
    model = meeting.model
    assert isinstance(model, Sammantrade)
    src = meeting.source
    index = project.record_index()
    items: list[Item] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(model.ärenden):
        loc = ("ärenden", i)
        item = Item(i + 1, entry, loc)
        if entry.post is not None:
            if entry.post in seen:
                problems.append(src.problem(loc + ("post",), f"posten '{entry.post}' står redan som ärende "
                                                              f"{seen[entry.post]} på föredragningslistan"))
            seen.setdefault(entry.post, i + 1)
            path = index.get(entry.post)
            if path is None:
                problems.append(src.problem(loc + ("post",), f"posten '{entry.post}' finns inte bland projektets "
                                                              f"poster (under {project.records.name}/)"))
            else:
                problems += _load(item, path, project, src, check)
        for k, bilaga in enumerate(entry.bilagor):
            found = bilaga_problem(meeting.path.parent / bilaga.fil, project)
            if found:
                problems.append(src.problem(loc + ("bilagor", k), f"bilagan '{bilaga.fil}' {found}"))
            else:
                item.bilagor.append((bilaga.titel or Path(bilaga.fil).stem, meeting.path.parent / bilaga.fil))
        if item.confidential and not entry.sekretess:
            problems.append(src.problem(loc, "ärendet omfattas av sekretess (posten har sekretess: true) men saknar "
                                             "OSL-hänvisning; skriv t.ex. 'sekretess: OSL 26 kap. 1 §'"))
        elif entry.sekretess and not OSL.search(entry.sekretess):
            problems.append(src.problem(loc + ("sekretess",), f"'{entry.sekretess}' är ingen OSL-hänvisning; skriv "
                                                               "t.ex. 'OSL 26 kap. 1 §'"))
        items.append(item)
    return items, problems


#: Ids of records a build has just produced without errors (set by ``produce`` while it makes a
#: packaging kind's files): their full rules ran a moment ago, so the agenda only loads them and
#: looks for what concerns a meeting (draft, placeholders).
PRODUCED: ContextVar[frozenset[str]] = ContextVar("beslut_produced", default=frozenset())


def _load(item: Item, path: Path, project: Project, src, check: bool = True) -> list[Problem]:
    from ..validate import placeholders, validate

    record, found = load_record(path)
    if record is not None and check:
        if record.id in PRODUCED.get():
            found = found + placeholders(record.source, record.model)
        else:
            found = found + validate(record, project.profile)
    item.record_problems = found
    loc = item.loc + ("post",)
    if record is None or any(p.severity == "error" for p in found):
        return [src.problem(loc, f"posten '{item.entry.post}' har fel; rätta den först (beslut check {path.name})")]
    if record.model.typ == "sammanträde":
        return [src.problem(loc, f"'{item.entry.post}' är ett sammanträde, inte ett ärende")]
    item.record = record
    out = []
    if record.model.status == "utkast":
        out.append(src.problem(loc, f"posten '{item.entry.post}' är ett utkast; sätt status: färdig innan kallelsen "
                                    "publiceras", "warning"))
    if any("platshållaren" in p.message for p in found):
        out.append(src.problem(loc, f"posten '{item.entry.post}' har platshållare kvar", "warning"))
    return out


def bilaga_problem(path: Path, project: Project) -> str | None:
    """Why a meeting bilaga cannot be used, or None: inside the project, a regular PDF or DOCX of bounded size."""
    if not path.resolve().is_relative_to(project.root):
        return "ligger utanför projektmappen"
    try:
        st = os.stat(path)
    except OSError:
        return "finns inte"
    if not stat.S_ISREG(st.st_mode):
        return "är ingen vanlig fil"
    if st.st_size > MAX_BILAGA_BYTES:
        return f"är större än {MAX_BILAGA_BYTES // 2**20} MiB"
    with open(path, "rb") as handle:
        head = handle.read(8)
    if path.suffix.lower() == ".pdf" and head.startswith(b"%PDF"):
        return _pdf_problem(path)
    if path.suffix.lower() == ".docx" and head.startswith(b"PK"):
        return None
    return "ska vara en PDF- eller DOCX-fil"


def _pdf_problem(path: Path) -> str | None:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                return "är krypterad; lägg in en okrypterad PDF"
    except pikepdf.PasswordError:
        return "är lösenordsskyddad; lägg in en okrypterad PDF"
    except pikepdf.PdfError as exc:
        return f"är ingen läsbar PDF ({str(exc).splitlines()[0][:80]})"
    return None


def rules(meeting: LoadedRecord, profile: Profile) -> list[Problem]:
    """The agenda's rules, for ``beslut check`` and ``build``."""
    from .outcomes import rules as outcome_rules
    from .outcomes import series

    items, problems = resolve(meeting, Project.for_profile(profile))
    meeting.cache["agenda"] = items  # the packet is made from the agenda just checked
    problems += outcome_rules(meeting, profile)
    model = meeting.model
    assert isinstance(model, Sammantrade)
    if model.första_paragraf is not None or model.has_outcomes():
        problems += series(meeting, profile)[1]
    return problems


def shared_records(meetings: list[LoadedRecord]) -> list[Problem]:
    """An ärende may stand on one meeting's agenda only: each later occurrence is a problem."""
    first: dict[str, Path] = {}
    out = []
    for meeting in sorted(meetings, key=lambda m: str(m.path)):
        model = meeting.model
        assert isinstance(model, Sammantrade)
        for i, entry in enumerate(model.ärenden):
            if entry.post is None:
                continue
            if entry.post in first and first[entry.post] != meeting.path:
                out.append(meeting.source.problem(("ärenden", i, "post"), f"posten '{entry.post}' står redan på "
                                                                          f"sammanträdet {first[entry.post].name}"))
            first.setdefault(entry.post, meeting.path)
    return out
