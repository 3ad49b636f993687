"""``beslut serve``: the live preview over HTTP on 127.0.0.1, with server-sent events.

Routes (everything else is 404):

- ``/``: every record and meeting by id, with its state (ok, warnings, errors).
- ``/r/<id>``: a record's HTML rendering with links to its PDF and DOCX, or its errors as
  ``beslut check`` prints them and a link to the last good rendering (``/r/<id>/senaste``).
- ``/r/<id>.pdf``, ``.docx``, ``.html`` and its bilagor by their output names.
- ``/r/<meeting>/`` and ``/r/<meeting>/<file>``: a meeting's packet (internal edition).
- ``/_beslut/live.js`` and ``/_beslut/events``: the page script and the change stream.

Files are looked up by record id in what ``produce`` made in memory; no part of a URL is ever
joined to a file-system path, so ``..``, encoded or not, reaches nothing. Changes come from
watchfiles; the page reloads itself when its record (or anything every record uses) changed.
"""
from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import Problem
from .preview import Preview, Rendering

if TYPE_CHECKING:
    from ..checkserver import CheckServer

TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".json": "application/json",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".js": "text/javascript; charset=utf-8"}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'")

LIVE_JS = """// beslut serve: reload this page when its record (or everything) changed
(function () {
  var id = document.documentElement.getAttribute("data-beslut-id");
  // the server's change count when it made this page: a save between making the page and this
  // script connecting is not missed (the stream starts from there)
  var since = document.currentScript ? new URL(document.currentScript.src).searchParams.get("g") : null;
  var source = new EventSource("/_beslut/events" + (since ? "?since=" + since : ""));
  source.onmessage = function (event) {
    var ids = JSON.parse(event.data);
    if (ids.indexOf("*") >= 0 || ids.indexOf(id) >= 0) { location.reload(); }
  };
})();
"""


def _page(title: str, body: str, rid: str = "") -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="sv" data-beslut-id="{html.escape(rid)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            '<style>body{font-family:"Noto Sans",Arial,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;'
            'color:#111}pre{white-space:pre-wrap;background:#fff4f4;border-left:4px solid #a00;padding:.75rem}'
            'a{color:#0645ad}</style></head><body><main>'
            f'{body}</main><script src="/_beslut/live.js"></script></body></html>').encode()


def _toolbar(rid: str, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for text, href in links)
    return (f'<nav aria-label="Förhandsvisning" style="font-family:sans-serif;font-size:.9rem;border-top:1px solid #ccc;'
            f'margin-top:2rem;padding-top:.5rem"><ul style="display:flex;gap:1.5rem;list-style:none;padding:0">'
            f'{items}</ul></nav>')


def _inject(document: bytes, rid: str, links: list[tuple[str, str]]) -> bytes:
    """The record's own HTML with the preview's links and the reload script before ``</body>``."""
    text = document.decode("utf-8")
    text = text.replace("<html ", f'<html data-beslut-id="{html.escape(rid)}" ', 1)
    extra = _toolbar(rid, links) + '<script src="/_beslut/live.js"></script>'
    at = text.rfind("</body>")
    return (text[:at] + extra + text[at:] if at >= 0 else text + extra).encode("utf-8")


def errors_page(rendering: Rendering, good: Rendering | None, project_error: str | None = None) -> bytes:
    """A record that does not validate: its problems as ``beslut check`` prints them."""
    rid = rendering.id
    lines = "\n".join(html.escape(p.format()) for p in rendering.problems if p.severity == "error") \
        or "(inga fel, men inga dokument kunde göras)"
    body = [f"<h1>Fel i {html.escape(rendering.path.name)}</h1>",
            "<p>Posten kan inte visas förrän felen är rättade. Sidan uppdateras när filen sparas.</p>",
            f"<pre>{lines}</pre>"]
    if project_error:
        body.append(f"<p>Profilen har fel:</p><pre>{html.escape(project_error)}</pre>")
    if good is not None:
        body.append(f'<p><a href="/r/{html.escape(rid)}/senaste">Senaste fungerande versionen</a></p>')
    body.append('<p><a href="/">Alla poster</a></p>')
    return _page(f"Fel i {rendering.path.name}", "".join(body), rid)


def index_page(preview: Preview) -> bytes:
    """Every record and meeting by id, with its state."""
    rows = []
    for rid, path in sorted(preview.records().items()):
        rel = path.relative_to(preview.project.root).as_posix() if path.is_relative_to(preview.project.root) \
            else path.name
        rows.append(f'<li><a href="/r/{html.escape(rid)}">{html.escape(rid)}</a> '
                    f'<span style="color:#555">({html.escape(rel)})</span></li>')
    warning = f"<p>Profilen har fel:</p><pre>{html.escape(preview.error)}</pre>" if preview.error else ""
    body = (f"<h1>Förhandsvisning: {html.escape(preview.project.profile.kommun)}</h1>{warning}"
            f"<p>{len(rows)} poster. Varje sida uppdateras när filen sparas.</p><ul>{''.join(rows)}</ul>")
    return _page("beslut serve", body)


def _warnings_note(problems: list[Problem]) -> str:
    warnings = [p for p in problems if p.severity != "error"]
    if not warnings:
        return ""
    return "Varningar:\n" + "\n".join(p.format() for p in warnings)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:  # noqa: N802 - the base class's name
        if not self._host_ok():
            return self._send(HTTPStatus.FORBIDDEN, "fel värd".encode(), ".txt", head)
        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or "\\" in path or any(part in ("..", ".") for part in path.split("/")):
            return self._send(HTTPStatus.NOT_FOUND, b"finns inte", ".txt", head)
        preview = self.server.preview
        self._generation = preview.generation  # before any file is read: later saves are news to the page
        if path == "/":
            return self._send(HTTPStatus.OK, index_page(preview), ".html", head)
        if path == "/_beslut/live.js":
            return self._send(HTTPStatus.OK, LIVE_JS.encode("utf-8"), ".js", head)
        if path == "/_beslut/events":
            return self._events()
        if path.startswith("/r/"):
            return self._record(path[3:], head)
        return self._send(HTTPStatus.NOT_FOUND, b"finns inte", ".txt", head)

    def _host_ok(self) -> bool:
        """Only requests addressed to this machine (no DNS rebinding from a web page)."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        return host in ("127.0.0.1", "localhost", "::1", "")

    def _record(self, rest: str, head: bool) -> None:
        preview = self.server.preview
        ids = preview.records()
        if rest in ids:
            rendering = preview.rendering(rest)
            assert rendering is not None
            if rendering.outcome.package:  # a meeting: its packet folder
                return self._redirect(f"/r/{rest}/")
            return self._show(rendering, head)
        rid, _, name = rest.partition("/")
        if rid in ids and name == "senaste":
            good = preview.last_good(rid)
            if good is None:
                return self._send(HTTPStatus.NOT_FOUND, b"ingen fungerande version finns", ".txt", head)
            return self._show(good, head, live=False)
        if rid in ids and "/" in rest:  # a meeting's packet file
            rendering = preview.rendering(rid)
            if rendering is None or not rendering.ok:
                return self._send(HTTPStatus.OK, errors_page(rendering, preview.last_good(rid), preview.error)
                                  if rendering else b"", ".html", head)
            data = rendering.file(name or "index.html")
            if data is None:
                return self._send(HTTPStatus.NOT_FOUND, b"finns inte", ".txt", head)
            if (name or "index.html").endswith(".html"):
                data = _inject(data, rid, [("Alla poster", "/")])
            return self._send(HTTPStatus.OK, data, Path(name or "index.html").suffix, head)
        owner = max((i for i in ids if rest.startswith(f"{i}.")), key=len, default=None)  # "<id>.pdf", "<id>.bilaga-1.pdf"
        if owner is not None:
            rendering = preview.rendering(owner)
            data = rendering.file(rest) if rendering is not None else None
            if data is not None:
                return self._send(HTTPStatus.OK, data, Path(rest).suffix, head)
        return self._send(HTTPStatus.NOT_FOUND, b"finns inte", ".txt", head)

    def _show(self, rendering: Rendering, head: bool, live: bool = True) -> None:
        preview = self.server.preview
        if not rendering.ok:
            page = errors_page(rendering, preview.last_good(rendering.id), preview.error)
            return self._send(HTTPStatus.OK, page, ".html", head)
        rid = rendering.id
        links = [("PDF", f"/r/{rid}.pdf"), ("Word (DOCX)", f"/r/{rid}.docx"), ("Alla poster", "/")]
        page = _inject(rendering.outcome.documents["html"], rid if live else "", links)
        note = _warnings_note(rendering.problems)
        if note:
            page = page.replace(b"</main>", f"<pre>{html.escape(note)}</pre></main>".encode(), 1) \
                if b"</main>" in page else page
        self._send(HTTPStatus.OK, page, ".html", head)

    def _redirect(self, target: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, data: bytes, suffix: str, head: bool = False) -> None:
        if suffix == ".html":
            data = self._live(data)
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(suffix, "text/plain; charset=utf-8"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        if suffix in (".pdf", ".docx"):
            self.send_header("Content-Disposition", "inline")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _live(self, data: bytes) -> bytes:
        """An HTML page's reload script, told the change count the page was made at."""
        return data.replace(b'<script src="/_beslut/live.js">',
                            f'<script src="/_beslut/live.js?g={getattr(self, "_generation", 0)}">'.encode(), 1)

    def _events(self) -> None:
        """Server-sent events: one message per change, the ids concerned as a JSON list."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        generation = preview.generation
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        if since.isdigit() and int(since) <= generation:
            generation = int(since)  # the page's own count: what changed since it was made is sent at once
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                generation, ids = preview.wait(generation, timeout=10)
                message = f"data: {json.dumps(sorted(ids))}\n\n" if ids else ": ping\n\n"
                self.wfile.write(message.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class PreviewServer(ThreadingHTTPServer):
    """The preview server with its watcher; ``start`` runs both in threads, ``close`` stops them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, port: int = 8000, profile: Path | None = None, verbose: bool = False):
        self.preview = Preview(root, profile)
        self.verbose = verbose
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", port), _Handler)
        self._workers: list[threading.Thread] = []
        self.checks: CheckServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> PreviewServer:
        """Serve and watch in background threads; answer ``beslut check`` run in this process's
        working folder too, when it is in the project (checkserver.py)."""
        from ..checkserver import CheckServer

        self.checks = CheckServer.start(Path.cwd())  # first: once pages are served, all is ready
        for target in (self.serve_forever, self.watch):
            thread = threading.Thread(target=target, daemon=True)
            self._workers.append(thread)
            thread.start()
        return self

    def watch(self, on_change: Callable[[frozenset[str]], None] | None = None) -> None:
        """Tell the preview about every saved file of the project (the output folder and Git aside)."""
        import watchfiles

        project = self.preview.project
        output = project.output.resolve()

        class _Filter(watchfiles.DefaultFilter):
            def __call__(self, change, path: str) -> bool:
                return super().__call__(change, path) and not Path(path).resolve().is_relative_to(output)

        for changes in watchfiles.watch(project.root, watch_filter=_Filter(), stop_event=self.stopping,
                                        debounce=100, step=20, rust_timeout=500, yield_on_timeout=False):
            ids = self.preview.invalidate({Path(path) for _, path in changes})
            if on_change is not None:
                on_change(ids)

    def close(self) -> None:
        self.stopping.set()
        if self.checks is not None:
            self.checks.close()
        if self._workers:  # shutdown() waits for serve_forever, which only a started server runs
            self.shutdown()
        self.server_close()
        for thread in self._workers:
            thread.join(timeout=5)
