"""Utlåtande: the styrelse's förslag to fullmäktige, as kommuner and regioner write it."""
from __future__ import annotations

from beslut.compose import compose
from beslut.document import Heading, ListBlock, Paragraph, Run, Signatures
from beslut.profile import load_profile
from beslut.records import load_record

from .conftest import ROOT, run, write
from .helpers import docx_body_text, html_text, pdf_text

EXAMPLE = "ks-2024-utlatande-omradesteam"

UTLATANDE = """
typ: utlåtande
status: beslutad
nämnd: KS
till: KF
nummer: "2024:12"
serie: RVII
datum: 2024-03-13
dnr: KS 2024-118
rubrik: Ett utlåtande
förslag:
  - Kommunfullmäktige antar planen.
föredragande:
  titel: borgarrådet
  namn: Eva Exempel
anförande: Planen behövs.
beredning:
  remissinstanser: [Stadsbyggnadsnämnden, Trafiknämnden]
"""


def check(project, text: str, *args: str):
    write(project / "decisions" / "u.yaml", text)
    result = run("check", *args)
    return result, [line for line in result.stderr.splitlines() if line.startswith("decisions/")]


def test_example_composes_the_parts_of_an_utlatande():
    record, problems = load_record(ROOT / "decisions" / f"{EXAMPLE}.yaml")
    assert record is not None, problems
    doc = compose(record, load_profile(ROOT / "beslut.yaml"))
    assert doc.kind == "utlåtande" and doc.subtitle == ["Utlåtande 2024:12 RVII"]
    sentence, points = doc.part("förslag")
    assert sentence == Paragraph([Run("Kommunstyrelsen föreslår att kommunfullmäktige beslutar följande.")])
    assert isinstance(points, ListBlock) and points.ordered and len(points.items) == 2
    assert doc.part("anförande")[0] == Heading(1, [Run("Föredragande kommunalrådet Eva Exempel anför följande.")])
    beredning = doc.part("beredning")
    assert beredning[0] == Heading(1, [Run("Beredning")]) and beredning[-2] == Paragraph([Run("Remissinstanser:")], "label")
    # the styrelse's document: no handläggare, no förvaltning, nobody signs
    assert doc.letterhead.handlaggare == [] and doc.letterhead.forvaltning == ""
    assert doc.letterhead.mottagare == "Kommunfullmäktige"
    assert not any(isinstance(b, Signatures) for b in doc.blocks) and doc.signers == []


def test_example_builds_in_every_format(built_examples):
    texts = {"html": html_text(built_examples / f"{EXAMPLE}.html"),
             "docx": docx_body_text(built_examples / f"{EXAMPLE}.docx"),
             "pdf": pdf_text(built_examples / f"{EXAMPLE}.pdf")}
    for fmt, text in texts.items():
        for expected in ("Utlåtande 2024:12 RVII", "Kommunstyrelsen föreslår att kommunfullmäktige beslutar följande.",
                         "Föredragande kommunalrådet Eva Exempel anför följande.", "Remissinstanser:",
                         "Social- och omsorgsnämnden", "Beslutsunderlag:"):
            assert expected in text, (fmt, expected)


def test_a_clean_utlatande_checks(empty_project):
    result, lines = check(empty_project, UTLATANDE)
    assert result.exit_code == 0 and lines == []


def test_rules_with_their_messages(empty_project):
    text = UTLATANDE.replace("till: KF", "till: KFF").replace('nummer: "2024:12"', 'nummer: "12/2024"')
    result, lines = check(empty_project, text)
    assert result.exit_code == 1
    assert lines == ["decisions/u.yaml:4:1: till: organ 'KFF' finns inte i profilen; menade du 'KF'?",
                     "decisions/u.yaml:5:1: nummer: '12/2024' ska skrivas år:löpnummer, t.ex. '2024:12'"]
    result, lines = check(empty_project, UTLATANDE.replace("till: KF", "till: KS"))
    assert lines == ["decisions/u.yaml:4:1: till: utlåtandet går från KS till ett annat organ; 'till' ska vara "
                     "fullmäktige (t.ex. KF), inte samma organ som 'nämnd'"]
    result, lines = check(empty_project, UTLATANDE.replace('nummer: "2024:12"', 'nummer: "2023:12"'))
    assert result.exit_code == 0
    assert lines == ["decisions/u.yaml:5:1: varning: nummer: utlåtandet är numrerat för 2023 men daterat 2024-03-13; "
                     "numret följer beslutsårets serie"]
    result, lines = check(empty_project, UTLATANDE.replace("förslag:\n", "numrerade: false\nförslag:\n  - Och mer.\n"))
    assert lines == ["decisions/u.yaml:10:1: numrerade: bara en enda punkt kan stå onumrerad; numrera punkterna eller "
                     "slå ihop dem"]


def test_guidance_reads_the_utlatandes_points(empty_project):
    result, lines = check(empty_project, UTLATANDE.replace("- Kommunfullmäktige antar planen.", "- att anta planen"))
    assert len(lines) == 1 and lines[0].startswith("decisions/u.yaml:11:5: varning: förslag[1]: förslaget börjar med 'att'")


def test_er_beteckning_in_the_letterhead(empty_project):
    (empty_project / "beslut.yaml").write_text((ROOT / "beslut.yaml").read_text(encoding="utf-8") +
                                               "brevhuvud:\n  fält: [datum, dnr, er_beteckning]\n", encoding="utf-8")
    write(empty_project / "decisions" / "u.yaml", UTLATANDE + "er_beteckning: Motion 2023:14\n")
    record, problems = load_record(empty_project / "decisions" / "u.yaml")
    assert record is not None, problems
    doc = compose(record, load_profile(empty_project / "beslut.yaml"))
    assert doc.letterhead.fields == [("", "2024-03-13"), ("Dnr", "KS 2024-118"), ("Er beteckning", "Motion 2023:14")]


def test_new_utlatande_is_a_draft_that_checks(empty_project):
    result = run("new", "utlåtande", "decisions/nytt.yaml")
    assert result.exit_code == 0, result.output + result.stderr
    result = run("check", "decisions/nytt.yaml")
    assert result.exit_code == 0, result.stderr
    assert "varning" in result.stderr  # the placeholders of a draft
    assert run("check", "--strict", "decisions/nytt.yaml").exit_code == 1


def test_new_utlatande_is_valid_under_a_profile_without_kf(tmp_path, monkeypatch):
    from .conftest import run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "beslut.yaml").write_text(
        "kommun: Ale kommun\nort: Nödinge\ndnr_mönster: '^[A-Z]+ \\\\d{4}-\\\\d+$'\n"
        "organ:\n  BUN: {namn: Barn- och utbildningsnämnden, genitiv: barn- och utbildningsnämndens}\n"
        "  KS: {namn: Kommunstyrelsen, genitiv: kommunstyrelsens}\nförvaltningar: [Sektor utbildning]\n",
        encoding="utf-8")
    (tmp_path / "decisions").mkdir()
    assert run("new", "utlåtande", "decisions/u.yaml").exit_code == 0
    assert "till: KS" in (tmp_path / "decisions" / "u.yaml").read_text(encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0, result.output + result.stderr
