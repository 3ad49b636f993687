"""One renderer per output format; each draws a ``Document`` and returns bytes.

``render`` makes the formats asked for; ``template_files`` lists the template files the engines
read (the build fingerprints those bytes). beslut ships its own templates (``default_templates()``);
a project's ``templates/`` folder overrides them file by file: each name resolves to the project's
file if there is one, else to the packaged one (``template_path``). Importing this package imports
no engine (docxtpl, typst, Jinja): a build that has nothing to do starts faster.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from ..document import Document

DOCX_TEMPLATE = "dokument.docx"
PDF_TEMPLATE = "dokument.typ"
HTML_TEMPLATE = "dokument.html.j2"
FORMATS = ("docx", "pdf", "html")

_pdf_thread: ThreadPoolExecutor | None = None


def render(doc: Document, formats: Sequence[str], templates: Path, *, pdf_engine: str = "typst",
           parallel: bool = False, source: Path | None = None) -> dict[str, bytes]:
    """Render one document in each of ``formats`` ("docx", "pdf", "html"), in memory.

    ``pdf_engine`` is "typst" (PDF/A-2b + PDF/UA-1 from templates/dokument.typ) or "libreoffice"
    (converts the DOCX). With ``parallel``, typst lays out the PDF in a thread while DOCX and
    HTML are made here: typst releases the GIL, so one record's formats use two cores.
    ``source`` is the record's path, used in error messages only. Returns bytes per format,
    in the order docx, pdf, html; a template fault raises TemplateError.
    """
    # the engines are imported here, not at the top: a no-op build never needs them
    from .docx import render_docx
    from .html import render_html
    from .libreoffice import docx_to_pdf
    from .pdf import render_pdf

    global _pdf_thread
    out: dict[str, bytes] = {}
    pdf_future = None
    if "pdf" in formats and pdf_engine == "typst" and parallel:
        if _pdf_thread is None:  # one long-lived thread: its typst compiler is reused
            from concurrent.futures import ThreadPoolExecutor

            _pdf_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beslut-typst")
        pdf_future = _pdf_thread.submit(render_pdf, doc, templates, source)
    try:
        if "docx" in formats or ("pdf" in formats and pdf_engine == "libreoffice"):
            out["docx"] = render_docx(doc, templates, source)
        if "html" in formats:
            out["html"] = render_html(doc, templates, source)
    finally:
        if pdf_future is not None:
            pdf = pdf_future.result()  # a template error in the PDF is raised here too
    if "pdf" in formats:
        if pdf_future is not None:
            out["pdf"] = pdf
        elif pdf_engine == "typst":
            out["pdf"] = render_pdf(doc, templates, source)
        else:
            out["pdf"] = docx_to_pdf(out["docx"], doc.id)
    return {k: out[k] for k in FORMATS if k in formats}


def default_templates() -> Path:
    """The templates beslut ships (src/beslut/templates): used for every file a project does not override."""
    return Path(__file__).resolve().parent.parent / "templates"


def template_path(templates: Path, name: str) -> Path:
    """The file a template name resolves to: the project's ``templates/NAME`` if it is a regular file
    inside that folder, else beslut's own."""
    own = templates / name
    if _inside(own, templates):
        return own
    return default_templates() / name


def template_sources(templates: Path) -> dict[str, Path]:
    """Every template file the engines may read, by name (a path relative to the templates folder):
    the packaged defaults, each replaced by the project's file of the same name, plus the project's
    own further files (includes). A symlink out of the project's folder is left out."""
    found = {name: path for name, path in _files(default_templates()).items()}
    if templates.resolve() != default_templates():
        found.update(_files(templates))
    return dict(sorted(found.items()))


def template_files(templates: Path) -> list[Path]:
    """Every template file an engine may read for a project with this ``templates`` folder, sorted by
    name: the project's files and the packaged defaults it does not override (see ``template_sources``).

    Included and imported templates count too, so that changing one rebuilds. A packaged default is
    given as a path below ``templates`` (``templates/../…``, the same file), so that callers that
    name files relative to the project's folder keep working.
    """
    out = []
    for path in template_sources(templates).values():
        if not path.is_relative_to(templates):
            try:
                path = templates / os.path.relpath(path, templates)
            except ValueError:  # another drive (Windows): the absolute path it is
                pass
        out.append(path)
    return out


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is a regular file that stays inside ``folder`` once symlinks are followed."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a dangling symlink or a loop
        return False
    return real.is_relative_to(folder.resolve()) and real.is_file()


def _files(folder: Path) -> dict[str, Path]:
    """The regular files under ``folder`` (symlinks out of it left out), by relative name."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            if _inside(path, folder) and name != "__init__.py" and "__pycache__" not in path.parts:
                found[path.relative_to(folder).as_posix()] = path
    return found


def check_overrides(templates: Path) -> list[str]:
    """Warnings (Swedish) for project templates that lack a field the packaged template uses.

    A project's own ``dokument.docx``, ``.typ`` or ``.html.j2`` written for an older beslut misses
    what newer versions give the templates (letterhead fields, bilagor …). Each warning names the
    file and the missing names. Imports the engines: call it from ``check``, not from a no-op build.
    """
    from .overrides import check_overrides as check

    return check(templates)


__all__ = ["DOCX_TEMPLATE", "FORMATS", "HTML_TEMPLATE", "PDF_TEMPLATE", "check_overrides", "default_templates", "render",
           "template_files", "template_path", "template_sources"]
