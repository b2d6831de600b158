"""Moves of the large-plant search on and off, paired on the same plants.

``--off route-windows``: the search frees one window at a time and holds a
lot's steps outside it in place, so its machine-group windows move a lot
routed over several machines one step at a time. Every third window is
instead taken around every step of one costly lot
(:meth:`prodsched.lns.window.Neighbourhoods.route`), so that a window can move
the lot along its whole routing; off, the third window slides as the others do.

(Measured and taken out: ``--off earlier-splits`` at 2461a9b and dee0b3d, a
split whose first piece moved ahead to where its due date put it, the new lot
taking the lot's place; see ``results/earlier_splits_*.md``. And
``--off adaptive-kinds`` at ac5bf4a: sliding, late and route windows drawn by
what each had gained per second instead of in turn; 3 lower, 7 higher,
geometric mean 1.013, see ``results/adaptive_kinds.md``: at 20 s the search
makes 33–54 windows on these plants, too few for the shares to learn.)

This solves each plant twice with the default route choice, once with the
move off and once on, and checks every schedule with the validator. Plants:
the batch/mass plants of ``route_ladder.py`` (``--ladder`` orders ×
``--plants`` seeds) under ``weighted-tardiness=1,setup-cost=1,holding-cost=1``,
and random plants of ``sweep.py`` (``--sweep`` of them, sizes ``--sizes``: shifts,
pauses, crews, operators, calendars) under the objective the sweep drew for each.

Run:  python benchmarks/search_moves.py [--off route-windows]
          [--ladder 100,200,500,1000] [--plants 1-2] [--sweep 6] [--sizes 150,400,1000]
          [--sweep-seed 29] [--time-limit 20] [--workers 2] [--label TEXT] [--name NAME]
Writes benchmarks/results/<name>.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from paired import by_plant, cases, run_pair, summary_line

import prodsched.lns.search as search
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"


MOVES = ("route-windows",)
ROUTE_AT = search.ROUTE_AT


def _switch(move: str, on: bool) -> None:
    """Turn ``move`` on or off (module attributes the search reads at each use)."""
    assert move in MOVES
    search.ROUTE_AT = ROUTE_AT if on else -1


def _windows(schedule: Schedule) -> dict[str, Any]:
    lns = schedule.info.details.get("lns")
    return {"windows": lns.windows if lns is not None else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--off", choices=MOVES, default=MOVES[0])
    parser.add_argument("--ladder", default="100,200,500,1000")
    parser.add_argument("--plants", default="1-2")
    parser.add_argument("--sweep", type=int, default=6)
    parser.add_argument("--sizes", default="150,400,1000")
    parser.add_argument("--sweep-seed", type=int, default=29)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="")
    parser.add_argument("--name", default="")
    args = parser.parse_args(argv)
    rows = [r for case in cases(args.ladder, args.plants, args.sweep, args.sizes,
                                args.sweep_seed, sweep_objectives=True)
            for r in run_pair(case, lambda on: _switch(args.off, on), args.time_limit,
                              args.workers, _windows)]
    name = args.name or args.off.replace("-", "_")
    write_csv(RESULTS / f"{name}.csv", rows)
    report = report_lines(rows, args.off, f"{args.time_limit:g} s, {args.workers} workers",
                          args.label)
    (RESULTS / f"{name}.md").write_text("\n".join(report) + "\n")
    return 0


def report_lines(rows: list[dict[str, Any]], move: str, setting: str, label: str = ""
                 ) -> list[str]:
    """The markdown report of the rows of one move's pairs."""
    lines = [markdown_header(f"Search moves: {move} off and on", run_metadata())]
    if label:
        lines += [f"**{label}**", ""]
    lines += [f"{setting}, the default route; every schedule passed the validator. "
              "Off / on: the objective's value per stage.", "",
              "| plant | objective | route | off | on | on / off | windows off / on |",
              "|---|---|---|---:|---:|---:|---|"]
    pairs = by_plant(rows)
    for plant, pair in pairs.items():
        off, on = pair["off"], pair["on"]
        ratio = float(on["objective"]) / float(off["objective"]) \
            if float(off["objective"]) > 0 else float("nan")
        lines.append(f"| {plant} | `{on['objective_text']}` | {on['route']} | {off['values']} | "
                     f"{on['values']} | {ratio:.3f} | {off['windows']} / {on['windows']} |")
    lines += ["", summary_line([(tuple(_floats(p["off"])), tuple(_floats(p["on"])))
                                for p in pairs.values()])]
    return lines


def _floats(row: dict[str, Any]) -> list[float]:
    return [float(v) for v in str(row["values"]).split(" / ") if v]


if __name__ == "__main__":
    sys.exit(main())
