"""Signed agreements (PAdES): empty signature fields in built PDFs, signing in turn, verifying.

``fields`` adds one empty, tagged signature field per signer to a final document's PDF at build
time (and records the document's status in its metadata); ``sign`` signs one field as an
incremental update with pyHanko; ``verify`` judges every signature and what follows it. pyHanko
is imported only by ``sign`` and ``verify``: a build never loads it.
"""
from __future__ import annotations

#: Key in the PDF's document information dictionary recording the document's status.
STATUS_KEY = "/BeslutStatus"
#: Its values: a draft must not be signed.
DRAFT, FINAL = "utkast", "slutlig"


def quiet_pyhanko() -> None:
    """pyHanko logs expected failures (an untrusted signer, a wrong digest) with tracebacks; beslut
    reports them itself, in Swedish, so pyHanko's own log stays out of the terminal."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
