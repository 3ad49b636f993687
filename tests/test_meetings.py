"""Meetings: the meeting file's checks, the kallelse and the packet in two editions."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from beslut import Project, produce
from beslut.build import build, check
from beslut.meetings import write_editions

from .conftest import MINIMAL, run, write
from .helpers import html_text, pdf_text

MEETING = Path("decisions") / "sammantraden" / "son-2022-01-26.yaml"  # relative: inside the test project


@pytest.fixture
def meeting_project(project: Path) -> Path:
    """The repository's example project (it has a meeting with a confidential ärende and a bilaga)."""
    return project


def meeting_file(project: Path, body: str) -> Path:
    head = ("typ: sammanträde\nnämnd: SON\ndatum: 2022-01-26\ntid: {start: '13:00'}\nplats: Rummet\n"
            "ordförande: A\nsekreterare: B\n")
    return write(project / "decisions" / "m.yaml", head + body)


def lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("decisions/")]


def test_example_meeting_builds_both_editions(meeting_project):
    result = run("build", "-q")
    assert result.exit_code == 0, result.output
    packet = meeting_project / "build" / "son-2022-01-26"
    for edition in ("intern", "offentlig"):
        names = {p.name for p in (packet / edition).iterdir()}
        assert {"kallelse.docx", "kallelse.pdf", "kallelse.html", "handlingar.pdf", "index.html", "meeting.json",
                "meeting.schema.json", "punkt-1.bilaga-1.pdf"} <= names
    assert "son-2022-individarende.pdf" in {p.name for p in (packet / "intern").iterdir()}
    assert not any("individarende" in p.name for p in (packet / "offentlig").iterdir())


def test_packet_pdf_has_a_bookmark_per_arende_and_page_labels(meeting_project):
    assert run("build", "-q").exit_code == 0
    packet = meeting_project / "build" / "son-2022-01-26"
    with pikepdf.open(packet / "intern" / "handlingar.pdf") as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            assert titles[0] == "Kallelse och föredragningslista"
            assert titles[1:] == ["1. Information om lägesbilden i Skäggetorp",
                                  "2. Områdesbaserat socialt arbete i hela kommunen, svar på motion (S)",
                                  "3. Fältverksamhet, polarverksamhet, förlängning av verksamhetsuppdrag till Leanlink "
                                  "Råd och stöd", "4. Ansökan om kontaktfamilj för Elvira Strandberg",
                                  "5. Reviderade riktlinjer för ekonomiskt bistånd 2022",
                                  "6. Anmälan av delegationsbeslut"]
            assert [c.title for c in outline.root[1].children] == ["Lägesbild Skäggetorp hösten 2021"]
            assert outline.root[6].children == []  # no documents: the bookmark points at the kallelse
        assert "/PageLabels" in pdf.Root
    with pikepdf.open(packet / "offentlig" / "handlingar.pdf") as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            assert titles[4] == "4. Ansökan om insats enligt socialtjänstlagen" and outline.root[4].children == []
            assert len(titles) == 7  # kallelse + every ärende, the confidential one by its public title


def test_public_kallelse_shows_number_public_title_and_osl_only(meeting_project):
    assert run("build", "-q").exit_code == 0
    public = pdf_text(meeting_project / "build" / "son-2022-01-26" / "offentlig" / "kallelse.pdf")
    flat = " ".join(public.split())
    assert "4. Ansökan om insats enligt socialtjänstlagen Sekretess enligt OSL 26 kap. 1 §." in flat
    assert "Strandberg" not in flat and "kontaktfamilj" not in flat and "SON 2022-14" not in flat
    internal = " ".join(pdf_text(meeting_project / "build" / "son-2022-01-26" / "intern" / "kallelse.pdf").split())
    assert "4. Ansökan om kontaktfamilj för Elvira Strandberg" in internal and "Dnr SON 2022-14" in internal


def test_open_data_json(meeting_project):
    assert run("build", "-q").exit_code == 0
    data = json.loads((meeting_project / "build" / "son-2022-01-26" / "offentlig" / "meeting.json").read_text())
    assert data["utgåva"] == "offentlig" and [i["nummer"] for i in data["ärenden"]] == [1, 2, 3, 4, 5, 6]
    secret = data["ärenden"][3]
    assert secret == {"nummer": 4, "rubrik": "Ansökan om insats enligt socialtjänstlagen", "typ": "ärende", "dnr": None,
                      "föredragande": None, "förslag": [], "sekretess": "OSL 26 kap. 1 §",
                      "länkar": {"html": None, "pdf": None, "bilagor": []}}
    assert data["ärenden"][1]["dnr"] == "SON 2020-377"
    schema = json.loads((meeting_project / "build" / "son-2022-01-26" / "offentlig" / "meeting.schema.json").read_text())
    assert schema["title"] == "MeetingData" and "ärenden" in schema["properties"]


def test_index_links_every_open_arende(meeting_project):
    assert run("build", "-q").exit_code == 0
    index = (meeting_project / "build" / "son-2022-01-26" / "offentlig" / "index.html").read_text(encoding="utf-8")
    for target in ("kallelse.html", "handlingar.pdf", "son-2020-faltverksamhet.html", "son-2020-faltverksamhet.pdf",
                   "punkt-1.bilaga-1.pdf"):
        assert f'href="{target}"' in index
    assert "individarende" not in index and "Strandberg" not in html_text(
        meeting_project / "build" / "son-2022-01-26" / "offentlig" / "index.html", "body")


def test_packet_is_deterministic_and_incremental(meeting_project, tmp_path):
    assert run("build", "-q").exit_code == 0
    packet = meeting_project / "build" / "son-2022-01-26"
    first = {p.relative_to(packet): p.read_bytes() for p in packet.rglob("*") if p.is_file()}
    assert "0 byggda" in run("build", "-q").output
    record = meeting_project / "decisions" / "son-2020-faltverksamhet.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("Leanlink Råd och stöd\n", "Leanlink Råd och Stöd\n"),
                      encoding="utf-8")
    result = run("build", "-q")
    assert "2 byggda" in result.output  # the record and the meeting that holds it
    assert run("build", "--force", "--out", str(tmp_path / "again"), "-q").exit_code == 0
    again = tmp_path / "again" / "son-2022-01-26"
    assert {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()} == {
        p.relative_to(packet): p.read_bytes() for p in packet.rglob("*") if p.is_file()}
    assert first.keys() == {p.relative_to(packet) for p in packet.rglob("*") if p.is_file()}


def test_write_editions_leaves_other_files_alone(meeting_project, tmp_path):
    outcome = produce(MEETING, Project.open(meeting_project))
    assert outcome.ok
    out = tmp_path / "ut"
    out.mkdir()
    (out / "mitt.txt").write_text("egen fil")
    write_editions(out, outcome.package)
    assert (out / "mitt.txt").read_text() == "egen fil"
    assert (out / "intern" / "kallelse.pdf").is_file() and (out / "offentlig" / "kallelse.pdf").is_file()


def test_missing_record_and_duplicate_and_bad_time(empty_project):
    write(empty_project / "decisions" / "a.yaml", MINIMAL)
    meeting_file(empty_project, "ärenden:\n  - post: finns-inte\n  - post: a\n  - post: a\n")
    result = run("check")
    assert result.exit_code == 1
    found = lines(result)
    assert "decisions/m.yaml:9:5: ärenden[1].post: posten 'finns-inte' finns inte bland projektets poster " \
           "(under decisions/)" in found
    assert any("ärenden[3].post: posten 'a' står redan som ärende 2" in line for line in found)
    path = meeting_file(empty_project, "ärenden:\n  - post: a\n")
    path.write_text(path.read_text(encoding="utf-8").replace("'13:00'", "'25:61'"), encoding="utf-8")
    assert any("tid.start: ska vara en tid TT:MM (t.ex. 13:00), inte '25:61'" in line for line in lines(run("check")))


def test_confidential_record_needs_an_osl_reference(empty_project):
    write(empty_project / "decisions" / "a.yaml", MINIMAL + "sekretess: true\n")
    meeting_file(empty_project, "ärenden:\n  - post: a\n")
    result = run("check")
    assert result.exit_code == 1
    assert any("ärenden[1]: ärendet omfattas av sekretess (posten har sekretess: true) men saknar OSL-hänvisning"
               in line for line in lines(result))
    meeting_file(empty_project, "ärenden:\n  - post: a\n    sekretess: hemligt\n")
    assert any("'hemligt' är ingen OSL-hänvisning" in line for line in lines(run("check")))
    meeting_file(empty_project, "ärenden:\n  - post: a\n    sekretess: OSL 26 kap. 1 §\n")
    assert run("check").exit_code == 0


def test_bad_bilagor_are_named(empty_project):
    (empty_project / "decisions" / "text.pdf").write_text("inte en pdf")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(empty_project / "decisions" / "last.pdf", encryption=pikepdf.Encryption(owner="a", user="b"))
    meeting_file(empty_project, "ärenden:\n  - rubrik: Info\n    bilagor: [saknas.pdf, text.pdf, last.pdf, ../../x.pdf]\n")
    found = lines(run("check"))
    assert any("bilagor[1]: bilagan 'saknas.pdf' finns inte" in line for line in found)
    assert any("bilagor[2]: bilagan 'text.pdf' ska vara en PDF- eller DOCX-fil" in line for line in found)
    assert any("bilagor[3]: bilagan 'last.pdf' är lösenordsskyddad" in line for line in found)
    assert any("bilagor[4]: bilagan '../../x.pdf' ligger utanför projektmappen" in line for line in found)


def test_arende_on_two_meetings(empty_project):
    write(empty_project / "decisions" / "a.yaml", MINIMAL)
    meeting_file(empty_project, "ärenden:\n  - post: a\n")
    shutil.copy(empty_project / "decisions" / "m.yaml", empty_project / "decisions" / "n.yaml")
    result = run("check")
    assert result.exit_code == 1
    assert any("decisions/n.yaml" in line and "posten 'a' står redan på sammanträdet m.yaml" in line
               for line in result.stderr.splitlines())
    assert check(Project.open(empty_project)).errors()


def test_strict_refuses_drafts_on_the_agenda(empty_project):
    write(empty_project / "decisions" / "a.yaml", MINIMAL.replace("status: beslutad", "status: utkast"))
    meeting_file(empty_project, "ärenden:\n  - post: a\n")
    assert run("check").exit_code == 0
    result = run("check", "--strict")
    assert result.exit_code == 1 and any("posten 'a' är ett utkast" in line for line in lines(result))


def test_meeting_file_that_is_not_yaml(empty_project):
    write(empty_project / "decisions" / "m.yaml", "typ: sammanträde\nnämnd: [SON\n")
    result = run("build")
    assert result.exit_code == 1 and "decisions/m.yaml:" in result.stderr and "Traceback" not in result.output


def test_non_pdfa_bilaga_is_reported(empty_project):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(empty_project / "decisions" / "vanlig.pdf")
    meeting_file(empty_project, "ärenden:\n  - rubrik: Info\n    bilagor: [vanlig.pdf]\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "punkt-1.bilaga-1.pdf: bilagan är inte PDF/A" in result.stderr
    with pikepdf.open(empty_project / "build" / "m" / "intern" / "handlingar.pdf") as merged:
        assert "pdfaid:part" not in str(merged.open_metadata())


def test_kallelse_bytes_from_produce(meeting_project):
    outcome = produce(MEETING, Project.open(meeting_project))
    pdf = outcome.package["intern/kallelse.pdf"]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.docinfo["/Title"]).startswith("Kallelse till sammanträde med social- och omsorgsnämnden")
    assert build(Project.open(meeting_project), jobs=1).ok


def test_packet_command_writes_both_editions(meeting_project, tmp_path):
    out = tmp_path / "paket"
    result = run("packet", "decisions/sammantraden/son-2022-01-26.yaml", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "intern" / "handlingar.pdf").is_file() and (out / "offentlig" / "handlingar.pdf").is_file()
    assert run("packet", "decisions/son-2020-faltverksamhet.yaml", "--out", str(tmp_path / "x")).exit_code == 2
    meeting = meeting_project / "decisions" / "sammantraden" / "son-2022-01-26.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("post: son-2020-faltverksamhet", "post: saknas"),
                       encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run("packet", "decisions/sammantraden/son-2022-01-26.yaml", "--out", str(out))
    assert result.exit_code == 1 and "posten 'saknas' finns inte" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing half written


def test_largest_pdf_of_each_edition_has_a_bookmark_per_arende(meeting_project, tmp_path):
    """The contract: `beslut packet MEETING --out DIR`; the largest PDF of each edition bookmarks every ärende."""
    out = tmp_path / "paket"
    assert run("packet", "decisions/sammantraden/son-2022-01-26.yaml", "--out", str(out)).exit_code == 0
    for edition in ("intern", "offentlig"):
        largest = max((out / edition).glob("*.pdf"), key=lambda p: p.stat().st_size)
        with pikepdf.open(largest) as pdf, pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        for number in range(1, 6):
            assert any(t.startswith(f"{number}. ") for t in titles), (edition, number, titles)


def test_build_fails_a_meeting_whose_record_has_errors(empty_project):
    """In a build the agenda trusts only records produced without errors in that build."""
    write(empty_project / "decisions" / "a.yaml", MINIMAL.replace("nämnd: SON", "nämnd: XYZ"))
    meeting_file(empty_project, "ärenden:\n  - post: a\n")
    result = run("build")
    assert result.exit_code == 1
    assert "decisions/m.yaml:9:5: ärenden[1].post: posten 'a' har fel" in result.stderr
    assert not (empty_project / "build" / "m").exists()


def _pdf_with_text(path: Path, text: str) -> None:
    import datetime as dt

    import typst

    source = path.with_suffix(".typ")
    source.write_text(f'#set document(title: "Bilaga")\n{text}\n', encoding="utf-8")
    path.write_bytes(typst.compile(str(source), timestamp=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)))
    source.unlink()


def test_personnummer_bound_for_the_public_edition_are_named_and_refused_with_strict(empty_project, tmp_path):
    """A record may lawfully hold an acknowledged personnummer; a public packet may not show it."""
    write(empty_project / "decisions" / "a.yaml", MINIMAL.replace("Kort ärende.", "Gäller 19121212-1212.")
          + "personnummer_tillåtna: ['19121212-1212']\n")
    _pdf_with_text(empty_project / "decisions" / "lista.pdf", "Deltagare: 20120313-2384")
    meeting_file(empty_project, "ärenden:\n  - post: a\n  - rubrik: Info\n    bilagor: [lista.pdf]\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "offentlig utgåva: personnummer '19121212-1212' i ärende 1 (posten a)" in result.stderr
    assert "offentlig utgåva: personnummer '20120313-2384' i punkt-2.bilaga-1.pdf" in result.stderr
    out = tmp_path / "paket"
    strict = run("packet", "decisions/m.yaml", "--out", str(out), "--strict")
    assert strict.exit_code == 1 and "inga handlingar skrivna" in strict.stderr and not out.exists()


def _screen_counter(monkeypatch) -> tuple[list[str], list[str]]:
    """Count what the public edition's personnummer screen reads: bilagor by name, texts as given."""
    import beslut.meetings.packet as packet
    import beslut.personnummer as personnummer

    bilagor: list[str] = []
    texts: list[str] = []
    read, screen = packet.bilaga_text, personnummer.screen
    monkeypatch.setattr(packet, "bilaga_text", lambda name, data: bilagor.append(name) or read(name, data))
    monkeypatch.setattr(personnummer, "screen", lambda text, *a, **k: texts.append(text) or screen(text, *a, **k))
    return bilagor, texts


def test_a_packet_reads_again_only_the_records_and_bilagor_that_changed(empty_project, tmp_path, monkeypatch):
    """What the last build of the meeting found clean is not read again; the packet is the same bytes."""
    for name in ("a", "b"):
        write(empty_project / "decisions" / f"{name}.yaml", MINIMAL.replace("Kort ärende.", f"Ärende {name.upper()}-text."))
    _pdf_with_text(empty_project / "decisions" / "lista.pdf", "Deltagare: Anna och Bo")
    meeting_file(empty_project, "ärenden:\n  - post: a\n  - post: b\n  - rubrik: Info\n    bilagor: [lista.pdf]\n")
    project = Project.open(empty_project)
    assert build(project, jobs=1).ok
    bilagor, texts = _screen_counter(monkeypatch)
    a = empty_project / "decisions" / "a.yaml"
    a.write_text(a.read_text(encoding="utf-8").replace("Ärende A-text.", "Ärende A-text, ändrad."), encoding="utf-8")
    result = build(project, jobs=1)
    assert result.ok and "m" in result.built
    assert bilagor == []  # the bilaga is unchanged and was clean
    assert any("A-text, ändrad" in t for t in texts) and not any("B-text" in t for t in texts)
    # the same packet as a build that reads everything
    fresh = build(Project.open(empty_project, output=tmp_path / "fresh"), jobs=1, force=True)
    assert fresh.ok and bilagor == ["offentlig/punkt-3.bilaga-1.pdf"]
    for edition in ("intern", "offentlig"):
        ours, theirs = empty_project / "build" / "m" / edition, tmp_path / "fresh" / "m" / edition
        assert {p.name: p.read_bytes() for p in ours.iterdir()} == {p.name: p.read_bytes() for p in theirs.iterdir()}


def test_a_bilaga_with_a_personnummer_is_screened_every_time_and_one_made_public_too(empty_project, monkeypatch):
    write(empty_project / "decisions" / "a.yaml", MINIMAL)
    _pdf_with_text(empty_project / "decisions" / "lista.pdf", "Deltagare: 20120313-2384")
    _pdf_with_text(empty_project / "decisions" / "hemlig.pdf", "Klient: 19121212-1212")
    body = ("ärenden:\n  - post: a\n  - rubrik: Info\n    bilagor: [lista.pdf]\n"
            "  - rubrik: Klientärende\n    bilagor: [hemlig.pdf]\n    sekretess: OSL 26 kap. 1 §\n")
    meeting_file(empty_project, body)
    leak = "offentlig utgåva: personnummer '20120313-2384' i punkt-2.bilaga-1.pdf"
    secret = "offentlig utgåva: personnummer '19121212-1212' i punkt-3.bilaga-1.pdf"
    for _ in range(2):  # the second build: the meeting is built again (a record changed); the leak is found again
        result = run("build")
        assert result.exit_code == 0 and leak in result.stderr and secret not in result.stderr, result.stderr
        a = empty_project / "decisions" / "a.yaml"
        a.write_text(a.read_text(encoding="utf-8") + "# ändrad\n", encoding="utf-8")
    # the confidential ärende's bilaga was never screened (it was in no public edition): made public, it is
    meeting_file(empty_project, body.replace("    sekretess: OSL 26 kap. 1 §\n", ""))
    result = run("build")
    assert secret in result.stderr, result.stderr


def test_the_memo_of_a_meeting_is_used_only_by_a_build_from_the_same_inputs(tmp_path):
    from beslut.manifest import Manifest

    manifest = Manifest(tmp_path)
    manifest.record("m", "decisions/m.yaml", "base-1", {}, {}, [], ["pdf:abc", "post:def"])
    assert manifest.screened("m", "base-1") == {"pdf:abc", "post:def"}
    assert manifest.screened("m", "base-2") == frozenset()  # another beslut, profile or options
    manifest.failed("m", "decisions/m.yaml")
    assert manifest.screened("m", "base-1") == frozenset()
    manifest.record("m", "decisions/m.yaml", "base-1", {}, {}, [], ["pdf:abc"])
    manifest.save()
    assert Manifest.load(tmp_path).screened("m", "base-1") == {"pdf:abc"}
