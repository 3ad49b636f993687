"""Where one record's time goes: each stage of produce() timed alone, in one process, on one core.

Usage: python bench/stages.py [--records 100] [--repeat 3] [--json FILE]

Generates N records (bench/generate.py), then times, per record and in milliseconds: reading and
checking, composing, and each renderer (DOCX, PDF, HTML), and the atomic write of the three files.
Every stage runs over all records once to warm caches (templates, fonts, typst's compiler), then
``--repeat`` times; the best run is reported. The sum is the cost of one record on one core: the
build's cold time on C cores is about N × sum / C plus start-up.

Baseline, in the same run: the DOCX as it was made before Speed II, from the Word template with
all of python-docx's 178 styles and their Word 2007 copy, docxtpl's XML clean-up done per document.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent


def best(fn, items, repeat: int) -> float:
    """Milliseconds per item of ``fn`` over ``items``: the best of ``repeat`` runs after one warm-up."""
    for item in items:
        fn(item)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        runs.append((time.perf_counter() - start) / len(items) * 1000)
    return min(runs)


def _template_before_speed_ii(folder: Path) -> Path:
    """A templates folder with the Word template as tools/make_word_template.py wrote it before it
    left out unused styles (python-docx's default template, restyled): the DOCX baseline."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_word_template", ROOT / "tools" / "make_word_template.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tool.slim = lambda path: None  # everything python-docx's template holds stays
    folder.mkdir(parents=True)
    with contextlib.redirect_stdout(io.StringIO()):
        tool.main([str(folder / "dokument.docx")])
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from beslut.compose import compose
    from beslut.output import write_atomic
    from beslut.produce import check_source
    from beslut.project import Project
    from beslut.render.docx import _patched_xml, render_docx
    from beslut.render.html import render_html
    from beslut.render.pdf import render_pdf

    with tempfile.TemporaryDirectory(prefix="beslut-stages-") as tmp:
        root = Path(tmp) / "year"
        paths = generate(root, args.records)
        project = Project.open(root)
        loaded = [check_source(p, project)[0] for p in paths]
        records = [r for r in loaded if r is not None]
        docs = [compose(r, project.profile) for r in records]
        t = project.templates
        out = root / "out"
        out.mkdir()
        rendered = {d.id: (render_docx(d, t), render_pdf(d, t), render_html(d, t)) for d in docs}
        before = _template_before_speed_ii(Path(tmp) / "före")

        def docx_before(doc) -> None:
            _patched_xml.cache_clear()
            render_docx(doc, before)

        def write(doc) -> None:
            for fmt, data in zip(("docx", "pdf", "html"), rendered[doc.id]):
                write_atomic(out / f"{doc.id}.{fmt}", data)

        stages = {
            "read + check": best(lambda p: check_source(p, project), paths, args.repeat),
            "compose": best(lambda r: compose(r, project.profile), records, args.repeat),
            "DOCX": best(lambda d: render_docx(d, t), docs, args.repeat),
            "baseline: DOCX before": best(docx_before, docs, args.repeat),
            "PDF (typst)": best(lambda d: render_pdf(d, t), docs, args.repeat),
            "HTML": best(lambda d: render_html(d, t), docs, args.repeat),
            "write 3 files": best(write, docs, args.repeat),
        }
    baseline = stages.pop("baseline: DOCX before")
    total = sum(stages.values())
    print(f"one record, one core ({len(paths)} records, best of {args.repeat}):")
    for name, ms in stages.items():
        print(f"  {name:<14} {ms:6.2f} ms  {ms / total:5.1%}")
    print(f"  {'sum':<14} {total:6.2f} ms")
    print(f"baseline, same run: DOCX before Speed II {baseline:.2f} ms; now {stages['DOCX']:.2f} ms "
          f"({baseline / stages['DOCX']:.2f}× faster)")
    if args.json:
        args.json.write_text(json.dumps({"records": len(paths), "ms_per_record": stages, "sum_ms": total,
                                         "baseline_docx_before_ms": baseline},
                                        indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
