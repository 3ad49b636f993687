"""PDF by LibreOffice converting the DOCX: for users who want PDF exactly as Word lays it out.

Slower (about a second a document) and not byte-reproducible (LibreOffice stamps /ID and dates).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import EngineError

PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def soffice() -> str | None:
    """Path of the LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, name: str) -> bytes:
    """Convert DOCX bytes to PDF/A-2b bytes with headless LibreOffice."""
    binary = soffice()
    if binary is None:
        raise EngineError("LibreOffice saknas (soffice): installera libreoffice-writer-nogui, "
                          "eller använd --pdf-engine typst")
    with tempfile.TemporaryDirectory(prefix="beslut-lo-") as tmp:
        folder = Path(tmp)
        src = folder / f"{name}.docx"
        src.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", PDF_FILTER, "--outdir", str(folder), str(src)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        except subprocess.CalledProcessError as exc:
            raise EngineError(f"LibreOffice kunde inte konvertera {name}: {exc.stderr.decode(errors='replace')}") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"LibreOffice svarade inte inom 180 s för {name}") from None
        out = folder / f"{name}.pdf"
        if not out.is_file():
            raise EngineError(f"LibreOffice gav ingen PDF för {name}")
        return out.read_bytes()
