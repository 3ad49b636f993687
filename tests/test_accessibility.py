"""Every built HTML page passes axe-core's WCAG 2.1 AA and best-practice rules in Chromium."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT
from .helpers import require_tool

pytestmark = pytest.mark.slow

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page: Path, work: Path) -> list[dict]:
    """Run axe-core inside headless Chromium on a copy of ``page``; returns its violations."""
    chromium = require_tool("chromium", "chromium")
    if not AXE.is_file():
        message = "axe-core saknas: npm ci --prefix tests/a11y (.ci/run gör det)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    script = (f'<script src="{AXE.as_uri()}"></script><script>'
              f'axe.run(document, {{runOnly: {{type: "tag", values: {json.dumps(RULES)}}}}}).then(r => {{'
              'const o = document.createElement("pre"); o.id = "axe-result";'
              'o.textContent = JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html)})));'
              'document.body.appendChild(o); });</script>')
    copy = work / page.name
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={work / '.chromium'}", "--allow-file-access-from-files", "--virtual-time-budget=15000",
            "--dump-dom", copy.as_uri()]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, flags=re.S)
    assert found, "axe gav inget resultat"
    return json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                      .replace("&amp;", "&"))


def test_example_pages_have_no_accessibility_violations(tmp_path, built_examples):
    for page in sorted(built_examples.rglob("*.html")):  # records, and each meeting edition's kallelse and index
        assert axe_violations(page, tmp_path) == [], page.name
