"""``beslut new``: a valid draft with every section present and a comment on each."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .output import write_atomic

KINDS = {"tjänsteskrivelse": "tjansteskrivelse.yaml", "uppdrag": "uppdrag.yaml"}  # ASCII file names travel well


def new_record(kind: str, target: Path) -> str:
    """Write the scaffold for ``kind`` to ``target``; returns the write action."""
    text = resources.files("beslut").joinpath("scaffolds", KINDS[kind]).read_text(encoding="utf-8")
    return write_atomic(target, text.encode("utf-8"))
