"""Lot windows on and off, paired on the same plants (issue 23, item 1).

The large-plant route is forced on plants of ``route_ladder.py`` (seeds
``--plants``), once with lot windows (:mod:`prodsched.lns.lot_window`, the
adaptive share of :class:`prodsched.lns.search.Mix`) and once without (share
0). Runs are repeatable (one worker: a deterministic budget bounds the
search), so each pair differs only by the lot windows and the path they set
the search on. Reported: per plant both objectives, and over all plants how
many are better, worse, and the geometric mean of on / off.

Run:  python benchmarks/lot_windows.py [--orders 20,30,50] [--plants 1-6]
          [--time-limit 40] [--objective TEXT] [--label TEXT] [--name lot_windows]
Writes benchmarks/results/<name>.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from route_ladder import OBJECTIVE, config

import prodsched.lns.search as search
from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.request import SolveRequest
from prodsched.validate.check import schedule_violations

RESULTS = Path(__file__).resolve().parent / "results"


def run_pair(orders: int, plant_seed: int, time_limit: float, objective: str
             ) -> list[dict[str, Any]]:
    """The large-plant route on one plant, lot windows off then on."""
    default = (search.RESIZE_SHARE, search.RESIZE_SHARE_RANGE)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(config(orders, plant_seed), Path(tmp) / "plant"))
        for variant, share in (("off", (0.0, (0.0, 0.0))), ("on", default)):
            search.RESIZE_SHARE, search.RESIZE_SHARE_RANGE = share
            started = time.monotonic()
            request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                                   started_at=started, large=True,
                                   settings=SolverSettings(workers=1, seed=1))
            schedule = solve_request(plant, request)
            search.RESIZE_SHARE, search.RESIZE_SHARE_RANGE = default
            assert not schedule_violations(schedule)
            lns = schedule.info.details.get("lns")
            values = [float(v or 0) for v in schedule.info.objective_values or []]
            row = {"orders": orders, "plant_seed": plant_seed, "lot_windows": variant,
                   "objective": float(schedule.info.objective or 0),
                   "values": " / ".join(f"{v:g}" for v in values),
                   "windows": lns.windows if lns else None,
                   "lot_windows_tried": lns.lot_windows if lns else None,
                   "lot_windows_kept": lns.lot_windows_kept if lns else None,
                   "seconds": round(time.monotonic() - started, 1)}
            print(row, flush=True)
            out.append(row)
    return out


def _values(row: dict[str, Any]) -> tuple[float, ...]:
    return tuple(float(v) for v in str(row["values"]).split(" / ") if v)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="20,30,50")
    parser.add_argument("--plants", default="1-6")
    parser.add_argument("--time-limit", type=float, default=40.0)
    parser.add_argument("--objective", default=OBJECTIVE)
    parser.add_argument("--label", default="")
    parser.add_argument("--name", default="lot_windows")
    args = parser.parse_args(argv)
    first, _, last = args.plants.partition("-")
    seeds = range(int(first), int(last or first) + 1)
    rows = [r for n in args.orders.split(",") for s in seeds
            for r in run_pair(int(n), s, args.time_limit, args.objective)]
    write_csv(RESULTS / f"{args.name}.csv", rows)
    pairs: dict[tuple[int, int], dict[str, dict[str, Any]]] = {}
    for r in rows:
        pairs.setdefault((r["orders"], r["plant_seed"]), {})[r["lot_windows"]] = r
    lines = [markdown_header("Lot windows on and off (large-plant route, repeatable)",
                             run_metadata())]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [f"Objective `{args.objective}`, time limit {args.time_limit:g} s, one worker "
              "(the deterministic budget bounds the search), large-plant route forced, "
              "plants of `route_ladder.py`.", "",
              "| orders | plant seed | off | on | lot windows kept / tried |",
              "|---:|---:|---:|---:|---|"]
    logs, better, worse = [], 0, 0
    for (orders, seed), pair in pairs.items():
        off, on = _values(pair["off"]), _values(pair["on"])
        better += on < off
        worse += on > off
        # the ratio in the first stage where they differ (lexicographic objectives)
        differ = next(((a, b) for a, b in zip(off, on, strict=True) if a != b), None)
        if differ is not None and differ[0] > 0 and differ[1] > 0:
            logs.append(math.log(differ[1] / differ[0]))
        lines.append(f"| {orders} | {seed} | {pair['off']['values']} | {pair['on']['values']} | "
                     f"{pair['on']['lot_windows_kept']} / {pair['on']['lot_windows_tried']} |")
    ratio = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    lines += ["", f"On better on {better} plants, worse on {worse}, of {len(pairs)} "
              "(lexicographically); geometric mean of on / off in the first stage where they "
              f"differ (pairs where it is 0 on either side left out): {ratio:.3f}."]
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
