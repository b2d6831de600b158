"""The route ladder with its run-to-run spread (issue 23, item 2).

``route_ladder.py`` solves each plant once per route. With 2 workers and a
wall-clock limit one run of a route differs from the next by up to 20 % on
these plants, so one run per route cannot tell a cliff from noise. Here each
route is forced ``--runs`` times on the same plant, with solver seeds
``seed, seed + 1, …``, and so is the default solve; the default's median is
compared with the better forced median. The route the default took is read
from its solves (``info.model.kind``).

Run:  python benchmarks/route_spread.py [--orders 50,100,200] [--runs 3]
          [--time-limit 60] [--workers 2] [--seed 1] [--label TEXT]
          [--objective weighted-tardiness=1,setup-cost=1,holding-cost=1]
          [--routes default,full,large] [--name route_spread]
Writes benchmarks/results/NAME.csv and .md (date, commit, versions). With
``--routes default`` only the default solve runs (e.g. after a change that the
forced routes do not go through); the gap then needs the forced runs of a
result file at the same plant and seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from route_ladder import OBJECTIVE, config, solve

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.generate import write_plant

RESULTS = Path(__file__).resolve().parent / "results"


ROUTES = {"default": None, "full": False, "large": True}  # SolveRequest.large of each


def run_size(orders: int, runs: int, time_limit: float, workers: int, seed: int,
             objective: str = OBJECTIVE, routes: tuple[str, ...] = tuple(ROUTES)
             ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The default and both routes forced (or ``routes`` of them) ``runs`` times on one
    plant: a summary row and every run."""
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(config(orders, seed), Path(tmp) / f"plant{orders}"))
        runs_out = []
        values: dict[str, list[float]] = {route: [] for route in ROUTES}
        for k in range(runs):
            for route in routes:
                result = solve(plant, ROUTES[route], time_limit, workers, seed + k, objective)
                result.update(orders=orders, route_forced=route, solver_seed=seed + k)
                print(result, flush=True)
                runs_out.append(result)
                if result.get("objective") is not None:
                    values[route].append(float(result["objective"]))
    # the route the default took (the pipeline's choice, read from the solve)
    taken = {str(r["route"]) for r in runs_out
             if r["route_forced"] == "default" and r.get("route") is not None}
    row: dict[str, Any] = {"orders": orders, "default_route": " / ".join(sorted(taken))}
    for route, got in values.items():
        row[f"{route}_median"] = statistics.median(got) if got else None
        row[f"{route}_min"] = min(got, default=None)
        row[f"{route}_max"] = max(got, default=None)
    medians = [v for v in (row["full_median"], row["large_median"]) if v is not None]
    chosen = row["default_median"]
    if medians and chosen is not None:
        best = min(medians)
        row["gap_pct"] = round(100 * (chosen - best) / best, 2) if best > 0 else 0.0
    return row, runs_out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="50,100,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--objective", default=OBJECTIVE)
    parser.add_argument("--label", default="")
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--name", default="route_spread")
    args = parser.parse_args(argv)
    routes = tuple(args.routes.split(","))
    if not set(routes) <= set(ROUTES):
        parser.error(f"--routes: each of {', '.join(ROUTES)}")
    rows, every = [], []
    for n in args.orders.split(","):
        row, runs = run_size(int(n), args.runs, args.time_limit, args.workers, args.seed,
                             args.objective, routes)
        rows.append(row)
        every += runs
    write_csv(RESULTS / f"{args.name}.csv", every)
    lines = [markdown_header("Route ladder with its spread: medians of repeated runs",
                             run_metadata())]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [f"Objective `{args.objective}`, {args.time_limit:g} s per solve, {args.workers} "
              f"workers, plants of `route_ladder.py` (seed {args.seed}); routes "
              f"{', '.join(routes)} (default: the route the pipeline chooses; full, large: "
              f"forced), {args.runs} times each (solver seeds {args.seed}–"
              f"{args.seed + args.runs - 1}). Gap: the default's median against the better "
              "forced median (goal: at most 2 %).", "",
              "| orders | default | default: median (min–max) | full: median (min–max) | "
              "large: median (min–max) | gap % |", "|---:|---|---|---|---|---:|"]
    for r in rows:
        lines.append(f"| {r['orders']} | {r['default_route']} | {_spread(r, 'default')} | "
                     f"{_spread(r, 'full')} | {_spread(r, 'large')} | {r.get('gap_pct', '–')} |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


def _spread(row: dict[str, Any], route: str) -> str:
    median = row.get(f"{route}_median")
    if median is None:
        return "–"
    return f"{median:,.0f} ({row[f'{route}_min']:,.0f}–{row[f'{route}_max']:,.0f})"


if __name__ == "__main__":
    sys.exit(main())
