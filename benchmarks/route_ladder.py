"""No cliff between routes: the default solve against both routes forced (issue 23, item 2).

A ladder of generated batch/mass plants (50 … 5,000 orders). On each, the
same request is solved three ways: the full job-shop model forced
(``SolveRequest.large=False``), the large-plant route forced (``large=True``)
and the default (the pipeline chooses, :func:`prodsched.budget.is_large`).
The default is compared with the better of the two forced routes; the goal is
never more than 2 % worse. A forced route that fails (no schedule, memory) is
a row with its error, not a hidden one. Every schedule passes the validator
inside the pipeline.

Run:  python benchmarks/route_ladder.py [--orders 50,100,200,500,1000,2000,5000]
          [--time-limit 60] [--workers 2] [--seed 1] [--label TEXT]
          [--objective weighted-tardiness=1,setup-cost=1,holding-cost=1]
Writes benchmarks/results/route_ladder.csv and .md (date, commit, versions), or into --out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.plant.model import Mode, Plant
from prodsched.request import SolveRequest

RESULTS = Path(__file__).resolve().parent / "results"
OBJECTIVE = "weighted-tardiness=1,setup-cost=1,holding-cost=1"
ROUTES: dict[str, bool | None] = {"default": None, "full": False, "large": True}


def config(orders: int, seed: int) -> GeneratorConfig:
    """A batch/mass plant whose machines and products grow with the orders."""
    products = min(100, max(8, orders // 20))
    return GeneratorConfig(orders=orders, products=products, families=max(3, products // 5),
                           machines=min(50, max(5, orders // 40)), max_steps=3,
                           alternatives=2, setup_ratio=0.5, due_tightness=0.5,
                           mode_mix={Mode.BATCH: 0.5, Mode.MASS: 0.5}, seed=seed)


def solve(plant: Plant, large: bool | None, time_limit: float, workers: int,
          seed: int, objective: str = OBJECTIVE) -> dict[str, Any]:
    """One solve: objective, route taken, status, seconds (or the error)."""
    started = time.monotonic()
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           started_at=started, large=large,
                           settings=SolverSettings(workers=workers, seed=seed))
    try:
        schedule = solve_request(plant, request)
    except Exception as err:  # a failed route is a result
        return {"status": "error", "note": f"{type(err).__name__}: "
                f"{(str(err).splitlines() or [''])[0][:80]}",
                "seconds": round(time.monotonic() - started, 1)}
    model = schedule.info.model
    kind = model.kind if model is not None else "full"
    return {"status": schedule.status, "objective": float(schedule.info.objective or 0),
            "route": ("full, then large" if "handed_over" in schedule.info.details
                      else "large" if kind == "lns" else "full"),
            "seconds": round(time.monotonic() - started, 1), "note": ""}


def run_size(orders: int, time_limit: float, workers: int, seed: int,
             objective: str = OBJECTIVE) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(config(orders, seed), Path(tmp) / f"plant{orders}"))
        operations = sum(len(plant.routings[o.product]) for o in plant.orders)
        row: dict[str, Any] = {"orders": orders, "operations": operations}
        for name, large in ROUTES.items():
            result = solve(plant, large, time_limit, workers, seed, objective)
            for key, value in result.items():
                row[f"{name}_{key}"] = value
            print(orders, name, result, flush=True)
    forced = [row.get(f"{n}_objective") for n in ("full", "large")]
    values = [v for v in forced if v is not None]
    if values and row.get("default_objective") is not None:
        best = min(values)
        row["best_forced"] = best
        row["gap_pct"] = round(100 * (row["default_objective"] - best) / best, 2) \
            if best > 0 else (0.0 if row["default_objective"] == 0 else float("inf"))
    return row


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"
    return str(value).replace("|", "/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="50,100,200,500,1000,2000,5000")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="")
    parser.add_argument("--objective", default=OBJECTIVE)
    parser.add_argument("--name", default="route_ladder")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = [run_size(int(n), args.time_limit, args.workers, args.seed, args.objective)
            for n in args.orders.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / f"{args.name}.csv", rows)
    lines = [markdown_header("No cliff between routes: default against both routes forced",
                             run_metadata())]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [
        f"Objective `{args.objective}`, {args.time_limit:g} s per solve, {args.workers} workers, "
        f"seed {args.seed}; plants `{config(1, args.seed).model_dump(exclude={'orders'})}` "
        "with products = min(100, max(8, N/20)), families = max(3, products/5), machines = "
        "min(50, max(5, N/40)). Gap: default against the better forced route (goal: at most "
        "2 %). Timings on a shared machine.", "",
        "| orders | operations | default (route) | full forced | large forced | gap % | note |",
        "|---:|---:|---|---|---|---:|---|"]
    for r in rows:
        note = "; ".join(str(r[k]) for k in ("default_note", "full_note", "large_note")
                         if r.get(k))
        lines.append(
            f"| {r['orders']} | {r['operations']} | {_cell(r, 'default_objective')} "
            f"({_cell(r, 'default_route')}) | {_cell(r, 'full_objective')} | "
            f"{_cell(r, 'large_objective')} | {_cell(r, 'gap_pct')} | {note} |")
    (args.out / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
