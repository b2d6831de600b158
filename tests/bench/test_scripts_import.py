"""Every script in benchmarks/ still imports against the package.

The scripts run for minutes to hours, so the suite does not run them; this
catches a script left behind by a change of the package's names (as
calibrate_budget.py was, importing a ``warm_start`` that had moved).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("*.py"))


def test_the_benchmark_folder_has_scripts():
    assert len(SCRIPTS) >= 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_script_imports(script: Path, monkeypatch: pytest.MonkeyPatch):
    # importing runs the top level only when the script guards its entry point
    assert 'if __name__ == "__main__":' in script.read_text(encoding="utf-8")
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # scripts import each other (route_ladder)
    name = f"benchmark_script_{script.stem}"
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
