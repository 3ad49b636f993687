"""The document model every renderer draws: blocks of plain text runs, nothing evaluated.

A record becomes one ``Document``; the DOCX, PDF and HTML renderers walk the same blocks in
the same order, which is why the three formats carry the same words in the same order.
All text here is literal: renderers escape it for their own format and never interpret it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, Union


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis; ``href`` makes it a link; ``br`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    br: bool = False
    change: Literal["insert", "delete"] | None = None  # a change mark (redline): inserted or deleted text


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is a section heading (the document title is separate)."""

    level: int
    runs: list[Run]
    kind: Literal["heading"] = "heading"
    change: Literal["insert", "delete"] | None = None  # redline: the whole heading inserted or deleted


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` is body, label (a bold lead-in line) or quote."""

    runs: list[Run]
    style: Literal["body", "label", "quote", "code"] = "body"
    kind: Literal["paragraph"] = "paragraph"
    change: Literal["insert", "delete"] | None = None  # redline: the paragraph (with its mark) inserted or deleted


@dataclass(frozen=True)
class ListBlock:
    """A real list: numbered (starting at ``start``) or bulleted; each item is a list of blocks."""

    ordered: bool
    items: list[list[Block]]
    start: int = 1
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Table:
    """A simple table of text cells; the first row is a header row when ``header`` is true."""

    rows: list[list[list[Run]]]
    header: bool = True
    kind: Literal["table"] = "table"
    #: redline: per row "insert", "delete" or None (empty: no row changed)
    row_changes: list[Literal["insert", "delete"] | None] = field(default_factory=list)


@dataclass(frozen=True)
class Signer:
    """One who signs: for which party, their name and title, and the PDF signature field's name."""

    party: str
    name: str
    title: str = ""
    field: str = ""  # name of the signature field (PAdES) this signer fills; unique in the document


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side, one per signer; ``lines`` draws a line to sign on (agreements)."""

    signers: list[Signer]
    lines: bool = False
    kind: Literal["signatures"] = "signatures"

    @property
    def rows(self) -> list[list[str]]:
        """The blocks as rows (party, name, title), rows with no text left out."""
        rows = [[s.party for s in self.signers], [s.name for s in self.signers], [s.title for s in self.signers]]
        return [row for row in rows if any(row)]


@dataclass(frozen=True)
class Rule:
    """A short line: in a tjänsteskrivelse it closes the part that goes into the protokoll."""

    kind: Literal["rule"] = "rule"


Block = Union[Heading, Paragraph, ListBlock, Table, Signatures, Rule]


@dataclass(frozen=True)
class Letterhead:
    """What stands in the first page's header."""

    organisation: str
    forvaltning: str
    datum: str
    dnr: str
    handlaggare: list[str]
    mottagare: str  # the nämnd the document goes to, printed above the title
    logo: str | None = None  # absolute path of the organisation's logo (PNG or JPEG)
    logo_alt: str = ""  # its text alternative
    #: The header fields in the kommun's order, as (label, value): ("", "2021-12-17"), ("Dnr", "SON 2020-377").
    fields: list[tuple[str, str]] = field(default_factory=list)
    document_type: str = ""  # "TJÄNSTESKRIVELSE" where the kommun prints the kind, else ""
    running: str = ""  # the short header of continuation pages ("2021-12-17 · SON 2020-377"), or ""
    page_number: Literal["sidfot", "sidhuvud"] = "sidfot"  # where "1 (3)" stands
    handlaggare_lines: bool = False  # handläggare name, title, phone, e-mail on lines of their own


@dataclass(frozen=True)
class Bilaga:
    """A file attached to a document: numbered, copied beside the outputs and linked from them."""

    number: int
    title: str
    source: str  # path of the file, relative to the record's folder
    output: str  # its name in the output folder: "<id>.bilaga-<n><suffix>"


@dataclass(frozen=True)
class Document:
    """One output document: title, letterhead, body blocks, footer lines."""

    id: str
    kind: str
    title: str
    lang: str
    draft: bool
    letterhead: Letterhead
    subtitle: list[str]
    blocks: list[Block]
    footer: list[str]
    date_iso: str  # fixed date for metadata: outputs carry no clock time
    keywords: list[str] = field(default_factory=list)
    #: Named parts as half-open ranges of ``blocks``: "förslag" (what the protokoll takes over),
    #: "ärende", "underlag", "underskrifter" … Other capabilities take a part by name.
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    confidential: bool = False  # the record is covered by sekretess (OSL): never in a public edition
    bilagor: list[Bilaga] = field(default_factory=list)  # attached files, in number order

    def part(self, name: str) -> list[Block]:
        """The blocks of one named part (empty if the document has no such part)."""
        start, end = self.parts.get(name, (0, 0))
        return self.blocks[start:end]

    @property
    def signers(self) -> list[Signer]:
        """Everyone who signs, in order: each has a signature-field name."""
        return [s for b in self.blocks if isinstance(b, Signatures) for s in b.signers]

    def to_data(self) -> dict[str, Any]:
        """Plain data (for the typst template, which reads it as JSON); signatures also as rows."""
        data = _plain(self)
        for block, plain in zip(self.blocks, data["blocks"]):
            if isinstance(block, Signatures):
                plain["rows"] = block.rows
        return data


def plain_text(runs: list[Run]) -> str:
    """The text of some runs, breaks as spaces."""
    return "".join(" " if r.br else r.text for r in runs)


def text_run(text: str) -> list[Run]:
    """A single plain run (for headings and labels that are not Markdown)."""
    return [Run(text)]


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for any other type (looked up once per type)."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


_LEAVES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` for these frozen dataclasses, without its deep copies (4× faster:
    a document is converted once per record on every build)."""
    cls = type(value)
    if cls in _LEAVES:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    names = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
