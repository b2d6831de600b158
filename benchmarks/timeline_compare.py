"""Constructive schedules before and after one machine timeline (issue 19).

Measures, on the same plants with the same lots, what the constructive
schedulers give:

- ``strategies``: every heuristic strategy (deterministic) on the six plants
  of benchmarks/results/strategies/report.md, scored by the benchmark's
  objective, each schedule validated;
- ``large``: every start candidate of the large-plant route (lot window ×
  dispatch rule) on the 1,000-order plant of benchmarks/large_plants.py: the
  objective and the seconds of each candidate (dispatch and evaluation);
- ``warm``: the warm start (best of every lot cut × dispatch rule, no merge
  descent) on the bundled instances, for the default objective.

``run LABEL`` writes benchmarks/results/timeline/LABEL.json; ``report A B``
writes benchmarks/results/timeline/report.md comparing two labels, with
benchmarks/results/timeline/notes.md (the reasons for regressions) appended.

Run:  python benchmarks/timeline_compare.py run before|after [strategies] [large] [warm]
      python benchmarks/timeline_compare.py report before after
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "results" / "timeline"
ROOT = Path(__file__).resolve().parents[1]
LARGE_OBJECTIVE = "weighted-tardiness=1,setup-cost=1"
INSTANCES = ("tiny", "bakery", "furniture", "bottling")


def _plant(config: Any, name: str) -> Any:
    from prodsched.generate import write_plant
    from prodsched.plant import load_plant

    with tempfile.TemporaryDirectory() as tmp:
        return load_plant(write_plant(config, Path(tmp) / name))


def strategies(plants: list[Any] | None = None, objective: str | None = None
               ) -> dict[str, Any]:
    """Score, validity and seconds of every heuristic strategy on the six plants."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from prodsched.strategies import BENCH_OBJECTIVE, REGISTRY, StrategySettings, run_strategy
    from prodsched.validate import validate_texts
    from strategies import PLANTS  # type: ignore[import-not-found]

    names = [n for n, s in REGISTRY.items() if s.kind == "heuristic"]
    out: dict[str, Any] = {}
    for spec in plants or PLANTS:
        plant = spec.load()
        for name in names:
            began = time.monotonic()
            schedule = run_strategy(plant, name,
                                    StrategySettings(objective=objective or BENCH_OBJECTIVE))
            seconds = time.monotonic() - began
            files = schedule.render()
            bad = validate_texts(plant, files["schedule.csv"], files["orders_report.csv"],
                                 files["kpis.json"])
            out[f"{spec.name} / {name}"] = {"score": schedule.info.objective,
                                            "valid": not bad, "seconds": round(seconds, 3)}
            print(spec.name, name, schedule.info.objective, not bad, round(seconds, 3),
                  flush=True)
    return out


def large(orders: int = 1000, count: int | None = None) -> dict[str, Any]:
    """Objective and seconds of the start candidates (all, or the first ``count``) on the
    plant of ``orders`` orders."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from large_plants import plant_config  # type: ignore[import-not-found]

    from prodsched.lns.evaluate import Evaluator
    from prodsched.lns.start import CANDIDATES, choose_start
    from prodsched.objective import parse_objective
    from prodsched.plant.setups import SetupTable

    plant = _plant(plant_config(orders, 1), f"large-{orders}")
    evaluator = Evaluator(plant, parse_objective(LARGE_OBJECTIVE))
    start = choose_start(plant, SetupTable(plant), evaluator, count=count or len(CANDIDATES))
    out = {name: {"objective": start.scores[name][0], "seconds": round(start.seconds[name], 3)}
           for name in start.scores}
    out["best"] = {"name": start.best.name, "objective": start.scores[start.best.name][0]}
    print(json.dumps(out, indent=1))
    return out


def warm() -> dict[str, Any]:
    """The warm start's values and every candidate's on the bundled instances."""
    from prodsched.heuristics.warmstart import choose_warm_start
    from prodsched.lots.plan import plan_lots
    from prodsched.lots.realize import realizations
    from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
    from prodsched.plant import load_plant
    from prodsched.plant.setups import SetupTable

    out: dict[str, Any] = {}
    objective = parse_objective(DEFAULT_OBJECTIVE)
    for name in INSTANCES:
        plant = load_plant(ROOT / "instances" / name)
        began = time.monotonic()
        result = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                                   objective)
        out[name] = {"best": result.best.name,
                     "values": [float(v) for v in result.best.values],
                     "missed_deadlines": result.best.missed_deadlines,
                     "seconds": round(time.monotonic() - began, 3)}
        print(name, out[name], flush=True)
    return out


def large_strategies() -> dict[str, Any]:
    """Every heuristic strategy on the 1,000-order plant, with its objective."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from large_plants import plant_config  # type: ignore[import-not-found]

    from prodsched.bench.strategies import PlantSpec

    return strategies([PlantSpec(name="large-1000", generator=plant_config(1000, 1))],
                      LARGE_OBJECTIVE)


def large10k() -> dict[str, Any]:
    """The first three start candidates on the 10,000-order plant (speed at scale)."""
    return large(10_000, 3)


PARTS = {"strategies": strategies, "large": large, "warm": warm, "large10k": large10k,
         "large_strategies": large_strategies}


def run(label: str, parts: list[str]) -> None:
    from prodsched.bench.environment import run_metadata

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{label}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["meta"] = run_metadata()
    for part in parts or list(PARTS):
        data[part] = PARTS[part]()
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def _delta(a: Any, b: Any) -> str:
    if a is None or b is None:
        return "—"
    if a == b:
        return "="
    return f"{100 * (b / a - 1):+.1f} %" if a else f"{b - a:+g}"


PARTS_SCORED = (("strategies", "score", "heuristic strategies, six plants"),
                ("large_strategies", "score", "heuristic strategies, 1,000 orders"),
                ("large", "objective", "large-plant start candidates, 1,000 orders"),
                ("large10k", "objective", "large-plant start candidates, 10,000 orders"))


def _summary(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Cells better / equal / worse per part, and the largest regressions."""
    lines = ["## Summary (lower is better)", "",
             "| part | cells | better | equal | worse | largest regressions |",
             "|---|---:|---:|---:|---:|---|"]
    for part, key, title in PARTS_SCORED:
        counts = [0, 0, 0]
        worse: list[tuple[float, str]] = []
        for cell, b in before.get(part, {}).items():
            a = after.get(part, {}).get(cell)
            if cell == "best" or a is None:
                continue
            old, new = b[key], a[key]
            counts[0 if new < old else 1 if new == old else 2] += 1
            if new > old:
                worse.append((new / old - 1 if old else math.inf, cell))
        top = ", ".join(f"{cell} {100 * r:+.1f} %" for r, cell in sorted(worse, reverse=True)[:3])
        lines.append(f"| {title} | {sum(counts)} | {counts[0]} | {counts[1]} | {counts[2]} | "
                     f"{top or '—'} |")
    return lines


def report(before_label: str, after_label: str) -> None:
    before = json.loads((OUT / f"{before_label}.json").read_text())
    after = json.loads((OUT / f"{after_label}.json").read_text())
    lines = ["# One machine timeline: constructive schedules before and after", ""]
    for label, data in ((before_label, before), (after_label, after)):
        m = data["meta"]
        lines.append(f"- {label}: {m['date']}, commit {m['commit']}, Python {m['python']}, "
                     f"OR-Tools {m['ortools']}, {m['cores']} cores {m['cpu']}")
    lines += ["- seconds were taken on a shared machine (2 cores, other work running); "
              "compare them only roughly", ""]
    lines += ["## Heuristic strategies (six plants of benchmarks/results/strategies)", "",
              "Score = `weighted-tardiness=1,setup-cost=1,holding-cost=1` (lower is better).", "",
              "| plant / strategy | before | after | change | valid after | s before | s after |",
              "|---|---:|---:|---:|---|---:|---:|"]
    sums: dict[str, list[float]] = {}
    for key, b in before.get("strategies", {}).items():
        a = after.get("strategies", {}).get(key, {})
        lines.append(f"| {key} | {_num(b['score'])} | {_num(a.get('score'))} | "
                     f"{_delta(b['score'], a.get('score'))} | {a.get('valid')} | "
                     f"{b['seconds']} | {a.get('seconds')} |")
        name = key.split(" / ")[1]
        total = sums.setdefault(name, [0.0, 0.0])
        total[0] += b["score"]
        total[1] += a.get("score") or 0.0
    lines += ["", "Mean over the six plants:", "",
              "| strategy | before | after | change |", "|---|---:|---:|---:|"]
    for name, (b_sum, a_sum) in sums.items():
        lines.append(f"| {name} | {_num(b_sum / 6)} | {_num(a_sum / 6)} | "
                     f"{_delta(b_sum, a_sum)} |")
    lines += ["", "## Large-plant start candidates (1,000 orders, 50 machines)", "",
              f"Objective `{LARGE_OBJECTIVE}`; seconds = dispatch and evaluation of one "
              "candidate.", "",
              "| candidate | objective before | after | change | s before | s after |",
              "|---|---:|---:|---:|---:|---:|"]
    for key, b in before.get("large", {}).items():
        if key == "best":
            continue
        a = after.get("large", {}).get(key, {})
        lines.append(f"| {key} | {_num(b['objective'])} | {_num(a.get('objective'))} | "
                     f"{_delta(b['objective'], a.get('objective'))} | {b['seconds']} | "
                     f"{a.get('seconds')} |")
    bb, ab = before.get("large", {}).get("best", {}), after.get("large", {}).get("best", {})
    lines += ["", f"Best: before {bb.get('name')} {_num(bb.get('objective'))}; after "
              f"{ab.get('name')} {_num(ab.get('objective'))}.", "",
              "## Warm start on the bundled instances", "",
              "Objective `weighted-tardiness>setup-time` (values per stage), best of every lot "
              "cut × dispatch rule, no merge descent.", "",
              "| instance | before (rule) | after (rule) |", "|---|---|---|"]
    for key, b in before.get("warm", {}).items():
        a = after.get("warm", {}).get(key, {})
        lines.append(f"| {key} | {b['values']} ({b['best']}) | {a.get('values')} "
                     f"({a.get('best')}) |")
    lines += ["", *_summary(before, after)]
    notes = OUT / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    (OUT / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3:])
    else:
        report(sys.argv[2], sys.argv[3])
