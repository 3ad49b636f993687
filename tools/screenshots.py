"""Render page one of each document type to PNG for the README: docs/images/<typ>.png.

Run from the repository (python tools/screenshots.py) and commit the images. The example records
are built with the example profile and its placeholder logo, the PDF's first page is drawn by
pdftoppm (poppler-utils) at 80 dpi.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
#: One example per document type: (image name, record).
EXAMPLES = [
    ("tjansteskrivelse", "son-2021-omradesbaserat-socialt-arbete-motion.yaml"),
    ("uppdrag", "son-2022-utvecklingsuppdrag-omradesteam.yaml"),
    ("utlatande", "ks-2024-utlatande-omradesteam.yaml"),
]
#: The example meeting: page one of its public packet (handlingar.pdf) and the bookmarks.
MEETING = "sammantraden/son-2022-01-26.yaml"


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm saknas: installera poppler-utils", file=sys.stderr)
        return 2
    from beslut import Project, produce

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="beslut-bilder-") as tmp:
        folder = Path(tmp)
        profile = (ROOT / "beslut.yaml").read_text(encoding="utf-8")
        (folder / "beslut.yaml").write_text(profile,
                                            encoding="utf-8")
        shutil.copy(ROOT / "logotyp-exempel.png", folder / "logotyp-exempel.png")
        shutil.copytree(ROOT / "decisions", folder / "decisions")
        project = Project.open(folder).with_options(formats=("pdf",))
        for name, record in EXAMPLES:
            outcome = produce(project.records / record, project)
            if not outcome.ok:
                for problem in outcome.problems:
                    print(problem.format(), file=sys.stderr)
                return 1
            pdf = folder / f"{name}.pdf"
            pdf.write_bytes(outcome.documents["pdf"])
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(OUT / name)], check=True)
            print(f"wrote {OUT / name}.png")
        outcome = produce(project.records / MEETING, project)
        if not outcome.ok:
            return 1
        packet = folder / "handlingar.pdf"
        packet.write_bytes(outcome.package["offentlig/handlingar.pdf"])
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(packet),
                        str(OUT / "sammantrade-offentlig")], check=True)
        (OUT / "sammantrade-offentlig-bokmarken.txt").write_text(_bookmarks(packet), encoding="utf-8")
        print(f"wrote {OUT / 'sammantrade-offentlig'}.png and its bookmarks")
        return _protokoll(project, folder) or _preview(folder)
    return 0


def _preview(folder: Path) -> int:
    """The live preview of a record in headless Chromium (Debian's, through Playwright)."""
    from playwright.sync_api import sync_playwright

    from beslut.serve import PreviewServer

    server = PreviewServer(folder, 0).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "chromium", args=["--no-sandbox"])
            tab = browser.new_page(viewport={"width": 900, "height": 700})
            tab.goto(f"{server.url}r/son-2020-faltverksamhet")
            tab.screenshot(path=str(OUT / "serve.png"))
            browser.close()
    finally:
        server.close()
    print(f"wrote {OUT / 'serve.png'}")
    return 0


def _protokoll(project, folder: Path) -> int:
    """Page one of the example meeting's public protokoll."""
    from beslut.meetings.protokoll import produce_protokoll
    from beslut.records import load_record

    record, _ = load_record(project.records / MEETING)
    result = produce_protokoll(record, project)
    if not result.ok:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    pdf = folder / "protokoll.pdf"
    pdf.write_bytes(result.files["offentlig/protokoll.pdf"])
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(OUT / "protokoll")], check=True)
    print(f"wrote {OUT / 'protokoll'}.png")
    return 0


def _bookmarks(pdf: Path) -> str:
    """The packet's outline as an indented list (what a PDF reader's bookmark pane shows)."""
    import pikepdf

    lines = []
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        for item in outline.root:
            lines.append(item.title)
            lines.extend(f"    {child.title}" for child in item.children)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
