"""The code stays lint-clean and type-clean: ruff and mypy run as part of the suite.

`.ci/run` runs only the test command, so the checks that keep the house in
order run here; the tools come with the ``test`` extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_and_no_import_circles() -> None:
    """The import-linter contracts in pyproject.toml: each package imports only the
    packages below it, and no modules of a package import each other in a circle."""
    result = _run(sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                  "lint_imports_command()")
    assert result.returncode == 0, result.stdout + result.stderr
