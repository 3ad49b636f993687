"""Which context fields a template uses, to warn when a project's own template lags behind beslut:s.

A kommun that restyled ``dokument.docx`` two versions ago keeps its file when beslut:s packaged
template learns to print something new (letterhead fields, bilagor): the project's template then
silently leaves it out. ``check_overrides`` compares the context names each template uses.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import DOCX_TEMPLATE, HTML_TEMPLATE, PDF_TEMPLATE, default_templates

#: typst methods that follow a field in ``lh.handlaggare.join(…)``: not fields of the context.
_TYPST_METHODS = frozenset({"at", "contains", "enumerate", "filter", "find", "first", "flatten", "join", "keys", "last",
                            "len", "map", "pairs", "position", "rev", "slice", "sorted", "split", "sum", "values",
                            "zip", "trim", "starts-with", "ends-with", "replace", "display"})
_TYPST_CHAIN = re.compile(r"(?<![\w-])(?<![\w)\]]\.)(ctx|doc|lh|labels)((?:\.[A-Za-z_][\w-]*)+)")


def check_overrides(templates: Path) -> list[str]:
    """A warning per project template that lacks names the packaged template of that name uses."""
    warnings = []
    for name, reader in ((DOCX_TEMPLATE, _docx_names), (PDF_TEMPLATE, _typst_names), (HTML_TEMPLATE, _jinja_file_names)):
        own, packaged = templates / name, default_templates() / name
        if not own.is_file() or own.resolve() == packaged.resolve():
            continue
        try:
            missing = sorted(reader(packaged) - reader(own))
        except Exception as exc:  # a broken template is reported by build; here it is only named
            warnings.append(f"templates/{name}: kan inte läsas för jämförelse med beslut:s mall ({exc.__class__.__name__})")
            continue
        if missing:
            shown = ", ".join(missing[:8]) + (f" och {len(missing) - 8} till" if len(missing) > 8 else "")
            warnings.append(f"templates/{name}: använder inte {shown}, som beslut:s egen mall använder; mallen kan vara "
                            f"skriven för en äldre version – jämför med {packaged} eller ta bort filen för att använda den")
    return warnings


def jinja_names(source: str) -> set[str]:
    """Context names and the field chains read from them ("doc", "doc.letterhead.fields") in a Jinja source."""
    from jinja2 import meta, nodes  # here: a check of a project without its own templates never needs Jinja

    from .environment import environment

    tree = environment(default_templates()).parse(source)
    roots = meta.find_undeclared_variables(tree)
    found = set(roots)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain = []
        while isinstance(node, (nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Getattr):
                chain.append(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                chain.append(node.arg.value)
            else:
                chain = []
            node = node.node
        if isinstance(node, nodes.Name) and node.name in roots and chain:
            found.add(".".join([node.name, *reversed(chain)]))
    return found


def _jinja_file_names(path: Path) -> set[str]:
    return jinja_names(path.read_text(encoding="utf-8"))


def _docx_names(path: Path) -> set[str]:
    """The names in the Word template's body, headers and footers, as docxtpl renders them."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts = [tpl.get_xml()]
    for rel in tpl.docx.part.rels.values():
        if rel.reltype.endswith(("/header", "/footer")):
            parts.append(rel.target_part.blob.decode("utf-8"))
    return set().union(*(jinja_names(tpl.patch_xml(xml)) for xml in parts))


def _typst_names(path: Path) -> set[str]:
    """Field chains read from the context in a typst template: ``ctx.doc.title``, ``lh.fields`` …"""
    found = set()
    for root, rest in _TYPST_CHAIN.findall(path.read_text(encoding="utf-8")):
        parts = [root]
        for part in rest.split(".")[1:]:
            if part in _TYPST_METHODS:
                break
            parts.append(part)
        found.add(".".join(parts))
    return found
