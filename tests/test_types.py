"""The library type-checks with mypy (configured in pyproject.toml)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import ROOT


def test_mypy_is_clean():
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy saknas: pip install -e '.[test]'")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
