"""Writing guidance (beslut.guidance): each rule warns with file:line:field and a fix, --strict makes it an
error, and the profile's vägledning turns it off."""
from __future__ import annotations

from .conftest import MINIMAL, ROOT, run, write

UNDERLAG = "beslutsunderlag:\n  - titel: Tjänsteskrivelse\n    datum: 2024-03-01\n"


def check(project, text: str, *args: str):
    write(project / "decisions" / "r.yaml", text)
    result = run("check", *args)
    return result, [line for line in result.stderr.splitlines() if line.startswith("decisions/")]


def vagledning(project, text: str) -> None:
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "vägledning:\n" + text, encoding="utf-8")


def test_a_clean_record_has_no_guidance_warnings(empty_project):
    result, lines = check(empty_project, MINIMAL + UNDERLAG)
    assert result.exit_code == 0 and lines == []


def test_forslag_that_refers_elsewhere(empty_project):
    text = MINIMAL.replace("- Nämnden beslutar.", "- Nämnden beslutar I ENLIGHET MED förvaltningens\n        förslag.")
    result, lines = check(empty_project, text + UNDERLAG)
    assert result.exit_code == 0
    assert lines == ["decisions/r.yaml:12:9: varning: förslag_till_beslut[1].punkter[1]: förslaget hänvisar till ett "
                     "annat dokument ('i enlighet med förvaltningens förslag'); i protokollet ska beslutet förstås på "
                     "egen hand: skriv ut vad som beslutas i stället för hänvisningen [vägledning.förslag_hänvisar]"]
    result, lines = check(empty_project, text + UNDERLAG, "--strict")
    assert result.exit_code == 1


def test_profile_phrases_and_turning_off(empty_project):
    vagledning(empty_project, "  hänvisningar: [se bilaga]\n")
    text = MINIMAL.replace("- Nämnden beslutar.", "- Nämnden beslutar, se bilaga 2.")
    result, lines = check(empty_project, text + UNDERLAG)
    assert len(lines) == 1 and "('se bilaga')" in lines[0]
    vagledning(empty_project, "  förslag_hänvisar: false\n")
    # a second vägledning key would be a duplicate key: write the profile anew
    profile = (ROOT / "beslut.yaml").read_text(encoding="utf-8")
    (empty_project / "beslut.yaml").write_text(profile + "vägledning:\n  förslag_hänvisar: false\n"
                                               "  hänvisningar: [se bilaga]\n", encoding="utf-8")
    result, lines = check(empty_project, text + UNDERLAG)
    assert lines == []


def test_forslag_in_the_old_att_style(empty_project):
    text = MINIMAL.replace("- Nämnden beslutar.", "- att godkänna förslaget")
    result, lines = check(empty_project, text + UNDERLAG)
    assert lines == ["decisions/r.yaml:12:9: varning: förslag_till_beslut[1].punkter[1]: förslaget börjar med 'att' "
                     "(den äldre stilen); skriv en hel mening med vem som beslutar, t.ex. 'Nämnden godkänner …' i "
                     "stället för 'att godkänna …' [vägledning.förslag_att]"]
    assert check(empty_project, MINIMAL.replace("- Nämnden beslutar.", "- Attesträtten ges kontrollanten.") +
                 UNDERLAG)[1] == []


def test_beslutsunderlag_without_a_date(empty_project):
    result, lines = check(empty_project, MINIMAL + UNDERLAG + "  - Motionen\n")
    assert lines == ["decisions/r.yaml:24:5: varning: beslutsunderlag[2]: underlaget 'Motionen' saknar datum; skriv "
                     "det som 'titel: …' med 'datum: ÅÅÅÅ-MM-DD' på raden under [vägledning.underlag_datum]"]


def test_own_tjansteskrivelse_first_and_with_the_records_date(empty_project):
    later = "beslutsunderlag:\n  - titel: Motionen\n    datum: 2024-01-02\n  - titel: Tjänsteskrivelse\n" \
            "    datum: 2024-03-01\n"
    assert check(empty_project, MINIMAL + later)[1] == [
        "decisions/r.yaml:24:5: varning: beslutsunderlag[2]: den egna tjänsteskrivelsen står som nummer 2 bland "
        "beslutsunderlagen; flytta den först [vägledning.egen_tjänsteskrivelse_först]"]
    missing = "beslutsunderlag:\n  - titel: Motionen\n    datum: 2024-01-02\n"
    assert check(empty_project, MINIMAL + missing)[1] == [
        "decisions/r.yaml:21:1: varning: beslutsunderlag: den egna tjänsteskrivelsen saknas bland beslutsunderlagen; "
        "lägg den först: '- titel: Tjänsteskrivelse' och 'datum: 2024-03-01' [vägledning.egen_tjänsteskrivelse_först]"]
    other_date = UNDERLAG.replace("datum: 2024-03-01", "datum: 2024-02-27")
    assert check(empty_project, MINIMAL + other_date)[1] == [
        "decisions/r.yaml:23:5: varning: beslutsunderlag[1].datum: den egna tjänsteskrivelsen är daterad 2024-02-27 "
        "men posten 2024-03-01; ändra datumet till 2024-03-01 [vägledning.egen_tjänsteskrivelse_först]"]


def test_every_rule_can_be_turned_off(empty_project):
    profile = (ROOT / "beslut.yaml").read_text(encoding="utf-8")
    (empty_project / "beslut.yaml").write_text(profile + "vägledning:\n  förslag_hänvisar: false\n  förslag_att: false\n"
                                               "  underlag_datum: false\n  egen_tjänsteskrivelse_först: false\n",
                                               encoding="utf-8")
    text = MINIMAL.replace("- Nämnden beslutar.", "- att bifalla enligt förvaltningens förslag")
    result, lines = check(empty_project, text + "beslutsunderlag:\n  - Motionen\n", "--strict")
    assert result.exit_code == 0 and lines == []


def test_the_examples_have_no_errors_and_only_the_sources_gaps(project):
    result = run("check")
    assert result.exit_code == 0, result.stderr
    guidance = [line for line in result.stderr.splitlines() if "[vägledning." in line]
    # the sources print these underlag without a date; the records do not invent one
    assert [line.split(": varning:")[0] for line in guidance] == [
        "decisions/son-2020-faltverksamhet.yaml:38:5", "decisions/son-2021-omradesbaserat-socialt-arbete-motion.yaml:60:5"]


def test_standard_sections_in_the_profiles_order_when_the_kommun_asks(empty_project):
    from .conftest import MINIMAL, run, write

    profile = empty_project / "beslut.yaml"
    text = MINIMAL.replace("avsnitt:\n  - standard: ekonomiska_konsekvenser\n    text: Inga.\n",
                           "avsnitt:\n  - standard: jämställdhet\n    text: Ja.\n"
                           "  - standard: ekonomiska_konsekvenser\n    text: Inga.\n")
    write(empty_project / "decisions" / "r.yaml", text)
    assert "standardavsnitt_i_ordning" not in run("check").stderr  # off by default
    profile.write_text(profile.read_text(encoding="utf-8") + "vägledning:\n  standardavsnitt_i_ordning: true\n",
                       encoding="utf-8")
    result = run("check")
    assert ("avsnitt[2].standard: standardavsnittet 'ekonomiska_konsekvenser' står efter 'jämställdhet' men kommer "
            "före det i profilens ordning; flytta det [vägledning.standardavsnitt_i_ordning]") in result.stderr
