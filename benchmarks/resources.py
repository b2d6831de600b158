"""The price of the crew: generated plants with setup crews and an operator pool,
solved against the same plants without resources (issue 21, item 6).

Plants are generated to the plant format (``prodsched generate --setup-crews C
--operators K``: a ``setup_crew`` of capacity C held by every changeover that
takes time, an ``operator`` pool of K held by every run) at each size and crew
count. The same plant without resources (every ``resources`` cell emptied,
resources.csv dropped) is solved once per size with the same options; the
difference in objective is what the crews and operators cost. Every schedule
passes the validator inside the pipeline; a solve that fails is recorded as a
row with its error, not hidden.

Run:  python benchmarks/resources.py [--orders 50,200,1000] [--crews 1,2,3]
          [--operators 4] [--time-limit 60] [--workers 2] [--label TEXT]
Writes benchmarks/results/resources.csv and .md (date, commit, versions), or into --out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.pipeline import solve_request
from prodsched.plant.model import Plant, Step
from prodsched.request import SolveRequest
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
MACHINES = 6


def config(orders: int, crews: int, operators: int, seed: int) -> GeneratorConfig:
    """A plant of ``orders`` orders on 6 machines, family changeovers, with resources."""
    return GeneratorConfig(orders=orders, products=max(6, orders // 20), families=4,
                           machines=MACHINES, max_steps=3, alternatives=2, setup_ratio=0.5,
                           due_tightness=0.6, setup_crews=crews, operators=operators,
                           seed=seed)


def without_resources(plant: Plant) -> Plant:
    """The same plant with no shared resources at all."""
    routings = {product: tuple(Step(step.number, tuple(replace(o, resources=())
                                                        for o in step.options))
                               for step in steps)
                for product, steps in plant.routings.items()}
    rules = tuple(replace(r, resources=()) for r in plant.setup_rules)
    return replace(plant, routings=routings, setup_rules=rules, resources={})


def solve(plant: Plant, time_limit: float, workers: int, seed: int) -> tuple[Schedule | None,
                                                                              str, float]:
    """The schedule (or ``None`` and the error's first line) and the wall seconds."""
    started = time.monotonic()
    request = SolveRequest(objective=parse_objective(DEFAULT_OBJECTIVE), time_limit=time_limit,
                           started_at=started,
                           settings=SolverSettings(workers=workers, seed=seed))
    try:
        schedule = solve_request(plant, request)
    except Exception as err:  # a failed run is a result, not the end of the benchmark
        return None, f"{type(err).__name__}: {str(err).splitlines()[0]}", \
            time.monotonic() - started
    return schedule, "", time.monotonic() - started


def figures(schedule: Schedule | None, error: str) -> dict[str, Any]:
    if schedule is None:
        return {"status": "error", "note": error}
    k = schedule.kpis
    out: dict[str, Any] = {
        "status": schedule.status, "objective": schedule.info.objective,
        "weighted_tardiness": float(k.weighted_tardiness), "setups": k.setup_count,
        "setup_time": k.total_setup_time, "makespan": k.makespan, "note": ""}
    for name, use in schedule.resources.items():
        out[f"{name}_utilization"] = round(use.utilization, 4)
        out[f"{name}_peak"] = use.peak
    return out


def run_size(orders: int, crews: list[int], operators: int, time_limit: float, workers: int,
             seed: int) -> list[dict[str, Any]]:
    rows = []
    baseline: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for c in crews:
            plant = load_plant(write_plant(config(orders, c, operators, seed),
                                           Path(tmp) / f"plant{orders}-{c}"))
            if baseline is None:
                base, error, seconds = solve(without_resources(plant), time_limit, workers,
                                             seed)
                baseline = {**figures(base, error), "seconds": round(seconds, 1)}
            schedule, error, seconds = solve(plant, time_limit, workers, seed)
            row: dict[str, Any] = {"orders": orders, "crews": c, "operators": operators,
                                   **figures(schedule, error), "seconds": round(seconds, 1)}
            for key in ("status", "weighted_tardiness", "setup_time", "makespan"):
                row[f"free_{key}"] = baseline.get(key, "")
            if schedule is not None and baseline.get("weighted_tardiness") is not None:
                row["price_of_crew_wt"] = row["weighted_tardiness"] - \
                    baseline["weighted_tardiness"]
            rows.append(row)
            print(row, flush=True)
    return rows


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key, "")
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value).replace("|", "/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="50,200,1000")
    parser.add_argument("--crews", default="1,2,3")
    parser.add_argument("--operators", type=int, default=MACHINES - 2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="",
                        help="What this run is (e.g. 'smoke run'), written at the top.")
    parser.add_argument("--name", default="resources")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Folder for the results.")
    args = parser.parse_args(argv)
    crews = [int(x) for x in args.crews.split(",")]
    rows = []
    for n in (int(x) for x in args.orders.split(",")):
        rows += run_size(n, crews, args.operators, args.time_limit, args.workers, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / f"{args.name}.csv", rows)
    meta = run_metadata()
    lines = [markdown_header("The price of the crew: shared resources at growing size", meta)]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [
        f"Time limit {args.time_limit:g} s per solve, {args.workers} workers, seed "
        f"{args.seed}, objective `{DEFAULT_OBJECTIVE}`; timings on a shared machine. Plants: "
        f"`GeneratorConfig(orders=N, machines={MACHINES}, max_steps=3, alternatives=2, "
        "setup_ratio=0.5, due_tightness=0.6, setup_crews=C, operators=K)`: a `setup_crew` of "
        "capacity C held by every changeover that takes time, an `operator` pool of K held "
        "by every run. *Free* is the same plant without any resource, solved with the same "
        "options; the price of the crew is weighted tardiness with resources minus free.",
        "",
        "| orders | crews | operators | status | weighted tardiness | setup time | makespan "
        "| crew util. | operator util. | free status | free WT | free makespan | price (WT) "
        "| s | note |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append("| " + " | ".join(_cell(r, k) for k in (
            "orders", "crews", "operators", "status", "weighted_tardiness", "setup_time",
            "makespan", "setup_crew_utilization", "operator_utilization", "free_status",
            "free_weighted_tardiness", "free_makespan", "price_of_crew_wt", "seconds",
            "note")) + " |")
    (args.out / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
