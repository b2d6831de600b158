"""Shift calendars: generated plants with two- and three-shift calendars, each
solved with pausing allowed (``--pause-share 1``: every routing row may pause
over the night) and not allowed (``--pause-share 0``), same seed.

Per run: status, objective (weighted tardiness, then setup time), lots,
machine idle time (time a machine is available, within the makespan, but
neither runs nor sets up; summed over machines), makespan, seconds.

Run:  python benchmarks/shifts.py [--orders 50,200,1000] [--shifts 2,3]
      [--time-limit 60] [--workers 2] [--seed 0] [--label full]
Writes benchmarks/results/shifts.csv and .md (date, commit, versions).
A smoke run (``--orders 50 --time-limit 10 --label smoke``) only shows that
the script works; its numbers are no benchmark.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from prodsched import load_plant
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.records import write_csv
from prodsched.cpsat_runner import SolverSettings
from prodsched.errors import InfeasibleError, InvalidScheduleError
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Plant
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
OBJECTIVE = "weighted-tardiness>setup-time"


def merged(periods: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint periods covering the same time as ``periods``."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(periods):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif end > start:
            out.append((start, end))
    return out


def overlap(periods: list[tuple[int, int]], others: list[tuple[int, int]]) -> int:
    """Time in both of two lists of disjoint periods."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in periods for s2, e2 in others)


def idle_time(plant: Plant, schedule: Schedule) -> int:
    """Time machines are available within ``[0, makespan)`` but neither run
    nor set up (a pausing run's pauses are unavailable time, not idle)."""
    span = [(0, schedule.kpis.makespan)]
    total = 0
    for machine in plant.machines:
        down = merged([(max(0, s), min(e, span[0][1])) for s, e in plant.unavailable(machine)])
        busy = merged([(r.start, r.end) for r in schedule.rows
                       if r.machine == machine and r.kind in ("run", "setup")])
        available = span[0][1] - overlap(down, span)
        working = overlap(busy, span) - overlap(busy, down)
        total += available - working
    return total


def run(orders: int, shifts: int, pause: bool, args: argparse.Namespace) -> dict[str, object]:
    """Generate one plant, solve it, and measure the schedule."""
    config = GeneratorConfig(orders=orders, shifts=shifts, pause_share=1.0 if pause else 0.0,
                             datetimes=True, seed=args.seed)
    row: dict[str, object] = {"orders": orders, "shifts": shifts,
                              "pausing": "yes" if pause else "no", "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        plant = load_plant(write_plant(config, Path(tmp) / "plant"))
        request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=args.time_limit,
                               started_at=started,
                               settings=SolverSettings(workers=args.workers, seed=args.seed))
        try:
            schedule = solve_request(plant, request)
        except (InfeasibleError, InvalidScheduleError) as err:  # NoScheduleError too
            status = "invalid" if isinstance(err, InvalidScheduleError) else "no schedule"
            row.update(status=status, note=" ".join(str(err).split())[:160],
                       seconds=round(time.monotonic() - started, 2))
            return row
        seconds = time.monotonic() - started
    values = schedule.info.objective_values or []
    row.update(status=schedule.status,
               weighted_tardiness=float(schedule.kpis.weighted_tardiness),
               setup_time=schedule.kpis.total_setup_time,
               objective=" > ".join(f"{v:g}" for v in values),
               lots=len({r.lot for r in schedule.rows if r.kind == "run"}),
               idle_time=idle_time(plant, schedule), makespan=schedule.kpis.makespan,
               seconds=round(seconds, 2), note="")
    return row


def main(argv: list[str] | None = None) -> int:
    """Run the grid; write the CSV and Markdown results."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", default="50,200,1000")
    parser.add_argument("--shifts", default="2,3")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", default="full",
                        help="what kind of run this is (e.g. smoke), written with the results")
    parser.add_argument("--note", default="", help="a remark written under the header")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = []
    for n in (int(x) for x in args.orders.split(",")):
        for shifts in (int(x) for x in args.shifts.split(",")):
            for pause in (True, False):
                row = {"label": args.label, **run(n, shifts, pause, args)}
                print(row, flush=True)
                rows.append(row)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "shifts.csv", rows)
    meta = run_metadata()
    lines = [markdown_header(f"Shift calendars ({args.label} run)", meta),
             f"Generated plants (`prodsched generate --shifts N --pause-share 1|0 --datetimes "
             f"--seed {args.seed}`), objective {OBJECTIVE}, {args.workers} workers, limit "
             f"{args.time_limit:g} s, whole command timed (load, model, search, validation) "
             "on a machine shared with other jobs. Idle time: minutes a machine is "
             "available within the makespan but neither runs nor sets up, summed over "
             "machines.", ""]
    if args.label == "smoke":
        lines += ["**Smoke run**: it shows that the script works; its figures are no "
                  "benchmark.", ""]
    if args.note:
        lines += [args.note, ""]
    lines += ["| orders | shifts | pausing | status | weighted tardiness | setup time | lots | "
              "idle time | makespan | seconds | note |",
              "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {r['orders']} | {r['shifts']} | {r['pausing']} | {r['status']} | "
              f"{r.get('weighted_tardiness', '')} | {r.get('setup_time', '')} | "
              f"{r.get('lots', '')} | {r.get('idle_time', '')} | {r.get('makespan', '')} | "
              f"{r['seconds']} | {r.get('note', '')} |" for r in rows]
    (args.out / "shifts.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
