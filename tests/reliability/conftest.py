"""A small valid plant using every file and column, and running the real command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from prodsched.cli import main

BASE: dict[str, str] = {
    "orders.csv": (
        "order_id,product,quantity,due,release,weight,deadline\n"
        "o1,A,5,100,0,1,\n"
        "o2,B,3,200,10,2,400\n"
    ),
    "products.csv": (
        "product,family,mode,min_lot,max_lot,lot_multiple,holding_cost\n"
        "A,fa,batch,1,10,1,0\n"
        "B,fb,one-off,,,,\n"
    ),
    "routings.csv": (
        "product,step,machine,time_per_unit,fixed_time\n"
        "A,1,M1|M2,2,5\n"
        "A,2,M3,1,0\n"
        "B,1,M1,3,0\n"
    ),
    "machines.csv": "machine,initial_state\nM1,fa\nM2,\nM3,\n",
    "setups.csv": "machine,from,to,time,cost\n*,*,*,5,1\nM1,fa,fb,10,2\n",
    "calendar.csv": "machine,start,end\nM1,50,60\n*,300,310\n",
}


def write_files(folder: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write ``files`` into ``folder`` (text as UTF-8, bytes as they are; ``None``: absent)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


@dataclass
class Run:
    """The outcome of one command."""

    code: int
    stdout: str
    stderr: str


def cli(*args: str) -> Run:
    """Run ``prodsched ARGS`` in this process (click's runner)."""
    result = CliRunner().invoke(main, list(args))
    return Run(result.exit_code, result.stdout, result.stderr)


def subprocess_cli(*args: str, timeout: float = 120) -> Run:
    """Run ``python -m prodsched ARGS`` as a real process."""
    done = subprocess.run([sys.executable, "-m", "prodsched", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)
    return Run(done.returncode, done.stdout, done.stderr)
