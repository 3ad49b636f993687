"""The library, called directly: Project, produce, check, build, the kind registry, errors."""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Literal

import pytest

from beslut import BeslutError, Kind, Options, Outcome, Project, TemplateError, UsageError, build, check, produce
from beslut.compose import compose
from beslut.document import Document, Letterhead, ListBlock, Paragraph, text_run
from beslut.errors import ContentError, OutputError, Problem, RecordError
from beslut.kinds import all_kinds, get_kind, kind_names
from beslut.project import parse_formats
from beslut.records import RecordBase, load_record
from beslut.validate import validate

from .conftest import MINIMAL, ROOT, write


@pytest.fixture
def repo() -> Project:
    return Project.open(ROOT)


def test_project_finds_its_parts_from_any_folder_below(repo):
    below = Project.open(ROOT / "decisions")
    assert below.root == repo.root == ROOT
    assert (below.records, below.templates, below.output) == (ROOT / "decisions", ROOT / "templates", ROOT / "build")
    assert below.options == Options()


def test_project_without_profile_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as exc:
        Project.open(tmp_path)
    assert exc.value.exit_code == 2 and "hittar ingen profil" in str(exc.value)


def test_unknown_format_is_refused_not_dropped():
    assert parse_formats("pdf, docx") == ("docx", "pdf")
    with pytest.raises(UsageError, match="okänt format odt"):
        parse_formats("pdf,odt")


def test_produce_makes_every_format_in_memory_and_writes_nothing(repo, tmp_path):
    project = Project.open(ROOT, output=tmp_path / "out")
    outcome = produce(ROOT / "decisions" / "son-2020-faltverksamhet.yaml", project)
    assert isinstance(outcome, Outcome) and outcome.ok and outcome.id == "son-2020-faltverksamhet"
    assert list(outcome.documents) == ["docx", "pdf", "html"]
    assert outcome.documents["pdf"].startswith(b"%PDF") and outcome.documents["docx"].startswith(b"PK")
    assert len(outcome.inputs[""]) == 64
    assert not (tmp_path / "out").exists()


def test_produce_takes_a_record_from_bytes(repo, tmp_path):
    """As at a Git revision: the path need not exist; the bytes are the record."""
    text = (ROOT / "decisions" / "son-2020-faltverksamhet.yaml").read_bytes()
    ghost = ROOT / "decisions" / "finns-inte-pa-disk.yaml"
    outcome = produce((ghost, text.replace(b"Leanlink", b"Leanlynk")), repo.with_options(formats=("html",)))
    assert outcome.ok and list(outcome.documents) == ["html"]
    assert b"Leanlynk" in outcome.documents["html"]


def test_produce_reports_problems_and_makes_nothing(empty_project):
    path = write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("nämnd: SON", "nämnd: XYZ"))
    outcome = produce(path, Project.open(empty_project))
    assert not outcome.ok and outcome.documents == {}
    assert [p.field for p in outcome.problems] == ["nämnd"]


def test_produce_with_strict_refuses_warnings(empty_project):
    path = write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("Kort ärende.", "Se XXXX.")
                 .replace("status: beslutad", "status: utkast"))
    assert produce(path, Project.open(empty_project)).ok
    assert not produce(path, Project.open(empty_project).with_options(strict=True)).ok


def test_check_and_build_called_directly(empty_project):
    write(empty_project / "decisions" / "a.yaml", MINIMAL)
    write(empty_project / "decisions" / "b.yaml", MINIMAL.replace("dnr: SON 2024-12", "dnr: fel"))
    project = Project.open(empty_project)
    checked = check(project)
    assert checked.files == 2 and [p.path.name for p in checked.errors()] == ["b.yaml"]
    result = build(project, jobs=1)
    assert result.built == ["a"] and result.failed == ["b"]
    assert sorted(p.name for p in (empty_project / "build").glob("a.*")) == ["a.docx", "a.html", "a.pdf"]
    assert build(project, jobs=1).skipped == ["a"]


def test_compose_names_the_parts_other_documents_take_over(repo):
    record, problems = load_record(ROOT / "decisions" / "son-2021-omradesbaserat-socialt-arbete-motion.yaml")
    assert record is not None
    doc = compose(record, repo.profile)
    forslag = doc.part("förslag")
    assert forslag[0].runs[0].text == "Förslag till social- och omsorgsnämndens beslut"
    assert sum(isinstance(b, ListBlock) for b in forslag) == 3
    assert doc.part("ärende")[0].runs[0].text == "Ärende"
    assert [(s.name, s.field) for s in doc.signers] == [("Paul Håkansson", "underskrift-1"),
                                                         ("Linda Ljungqvist", "underskrift-2")]


def test_agreement_signers_have_fields_and_lines(repo):
    record, _ = load_record(ROOT / "decisions" / "son-2022-utvecklingsuppdrag-omradesteam.yaml")
    assert record is not None
    doc = compose(record, repo.profile)
    assert [s.field for s in doc.signers] == ["part-1", "part-2"]
    assert doc.part("underskrifter")[-1].lines is True


def test_validate_directly(repo, tmp_path):
    path = write(tmp_path / "r.yaml", MINIMAL.replace("förvaltning: Social- och omsorgsförvaltningen\ndatum",
                                                      "förvaltning: Socialförvaltningen\ndatum"))
    record, problems = load_record(path)
    assert record is not None and problems == []
    found = validate(record, repo.profile)
    assert [p.field for p in found] == ["förvaltning"] and "finns inte i profilen" in found[0].message


def test_errors_pickle_whole_with_their_exit_codes(tmp_path):
    problem = Problem(tmp_path / "r.yaml", 3, 1, "rubrik", "fältet saknas")
    for error in (TemplateError(tmp_path / "t.html.j2", "syntaxfel", tmp_path / "r.yaml", 7), RecordError([problem]),
                  OutputError("kan inte skriva"), ContentError(problem), UsageError("okänt format")):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error) and again.exit_code == error.exit_code
    assert TemplateError("t", "x").exit_code == 3 and OutputError("x").exit_code == 4
    assert isinstance(UsageError("x"), BeslutError)


def test_builtin_kinds_are_registered():
    assert kind_names() == ["sammanträde", "tjänsteskrivelse", "uppdrag", "utlåtande"]
    assert all(k.scaffold for k in all_kinds())


def test_a_new_kind_needs_only_its_own_module(empty_project, monkeypatch):
    """A kind registered from outside beslut is read, checked, composed and rendered like the built-in ones."""
    from beslut import kinds

    class Notis(RecordBase):
        """A short notice."""

        typ: Literal["notis"]
        """The kind of record."""
        text: str
        """The notice."""

        def document_date(self):
            return None

    def compose_notis(record, profile) -> Document:
        r = record.model
        return Document(id=record.id, kind="notis", title=r.rubrik, lang="sv-SE", draft=False,
                        letterhead=Letterhead(profile.kommun, "", "", "", [], profile.organ[r.nämnd].namn),
                        subtitle=[], blocks=[Paragraph(text_run(r.text))], footer=[], date_iso="2024-01-01")

    def no_rules(record, profile) -> list[Problem]:
        return []

    monkeypatch.setitem(kinds._REGISTRY, "notis", Kind("notis", Notis, compose_notis, no_rules))
    path = write(empty_project / "decisions" / "n.yaml", "typ: notis\nstatus: beslutad\nnämnd: SON\n"
                                                         "rubrik: En notis\ntext: Nämnden sammanträder.\n")
    outcome = produce(path, Project.open(empty_project))
    assert outcome.ok, outcome.problems
    assert b"N\xc3\xa4mnden sammantr\xc3\xa4der." in outcome.documents["html"]
    assert get_kind("notis") is not None


def test_records_are_read_once_per_build(empty_project, monkeypatch):
    """An unchanged record is not parsed at all on a second build."""
    write(empty_project / "decisions" / "a.yaml", MINIMAL)
    project = Project.open(empty_project)
    build(project, jobs=1)
    import sys

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged record was parsed")

    monkeypatch.setattr(sys.modules["beslut.produce"], "read_record", refuse)  # the package's "produce" is the function
    assert build(project, jobs=1).skipped == ["a"]
    (empty_project / "decisions" / "a.yaml").write_text(MINIMAL + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="an unchanged record was parsed"):  # the guard itself works
        build(project, jobs=1)


def test_output_dir_given_relative_is_taken_from_the_working_folder(empty_project):
    project = Project.open(empty_project, output=Path("ut"))
    assert project.output == empty_project / "ut"


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_single_proposal_to_another_organ_names_that_organ(empty_project, fmt):
    """A nämnd proposing to KS: the heading must say who decides, in every format (issue: wrong organ)."""
    from .helpers import docx_body_text, html_text, pdf_text

    text = MINIMAL.replace("  - punkter:\n", "  - instans: KS\n    punkter:\n")
    path = write(empty_project / "decisions" / "r.yaml", text)
    outcome = produce(path, Project.open(empty_project).with_options(formats=(fmt,)))
    assert outcome.ok, outcome.problems
    out = empty_project / f"r.{fmt}"
    out.write_bytes(outcome.documents[fmt])
    shown = {"docx": docx_body_text, "pdf": pdf_text, "html": html_text}[fmt](out)
    assert "Förslag till kommunstyrelsens beslut" in " ".join(shown.split())


def test_project_without_records_folder_has_no_records(empty_project):
    """A new project without decisions/ yet: nothing to check, not a missing record called "decisions"."""
    from .conftest import run

    (empty_project / "decisions").rmdir()
    result = run("check")
    assert result.exit_code == 0 and "0 poster kontrollerade: 0 fel" in result.output
    assert "filen finns inte" not in result.output + result.stderr


def test_long_output_names_get_short_temporary_files(tmp_path):
    """A 250-byte output name is legal; the temporary file beside it must not be longer than 255 bytes."""
    from beslut.output import write_atomic

    target = tmp_path / ("a" * 245 + ".docx")
    assert write_atomic(target, b"x") == "create" and target.read_bytes() == b"x"


def test_bilagor_are_copied_beside_the_documents_and_removed_with_them(empty_project):
    (empty_project / "decisions" / "underlag.pdf").write_bytes(b"%PDF-1.7 bilaga")
    record = write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: Underlag\n"
                                                             "    datum: 2024-02-01\n    bilaga: underlag.pdf\n")
    project = Project.open(empty_project)
    assert build(project, jobs=1).built == ["r"]
    copy = empty_project / "build" / "r.bilaga-1.pdf"
    assert copy.read_bytes() == b"%PDF-1.7 bilaga"
    assert 'href="r.bilaga-1.pdf"' in (empty_project / "build" / "r.html").read_text(encoding="utf-8")
    record.unlink()
    assert copy in build(project, jobs=1).removed and not copy.exists()
