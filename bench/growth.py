"""Benchmark: how cost grows with the number of records, and how fast ``beslut check`` is.

Usage: python bench/growth.py [--sizes 100,1000,4096] [--check 2000] [--json FILE]

For each size, a generated year of records (bench/generate.py) is built cold (DOCX+PDF+HTML),
built again with nothing changed (no-op) and checked, each as the shell runs ``beslut``; peak
memory is the whole process tree's (PSS: pages processes share count once). Per-record figures
come with their ratio to the smallest size's, measured in the same run: a ratio near 1 is
linear growth. Then ``beslut check`` of
``--check`` records and of one record, best of several runs; the one record also with a server
answering checks (what ``beslut serve`` runs, checkserver.py), its output compared with the
command's own. Writes JSON (default bench/results/growth.json).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import baseline_env, timed

ROOT = Path(__file__).resolve().parent.parent
BESLUT = [sys.executable, "-m", "beslut.cli"]
#: The ``beslut`` command as the shell runs it (the console script's entry point).
COMMAND = [sys.executable, "-c", "from beslut.checkserver import main; main()"]
#: A process that answers checks for the project in its working folder, as ``beslut serve`` does,
#: until its standard input closes.
SERVER = ("import sys; from pathlib import Path; from beslut.checkserver import CheckServer; "
          "s = CheckServer.start(Path('.')); print('ok' if s else 'none', flush=True); sys.stdin.read(); s and s.close()")
#: What any check imports before beslut's own code runs: the CLI, the validator, the YAML parser,
#: the pattern matcher with timeouts.
LIBRARIES = "import click, regex, ruamel.yaml; from pydantic import BaseModel, Field"


def best_of(runs: int, cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """The shortest wall time of ``runs`` runs of a command (exit 0 or 1: a check may find warnings)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return min(times)


def _served(project: Path, one: str, alone: dict[str, str]) -> tuple[float, bool]:
    """Best time of a check of ``one`` answered by a check server in ``project``, and whether it
    printed what the command alone prints (standard output, standard error, exit code)."""
    server = subprocess.Popen([sys.executable, "-c", SERVER], cwd=project, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ok", "no check server"
        served = best_of(10, COMMAND + ["check", one], project)
        outputs = [subprocess.run(COMMAND + ["check", one], cwd=project, capture_output=True, env=env)
                   for env in (None, alone)]
        same = len({(o.stdout, o.stderr, o.returncode) for o in outputs}) == 1
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
    return served, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,4096")
    parser.add_argument("--check", type=int, default=2000, help="records for the check of many")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "growth.json")
    parser.add_argument("--baseline", metavar="REV", help="also time the checks with beslut as at this Git revision")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="beslut-growth-") as tmp:
        for n in sizes:
            project = Path(tmp) / f"y{n}"
            generate(project, n)
            cold, peak, _ = timed(BESLUT + ["build", "-q"], project)
            noop, _, _ = timed(BESLUT + ["build", "-q"], project)
            check = best_of(1, BESLUT + ["check"], project)
            rows.append({"records": n, "cold_s": round(cold, 2), "cold_ms_per_record": round(cold / n * 1000, 2),
                         "peak_mib": round(peak / 2**20), "noop_s": round(noop, 3),
                         "noop_ms_per_record": round(noop / n * 1000, 3), "check_s": round(check, 2)})
            print(f"  {n} records: cold {cold:.2f} s, no-op {noop:.3f} s, check {check:.2f} s, {peak / 2**20:.0f} MiB",
                  flush=True)
        project = Path(tmp) / "check"
        paths = generate(project, args.check)
        one = str(paths[0].relative_to(project))
        check_many = best_of(3, BESLUT + ["check"], project)
        alone = {**os.environ, "BESLUT_SERVER": "0"}
        check_one = best_of(10, COMMAND + ["check", one], project, alone)
        check_one_served, same = _served(project, one, alone)
        startup = best_of(10, [sys.executable, "-c", "pass"], project)
        # the floor of a check: Python with the libraries every check needs imported, nothing of beslut
        libraries = best_of(10, [sys.executable, "-c", LIBRARIES], project)
        old: dict[str, float] = {}
        if args.baseline:
            env = baseline_env(args.baseline, Path(tmp))
            old = {"check_many_s": best_of(3, BESLUT + ["check"], project, env),
                   "check_one_s": best_of(10, BESLUT + ["check", one], project, env)}
    base = rows[0]
    for row in rows:
        row["cold_per_record_ratio"] = round(row["cold_ms_per_record"] / base["cold_ms_per_record"], 2)
    cores = os.cpu_count() or 1
    print(f"beslut growth: {cores} cores, Python {platform.python_version()}")
    print(f"{'records':>8} {'cold':>9} {'per record':>11} {'× smallest':>10} {'peak':>9} {'no-op':>8} {'check':>8}")
    for r in rows:
        print(f"{r['records']:>8} {r['cold_s']:>7.2f} s {r['cold_ms_per_record']:>8.2f} ms {r['cold_per_record_ratio']:>9.2f}×"
              f" {r['peak_mib']:>5} MiB {r['noop_s']:>6.3f} s {r['check_s']:>6.2f} s")
    print(f"check of {args.check} records: {check_many:.2f} s (target ≤ 1.5 s); of one record from the shell: "
          f"{check_one * 1000:.0f} ms (target ≤ 150 ms; python itself starts in {startup * 1000:.0f} ms, with "
          f"click, pydantic, ruamel.yaml and regex imported in {libraries * 1000:.0f} ms)")
    print(f"check of one record answered by a running server (beslut serve): {check_one_served * 1000:.0f} ms, "
          f"{check_one / check_one_served:.1f}× faster; output {'the same' if same else 'DIFFERENT'} as the command's own")
    if old:
        print(f"with beslut at {args.baseline}, same run: check of {args.check} records {old['check_many_s']:.2f} s "
              f"(now {old['check_many_s'] / check_many:.2f}× faster); of one record {old['check_one_s'] * 1000:.0f} ms "
              f"(now {old['check_one_s'] / check_one:.2f}× faster)")
    figures = {"machine": {"cores": cores, "python": platform.python_version(), "platform": platform.platform()},
               "sizes": rows, "check_many": {"records": args.check, "s": round(check_many, 2)},
               "check_one_ms": round(check_one * 1000), "check_one_served_ms": round(check_one_served * 1000),
               "check_one_served_same_output": same, "python_startup_ms": round(startup * 1000),
               "libraries_import_ms": round(libraries * 1000),
               "baseline": {"revision": args.baseline, **{k: round(v, 3) for k, v in old.items()}} if old else None}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
