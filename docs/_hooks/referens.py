"""mkdocs hook: the reference pages for records and the profile, written from beslut's JSON Schemas at build time.

The schemas come from the models themselves (``beslut.records.json_schema()`` and the profile's
model), so the reference lists exactly the fields ``beslut check`` accepts and never drifts.
"""
from __future__ import annotations

import json
from typing import Any

from mkdocs.structure.files import File, Files

TYPES = {"string": "text", "boolean": "sant/falskt", "integer": "heltal", "number": "tal", "object": "mappning",
         "null": "inget"}

RECORDS_INTRO = """# Referens: poster

Alla fält som en post kan ha, per typ, hämtade ur beslut:s schema när handledningen byggs
(samma schema som `beslut schema` skriver och som `beslut check` prövar mot). Beskrivningarna
kommer från programkoden och är på engelska; [Skriva en post](../skriva-poster.md) förklarar
fälten på svenska med exempel.

"""

PROFILE_INTRO = """# Referens: profilen

Alla nycklar i `beslut.yaml`, hämtade ur profilens schema när handledningen byggs.
[Profilen](../profilen.md) förklarar dem på svenska med exempel.

"""


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages (they are not files in docs/)."""
    from beslut.records import json_schema

    files.append(File.generated(config, "referens/poster.md", content=records_page(json_schema())))
    files.append(File.generated(config, "referens/profil.md", content=profile_page(profile_schema())))
    return files


def profile_schema() -> dict[str, Any]:
    """The profile's JSON Schema: beslut.profile.profile_schema_json() where it exists, else the model's own."""
    from beslut import profile

    text = getattr(profile, "profile_schema_json", None)
    if text is not None:
        return json.loads(text())
    return profile.Profile.model_json_schema(by_alias=True)


def records_page(schema: dict[str, Any]) -> str:
    """Markdown: one table per record kind, then one per part (handläggare, förslag …) they refer to."""
    defs = schema.get("$defs", {})
    kinds = {name: ref.rsplit("/", 1)[1] for name, ref in schema["discriminator"]["mapping"].items()}
    out = [RECORDS_INTRO]
    for name, key in sorted(kinds.items()):
        out.append(f"## {name} {{#{_anchor(key)}}}\n\n{_description(defs[key])}\n\n{_table(defs[key])}\n")
    out.append("## Delar\n\nDe delar som fälten ovan hänvisar till.\n")
    for key in sorted(set(defs) - set(kinds.values())):
        out.append(f"### {key} {{#{_anchor(key)}}}\n\n{_description(defs[key])}\n\n{_table(defs[key])}\n")
    return "\n".join(out)


def profile_page(schema: dict[str, Any]) -> str:
    """Markdown: the profile's keys, then each part (organ, brevhuvud …)."""
    defs = schema.get("$defs", {})
    out = [PROFILE_INTRO, f"## beslut.yaml\n\n{_description(schema)}\n\n{_table(schema)}\n"]
    for key in sorted(defs):
        out.append(f"### {key} {{#{_anchor(key)}}}\n\n{_description(defs[key])}\n\n{_table(defs[key])}\n")
    return "\n".join(out)


def _table(model: dict[str, Any]) -> str:
    required = set(model.get("required", []))
    rows = ["| fält | typ | krävs | beskrivning |", "|---|---|---|---|"]
    for name, prop in model.get("properties", {}).items():
        description = _cell(prop.get("description", ""))
        if "default" in prop and prop["default"] not in (None, [], {}):
            description += f" Standard: `{json.dumps(prop['default'], ensure_ascii=False)}`."
        rows.append(f"| `{name}` | {_type(prop)} | {'ja' if name in required else 'nej'} | {description} |")
    if len(rows) == 2:
        return "(inga fält)"
    return "\n".join(rows)


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        key = prop["$ref"].rsplit("/", 1)[1]
        return f"[{key}](#{_anchor(key)})"
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    for combined in ("anyOf", "oneOf"):
        if combined in prop:
            parts = [_type(p) for p in prop[combined] if p.get("type") != "null"]
            return " eller ".join(parts) or "inget"
    kind = prop.get("type")
    if kind == "array":
        return f"lista av {_type(prop.get('items', {}))}"
    if kind == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"mappning nyckel → {_type(prop['additionalProperties'])}"
    if kind == "string" and prop.get("format") == "date":
        return "datum"
    if isinstance(kind, list):
        return " eller ".join(TYPES.get(k, k) for k in kind)
    return TYPES.get(kind, kind or "valfritt")


def _description(model: dict[str, Any]) -> str:
    return model.get("description", "").strip()


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(key: str) -> str:
    return key.lower().replace("_", "-")
