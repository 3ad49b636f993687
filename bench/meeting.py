"""Meeting packet benchmark: 40 ärenden, each a tjänsteskrivelse with a 10-page bilaga.

Usage: python bench/meeting.py [--baseline REV]

Measures, in one run: the cold build (the 40 records and the meeting's packet in both
editions), a no-op build, a build after one record on the agenda is edited, and peak memory of
the process tree; as a baseline in the same run, the same 40 records built without the meeting.
With ``--baseline REV`` the cold build and the one-record edit are also timed with beslut as at
that Git revision, on a copy of the same project, in the same run. Prints a table and writes
bench/results/meeting.json. Targets (issue): cold packet ≤ 3 s on 2 cores, one-record edit
≤ 1 s, peak ≤ 500 MB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import baseline_env, timed  # noqa: E402

ARENDEN = 40


def bilaga_pdf(path: Path, pages: int = 10) -> None:
    """A real 10-page PDF/A made once with typst (text on every page)."""
    import typst

    source = path.with_suffix(".typ")
    body = "\n#pagebreak()\n".join(f"= Bilaga, sida {n}\n" + "Underlag för nämndens beslut. " * 120
                                   for n in range(1, pages + 1))
    source.write_text('#set document(title: "Bilaga")\n#set text(lang: "sv")\n' + body, encoding="utf-8")
    path.write_bytes(typst.compile(str(source), pdf_standards=["a-2b"],
                                   timestamp=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)))
    source.unlink()


def project(folder: Path, with_meeting: bool) -> None:
    records = generate(folder, ARENDEN * 2)
    tjanste = [p for p in records if "typ: tjänsteskrivelse" in p.read_text(encoding="utf-8")][:ARENDEN]
    for p in records:
        if p not in tjanste:
            p.unlink()
    bilaga = folder / "decisions" / "bilaga.pdf"
    bilaga_pdf(bilaga)
    for i, p in enumerate(tjanste):
        shutil.copy(bilaga, folder / "decisions" / f"bilaga-{i}.pdf")
        text = p.read_text(encoding="utf-8")
        text = text.replace("beslutsunderlag:\n", f"beslutsunderlag:\n  - titel: Utredning\n    bilaga: bilaga-{i}.pdf\n", 1)
        p.write_text(text, encoding="utf-8")
    bilaga.unlink()
    if with_meeting:
        items = "".join(f"  - post: {p.stem}\n    föredragande: Föredragande {i}\n"
                        + ("    sekretess: OSL 26 kap. 1 §\n" if "sekretess: true" in p.read_text(encoding="utf-8") else "")
                        for i, p in enumerate(tjanste))
        (folder / "decisions" / "sammantrade.yaml").write_text(
            "typ: sammanträde\nstatus: färdig\nnämnd: SON\ndatum: 2026-01-28\ntid: {start: '13:00'}\n"
            "plats: Stadshuset\nordförande: A\nsekreterare: B\närenden:\n" + items, encoding="utf-8")


def edit_one(folder: Path) -> None:
    """Edit the first record on the agenda (its text, so that its documents change)."""
    first = next(p for p in sorted((folder / "decisions").glob("*.yaml")) if p.name != "sammantrade.yaml")
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("rubrik: ", "rubrik: Ändrat – ", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="also time cold and one edit with beslut as at this revision")
    args = parser.parse_args()
    beslut = [sys.executable, "-m", "beslut.cli"]
    old: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="beslut-bench-meeting-") as tmp:
        base, meet = Path(tmp) / "utan", Path(tmp) / "med"
        project(base, with_meeting=False)
        project(meet, with_meeting=True)
        copy = Path(tmp) / "baseline-project"
        shutil.copytree(meet, copy)
        baseline, _, _ = timed(beslut + ["build", "-q"], base)
        cold, peak, out = timed(beslut + ["build", "-q"], meet)
        noop, _, _ = timed(beslut + ["build", "-q"], meet)
        edit_one(meet)
        one, _, out_one = timed(beslut + ["build", "-q"], meet)
        if args.baseline:
            env = baseline_env(args.baseline, Path(tmp))
            old["cold_s"], _, _ = timed(beslut + ["build", "-q"], copy, env=env)
            edit_one(copy)
            old["one_record_edit_s"], _, _ = timed(beslut + ["build", "-q"], copy, env=env)
        packet_only = cold - baseline
    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "arenden": ARENDEN, "bilaga_pages": 10,
        "records_alone_s": round(baseline, 2), "cold_with_packet_s": round(cold, 2),
        "packet_share_s": round(packet_only, 2), "noop_s": round(noop, 3), "one_record_edit_s": round(one, 2),
        "peak_mib": round(peak / 2**20), "one_record_summary": out_one.strip().splitlines()[-1],
        "baseline": {"rev": args.baseline, **{k: round(v, 2) for k, v in old.items()}} if args.baseline else None,
    }
    print(f"meeting benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, {ARENDEN} ärenden "
          "each with a 10-page bilaga")
    rows = [("40 records alone (baseline)", f"{baseline:.2f} s", ""),
            ("cold: records + packet, both editions", f"{cold:.2f} s",
             f"{cold / baseline:.2f}× the baseline; packet alone {packet_only:.2f} s (target ≤ 3 s)"),
            ("no-op build", f"{noop:.3f} s", ""),
            ("one record on the agenda edited", f"{one:.2f} s", "target ≤ 1 s"),
            ("peak memory (process tree, PSS)", f"{peak / 2**20:.0f} MiB", "target ≤ 500 MiB")]
    if args.baseline:
        rows += [(f"cold, beslut at {args.baseline}", f"{old['cold_s']:.2f} s", f"now {old['cold_s'] / cold:.2f}× faster"),
                 (f"one edit, beslut at {args.baseline}", f"{old['one_record_edit_s']:.2f} s",
                  f"now {old['one_record_edit_s'] / one:.2f}× faster")]
    for name, value, note in rows:
        print(f"{name:<40} {value:>12}  {note}")
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "meeting.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
