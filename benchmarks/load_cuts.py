"""Machine-load cuts of the makespan on and off, paired on the same plants.

A run's work is ``fixed_time + time_per_unit * quantity`` whatever the lot
sizes, so the work a product's units need on a machine is known while the lots
are not; CP-SAT's no-overlap sees each lot's least size only. The cuts
(:func:`prodsched.jobshop.criteria.add_machine_load`) say that the makespan is
at least a machine's earliest start plus the work it alone must do, and over
all machines their least work shared among them. They change what CP-SAT can
prove (the bound) and, through its LP, where it searches.

Plants: the batch/mass plants of ``route_ladder.py`` (``--ladder`` orders ×
``--plants`` seeds) and random plants of ``sweep.py`` (``--sweep`` of them, sizes
``--sizes``: shifts, pauses, crews, operators, calendars), all under
``makespan``. Each is solved twice on ``--route`` (the default route: the full
model hands over to the large-plant route after a share of the time; ``full``:
the full model alone), cuts off then on; every schedule is checked by the
validator.

Run:  python benchmarks/load_cuts.py [--ladder 20,30,50] [--plants 1-2] [--sweep 6]
          [--sizes 15,40,120] [--sweep-seed 31] [--time-limit 20] [--workers 2]
          [--route default|full|large] [--label TEXT] [--name load_cuts]
Writes benchmarks/results/<name>.csv and .md (date, commit, versions).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from paired import by_plant, cases, run_pair, summary_line
from route_ladder import ROUTES

import prodsched.jobshop.criteria as criteria
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
OBJECTIVE = "makespan"


def _switch(on: bool) -> None:
    criteria.LOAD_CUTS = on


def _bound(schedule: Schedule) -> dict[str, Any]:
    """The full model's proven bound and status (the first stage), where it ran."""
    info = schedule.info
    stages = info.stages or []
    handed = info.details.get("handed_over")
    return {"status": str(info.status), "bound": stages[0].bound if stages else None,
            "full_model": None if handed is None else handed.get("full_model_objective_values")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ladder", default="20,30,50")
    parser.add_argument("--plants", default="1-2")
    parser.add_argument("--sweep", type=int, default=6)
    parser.add_argument("--sizes", default="15,40,120")
    parser.add_argument("--sweep-seed", type=int, default=31)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--route", choices=ROUTES, default="default")
    parser.add_argument("--label", default="")
    parser.add_argument("--name", default="load_cuts")
    args = parser.parse_args(argv)
    plants = [replace(case, objective=OBJECTIVE)
              for case in cases(args.ladder, args.plants, args.sweep, args.sizes,
                                args.sweep_seed)]
    rows = [r for case in plants
            for r in run_pair(case, _switch, args.time_limit, args.workers, _bound,
                              ROUTES[args.route])]
    write_csv(RESULTS / f"{args.name}.csv", rows)
    (RESULTS / f"{args.name}.md").write_text(
        "\n".join(report_lines(rows, f"{args.time_limit:g} s, {args.workers} workers, "
                               f"route {args.route}", args.label)) + "\n")
    return 0


def report_lines(rows: list[dict[str, Any]], setting: str, label: str = "") -> list[str]:
    """The markdown report: per plant makespan and bound, off and on."""
    lines = [markdown_header("Machine-load cuts of the makespan off and on", run_metadata())]
    if label:
        lines += [f"**{label}**", ""]
    lines += [f"{setting}, objective `makespan`; every schedule passed "
              "the validator. Bound: what the full model proved (none where it did not run "
              "or handed over before a bound).", "",
              "| plant | orders | route | off | on | on / off | bound off | bound on | "
              "status off / on |",
              "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    pairs = by_plant(rows)
    for plant, pair in pairs.items():
        off, on = pair["off"], pair["on"]
        ratio = on["objective"] / off["objective"] if off["objective"] else float("nan")
        lines.append(f"| {plant} | {on['orders']} | {on['route']} | {off['objective']:g} | "
                     f"{on['objective']:g} | {ratio:.3f} | {_text(off['bound'])} | "
                     f"{_text(on['bound'])} | {off['status']} / {on['status']} |")
    lines += ["", summary_line([((p["off"]["objective"],), (p["on"]["objective"],))
                                for p in pairs.values()])]
    closed = [(p["off"]["bound"], p["on"]["bound"], p["on"]["objective"])
              for p in pairs.values() if p["off"]["bound"] and p["on"]["bound"]]
    if closed:
        gap_off = sum(1 - b / o for b, _, o in closed) / len(closed)
        gap_on = sum(1 - b / o for _, b, o in closed) / len(closed)
        lines.append(f"Mean gap of the bound below the on-run's makespan, on the {len(closed)} "
                     f"plants with a bound both times: {100 * gap_off:.1f} % off, "
                     f"{100 * gap_on:.1f} % on.")
    return lines


def _text(value: Any) -> str:
    return "–" if value is None else f"{float(value):g}"


if __name__ == "__main__":
    sys.exit(main())
