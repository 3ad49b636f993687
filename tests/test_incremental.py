"""Incremental and parallel builds give the same bytes as a clean serial build."""
from __future__ import annotations

import shutil

from .conftest import MINIMAL, ROOT, run, write
from .helpers import own_template


def snapshot(folder):
    """Every output under ``folder`` (a meeting's packet is a folder of its own) by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_parallel_equals_serial(project):
    assert run("build", "-j", "1", "--out", "serial", "-q").exit_code == 0
    assert run("build", "-j", "2", "--out", "parallel", "-q").exit_code == 0
    assert snapshot(project / "serial") == snapshot(project / "parallel")
    records = [p for p in (ROOT / "decisions").rglob("*.yaml") if "typ: sammanträde" not in p.read_text(encoding="utf-8")]
    assert {f"{p.stem}.{fmt}" for p in records for fmt in ("docx", "pdf", "html")} <= set(snapshot(project / "serial"))


def test_noop_build_skips_everything_and_changes_nothing(project):
    assert run("build", "-q").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "build").iterdir()}
    result = run("build", "-q")
    assert result.exit_code == 0 and "0 byggda, 8 oförändrade" in result.output
    assert {p: p.stat().st_mtime_ns for p in (project / "build").iterdir()} == before


def test_changed_record_is_rebuilt_alone_and_matches_clean_build(project):
    assert run("build", "-q").exit_code == 0
    record = project / "decisions" / "son-2020-faltverksamhet.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("Leanlink Råd och stöd\n", "Leanlink Råd och Stöd\n"),
                      encoding="utf-8")
    result = run("build", "-q")
    assert "2 byggda, 6 oförändrade" in result.output  # the record, and the meeting whose packet holds it
    assert run("build", "--force", "--out", "clean", "-q").exit_code == 0
    assert snapshot(project / "build") == snapshot(project / "clean")


def test_template_or_profile_change_rebuilds_all(project):
    assert run("build", "-q").exit_code == 0
    html = own_template(project, "dokument.html.j2")  # a project's own copy overrides the packaged one
    html.write_text(html.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "8 byggda" in run("build", "-q").output
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("sidfot: []", "sidfot: [Tel 013-20 60 01]"),
                       encoding="utf-8")
    assert "8 byggda" in run("build", "-q").output
    assert "013-20 60 01" in (project / "build" / "son-2020-faltverksamhet.html").read_text(encoding="utf-8")


def test_edited_output_is_rebuilt(project):
    assert run("build", "-q").exit_code == 0
    out = project / "build" / "son-2020-faltverksamhet.html"
    good = out.read_bytes()
    out.write_text("förstörd", encoding="utf-8")
    assert "1 byggda" in run("build", "-q").output
    assert out.read_bytes() == good


def test_removed_record_removes_its_outputs(project):
    assert run("build", "-q").exit_code == 0
    (project / "decisions" / "son-2020-faltverksamhet.yaml").unlink()
    result = run("build")
    assert "3 borttagna" in result.output
    assert not list((project / "build").glob("son-2020-faltverksamhet.*"))


def test_attachment_change_rebuilds(empty_project):
    write(empty_project / "decisions" / "bilagor" / "a.txt", "v1")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: A\n    bilaga: bilagor/a.txt\n")
    assert "1 byggda" in run("build", "-q").output
    assert "0 byggda, 1 oförändrade" in run("build", "-q").output
    write(empty_project / "decisions" / "bilagor" / "a.txt", "v2")
    assert "1 byggda" in run("build", "-q").output


def test_invalid_record_is_retried_and_keeps_old_outputs(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    old = snapshot(empty_project / "build")
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("status: beslutad", "status: ?"))
    assert run("build", "-q").exit_code == 1
    assert run("build", "-q").exit_code == 1  # not skipped: still invalid
    assert snapshot(empty_project / "build") == old
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert "1 byggda" in run("build", "-q").output


def test_duplicate_ids_are_reported(empty_project):
    write(empty_project / "decisions" / "a" / "r.yaml", MINIMAL)
    write(empty_project / "decisions" / "b" / "r.yaml", MINIMAL)
    result = run("check")
    assert result.exit_code == 1 and "id 'r' används redan av" in result.stderr
    shutil.rmtree(empty_project / "decisions" / "b")


def test_only_beslut_temporaries_are_removed(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    (empty_project / "ut").mkdir()
    (empty_project / "ut" / ".mina-anteckningar.tmp").write_text("behåll", encoding="utf-8")
    (empty_project / "ut" / ".beslut-r.pdf.abc123.tmp").write_bytes(b"halvskriven")
    assert run("build", "--out", "ut", "-q").exit_code == 0
    assert (empty_project / "ut" / ".mina-anteckningar.tmp").read_text(encoding="utf-8") == "behåll"
    assert not (empty_project / "ut" / ".beslut-r.pdf.abc123.tmp").exists()


def test_removed_record_removes_outputs_of_every_format_built_before(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    assert run("build", "-q").exit_code == 0
    assert run("build", "--format", "html", "-q").exit_code == 0
    (empty_project / "decisions" / "r.yaml").unlink()
    assert "3 borttagna" in run("build", "-q").output
    assert not list((empty_project / "build").glob("r.*"))


def test_progress_bar_on_a_terminal_plain_lines_otherwise(project):
    """A pseudo-terminal that reports no size (as under CI or `script`) still shows the bar."""
    import os
    import pty
    import subprocess
    import sys
    import time

    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "beslut.cli", "build", "-j", "1"], cwd=project,
                            stdin=follower, stdout=follower, stderr=follower, env=env)
    chunks = []
    while True:
        try:
            chunks.append(os.read(leader, 65536))
        except BlockingIOError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        except OSError:
            break
    os.close(follower)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "post" in shown and "8/8" in shown  # tqdm's bar, with the count
    plain = run("build", "--force")  # not a terminal: one plain line per file, then the summary
    assert "post" not in plain.output and plain.output.splitlines()[-1].startswith("8 byggda")


def test_changed_tool_code_rebuilds_everything(project, monkeypatch):
    from beslut import manifest

    assert run("build", "-q").exit_code == 0
    assert "0 byggda, 8 oförändrade" in run("build", "-q").output
    monkeypatch.setattr(manifest, "tool_fingerprint", lambda: "a newer beslut")
    assert "8 byggda" in run("build", "-q").output
