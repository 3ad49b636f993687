"""``beslut serve``: a live preview of the project's records in the browser (see ``server``)."""
from __future__ import annotations

from .preview import Preview, Rendering
from .server import PreviewServer

__all__ = ["Preview", "PreviewServer", "Rendering"]
