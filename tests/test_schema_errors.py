"""Schema errors name the key as written, suggest the right one, and drop only pydantic's union tags."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from beslut import yamlsource
from beslut.records import load_record
from beslut.schema_errors import problems_from_validation

from .conftest import MINIMAL, run, write


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    """Messages (field: message) of MINIMAL with ``old`` replaced by ``new``."""
    path = write(tmp_path / "r.yaml", MINIMAL.replace(old, new, 1))
    record, found = load_record(path)
    assert record is None
    return [f"{p.field}: {p.message}" for p in found]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("rubrik:", "Rubrik:", "Rubrik: okänd nyckel 'Rubrik'; menade du 'rubrik'?"),
    ("rubrik:", "RUBRIK:", "RUBRIK: okänd nyckel 'RUBRIK'; menade du 'rubrik'?"),
    ("handläggare:", "Handläggare:", "Handläggare: okänd nyckel 'Handläggare'; menade du 'handläggare'?"),
    ("  namn: Anna", "  Namn: Anna", "handläggare.Namn: okänd nyckel 'Namn'; menade du 'namn'?"),
    ("rubrik:", "rubirk:", "rubirk: okänd nyckel 'rubirk'; menade du 'rubrik'?"),
    ("rubrik:", "Rubirk:", "Rubirk: okänd nyckel 'Rubirk'; menade du 'rubrik'?"),
    # a key that is also the name of a record model (a union tag elsewhere) is still a key
    ("rubrik: Ett", "Avsnitt: []\nrubrik: Ett", "Avsnitt: okänd nyckel 'Avsnitt'; menade du 'avsnitt'?"),
    ("rubrik: Ett", "MBL: {}\nrubrik: Ett", "MBL: okänd nyckel 'MBL'; menade du 'mbl'?"),
])
def test_unknown_key_is_named_as_written_with_its_right_spelling(tmp_path, old, new, expected):
    assert expected in problems(tmp_path, old, new)


def test_unknown_key_without_a_near_match_lists_the_allowed_keys(tmp_path):
    found = problems(tmp_path, "rubrik: Ett", "Xyzzy: 1\nrubrik: Ett")
    assert found == ["Xyzzy: okänd nyckel 'Xyzzy'; tillåtna nycklar: avsnitt, beslutsunderlag, datum, dnr, er_beteckning, "
                     "förslag_till_beslut, förvaltning, handläggare, mbl, nämnd, personnummer_tillåtna, rubrik, "
                     "sekretess, skickas_till, status, typ, underskrifter, ärende"]


def test_check_names_a_capitalised_key(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("rubrik:", "Rubrik:"))
    result = run("check")
    assert result.exit_code == 1
    assert "decisions/r.yaml:9:1: Rubrik: okänd nyckel 'Rubrik'; menade du 'rubrik'?" in result.stderr
    assert "'?'" not in result.stderr


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ett(_Model):
    k: Literal["ett"]
    x: int


class Tva(_Model):
    k: Literal["två"]
    y: str


class Topp(_Model):
    val: Ett | Tva | str | None = None
    lista: list[Annotated[Ett, BeforeValidator(lambda v: v)] | int] = []
    märkt: Annotated[Ett | Tva, Field(discriminator="k")] | None = None


def _union_problems(tmp_path: Path, text: str) -> list[str]:
    """Field and message of each problem, the hint after ';' left out (it depends on the branch)."""
    src = yamlsource.load_bytes(tmp_path / "u.yaml", text.encode("utf-8"))
    with pytest.raises(ValidationError) as exc:
        Topp.model_validate(src.data)
    return sorted({f"{p.field}: {p.message.split(';')[0]}" for p in problems_from_validation(exc.value, src, Topp)})


def test_union_branch_names_are_dropped_from_fields(tmp_path):
    found = _union_problems(tmp_path, "val: {Extra: 1}\n")
    # 'Ett', 'Tva' and 'str' are pydantic's branch labels, 'Extra' is the user's key
    assert "val.Extra: okänd nyckel 'Extra'" in found
    assert "val.x: fältet 'x' saknas" in found
    assert not [f for f in found if "Ett" in f or "Tva" in f or "str" in f.split(":")[0]]


def test_function_and_type_tags_are_dropped(tmp_path):
    found = _union_problems(tmp_path, "lista: [{Q: 1}]\n")
    assert "lista[1].Q: okänd nyckel 'Q'" in found
    assert all(f.startswith("lista[1]") and "function-before" not in f for f in found)


def test_discriminator_values_are_dropped(tmp_path):
    found = _union_problems(tmp_path, "märkt: {k: ett, Y: 2}\n")
    assert found == ["märkt.Y: okänd nyckel 'Y'", "märkt.x: fältet 'x' saknas"]


def test_key_spelled_like_a_branch_name_is_kept(tmp_path):
    found = _union_problems(tmp_path, "val: {k: ett, x: 1, Ett: 2}\n")
    assert "val.Ett: okänd nyckel 'Ett'" in found


@pytest.mark.parametrize(("old", "new", "expected"), [
    # a validator quoting the refused value showed a Python repr: "inte '['1']'"
    ("datum: 2024-03-01", "datum: [1]", "datum: ska vara ett datum ÅÅÅÅ-MM-DD (eller en platshållare som 2022-…-… i ett "
                                        "utkast), inte en lista"),
    ("datum: 2024-03-01", "datum: {a: 1}", "datum: ska vara ett datum ÅÅÅÅ-MM-DD (eller en platshållare som 2022-…-… i "
                                           "ett utkast), inte en mappning"),
])
def test_a_refused_list_or_mapping_is_named_not_shown_as_python(tmp_path, old, new, expected):
    assert problems(tmp_path, old, new) == [expected]


UPPDRAG_PART = """
typ: uppdrag
uppdragstyp: verksamhetsuppdrag
status: utkast
nämnd: SON
utförare: X
rubrik: R
avsnitt: [{rubrik: A, text: t}]
uppdragstid: {start: 2024-01-01, uppsägningstid_månader: 12}
ersättning: {belopp_tkr_per_år: BELOPP, prisnivå: 2024}
ort_och_datum: {datum: 2024-01-01}
parter: [{organ: SON, undertecknare: A}, {namn: B, undertecknare: C}]
"""


@pytest.mark.parametrize(("amount", "expected"), [
    ("1 000", "ska vara ett heltal (skriv utan mellanslag: 1000)"),
    ("1000,5", "ska vara ett heltal (utan decimaler)"),
    ("1000.5", "ska vara ett heltal (utan decimaler)"),
    ("tusen", "ska vara ett heltal"),
])
def test_an_almost_number_says_how_to_write_it(tmp_path, amount, expected):
    path = write(tmp_path / "u.yaml", UPPDRAG_PART.replace("BELOPP", f"'{amount}'"))
    _, found = load_record(path)
    assert [f"{p.field}: {p.message}" for p in found] == [f"ersättning.belopp_tkr_per_år: {expected}"]
