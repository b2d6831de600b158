"""Interruption and time limits of `prodsched solve`, run as a real process.

For generated plants (1000 orders by default):

- **interrupted**: start `prodsched solve` with a long time limit, send SIGINT
  after N seconds, and record the exit code (130 expected), the seconds from
  the signal to the exit, and whether `prodsched validate` accepts what was
  written;
- **timed**: run `prodsched solve --time-limit T` and record its wall time
  against the bound T × 1.1 + 1 s (start-up, loading, warm start, model
  build, search, validation and writing all count).

Run:  python benchmarks/reliability.py [--orders 1000] [--limits 10,30,60] [--signal-after 5,15,25]
Writes benchmarks/results/reliability.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.generate import GeneratorConfig, write_plant

RESULTS = Path(__file__).resolve().parent / "results"
PRODSCHED = [sys.executable, "-m", "prodsched"]


def plant_config(orders: int, seed: int) -> GeneratorConfig:
    """The plants of benchmarks/core_scale.py."""
    return GeneratorConfig(orders=orders, products=max(6, orders // 20), families=4, machines=8,
                           max_steps=3, alternatives=2, setup_ratio=0.5, due_tightness=0.6,
                           calendar=True, datetimes=True, seed=seed)


def _outcome(plant: Path, out: Path) -> dict[str, Any]:
    """What was written: validity, status and how the schedule was found."""
    if not (out / "kpis.json").exists():
        return {"written": False, "valid": None, "status": "", "source": "", "interrupted": ""}
    check = subprocess.run([*PRODSCHED, "validate", str(plant), str(out)], capture_output=True,
                           text=True, check=False)
    kpis = json.loads((out / "kpis.json").read_text())
    lns = kpis.get("lns")
    if lns is not None:  # the large-plant route: dispatch, then CP-SAT windows
        source = f"large-plant route: dispatch, {lns['improved']} improving windows"
        build = lns["build_seconds"]
    else:
        source = kpis.get("source", "CP-SAT")
        build = kpis.get("model", {}).get("build_seconds")
    return {"written": True, "valid": check.returncode == 0, "status": kpis["status"],
            "source": source, "interrupted": kpis.get("interrupted", ""),
            "objective": kpis["objective"], "warm_start_s": kpis["budget"]["warm_start_seconds"],
            "max_arcs": kpis["budget"].get("max_arcs_per_machine", ""), "build_s": build,
            "wall_limit_hit": kpis["budget"].get("wall_limit_hit")}


def interrupted(plant: Path, work: Path, after: float, workers: int) -> dict[str, Any]:
    out = work / f"interrupted_{after:g}"
    started = time.monotonic()
    process = subprocess.Popen([*PRODSCHED, "solve", str(plant), "--out", str(out),
                                "--time-limit", "600", "--workers", str(workers), "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(max(0.0, after - (time.monotonic() - started)))
    signalled = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    ended = time.monotonic()
    return {"run": "interrupted", "after_s": after, "exit": process.returncode,
            "exit_after_signal_s": round(ended - signalled, 2), "wall_s": round(ended - started, 2),
            "traceback": "Traceback" in stderr, **_outcome(plant, out)}


def timed(plant: Path, work: Path, limit: float, workers: int) -> dict[str, Any]:
    out = work / f"timed_{limit:g}"
    started = time.monotonic()
    done = subprocess.run([*PRODSCHED, "solve", str(plant), "--out", str(out), "--time-limit",
                           f"{limit:g}", "--workers", str(workers), "-q"],
                          capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    bound = limit * 1.1 + 1
    return {"run": "timed", "limit_s": limit, "exit": done.returncode, "wall_s": round(wall, 2),
            "bound_s": round(bound, 2), "within": wall <= bound,
            "traceback": "Traceback" in done.stderr, **_outcome(plant, out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="1000")
    parser.add_argument("--limits", default="10,30,60")
    parser.add_argument("--signal-after", default="5,15,25")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", default="reliability")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.orders.split(",")):
            plant = write_plant(plant_config(n, args.seed), Path(tmp) / f"plant{n}")
            for after in (float(x) for x in args.signal_after.split(",") if x):
                rows.append({"orders": n, **interrupted(plant, Path(tmp), after, args.workers)})
                print(rows[-1], flush=True)
            for limit in (float(x) for x in args.limits.split(",") if x):
                rows.append({"orders": n, **timed(plant, Path(tmp), limit, args.workers)})
                print(rows[-1], flush=True)
    write_csv(RESULTS / f"{args.name}.csv", rows)
    lines = [markdown_header("Interruption and time limits of prodsched solve", run_metadata()),
             f"Plants: `GeneratorConfig(orders=N, machines=8, max_steps=3, alternatives=2, "
             f"setup_ratio=0.5, due_tightness=0.6, calendar, datetimes, seed={args.seed})`; "
             f"`prodsched solve` run as a process with {args.workers} workers; wall time "
             "measured around the whole process (start-up included).", "",
             "## Interrupted (SIGINT after N s, time limit 600 s)", "",
             "| orders | SIGINT after s | exit | exit after signal s | written | valid "
             "(`prodsched validate`) | status | source | traceback |",
             "|---:|---:|---:|---:|---|---|---|---|---|"]
    for r in rows:
        if r["run"] == "interrupted":
            lines.append(f"| {r['orders']} | {r['after_s']:g} | {r['exit']} | "
                         f"{r['exit_after_signal_s']} | {r['written']} | {r['valid']} | "
                         f"{r['status']} | {r['source']} | {r['traceback']} |")
    lines += ["", "## Timed (bound = limit × 1.1 + 1 s)", "",
              "| orders | limit s | wall s | bound s | within | exit | valid | status | source "
              "| warm start s | max arcs/machine | build s |",
              "|---:|---:|---:|---:|---|---:|---|---|---|---:|---:|---:|"]
    for r in rows:
        if r["run"] == "timed":
            lines.append(f"| {r['orders']} | {r['limit_s']:g} | {r['wall_s']} | {r['bound_s']} | "
                         f"{r['within']} | {r['exit']} | {r['valid']} | {r['status']} | "
                         f"{r['source']} | {r.get('warm_start_s')} | {r.get('max_arcs')} | "
                         f"{r.get('build_s')} |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
