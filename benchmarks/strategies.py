"""Changeover strategies benchmark: regenerates benchmarks/results/strategies/.

Three parts (each can be run alone):

- ``main``: six generated plants on seeds the project never tuned on
  (9101–9106) × every strategy; optimizers get 30 s and 2 workers, runs go
  one at a time so they do not compete for the cores. Writes runs.csv.
- ``smed``: the same plants with every changeover scaled 1.0 … 0.1, fixed
  lot sizes 0.5–8 × the mean order and the other lot-sizing heuristics.
  Writes smed.csv.
- ``dask``: a 100-run sweep (10 small plants × 10 strategies, CP-SAT with one
  worker and deterministic time) run locally and on a local Dask cluster;
  the rows must be identical but for timing. Writes dask_sweep.csv and
  dask_sweep.md.

Then report.md, report.html and the charts are written from runs.csv and
smed.csv.

Run:  python benchmarks/strategies.py [main] [smed] [dask] [report]   (default: all)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.smed import DEFAULT_SCALES, lot_strategies
from prodsched.bench.strategies import (
    PlantSpec,
    comparable,
    make_tasks,
    run_dask,
    run_local,
    write_rows,
)
from prodsched.bench.strategy_report import ReportInput, write_report
from prodsched.generate import GeneratorConfig
from prodsched.strategies import BENCH_OBJECTIVE, REGISTRY, StrategySettings

OUT = Path(__file__).resolve().parent / "results" / "strategies"
TIME_LIMIT = 30.0
WORKERS = 2

PLANTS = [
    PlantSpec(name="auto-40", generator=GeneratorConfig(
        orders=40, products=8, families=3, machines=4, setup_ratio=0.5, seed=9101)),
    PlantSpec(name="mixed-calendar-40", generator=GeneratorConfig(
        orders=40, products=8, families=3, machines=4, setup_ratio=1.0, calendar=True,
        mode_mix="batch=0.5,mass=0.3,one-off=0.2", seed=9102)),
    PlantSpec(name="batch-mass-60", generator=GeneratorConfig(
        orders=60, products=10, families=4, machines=5, setup_ratio=0.5, due_tightness=0.6,
        mode_mix="batch=0.5,mass=0.5", seed=9103)),
    PlantSpec(name="one-off-30", generator=GeneratorConfig(
        orders=30, products=6, families=3, machines=3, setup_ratio=1.0, mode_mix="one-off",
        initial_states=True, seed=9104)),
    PlantSpec(name="all-modes-50", generator=GeneratorConfig(
        orders=50, products=10, families=4, machines=4, setup_ratio=0.5, calendar=True,
        datetimes=True, mode_mix="one-off=1,batch=1,mass=1,auto=1", seed=9105)),
    PlantSpec(name="auto-heavy-setups-40", generator=GeneratorConfig(
        orders=40, products=8, families=3, machines=4, setup_ratio=1.5, seed=9106)),
]
SMED_STRATEGIES = [*lot_strategies(), "eoq", "common-cycle", "product-wheel", "edd", "atcs"]
DASK_PLANTS = [PlantSpec(name=f"small-{seed}", generator=GeneratorConfig(
    orders=20, products=5, families=2, machines=3, setup_ratio=0.8,
    mode_mix="one-off=1,batch=1,mass=1,auto=1", seed=seed)) for seed in range(9201, 9211)]
DASK_STRATEGIES = ["fifo", "edd", "spt", "atcs", "nearest-setup", "family-campaigns",
                   "fixed-lot", "eoq", "product-wheel", "cpsat-lots"]


def progress(label: str, total: int):  # type: ignore[no-untyped-def]
    done = [0]

    def show(row: dict) -> None:  # type: ignore[type-arg]
        done[0] += 1
        print(f"[{label} {done[0]}/{total}] {row['plant']} {row['strategy']} "
              f"x{row['setup_scale']}: score {row['score']} valid {row['valid']} "
              f"{row['wall_seconds']} s {row['note'] or ''}", flush=True)

    return show


def main_grid() -> None:
    settings = StrategySettings(objective=BENCH_OBJECTIVE, time_limit=TIME_LIMIT,
                                workers=WORKERS)
    tasks = make_tasks(PLANTS, list(REGISTRY), [0], settings)
    rows = run_local(tasks, jobs=1, progress=progress("main", len(tasks)))
    write_rows(OUT / "runs.csv", rows)


def smed_grid() -> None:
    tasks = make_tasks(PLANTS, SMED_STRATEGIES, [0], StrategySettings(), DEFAULT_SCALES)
    rows = run_local(tasks, jobs=2, progress=progress("smed", len(tasks)))
    write_rows(OUT / "smed.csv", rows)


def dask_sweep() -> None:
    from distributed import LocalCluster

    settings = StrategySettings(time_limit=120, workers=1, deterministic_seconds=2.0)
    tasks = make_tasks(DASK_PLANTS, DASK_STRATEGIES, [0], settings)
    started = time.monotonic()
    local = run_local(tasks, jobs=2, progress=progress("local", len(tasks)))
    local_s = time.monotonic() - started
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        started = time.monotonic()
        remote = run_dask(tasks, cluster.scheduler_address,
                          progress=progress("dask", len(tasks)))
        dask_s = time.monotonic() - started
    write_rows(OUT / "dask_sweep.csv", remote)
    same = comparable(local) == comparable(remote)
    diffs = [(a["plant"], a["strategy"]) for a, b in
             zip(comparable(local), comparable(remote), strict=True) if a != b]
    valid = sum(1 for r in remote if r["valid"])
    text = (markdown_header("Strategy sweep: local processes against a Dask cluster",
                            run_metadata())
            + f"\n- runs: {len(tasks)} ({len(DASK_PLANTS)} plants, seeds 9201-9210, x "
            f"{len(DASK_STRATEGIES)} strategies: {', '.join(DASK_STRATEGIES)})\n"
            f"- CP-SAT: 1 worker, {settings.deterministic_seconds:g} deterministic seconds\n"
            f"- local: 2 processes, {local_s:.1f} s; Dask: LocalCluster(n_workers=2, "
            f"threads_per_worker=1, processes=True), {dask_s:.1f} s\n"
            f"- valid schedules: {valid} of {len(remote)}\n"
            f"- identical rows (all columns but solve_seconds and wall_seconds): "
            f"{'yes' if same else 'NO: ' + str(diffs)}\n")
    (OUT / "dask_sweep.md").write_text(text, encoding="utf-8")
    print(text)


def report() -> None:
    runs = pd.read_csv(OUT / "runs.csv")
    smed_path = OUT / "smed.csv"
    smed = pd.read_csv(smed_path) if smed_path.exists() else None
    kinds = {name: s.kind for name, s in REGISTRY.items()}
    kinds.update({name: "heuristic" for name in SMED_STRATEGIES})
    plants = "; ".join(f"{p.name} ({', '.join(f'{k}={v}' for k, v in p.generator.model_dump(exclude_defaults=True, mode='json').items())})"  # noqa: E501
                       for p in PLANTS if p.generator is not None)
    notes = [f"- score (lower is better), the same for every strategy: `{BENCH_OBJECTIVE}`",
             f"- optimizers: {TIME_LIMIT:g} s wall time, {WORKERS} CP-SAT workers, one run at "
             "a time; heuristics are deterministic",
             "- plants (generated; seeds 9101-9106, never used while developing): " + plants,
             "- every schedule is checked by the validator (column `valid` in runs.csv)"]
    info = ReportInput("Changeover strategies", run_metadata(), notes)
    for path in write_report(runs, smed, kinds, info, OUT):
        print("wrote", path)


if __name__ == "__main__":
    parts = sys.argv[1:] or ["main", "smed", "dask", "report"]
    OUT.mkdir(parents=True, exist_ok=True)
    for part in parts:
        {"main": main_grid, "smed": smed_grid, "dask": dask_sweep, "report": report}[part]()
