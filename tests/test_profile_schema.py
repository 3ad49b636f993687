"""The JSON Schema of beslut.yaml: stable bytes, Swedish descriptions and examples, accepts the repo's profile
and refuses what the profile model refuses."""
from __future__ import annotations

import json
from typing import Any

import pytest
from ruamel.yaml import YAML

from beslut.profile import profile_json_schema, profile_schema_json

from .conftest import ROOT, SECOND_PROFILE

_TYPES: dict[str, Any] = {"string": str, "boolean": bool, "object": dict, "array": list, "null": type(None),
                          "integer": int, "number": (int, float)}


def errors(schema: dict[str, Any], value: Any, root: dict[str, Any] | None = None, at: str = "") -> list[str]:
    """Where ``value`` breaks ``schema``: the part of JSON Schema that pydantic emits, checked by hand, so the test
    does not depend on the jsonschema package (used as well when it is installed)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(root["$defs"][name], value, root, at)
    out: list[str] = []
    if "type" in schema:
        wanted = _TYPES[schema["type"]]
        if not isinstance(value, wanted) or (schema["type"] in ("integer", "number") and isinstance(value, bool)):
            return [f"{at}: not {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{at}: not in enum")
    if "const" in schema and value != schema["const"]:
        out.append(f"{at}: not const")
    for key in ("anyOf", "oneOf"):
        if key in schema and all(errors(s, value, root, at) for s in schema[key]):
            out.append(f"{at}: no {key} branch")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{at}.{k}: missing" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            if "propertyNames" in schema:
                out += errors(schema["propertyNames"], k, root, f"{at}.{k}(key)")
            if k in props:
                out += errors(props[k], v, root, f"{at}.{k}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{at}.{k}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(schema["additionalProperties"], v, root, f"{at}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            out += errors(schema["items"], v, root, f"{at}[{i}]")
    return out


def validators() -> list[Any]:
    found: list[Any] = [lambda value: errors(profile_json_schema(), value)]
    try:
        import jsonschema
    except ImportError:
        return found
    checker = jsonschema.Draft202012Validator(profile_json_schema())
    return found + [lambda value: [e.message for e in checker.iter_errors(value)]]


def as_editor_reads(text: str) -> Any:
    """YAML typed as an editor's language server types it (true is a boolean)."""
    return YAML(typ="safe", pure=True).load(text)


def test_same_bytes_every_time_and_valid_json():
    first = profile_schema_json()
    assert first == profile_schema_json() and first.endswith("}\n")
    schema = json.loads(first)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "beslut: organisationsprofil (beslut.yaml)"
    assert list(schema) == sorted(schema)


def test_descriptions_are_swedish_with_examples():
    schema = profile_json_schema()
    assert schema["properties"]["kommun"]["description"] == "Kommunens namn."
    assert schema["properties"]["kommun"]["examples"] == ["Linköpings kommun"]
    assert schema["$defs"]["Organ"]["properties"]["genitiv"]["description"].startswith("Genitivform")
    assert schema["required"] == ["kommun", "ort", "dnr_mönster", "organ", "förvaltningar"]


@pytest.mark.parametrize("text", [(ROOT / "beslut.yaml").read_text(encoding="utf-8"), SECOND_PROFILE],
                         ids=["repo", "second"])
def test_the_profiles_in_use_are_valid(text):
    for check in validators():
        assert check(as_editor_reads(text)) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda p: p.update(kommunn="x"), ".kommunn"),
    (lambda p: p.pop("ort"), ".ort"),
    (lambda p: p["organ"]["SON"].pop("genitiv"), ".organ.SON.genitiv"),
    (lambda p: p["standardavsnitt"]["miljö"].update(obligatorisk="ja"), ".standardavsnitt.miljö.obligatorisk"),
    (lambda p: p.update(brevhuvud={"fält": ["datum", "sidnummer"]}), ".brevhuvud.fält[1]"),
    (lambda p: p.update(brevhuvud={"etiketter": {"telefon": "Tel"}}), ".brevhuvud.etiketter.telefon"),
    (lambda p: p.update(vägledning={"förslag_att": "kanske"}), ".vägledning.förslag_att"),
    (lambda p: p.update(förvaltningar="Socialförvaltningen"), ".förvaltningar"),
])
def test_a_bad_profile_is_refused(change, where):
    profile = as_editor_reads((ROOT / "beslut.yaml").read_text(encoding="utf-8"))
    change(profile)
    found = errors(profile_json_schema(), profile)
    assert found and all(f.startswith(where) for f in found), found
    for check in validators():
        assert check(profile)
