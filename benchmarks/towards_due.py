"""Runs moved towards their due dates on and off, paired on the same plants.

Where holding cost counts, the large-plant route moves early runs later in one
pass (:mod:`prodsched.lns.towards_due`): each start candidate is judged so,
the search starts with it and repeats it after every round of lot moves; the
full route tries its warm start and its final schedule with it
(:func:`prodsched.timeline.delay_to_due`). This solves each plant twice with
the default route choice, once with the pass off (``towards_due`` answering
"nothing better", the full route's warm start and final schedule left as they
are) and once on, and checks every schedule with the validator. Plants: the batch/mass plants of
``route_ladder.py`` (``--ladder`` orders × ``--plants`` seeds) and random
plants of ``sweep.py`` (``--sweep`` of them, sizes ``--sizes``: shifts,
pauses, crews, operators, calendars drawn at random), all under the
objective ``weighted-tardiness=1,setup-cost=1,holding-cost=1``.

Run:  python benchmarks/towards_due.py [--ladder 200,500,1000] [--plants 1-2]
          [--sweep 4] [--sizes 150,400,1000] [--time-limit 20] [--workers 2]
          [--label TEXT] [--name towards_due]
Writes benchmarks/results/<name>.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from route_ladder import OBJECTIVE, config
from sweep import draw

import prodsched.heuristics.warmstart as warmstart
import prodsched.lns.search as search
import prodsched.lns.start as start
import prodsched.pipeline as pipeline
from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.request import SolveRequest
from prodsched.validate.check import schedule_violations

RESULTS = Path(__file__).resolve().parent / "results"


def _off(*_: object, **__: object) -> None:
    return None


def _unchanged(plant: object, ops: list[Any], *_: object, **__: object) -> list[Any]:
    return list(ops)


def run_pair(name: str, cfg: GeneratorConfig, time_limit: float, workers: int
             ) -> list[dict[str, Any]]:
    """One plant, the pass off then on."""
    on = (search.towards_due, start.towards_due, warmstart.delay_to_due, pipeline.delay_to_due)
    off = (_off, _off, _unchanged, _unchanged)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(cfg, Path(tmp) / "plant"))
        for variant in ("off", "on"):
            (search.towards_due, start.towards_due, warmstart.delay_to_due,
             pipeline.delay_to_due) = off if variant == "off" else on
            began = time.monotonic()
            request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=time_limit,
                                   started_at=began,
                                   settings=SolverSettings(workers=workers, seed=1))
            try:
                schedule = solve_request(plant, request)
            finally:
                (search.towards_due, start.towards_due, warmstart.delay_to_due,
                 pipeline.delay_to_due) = on
            assert not schedule_violations(schedule)
            kpis = schedule.kpis
            lns = schedule.info.details.get("lns")
            row = {"plant": name, "orders": len(plant.orders), "variant": variant,
                   "objective": float(schedule.info.objective or 0),
                   "weighted_tardiness": float(kpis.weighted_tardiness),
                   "holding_cost": float(kpis.holding_cost),
                   "route": "large" if lns is not None else "full",
                   "delays_kept": lns.delays_kept if lns is not None else None,
                   "seconds": round(time.monotonic() - began, 1)}
            print(row, flush=True)
            out.append(row)
    return out


def plants(ladder: str, seeds: str, sweep: int, sizes: str) -> list[tuple[str, GeneratorConfig]]:
    """(name, configuration) of every plant."""
    first, _, last = seeds.partition("-")
    out = [(f"ladder {n} / {s}", config(int(n), s)) for n in filter(None, ladder.split(","))
           for s in range(int(first), int(last or first) + 1)]
    rng = random.Random(23)
    for k in range(sweep):
        cfg, _ = draw(rng, [int(n) for n in sizes.split(",")], 23_000 + k)
        out.append((f"sweep {k} ({cfg.orders})", cfg))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ladder", default="200,500,1000")
    parser.add_argument("--plants", default="1-2")
    parser.add_argument("--sweep", type=int, default=4)
    parser.add_argument("--sizes", default="150,400,1000")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="")
    parser.add_argument("--name", default="towards_due")
    args = parser.parse_args(argv)
    rows = [r for name, cfg in plants(args.ladder, args.plants, args.sweep, args.sizes)
            for r in run_pair(name, cfg, args.time_limit, args.workers)]
    write_csv(RESULTS / f"{args.name}.csv", rows)
    pairs: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        pairs.setdefault(r["plant"], {})[r["variant"]] = r
    lines = [markdown_header("Runs moved towards their due dates, off and on", run_metadata())]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [f"Objective `{OBJECTIVE}`, {args.time_limit:g} s, {args.workers} workers, the "
              "default route; every schedule passed the validator. Off / on: objective "
              "(weighted tardiness + holding cost + setup cost).", "",
              "| plant | route | off | on | on / off | holding off → on | passes kept |",
              "|---|---|---:|---:|---:|---|---:|"]
    logs = []
    for name, pair in pairs.items():
        off, on = pair["off"], pair["on"]
        ratio = on["objective"] / off["objective"] if off["objective"] > 0 else float("nan")
        if off["objective"] > 0 and on["objective"] > 0:
            logs.append(math.log(ratio))
        lines.append(f"| {name} | {on['route']} | {off['objective']:,.0f} | "
                     f"{on['objective']:,.0f} | {ratio:.3f} | {off['holding_cost']:,.0f} → "
                     f"{on['holding_cost']:,.0f} | {on['delays_kept'] or 0} |")
    better = sum(p["on"]["objective"] < p["off"]["objective"] for p in pairs.values())
    worse = sum(p["on"]["objective"] > p["off"]["objective"] for p in pairs.values())
    mean = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    lines += ["", f"On lower on {better} plants, higher on {worse}, of {len(pairs)}; "
              f"geometric mean of on / off: {mean:.3f}."]
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
