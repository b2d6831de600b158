"""Calibrate the time budget of prodsched.budget against measurements on this machine.

For bundled and generated plants of growing size, measures:

- model build seconds against ``ModelSize.build_seconds`` (the estimate made
  before building, from which busy machines' arcs are cut);
- finish seconds (decode, left shift, validation, rendering) against
  ``ModelSize.finish_seconds``;
- with one worker, CP-SAT's deterministic seconds per wall second of search
  (the rate that turns a time limit into a deterministic budget).

Run:  python benchmarks/calibrate_budget.py [--orders 30,100,300,1000] [--search 10]
Writes benchmarks/results/calibrate_budget.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.budget import ModelSize, fitting
from prodsched.cpsat_runner import RunResult, SolverSettings, run_stages
from prodsched.examples import EXAMPLES, write_example
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.heuristics.warmstart import choose_warm_start
from prodsched.jobshop.builder import JobShopModel
from prodsched.jobshop.solution import add_hint, decode
from prodsched.lots.plan import plan_lots
from prodsched.lots.realize import realizations
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.pipeline import LARGE_MODEL, _finish
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import SolveInfo
from prodsched.schedule.stats import SolveStatus
from prodsched.stop import Stop

RESULTS = Path(__file__).resolve().parent / "results"


def measure(name: str, folder: Path, max_arcs: int, search: float) -> dict[str, object]:
    plant = load_plant(folder)
    objective = parse_objective(DEFAULT_OBJECTIVE)
    setups = SetupTable(plant)
    plan = plan_lots(plant)
    warm = choose_warm_start(plant, fitting(realizations(plan), plan), setups, objective,
                             stop=Stop(time.monotonic() + 600), plan=plan)
    size = ModelSize.of(plant, plan, setups)
    started = time.monotonic()
    jm = JobShopModel(plant, plan, setups, objective, reference=warm.best.ops,
                      max_arcs_per_machine=max_arcs)
    add_hint(jm, warm.best.ops)
    stages = [(str(s), *jm.stage_expression(s)) for s in objective.stages[:1]]
    build = time.monotonic() - started
    settings = SolverSettings(workers=1, seed=0, light_presolve=jm.size() > LARGE_MODEL)
    started = time.monotonic()
    run = run_stages(jm.model, stages, settings, Stop(time.monotonic() + search))
    wall = time.monotonic() - started
    det = sum(s.deterministic_seconds for s in run.stages)
    started = time.monotonic()
    if run.values is not None:
        lots, ops = decode(jm, run.value)
    else:
        lots, ops, run = warm.best.lots, warm.best.ops, RunResult()
    schedule = _finish(plant, lots, ops, SolveStatus.FEASIBLE, objective, run, SolveInfo(),
                       time.monotonic(), setups)
    schedule.render()
    finish = time.monotonic() - started
    return {
        "plant": name, "max_arcs": max_arcs, "operations": size.ops,
        "arcs_estimate": size.arcs(max_arcs),
        "arcs_built": sum(len(s.arcs) for s in jm.sequences.values()),
        "build_estimate_s": round(size.build_seconds(max_arcs), 2), "build_s": round(build, 2),
        "finish_estimate_s": round(size.finish_seconds(), 2), "finish_s": round(finish, 2),
        "search_wall_s": round(wall, 2), "search_det_s": round(det, 2),
        "det_per_wall_s": round(det / wall, 3) if wall > 0 else None,
        "search_status": run.stages[0].status if run.stages else "none",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="30,100,300,1000")
    parser.add_argument("--search", type=float, default=10.0,
                        help="Wall seconds of one-worker search per plant.")
    parser.add_argument("--arcs", default="40000,5000")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        plants = []
        for name in EXAMPLES:
            plants.append((name, write_example(name, Path(tmp) / name)))
        for n in (int(x) for x in args.orders.split(",")):
            config = GeneratorConfig(orders=n, products=max(6, n // 20), families=4,
                                     machines=8, max_steps=3, alternatives=2, setup_ratio=0.5,
                                     due_tightness=0.6, calendar=True, datetimes=True, seed=1)
            plants.append((f"generated {n}", write_plant(config, Path(tmp) / f"g{n}")))
        for name, folder in plants:
            for max_arcs in (int(a) for a in args.arcs.split(",")):
                row = measure(name, folder, max_arcs, args.search)
                print(row, flush=True)
                rows.append(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_csv(RESULTS / "calibrate_budget.csv", rows)
    ratios = [r["det_per_wall_s"] for r in rows if r["det_per_wall_s"]]
    build_ratio = [r["build_s"] / r["build_estimate_s"] for r in rows  # type: ignore[operator]
                   if r["build_estimate_s"]]
    finish_ratio = [r["finish_s"] / r["finish_estimate_s"] for r in rows]  # type: ignore[operator]
    lines = [markdown_header("Calibration of the time budget", run_metadata()),
             f"One worker, {args.search:g} s of search (first criterion of "
             f"`{DEFAULT_OBJECTIVE}`) per plant and arc cap. Measured/estimated build: median "
             f"{statistics.median(build_ratio):.2f}, max {max(build_ratio):.2f}; finish: median "
             f"{statistics.median(finish_ratio):.2f}, max {max(finish_ratio):.2f}. "
             f"Deterministic s per wall s: min {min(ratios):.3f}, median "
             f"{statistics.median(ratios):.3f}, max {max(ratios):.3f}.", "",
             "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(str(v) for v in r.values()) + " |" for r in rows]
    (RESULTS / "calibrate_budget.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
