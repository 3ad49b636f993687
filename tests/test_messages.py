"""User messages are Swedish, point at the mistake (not where the parser gave up) and show the fix."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from beslut import yamlsource
from beslut.records import load_record

from .conftest import MINIMAL, ROOT, run, write


def problems(text: str) -> list[str]:
    """``line:column: message`` of every problem in ``text`` read as a YAML file."""
    src = yamlsource.load_bytes(Path("r.yaml"), text.encode("utf-8"))
    return [f"{p.line}:{p.column}: {p.message}" for p in src.problems]


def test_unquoted_colon_in_a_value_says_how_to_quote_it(empty_project):
    write(empty_project / "decisions" / "r.yaml",
          MINIMAL.replace("rubrik: Ett litet ärende", "rubrik: Svar på medborgarförslag: Fler bänkar"))
    result = run("check")
    assert result.exit_code == 1
    assert ("decisions/r.yaml:9:33: ogiltig YAML: kolon följt av mellanslag mitt i ett värde läses som en ny nyckel; "
            'sätt värdet inom citattecken: rubrik: "Svar på medborgarförslag: Fler bänkar"') in result.stderr
    assert "mapping values" not in result.output


@pytest.mark.parametrize(("text", "expected"), [
    # a list item of text: the whole item is quoted
    ("punkter:\n  - Svar: två: tre\n", "2:14: ogiltig YAML: kolon följt av mellanslag mitt i ett värde läses som en ny "
                                      'nyckel; sätt värdet inom citattecken: - "Svar: två: tre"'),
    # a value that already holds double quotes is quoted with single ones; a comment stays a comment
    ('rubrik: "Nej": sa de # ok\n', "1:14: ogiltig YAML: kolon följt av mellanslag mitt i ett värde läses som en ny "
                                   """nyckel; sätt värdet inom citattecken: rubrik: '"Nej": sa de' # ok"""),
    # 'rubrik:Hej' is text, and the next line's colon fails: the missing space is on line 1
    ("rubrik:Hej\nstatus: utkast\n", "1:7: ogiltig YAML: mellanslag saknas efter kolon, så raden läses som text och "
                                     "nästa rads nyckel blir fel; skriv: rubrik: Hej"),
    ("rubrik: Hej\n  status: utkast\n", "2:3: ogiltig YAML: raden är mer indragen än nycklarna ovanför och läses som en "
                                        "fortsättning på värdet på rad 1; ge nycklar på samma nivå samma indrag"),
])
def test_colon_mistakes_are_explained_where_they_are(text, expected):
    assert problems(text) == [expected]


def test_unclosed_quote_is_reported_at_the_opening_quote_not_at_the_end_of_the_file():
    text = 'typ: tjänsteskrivelse\nrubrik: "Svar på motion\nstatus: utkast\nnämnd: SON\n' + "a: 1\n" * 5
    assert problems(text) == ['2:9: ogiltig YAML: citattecknet " som öppnas här stängs aldrig på samma rad (felet märks '
                              'först på rad 10); avsluta värdet med ": rubrik: "Svar på motion"']


def test_unclosed_quote_closed_by_a_later_quote_is_reported_at_the_opening_quote():
    text = "typ: tjänsteskrivelse\nrubrik: 'Svar på motion\nstatus: utkast\nnämnd: 'SON'\n"
    assert problems(text) == ["2:9: ogiltig YAML: citattecknet ' som öppnas här stängs aldrig på samma rad (felet märks "
                              "först på rad 4); avsluta värdet med ': rubrik: 'Svar på motion'"]


def test_quoted_value_that_swallows_keys_gets_a_warning_at_its_quote(tmp_path):
    path = write(tmp_path / "r.yaml", MINIMAL.replace("rubrik: Ett litet ärende", "rubrik: 'Ett litet ärende")
                 .replace("förslag_till_beslut:", "förslag_till_beslut: x'\nx:"))
    _, found = load_record(path)
    assert ("9:9: varning: rubrik: citattecknet ' här stängs först på rad 10, så raderna med 'förslag_till_beslut:' "
            "blev en del av texten; saknas ett avslutande ' på rad 9?") in [p.format().split(":", 1)[1] for p in found]


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n\tb: 1\n", "2:1: ogiltig YAML: tabbtecken får inte användas för indrag i YAML; dra in med mellanslag"),
    ("a:\n  b: 1\n\tc: 2\n", "3:1: ogiltig YAML: tabbtecken får inte användas för indrag i YAML; dra in med mellanslag"),
    ("a:\n  b: 1\n c: 2\n", "3:2: ogiltig YAML: fel indrag: raden står i kolumn 2 och passar inte under någon nyckel "
                           "ovanför; mappningen (rad 1) har sina nycklar i kolumn 1; nycklar på samma nivå ska börja i "
                           "samma kolumn"),
    ("rubrik: x\n- punkt\n", "2:1: ogiltig YAML: en listpost ('- …') står bland nycklarna i mappningen (rad 1); en lista "
                            "hör till en nyckel utan eget värde och skrivs under den (t.ex. 'punkter:' och sedan '  - …')"),
    ("a:\n  - b\n  c: 1\n", "3:3: ogiltig YAML: en nyckel står bland listposterna i listan ovan (rad 2); börja raden med "
                           "'- ' om den är en ny post, eller dra in den lika långt som nycklarna i posten ovanför"),
    ('rubrik: "Svar på motion" (S)\n', "1:26: ogiltig YAML: text efter det avslutande citattecknet hör inte till "
                                       """värdet; sätt hela värdet inom citattecken: rubrik: '"Svar på motion" (S)'"""),
    ("rubrik: [S] svarar\n", "1:13: ogiltig YAML: ett värde som börjar med '[' läses som en lista; sätt hela värdet "
                             'inom citattecken: rubrik: "[S] svarar"'),
    ("a: [x, y\nb: 2\n", "1:4: ogiltig YAML: '[' som öppnas här stängs inte (saknas ']' eller ett kommatecken? felet "
                         'märks på rad 2); är värdet text, sätt det inom citattecken: a: "[x, y"'),
    ("rubrik: @kommunen\n", "1:9: ogiltig YAML: ett värde kan inte börja med '@', som är YAML-syntax; sätt värdet inom "
                            'citattecken: rubrik: "@kommunen"'),
    ("rubrik: *viktigt*\n", "1:9: ogiltig YAML: ett värde kan inte börja med '*' (alias), som är YAML-syntax; sätt "
                            'värdet inom citattecken: rubrik: "*viktigt*"'),
    ("rubrik: - Hej\n", "1:9: ogiltig YAML: '- ' mitt på en rad startar ingen lista; skriv listposten på en egen rad "
                        'med indrag, eller sätt värdet inom citattecken: rubrik: "- Hej"'),
    ("a: |\nb\n", "2:1: ogiltig YAML: raden 'b' är varken 'nyckel: värde' eller en listpost ('- …'); saknas ':' efter "
                  "nyckeln, eller hör texten till värdet ovanför (ge den i så fall indrag under värdet, eller använd '|' "
                  "för text över flera rader)?"),
    ('a: "C:\\mapp"\n', "1:7: ogiltig YAML: okänd escape-sekvens '\\m' inom dubbla citattecken; skriv '\\\\' för ett "
                        "bakstreck eller skriv: a: 'C:\\mapp'"),
    ("a: 1\n---\nb: 2\n", "2:1: ogiltig YAML: filen innehåller flera YAML-dokument (en rad '---' efter början); en post "
                          "är ett dokument: ta bort raden '---' eller dela upp filen"),
    ("a: |x\n  b\n", "1:5: ogiltig YAML: efter '|' eller '>' får bara '-', '+' eller en siffra stå på raden; skriv "
                     "texten på raderna under, med indrag"),
    (": x\n", "1:1: ogiltig YAML: nyckeln saknas före ':'; skriv 'nyckel: värde'"),
    ('rubrik: "C:\\xfil"\n', "1:12: ogiltig YAML: okänd escape-sekvens '\\x' inom dubbla citattecken; skriv '\\\\' för "
                             "ett bakstreck eller skriv: rubrik: 'C:\\xfil'"),
    ("typ: }tjänsteskrivelse\n", "1:6: ogiltig YAML: ett värde kan inte börja med '}', som är YAML-syntax; sätt värdet "
                                 'inom citattecken: typ: "}tjänsteskrivelse"'),
    ("!ärende: |\n  x\n", "1:1: ogiltig YAML: en nyckel kan inte börja med '!' (tagg), som är YAML-syntax; ta bort "
                          "tecknet"),
    ("  typ: x\nstatus: y\n", "2:1: ogiltig YAML: fel indrag: raden står i kolumn 1, men posten börjar i kolumn 3 (rad "
                              "1); nycklar på samma nivå ska börja i samma kolumn"),
])
def test_common_parse_errors_are_swedish_with_a_hint(text, expected):
    assert problems(text) == [expected]


@pytest.mark.parametrize("text", ["rubrik: !Viktigt Läs\n", "rubrik: !!binary aGVq\n"])
def test_a_tag_never_silently_changes_a_value(text):
    found = problems(text)
    assert len(found) == 1 and found[0].startswith("1:9: '!") and "YAML-tagg, inte text" in found[0]
    assert found[0].endswith(f'sätt värdet inom citattecken: rubrik: "{text.split(": ", 1)[1].strip()}"')


def test_too_deep_nesting_is_a_swedish_message():
    assert problems("a: " + "[" * 5000 + "]" * 5000 + "\n") == ["1:1: YAML-dokumentet är nästlat djupare än 60 nivåer"]


# --- beslut new: a Dnr placeholder shaped like the profile's own ---------------------------------------------

PROFILE_HEAD = """
kommun: Exempelby kommun
ort: Exempelby
organ:
  BUN: {namn: Barn- och utbildningsnämnden, genitiv: barn- och utbildningsnämndens}
förvaltningar: [Utbildningsförvaltningen]
standardavsnitt:
  ekonomi: {rubrik: Ekonomi, obligatorisk: true}
"""


@pytest.mark.parametrize(("pattern", "example", "dnr"), [
    (r"^BUN\.\d{4}\.\d{3}$", None, "BUN.XXXX.XXX"),
    (r"^[A-ZÅÄÖ]{1,5} \d{4}-\d{1,5}$", None, "BUN XXXX-XXX"),
    (r"^(KS|BUN|KF) \d+/\d{2}$", None, "BUN XXX/XX"),
    (r"^Dnr [0-9]{3}:[0-9]{4}$", None, "'Dnr XXX:XXXX'"),
    (r"^[A-Z]{2,3}\s\d{4}\.\d{1,4}$", None, "BUN XXXX.XXX"),
    (r"^BUN# \d{4}$", None, "'BUN# XXXX'"),
    # a look-ahead is beyond the shape: the profile's example with its digits as X
    (r"^(?=B)\w+ \d{4}-\d+$", "BUN 2024-123", "BUN XXXX-XXX"),
    # two digits only would not be recognised as a placeholder: the fixed form
    (r"^[A-Z]+-\d{2}-\d{2}$", None, "BUN XXXX-XXX"),
])
def test_new_writes_a_dnr_placeholder_shaped_like_the_profiles_pattern(tmp_path, monkeypatch, pattern, example, dnr):
    extra = f"dnr_exempel: {example}\n" if example else ""
    write(tmp_path / "beslut.yaml", PROFILE_HEAD + f"dnr_mönster: '{pattern}'\n" + extra)
    (tmp_path / "decisions").mkdir()
    monkeypatch.chdir(tmp_path)
    for kind in ("tjänsteskrivelse", "uppdrag"):
        assert run("new", kind, f"decisions/{kind}.yaml").exit_code == 0
        assert f"\ndnr: {dnr}\n" in (tmp_path / "decisions" / f"{kind}.yaml").read_text(encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "varning: dnr: platshållaren 'XXX" in result.stderr


def test_new_with_the_second_profile_writes_its_dnr_shape(tmp_path, monkeypatch):
    from .conftest import SECOND_PROFILE

    write(tmp_path / "beslut.yaml", SECOND_PROFILE)
    monkeypatch.chdir(tmp_path)
    assert run("new", "tjänsteskrivelse", "decisions/t.yaml").exit_code == 0
    assert "\ndnr: BUN.XXXX.XXX\n" in (tmp_path / "decisions" / "t.yaml").read_text(encoding="utf-8")
    assert run("check").exit_code == 0


def test_new_refuses_a_profile_without_organs_in_swedish(tmp_path, monkeypatch):
    write(tmp_path / "beslut.yaml", PROFILE_HEAD.replace(
        "organ:\n  BUN: {namn: Barn- och utbildningsnämnden, genitiv: barn- och utbildningsnämndens}", "organ: {}")
        + "dnr_mönster: '^BUN'\n")
    monkeypatch.chdir(tmp_path)
    result = run("new", "tjänsteskrivelse", "t.yaml")
    assert result.exit_code == 2
    assert "profilen har inga organ: lägg till minst en nämnd under 'organ' i beslut.yaml" in result.stderr


# --- the profile's messages --------------------------------------------------------------------------------------

def profile_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    from beslut.errors import RecordError
    from beslut.profile import load_profile

    from .conftest import ROOT

    text = (ROOT / "beslut.yaml").read_text(encoding="utf-8")
    if "logotyp:" in new:  # the example's own logo line makes way for the one under test
        text = re.sub(r"(?m)^logotyp: .*\n", "", text)
    assert old in text
    path = write(tmp_path / "beslut.yaml", text.replace(old, new, 1))
    with pytest.raises(RecordError) as exc:
        load_profile(path)
    return [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in exc.value.problems]


DNR = r"dnr_mönster: '^[A-ZÅÄÖ]{1,5} \d{4}-\d{1,5}$'"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("[A-Z", "en teckenklass '[' stängs inte med ']' (vid tecken 1 i mönstret)"),
    ("(SON \\d+", "en grupp '(' stängs inte med ')' (vid tecken 1 i mönstret)"),
    ("SON)", "')' utan en '(' före (vid tecken 4 i mönstret)"),
    ("*SON", "'*', '+', '?' eller '{' står där inget finns att upprepa; skriv '\\*' för tecknet självt (vid tecken 1 i "
             "mönstret)"),
    ("\\q\\d+", "okänd escape-sekvens '\\q' (vid tecken 1 i mönstret)"),
    ("[9-0]", "teckenintervallet går baklänges (som z-a) (vid tecken 2 i mönstret)"),
    ("\\d{4,2}", "i '{m,n}' är m större än n (vid tecken 4 i mönstret)"),
    ("(?<=S+)ON", "en look-behind '(?<=…)' måste ha fast längd"),
])
def test_a_broken_dnr_pattern_is_explained_in_swedish(tmp_path, pattern, expected):
    line = next(n for n, text in enumerate((ROOT / "beslut.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("dnr_mönster:"))
    assert profile_problems(tmp_path, DNR, f"dnr_mönster: '{pattern}'") == [
        f"{line}:1: dnr_mönster: inte ett giltigt reguljärt uttryck: {expected}"]


def test_a_label_for_an_unknown_header_field_names_the_key(tmp_path):
    found = profile_problems(tmp_path, "ort: Linköping", "ort: Linköping\nbrevhuvud: {etiketter: {telefon: Tel}}")
    assert found == ["4:25: brevhuvud.etiketter.telefon: nyckeln 'telefon' ska vara en av: 'datum', 'dnr', "
                     "'er_beteckning', 'mall_id'"]


def test_an_empty_logo_path_says_so(tmp_path):
    assert profile_problems(tmp_path, "ort: Linköping", "ort: Linköping\nlogotyp: ''") == [
        "4:1: logotyp: logotyp är tom: ange sökvägen till en PNG- eller JPEG-fil, eller ta bort raden"]


def test_a_dnr_example_that_does_not_match_is_not_used_for_the_placeholder(tmp_path, monkeypatch):
    write(tmp_path / "beslut.yaml", PROFILE_HEAD + "dnr_mönster: '^(?=B)\\w+ \\d{4}$'\ndnr_exempel: fel 123456\n")
    monkeypatch.chdir(tmp_path)
    assert run("new", "tjänsteskrivelse", "t.yaml").exit_code == 0
    assert "\ndnr: BUN XXXX-XXX\n" in (tmp_path / "t.yaml").read_text(encoding="utf-8")


def test_a_quoted_value_over_several_lines_of_prose_is_no_warning():
    assert problems('ärende: "Första raden,\n  Notera: andra raden."\n') == []
