"""Speed never costs correctness: the shortcuts of Speed II give the same results as the long way.

Worker processes, the PDF thread, the shared template data, the slim Word template and the
parallel check are each compared with what they replace, on real builds.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument

from beslut.project import Project
from beslut.render import default_templates

from .conftest import ROOT

build_module = importlib.import_module("beslut.build")


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_one_worker_many_workers_and_the_pdf_thread_give_the_same_bytes(project):
    one = build_module.build(Project.open(project, output=project / "ett"), jobs=1)
    many = build_module.build(Project.open(project, output=project / "flera"), jobs=2)
    assert one.ok and many.ok and len(one.built) == len(many.built) >= 6
    assert _digests(project / "ett") == _digests(project / "flera")
    # one record with two cores: its PDF is laid out in a thread while DOCX and HTML are made
    record = sorted((project / "decisions").glob("*.yaml"))[0]
    single = build_module.build(Project.open(project, output=project / "en"), [record], jobs=2)
    assert single.ok and single.built == [record.stem]
    for name, digest in _digests(project / "en").items():
        if not name.endswith(".json"):  # the manifest and schemas describe what was built
            assert _digests(project / "ett")[name] == digest, name


def _problems(result) -> tuple[list[str], list[str]]:
    return [p.format() for p in result.problems], [r.id for r in result.records]


@pytest.mark.parametrize("with_thread", [False, True], ids=["fork", "forkserver"])
def test_a_parallel_check_finds_what_a_sequential_check_finds(project, monkeypatch, with_thread):
    decisions = project / "decisions"
    broken = decisions / "trasig.yaml"
    broken.write_text((decisions / sorted(p.name for p in decisions.glob("*.yaml"))[0]).read_text(encoding="utf-8")
                      .replace("rubrik:", "rubrk:", 1), encoding="utf-8")
    shutil.copy(sorted(decisions.glob("*.yaml"))[1], decisions / "kopia.yaml")
    sequential = build_module.check(Project.open(project), jobs=1)
    monkeypatch.setattr(build_module, "PARALLEL_CHECK", 2)
    monkeypatch.setattr(build_module, "_CHECK_CHUNK", 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait) if with_thread else None  # a thread: workers come from a fork server
    if thread:
        thread.start()
    try:
        parallel = build_module.check(Project.open(project), jobs=2)
    finally:
        stop.set()
    assert any("rubrk" in p for p in _problems(parallel)[0])
    assert _problems(parallel) == _problems(sequential)
    assert parallel.files == sequential.files == len(list(decisions.rglob("*.yaml")))


def test_a_check_without_records_finds_the_same_and_keeps_what_the_rules_across_records_need(project, monkeypatch):
    """beslut check asks for no records (workers send back only problems); meetings and records with
    a signed copy still come back, so an ärende on two agendas and a stale signature are still found."""
    decisions = project / "decisions"
    meeting = next(decisions.rglob("son-2022-01-26.yaml"))
    shutil.copy(meeting, decisions / "sammantraden" / "andra.yaml")  # the same ärenden on two meetings
    signed = sorted(p for p in decisions.glob("*.yaml"))[0]
    (project / "build").mkdir()
    (project / "build" / f"{signed.stem}.signerad.pdf").write_bytes(b"%PDF-1.7 /ByteRange [0 1 2 3] /Sig old")
    full = build_module.check(Project.open(project), jobs=1)
    assert any("signerad men stämmer inte" in p for p in _problems(full)[0])
    assert any("står redan på sammanträdet andra.yaml" in p for p in _problems(full)[0])
    monkeypatch.setattr(build_module, "PARALLEL_CHECK", 2)
    monkeypatch.setattr(build_module, "_CHECK_CHUNK", 2)
    for jobs in (1, 2):
        slim = build_module.check(Project.open(project), jobs=jobs, records=False)
        assert _problems(slim)[0] == _problems(full)[0] and slim.files == full.files
        assert sorted(r.id for r in slim.records) == sorted(["son-2022-01-26", "andra", signed.stem])


def test_the_shared_template_data_is_what_a_fresh_conversion_gives(project):
    from beslut.compose import compose
    from beslut.produce import check_source
    from beslut.render import render
    from beslut.render.context import document_data

    p = Project.open(project)
    record = check_source(sorted((project / "decisions").glob("*.yaml"))[0], p)[0]
    doc = compose(record, p.profile)
    first = render(doc, ["docx", "pdf", "html"], p.templates)
    fresh = dataclasses.replace(doc)  # the same document without the kept data
    assert "_template_data" not in fresh.__dict__
    assert document_data(doc) == document_data(fresh)  # no renderer changed what it was given
    assert render(fresh, ["docx", "pdf", "html"], p.templates) == first
    assert doc == fresh  # the kept data is not a field


def test_the_plain_data_of_a_document_is_what_dataclasses_asdict_gives(project):
    """``Document.to_data`` converts the frozen dataclasses itself (asdict deep-copies every value):
    the same data as asdict's, tuples as lists (as JSON has them), for every kind of block."""
    import json

    from beslut.compose import compose
    from beslut.document import Document, _plain
    from beslut.produce import check_source

    p = Project.open(project)
    docs = [compose(r, p.profile) for r in (check_source(path, p)[0] for path in sorted((project / "decisions").glob("*.yaml")))
            if r is not None]
    docs = [d for d in docs if isinstance(d, Document)]
    kinds = {type(b).__name__ for d in docs for b in d.blocks}
    assert {"Heading", "Paragraph", "ListBlock", "Signatures"} <= kinds, kinds
    for doc in docs:
        assert _plain(doc) == json.loads(json.dumps(dataclasses.asdict(doc))), doc.id


def _members(data: bytes) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist(), {name: z.read(name) for name in z.namelist()}


def test_a_docx_sharing_the_template_parts_no_render_changes_is_what_a_fresh_template_gives(project, monkeypatch):
    """Each DOCX is rendered into a copy of the parsed template that shares the parts no render
    changes (styles, theme …), and its zip starts from those parts compressed once per process.
    Whatever was rendered before (lists add numbering, a logo adds an image part), each DOCX holds,
    member for member, what a freshly parsed template sharing nothing gives; [Content_Types].xml
    stays the first member (file-type sniffers look for it there)."""
    from beslut.compose import compose
    from beslut.document import Document
    from beslut.produce import check_source

    docx_module = importlib.import_module("beslut.render.docx")
    p = Project.open(project)
    docs = [compose(r, p.profile) for r in (check_source(path, p)[0] for path in sorted((project / "decisions").glob("*.yaml")))
            if r is not None]
    docs = [d for d in docs if isinstance(d, Document)]
    assert len(docs) >= 4 and any(d.letterhead.logo for d in docs)
    docs += [dataclasses.replace(d, letterhead=dataclasses.replace(d.letterhead, logo=None)) for d in docs[:2]]
    order = docs + docs[::-1]
    docx_module._pristine.clear()
    shared = [docx_module.render_docx(d, p.templates) for d in order]
    pristine = next(iter(docx_module._pristine.values()))
    assert {str(part.partname) for part in pristine.shared} >= {"/word/styles.xml", "/word/theme/theme1.xml"}
    assert len(pristine.prefixes) == 2  # with and without the logo's image part

    monkeypatch.setattr(docx_module, "_read_only", lambda part: False)
    for doc, data in zip(order, shared):
        docx_module._pristine.clear()
        names, members = _members(data)
        fresh_names, fresh_members = _members(docx_module.render_docx(doc, p.templates))
        assert names[0] == fresh_names[0] == "[Content_Types].xml"
        assert members == fresh_members, doc.id
    docx_module._pristine.clear()


def _used_styles() -> set[str]:
    spec = importlib.util.spec_from_file_location("make_word_template", ROOT / "tools" / "make_word_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.USED_STYLES


def test_the_slim_word_template_keeps_every_style_beslut_uses():
    path = default_templates() / "dokument.docx"
    names = {s.name.casefold() for s in WordDocument(str(path)).styles}
    used = _used_styles()
    assert sorted(n for n in used if n.casefold() not in names) == []
    from beslut.render import wordml

    assert set(wordml._SIGNATURE_STYLES.values()) <= used
    with zipfile.ZipFile(path) as z:
        assert "word/stylesWithEffects.xml" not in z.namelist()
        assert z.getinfo("word/styles.xml").file_size < 60_000  # was 353 kB: parsed and zipped per DOCX


def test_one_listing_finds_the_copies_a_glob_per_record_found(tmp_path):
    from beslut.signing.stale import copies_by_id

    names = ["a.pdf", "a.signerad.pdf", "a.b.pdf", "a.b.signerad.pdf", "a..pdf", "ab.x.pdf", ".a.x.pdf", "a.x.docx",
             "a.bilaga-1.pdf", "b[1].x.pdf", "c.pdf"]
    for name in names:
        (tmp_path / name).write_bytes(b"%PDF")
    index = copies_by_id(tmp_path)
    for rid in ("a", "a.b", "ab", "b[1]", "c", "x"):
        escaped = "".join(f"[{c}]" if c in "*?[" else c for c in rid)
        assert index.get(rid, []) == sorted(p.name for p in tmp_path.glob(f"{escaped}.*.pdf")), rid


def test_an_edited_word_template_is_read_again_by_the_same_process(project):
    """The parsed template is kept per process (serve renders for hours): an edit must show."""
    from beslut.compose import compose
    from beslut.produce import check_source
    from beslut.render.docx import render_docx

    p = Project.open(project)
    doc = compose(check_source(sorted((project / "decisions").glob("*.yaml"))[0], p)[0], p.profile)
    own = project / "templates" / "dokument.docx"
    shutil.copy(default_templates() / "dokument.docx", own)
    before = render_docx(doc, p.templates)
    with zipfile.ZipFile(own) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"Noto Serif", b"Noto Sans")
    with zipfile.ZipFile(own, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    after = render_docx(doc, p.templates)
    assert after != before
    with zipfile.ZipFile(io.BytesIO(after)) as z:
        assert b"Noto Serif" not in z.read("word/styles.xml")


def test_documents_staged_while_others_are_made_are_discarded_when_the_build_fails(project):
    """Files are written while the workers make the next records, but renamed into place only
    when every record is made: a template that fails on the last record changes nothing."""
    from beslut.errors import TemplateError

    first = build_module.build(Project.open(project), jobs=2)
    assert first.ok
    before = _digests(project / "build")
    records = sorted((project / "decisions").glob("*.yaml"))
    for path in records:  # every record changes, so every one is made again
        path.write_text(path.read_text(encoding="utf-8").replace("rubrik: ", "rubrik: Ny ", 1), encoding="utf-8")
    last = records[-1]
    last.write_text(last.read_text(encoding="utf-8").replace("rubrik: Ny ", "rubrik: BOOM ", 1), encoding="utf-8")
    template = project / "templates" / "dokument.html.j2"
    shutil.copy(default_templates() / "dokument.html.j2", template)
    template.write_text('{% if "BOOM" in title %}{{ 1 // 0 }}{% endif %}' + template.read_text(encoding="utf-8"),
                        encoding="utf-8")
    with pytest.raises(TemplateError):
        build_module.build(Project.open(project), jobs=2)
    assert _digests(project / "build") == before
    assert not list((project / "build").rglob(".beslut-*.tmp"))  # no temporaries left


#: What a check of one record must not import: the engines and the document model are for building.
_NOT_FOR_CHECK = ("beslut.document", "beslut.compose", "beslut.render.docx", "beslut.render.pdf", "babel", "jinja2",
                  "typst", "docxtpl", "docx", "lxml", "markdown_it", "PIL", "concurrent.futures")


def test_a_check_of_one_record_imports_only_what_checking_needs(project):
    import subprocess
    import sys

    profile = (project / "beslut.yaml").read_text(encoding="utf-8")
    (project / "beslut.yaml").write_text("".join(line for line in profile.splitlines(keepends=True)
                                                 if not line.startswith("logotyp:")), encoding="utf-8")
    record = next((project / "decisions").glob("son-2022-individarende.yaml"))
    code = ("import sys\nfrom beslut.cli import main\nsys.argv = ['beslut', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print(sorted(m for m in {_NOT_FOR_CHECK!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code, str(record)], cwd=project, capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr


def test_the_package_names_stay_the_functions_when_their_modules_are_imported():
    import beslut
    import beslut.build
    import beslut.produce
    from beslut import produce as produce_function

    assert callable(beslut.build) and callable(beslut.produce) and beslut.produce is produce_function
    assert beslut.build.__module__ == "beslut.build" and beslut.check.__module__ == "beslut.build"
    assert set(beslut.__all__) <= set(dir(beslut))
    with pytest.raises(AttributeError):
        beslut.no_such_name  # noqa: B018


def test_a_build_keeps_in_memory_only_the_documents_a_meeting_may_name(project):
    """Once handed over (staged), a record's documents are let go unless a meeting in the build names
    it: memory stays flat over thousands of records, and the packet is the same bytes."""
    proj = Project.open(project)
    paths = proj.find_records()
    meeting = next(p for p in paths if p.name == "son-2022-01-26.yaml")
    agenda = meeting.read_text(encoding="utf-8")
    handed: list[str] = []
    kept = build_module.produce_all(proj, paths, 1, None, on_outcome=lambda o: handed.append(o.id))
    whole = build_module.produce_all(proj, paths, 1, None)
    assert sorted(handed) == sorted(o.id for o in kept)
    records = [o for o in kept if o.path != meeting]
    assert any(o.id not in agenda for o in records) and any(o.id in agenda for o in records)
    for outcome in records:
        assert bool(outcome.documents) == (outcome.id in agenda), outcome.id
    packets = [(a.package, b.package) for a, b in zip(kept, whole, strict=True) if a.path == meeting]
    assert packets and packets[0][0] == packets[0][1]


def test_a_check_of_one_record_in_a_built_project_does_not_read_the_manifest(project, monkeypatch):
    """The manifest of a large project takes tens of milliseconds to read; a record with no signed copy
    needs none of it (its PDF as built is not signed), and a signed copy is still found."""
    from beslut.manifest import Manifest

    from .conftest import run

    assert run("build", "--format", "pdf", "-q").exit_code == 0
    reads: list[Path] = []
    load = Manifest.load.__func__
    monkeypatch.setattr(Manifest, "load", classmethod(lambda cls, folder: reads.append(folder) or load(cls, folder)))
    record = next((project / "decisions").glob("son-2022-individarende.yaml"))
    result = run("check", str(record))
    assert result.exit_code == 0 and reads == [], (result.stderr, reads)
    (project / "build" / f"{record.stem}.signerad.pdf").write_bytes(b"%PDF-1.7 /ByteRange [0 1 2 3] /Sig old")
    result = run("check", str(record))
    assert "signerad men stämmer inte" in result.stderr
