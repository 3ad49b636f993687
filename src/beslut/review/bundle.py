"""``beslut review``: what a CI job attaches to a pull request, in one folder.

``summary.md`` (the Markdown comment), ``summary.json`` (the same comparison for programs, with
the files made per record), ``redline/<id>.docx`` and ``.html`` for every changed record and
``pdf/<id>.pdf``, the record as revision B builds it. A record that cannot be drawn in one
revision (invalid there, a meeting) gets no redline; the reason stands in both summaries.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BeslutError, OutputError
from ..output import write_atomic
from ..project import Project
from .compare import Comparison, compare
from .git import Repo
from .output import to_json, to_markdown


@dataclass
class Bundle:
    """What ``review`` wrote: the comparison, the files per record, and problems that kept a file from being made."""

    comparison: Comparison
    files: dict[str, list[str]] = field(default_factory=dict)  # record path → files relative to the folder
    problems: dict[str, list[str]] = field(default_factory=dict)  # record path → messages
    written: list[Path] = field(default_factory=list)


def review(repo: Repo, project: Project, rev_a: str, rev_b: str, out: Path) -> Bundle:
    """Compare two revisions and write the review folder ``out``."""
    from ..render import render
    from .redline import document_at, redline, render_redline

    comparison = compare(repo, project.records, project.profile.file, rev_a, rev_b)
    bundle = Bundle(comparison)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"kan inte skapa {out}: {exc.strerror}") from None
    new = comparison.new
    assert new is not None  # review always compares two commits
    for rd in comparison.records:
        made: list[str] = []
        problems: list[str] = []
        if rd.status in ("modified", "renamed") and rd.old_path and rd.new_path:
            try:
                # a renamed record: its old version is read under its old name
                red = redline(repo, project, comparison.old.sha, new.sha, repo.root / rd.new_path) \
                    if rd.old_path == rd.new_path else _renamed(repo, project, comparison, rd.old_path, rd.new_path)
                red.old, red.new = comparison.old, new
                for fmt in ("docx", "html"):
                    name = f"redline/{rd.id}.{fmt}"
                    _write(out / name, render_redline(red, fmt, project), bundle)
                    made.append(name)
            except BeslutError as exc:
                problems.append(f"ingen redline: {exc}")
        if rd.new_path:
            try:
                document = document_at(repo, project, new, rd.new_path)
                name = f"pdf/{rd.id}.pdf"
                _write(out / name, render(document, ["pdf"], project.templates, source=repo.root / rd.new_path)["pdf"],
                       bundle)
                made.append(name)
            except BeslutError as exc:
                problems.append(f"ingen PDF: {exc}")
        bundle.files[rd.path] = made
        if problems:
            bundle.problems[rd.path] = problems
    markdown = to_markdown(comparison)
    if bundle.problems:
        markdown += "\n#### Kunde inte göras\n\n" + "".join(
            f"- `{path}`: {' '.join(m.split())}\n" for path, msgs in bundle.problems.items() for m in msgs)
    _write(out / "summary.md", markdown.encode("utf-8"), bundle)
    _write(out / "summary.json", summary_json(bundle).encode("utf-8"), bundle)
    return bundle


def _renamed(repo: Repo, project: Project, comparison: Comparison, old_path: str, new_path: str):
    from .markers import Markers
    from .redline import Redline, compare_documents, document_at

    assert comparison.new is not None
    a = document_at(repo, project, comparison.old, old_path)
    b = document_at(repo, project, comparison.new, new_path)
    markers = Markers()
    return Redline(compare_documents(a, b, markers), markers, comparison.old, comparison.new, repo.root / new_path)


def summary_json(bundle: Bundle) -> str:
    """summary.json: the diff's JSON document, each record with the files made for it and its problems."""
    data: dict[str, Any] = json.loads(to_json(bundle.comparison))
    for record in data["records"]:
        record["files"] = bundle.files.get(record["path"], [])
        record["problems"] = bundle.problems.get(record["path"], [])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _write(path: Path, data: bytes, bundle: Bundle) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"kan inte skriva {path}: {exc.strerror}") from None
    bundle.written.append(path)


__all__ = ["Bundle", "review", "summary_json"]
