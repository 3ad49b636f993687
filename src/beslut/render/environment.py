"""The one Jinja environment: sandboxed, strict about unknown names, autoescaping always."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateSyntaxError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateError


@lru_cache(maxsize=8)
def environment(template_dir: Path) -> ImmutableSandboxedEnvironment:
    """Templates see only the data they are given: no Python internals, no files, no OS."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(template_dir)), undefined=StrictUndefined, autoescape=True,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return env


def render_text_template(template_dir: Path, name: str, context: dict, record: Path | None = None) -> str:
    """Render a text template (HTML), turning every Jinja failure into a TemplateError."""
    path = template_dir / name
    if not path.is_file():
        raise TemplateError(path, "mallen finns inte", record)
    try:
        return environment(template_dir).get_template(name).render(**context)
    except TemplateSyntaxError as exc:
        raise TemplateError(exc.filename or path, f"syntaxfel: {exc.message}", record, exc.lineno) from None
    except (JinjaTemplateError, TypeError, AttributeError, ValueError) as exc:
        raise TemplateError(path, f"{exc.__class__.__name__}: {exc}", record, _template_line(exc)) from None


def _template_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".j2", ".html")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
