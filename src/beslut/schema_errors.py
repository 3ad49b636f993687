"""Turn pydantic's validation errors into Problems that name file, line, field and a fix."""
from __future__ import annotations

import difflib
import functools
import re
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
    tags = _union_tags(model)
    for err in exc.errors(include_url=False):
        # pydantic inserts union/tagged-union branch names into loc; keep only data keys
        loc = _data_loc(tuple(err["loc"]), src.data, tags)
        kind = err["type"]
        if kind == "extra_forbidden" and loc:
            key = str(loc[-1])
            allowed = _allowed_keys(model, loc[:-1])
            close = _suggest(key, allowed)
            hint = f"; menade du '{close}'?" if close else (
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
        if loc and loc[-1] == "[key]":  # a dict key that breaks its type: name the key itself
            loc = loc[:-1]
            message = f"nyckeln '{loc[-1]}' {message}" if loc else message
        if kind in ("int_parsing", "int_from_float") and isinstance(err.get("input"), str):
            message += _number_hint(err["input"])
        if kind == "value_error" and isinstance(err.get("input"), (list, dict)):
            # a validator that quotes the value it refuses would show a Python repr of a list or mapping
            message = re.sub(r",? inte '.*'$", "", message, flags=re.DOTALL)
            message += ", inte en lista" if isinstance(err["input"], list) else ", inte en mappning"
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        if kind == "missing":
            problems.append(Problem(src.path, *src.where(loc[:-1]), dotted(loc), message))
        else:
            problems.append(src.problem(loc, message))
    return problems


def _number_hint(text: str) -> str:
    """How to write a number that almost is one: '1 000' → 1000, '1,5' → no decimals."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if compact.isdigit() and compact != text.strip():
        return f" (skriv utan mellanslag: {compact})"
    if re.fullmatch(r"-?\d+[.,]\d+", compact):
        return " (utan decimaler)"
    return ""


def _suggest(key: str, allowed: list[str]) -> str | None:
    """The allowed key ``key`` was most likely meant as: same letters in another case first, then the closest."""
    by_fold = {a.casefold(): a for a in allowed}
    if key.casefold() in by_fold and by_fold[key.casefold()] != key:  # 'Rubrik', 'HANDLÄGGARE': only the case is wrong
        return by_fold[key.casefold()]
    close = difflib.get_close_matches(key.casefold(), list(by_fold), n=1, cutoff=0.6)
    # the key itself can come back when a union's branches allow different keys: no advice then
    return by_fold[close[0]] if close and by_fold[close[0]] != key else None


#: Names pydantic-core gives validators of plain types when it labels a union branch with them.
_TYPE_TAGS = frozenset({
    "str", "int", "float", "bool", "date", "datetime", "time", "timedelta", "none", "any", "bytes",
    "decimal", "uuid", "url", "multi-host-url", "complex", "callable", "typed-dict", "model-fields",
    "dataclass-args", "constrained-str", "constrained-int", "constrained-float", "constrained-bytes",
})


@functools.cache
def _union_tags(model: type[BaseModel]) -> frozenset[str]:
    """Every label pydantic may put into an error's loc for a union branch when validating ``model``.

    They are read from the model's core schema: the class name of every model, dataclass and enum
    reachable from it, the discriminator values of tagged unions and explicit ``Tag`` labels.
    Compound labels such as ``function-before[...]`` or ``list[str]`` are recognised by their form.
    """
    tags: set[str] = set(_TYPE_TAGS)
    stack: list[Any] = [model.__pydantic_core_schema__]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            cls = node.get("cls")
            if isinstance(cls, type):
                tags.add(cls.__name__)
            if node.get("type") == "tagged-union" and isinstance(node.get("choices"), dict):
                tags.update(str(k) for k in node["choices"])
            if node.get("type") == "union":
                tags.update(c[1] for c in node.get("choices", ()) if isinstance(c, tuple) and len(c) == 2)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return frozenset(tags)


def _is_tag(part: Any, tags: frozenset[str]) -> bool:
    """Whether a loc part can be pydantic's name for a union branch rather than a YAML key."""
    if not isinstance(part, str):
        return False
    # compound validator names: 'function-before[f(), Underlag]', 'list[str]', "literal['a']"
    return part in tags or (part.endswith("]") and "[" in part and part.split("[", 1)[0].replace("-", "").isalpha())


def _data_loc(loc: tuple[Any, ...], data: Any, tags: frozenset[str]) -> tuple[Any, ...]:
    """``loc`` with the union tags removed, decided by walking the data it points into.

    A part that names a key (or index) present in the data at that point is data, whatever it
    looks like: a user's key 'Avsnitt' or 'Rubrik' must be reported as written. Otherwise a part
    that is a known tag is dropped; anything else (a missing key) is kept.
    """
    out: list[Any] = []
    current: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(current, list) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(part, str) and isinstance(current, dict) and part in current:
            current = current[part]
        elif _is_tag(part, tags):
            continue
        else:
            current = None  # past the data: a key that is missing
        out.append(part)
    return tuple(out)
