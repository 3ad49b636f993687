"""Benchmark: a year of decisions built cold, rebuilt with no change and with one change,
against the engines alone and LibreOffice, all measured in this one run on this machine.

Usage: python bench/run.py [--records 500] [--repeat 3] [--baseline REV] [--lo-single 10] [--lo-batch 100]
                          [--json FILE]

The cold build is made ``--repeat`` times (build/ removed in between; with ``--baseline``, each
alternating with a cold build by the baseline on its own copy of the records): the median is
reported with the range, as the machine's speed varies from one minute to the next.

Prints a table with ratios and writes JSON (default bench/results/latest.json).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent


class PeakMemory:
    """Samples the memory of a process and all its descendants (from /proc).

    ``peak`` is the proportional set size (PSS) summed over the tree: a page that processes share
    (the fork server's imports in every worker) counts once, split between them, so the sum is
    the memory the build really takes. ``rss_peak`` sums each process's resident size, which
    counts shared pages once per process (an upper bound, as earlier releases reported it).
    """

    def __init__(self, pid: int):
        self.pid, self.peak, self.rss_peak, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    @staticmethod
    def _field(path: str, name: str) -> int:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            pss = rss = 0
            for pid in self._tree():
                rss_one = self._field(f"/proc/{pid}/status", "VmRSS:")
                rss += rss_one
                pss += self._field(f"/proc/{pid}/smaps_rollup", "Pss:") or rss_one
            self.peak, self.rss_peak = max(self.peak, pss), max(self.rss_peak, rss)
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(cmd: list[str], cwd: Path, memory_out: dict | None = None,
          env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall time, peak memory (PSS) of the process tree, and output of one command; ``memory_out``
    gets both peaks ("pss", "rss") when given."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    memory = PeakMemory(proc.pid)
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    peak = memory.stop()
    if memory_out is not None:
        memory_out.update(pss=peak, rss=memory.rss_peak)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}")
    return seconds, peak, out


def engines_alone(project: Path) -> float:
    """Seconds for the engines alone on the same documents, one core: docxtpl + typst + HTML."""
    code = r"""
import sys, time
from pathlib import Path
from beslut.project import Project
from beslut.build import check
from beslut.compose import compose
from beslut.render import render
project = Project.open(Path('.'))
result = check(project)
docs = [(r, compose(r, project.profile)) for r in result.records]
start = time.perf_counter()
for record, doc in docs:
    render(doc, ['docx', 'pdf', 'html'], project.templates, source=record.path)
print(time.perf_counter() - start)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def libreoffice(docx: list[Path], batch: bool, work: Path) -> float:
    """Seconds for LibreOffice to convert the DOCX files: one call each, or one call for all."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return float("nan")
    profile = (work / "lo-profile").as_uri()
    base = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
            "--outdir", str(work / "lo-out")]
    subprocess.run(base + [str(docx[0])], capture_output=True, check=True)  # first start creates the profile
    start = time.perf_counter()
    if batch:
        subprocess.run(base + [str(p) for p in docx], capture_output=True, check=True)
    else:
        for path in docx:
            subprocess.run(base + [str(path)], capture_output=True, check=True)
    return time.perf_counter() - start


def baseline_env(rev: str, tmp: Path) -> dict[str, str]:
    """An environment that runs beslut as at Git revision ``rev`` (its src/, from ``git archive``
    into ``tmp``), with this interpreter's packages."""
    old = tmp / "baseline-src"
    if not old.is_dir():
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    # compiled now: with PYTHONDONTWRITEBYTECODE set, every run would otherwise compile it again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(old / "src")], check=True)
    return {**os.environ, "PYTHONPATH": str(old / "src")}


def _baseline(rev: str, project: Path, tmp: Path) -> tuple[float, int]:
    """Cold build time and peak memory of beslut as at ``rev`` (its src/ from ``git archive``) on a
    copy of ``project`` (without its build/), run now: the same machine and moment as the figures
    it is compared with."""
    copy = tmp / "baseline-project"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build"))
    seconds, peak, _ = timed([sys.executable, "-m", "beslut.cli", "build", "-q"], copy, env=baseline_env(rev, tmp))
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="cold builds; the median is reported, with the range")
    parser.add_argument("--lo-single", type=int, default=10, help="documents LibreOffice converts one call each")
    parser.add_argument("--lo-batch", type=int, default=100, help="documents LibreOffice converts in one call")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--baseline", metavar="REV",
                        help="also build cold with beslut as at this Git revision (e.g. the last release), "
                             "in this run, on a copy of the same records")
    args = parser.parse_args()
    beslut = [sys.executable, "-m", "beslut.cli"]
    with tempfile.TemporaryDirectory(prefix="beslut-bench-") as tmp:
        project = Path(tmp) / "year"
        records = generate(project, args.records)
        n = len(records)
        memory: dict[str, int] = {"pss": 0, "rss": 0}
        colds, baselines = [], []
        for _ in range(max(1, args.repeat)):
            if args.baseline:
                baselines.append(_baseline(args.baseline, project, Path(tmp)))
            shutil.rmtree(project / "build", ignore_errors=True)
            run: dict[str, int] = {}
            colds.append(timed(beslut + ["build", "-q"], project, run)[0])
            memory = {k: max(memory[k], run[k]) for k in memory}
        cold, cold_mem = statistics.median(colds), memory["pss"]
        baseline = (statistics.median(b[0] for b in baselines), max(b[1] for b in baselines)) if baselines else None
        noop, _, _ = timed(beslut + ["build", "-q"], project)
        changed = records[n // 2]
        changed.write_text(changed.read_text(encoding="utf-8").replace("rubrik: ", "rubrik: Ändrat, ", 1),
                           encoding="utf-8")
        one, _, out_one = timed(beslut + ["build", "-q"], project)
        assert out_one.startswith("1 byggda"), out_one
        engines = engines_alone(project)
        docx = sorted((project / "build").glob("*.docx"))
        lo_single = libreoffice(docx[: args.lo_single], batch=False, work=Path(tmp)) / min(args.lo_single, n)
        lo_batch = libreoffice(docx[: args.lo_batch], batch=True, work=Path(tmp)) / min(args.lo_batch, n)
    cores = os.cpu_count() or 1
    per_doc = cold / n
    figures = {
        "machine": {"cores": cores, "python": platform.python_version(), "platform": platform.platform(),
                    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
        "records": n,
        "cold_build_s": round(cold, 2),
        "cold_build_runs_s": [round(c, 2) for c in colds],
        "noop_build_s": round(noop, 3),
        "one_changed_s": round(one, 3),
        "peak_memory_mib": round(cold_mem / 2**20),
        "peak_memory_rss_sum_mib": round(memory["rss"] / 2**20),
        "baseline": ({"revision": args.baseline, "cold_build_s": round(baseline[0], 2),
                      "cold_build_runs_s": [round(b[0], 2) for b in baselines],
                      "peak_memory_mib": round(baseline[1] / 2**20), "speedup": round(baseline[0] / cold, 2)}
                     if baseline else None),
        "engines_alone_one_core_s": round(engines, 2),
        "engines_alone_all_cores_s": round(engines / cores, 2),
        "cold_vs_engines_ratio": round(cold / (engines / cores), 2),
        "beslut_per_document_ms_three_formats": round(per_doc * 1000, 1),
        "libreoffice_one_call_per_document_ms": round(lo_single * 1000, 1),
        "libreoffice_batch_per_document_ms": round(lo_batch * 1000, 1),
        "speedup_vs_libreoffice_single": round(lo_single / per_doc, 1),
        "speedup_vs_libreoffice_batch": round(lo_batch / per_doc, 1),
    }
    rows = [
        ("records", f"{n}", ""),
        ("cold build, DOCX+PDF+HTML", f"{cold:.2f} s",
         f"median of {len(colds)} ({min(colds):.2f}–{max(colds):.2f} s); "
         f"{cold / (engines / cores):.2f}× the engines' own time (target ≤ 2)"),
        ("engines alone, same content", f"{engines:.2f} s on one core", f"{engines / cores:.2f} s on {cores} cores"),
        ("no-op build", f"{noop:.3f} s", "target < 0.8 s"),
        ("one record changed", f"{one:.3f} s", "target < 1 s"),
        ("peak memory (process tree, PSS)", f"{cold_mem / 2**20:.0f} MiB",
         f"target ≤ 400 MiB; resident sizes summed {memory['rss'] / 2**20:.0f} MiB"),
        ("beslut per document (3 formats)", f"{per_doc * 1000:.1f} ms", ""),
        ("LibreOffice, one call per document (PDF only)", f"{lo_single * 1000:.0f} ms",
         f"beslut {lo_single / per_doc:.1f}× faster (target ≥ 25)"),
        ("LibreOffice, one batch call (PDF only)", f"{lo_batch * 1000:.0f} ms",
         f"beslut {lo_batch / per_doc:.1f}× faster (target ≥ 3)"),
    ]
    if baseline:
        runs = [b[0] for b in baselines]
        rows.insert(2, (f"cold build with beslut at {args.baseline}", f"{baseline[0]:.2f} s",
                        f"median of {len(runs)} ({min(runs):.2f}–{max(runs):.2f} s), alternating with the above; "
                        f"now {baseline[0] / cold:.2f}× faster; its peak {baseline[1] / 2**20:.0f} MiB"))
    width = max(len(r[0]) for r in rows)
    print(f"beslut benchmark: {cores} cores, Python {platform.python_version()}")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
