"""`beslut serve`: the live preview answers on 127.0.0.1, re-renders saved records, shows errors
as `beslut check` does, and serves nothing but what it rendered."""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beslut.serve import PreviewServer

RECORD = "son-2020-faltverksamhet"


@pytest.fixture
def server(project: Path):
    running = PreviewServer(project, 0).start()
    yield running
    running.close()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host or f"127.0.0.1:{server.server_address[1]}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def page(server: PreviewServer, path: str) -> str:
    status, _, body = get(server, path)
    assert status == 200, (path, status)
    return body.decode("utf-8")


def until(check, seconds: float = 3.0):
    """Poll ``check`` until it returns something true (the contract: within 3 s)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def edit(project: Path, old: str, new: str, name: str = RECORD) -> None:
    path = project / "decisions" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_index_links_every_record_and_meeting_by_id(server, project):
    index = page(server, "/")
    ids = [p.stem for p in (project / "decisions").rglob("*.yaml")]
    assert len(ids) == 8
    for rid in ids:
        assert f'href="/r/{rid}"' in index, rid


def test_record_page_has_its_rendering_and_links_to_pdf_and_docx(server):
    html = page(server, f"/r/{RECORD}")
    assert "<h1>Fältverksamhet, polarverksamhet" in html and 'src="/_beslut/live.js?g=' in html
    assert f'href="/r/{RECORD}.pdf"' in html and f'href="/r/{RECORD}.docx"' in html
    status, headers, pdf = get(server, f"/r/{RECORD}.pdf")
    assert status == 200 and pdf.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    assert get(server, f"/r/{RECORD}.docx")[2].startswith(b"PK")
    assert "script-src 'self'" in headers["Content-Security-Policy"] and headers["Cache-Control"] == "no-store"


def test_a_saved_record_shows_its_new_rubrik_within_three_seconds(server, project):
    assert "<h1>Fältverksamhet" in page(server, f"/r/{RECORD}")
    edit(project, "rubrik: Fältverksamhet", "rubrik: Nyskriven rubrik Fältverksamhet")
    assert until(lambda: "<h1>Nyskriven rubrik Fältverksamhet" in page(server, f"/r/{RECORD}"))


def test_broken_yaml_shows_file_and_line_and_the_fix_renders_again(server, project):
    page(server, f"/r/{RECORD}")  # a good rendering first
    path = project / "decisions" / f"{RECORD}.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "rubrik: [\n", encoding="utf-8")
    broken = until(lambda: (lambda html: html if "Fel i" in html else "")(page(server, f"/r/{RECORD}")))
    found = re.search(rf"{RECORD}\.yaml:(\d+):\d+: ", broken)
    assert found and int(found.group(1)) >= good.count("\n") + 1, broken  # the new line (or the end after it)
    assert f'href="/r/{RECORD}/senaste"' in broken
    assert "<h1>Fältverksamhet" in page(server, f"/r/{RECORD}/senaste")  # the last good one, one click away
    assert "<h1>" in page(server, "/")  # the server is alive
    path.write_text(good, encoding="utf-8")
    assert until(lambda: "<h1>Fältverksamhet" in page(server, f"/r/{RECORD}"))


def test_an_invalid_record_shows_the_same_text_as_check(server, project):
    from .conftest import run

    edit(project, "nämnd: SON", "nämnd: XYZ")
    shown = page(server, f"/r/{RECORD}")
    check = run("check", f"decisions/{RECORD}.yaml").stderr.splitlines()[0]
    assert check.replace("'", "&#x27;") in shown, (check, shown)


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/r/../../etc/passwd", "/r/%2e%2e/%2e%2e/etc/passwd",
                                  "/r/..%2f..%2fetc%2fpasswd", "/r/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/etc/passwd",
                                  "/r/beslut.yaml", f"/r/{RECORD}/../../beslut.yaml", "/r/%00", "/build/",
                                  "/decisions/son-2020-faltverksamhet.yaml", "/r/" + RECORD + ".yaml"])
def test_nothing_outside_the_renderings_is_served(server, path):
    status, _, body = get(server, path)
    assert status == 404 and b"root:" not in body and b"kommun:" not in body


def test_a_symlink_out_of_the_project_serves_nothing_of_its_target(server, project):
    os.symlink("/etc/passwd", project / "decisions" / "lank.yaml")
    status, _, body = get(server, "/r/lank")
    assert b"root:" not in body and b"/bin/" not in body


def test_only_requests_for_this_machine_are_answered(server):
    assert get(server, "/", host="attacker.example")[0] == 403
    assert get(server, "/", host="localhost:1")[0] == 200


def test_the_server_listens_on_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")


def test_events_name_the_changed_record(server, project):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", "/_beslut/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline().startswith(b"retry:")
    edit(project, "rubrik: Fältverksamhet", "rubrik: Händelse Fältverksamhet")
    lines = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        line = response.fp.readline()
        if line.startswith(b"data:"):
            lines.append(line)
            break
    conn.close()
    assert lines and RECORD.encode() in lines[0]


def test_a_save_before_the_page_listens_is_not_missed(server, project):
    """A page made, then the file saved, then the page's script connects: it still learns of it
    (the flaky end of the Chromium test: the fix was saved while the error page was loading)."""
    shown = page(server, f"/r/{RECORD}")
    made_at = int(re.search(r'live\.js\?g=(\d+)"', shown).group(1))
    edit(project, "rubrik: Fältverksamhet", "rubrik: Medan sidan laddade Fältverksamhet")
    deadline = time.monotonic() + 5
    while server.preview.generation <= made_at and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.preview.generation > made_at  # the watcher saw the save before the stream opened
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", f"/_beslut/events?since={made_at}")
    response = conn.getresponse()
    assert response.fp.readline().startswith(b"retry:")
    line = b""
    while not line.startswith((b"data:", b": ping")):
        line = response.fp.readline()
    conn.close()
    assert line.startswith(b"data:") and RECORD.encode() in line


def test_a_meeting_shows_its_packet_index(server):
    status, headers, _ = get(server, "/r/son-2022-01-26")
    assert status == 302 and headers["Location"] == "/r/son-2022-01-26/"
    index = page(server, "/r/son-2022-01-26/")
    assert 'href="kallelse.html"' in index and 'href="handlingar.pdf"' in index
    assert get(server, "/r/son-2022-01-26/handlingar.pdf")[2].startswith(b"%PDF")
    assert "<h1>" in page(server, "/r/son-2022-01-26/kallelse.html")


def test_a_profile_change_renders_every_record_again(server, project):
    assert "013-20 60 01" not in page(server, f"/r/{RECORD}")
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("sidfot: []", "sidfot: [Tel 013-20 60 01]"),
                       encoding="utf-8")
    assert until(lambda: "013-20 60 01" in page(server, f"/r/{RECORD}"))


def test_the_command_answers_within_30_seconds_and_ends_on_interrupt(project):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "beslut.cli", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def answer():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                return conn.getresponse().status == 200
            except OSError:
                return False
        assert until(answer, 30)
    finally:
        proc.send_signal(2)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out


def test_a_busy_port_is_a_clear_usage_error(project):
    from .conftest import run

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        result = run("serve", "--port", str(s.getsockname()[1]))
    assert result.exit_code == 2 and "välj en annan port med --port" in result.stderr


@pytest.mark.slow
def test_chromium_shows_edits_errors_and_fixes_without_a_reload(server, project):
    """Headless Chromium (Debian's, through Playwright): the page follows the file as it is saved."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from .helpers import require_tool

    chromium = require_tool("chromium", "chromium")
    path = project / "decisions" / f"{RECORD}.yaml"
    good = path.read_text(encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.goto(f"{server.url}r/{RECORD}")
            assert tab.locator("h1").inner_text().startswith("Fältverksamhet")
            path.write_text(good.replace("rubrik: Fältverksamhet", "rubrik: I webbläsaren"), encoding="utf-8")
            tab.locator("h1", has_text="I webbläsaren").wait_for(timeout=5000)  # the page followed by itself
            path.write_text(good + "rubrik: [\n", encoding="utf-8")
            tab.wait_for_selector("pre", timeout=5000)
            assert re.search(rf"{RECORD}\.yaml:\d+:\d+:", tab.locator("pre").inner_text())
            path.write_text(good, encoding="utf-8")
            tab.locator("h1", has_text="Fältverksamhet").wait_for(timeout=5000)
        finally:
            browser.close()


def test_the_preview_notices_profile_template_and_bilaga_changes_without_the_watcher(project):
    """A GET right after a save must not depend on the watcher's first event having arrived."""
    from beslut.serve import Preview

    preview = Preview(project)
    assert preview.rendering(RECORD).ok
    profile = project / "beslut.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("sidfot: []", "sidfot: [Tel 013-20 60 01]"),
                       encoding="utf-8")
    assert b"013-20 60 01" in preview.rendering(RECORD).outcome.documents["html"]
    meeting = preview.rendering("son-2022-01-26")
    assert meeting is not None and meeting.ok
    bilaga = project / "decisions" / "bilagor" / "lagesbild-skaggetorp-2021.pdf"
    bilaga.write_bytes(bilaga.read_bytes() + b"\n")
    assert preview.rendering("son-2022-01-26") is not meeting  # made again from the changed bilaga
