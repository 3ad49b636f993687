"""The one Jinja environment: sandboxed, strict about unknown names, autoescaping, bounded.

The HTML renderer and docxtpl (the Word template) both render with it. Templates see only
the data they are given: no Python internals, no files outside the templates folder, no OS,
and no operation that would build a string or number too large to hold.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, StrictUndefined, Template, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import BeslutError, TemplateError
from . import default_templates, template_path

#: Largest text a template may produce (all its output, or one value built with * + **).
MAX_OUTPUT = 50_000_000
#: Largest integer, in bits, a template may compute with ** (10 ** 1000 is 3 322 bits).
MAX_INT_BITS = 100_000


class _JailedLoader(BaseLoader):
    """Templates from one folder only: a name or symlink leading out of it is not found.

    Jinja's FileSystemLoader refuses ``..`` but follows symlinks anywhere; this loader
    resolves every path and checks that it stays inside the folder.
    """

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def get_source(self, environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing, or a symlink loop
            raise TemplateNotFound(template) from None
        if not real.is_relative_to(self.folder) or not real.is_file():
            raise TemplateNotFound(template)
        source = real.read_text(encoding="utf-8")
        mtime = real.stat().st_mtime_ns

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(path), uptodate


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class _BoundedTemplate(Template):
    """A template whose whole output is counted as it streams: rendering stops at MAX_OUTPUT."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(_bounded(self.root_render_func(ctx)))  # type: ignore[attr-defined]
        except Exception:
            self.environment.handle_exception()  # rewrites the traceback to template lines


def _bounded(chunks: Iterator[str]) -> Iterator[str]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise SecurityError(f"mallen ger mer än {MAX_OUTPUT // 1_000_000} MB text")
        yield chunk


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, also refusing * + ** results too large to hold (``"x" * 3000000000``)."""

    template_class = _BoundedTemplate
    intercepted_binops = frozenset(["*", "**", "+"])
    #: Compiled templates by source text: docxtpl compiles each XML part of the Word template with
    #: ``from_string`` on every render, the same text every time; compiling once halves a DOCX's cost.
    _compiled: dict[str, Any]

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            if len(cache) >= 64:  # a few parts per Word template; a bound all the same
                cache.clear()
            template = cache[source] = super().from_string(source)
        return template

    def call_binop(self, context, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT:
                    raise SecurityError(f"mallen bygger en text längre än {MAX_OUTPUT // 1_000_000} MB")
        elif operator_name == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_OUTPUT:
                raise SecurityError(f"mallen bygger en text längre än {MAX_OUTPUT // 1_000_000} MB")
        elif operator_name == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0 \
                    and right * abs(left).bit_length() > MAX_INT_BITS:
                raise SecurityError("mallen räknar ut ett för stort tal (**)")
        return super().call_binop(context, operator_name, left, right)


def nobreak(text: str) -> Markup:
    """Text for HTML with dates, diarienummer and other id-like values in no-wrap spans (see context.NOBREAK)."""
    from .context import NOBREAK

    out, last = [], 0
    for match in NOBREAK.finditer(text):
        out += [escape(text[last:match.start()]), Markup('<span class="nb">'), escape(match.group()), Markup("</span>")]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@lru_cache(maxsize=8)
def environment(template_dir: Path) -> ImmutableSandboxedEnvironment:
    """The Jinja environment for one templates folder (cached: compiled templates are reused).

    A name (the template or an include) is looked up in the project's folder, then among beslut's
    own templates; each loader keeps to its folder.
    """
    env = _Environment(
        loader=ChoiceLoader([_JailedLoader(template_dir), _JailedLoader(default_templates())]),
        undefined=StrictUndefined, autoescape=True,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["nobreak"] = nobreak
    return env


def render_text_template(template_dir: Path, name: str, context: dict, record: Path | None = None) -> str:
    """Render a text template (HTML), turning every failure into a TemplateError."""
    path = template_path(template_dir, name)
    if not path.is_file():
        raise TemplateError(path, "mallen finns inte", record)
    try:
        return environment(template_dir).get_template(name).render(**context)
    except BeslutError:
        raise
    except Exception as exc:
        raise template_failure(exc, path, record, template_dir) from None


def template_failure(exc: Exception, template: Path, record: Path | None,
                     template_dir: Path | None = None) -> TemplateError:
    """A TemplateError for any exception raised while rendering ``template``: file, line, cause.

    A template can fail in many ways (division by zero, recursion, a missing include, a
    sandbox refusal, running out of memory); each is a fault in the template, not in beslut.
    With ``template_dir`` the error names the innermost template file there and its line.
    """
    if isinstance(exc, TemplateSyntaxError):
        # a template from a string (the Word template's XML) has no lines a user could find
        line = exc.lineno if exc.filename and not exc.filename.startswith("<") else None
        return TemplateError(_shown(exc.filename, template, template_dir), f"syntaxfel: {exc.message}", record, line)
    where, line = template, None
    found = _template_frame(exc, template_dir)
    if found:
        where, line = found
    return TemplateError(where, _describe(exc), record, line)


def _describe(exc: BaseException) -> str:
    """A one-line account of a failure, cut short (a message may quote a huge value)."""
    if isinstance(exc, RecursionError):
        return "mallen anropar sig själv utan slut (RecursionError), t.ex. en include av samma fil"
    if isinstance(exc, MemoryError):
        return "mallen behöver mer minne än som finns (MemoryError)"
    if isinstance(exc, TemplateNotFound):
        return f"TemplateNotFound: mallen '{exc.name}' finns inte i mallmappen"
    text = f"{exc.__class__.__name__}: {exc}"
    return text if len(text) <= 300 else text[:299] + "…"


def _shown(filename: str | None, default: Path, template_dir: Path | None) -> Path:
    """The template file as the user named its folder (Jinja knows it by its resolved path)."""
    if not filename or filename.startswith("<") or template_dir is None:
        return default
    try:
        return template_dir / Path(filename).relative_to(template_dir.resolve())
    except ValueError:
        return Path(filename)  # beslut's own template: its path in the package


def _template_frame(exc: BaseException, template_dir: Path | None) -> tuple[Path, int] | None:
    """The innermost traceback frame in a template file under ``template_dir``: (file, line)."""
    if template_dir is None:
        return None
    folders = tuple(os.fspath(f.resolve()) + os.sep for f in (template_dir, default_templates()))
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(folders):
            found = (_shown(name, template_dir, template_dir), tb.tb_lineno)
        tb = tb.tb_next
    return found


__all__ = ["MAX_OUTPUT", "environment", "render_text_template", "template_failure"]
