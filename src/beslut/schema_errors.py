"""Turn pydantic's validation errors into Problems that name file, line, field and a fix."""
from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yamlsource import Source, dotted

_MESSAGES = {
    "missing": "fältet saknas",
    "string_type": "ska vara text",
    "int_parsing": "ska vara ett heltal",
    "int_type": "ska vara ett heltal",
    "float_parsing": "ska vara ett tal",
    "bool_parsing": "ska vara true eller false",
    "list_type": "ska vara en lista (rader som börjar med '-')",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "date_from_datetime_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_type": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "too_short": "får inte vara tom",
    "string_too_short": "får inte vara tom",
}


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at ``loc`` (walks the model by aliases)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = next((f for name, f in current.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    """The model inside ``list[M]``, ``M | None``, ``dict[str, M]``, or a union of models."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def problems_from_validation(exc: ValidationError, src: Source, model: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, positioned by the YAML source."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        # pydantic inserts union/tagged-union branch names into loc; keep only data keys
        loc = tuple(p for p in err["loc"] if not _is_tag(p))
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1] if loc else "?"
            allowed = _allowed_keys(model, loc[:-1])
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"; menade du '{close[0]}'?" if close else (
                f"; tillåtna nycklar: {', '.join(sorted(allowed))}" if allowed else "")
            message = f"okänd nyckel '{key}'{hint}"
        elif kind in ("too_short", "string_too_short") and (err.get("ctx") or {}).get("min_length", 1) > 1:
            message = f"ska ha minst {err['ctx']['min_length']} poster"
        elif kind == "literal_error":
            message = f"ska vara en av: {(err.get('ctx') or {}).get('expected', '')}".replace(" or ", ", ")
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            ctx = err.get("ctx") or {}
            bound = {"greater_than_equal": ("minst", "ge"), "greater_than": ("större än", "gt"),
                     "less_than_equal": ("högst", "le"), "less_than": ("mindre än", "lt")}[kind]
            message = f"ska vara {bound[0]} {ctx.get(bound[1])}"
        elif kind in _MESSAGES:
            message = _MESSAGES[kind]
            if kind == "missing":
                message = f"fältet '{loc[-1]}' saknas" if loc else message
        else:
            message = err["msg"].removeprefix("Value error, ")
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        if kind == "missing":
            problems.append(Problem(src.path, *src.where(loc[:-1]), dotted(loc), message))
        else:
            problems.append(src.problem(loc, message))
    return problems


_TYPE_TAGS = {"str", "int", "float", "bool", "date", "list", "dict", "none", "None"}


def _is_tag(part: Any) -> bool:
    """Whether a loc part is pydantic's name for a union branch rather than a YAML key."""
    if not isinstance(part, str):
        return False
    return part in _TYPE_TAGS or "[" in part or (part[:1].isupper() and part.isidentifier() and part.isascii())
