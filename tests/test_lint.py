"""The code passes ruff (configured in pyproject.toml)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import ROOT


def test_ruff_is_clean():
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff saknas: pip install -e '.[test]'")
    command = [sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "tools"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
