"""The protokoll: outcomes in the meeting file → protokoll, protokollsutdrag, anslag and open data,
in an internal and a public edition; dates in law; § series; every bad input stops it."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from beslut import lagtid

from .conftest import ROOT, run
from .helpers import html_text, pdf_text

MEETING = Path("decisions") / "sammantraden" / "son-2022-01-26.yaml"


# -- dates in law ---------------------------------------------------------------------------------

@pytest.mark.parametrize("anslag, last", [
    (dt.date(2025, 12, 3), dt.date(2025, 12, 29)),   # three weeks → julafton → (juldagen, annandag, helg) → 29th
    (dt.date(2025, 12, 10), dt.date(2026, 1, 2)),    # → nyårsafton → nyårsdagen → 2 January
    (dt.date(2025, 5, 30), dt.date(2025, 6, 23)),    # → midsommarafton → midsommardagen, Sunday → Monday
    (dt.date(2022, 2, 3), dt.date(2022, 2, 24)),     # a Thursday: no move
    (dt.date(2022, 2, 5), dt.date(2022, 2, 28)),     # → Saturday → Monday
])
def test_last_day_to_appeal_moves_past_weekends_holidays_and_eves(anslag, last):
    assert lagtid.last_day_to_appeal(anslag) == last


def test_eves_are_not_working_days_but_ordinary_fridays_are():
    assert lagtid.holiday_name(dt.date(2026, 6, 19)) == "Midsommarafton"
    assert not lagtid.is_working_day(dt.date(2026, 12, 24)) and not lagtid.is_working_day(dt.date(2026, 12, 31))
    assert lagtid.is_working_day(dt.date(2026, 6, 12))


def test_justering_and_anslag_deadlines():
    assert lagtid.justering_deadline(dt.date(2022, 1, 26)) == dt.date(2022, 2, 9)
    assert lagtid.anslag_deadline(dt.date(2022, 2, 2)) == dt.date(2022, 2, 4)
    assert lagtid.anslag_deadline(dt.date(2025, 12, 22)) == dt.date(2025, 12, 29)  # 24th is julafton


# -- the example ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The example meeting's protokoll, made once in a copy of the repository's project."""
    root = tmp_path_factory.mktemp("prot")
    for name in ("beslut.yaml", "logotyp-exempel.png"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, root / name)
    shutil.copytree(ROOT / "decisions", root / "decisions")
    shutil.copytree(ROOT / "templates", root / "templates")
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = run("protokoll", str(MEETING), "--out", "ut")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return root / "ut"


def paragraph_numbers(text: str) -> list[int]:
    """The numbers of the lines that begin with "§ N" (pdftotext's page breaks split lines too)."""
    return [int(m.group(1)) for line in text.splitlines() if (m := re.match(r"§ (\d+)\b", line))]


def test_largest_pdf_is_the_protokoll_with_continuous_paragraphs(made):
    largest = max(made.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    assert largest == made / "intern" / "protokoll.pdf"
    for edition in ("intern", "offentlig"):
        text = pdf_text(made / edition / "protokoll.pdf")
        assert paragraph_numbers(text) == [1, 2, 3, 4, 5, 6], edition
        assert "Paragrafer: § 1–6" in text


def test_one_utdrag_per_paragraph_in_each_edition(made):
    for edition in ("intern", "offentlig"):
        utdrag = sorted(p for p in (made / edition).glob("*.pdf") if "utdrag" in p.name)
        assert len(utdrag) == 6
        for n in range(1, 7):
            text = pdf_text(made / edition / f"protokollsutdrag-paragraf-{n}.pdf")
            assert f"§ {n}" in text and "utdrag" in text.lower()
            assert paragraph_numbers(text) == [n]


def test_anslag_and_last_day_to_appeal_are_in_the_protokoll(made):
    text = " ".join(pdf_text(made / "intern" / "protokoll.pdf").split())
    assert "Datum då anslaget sätts upp: 2022-02-03" in text
    assert "Sista dag att överklaga: 2022-02-24" in text and "Datum då anslaget tas ned: 2022-02-25" in text
    assert "Justeringens plats och tid: Social- och omsorgsförvaltningen, 2022-02-02" in text
    # § 4 is justerad at the meeting: its own anslag and appeal date, in its utdrag and the protokoll
    assert "Omedelbart justerade vid sammanträdet: § 4." in text
    utdrag = " ".join(pdf_text(made / "intern" / "protokollsutdrag-paragraf-4.pdf").split())
    assert "Anslaget uppsatt: 2022-01-26" in utdrag and "Sista dag att överklaga: 2022-02-16" in utdrag


def test_bifall_takes_the_forslag_verbatim_and_only_the_nämnds_own_level(made):
    from beslut.records import load_record

    record, _ = load_record(ROOT / "decisions" / "son-2021-omradesbaserat-socialt-arbete-motion.yaml")
    assert record is not None
    text = " ".join(pdf_text(made / "intern" / "protokollsutdrag-paragraf-2.pdf").split())
    own = record.model.förslag_till_beslut[0]
    assert own.instans == "SON"
    for point in own.punkter:
        assert " ".join(point.split()) in text
    kf = " ".join(record.model.förslag_till_beslut[2].punkter[0].split())
    assert kf not in text  # fullmäktige's level is decided by fullmäktige, not by this nämnd
    data = json.loads((made / "offentlig" / "protokoll.json").read_text(encoding="utf-8"))
    assert data["ärenden"][1]["beslut"] == list(own.punkter) and data["ärenden"][1]["utfall"] == "bifall"


def test_votering_is_counted_and_printed_with_reservation_and_jav(made):
    text = " ".join(pdf_text(made / "intern" / "protokoll.pdf").split())
    assert "Maria Öst (V) anmäler jäv och deltar inte i handläggningen av ärendet." in text
    assert "Med 3 ja-röster mot 2 nej-röster, 0 avstår" in text
    assert "Summa 3 2 0" in text
    assert "Jonas Berg (M) reserverar sig mot beslutet skriftligen, se bilaga." in text
    assert "Ärendet återremitteras till förvaltningen." in text and "konsekvensanalys för barnfamiljer" in text
    data = json.loads((made / "intern" / "protokoll.json").read_text(encoding="utf-8"))
    assert data["ärenden"][2]["votering"] == {"ja": 3, "nej": 2, "avstår": 0}
    # Maria Öst is jävig in § 3: she is not among those who vote there, her substitute is
    html = html_text(made / "intern" / "protokollsutdrag-paragraf-3.html", "body")
    assert "Olof Kvist (S) X" in " ".join(html.split())


def test_public_edition_shows_nothing_of_the_confidential_paragraph(made):
    secrets = ("Strandberg", "Elvira", "kontaktfamilj", "SON 2022-14", "Karin Ek")
    internal = " ".join(pdf_text(made / "intern" / "protokoll.pdf").split())
    assert all(s in internal for s in ("Elvira Strandberg", "SON 2022-14"))
    from .robustness.test_leaks import haystack

    public = haystack(made / "offentlig")
    for secret in secrets:
        assert secret not in public, secret
    text = " ".join(pdf_text(made / "offentlig" / "protokoll.pdf").split())
    assert "§ 4 Ansökan om insats enligt socialtjänstlagen Sekretess enligt OSL 26 kap. 1 §. Beslut: Bifall till " \
           "förslaget" in text
    data = json.loads((made / "offentlig" / "protokoll.json").read_text(encoding="utf-8"))
    assert data["ärenden"][3]["beslut"] == [] and data["ärenden"][3]["dnr"] is None


def test_anslag_page_and_schema(made):
    page = made / "offentlig" / "anslag.html"
    text = " ".join(html_text(page, "body").split())
    assert "Sista dag att överklaga: 2022-02-24" in text and 'href="protokoll.pdf"' in page.read_text(encoding="utf-8")
    assert not (made / "intern" / "anslag.html").exists()
    schema = json.loads((made / "offentlig" / "protokoll.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "ProtokollData" and "sista_dag_att_överklaga" in schema["properties"]


def test_protokoll_pdf_is_pdfa_and_pdfua(made):
    page = pytest.importorskip("page")
    for name in ("protokoll.pdf", "protokollsutdrag-paragraf-3.pdf"):
        data = (made / "offentlig" / name).read_bytes()
        assert page.is_pdf_compliant_bytes(data, profile="2b"), name
        assert page.is_pdf_compliant_bytes(data, profile="ua1"), name


def test_pages_have_no_accessibility_violations(made, tmp_path):
    from .test_accessibility import axe_violations

    for page in (made / "offentlig" / "anslag.html", made / "intern" / "protokoll.html",
                 made / "offentlig" / "protokollsutdrag-paragraf-4.html"):
        assert axe_violations(page, tmp_path) == [], page.name


def test_protokoll_is_deterministic(made, project):
    result = run("protokoll", str(MEETING), "--out", "again")
    assert result.exit_code == 0, result.output
    again = project / "again"
    for path in made.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(made)).read_bytes() == path.read_bytes(), path.name


# -- bad input ------------------------------------------------------------------------------------

def edit(project: Path, old: str, new: str) -> Path:
    path = project / MEETING
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refused(project: Path, *expected: str) -> list[str]:
    """`beslut protokoll` fails with these texts in file:line:field errors and writes nothing."""
    result = run("protokoll", str(MEETING), "--out", "ut")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith(str(MEETING))]
    for text in expected:
        assert any(text in line for line in errors), (text, errors)
    assert re.match(rf"{re.escape(str(MEETING))}:\d+:\d+: ", errors[0])
    assert not (project / "ut").exists()
    return errors


def test_justering_20_days_after_is_named_by_check(project):
    edit(project, "  datum: 2022-02-02\n", "  datum: 2022-02-15\n")
    result = run("check", str(MEETING))
    assert result.exit_code == 1
    assert re.search(r"son-2022-01-26\.yaml:\d+:\d+: justering\.datum: justeringen 2022-02-15 är för sen.*6 kap\. 35 §",
                     result.stderr), result.stderr
    refused(project, "justering.datum")


def test_justering_before_the_meeting(project):
    edit(project, "  datum: 2022-02-02\n", "  datum: 2022-01-20\n")
    refused(project, "justering.datum: justeringen (2022-01-20) ligger före sammanträdet")


def test_anslag_too_late(project):
    edit(project, "  datum: 2022-02-03\n", "  datum: 2022-02-10\n")
    refused(project, "anslag.datum: anslaget 2022-02-10 är för sent", "8 kap. 12 §")


def test_votes_that_do_not_add_up(project):
    edit(project, "      nej: [Jonas Berg, Sara Blom]\n", "      nej: [Jonas Berg]\n")
    refused(project, "ärenden[3].votering: 4 röster men 5 beslutande i paragrafen; röstar inte: Sara Blom")


def test_a_javig_member_voting(project):
    edit(project, "      ja: [Anna Lindqvist, Leila Haddad, Olof Kvist]\n",
         "      ja: [Anna Lindqvist, Leila Haddad, Olof Kvist, Maria Öst]\n")
    refused(project, "ärenden[3].votering.ja[4]: 'Maria Öst' är jävig i ärendet och deltar inte i beslutet")


def test_andrat_without_text(project):
    path = project / MEETING
    text = path.read_text(encoding="utf-8")
    start = text.index("    beslutstext:\n")
    end = text.index("    yrkanden:\n", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    refused(project, "ärenden[3].utfall: utfall ändrat kräver beslutstext")


def test_an_arende_without_outcome(project):
    edit(project, "    utfall: återremiss\n", "")
    errors = refused(project, "ärenden[5]: ärendet saknar utfall")
    assert not any("varning" in e and "saknar utfall" in e for e in errors)


def test_no_outcomes_at_all_is_a_usage_error(project):
    path = project / MEETING
    path.write_text(re.sub(r"\n    utfall: \S+", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run("protokoll", str(MEETING), "--out", "ut")
    assert result.exit_code == 2 and "inga utfall" in result.stderr
    assert not (project / "ut").exists()


def test_a_person_not_deciding_cannot_move_or_reserve(project):
    edit(project, "      - {namn: Jonas Berg, skriftlig: true}\n", "      - {namn: Erik Sandberg, skriftlig: true}\n")
    refused(project, "ärenden[3].reservationer[1]: 'Erik Sandberg' är inte beslutande i ärendet")


def test_a_substitute_for_a_present_member(project):
    edit(project, "        - {namn: Olof Kvist, för: Maria Öst}\n", "        - {namn: Olof Kvist, för: Leila Haddad}\n")
    refused(project, "ärenden[3].närvaro.tjänstgörande_ersättare[1].för: 'Leila Haddad' är närvarande")


def test_the_output_is_written_whole_or_not_at_all(project):
    """A failed protokoll leaves the earlier one as it was."""
    assert run("protokoll", str(MEETING), "--out", "ut").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "ut").rglob("*") if p.is_file()}
    edit(project, "      nej: [Jonas Berg, Sara Blom]\n", "      nej: [Jonas Berg]\n")
    assert run("protokoll", str(MEETING), "--out", "ut").exit_code == 1
    assert before == {p: p.read_bytes() for p in (project / "ut").rglob("*") if p.is_file()}


# -- § series ------------------------------------------------------------------------------------

def next_meeting(project: Path, date: str, first: str = "", justering: str = "", anslag: str = "") -> Path:
    """A second meeting of the same nämnd beside the example, with one ärende."""
    path = project / "decisions" / "sammantraden" / f"son-{date}.yaml"
    path.write_text(
        f"typ: sammanträde\nnämnd: SON\ndatum: {date}\ntid: {{start: '13:00'}}\nplats: Roxen\n"
        "ordförande: Anna Lindqvist\nsekreterare: Per Holm\nledamöter: [Anna Lindqvist, Jonas Berg]\n"
        f"justerare: [Jonas Berg]\njustering: {{datum: {justering or date}}}\n{first}"
        + (f"anslag: {{datum: {anslag}}}\n" if anslag else "") +
        "ärenden:\n  - rubrik: Information\n    typ: information\n    text: Läget.\n    utfall: information\n",
        encoding="utf-8")
    return path


def test_numbers_continue_from_the_previous_meeting(project):
    later = next_meeting(project, "2022-02-23")
    result = run("protokoll", str(later.relative_to(project)), "--out", "feb")
    assert result.exit_code == 0, result.output
    assert paragraph_numbers(pdf_text(project / "feb" / "intern" / "protokoll.pdf")) == [7]
    assert (project / "feb" / "intern" / "protokollsutdrag-paragraf-7.pdf").is_file()


def test_numbers_colliding_with_the_previous_meeting(project):
    later = next_meeting(project, "2022-02-23", "första_paragraf: 6\n")
    result = run("check", str(later.relative_to(project)))
    assert result.exit_code == 1
    assert "första_paragraf: § 6 kolliderar med föregående sammanträde son-2022-01-26.yaml (slutar med § 6); " \
           "nästa lediga är § 7" in result.stderr


def test_a_new_year_starts_from_the_profile(project):
    later = next_meeting(project, "2023-01-25")
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "    genitiv: social- och omsorgsnämndens\n",
        "    genitiv: social- och omsorgsnämndens\n    första_paragraf: 101\n"), encoding="utf-8")
    result = run("protokoll", str(later.relative_to(project)), "--out", "jan")
    assert result.exit_code == 0, result.output
    assert paragraph_numbers(pdf_text(project / "jan" / "intern" / "protokoll.pdf")) == [101]


@pytest.mark.parametrize("meeting, justering, anslag, last", [
    ("2025-11-26", "2025-12-02", "2025-12-03", "2025-12-29"),  # before Christmas: julafton, juldagen, annandag, helg
    ("2025-05-21", "2025-05-28", "2025-05-30", "2025-06-23"),  # before midsommar: afton, dagen, söndag
])
def test_appeal_date_in_the_protokoll_moves_past_holidays(project, meeting, justering, anslag, last):
    path = next_meeting(project, meeting, justering=justering, anslag=anslag)
    result = run("protokoll", str(path.relative_to(project)), "--out", "ut")
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(project / "ut" / "intern" / "protokoll.pdf").split())
    assert f"Datum då anslaget sätts upp: {anslag}" in text and f"Sista dag att överklaga: {last}" in text
    data = json.loads((project / "ut" / "offentlig" / "protokoll.json").read_text(encoding="utf-8"))
    assert data["sista_dag_att_överklaga"] == last


def test_the_protokoll_has_a_signature_field_for_each_who_signs_it(made):
    """Digital justering: sekreterare, ordförande and each justerare sign the protokoll's own fields;
    the sekreterare the utdrag's utdragsbestyrkande."""
    import pikepdf

    with pikepdf.open(made / "intern" / "protokoll.pdf") as pdf:
        assert [str(f.T) for f in pdf.Root.AcroForm.Fields] == ["sekreterare", "ordforande", "justerare-1"]
    with pikepdf.open(made / "offentlig" / "protokollsutdrag-paragraf-1.pdf") as pdf:
        assert [str(f.T) for f in pdf.Root.AcroForm.Fields] == ["utdragsbestyrkande"]
