"""A sweep of generated plants with random shop-floor rules, solved as a user would.

Each plant draws its size and every generator option at random (shifts,
pauses, longest waits, setup crews, operator pools, calendars, deadlines,
initial states, date-times, production modes), and is solved by
``prodsched solve`` as a process under a random objective, then checked by
``prodsched validate``. Recorded per plant: exit code, status, whether the
schedule is valid, wall time against the bound (limit × 1.1 + 1 s), the route,
and any traceback. The point is the unseen plant at a short budget: no crash,
no invalid schedule, no overrun.

Run:  python benchmarks/sweep.py [--plants 24] [--time-limit 20] [--workers 2] [--seed 1]
          [--sizes 15,40,120,400] [--name sweep]
Writes benchmarks/results/<name>.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import json
import random
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
OBJECTIVES = ["weighted-tardiness>setup-time", "weighted-tardiness=1,setup-cost=1,holding-cost=1",
              "makespan", "total-tardiness>setup-cost", "setup-time"]
MODE_MIXES = ["auto=1", "batch=0.5,mass=0.5", "batch=0.4,mass=0.3,one-off=0.3", "batch=1"]


def draw(rng: random.Random, sizes: list[int], seed: int) -> tuple[GeneratorConfig, str]:
    """A random plant configuration and objective."""
    orders = rng.choice(sizes)
    products = rng.randint(2, max(3, min(60, orders // 4)))
    machines = rng.randint(2, max(3, min(20, orders // 10)))
    shifts = rng.choice([0, 0, 1, 2, 3])
    config = GeneratorConfig(
        orders=orders, products=products, families=rng.randint(1, min(products, 6)),
        machines=machines, max_steps=rng.randint(1, 4),
        alternatives=rng.randint(1, min(3, machines)),
        setup_ratio=rng.choice([0.0, 0.3, 1.0, 3.0]), due_tightness=rng.random(),
        mode_mix=rng.choice(MODE_MIXES), calendar=shifts == 0 and rng.random() < 0.5,
        datetimes=rng.random() < 0.5, deadline_share=rng.choice([0.0, 0.0, 0.2]),
        max_quantity=rng.choice([10, 100, 1000]), initial_states=rng.random() < 0.5,
        shifts=shifts, pause_share=rng.choice([0.0, 0.5, 1.0]) if shifts else 0.0,
        max_wait_share=rng.choice([0.0, 0.0, 0.3]), setup_crews=rng.choice([0, 0, 1, 2]),
        operators=rng.choice([0, 0, 2, 4]), seed=seed)
    return config, rng.choice(OBJECTIVES)


def solve(plant: Path, out: Path, objective: str, limit: float, workers: int
          ) -> dict[str, Any]:
    """``prodsched solve`` then ``prodsched validate``, as processes."""
    started = time.monotonic()
    done = subprocess.run([*PRODSCHED, "solve", str(plant), "--out", str(out), "--time-limit",
                           f"{limit:g}", "--workers", str(workers), "--objective", objective,
                           "-q"], capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    row: dict[str, Any] = {"exit": done.returncode, "wall_s": round(wall, 2),
                           "within": wall <= limit * 1.1 + 1,
                           "traceback": "Traceback" in done.stderr,
                           "error": done.stderr.strip().splitlines()[-1][:160]
                           if done.returncode and done.stderr.strip() else ""}
    if not (out / "kpis.json").exists():
        return {**row, "written": False, "valid": None}
    check = subprocess.run([*PRODSCHED, "validate", str(plant), str(out)], capture_output=True,
                           text=True, check=False)
    kpis = json.loads((out / "kpis.json").read_text())
    route = "large" if kpis.get("lns") is not None else "full"
    if kpis.get("handed_over") is not None:
        route = "full, then large"
    return {**row, "written": True, "valid": check.returncode == 0,
            "invalid": "" if check.returncode == 0 else check.stdout.strip()[:160],
            "status": kpis["status"], "objective": kpis["objective"], "route": route,
            "operations": len((out / "schedule.csv").read_text().splitlines()) - 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=24)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="15,40,120,400")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", default="sweep")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.plants):
            config, objective = draw(rng, sizes, args.seed * 1000 + k)
            plant = write_plant(config, Path(tmp) / f"plant{k}")
            row = {"plant": k, "orders": config.orders, "objective_text": objective,
                   "config": config.model_dump_json(exclude_defaults=True),
                   **solve(plant, Path(tmp) / f"out{k}", objective, args.time_limit,
                           args.workers)}
            print(row, flush=True)
            rows.append(row)
    write_csv(RESULTS / f"{args.name}.csv", rows)
    # 3: no schedule in time, 4: proved infeasible (listed, not counted as failures)
    bad = [r for r in rows if r["exit"] not in (0, 3, 4) or r["valid"] is False
           or r["traceback"] or not r["within"]]
    codes = sorted({r["exit"] for r in rows})
    exits = {code: sum(r["exit"] == code for r in rows) for code in codes}
    lines = [markdown_header("Sweep of random shop-floor plants", run_metadata()),
             f"{args.plants} plants (sizes {args.sizes} orders, seed {args.seed}), every generator "
             f"option drawn at random; `prodsched solve` as a process, {args.time_limit:g} s, "
             f"{args.workers} workers, a random objective; `prodsched validate` on what it wrote. "
             "Within: wall time at most the limit × 1.1 + 1 s.", "",
             f"Plants with a crash, an invalid schedule or an overrun: {len(bad)}. Exit codes: "
             + ", ".join(f"{code}: {n}" for code, n in exits.items()) + ".", "",
             "| plant | orders | operations | objective | route | exit | status | valid | wall s "
             "| within | error |", "|---:|---:|---:|---|---|---:|---|---|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r['plant']} | {r['orders']} | {r.get('operations', '')} | "
                     f"`{r['objective_text']}` | {r.get('route', '')} | {r['exit']} | "
                     f"{r.get('status', '')} | {r['valid']} | {r['wall_s']} | {r['within']} | "
                     f"{r['error'] or r.get('invalid', '')} |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
