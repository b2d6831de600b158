"""Family changeover probe: one machine, n one-unit orders of 25 products in 5
families; changeover 0 inside a family and 10 + 5·|a−b| between families a and
b; objective total setup time. The optimum is 60 (families visited in order).

Run:  python benchmarks/family_probe.py [--orders 200,2000] [--modes auto,batch]
Writes benchmarks/results/family_probe.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request

RESULTS = Path(__file__).resolve().parent / "results"
PRODUCTS = [f"p{i}" for i in range(25)]


def write_probe(folder: Path, orders: int, mode: str, seed: int = 0) -> Path:
    """The probe plant (mode ``auto`` leaves products.csv without a mode column)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    mode_col = "" if mode == "auto" else ",mode"
    (folder / "products.csv").write_text(
        f"product,family{mode_col}\n" + "".join(
            f"{p},F{i // 5}" + ("" if mode == "auto" else f",{mode}") + "\n"
            for i, p in enumerate(PRODUCTS)))
    (folder / "routings.csv").write_text(
        "product,step,machine,time_per_unit\n" + "".join(f"{p},1,M,1\n" for p in PRODUCTS))
    (folder / "setups.csv").write_text(
        "machine,from,to,time\n" + "".join(
            f"M,F{a},F{b},{10 + 5 * abs(a - b)}\n"
            for a in range(5) for b in range(5) if a != b))
    (folder / "orders.csv").write_text(
        "order_id,product,quantity\n" + "".join(
            f"o{i},{rng.choice(PRODUCTS)},1\n" for i in range(orders)))
    return folder


def run(orders: int, mode: str, time_limit: float, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_probe(Path(tmp) / "probe", orders, mode)
        started = time.monotonic()
        plant = load_plant(folder)
        request = SolveRequest(objective=parse_objective("setup-time"), time_limit=time_limit,
                               started_at=started, settings=SolverSettings(workers=workers))
        schedule = solve_request(plant, request)
        seconds = time.monotonic() - started
    info = schedule.info
    return {"orders": orders, "mode": mode, "status": schedule.status,
            "objective": schedule.info.objective, "bound": schedule.info.bound,
            "seconds": round(seconds, 2), "lots": info.model.lots,
            "circuit_arcs": info.model.circuit_arcs,
            "setups": schedule.kpis.setup_count, "makespan": schedule.kpis.makespan}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="200,2000")
    parser.add_argument("--modes", default="auto,batch")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    rows = []
    for n in (int(x) for x in args.orders.split(",")):
        for mode in args.modes.split(","):
            row = run(n, mode, args.time_limit, args.workers)
            print(row, flush=True)
            rows.append(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_csv(RESULTS / "family_probe.csv", rows)
    lines = [markdown_header("Family changeover probe", run_metadata()),
             f"One machine, 25 products in 5 families, n one-unit orders, changeover "
             f"10 + 5·|a−b| between families, objective setup time (optimum 60); whole "
             f"command timed (load, warm start, model, search, validation); "
             f"{args.workers} workers, limit {args.time_limit:g} s.", "",
             "| orders | mode | status | objective | bound | seconds | lots in model | "
             "circuit arcs | setups |", "|---:|---|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['orders']} | {r['mode']} | {r['status']} | {r['objective']:g} | "
              f"{r['bound']:g} | {r['seconds']} | {r['lots']} | {r['circuit_arcs']} | "
              f"{r['setups']} |" for r in rows]
    (RESULTS / "family_probe.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
