"""Live preview benchmark: from saving a record to the new rendering in the browser's hands.

Usage: python bench/serve.py [ROUNDS]

Starts the preview server (``beslut.serve.PreviewServer``) on a copy of the example project, then
for each round edits the record's rubrik and measures (a) the time until the server's change
event names the record and (b) until a GET of the page returns the new rubrik. As the baseline in
the same run, ``produce`` of the same record (what any rendering costs). Prints a table and
writes bench/results/serve.json. Target (issue): visible ≤ 1 s after save for one record.
"""
from __future__ import annotations

import http.client
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RECORD = "son-2020-faltverksamhet"


def main(rounds: int = 10) -> int:
    from beslut import Project, produce
    from beslut.serve import PreviewServer

    with tempfile.TemporaryDirectory(prefix="beslut-serve-") as tmp:
        project = Path(tmp)
        for name in ("beslut.yaml", "logotyp-exempel.png"):
            shutil.copy(ROOT / name, project / name)
        shutil.copytree(ROOT / "decisions", project / "decisions")
        path = project / "decisions" / f"{RECORD}.yaml"
        original = path.read_text(encoding="utf-8")

        base = []
        proj = Project.open(project)
        for _ in range(rounds):
            start = time.perf_counter()
            assert produce(path, proj).ok
            base.append(time.perf_counter() - start)

        server = PreviewServer(project, 0).start()
        port = server.server_address[1]
        try:
            get(port, f"/r/{RECORD}")  # first rendering
            events, visible = [], []
            for n in range(rounds):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/_beslut/events")
                stream = conn.getresponse()
                stream.fp.readline()
                rubrik = f"Bänkad rubrik {n}"
                start = time.perf_counter()
                path.write_text(original.replace("rubrik: Fältverksamhet", f"rubrik: {rubrik}", 1), encoding="utf-8")
                while not stream.fp.readline().startswith(b"data:"):
                    pass
                events.append(time.perf_counter() - start)
                conn.close()
                while rubrik not in get(port, f"/r/{RECORD}"):
                    pass
                visible.append(time.perf_counter() - start)
        finally:
            server.close()

    rows = [("produce() of the record (baseline)", statistics.median(base)),
            ("save → change event", statistics.median(events)),
            ("save → new rendering served", statistics.median(visible))]
    print(f"{'what':<40} {'median s':>9} {'× baseline':>11}")
    for what, seconds in rows:
        print(f"{what:<40} {seconds:>9.3f} {seconds / rows[0][1]:>10.2f}×")
    print(f"worst save → new rendering: {max(visible):.3f} s over {rounds} saves (target ≤ 1 s)")
    out = HERE / "results" / "serve.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rounds": rounds, "baseline_s": statistics.median(base),
                               "event_s": statistics.median(events), "visible_s": statistics.median(visible),
                               "visible_max_s": max(visible)}, indent=2) + "\n", encoding="utf-8")
    return 0


def get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    return body


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
