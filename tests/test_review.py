"""Git review on a real Git repository in a temporary folder: beslut diff, redline, review, git-setup.

The repository is made once per module: the example project committed, then a commit that
rewords a förslag point, adds one, rewrites the first sentence of ärende and changes the date,
while re-indenting the whole YAML file (so lines say nothing: records must be compared parsed).
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from ruamel.yaml import YAML

from beslut.review.tracked import counts, paragraphs, resolve_docx
from beslut.review.words import word_diff

from .conftest import ROOT
from .helpers import require_tool

BESLUT = str(Path(sys.executable).parent / "beslut")
RECORD = "decisions/son-2020-faltverksamhet.yaml"
RID = "son-2020-faltverksamhet"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR = "Anna Granskare"
WHEN = "2026-11-30T09:15:00Z"

REWORDED = "Uppdraget till Leanlink Råd och stöd avseende fältverksamhet förlängs till och med 2027-12-31."
ADDED = "Förvaltningen återrapporterar uppdraget till nämnden i december 2027."
FIRST_SENTENCE = "Nämnden ska besluta om ett fortsatt uppdrag till Leanlink råd och stöd avseende"


def git(repo: Path, *args: str, when: str = WHEN) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def beslut(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed command, as a user (or CI) runs it: stdout and stderr apart."""
    return subprocess.run([BESLUT, *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})


def edit(path: Path) -> None:
    """The contract's edit, written back with another indentation throughout."""
    yaml = YAML()
    yaml.indent(mapping=4, sequence=6, offset=4)
    data = yaml.load(path.read_text(encoding="utf-8"))
    points = data["förslag_till_beslut"][0]["punkter"]
    points[0] = REWORDED
    points.append(ADDED)
    data["ärende"] = data["ärende"].replace(
        "Nämnden har att ta ställning till fortsatt uppdrag till Leanlink råd och stöd avseende", FIRST_SENTENCE, 1)
    data["datum"] = "2020-10-14"
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def reindent(path: Path) -> None:
    yaml = YAML()
    yaml.indent(mapping=3, sequence=5, offset=3)
    data = yaml.load(path.read_text(encoding="utf-8"))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """HEAD~2: the example project; HEAD~1: the contract's edit; HEAD: another record only re-indented."""
    root = tmp_path_factory.mktemp("review") / "kommun"
    root.mkdir()
    for name in ("beslut.yaml", "logotyp-exempel.png"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "decisions", root / "decisions")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", AUTHOR)
    git(root, "config", "user.email", "anna@example.se")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Exempelprojektet", when="2026-11-29T08:00:00Z")
    edit(root / RECORD)
    git(root, "commit", "-q", "-am", "Fältverksamhet: förlängning till 2027")
    reindent(root / "decisions/son-2022-individarende.yaml")
    git(root, "commit", "-q", "-am", "Bara nya indrag", when="2026-11-30T10:00:00Z")
    return root


def build_at(repo: Path, rev: str, work: Path) -> bytes:
    """``beslut build RECORD --format docx`` in a checkout of ``rev``."""
    folder = work / rev.replace("~", "-")
    if not folder.exists():
        folder.mkdir()
        archive = subprocess.run(["git", "archive", rev], cwd=repo, capture_output=True, check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(folder, filter="data")
    result = beslut(folder, "build", RECORD, "--format", "docx", "-q")
    assert result.returncode == 0, result.stderr
    return (folder / "build" / f"{RID}.docx").read_bytes()


# --- beslut diff ------------------------------------------------------------------------------

def test_diff_text_shows_the_reworded_and_the_added_point_word_by_word(repo):
    result = beslut(repo, "diff", "HEAD~2", "HEAD~1", "--format", "text")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert RECORD in out
    assert "förslag till beslut (SON), punkt 1: omformulerad" in out
    assert "[-tills vidare-]{+till och med 2027-12-31+}" in out  # word level, plain when piped
    assert f"förslag till beslut (SON), punkt 4: tillagd: {{+{ADDED}+}}" in out
    assert "ärende: omformulerad: Nämnden [-har att ta ställning till-]{+ska besluta om ett+}" in out
    assert "datum: [-2020-10-07-] → {+2020-10-14+}" in out
    assert "\x1b[" not in out  # no colour when piped
    assert "Traceback" not in result.stderr


def test_diff_markdown_is_a_pull_request_comment(repo):
    result = beslut(repo, "diff", "HEAD~2", "HEAD~1", "--format", "markdown")
    assert result.returncode == 1
    out = result.stdout
    assert out.startswith("## Ändringar i beslutsposter")
    assert f"### `{RECORD}`" in out
    assert "- **förslag till beslut (SON), punkt 1** (omformulerad):" in out
    assert "~~tills vidare~~" in out and "**till och med 2027-12-31**" in out
    assert f"- **förslag till beslut (SON), punkt 4** (tillagd): **{ADDED}**" in out


def test_diff_json_is_only_the_document_and_follows_its_schema(repo):
    jsonschema = pytest.importorskip("jsonschema")
    result = beslut(repo, "diff", "HEAD~2", "HEAD~1", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)  # stdout is the JSON document and nothing else
    schema = json.loads(beslut(repo, "diff", "--schema").stdout)
    jsonschema.validate(data, schema)
    [record] = data["records"]
    assert record["path"] == RECORD and record["status"] == "modified"
    by_label = {c["label"]: c for c in record["changes"]}
    point = by_label["förslag till beslut (SON), punkt 1"]
    assert point["kind"] == "reworded" and point["new"] == REWORDED
    assert {"op": "insert", "text": "till och med 2027-12-31"} in point["words"]
    added = by_label["förslag till beslut (SON), punkt 4"]
    assert added == {"path": ["förslag_till_beslut", 0, "punkter", 3], "label": "förslag till beslut (SON), punkt 4",
                     "kind": "added", "new": ADDED}
    assert by_label["datum"]["old"] == "2020-10-07" and by_label["datum"]["new"] == "2020-10-14"
    assert data["to"]["author"] == AUTHOR and data["to"]["date"] == WHEN


def test_re_indenting_a_record_is_no_difference(repo):
    result = beslut(repo, "diff", "HEAD~1", "HEAD")
    assert (result.returncode, result.stdout) == (0, "")


def test_diff_defaults_to_head_against_the_work_tree_and_takes_paths(repo):
    assert beslut(repo, "diff").returncode == 0
    path = repo / "decisions/son-2022-individarende.yaml"
    before = path.read_text(encoding="utf-8")
    try:
        path.write_text(before + "\nskickas_till: [Revisionen]\n", encoding="utf-8")
        result = beslut(repo, "diff")
        assert result.returncode == 1
        assert "skickas till: tillagd: {+Revisionen+}" in result.stdout
        assert beslut(repo, "diff", "HEAD", "--", RECORD).returncode == 0  # only that path: unchanged
        assert beslut(repo, "diff", "HEAD~2", "--", RECORD).returncode == 1
    finally:
        path.write_text(before, encoding="utf-8")


def test_points_moved_and_removed_and_sections_by_name(tmp_path):
    from beslut.review.diff import diff_record

    old = {"typ": "tjänsteskrivelse", "nämnd": "SON", "förslag_till_beslut": [
        {"punkter": ["Ett.", "Två saker.", "Tre saker sker."]}, {"instans": "KS", "punkter": ["KS beslutar."]}],
        "avsnitt": [{"rubrik": "Bakgrund", "text": "A b c."}, {"rubrik": "Analys", "text": "D e f."}],
        "ersättning": {"belopp_tkr_per_år": "8410"}}
    new = {"typ": "tjänsteskrivelse", "nämnd": "SON", "förslag_till_beslut": [
        {"punkter": ["Tre saker sker.", "Ett."]}, {"instans": "KS", "punkter": ["KS beslutar i dag."]}],
        "avsnitt": [{"rubrik": "Analys", "text": "D e f."}, {"rubrik": "Bakgrund", "text": "A b c d."}],
        "ersättning": {"belopp_tkr_per_år": "8500"}}
    changes = {(c.label, c.kind) for c in diff_record("a.yaml", old, "a.yaml", new).changes}
    assert ("förslag till beslut (SON), punkt 1", "moved") in changes
    assert ("förslag till beslut (SON), punkt 2", "removed") in changes
    assert ("förslag till beslut (KS), punkt 1", "reworded") in changes
    assert ("avsnitt 2 (Bakgrund), text", "reworded") in changes
    assert any(kind == "moved" and label.startswith("avsnitt") for label, kind in changes)
    assert ("ersättning, belopp tkr per år", "changed") in changes


def test_a_meeting_shows_ärenden_added_and_moved():
    from beslut.review.diff import diff_record
    from beslut.yamlsource import load

    meeting = load(ROOT / "decisions/sammantraden/son-2022-01-26.yaml").data
    new = json.loads(json.dumps(meeting))
    new["ärenden"].insert(0, new["ärenden"].pop(2))
    new["ärenden"].append({"rubrik": "Övriga frågor", "typ": "information"})
    new["ärenden"][1]["föredragande"] = "Paul Håkansson"
    new["ärenden"][0]["utfall"] = "återremiss"  # an outcome changed after the meeting
    rd = diff_record("m.yaml", meeting, "m.yaml", new)
    assert rd.rubrik == "SON 2022-01-26"
    found = {(c.label, c.kind) for c in rd.changes}
    assert ("ärende 1 (son-2020-faltverksamhet)", "moved") in found
    assert (f"ärende {len(new['ärenden'])} (Övriga frågor)", "added") in found
    assert any(label.startswith("ärende 1 (son-2020-faltverksamhet), utfall") for label, _ in found), found
    assert ("ärende 2 (Information om lägesbilden i Skäggetorp), föredragande", "reworded") in found


def test_a_renamed_record_is_followed(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "config", "user.name", AUTHOR)
    git(clone, "config", "user.email", "anna@example.se")
    git(clone, "mv", RECORD, "decisions/son-2020-faltverksamhet-ny.yaml")
    new = clone / "decisions/son-2020-faltverksamhet-ny.yaml"
    new.write_text(new.read_text(encoding="utf-8").replace("Socialdirektör", "Direktör"), encoding="utf-8")
    git(clone, "rm", "-q", "decisions/son-2022-individarende.yaml")
    shutil.copy(clone / "decisions/ks-2024-utlatande-omradesteam.yaml", clone / "decisions/ks-2024-kopia.yaml")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Nytt namn")
    result = beslut(clone, "diff", "HEAD~1", "HEAD", "--format", "json")
    records = {r["path"]: r for r in json.loads(result.stdout)["records"]}
    moved = records["decisions/son-2020-faltverksamhet-ny.yaml"]
    assert (moved["status"], moved["old_path"]) == ("renamed", RECORD)
    assert [c["label"] for c in moved["changes"]] == ["handläggare, titel"]
    assert records["decisions/son-2022-individarende.yaml"]["status"] == "removed"
    assert records["decisions/ks-2024-kopia.yaml"]["status"] == "added"
    text = beslut(clone, "diff", "HEAD~1", "HEAD").stdout
    assert f"{RECORD} → decisions/son-2020-faltverksamhet-ny.yaml: bytt namn" in text and ": ny post" in text
    red = beslut(clone, "redline", "HEAD~1", "HEAD", "decisions/son-2020-faltverksamhet-ny.yaml", "-o", "r.docx")
    assert red.returncode == 0, red.stderr
    assert counts((clone / "r.docx").read_bytes()) == {"ins": 1, "del": 1}


def test_text_is_coloured_for_a_terminal(repo):
    from beslut.review.compare import compare
    from beslut.review.git import Repo
    from beslut.review.output import to_text

    text = to_text(compare(Repo(repo), repo / "decisions", repo / "beslut.yaml", "HEAD~2", "HEAD~1"), colour=True)
    assert "\x1b[31m\x1b[9mtills vidare" in text and "\x1b[32m\x1b[4mtill och med 2027-12-31" in text


def test_the_word_diff_never_splits_a_word_or_a_date():
    assert word_diff("gäller 2026-12-31", "gäller 2027-12-31") == [("equal", "gäller "), ("delete", "2026-12-31"),
                                                                ("insert", "2027-12-31")]
    assert ("delete", "6") not in word_diff("år 2026", "år 2027")


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (("diff", "nosuchrev"), "okänd revision 'nosuchrev'"),
    (("diff", "HEAD~1", "HEAD", "--", "decisions/finns-inte.yaml"), "finns varken i HEAD~1 eller i HEAD"),
    (("redline", "HEAD~1", "HEAD", "decisions/finns-inte.yaml", "-o", "x.docx"), "finns inte i HEAD~1"),
    (("redline", "HEAD~1", "nosuchrev", RECORD, "-o", "x.docx"), "okänd revision 'nosuchrev'"),
    (("review", "HEAD~1", "nosuchrev", "--out", "granskning"), "okänd revision"),
])
def test_bad_revisions_and_paths_are_clear_messages(repo, args, words):
    result = beslut(repo, *args)
    assert result.returncode >= 2, result.stdout
    assert words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_not_a_git_repository(tmp_path):
    shutil.copy(ROOT / "beslut.yaml", tmp_path / "beslut.yaml")
    result = beslut(tmp_path, "diff")
    assert result.returncode == 2 and "inte i ett Git-arkiv" in result.stderr and "Traceback" not in result.stderr


def test_a_shallow_clone_says_what_to_do(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    result = beslut(clone, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 2
    assert "grund klon" in result.stderr and "git fetch --unshallow" in result.stderr


def test_a_record_invalid_in_one_revision_is_still_compared(repo, tmp_path):
    clone = tmp_path / "invalid"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "config", "user.name", AUTHOR)
    git(clone, "config", "user.email", "anna@example.se")
    path = clone / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("status: beslutad", "status: kanske")
                    .replace("Socialdirektör", "Direktör"), encoding="utf-8")
    git(clone, "commit", "-q", "-am", "Ogiltig status")
    result = beslut(clone, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 1
    assert "handläggare, titel: [-Socialdirektör-] → {+Direktör+}" in result.stdout
    assert "fel: HEAD:" + RECORD in result.stdout and "status" in result.stderr
    red = beslut(clone, "redline", "HEAD~1", "HEAD", RECORD, "-o", "x.docx")
    assert red.returncode >= 1 and "är ogiltig i HEAD" in red.stderr and "Traceback" not in red.stderr
    path.write_text("typ: tjänsteskrivelse\nrubrik: 'inte stängd\n", encoding="utf-8")  # not even YAML
    git(clone, "commit", "-q", "-am", "Trasig YAML")
    broken = beslut(clone, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    [record] = json.loads(broken.stdout)["records"]
    assert record["changes"] == []
    assert any(e.startswith(f"HEAD:{RECORD}:2:") and "ogiltig YAML" in e for e in record["errors"]), record["errors"]


# --- beslut redline ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def redline_docx(repo) -> bytes:
    result = beslut(repo, "redline", "HEAD~2", "HEAD~1", RECORD, "-o", "red.docx")
    assert result.returncode == 0, result.stderr
    return (repo / "red.docx").read_bytes()


def test_redline_holds_native_tracked_changes_by_the_commit(redline_docx):
    found = counts(redline_docx)
    assert found["ins"] >= 3 and found["del"] >= 2
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(redline_docx)).read("word/document.xml"))
    marks = root.findall(f".//{W}ins") + root.findall(f".//{W}del")
    assert {m.get(f"{W}author") for m in marks} == {AUTHOR}
    assert {m.get(f"{W}date") for m in marks} == {WHEN}
    # the added point: its paragraph mark is an insertion too, and it is a numbered list item
    added = [p for p in root.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")) == ADDED]
    assert len(added) == 1 and added[0].find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert added[0].find(f"{W}pPr/{W}numPr") is not None
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")]
    assert "tills vidare" in deleted and "har att ta ställning till" in deleted  # words, never characters
    headers = [n for n in zipfile.ZipFile(io.BytesIO(redline_docx)).namelist() if n.startswith("word/header")]
    header_marks = [etree.fromstring(zipfile.ZipFile(io.BytesIO(redline_docx)).read(n)).findall(f".//{W}ins")
                    for n in headers]
    assert any(header_marks)  # the letterhead's date changed: a tracked change in the header


def test_accept_all_is_revision_b_and_reject_all_revision_a(repo, redline_docx, tmp_path):
    assert paragraphs(resolve_docx(redline_docx, accept=True)) == paragraphs(build_at(repo, "HEAD~1", tmp_path))
    assert paragraphs(resolve_docx(redline_docx, accept=False)) == paragraphs(build_at(repo, "HEAD~2", tmp_path))


def test_redline_is_reproducible_and_fast(repo, redline_docx):
    import time

    start = time.perf_counter()
    again = beslut(repo, "redline", "HEAD~2", "HEAD~1", RECORD, "-o", "red2.docx")
    assert again.returncode == 0
    assert (repo / "red2.docx").read_bytes() == redline_docx
    assert time.perf_counter() - start < 5  # a process with imports; bench/review.py measures the redline itself


def test_a_build_without_changes_has_no_change_marks(repo, tmp_path):
    assert counts(build_at(repo, "HEAD", tmp_path)) == {"ins": 0, "del": 0}


@pytest.mark.slow
def test_libreoffice_opens_the_redline(repo, redline_docx, tmp_path):
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    (tmp_path / "red.docx").write_bytes(redline_docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "txt:Text",
                    "--outdir", str(tmp_path), str(tmp_path / "red.docx")], capture_output=True, timeout=180, check=True)
    text = (tmp_path / "red.txt").read_text(encoding="utf-8-sig")
    assert ADDED in text and "Fältverksamhet" in text


#: A LibreOffice Basic macro: open a DOCX, accept (or reject) all tracked changes, save it as text.
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inUrl As String, outUrl As String, how As String)
  Dim props(0) As New com.sun.star.beans.PropertyValue
  props(0).Name = &quot;Hidden&quot;
  props(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, props())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  command = &quot;.uno:&quot; &amp; how &amp; &quot;AllTrackedChanges&quot;
  helper.executeDispatch(doc.CurrentController.Frame, command, &quot;&quot;, 0, Array())
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text&quot;
  doc.storeToURL(outUrl, out())
  doc.close(True)
End Sub
</script:module>
"""


@pytest.mark.slow
def test_libreoffice_accept_all_and_reject_all_give_the_two_builds(repo, redline_docx, tmp_path):
    """Word's "accept all" / "reject all" done by LibreOffice itself (a Basic macro), compared as
    LibreOffice's text of the two revisions' builds."""
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
    subprocess.run([soffice, profile, "--headless", "--terminate_after_init"], capture_output=True, timeout=180)
    module = tmp_path / "lo" / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.parent.is_dir():
        pytest.skip("LibreOffice skapade ingen användarprofil med Basic-biblioteket Standard")
    module.write_text(MACRO, encoding="utf-8")
    red = tmp_path / "red.docx"
    red.write_bytes(redline_docx)
    for rev, name in (("HEAD~1", "b"), ("HEAD~2", "a")):
        (tmp_path / f"{name}.docx").write_bytes(build_at(repo, rev, tmp_path))
    subprocess.run([soffice, profile, "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path),
                    str(tmp_path / "a.docx"), str(tmp_path / "b.docx")], capture_output=True, timeout=180, check=True)
    for how, name in (("Accept", "accepted"), ("Reject", "rejected")):
        macro = f'macro:///Standard.Module1.Resolve("{red.as_uri()}","{(tmp_path / name).as_uri()}.txt","{how}")'
        subprocess.run([soffice, profile, "--headless", macro], capture_output=True, timeout=180, check=True)

    def text(name: str) -> str:
        return (tmp_path / f"{name}.txt").read_text(encoding="utf-8-sig")

    assert ADDED in text("accepted") and "tills vidare" not in text("accepted")
    assert text("accepted") == text("b")
    assert text("rejected") == text("a")


def test_redline_html_and_pdf(repo, tmp_path):
    assert beslut(repo, "redline", "HEAD~2", "HEAD~1", RECORD, "-o", str(tmp_path / "red.html")).returncode == 0
    html = (tmp_path / "red.html").read_text(encoding="utf-8")
    assert "<del>tills vidare</del>" in html and f"<ins>{ADDED}</ins>" in html
    assert "<del>2020-10-07</del><ins>2020-10-14</ins>" in html  # the letterhead's date
    assert "QZBESLUTMARK" not in html
    assert beslut(repo, "redline", "HEAD~2", "HEAD~1", RECORD, "-o", str(tmp_path / "red.pdf")).returncode == 0
    assert (tmp_path / "red.pdf").read_bytes().startswith(b"%PDF")
    shown = beslut(repo, "textconv", "--pdf", str(tmp_path / "red.pdf"))  # what git diff shows for a PDF
    assert shown.returncode == 0 and ADDED in " ".join(shown.stdout.split())


@pytest.mark.slow
def test_redline_html_has_no_accessibility_violations(repo, tmp_path):
    from .test_accessibility import axe_violations

    beslut(repo, "redline", "HEAD~2", "HEAD~1", RECORD, "-o", str(tmp_path / "red.html"))
    assert axe_violations(tmp_path / "red.html", tmp_path) == []


# --- beslut review, git-setup, pre-commit -----------------------------------------------------

def test_review_writes_what_a_pull_request_gets(repo, tmp_path):
    out = tmp_path / "granskning"
    result = beslut(repo, "review", "HEAD~2", "HEAD", "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        f"pdf/{RID}.pdf", f"redline/{RID}.docx", f"redline/{RID}.html", "summary.json", "summary.md"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["records"][0]["files"] == [f"redline/{RID}.docx", f"redline/{RID}.html", f"pdf/{RID}.pdf"]
    assert ADDED in (out / "summary.md").read_text(encoding="utf-8")
    same = beslut(repo, "review", "HEAD~1", "HEAD", "--out", str(tmp_path / "ingen"))  # only re-indented
    assert same.returncode == 0 and "Inga poster skiljer sig åt." in (tmp_path / "ingen" / "summary.md").read_text()


def test_git_diff_log_and_show_use_the_semantic_view_after_git_setup(repo, tmp_path):
    clone = tmp_path / "setup"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    result = beslut(clone, "git-setup")
    assert result.returncode == 0, result.stderr
    assert "diff=beslut" in (clone / ".gitattributes").read_text(encoding="utf-8")
    shown = git(clone, "show", "HEAD~1", "--", RECORD)
    assert f"+förslag till beslut (SON), punkt 4: {ADDED}" in shown
    assert "-förslag till beslut (SON), punkt 1: Uppdraget till Leanlink Råd och stöd avseende fältverksamhet " \
           "förlängs tills vidare." in shown
    assert git(clone, "diff", "HEAD~1", "HEAD") == ""  # re-indenting only: nothing to show
    assert "punkt 4" in git(clone, "log", "-p", "-2", "--", RECORD)
    # a built DOCX shows as its text
    (clone / "red.docx").write_bytes(build_at(repo, "HEAD~2", tmp_path))
    git(clone, "add", "red.docx")
    assert "Fältverksamhet, polarverksamhet" in git(clone, "diff", "--cached")


@pytest.mark.slow
def test_the_repository_is_a_pre_commit_hook_repository(repo, tmp_path):
    pytest.importorskip("pre_commit")
    clone = tmp_path / "kommun"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    run = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "beslut-check", "--all-files"]
    ok = subprocess.run(run, cwd=clone, capture_output=True, text=True, env=env, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "beslut check" in ok.stdout and "Passed" in ok.stdout
    path = clone / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("status: beslutad", "status: kanske"), encoding="utf-8")
    bad = subprocess.run(run, cwd=clone, capture_output=True, text=True, env=env, timeout=600)
    assert bad.returncode == 1 and "Failed" in bad.stdout and "status" in bad.stdout
