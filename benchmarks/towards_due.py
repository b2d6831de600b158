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
import sys
from pathlib import Path
from typing import Any

from paired import by_plant, cases, run_pair, summary_line
from route_ladder import OBJECTIVE

import prodsched.heuristics.warmstart as warmstart
import prodsched.lns.search as search
import prodsched.lns.start as start
import prodsched.pipeline as pipeline
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"


def _off(*_: object, **__: object) -> None:
    return None


def _unchanged(plant: object, ops: list[Any], *_: object, **__: object) -> list[Any]:
    return list(ops)


ON = (search.towards_due, start.towards_due, warmstart.delay_to_due, pipeline.delay_to_due)
OFF = (_off, _off, _unchanged, _unchanged)


def _switch(on: bool) -> None:
    """The pass on or off, in the search, the large-plant start, the warm start and the
    full route's final schedule."""
    (search.towards_due, start.towards_due, warmstart.delay_to_due,
     pipeline.delay_to_due) = ON if on else OFF


def _delays(schedule: Schedule) -> dict[str, Any]:
    lns = schedule.info.details.get("lns")
    return {"delays_kept": lns.delays_kept if lns is not None else None}


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
    rows = [r for case in cases(args.ladder, args.plants, args.sweep, args.sizes)
            for r in run_pair(case, _switch, args.time_limit, args.workers, _delays)]
    write_csv(RESULTS / f"{args.name}.csv", rows)
    pairs = by_plant(rows)
    lines = [markdown_header("Runs moved towards their due dates, off and on", run_metadata())]
    if args.label:
        lines += [f"**{args.label}**", ""]
    lines += [f"Objective `{OBJECTIVE}`, {args.time_limit:g} s, {args.workers} workers, the "
              "default route; every schedule passed the validator. Off / on: objective "
              "(weighted tardiness + holding cost + setup cost).", "",
              "| plant | route | off | on | on / off | holding off → on | passes kept |",
              "|---|---|---:|---:|---:|---|---:|"]
    for name, pair in pairs.items():
        off, on = pair["off"], pair["on"]
        ratio = on["objective"] / off["objective"] if off["objective"] > 0 else float("nan")
        lines.append(f"| {name} | {on['route']} | {off['objective']:,.0f} | "
                     f"{on['objective']:,.0f} | {ratio:.3f} | {off['holding_cost']:,.0f} → "
                     f"{on['holding_cost']:,.0f} | {on['delays_kept'] or 0} |")
    lines += ["", summary_line([((p["off"]["objective"],), (p["on"]["objective"],))
                                for p in pairs.values()])]
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
