"""Redline round trips on every example record: sections dropped and added (with a table and a
list), the title changed, a förslag point removed, prose rewritten, all at once; in both directions,
accept-all gives the newer build and reject-all the older one (tracked changes resolved in the XML).
In-process, without Git: the document model of each version is composed from its bytes."""
from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from beslut.compose import compose
from beslut.document import Document
from beslut.kinds import kind_of
from beslut.produce import check_source
from beslut.project import Project
from beslut.render.docx import render_docx
from beslut.review.markers import Markers
from beslut.review.redline import compare_documents, compare_runs
from beslut.review.tracked import counts, paragraphs, resolve_docx

from .conftest import ROOT

RECORDS = sorted((ROOT / "decisions").glob("*.yaml"))


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.open(ROOT)


def document(project: Project, path: Path, data: Any) -> Document | None:
    buffer = io.StringIO()
    YAML().dump(data, buffer)
    record, problems, _ = check_source((path, buffer.getvalue().encode("utf-8")), project)
    assert record is not None, [p.format() for p in problems if p.severity == "error"]
    return None if kind_of(record).package is not None else compose(record, project.profile)


def drop_first_section(d: dict) -> None:
    if len(d.get("avsnitt") or []) > 1:
        del d["avsnitt"][0]


def add_section(d: dict) -> None:
    d.setdefault("avsnitt", []).insert(min(1, len(d.get("avsnitt") or [])), {
        "rubrik": "Ny analys",
        "text": "Text med **fet** stil.\n\n| Kolumn | Värde |\n|---|---|\n| a | 1 |\n| b | 2 |\n\n- punkt ett\n- punkt två\n"})


def retitle(d: dict) -> None:
    d["rubrik"] = d["rubrik"] + " (reviderad)"


def drop_last_point(d: dict) -> None:
    levels = d.get("förslag_till_beslut")
    if levels and len(levels[0]["punkter"]) > 1:
        levels[0]["punkter"].pop()


def rewrite_texts(d: dict) -> None:
    for section in d.get("avsnitt") or []:
        if isinstance(section.get("text"), str):
            paragraphs_ = section["text"].split("\n\n")
            if len(paragraphs_) > 2:
                paragraphs_.pop(1)
            paragraphs_[0] = "Inledande mening ändrad. " + paragraphs_[0].replace(" och ", " samt ", 2)
            section["text"] = "\n\n".join(paragraphs_)


def all_at_once(d: dict) -> None:
    for edit in EDITS[:-1]:
        edit(d)


EDITS = [drop_first_section, add_section, retitle, drop_last_point, rewrite_texts, all_at_once]


@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_accept_all_and_reject_all_round_trip(project, path):
    base = YAML().load(path.read_text(encoding="utf-8"))
    a = document(project, path, base)
    if a is None:
        pytest.skip("ett sammanträde: ingen redline")
    for edit in EDITS:
        changed = copy.deepcopy(base)
        edit(changed)
        b = document(project, path, changed)
        assert b is not None
        for old, new in ((a, b), (b, a)):
            markers = Markers()
            red = compare_documents(old, new, markers)
            data = markers.expand_docx(render_docx(markers.for_word(red), project.templates), "T", "2026-01-01T00:00:00Z")
            want_new = paragraphs(render_docx(new, project.templates))
            want_old = paragraphs(render_docx(old, project.templates))
            assert paragraphs(resolve_docx(data, accept=True)) == want_new, edit.__name__
            assert paragraphs(resolve_docx(data, accept=False)) == want_old, edit.__name__
            assert (sum(counts(data).values()) > 0) == (want_new != want_old), edit.__name__


def test_runs_compare_word_by_word_and_keep_emphasis():
    from beslut.document import Run

    runs = compare_runs([Run("Beslutet gäller "), Run("2026", bold=True), Run(".")],
                        [Run("Beslutet gäller "), Run("2027", bold=True), Run(" och framåt.")])
    assert [(r.text, r.bold, r.change) for r in runs] == [
        ("Beslutet gäller ", False, None), ("2026", True, "delete"), ("2027", True, "insert"),
        (" och framåt", False, "insert"), (".", False, None)]


def test_a_bilaga_renamed_is_a_tracked_change(project):
    path = ROOT / "decisions" / "son-2020-faltverksamhet.yaml"
    base = YAML().load(path.read_text(encoding="utf-8"))
    base["beslutsunderlag"] = [{"titel": "Lägesbild Skäggetorp", "bilaga": "bilagor/lagesbild-skaggetorp-2021.pdf"}]
    changed = copy.deepcopy(base)
    changed["beslutsunderlag"][0]["titel"] = "Lägesbild Skäggetorp hösten 2021"
    a, b = document(project, path, base), document(project, path, changed)
    assert a is not None and b is not None
    markers = Markers()
    data = markers.expand_docx(render_docx(markers.for_word(compare_documents(a, b, markers)), project.templates),
                               "T", "2026-01-01T00:00:00Z")
    assert counts(data)["ins"] >= 1
    assert paragraphs(resolve_docx(data, accept=True)) == paragraphs(render_docx(b, project.templates))
    assert paragraphs(resolve_docx(data, accept=False)) == paragraphs(render_docx(a, project.templates))
