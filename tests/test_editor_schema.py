"""Editor support: the published JSON Schemas (records and beslut.yaml) carry a Swedish description
and an example for every field, the profile's own organ and förvaltningar as enum values, and agree
with ``beslut check`` on the example records and on wrong ones (checked with a standard Draft 2020-12
validator, the way yaml-language-server reads a record)."""
from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from beslut.profile import Profile, load_profile, profile_json_schema
from beslut.records import json_schema, schema_json
from beslut.yamlsource import load

from .conftest import MINIMAL, ROOT, SECOND_PROFILE, run, write

jsonschema = pytest.importorskip("jsonschema")

EXEMPELBY = ROOT / "tests" / "data" / "exempelby"
EXAMPLES = sorted((ROOT / "decisions").rglob("*.yaml")) + sorted((EXEMPELBY / "decisions").rglob("*.yaml"))

#: Words that give away an English description (padded with spaces: whole words only).
ENGLISH = (" the ", " of ", " when ", " which ", " with ", " is ", " are ", " and ", " or ", " from ",
           " default ", " printed ", " this ", " its ", " e.g. ", " for ", " where ")


def repo_profile() -> Profile:
    return load_profile(ROOT / "beslut.yaml")


def exempelby_profile() -> Profile:
    return load_profile(EXEMPELBY / "beslut.yaml")


def all_properties(schema: dict[str, Any], top: str | None = None):
    definitions = dict(schema.get("$defs", {}))
    if top is not None:
        definitions[top] = schema
    for name, definition in definitions.items():
        for field, prop in definition.get("properties", {}).items():
            yield f"{name}.{field}", prop


SCHEMAS = {
    "poster": lambda: (json_schema(), None),
    "poster-med-profil": lambda: (json_schema(repo_profile()), None),
    "profil": lambda: (profile_json_schema(), "Profile"),
}


def english_docstrings() -> set[str]:
    """Every field docstring of the models (English, for developers)."""
    from pydantic import BaseModel
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    from beslut.kinds import all_kinds

    seen: set[type[BaseModel]] = set()
    texts: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        if model.__doc__:
            texts.add(inspect.cleandoc(model.__doc__))
        # the models' own docstrings: pydantic does not read them (models.py)
        texts.update(extract_docstrings_from_cls(model, use_inspect=True).values())
        for info in model.model_fields.values():
            if info.description:
                texts.add(info.description)
            for arg in _types(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    walk(arg)

    for kind in all_kinds():
        walk(kind.model)
    walk(Profile)
    return texts


def _types(annotation: Any) -> list[Any]:
    from typing import get_args

    out = [annotation]
    for arg in get_args(annotation):
        out += _types(arg)
    return out


@pytest.mark.parametrize("which", SCHEMAS)
def test_every_field_has_a_swedish_description_and_an_example(which):
    schema, top = SCHEMAS[which]()
    english = english_docstrings()
    props = list(all_properties(schema, top))
    assert len(props) > (150 if top is None else 40)
    for where, prop in props:
        text = prop.get("description", "")
        assert text.strip(), f"{where}: ingen beskrivning"
        assert text not in english, f"{where}: beskrivningen är fältets engelska docstring"
        padded = f" {text.lower()} "
        assert not [w for w in ENGLISH if w in padded], f"{where}: engelska ord i '{text}'"
        assert prop.get("examples"), f"{where}: inget exempel"
    definitions = dict(schema["$defs"], **({top: schema} if top else {}))
    for name, definition in definitions.items():
        if "properties" in definition:
            text = definition.get("description")
            assert text and text not in english, f"{name}: ingen svensk beskrivning"
            assert not [w for w in ENGLISH if w in f" {text.lower()} "], f"{name}: engelska ord i '{text}'"


@pytest.mark.parametrize("which", SCHEMAS)
def test_every_example_fits_its_own_field(which):
    schema, top = SCHEMAS[which]()
    for where, prop in all_properties(schema, top):
        sub = {**prop, "$defs": schema["$defs"], "$schema": schema["$schema"]}
        for example in prop["examples"]:
            errors = [e.message for e in jsonschema.Draft202012Validator(sub).iter_errors(example)]
            assert not errors, f"{where}: exemplet {example!r} passar inte: {errors}"


def test_the_swedish_table_names_only_fields_that_exist():
    from beslut.schema_sv import PROFILE, RECORD

    known = {w for w, _ in all_properties(json_schema())} | {w for w, _ in all_properties(profile_json_schema(),
                                                                                            "Profile")}
    fields = {w.split(".", 1)[1] for w in known}
    stale = [k for k in [*RECORD, *PROFILE]
             if (k.startswith("*.") and k[2:] not in fields) or (not k.startswith("*.") and k not in known)]
    assert not stale


def test_the_schemas_are_valid_draft_2020_12():
    for make in SCHEMAS.values():
        schema, _ = make()
        jsonschema.Draft202012Validator.check_schema(schema)


# --- enum values from the profile --------------------------------------------------------------

def test_without_a_profile_the_schema_names_no_organ():
    text = schema_json()
    assert "enum" not in json.dumps(json_schema()["$defs"]["Tjansteskrivelse"]["properties"]["nämnd"])
    assert "Utbildningsförvaltningen" not in text and "Kommunledningsförvaltningen" not in text
    assert text == schema_json()


def test_project_schema_json_uses_the_profile_it_finds(project, tmp_path_factory):
    from beslut.records import project_schema_json

    assert project_schema_json(project / "decisions") == schema_json(load_profile(project / "beslut.yaml"))
    assert project_schema_json(tmp_path_factory.mktemp("utan-profil")) == schema_json()
    (project / "beslut.yaml").write_text("kommun: [trasig\n", encoding="utf-8")
    assert project_schema_json(project) == schema_json()


def test_beslut_schema_prints_what_build_writes(project):
    assert run("schema").output == schema_json(load_profile(project / "beslut.yaml"))


def test_with_a_profile_nämnd_instans_and_förvaltning_list_its_values():
    profile = repo_profile()
    schema = json_schema(profile)
    defs = schema["$defs"]
    organ, forv = list(profile.organ), list(profile.förvaltningar)
    for kind in ("Tjansteskrivelse", "Uppdrag", "Utlatande", "Sammantrade"):
        assert defs[kind]["properties"]["nämnd"]["enum"] == organ
    assert defs["Tjansteskrivelse"]["properties"]["förvaltning"]["enum"] == forv
    strings = [b for b in defs["Forslag"]["properties"]["instans"]["anyOf"] if b.get("type") == "string"]
    assert strings[0]["enum"] == organ
    strings = [b for b in defs["Underskrift"]["properties"]["förvaltning"]["anyOf"] if b.get("type") == "string"]
    assert strings[0]["enum"] == forv
    assert defs["Utlatande"]["properties"]["till"]["enum"] == organ


def test_build_writes_the_profile_specific_schema(project):
    result = run("build", "--format", "html")
    assert result.exit_code == 0, result.stderr
    written = json.loads((project / "build" / "schema.json").read_text(encoding="utf-8"))
    assert written == json.loads(schema_json(load_profile(project / "beslut.yaml")))
    assert written["$defs"]["Tjansteskrivelse"]["properties"]["nämnd"]["enum"] == ["SON", "ON", "KS", "KF"]
    profile_schema = json.loads((project / "build" / "profile.schema.json").read_text(encoding="utf-8"))
    assert profile_schema["properties"]["kommun"]["description"] == "Kommunens namn."


# --- agreement with beslut check ---------------------------------------------------------------

def as_editor_sees_it(value: Any) -> Any:
    """The loaded YAML as JSON data: dates become the ISO strings the schema describes."""
    if isinstance(value, dict):
        return {str(k): as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees_it(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def editor_data(path: Path) -> Any:
    """The record as yaml-language-server reads it: YAML 1.2 core types (true is a boolean, 13:00
    and 2022-01-26 text). beslut's own loader keeps every scalar as text and lets the model decide
    (``beslut.yamlsource``); it must find no problem in the file either."""
    src = load(path)
    assert not [p for p in src.problems if p.severity == "error"], src.problems
    return as_editor_sees_it(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def schema_errors(schema: dict[str, Any], path: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(editor_data(path)))
    # a oneOf over the kinds says little; the kind's own errors say what is wrong
    detailed = [c for e in errors for c in (e.context or [e])] if errors else []
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in detailed]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_record_validates_against_the_published_schema(path):
    profile = exempelby_profile() if EXEMPELBY in path.parents else repo_profile()
    assert schema_errors(json_schema(), path) == []
    assert schema_errors(json_schema(profile), path) == []


def test_the_examples_pass_beslut_check_too():
    assert run("check", str(ROOT / "decisions")).exit_code == 0
    assert run("--help").exit_code == 0


def test_the_second_kommuns_examples_pass_beslut_check(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(EXEMPELBY, tmp_path / "exempelby")
    monkeypatch.chdir(tmp_path / "exempelby")
    result = run("check")
    assert result.exit_code == 0, result.stderr


#: Wrong records: (name, change to MINIMAL, whether only the profile-specific schema can tell).
WRONG = [
    ("okänd nyckel", lambda t: t + "rubrikk: Fel\n", False),
    ("fel typ", lambda t: t.replace("rubrik: Ett litet ärende", "rubrik: [Ett, litet]"), False),
    ("fel typ på sekretess", lambda t: t + "sekretess: kanske\n", False),
    ("saknat obligatoriskt fält", lambda t: t.replace("rubrik: Ett litet ärende\n", ""), False),
    ("saknad handläggare", lambda t: t.replace("handläggare:\n  namn: Anna Andersson\n", ""), False),
    ("okänd typ", lambda t: t.replace("typ: tjänsteskrivelse", "typ: skrivelse"), False),
    ("fel status", lambda t: t.replace("status: beslutad", "status: klar"), False),
    ("fel mbl-typ", lambda t: t + "mbl:\n  typ: samråd\n", False),
    ("tom förslagslista", lambda t: t.replace("  - punkter:\n      - Nämnden beslutar.\n", "  - punkter: []\n"),
     False),
    ("okänd nyckel i underskrift", lambda t: t.replace("    namn: Bo Bengtsson", "    namn: Bo Bengtsson\n    tel: 1"),
     False),
    ("nämnd utanför profilen", lambda t: t.replace("nämnd: SON", "nämnd: XYZ"), True),
    ("förvaltning utanför profilen", lambda t: t.replace(
        "förvaltning: Social- och omsorgsförvaltningen\ndatum", "förvaltning: Socialförvaltningen\ndatum"), True),
    ("instans utanför profilen", lambda t: t.replace("  - punkter:", "  - instans: LS\n    punkter:"), True),
]


@pytest.mark.parametrize(("name", "change", "profile_only"), WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_record_fails_both_the_schema_and_beslut_check(empty_project, name, change, profile_only):
    good = write(empty_project / "decisions" / "bra.yaml", MINIMAL)
    profile = load_profile(empty_project / "beslut.yaml")
    assert schema_errors(json_schema(profile), good) == []
    assert run("check").exit_code == 0
    good.unlink()

    path = write(empty_project / "decisions" / "fel.yaml", change(MINIMAL))
    assert schema_errors(json_schema(profile), path), f"{name}: schemat godtar posten"
    assert (schema_errors(json_schema(), path) == []) == profile_only
    result = run("check")
    assert result.exit_code != 0, f"{name}: beslut check godtar posten"
    assert "decisions/fel.yaml" in result.stderr


def test_the_second_kommuns_schema_refuses_the_first_kommuns_nämnd(empty_project):
    (empty_project / "beslut.yaml").write_text(SECOND_PROFILE, encoding="utf-8")
    path = write(empty_project / "decisions" / "r.yaml", MINIMAL)
    errors = schema_errors(json_schema(load_profile(empty_project / "beslut.yaml")), path)
    assert any(e.startswith("nämnd:") for e in errors)
    assert any(e.startswith("förvaltning:") for e in errors)


# --- beslut new and the repository's editor settings -------------------------------------------

@pytest.mark.parametrize("kind", ["tjänsteskrivelse", "uppdrag", "utlåtande", "sammanträde"])
@pytest.mark.parametrize("where", ["decisions/{}.yaml", "decisions/2024/mars/{}.yaml"])
def test_beslut_new_points_at_the_built_schema_and_validates(empty_project, kind, where):
    target = empty_project / where.format("ny")
    target.parent.mkdir(parents=True, exist_ok=True)
    result = run("new", kind, str(target.relative_to(empty_project)))
    assert result.exit_code == 0, result.stderr
    first = target.read_text(encoding="utf-8").splitlines()[0]
    found = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert found, first
    assert (target.parent / found.group(1)).resolve() == (empty_project / "build" / "schema.json").resolve()
    assert schema_errors(json_schema(load_profile(empty_project / "beslut.yaml")), target) == []


def test_the_repository_ships_vscode_settings():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert "decisions/**/*.yaml" in schemas["./build/schema.json"]
    assert "beslut.yaml" in schemas["./build/profile.schema.json"]
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert ".vscode" not in ignored


def test_every_shorthand_the_models_accept_is_in_the_schema():
    """A BeforeValidator that turns a plain string into a mapping or a list (``- Tjänsteskrivelse``
    for ``- titel: Tjänsteskrivelse``) must be matched by the schema, or the editor flags valid records."""
    from typing import Annotated, get_args, get_origin

    from pydantic import BaseModel, BeforeValidator

    from beslut.kinds import all_kinds

    schema = json_schema()
    found: list[tuple[str, str, bool]] = []
    seen: set[type[BaseModel]] = set()

    def before(metadata: list[Any]) -> bool:
        return any(isinstance(m, BeforeValidator) for m in metadata)

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            key = info.alias or name
            if before(info.metadata):
                found.append((model.__name__, key, False))
            for arg in get_args(info.annotation):
                if get_origin(arg) is Annotated and before(list(arg.__metadata__)):
                    found.append((model.__name__, key, get_origin(info.annotation) is list))
            for arg in _types(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    walk(arg)

    for kind in all_kinds():
        walk(kind.model)
    assert len(found) >= 8
    for model, key, per_item in found:
        prop = schema["$defs"][model]["properties"][key]
        sub = {**(prop["items"] if per_item else prop), "$defs": schema["$defs"]}
        value = "13:00" if model == "Tidpunkt" else "en text"
        assert jsonschema.Draft202012Validator(sub).is_valid(value), f"{model}.{key}: schemat godtar inte en sträng"


def test_the_schemas_are_made_again_only_when_the_profile_changed_or_a_file_was_touched(project, monkeypatch):
    import importlib

    build_module = importlib.import_module("beslut.build")  # beslut.build is the function

    assert run("build", "--format", "html").exit_code == 0
    schema = project / "build" / "schema.json"
    before = schema.stat().st_mtime_ns

    def fail(*args, **kwargs):
        raise AssertionError("the schema was made again")

    with monkeypatch.context() as patch:  # nothing changed: neither schema is made again
        patch.setattr(build_module, "schema_json", fail)
        patch.setattr(build_module, "profile_schema_json", fail)
        assert run("build", "--format", "html").exit_code == 0
    assert schema.stat().st_mtime_ns == before
    schema.unlink()  # a deleted (or edited) schema is written again
    assert run("build", "--format", "html").exit_code == 0
    assert json.loads(schema.read_text(encoding="utf-8")) == json.loads(schema_json(load_profile(project / "beslut.yaml")))
    profile = project / "beslut.yaml"  # a new nämnd in the profile: the schema names it
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "organ:\n", "organ:\n  BN:\n    namn: Byggnadsnämnden\n    genitiv: byggnadsnämndens\n", 1), encoding="utf-8")
    assert run("build", "--format", "html").exit_code == 0
    written = json.loads(schema.read_text(encoding="utf-8"))
    assert written["$defs"]["Tjansteskrivelse"]["properties"]["nämnd"]["enum"][0] == "BN"
