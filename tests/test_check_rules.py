"""`beslut check`: each rule gives path:line:column: field: message and the right exit code."""
from __future__ import annotations

import json

import pytest

from .conftest import MINIMAL, SECOND_PROFILE, run, write


def check_lines(project, text: str, *args: str):
    write(project / "decisions" / "r.yaml", text)
    result = run("check", *args)
    lines = [line for line in result.stderr.splitlines() if line.startswith("decisions/")]
    return result, lines


def test_unknown_key_suggests_the_right_one(empty_project):
    result, lines = check_lines(empty_project, MINIMAL + "skickas_tll:\n  - X\n")
    assert result.exit_code == 1
    assert lines == ["decisions/r.yaml:21:1: skickas_tll: okänd nyckel 'skickas_tll'; menade du 'skickas_till'?"]


def test_all_problems_are_reported_not_only_the_first(empty_project):
    text = MINIMAL.replace("rubrik: Ett litet ärende\n", "").replace("datum: 2024-03-01", "datum: 2024-02-30")
    result, lines = check_lines(empty_project, text)
    assert result.exit_code == 1
    assert any("datum: '2024-02-30' är inget giltigt datum" in line for line in lines)
    assert any("rubrik: fältet 'rubrik' saknas" in line for line in lines)


def test_wrong_type_names_field_and_line(empty_project):
    text = MINIMAL.replace("  - förvaltning: Social- och omsorgsförvaltningen\n    namn: Bo Bengtsson\n",
                           "  Bo Bengtsson\n")
    result, lines = check_lines(empty_project, text)
    assert any(":18:1: underskrifter: ska vara en lista" in line for line in lines), lines


def test_dnr_must_match_profile_pattern(empty_project):
    result, lines = check_lines(empty_project, MINIMAL.replace("dnr: SON 2024-12", "dnr: 2024/12"))
    assert lines == ["decisions/r.yaml:6:1: dnr: '2024/12' följer inte profilens mönster för diarienummer; ett giltigt "
                     "diarienummer ser ut så här: 'SON 2024-123'"]


def test_dnr_mismatch_shows_the_profiles_own_example(empty_project):
    profile = empty_project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "dnr_exempel: SON 2019-4711\n", encoding="utf-8")
    result, lines = check_lines(empty_project, MINIMAL.replace("dnr: SON 2024-12", "dnr: SON-2024-12"))
    assert lines[0].endswith("ett giltigt diarienummer ser ut så här: 'SON 2019-4711'")


def test_dnr_example_is_made_from_the_pattern_when_no_usual_shape_fits(empty_project):
    profile = empty_project / "beslut.yaml"
    text = profile.read_text(encoding="utf-8").replace("dnr_mönster: '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$'",
                                                       "dnr_mönster: '^Dnr[.]\\d{2}#[A-Z]{2}$'")
    profile.write_text(text, encoding="utf-8")
    result, lines = check_lines(empty_project, MINIMAL.replace("dnr: SON 2024-12", "dnr: 2024/12"))
    assert lines == ["decisions/r.yaml:6:1: dnr: '2024/12' följer inte profilens mönster för diarienummer; ett giltigt "
                     "diarienummer ser ut så här: 'Dnr.12#AA'"]


def test_dnr_example_never_shows_a_wrong_one(empty_project):
    profile = empty_project / "beslut.yaml"
    text = profile.read_text(encoding="utf-8").replace("dnr_mönster: '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$'",
                                                       "dnr_mönster: '^[^x]+x$'")
    profile.write_text(text + "dnr_exempel: fel\n", encoding="utf-8")  # an example that does not match is not shown
    result, lines = check_lines(empty_project, MINIMAL.replace("dnr: SON 2024-12", "dnr: 2024/12"))
    assert lines == ["decisions/r.yaml:6:1: dnr: '2024/12' följer inte profilens mönster för diarienummer (^[^x]+x$)"]


def test_namnd_and_forvaltning_must_be_in_profile(empty_project):
    text = MINIMAL.replace("nämnd: SON", "nämnd: XYZ").replace(
        "förvaltning: Social- och omsorgsförvaltningen\ndatum", "förvaltning: Social och omsorgsförvaltningen\ndatum")
    result, lines = check_lines(empty_project, text)
    assert any("nämnd: 'XYZ' finns inte bland profilens organ" in line for line in lines)
    assert any("menade du 'Social- och omsorgsförvaltningen'?" in line for line in lines)


def test_required_standard_section(empty_project):
    text = MINIMAL.replace("avsnitt:\n  - standard: ekonomiska_konsekvenser\n    text: Inga.\n", "")
    result, lines = check_lines(empty_project, text)
    assert any("standardavsnittet 'ekonomiska_konsekvenser'" in line for line in lines)


def test_placeholder_only_in_drafts(empty_project):
    result, lines = check_lines(empty_project, MINIMAL.replace("dnr: SON 2024-12", "dnr: SON XXXX"))
    assert result.exit_code == 1
    assert any("platshållaren 'XXXX' står kvar; bara ett utkast" in line for line in lines)
    draft = MINIMAL.replace("dnr: SON 2024-12", "dnr: SON XXXX").replace("status: beslutad", "status: utkast")
    result, lines = check_lines(empty_project, draft)
    assert result.exit_code == 0 and any("varning: dnr: platshållaren" in line for line in lines)
    result, _ = check_lines(empty_project, draft, "--strict")
    assert result.exit_code == 1


def test_mbl_date_after_document_date(empty_project):
    text = MINIMAL + "mbl:\n  typ: information\n  datum: 2024-04-01\n"
    result, lines = check_lines(empty_project, text)
    assert any("mbl.datum: MBL-datumet 2024-04-01 ligger efter" in line for line in lines)


AGREEMENT = """
typ: uppdrag
uppdragstyp: verksamhetsuppdrag
status: beslutad
nämnd: SON
utförare: Leverantören
rubrik: Verksamhetsuppdrag Test
avsnitt:
  - rubrik: Uppdraget
    text: Text.
uppdragstid:
  start: 2022-01-01
  uppsägningstid_månader: 12
ersättning:
  belopp_tkr_per_år: 8410
  tillägg:
    - belopp_tkr_per_år: 1750
      från: 2022-07-01
      belopp_första_året_tkr: 900
  prisnivå: 2021
ort_och_datum:
  datum: 2022-05-18
parter:
  - organ: SON
    undertecknare: A
  - namn: Leverantören
    undertecknare: B
"""


def test_pro_rata_sum_is_checked(empty_project):
    result, lines = check_lines(empty_project, AGREEMENT)
    assert lines == ["decisions/r.yaml:18:7: ersättning.tillägg[1].belopp_första_året_tkr: ska vara 875\u00a0tkr: "
                     "1\u00a0750\u00a0tkr/år × 6/12 månader från 2022-07-01, inte 900\u00a0tkr"]
    result, lines = check_lines(empty_project, AGREEMENT.replace("900", "875"))
    assert result.exit_code == 0, lines


def test_agreement_end_before_start(empty_project):
    text = AGREEMENT.replace("900", "875").replace("  uppsägningstid_månader", "  slut: 2021-12-31\n  uppsägningstid_månader")
    result, lines = check_lines(empty_project, text)
    assert any("uppdragstid.slut: slutdatum 2021-12-31 ligger inte efter start 2022-01-01" in line for line in lines)


def test_unknown_kind(empty_project):
    result, lines = check_lines(empty_project, "typ: protokoll\n")
    assert lines == ["decisions/r.yaml:1:1: typ: 'typ' ska vara en av: sammanträde, tjänsteskrivelse, uppdrag, utlåtande"]


def test_personnummer_found_and_acknowledged(empty_project):
    text = MINIMAL.replace("Kort ärende.", "Gäller 19121212-1212 och 121212-1213.")
    result, lines = check_lines(empty_project, text)
    assert result.exit_code == 0
    assert [line for line in lines if "personnummer" in line] == [
        "decisions/r.yaml:13:1: varning: ärende: personnummer '19121212-1212' i texten: ta bort det, eller godkänn "
        "just detta nummer under 'personnummer_tillåtna' om det är lagligt"]
    assert run("check", "--strict").exit_code == 1
    write(empty_project / "decisions" / "r.yaml", text + "personnummer_tillåtna: ['121212-1212']\n")
    assert run("check", "--strict").exit_code == 0


def test_missing_attachment(empty_project):
    text = MINIMAL + "beslutsunderlag:\n  - titel: Bilaga\n    bilaga: bilagor/saknas.pdf\n"
    result, lines = check_lines(empty_project, text)
    assert any("beslutsunderlag[1].bilaga: bilagan 'bilagor/saknas.pdf' finns inte" in line for line in lines)


def test_profile_problems_are_reported(empty_project):
    (empty_project / "beslut.yaml").write_text("kommun: X\nort: Y\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "beslut.yaml:1:1: dnr_mönster: fältet 'dnr_mönster' saknas" in result.stderr
    assert "Traceback" not in result.output


def test_schema_is_json_schema_with_swedish_keys():
    result = run("schema")
    schema = json.loads(result.output)
    assert schema["$schema"].endswith("2020-12/schema")
    names = json.dumps(schema, ensure_ascii=False)
    assert '"förslag_till_beslut"' in names and '"ersättning"' in names


def test_new_writes_valid_drafts(empty_project):
    for kind in ("tjänsteskrivelse", "uppdrag", "utlåtande"):
        assert run("new", kind, f"decisions/{kind}.yaml").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.output
    assert run("check", "--strict").exit_code == 1  # placeholders remain
    assert run("new", "uppdrag", "decisions/uppdrag.yaml").exit_code == 1  # no overwrite without --force


def test_build_writes_the_schema_records_point_to(empty_project):
    from .conftest import MINIMAL
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "--format", "html").exit_code == 0
    from beslut.records import project_schema_json
    assert (empty_project / "build" / "schema.json").read_text(encoding="utf-8") == project_schema_json(empty_project)
    assert "$schema=../build/schema.json" in run("new", "uppdrag", "decisions/u.yaml").output or \
        "$schema=../build/schema.json" in (empty_project / "decisions" / "u.yaml").read_text(encoding="utf-8")


TJS_RULES = [
    # (change to MINIMAL, expected field, expected message part)
    (("  - punkter:\n      - Nämnden beslutar.\n", "  - instans: XYZ\n    punkter:\n      - Nämnden beslutar.\n"),
     "förslag_till_beslut[1].instans", "'XYZ' finns inte bland profilens organ"),
    (("  - punkter:\n      - Nämnden beslutar.\n", "  - numrerade: false\n    punkter: [Ett., Två.]\n"),
     "förslag_till_beslut[1].numrerade", "bara en enda punkt kan stå onumrerad"),
    (("  - punkter:\n      - Nämnden beslutar.\n", "  - punkter: [A.]\n  - instans: SON\n    punkter: [B.]\n"),
     "förslag_till_beslut", "samma instans förekommer två gånger"),
    (("ärende: |\n", "beslutsunderlag:\n  - titel: Senare\n    datum: 2024-05-01\närende: |\n"),
     "beslutsunderlag[1].datum", "efter tjänsteskrivelsen"),
    (("  - standard: ekonomiska_konsekvenser\n", "  - standard: ekonomi\n"),
     "avsnitt[1].standard", "standardavsnitt 'ekonomi' finns inte i profilen"),
    (("  - standard: ekonomiska_konsekvenser\n    text: Inga.\n", "  - standard: ekonomiska_konsekvenser\n"),
     "avsnitt[1]", "avsnittet är tomt"),
    (("  - standard: ekonomiska_konsekvenser\n", "  - standard: ekonomiska_konsekvenser\n    rubrik: Båda\n"),
     "avsnitt[1]", "antingen 'rubrik'"),
    (("underskrifter:\n  - förvaltning: Social- och omsorgsförvaltningen\n",
      "mbl:\n  typ: information\nunderskrifter:\n  - förvaltning: Social- och omsorgsförvaltningen\n"),
     "mbl", "ange 'datum'"),
    (("underskrifter:\n  - förvaltning: Social- och omsorgsförvaltningen\n",
      "mbl:\n  typ: samverkan\nunderskrifter:\n  - förvaltning: Social- och omsorgsförvaltningen\n"),
     "mbl.typ", "ska vara en av: 'information', 'förhandling', 'ej_påkallad'"),
    (("status: beslutad", "status: klar"), "status", "ska vara en av: 'utkast', 'färdig', 'beslutad'"),
    (("förslag_till_beslut:\n  - punkter:\n      - Nämnden beslutar.\n", "förslag_till_beslut: []\n"),
     "förslag_till_beslut", "får inte vara tom"),
]


@pytest.mark.parametrize("change,field,message", TJS_RULES, ids=[r[1] + ":" + r[2][:20] for r in TJS_RULES])
def test_tjansteskrivelse_rule(empty_project, change, field, message):
    old, new = change
    assert old in MINIMAL, old
    result, lines = check_lines(empty_project, MINIMAL.replace(old, new))
    assert result.exit_code == 1, result.output
    assert any(f" {field}: " in line and message in line for line in lines), lines


AGREEMENT_RULES = [
    (("      från: 2022-07-01", "      från: 2021-07-01"), "ersättning.tillägg[1].från", "före uppdragets start"),
    (("  uppsägningstid_månader: 12", "  slut: 2022-03-31\n  uppsägningstid_månader: 12"),
     "ersättning.tillägg[1].från", "efter uppdragets slut"),
    (("  prisnivå: 2021", "  prisnivå: 2021\n  uppräkning:\n    från: 2021-01-01"),
     "ersättning.uppräkning.från", "före uppdragets start"),
    (("  - namn: Leverantören\n    undertecknare: B", "  - organ: XYZ\n    undertecknare: B"),
     "parter[2].organ", "organ 'XYZ' finns inte i profilen"),
    (("  - namn: Leverantören\n    undertecknare: B", "  - undertecknare: B"), "parter[2]", "antingen 'organ'"),
    (("  - namn: Leverantören\n    undertecknare: B\n", ""), "parter", "ska ha minst 2 poster"),
    (("  uppsägningstid_månader: 12", "  uppsägningstid_månader: -1"), "uppdragstid.uppsägningstid_månader",
     "ska vara minst 0"),
    (("uppdragstyp: verksamhetsuppdrag", "uppdragstyp: avtal"), "uppdragstyp",
     "ska vara en av: 'verksamhetsuppdrag', 'utvecklingsuppdrag'"),
]


@pytest.mark.parametrize("change,field,message", AGREEMENT_RULES, ids=[r[1] + ":" + r[2][:20] for r in AGREEMENT_RULES])
def test_agreement_rule(empty_project, change, field, message):
    old, new = change
    text = AGREEMENT.replace("900", "875")
    assert old in text, old
    result, lines = check_lines(empty_project, text.replace(old, new))
    assert result.exit_code == 1, result.output
    assert any(f" {field}: " in line and message in line for line in lines), lines


def test_prisniva_far_after_start_is_a_warning(empty_project):
    text = AGREEMENT.replace("900", "875").replace("prisnivå: 2021", "prisnivå: 2030")
    result, lines = check_lines(empty_project, text)
    assert result.exit_code == 0
    assert any("varning: ersättning.prisnivå: prisnivå 2030 ligger långt efter" in line for line in lines)


def test_internal_error_is_one_line_not_a_traceback(empty_project, monkeypatch):
    from click.testing import CliRunner

    from beslut import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "check_records", broken)
    result = CliRunner().invoke(cli.main, ["check"])
    assert result.exit_code == 70
    assert result.stderr.startswith("internt fel i beslut: ZeroDivisionError: division by zero.")
    assert "Traceback" not in result.output


def test_new_follows_the_profile(tmp_path, monkeypatch):
    write(tmp_path / "beslut.yaml", SECOND_PROFILE)
    (tmp_path / "decisions").mkdir()
    monkeypatch.chdir(tmp_path)
    for kind in ("tjänsteskrivelse", "uppdrag"):
        assert run("new", kind, f"decisions/{kind}.yaml").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "decisions" / "tjänsteskrivelse.yaml").read_text(encoding="utf-8")
    assert "nämnd: BUN" in text and "förvaltning: Utbildningsförvaltningen" in text
    assert "  - standard: ekonomi    # Ekonomi (krävs)" in text and "  # - standard: barn    # Barnperspektiv (valfritt)" in text


def test_schema_errors_do_not_hide_rule_errors(empty_project):
    """A missing field and a wrong Dnr, a placeholder and a personnummer: all reported in one run."""
    text = (MINIMAL.replace("rubrik: Ett litet ärende\n", "").replace("dnr: SON 2024-12", "dnr: 2024/12")
            .replace("Kort ärende.", "Se XXXX och 19121212-1212."))
    result, lines = check_lines(empty_project, text)
    assert result.exit_code == 1
    assert any("rubrik: fältet 'rubrik' saknas" in line for line in lines)
    assert any(line.startswith("decisions/r.yaml:6:1: dnr: '2024/12' följer inte profilens mönster") for line in lines)
    assert any("ärende: platshållaren 'XXXX' står kvar" in line for line in lines)
    assert any("personnummer '19121212-1212'" in line for line in lines)


@pytest.mark.parametrize("text", ["XXXX", "Dnr SON 2022-XXX", "xxxx", "xxx", "....", "...", "…", "???", "??",
                                  "ÅÅÅÅ-MM-DD", "ÅÅÅÅÅ", "TODO: skriv", "TODOS", "Inga platshållare här.", ""])
def test_the_placeholder_shortcut_finds_what_the_pattern_finds(text):
    from beslut.records import PLACEHOLDER, find_placeholder

    found, expected = find_placeholder(text), PLACEHOLDER.search(text)
    assert (found and found.group()) == (expected and expected.group())
