"""Reading built outputs the way a reader would: DOCX paragraphs, PDF text, HTML text."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest


def docx_body_text(path: Path) -> str:
    """Visible text of the DOCX body, one paragraph a line."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    out = []
    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL):
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
        # a non-breaking hyphen (dates, Dnr) reads as a hyphen
        out.append(text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
                   .replace("\u2011", "-"))
    return "\n".join(out)


def pdf_text(path: Path, layout: bool = False) -> str:
    require_tool("pdftotext", "poppler-utils")
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


_INLINE = {"a", "em", "strong", "code", "span", "time", "br"}


class _Text(HTMLParser):
    def __init__(self, start_tag: str):
        super().__init__()
        self.parts: list[str] = []
        self.depth = 0
        self.start_tag = start_tag

    def handle_starttag(self, tag, attrs):
        if tag == self.start_tag or self.depth:
            self.depth += 1
        if tag not in _INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def html_text(path: Path, element: str = "article") -> str:
    """Text inside one element (the article: title and body)."""
    parser = _Text(element)
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def require_tool(name: str, package: str) -> str:
    """The path of a system tool; skip with a reason when absent, but fail in CI (CI=true)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} saknas (Debian-paket {package}); .ci/run installerar det"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def own_template(project: Path, name: str) -> Path:
    """The project's own copy of a packaged template (copied on first use), to edit as a kommun would."""
    from beslut.render import default_templates

    path = project / "templates" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default_templates() / name, path)
    return path
