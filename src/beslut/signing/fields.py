"""Empty signature fields in a built PDF: one per signer, on that signer's line, tagged for PDF/UA.

The typst template marks each signing line of a final document (``<beslut-signature-field>``:
field name, page, position, width); ``add_signature_fields`` turns the marks into AcroForm
signature fields whose widgets sit on the lines. Each widget is tagged as PDF/UA asks: a ``Form``
structure element with an object reference to the widget, ``/StructParent`` in the parent tree,
a ``/TU`` tooltip, an (empty) appearance stream, the Print flag and ``/Tabs /S`` on its page.
The document's status (utkast or slutlig) is written to the document information dictionary, so
that ``beslut sign`` can refuse a draft. The rewrite is deterministic: same input, same bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from . import DRAFT, FINAL, STATUS_KEY

#: Height of a field above its line, in points: the space the template leaves above the line.
FIELD_HEIGHT = 34.0
#: Annotation flag Print (PDF/A requires it on every widget).
PRINT_FLAG = 4


@dataclass(frozen=True)
class FieldMark:
    """Where one signer's field goes: page number (from 1), the line's top-left corner in points
    from the page's top-left corner, its width; the tooltip names the party and signer."""

    name: str
    page: int
    x: float
    y: float
    width: float
    tooltip: str


def add_signature_fields(pdf: bytes, marks: list[FieldMark], draft: bool) -> bytes:
    """The PDF with one empty signature field per mark (none for a draft) and its status recorded."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.docinfo[Name(STATUS_KEY)] = String(DRAFT if draft else FINAL)
        if marks and not draft:
            _add_fields(doc, marks)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _add_fields(doc: pikepdf.Pdf, marks: list[FieldMark]) -> None:
    root = doc.Root
    tree = root.StructTreeRoot
    parent_tree = tree.ParentTree
    next_key = int(tree.get("/ParentTreeNextKey", _max_key(parent_tree) + 1))
    top = _document_element(tree)
    fields = Array()
    for mark in marks:
        page = doc.pages[mark.page - 1]
        height = float(page.mediabox[3]) - float(page.mediabox[1])
        llx, lly = round(mark.x, 2), round(height - mark.y, 2)
        rect = [llx, lly, round(llx + mark.width, 2), round(lly + FIELD_HEIGHT, 2)]
        appearance = doc.make_stream(b"", Type=Name.XObject, Subtype=Name.Form,
                                     BBox=Array([0, 0, round(mark.width, 2), FIELD_HEIGHT]), Resources=Dictionary())
        widget = doc.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(mark.name), TU=String(mark.tooltip),
            Rect=Array(rect), F=PRINT_FLAG, P=page.obj, AP=Dictionary(N=appearance), StructParent=next_key))
        element = doc.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name.Form, P=top, Pg=page.obj, Alt=String(mark.tooltip),
            K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page.obj)))
        _append_kid(top, element)
        _add_to_parent_tree(doc, parent_tree, next_key, element)
        next_key += 1
        annots = page.obj.get("/Annots")
        if annots is None:
            page.obj.Annots = Array([widget])
        else:
            annots.append(widget)
        page.obj.Tabs = Name.S
        fields.append(widget)
    tree.ParentTreeNextKey = next_key
    form = root.get("/AcroForm")
    if form is None:
        root.AcroForm = doc.make_indirect(Dictionary(Fields=fields))
    else:
        form.Fields = Array([*form.get("/Fields", Array()), *fields])


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    """The structure element the fields go into: the root's only element (typst's Document)."""
    kids = tree.K
    if isinstance(kids, Array):
        return kids[0] if len(kids) == 1 else tree
    return kids


def _append_kid(element: pikepdf.Object, kid: pikepdf.Object) -> None:
    kids = element.get("/K")
    if kids is None:
        element.K = Array([kid])
    elif isinstance(kids, Array):
        kids.append(kid)
    else:
        element.K = Array([kids, kid])


def _max_key(parent_tree: pikepdf.Object) -> int:
    """The largest key of a number tree (flat or with kids)."""
    largest = -1
    nums = parent_tree.get("/Nums")
    if nums is not None:
        largest = max([int(nums[i]) for i in range(0, len(nums), 2)], default=-1)
    for kid in parent_tree.get("/Kids", Array()):
        largest = max(largest, _max_key(kid))
    return largest


def _add_to_parent_tree(doc: pikepdf.Pdf, parent_tree: pikepdf.Object, key: int, element: pikepdf.Object) -> None:
    """Map ``key`` (an annotation's /StructParent) to its structure element; keys stay sorted."""
    if "/Kids" in parent_tree:
        parent_tree.Kids.append(doc.make_indirect(Dictionary(Limits=Array([key, key]), Nums=Array([key, element]))))
        return
    nums = parent_tree.get("/Nums")
    if nums is None:
        parent_tree.Nums = Array([key, element])
    else:
        nums.append(key)
        nums.append(element)


__all__ = ["FIELD_HEIGHT", "FieldMark", "add_signature_fields"]
