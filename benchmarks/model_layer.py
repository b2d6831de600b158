"""The job-shop model layer before and after a change: objectives and model sizes.

Repeatable runs only (one CP-SAT worker, a deterministic budget: see
:mod:`prodsched.budget`), so that numbers taken at different times on a
shared machine compare:

- **solve**: :func:`prodsched.pipeline.solve_request` with ``repeatable=True``,
  one worker, seed 0, on the bundled instances and a few generated plants
  (one of them above the large-plant threshold, so the window search runs);
  records status and the objective's stage values, and whether a wall-clock
  safety limit fired (then the run was not repeatable);
- **size**: the full job-shop model of the plant's lot plan (every circuit
  arc, no reference schedule): variables and constraints of the CP-SAT proto;
  for the large plant, the window models of its first windows instead;
- **lns**: the large plant's window search alone (:func:`prodsched.lns.search.improve`)
  from the same dispatch schedule, 5 deterministic seconds, one worker, seeds
  0–3 (one run of a search says little; four say more).

Run:  python benchmarks/model_layer.py --label before|after [--time-limit 20] [--lns-only]
Rows are merged into benchmarks/results/model_layer.csv by label, and
model_layer.md shows every label side by side (date, commit, versions).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant import Plant, load_plant

RESULTS = Path(__file__).resolve().parent / "results"
INSTANCES = Path(__file__).resolve().parents[1] / "instances"
OBJECTIVES = ("weighted-tardiness>setup-time", "makespan")
GENERATED = {
    "gen-auto": GeneratorConfig(orders=40, products=8, families=3, machines=4,
                                setup_ratio=0.5, seed=9101),
    "gen-all-modes": GeneratorConfig(orders=40, machines=5, products=8, families=3,
                                     max_steps=3, alternatives=2,
                                     mode_mix="one-off=1,batch=1,mass=1,auto=1",
                                     calendar=True, initial_states=True, setup_ratio=0.8,
                                     seed=301),
    "gen-deadlines": GeneratorConfig(orders=30, machines=4, products=6, families=3,
                                     deadline_share=0.3, calendar=True, seed=302),
    "gen-large": GeneratorConfig(orders=300, machines=10, products=20, families=4,
                                 max_steps=3, alternatives=2, calendar=True,
                                 mode_mix="one-off=1,batch=1,mass=1", setup_ratio=0.5,
                                 seed=303),
}
FIELDS = ["label", "commit", "plant", "objective", "kind", "status", "values", "variables",
          "constraints", "wall_limit_hit", "seconds"]


def plants(root: Path) -> dict[str, Plant]:
    """The bundled instances and the generated plants, loaded."""
    out = {p.name: load_plant(p) for p in sorted(INSTANCES.iterdir()) if p.is_dir()}
    for name, config in GENERATED.items():
        out[name] = load_plant(write_plant(config, root / name))
    return out


def solved(plant: Plant, objective: str, time_limit: float) -> dict[str, Any]:
    """One repeatable solve: status, stage values, and whether the clock decided."""
    started = time.monotonic()
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           settings=SolverSettings(workers=1, seed=0), repeatable=True)
    schedule = solve_request(plant, request)
    info = schedule.info
    values = info.objective_values or []
    return {"kind": "solve", "status": schedule.status,
            "values": ";".join(f"{v:g}" for v in values),
            "wall_limit_hit": info.budget.wall_limit_hit if info.budget else None,
            "seconds": round(time.monotonic() - started, 1)}


def full_size(plant: Plant, objective: str) -> dict[str, Any]:
    """Variables and constraints of the full job-shop model (every arc)."""
    from prodsched.jobshop.builder import JobShopModel
    from prodsched.lots.plan import plan_lots
    from prodsched.plant.setups import SetupTable

    jm = JobShopModel(plant, plan_lots(plant), SetupTable(plant), parse_objective(objective))
    proto = jm.model.proto
    return {"kind": "size", "variables": len(proto.variables),
            "constraints": len(proto.constraints)}


def _start(plant: Plant, lots: list[Any], setups: Any) -> list[Any]:
    """The large-plant route's first dispatch schedule (setup-aware rule)."""
    from prodsched.lns.start import RULES

    try:
        from prodsched.timeline.dispatch import dispatch
        from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
    except ImportError:  # before the one timeline: the route's own dispatcher
        from prodsched.lns.dispatch import queue_dispatch  # type: ignore[import-not-found]
        return list(queue_dispatch(plant, lots, setups, RULES["setup-aware"]))
    return dispatch(plant, setups, lots, RULES["setup-aware"], exact=False,
                    adjacent_setups=MODEL_ADJACENT_SETUPS)


def window_size(plant: Plant, objective: str, windows: int = 20) -> dict[str, Any]:
    """Variables and constraints summed over the first windows of the large-plant search."""
    from prodsched.lns.lots import aggregated_lots
    from prodsched.lns.state import Indexed
    from prodsched.lns.window import Neighbourhoods
    from prodsched.plant.setups import SetupTable

    try:
        from prodsched.jobshop.window import WindowModel
    except ImportError:  # before the model layer: the window model lived in lns/
        from prodsched.lns.submodel import WindowModel  # type: ignore[no-redef]
    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    state = Indexed(plant, lots, _start(plant, lots, setups))
    hoods = Neighbourhoods(plant)
    variables = constraints = 0
    for _ in range(windows):
        window = hoods.sliding(state, 60)
        assert window is not None
        wm = WindowModel(plant, setups, parse_objective(objective), state, window, soft=0.1)
        variables += len(wm.model.proto.variables)
        constraints += len(wm.model.proto.constraints)
    return {"kind": f"size of {windows} windows", "variables": variables,
            "constraints": constraints}


def searched(plant: Plant, objective: str, seed: int) -> dict[str, Any]:
    """The window search alone from a dispatch schedule (5 deterministic seconds)."""
    from prodsched.lns.lots import aggregated_lots
    from prodsched.lns.search import improve
    from prodsched.plant.setups import SetupTable
    from prodsched.stop import Stop

    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    ops = _start(plant, lots, setups)
    started = time.monotonic()
    _, values, stats = improve(plant, setups, parse_objective(objective), lots, ops,
                               Stop(time.monotonic() + 600, deterministic_seconds=5.0),
                               SolverSettings(workers=1, seed=seed))
    return {"kind": f"lns seed {seed}", "status": f"{stats.windows} windows",
            "values": ";".join(f"{float(v):g}" for v in values),
            "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--only", default="", help="comma-separated plant names")
    parser.add_argument("--lns-only", action="store_true", help="only the window search")
    args = parser.parse_args()
    meta = run_metadata()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, plant in plants(Path(tmp)).items():
            if args.only and name not in args.only.split(","):
                continue
            if name == "gen-large":
                for seed in range(4):
                    row = {"label": args.label, "plant": name, "objective": OBJECTIVES[0],
                           **searched(plant, OBJECTIVES[0], seed)}
                    print(row, file=sys.stderr, flush=True)
                    rows.append(row)
            if args.lns_only:
                continue
            for objective in OBJECTIVES:
                size = (window_size(plant, objective) if name == "gen-large"
                        else full_size(plant, objective))
                for found in (size, solved(plant, objective, args.time_limit)):
                    row = {"label": args.label, "plant": name, "objective": objective,
                           **found}
                    print(row, file=sys.stderr, flush=True)
                    rows.append(row)
    write(rows, args.label, meta)


def write(rows: list[dict[str, Any]], label: str, meta: dict[str, Any]) -> None:
    """Merge ``rows`` into the CSV (replacing ``label``'s rows of the same kinds) and
    render the markdown."""
    path = RESULTS / "model_layer.csv"
    kept: list[dict[str, Any]] = []
    replaced = {(r["plant"], r["objective"], r["kind"]) for r in rows}
    if path.exists():
        with path.open(encoding="utf-8") as f:
            kept = [r for r in csv.DictReader(f) if r["label"] != label
                    or (r["plant"], r["objective"], r["kind"]) not in replaced]
    every = kept + [{k: r.get(k, meta["commit"] if k == "commit" else "") for k in FIELDS}
                    for r in rows]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(every)
    labels = list(dict.fromkeys(r["label"] for r in every))
    commits = {lb: sorted({r.get("commit") or "?" for r in every if r["label"] == lb})
               for lb in labels}
    by_key: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
    for r in every:
        kind = r["kind"] if r["kind"] in ("solve", "size") or r["kind"].startswith("lns") \
            else "size"
        by_key.setdefault((r["plant"], r["objective"], kind), {})[r["label"]] = r
    lines = [markdown_header("Model layer: objectives and model sizes", meta), "",
             f"Latest run: label `{label}`. Repeatable solves (1 worker, deterministic "
             "budget, seed 0); sizes are the CP-SAT proto's variables / constraints of "
             "the full model (every arc), or summed over the first 20 windows for "
             "gen-large. Timings were taken on a shared 2-core machine. Commits: "
             + "; ".join(f"{lb} {', '.join(commits[lb])}" for lb in labels) + ".", "",
             "| plant | objective | " + " | ".join(
                 f"{lb} status: values | {lb} vars / cons" for lb in labels) + " |",
             "|---|---|" + "---|---|" * len(labels)]
    plants_seen = list(dict.fromkeys((r["plant"], r["objective"]) for r in every))
    for plant, objective in plants_seen:
        cells = []
        for lb in labels:
            s = by_key.get((plant, objective, "solve"), {}).get(lb)
            z = by_key.get((plant, objective, "size"), {}).get(lb)
            wall = " (wall limit hit)" if s and str(s["wall_limit_hit"]) == "True" else ""
            cells.append(f"{s['status']}: {s['values']}{wall}" if s else "")
            cells.append(f"{z['variables']} / {z['constraints']}" if z else "")
        lines.append(f"| {plant} | {objective} | " + " | ".join(cells) + " |")
    searches = sorted({k for k in by_key if k[2].startswith("lns")})
    if searches:
        lines += ["", "The window search alone on gen-large (5 deterministic seconds, one "
                  "worker, from the same dispatch schedule):", "",
                  "| seed | " + " | ".join(f"{lb}: values (windows)" for lb in labels) + " |",
                  "|---|" + "---|" * len(labels)]
        for key in searches:
            found = by_key[key]
            lines.append(f"| {key[2].split()[-1]} | " + " | ".join(
                f"{found[lb]['values']} ({found[lb]['status']})" if lb in found else ""
                for lb in labels) + " |")
    (RESULTS / "model_layer.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
