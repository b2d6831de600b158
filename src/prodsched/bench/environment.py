"""Where and with what a benchmark ran: date, commit, versions, machine."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.strip()
        # Recorded results are outputs, not code: a run that rewrites them stays clean.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":(exclude)benchmarks/results"],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout
        return out + ("+changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_metadata() -> dict[str, Any]:
    """Date, git commit, Python/OR-Tools/prodsched versions, cores and CPU."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _commit(),
        "python": platform.python_version(),
        "ortools": _version("ortools"),
        "prodsched": _version("prodsched"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
    }


def markdown_header(title: str, meta: dict[str, Any]) -> str:
    """A results file's heading with the run's metadata."""
    return (f"# {title}\n\n"
            f"- date: {meta['date']}\n- commit: {meta['commit']}\n"
            f"- versions: Python {meta['python']}, OR-Tools {meta['ortools']}, "
            f"prodsched {meta['prodsched']}\n"
            f"- machine: {meta['cores']} cores, {meta['cpu']} ({meta['platform']})\n")
