"""Planning every morning: five simulated days, re-planned three ways.

A generated plant (two stages: cutting on M1|M2, finishing on M3|M4; five
products in two setup families, three made in batches, two one-off). Day 0
plans the first orders at time 0. Every following morning (06:00 = day × 1440
minutes) new orders arrive, one of them a rush order (due 8 hours later,
weight 5), and on some days a machine breaks down for a few hours later that
morning (a calendar row). Each morning is re-planned three ways, each from
its own plan of the day before:

- **a: stable** — ``solve(plant, previous=yesterday, now=06:00)``: rows that
  started before 06:00 are kept, yesterday's lots keep their ids, objective
  ``weighted-tardiness>changes>setup-time``;
- **b: scratch** — the same rows kept (they have started), everything else
  planned from scratch (``weighted-tardiness>setup-time``, new lot ids);
- **c: keep** — yesterday's plan kept whole (every row fixed, as if frozen
  for good), only the new orders dispatched into it; lots whose rows the
  breakdown hits are planned again.

Each strategy follows its own chain of plans, so their "runs moved" count
different runs. To compare (a) and (b) on the same runs, every morning (b) is
also solved from (a)'s plan of the day before (**b'**, whose plan is not
kept): the runs (a) moved against the runs (b') moved, of the same runs.

Recorded per day and strategy, and in total: weighted tardiness and setups of
the whole plan, runs moved (of yesterday's runs after 06:00: those on another
machine or re-sequenced, matched by lot id and step, plus those whose lot id
and step are gone — a from-scratch plan re-cuts and renames its lots), and
solve seconds. Solves use one worker and a fixed seed.

Run:  python benchmarks/replan.py [--time-limit 10] [--label smoke] [--seed 7]
      [--daily-orders 20] [--name replan]
Writes benchmarks/results/NAME.csv and NAME.md (date, commit, versions).
The machine is shared with other work: the recorded run is a smoke run
(small plant, short limits), labelled so, and its seconds are indicative.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import prodsched
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.errors import PlantError
from prodsched.plant.model import Plant, PreviousPlan
from prodsched.plant.previous import frozen_rows, read_previous, with_previous
from prodsched.schedule.changes import compute_changes
from prodsched.schedule.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
DAY = 1440
DAYS = 5
STRATEGIES = ("a: stable", "b: scratch", "c: keep")
PAIRED = "b': scratch from a's plan"  # (b) re-planned from (a)'s plan: same runs to move
PRODUCTS = {  # product: family, mode, cutting min/unit, finishing min/unit, fixed time
    "P1": ("F1", "batch", 2, 1, 20),
    "P2": ("F1", "batch", 3, 1, 15),
    "P3": ("F2", "batch", 2, 2, 25),
    "P4": ("F2", "one-off", 4, 2, 10),
    "P5": ("F1", "one-off", 3, 3, 10),
}
FIELDS = ["label", "commit", "day", "strategy", "status", "weighted_tardiness", "setups",
          "runs_moved", "runs_compared", "shift_total", "solve_seconds", "note"]


@dataclass
class World:
    """The plant's files as they grow: orders and breakdowns so far."""

    orders: list[tuple[str, str, int, int, int, int]] = field(default_factory=list)
    downtimes: list[tuple[str, int, int]] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        products = "product,family,mode\n" + "".join(
            f"{p},{f},{m}\n" for p, (f, m, *_rest) in PRODUCTS.items())
        routings = "product,step,machine,time_per_unit,fixed_time\n" + "".join(
            f"{p},1,M1|M2,{cut},{fixed}\n{p},2,M3|M4,{fin},0\n"
            for p, (_f, _m, cut, fin, fixed) in PRODUCTS.items())
        orders = "order_id,product,quantity,due,release,weight\n" + "".join(
            ",".join(map(str, o)) + "\n" for o in self.orders)
        out = {"products.csv": products, "routings.csv": routings, "orders.csv": orders,
               "setups.csv": "machine,from,to,time\n*,F1,F2,60\n*,F2,F1,45\n*,P1,P2,15\n"}
        if self.downtimes:
            out["calendar.csv"] = "machine,start,end\n" + "".join(
                f"{m},{s},{e}\n" for m, s, e in self.downtimes)
        return out

    def plant(self, folder: Path) -> Plant:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files().items():
            (folder / name).write_text(text, encoding="utf-8")
        return prodsched.load_plant(folder)


def arrivals(rng: random.Random, day: int, count: int) -> list[tuple[str, str, int, int, int,
                                                                        int]]:
    """The orders arriving on the morning of ``day``; the last one is a rush order."""
    now = day * DAY
    out = []
    for k in range(count):
        product = rng.choice(sorted(PRODUCTS))
        rush = k == count - 1 and day > 0
        due = now + (480 if rush else rng.randint(DAY, 3 * DAY))
        out.append((f"D{day}-{k + 1}{'R' if rush else ''}", product, rng.randint(20, 60), due,
                    now, 5 if rush else 1))
    return out


def breakdown(rng: random.Random, day: int, yesterday: dict[str, Schedule]
              ) -> tuple[str, int, int] | None:
    """On days 2 and 4, a cutting machine is down for 3-5 hours from after its
    running work (in every strategy's plan) ends."""
    if day not in (2, 4):
        return None
    machine = rng.choice(["M1", "M2"])
    now = day * DAY
    busy = [r.end for s in yesterday.values()
            for r in frozen_rows(previous_of(s, s.plant), now) if r.machine == machine]
    start = max([now + 60, *busy])
    return machine, start, start + rng.randint(180, 300)


def previous_of(schedule: Schedule, plant: Plant) -> PreviousPlan:
    return read_previous(schedule.render()["schedule.csv"], plant.time_axis, "yesterday")


def keep_all(plant: Plant, previous: PreviousPlan, now: int) -> Plant:
    """Strategy c's plant: every row of yesterday fixed, except the lots a new
    breakdown hits (their rows from ``now`` on are planned again)."""
    hit = {r.lot for r in previous.rows if r.start >= now and any(
        d.machine in (r.machine, "*") and d.start < r.end and r.start < d.end
        for d in plant.downtimes)}
    started = frozen_rows(previous, now)
    grown = True
    while grown:  # a run after a re-planned one may need another changeover: re-plan it too
        before = {key: previous.runs[pred] for key, pred in previous.predecessors.items()}
        more = {lot for (lot, _), pred in before.items()
                if pred.lot in hit and lot not in hit and previous.runs[(lot, _)].start >= now}
        grown = bool(more)
        hit |= more
    keep = [r for r in previous.rows if r.lot not in hit or r in started]
    frozen = with_previous(plant, PreviousPlan(tuple(keep), previous.source), 10**9)
    checked = replace(frozen, now=now, previous=None)
    return checked


def run_day(plant: Plant, strategy: str, previous: Schedule | None, now: int,
            time_limit: float) -> tuple[Schedule, dict[str, Any]]:
    settings = {"time_limit": time_limit, "workers": 1, "seed": 0}
    started = time.monotonic()
    note = ""
    if previous is None:
        schedule = prodsched.solve(plant, **settings)
    else:
        before = previous_of(previous, plant)
        if strategy == "a: stable":
            schedule = prodsched.solve(plant, previous=before, now=now, **settings)
        elif strategy == "b: scratch":
            fixed = replace(with_previous(plant, before, now), previous=None)
            schedule = prodsched.solve(fixed, **settings)
        else:
            schedule = prodsched.solve(keep_all(plant, before, now), **settings)
    seconds = time.monotonic() - started
    changes: dict[str, int] = {}
    if previous is not None:
        before = previous_of(previous, plant)
        compared = replace(schedule.plant, previous=before, now=now)
        changes = compute_changes(compared, schedule.rows).as_dict()
        # a run whose lot id is gone (re-cut, renamed) has moved too
        changes["runs_planned"] = len(before.replanned(now))
        changes["runs_changed"] += changes["runs_planned"] - changes["runs_compared"]
    return schedule, {
        "status": schedule.status,
        "weighted_tardiness": float(schedule.kpis.weighted_tardiness),
        "setups": schedule.kpis.setup_count,
        "runs_moved": changes.get("runs_changed", 0),
        "runs_compared": changes.get("runs_planned", 0),
        "shift_total": changes.get("earlier_total", 0) + changes.get("later_total", 0),
        "solve_seconds": round(seconds, 2),
        "note": note,
    }


def simulate(root: Path, time_limit: float, seed: int, first_orders: int,
             daily_orders: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    world = World(arrivals(rng, 0, first_orders))
    plant = world.plant(root / "day0")
    schedule, row = run_day(plant, "a: stable", None, 0, time_limit)
    rows = [{"day": 0, "strategy": "all (first plan)", **row}]
    plans = dict.fromkeys(STRATEGIES, schedule)
    for day in range(1, DAYS + 1):
        world.orders += arrivals(rng, day, daily_orders)
        down = breakdown(rng, day, plans)
        if down is not None:
            world.downtimes.append(down)
        plant = world.plant(root / f"day{day}")
        stable_yesterday = plans["a: stable"]
        for strategy in STRATEGIES:
            try:
                plans[strategy], row = run_day(plant, strategy, plans[strategy], day * DAY,
                                               time_limit)
            except (PlantError, prodsched.InfeasibleError) as err:
                row = {"status": "failed", "note": str(err).splitlines()[0][:120]}
            rows.append({"day": day, "strategy": strategy, **row})
            print(f"day {day} {strategy}: {row}", file=sys.stderr)
        try:
            _, row = run_day(plant, "b: scratch", stable_yesterday, day * DAY, time_limit)
        except (PlantError, prodsched.InfeasibleError) as err:
            row = {"status": "failed", "note": str(err).splitlines()[0][:120]}
        rows.append({"day": day, "strategy": PAIRED, **row})
        print(f"day {day} {PAIRED}: {row}", file=sys.stderr)
    return rows


def totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for strategy in (*STRATEGIES, PAIRED):
        mine = [r for r in rows if r["strategy"] == strategy and r["status"] != "failed"]
        out.append({"day": "total", "strategy": strategy,
                    "status": f"{len(mine)}/{DAYS} days",
                    **{k: round(sum(r[k] for r in mine), 2) for k in
                       ("weighted_tardiness", "setups", "runs_moved", "runs_compared",
                        "shift_total", "solve_seconds")}, "note": ""})
    return out


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [markdown_header("Planning every morning: five days re-planned three ways", meta),
             f"Label **{args.label}**: {args.first_orders} orders on day 0, "
             f"{args.daily_orders} a morning after (the last one a rush order), breakdowns on "
             f"days 2 and 4; {args.time_limit:g} s per solve, one worker, seed {args.seed}. "
             "Weighted tardiness and setups are of the whole plan; runs moved counts "
             "yesterday's runs after 06:00 now on another machine, re-sequenced, or gone "
             "(their lot id and step are not in the new plan), of all of them; seconds are "
             "wall-clock on a shared machine (indicative only).", "",
             "| day | strategy | status | weighted tardiness | setups | runs moved | "
             "of runs | start shifts (min) | seconds | note |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['day']} | {r['strategy']} | {r['status']} | "
                     f"{r.get('weighted_tardiness', '')} | {r.get('setups', '')} | "
                     f"{r.get('runs_moved', '')} | {r.get('runs_compared', '')} | "
                     f"{r.get('shift_total', '')} | {r.get('solve_seconds', '')} | "
                     f"{r.get('note', '')} |")
    total = {r["strategy"]: r for r in rows if r["day"] == "total"}
    a, b = total.get("a: stable"), total.get("b: scratch")
    if a and b:
        c = total["c: keep"]
        lines += ["", f"Over the five days, (a) moved {a['runs_moved']:g} of "
                  f"{a['runs_compared']:g} runs it could have moved, (b) "
                  f"{b['runs_moved']:g} of {b['runs_compared']:g}, (c) {c['runs_moved']:g} of "
                  f"{c['runs_compared']:g}; setups (a) {a['setups']:g}, (b) {b['setups']:g}, "
                  f"(c) {c['setups']:g}; weighted tardiness (a) "
                  f"{a['weighted_tardiness']:g}, (b) {b['weighted_tardiness']:g}, "
                  f"(c) {c['weighted_tardiness']:g}."]
    paired = total.get(PAIRED)
    if a and paired:
        lines += ["", f"On the same runs (yesterday's plan of (a) each morning): (a) moved "
                  f"{a['runs_moved']:g} of {a['runs_compared']:g}, re-planning from scratch "
                  f"(b') {paired['runs_moved']:g} of {paired['runs_compared']:g}; weighted "
                  f"tardiness (a) {a['weighted_tardiness']:g}, (b') "
                  f"{paired['weighted_tardiness']:g}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first-orders", type=int, default=24)
    parser.add_argument("--daily-orders", type=int, default=20)
    parser.add_argument("--label", default="smoke")
    parser.add_argument("--name", default="replan",
                        help="results file name (benchmarks/results/NAME.csv and .md)")
    args = parser.parse_args()
    meta = run_metadata()
    with tempfile.TemporaryDirectory() as tmp:
        rows = simulate(Path(tmp), args.time_limit, args.seed, args.first_orders,
                        args.daily_orders)
    rows += totals(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{args.name}.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({"label": args.label, "commit": meta["commit"], **r})
    (RESULTS / f"{args.name}.md").write_text(markdown(rows, meta, args), encoding="utf-8")
    print(markdown(rows, meta, args))


if __name__ == "__main__":
    main()
