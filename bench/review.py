"""Benchmark: Git review. ``beslut diff`` over many changed records and one record's redline,
each against a baseline measured in this same run on this machine.

Usage: python bench/review.py [--records 500] [--repeat 5] [--json FILE]

- diff: a Git repository of N generated records, every record edited in the second commit (a
  sentence reworded, the Dnr changed). Timed: ``compare`` in-process (what ``beslut diff`` does
  after start-up) and the whole ``beslut diff HEAD~1 HEAD --format json`` command; baseline:
  ``git diff HEAD~1 HEAD`` (Git's own line diff of the same files).
- redline: the contract's edit of one seed record; timed: composing both revisions and the
  DOCX with tracked changes (``redline`` + ``render_redline``); baseline: the DOCX of the same
  record as ``build`` renders it (``render_docx``).

Targets (the issue): diff over 500 changed records ≤ 3 s; redline of one record ≤ 1 s.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
RECORD = "decisions/son-2020-faltverksamhet.yaml"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_repo(folder: Path, records: int) -> Path:
    """A project with ``records`` records, committed, then every one of them edited and committed."""
    paths = generate(folder, records)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Bänk Mätare")
    git(folder, "config", "user.email", "bench@example.se")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "start")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\(Ärende (\d+)\.\)", r"(Ärende \1, reviderat efter beredningen.)", text, count=1)
        text = re.sub(r"^dnr: ([A-ZÅÄÖ]+) 2025-", r"dnr: \1 2026-", text, count=1, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    git(folder, "commit", "-q", "-am", "alla ändrade")
    return folder


def bench_diff(records: int, repeat: int) -> dict:
    from beslut.project import Project
    from beslut.review.compare import compare
    from beslut.review.git import Repo

    with tempfile.TemporaryDirectory() as tmp:
        repo_dir = make_repo(Path(tmp) / "kommun", records)
        project = Project.open(repo_dir)
        repo = Repo(repo_dir)
        result = compare(repo, project.records, project.profile.file, "HEAD~1", "HEAD")
        assert len(result.records) == records, len(result.records)
        inproc = median_time(lambda: compare(repo, project.records, project.profile.file, "HEAD~1", "HEAD"), repeat)
        beslut = str(Path(sys.executable).parent / "beslut")
        command = median_time(lambda: subprocess.run([beslut, "diff", "HEAD~1", "HEAD", "--format", "json"], cwd=repo_dir,
                                                     capture_output=True), max(1, repeat // 2))
        baseline = median_time(lambda: subprocess.run(["git", "diff", "HEAD~1", "HEAD"], cwd=repo_dir,
                                                      capture_output=True), repeat)
    return {"records": records, "compare_s": inproc, "command_s": command, "git_diff_s": baseline,
            "ratio_compare_to_git_diff": inproc / baseline, "ratio_command_to_git_diff": command / baseline}


def bench_redline(repeat: int) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    import io
    import shutil

    from ruamel.yaml import YAML

    from beslut.project import Project
    from beslut.render.docx import render_docx
    from beslut.review.git import Repo
    from beslut.review.redline import document_at, redline, render_redline

    with tempfile.TemporaryDirectory() as tmp:
        repo_dir = Path(tmp) / "kommun"
        repo_dir.mkdir()
        shutil.copy(ROOT / "beslut.yaml", repo_dir / "beslut.yaml")
        shutil.copytree(ROOT / "decisions", repo_dir / "decisions")
        shutil.copytree(ROOT / "templates", repo_dir / "templates")
        git(repo_dir, "init", "-q", "-b", "main")
        git(repo_dir, "config", "user.name", "Bänk Mätare")
        git(repo_dir, "config", "user.email", "bench@example.se")
        git(repo_dir, "add", "-A")
        git(repo_dir, "commit", "-q", "-m", "start")
        yaml = YAML()
        data = yaml.load((repo_dir / RECORD).read_text(encoding="utf-8"))
        data["förslag_till_beslut"][0]["punkter"][0] += " Uppdraget gäller till och med 2027-12-31."
        data["förslag_till_beslut"][0]["punkter"].append("Förvaltningen återrapporterar i december 2027.")
        data["ärende"] = "Nämnden ska besluta om" + data["ärende"][len("Nämnden har att ta ställning till"):]
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        (repo_dir / RECORD).write_text(buffer.getvalue(), encoding="utf-8")
        git(repo_dir, "commit", "-q", "-am", "ändrad")
        project = Project.open(repo_dir)
        repo = Repo(repo_dir)

        def make() -> bytes:
            return render_redline(redline(repo, project, "HEAD~1", "HEAD", repo_dir / RECORD), "docx", project)

        make()  # imports and the template's first load
        timed = median_time(make, repeat)
        document = document_at(repo, project, repo.commit("HEAD"), RECORD)
        baseline = median_time(lambda: render_docx(document, project.templates), repeat)
    return {"redline_s": timed, "render_docx_s": baseline, "ratio_redline_to_render_docx": timed / baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "review.json")
    args = parser.parse_args()
    diff = bench_diff(args.records, args.repeat)
    red = bench_redline(args.repeat)
    print(f"diff, {diff['records']} changed records: compare {diff['compare_s']:.2f} s, "
          f"beslut diff --format json {diff['command_s']:.2f} s (target ≤ 3 s); "
          f"git diff {diff['git_diff_s']:.3f} s; ratio {diff['ratio_compare_to_git_diff']:.1f}× / "
          f"{diff['ratio_command_to_git_diff']:.1f}×")
    print(f"redline of one record: {red['redline_s'] * 1000:.0f} ms (target ≤ 1 s); "
          f"render_docx alone {red['render_docx_s'] * 1000:.0f} ms; ratio {red['ratio_redline_to_render_docx']:.1f}×")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"diff": diff, "redline": red}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
