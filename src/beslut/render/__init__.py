"""One renderer per output format; each draws a ``Document`` and returns bytes."""
