"""Holding cost and lateness both count (issue 23, item 3).

One generated plant like the issue's: 1,000 orders, 30 products in 6
families, batch and mass modes, 12 machines, routings of 1–3 steps
(``GeneratorConfig(orders=1000, products=30, families=6, machines=12,
max_steps=3, mode_mix={batch: .5, mass: .5}, seed=0)``), objective
``weighted-tardiness=1,setup-cost=1,holding-cost=1``, 60 s, 2 workers. The
default solve (the large-plant route at this size) is recorded with its
parts: weighted tardiness, setup cost, holding cost, the start the search
began from and how many windows improved it.

Each run appends one row (with its ``--label``, date and commit) to
``benchmarks/results/holding.csv`` and rewrites ``holding.md`` from all rows,
so that a run at an older commit (``PYTHONPATH=<its src>``) sits beside the
newest one.

Run:  python benchmarks/holding.py [--time-limit 60] [--workers 2] [--label TEXT]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.plant.model import Mode
from prodsched.request import SolveRequest

RESULTS = Path(__file__).resolve().parent / "results"
OBJECTIVE = "weighted-tardiness=1,setup-cost=1,holding-cost=1"
CONFIG = GeneratorConfig(orders=1000, products=30, families=6, machines=12, max_steps=3,
                         mode_mix={Mode.BATCH: 0.5, Mode.MASS: 0.5}, seed=0)
COLUMNS = ("date", "commit", "label", "objective", "weighted_tardiness", "setup_cost",
           "holding_cost", "start", "windows", "improved", "seconds")


def run(time_limit: float, workers: int, label: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(CONFIG, Path(tmp) / "plant"))
        started = time.monotonic()
        schedule = solve_request(plant, SolveRequest(
            objective=parse_objective(OBJECTIVE), time_limit=time_limit, started_at=started,
            settings=SolverSettings(workers=workers)))
        seconds = time.monotonic() - started
    k = schedule.kpis
    meta = run_metadata()
    return {"date": meta["date"], "commit": meta["commit"], "label": label,
            "objective": round(float(schedule.info.objective or 0), 1),
            "weighted_tardiness": float(k.weighted_tardiness),
            "setup_cost": float(k.total_setup_cost),
            "holding_cost": round(float(k.holding_cost), 1),
            "start": schedule.info.dispatch.warm_start if schedule.info.dispatch else "",
            "windows": schedule.info.lns.windows if schedule.info.lns else "",
            "improved": schedule.info.lns.improved if schedule.info.lns else "",
            "seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    row = run(args.time_limit, args.workers, args.label)
    print(row, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "holding.csv"
    rows = list(csv.DictReader(path.open())) if path.exists() else []
    rows.append({k: str(row[k]) for k in COLUMNS})
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    lines = [markdown_header("Holding cost and lateness both count", run_metadata()),
             f"Plant `{CONFIG.model_dump()}`; objective `{OBJECTIVE}`, {args.time_limit:g} s, "
             f"{args.workers} workers, the default solve (large-plant route). One row per "
             "run, oldest first; timings on a shared machine.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(r[k] for k in COLUMNS) + " |" for r in rows]
    (args.out / "holding.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
