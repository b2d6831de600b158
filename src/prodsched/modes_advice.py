"""Which mode for which product: per-product KPIs of every mode, a recommended
mode per product with its reason, and the recommended mix solved as one plant.

``prodsched compare-modes --by-product`` solves the plant with every product
one-off, in batches, in mass, and in auto (:func:`~prodsched.modes_compare.compare_modes`),
reads each product's KPIs in each schedule (:mod:`prodsched.schedule.product_kpis`)
and advises, product by product (:func:`advise`):

1. **delivery first**: only the modes whose on-time rate for the product is
   within :data:`ON_TIME_SLACK` of the best count;
2. **economies of scale**: of those, the modes whose cost per unit is within
   :data:`SCALE_GAIN` of the cheapest — a mode cheaper by more than that wins
   on cost alone;
3. **flexibility**: of those, the one with the shortest mean lead time. Lead
   times within :data:`LEAD_TIE` of the shortest are a tie — schedules that
   are all on time differ that much by where the solver happened to place
   work the objective does not weigh — settled by cost per unit (the modes
   within :data:`COST_TIE` of the cheapest of them), then by
   :data:`TIE_ORDER`: one-off (each order on its own, no lot rules) before
   mass (lots whose units stream on) before batch (lots moved whole).

A product with one routing step has nothing to stream, so its mass lots are
batches: it is advised one-off or batch.

The reason is written in the planner's checklist: demand stability, order
size against the lot rules, setup time against run time, capacity used,
delivery, and what the advised mode changes against the runner-up (cost per
unit, lead time, working capital). The advised modes are then solved as one
plant (``hybrid``) and compared with the best single-mode plant and with
``auto``; where ``auto`` made a product otherwise, the comparison says why.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from prodsched.cpsat_runner import SolverSettings
from prodsched.lots.auto import ProductProfile, choose_auto, machine_loads, product_profile
from prodsched.modes_compare import ModeResult, compare_modes, solve_plant
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.product_kpis import ProductKpis
from prodsched.schedule.schedule import Schedule

SINGLE = (Mode.ONE_OFF, Mode.BATCH, Mode.MASS)
"""The single modes the advice chooses among."""

ON_TIME_SLACK = 0.05
"""On-time rates within this of the best one count as equally good deliveries."""

SCALE_GAIN = 0.10
"""A mode must be this much cheaper per unit to win on cost alone."""

LEAD_TIE = 0.25
"""Mean lead times within this share of the shortest one are a tie."""

COST_TIE = 0.02
"""Of modes tied on lead time, those this close to the cheapest of them count as
equally cheap."""

TIE_ORDER = (Mode.ONE_OFF, Mode.MASS, Mode.BATCH)
"""Which mode a tie on lead time goes to."""

HYBRID = "hybrid"
PLANT_ROW = "(plant)"

COLUMNS = ("product", "run", "made_as", "recommended", "units", "lots", "average_lot_size",
           "setups", "setup_time", "setup_share", "machine_cost_per_unit",
           "setup_cost_per_unit", "holding_cost_per_unit", "cost_per_unit", "total_cost",
           "mean_lead_time", "mean_stock", "mean_wip", "stock_value", "wip_value",
           "working_capital", "on_time_rate", "objective", "why")
"""The columns of modes_by_product.csv."""


@dataclass(frozen=True)
class Advice:
    """The recommended mode of one product, the runner-up and why."""

    product: str
    mode: Mode
    reason: str
    runner_up: Mode | None = None


@dataclass
class ByProduct:
    """Everything ``compare-modes --by-product`` shows.

    ``runs`` are the single-mode solves, auto and the hybrid plan (in that
    order); ``profiles`` the plant's checklist figures per product; ``advice``
    the recommendation per product; ``best_single`` the single mode whose
    plant did best on the objective; ``notes`` the plant-level comparison and
    every product where auto disagrees with the advice, and why.
    """

    plant: Plant
    objective: str
    runs: list[ModeResult]
    profiles: dict[str, ProductProfile]
    advice: dict[str, Advice]
    best_single: str | None = None
    notes: list[str] = field(default_factory=list)

    def run(self, label: str) -> ModeResult | None:
        """The run called ``label`` (``one-off``, ..., ``auto``, ``hybrid``)."""
        return next((r for r in self.runs if r.label == label), None)

    def figures(self, product: str) -> dict[str, ProductKpis]:
        """The product's KPIs in every run that made it, by run label."""
        return {r.label: r.schedule.products[product] for r in self.runs
                if r.schedule is not None and product in r.schedule.products}


def duration_text(units: float | Fraction) -> str:
    """A duration in time units read as minutes: ``45 min``, ``5.2 h``, ``1.8 d``."""
    value = float(units)
    if abs(value) < 120:
        return f"{value:.0f} min"
    if abs(value) < 2 * 1440:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} d"


def money_text(value: float | Fraction) -> str:
    """``4,200``, ``12.5``, ``0.031``: three significant figures at most below 1,000."""
    v = float(value)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _capital(k: ProductKpis) -> float:
    """Working capital, or stock and WIP in units when the product has no unit_value."""
    if k.working_capital is not None:
        return float(k.working_capital)
    return float(k.mean_stock + k.mean_wip)


def advise(product: str, figures: dict[Mode, ProductKpis],
           profile: ProductProfile) -> Advice | None:
    """The recommended mode of a product from its KPIs in the single-mode solves.

    Parameters
    ----------
    figures
        Its KPIs in each single-mode schedule (one-off, batch, mass) that made it.
    profile
        Its checklist figures from the plant (for the reason).

    Returns
    -------
    Advice or None
        ``None`` when no single-mode schedule made the product.
    """
    known = {m: k for m, k in figures.items() if m in SINGLE and k.cost_per_unit is not None}
    if profile.steps == 1 and Mode.BATCH in known:
        known.pop(Mode.MASS, None)  # one step: nothing to stream, mass lots are batches
    if not known:
        return None
    best_on_time = max(k.on_time_rate for k in known.values())
    on_time = {m: k for m, k in known.items() if k.on_time_rate >= best_on_time - ON_TIME_SLACK}
    cheapest = min(float(k.cost_per_unit or 0) for k in on_time.values())
    affordable = {m: k for m, k in on_time.items()
                  if float(k.cost_per_unit or 0) <= cheapest * (1 + SCALE_GAIN) + 1e-12}
    chosen = _ranking(affordable)[0]
    others = [m for m in _ranking(on_time) if m != chosen] + [
        m for m in known if m not in on_time]
    runner = others[0] if others else None
    if len(on_time) < len(known):
        rule = "the only mode that delivers as well" if len(on_time) == 1 else (
            "of the modes that deliver best, " + _rule_text(chosen, affordable, on_time))
    else:
        rule = _rule_text(chosen, affordable, on_time)
    reason = _reason(product, chosen, runner, known, profile, rule)
    return Advice(product, chosen, reason, runner)


def _ranking(kpis: dict[Mode, ProductKpis]) -> list[Mode]:
    """Shortest lead time first; lead times within LEAD_TIE of the shortest are a
    tie, settled by cost per unit (within COST_TIE of the cheapest of them), then
    in TIE_ORDER."""
    def lead(m: Mode) -> float:
        value = kpis[m].mean_lead_time
        return float(value) if value is not None else float("inf")

    def cost(m: Mode) -> float:
        return float(kpis[m].cost_per_unit or 0)

    limit = min(lead(m) for m in kpis) * (1 + LEAD_TIE) + 1e-9
    tied = [m for m in kpis if lead(m) <= limit]
    cheap = min(cost(m) for m in tied) * (1 + COST_TIE) + 1e-12
    tied.sort(key=lambda m: (cost(m) > cheap, TIE_ORDER.index(m)))
    rest = sorted((m for m in kpis if m not in tied), key=lambda m: (lead(m), TIE_ORDER.index(m)))
    return tied + rest


def _rule_text(chosen: Mode, affordable: dict[Mode, ProductKpis],
               on_time: dict[Mode, ProductKpis]) -> str:
    if len(affordable) == 1 and len(on_time) > 1:
        return f"cheapest per unit by more than {SCALE_GAIN:.0%}"
    if len(affordable) == 1:
        return "the only mode that made it"
    return (f"costs per unit within {SCALE_GAIN:.0%} of the cheapest, and of those the "
            "shortest lead time" + (f" (lead times within {LEAD_TIE:.0%} of each other: the "
                                    "cheaper, then one-off before mass before batch)"
                                    if _tied(chosen, affordable) else ""))


def _tied(chosen: Mode, kpis: dict[Mode, ProductKpis]) -> bool:
    """Whether another mode's lead time is within LEAD_TIE of the shortest, as ``chosen``'s."""
    leads = {m: float(k.mean_lead_time) for m, k in kpis.items() if k.mean_lead_time is not None}
    if chosen not in leads:
        return False
    limit = min(leads.values()) * (1 + LEAD_TIE) + 1e-9
    return leads[chosen] <= limit and any(m != chosen and v <= limit for m, v in leads.items())


def _reason(product: str, chosen: Mode, runner: Mode | None, known: dict[Mode, ProductKpis],
            profile: ProductProfile, rule: str) -> str:
    k = known[chosen]
    facts = [profile.demand_text()]
    if profile.orders:
        sizes = f"orders of {profile.mean_order:,.4g} units on average"
        if profile.off_lot_orders > 0:
            sizes += f", {profile.off_lot_orders:.0%} of them not a lot size of their own"
        facts.append(sizes)
    shares = ", ".join(f"{known[m].setup_share:.0%} {_as(m)}" for m in SINGLE if m in known)
    facts.append(f"setups are {shares} of its machine time")
    if profile.capacity_used is not None:
        facts.append(profile.capacity_text())
    facts.append(f"on time {k.on_time_rate:.0%}")
    text = f"{product}: {chosen.value} — {rule}; " + ", ".join(facts)
    others = [runner] if runner is not None else []
    others += [m for m in SINGLE if m in known and m not in (chosen, runner)]
    return text + "".join("; " + compare_text(k, known[m], m.value) for m in others)


def _as(mode: Mode) -> str:
    return {"one-off": "one-off", "batch": "in batches", "mass": "in mass"}.get(
        mode.value, f"as {mode.value}")


def compare_text(k: ProductKpis, other: ProductKpis, other_name: str) -> str:
    """``21 % lower cost per unit than batch, lead time 1.8 d → 2.4 d, working capital +4,200``."""
    parts = []
    a, b = float(k.cost_per_unit or 0), float(other.cost_per_unit or 0)
    if b > 0 and abs(a - b) / b >= 0.005:
        parts.append(f"{abs(a - b) / b:.0%} {'lower' if a < b else 'higher'} cost per unit "
                     f"than {other_name} ({money_text(a)} vs {money_text(b)})")
    else:
        parts.append(f"cost per unit as {other_name} ({money_text(a)})")
    if k.mean_lead_time is not None and other.mean_lead_time is not None:
        parts.append(f"lead time {duration_text(other.mean_lead_time)} → "
                     f"{duration_text(k.mean_lead_time)}")
    delta = _capital(k) - _capital(other)
    what = "working capital" if k.working_capital is not None else "stock and WIP (units)"
    parts.append(f"{what} {'+' if delta >= 0 else '−'}{money_text(abs(delta))}")
    return ", ".join(parts)


def compare_by_product(plant: Plant, *, objective: str = DEFAULT_OBJECTIVE,
                       time_limit: float = 30.0,
                       settings: SolverSettings | None = None) -> ByProduct:
    """Solve every mode and auto, advise per product, solve the advice as one plant.

    Each solve gets ``time_limit`` seconds (five solves in all).
    """
    runs = compare_modes(plant, objective=objective, time_limit=time_limit, settings=settings)
    setups, loads = SetupTable(plant), machine_loads(plant)
    profiles = {name: product_profile(plant, name, setups=setups, loads=loads)
                for name in plant.products if any(o.product == name for o in plant.orders)}
    advice: dict[str, Advice] = {}
    for name, profile in profiles.items():
        figures = {r.mode: r.schedule.products[name] for r in runs
                   if r.mode in SINGLE and r.schedule is not None
                   and name in r.schedule.products}
        found = advise(name, figures, profile)
        if found is not None:
            advice[name] = found
    result = ByProduct(plant, objective, runs, profiles, advice)
    if advice:
        mix = {name: a.mode for name, a in advice.items()}
        runs.append(solve_plant(plant, Mode.AUTO, objective=objective, time_limit=time_limit,
                                settings=settings, modes=mix, name=HYBRID))
    result.best_single = _best_single(runs, objective)
    result.notes = _notes(result)
    return result


def _best_single(runs: list[ModeResult], objective: str) -> str | None:
    """The single mode whose plant does best on the objective (then on total cost)."""
    parsed = parse_objective(objective)
    done = [(r.label, r.schedule) for r in runs
            if r.mode in SINGLE and r.modes is None and r.schedule is not None]
    if not done:
        return None
    return min(done, key=lambda item: (parsed.values(item[1].kpis),
                                       plant_totals(item[1])["total_cost"] or 0.0))[0]


def plant_totals(schedule: Schedule) -> dict[str, float | None]:
    """Plant-wide sums and means of the per-product KPIs of one schedule."""
    products = list(schedule.products.values())
    leads = [o.completion - schedule.plant.order_by_id[o.order_id].release
             for o in schedule.outcomes if o.completion is not None]
    valued = [p.working_capital for p in products if p.working_capital is not None]
    return {
        "units": sum(p.units for p in products),
        "lots": sum(p.lots for p in products),
        "setups": sum(p.setups for p in products),
        "setup_time": sum(p.setup_time for p in products),
        "total_cost": float(sum((p.total_cost for p in products), Fraction(0))),
        "mean_lead_time": float(sum(leads) / len(leads)) if leads else None,
        "mean_stock": float(sum((p.mean_stock for p in products), Fraction(0))),
        "mean_wip": float(sum((p.mean_wip for p in products), Fraction(0))),
        "stock_value": _sum_or_none([p.stock_value for p in products]),
        "wip_value": _sum_or_none([p.wip_value for p in products]),
        "working_capital": float(sum(valued, Fraction(0))) if valued else None,
        "on_time_rate": round(schedule.kpis.on_time_rate, 4),
    }


def _sum_or_none(values: list[Fraction | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known, Fraction(0))) if known else None


def _plant_line(result: ByProduct, r: ModeResult) -> str:
    if r.schedule is None:
        return f"{r.label}: {r.reason}"
    t = plant_totals(r.schedule)
    values = " > ".join(f"{float(v):g}" for v in
                        parse_objective(result.objective).values(r.schedule.kpis))
    capital = ("" if t["working_capital"] is None
               else f", working capital {money_text(t['working_capital'])}")
    lead = "" if t["mean_lead_time"] is None else (
        f", mean lead time {duration_text(t['mean_lead_time'])}")
    return (f"{r.label}: objective {values}, total cost {money_text(t['total_cost'] or 0)}"
            f"{capital}{lead}, on time {t['on_time_rate']:.0%}")


def _notes(result: ByProduct) -> list[str]:
    notes = []
    hybrid, auto = result.run(HYBRID), result.run(Mode.AUTO.value)
    shown = [r for r in (hybrid, result.run(result.best_single or ""), auto) if r is not None]
    for r in shown:
        tag = " (best single mode)" if r.label == result.best_single else ""
        notes.append(_plant_line(result, r) + tag)
    if auto is None or auto.schedule is None:
        return notes
    for name, advice in result.advice.items():
        made = auto.schedule.products.get(name)
        if made is None or made.mode == advice.mode.value:
            continue
        notes.append(disagreement(result, name, advice, made, auto.schedule))
    return notes


def disagreement(result: ByProduct, name: str, advice: Advice, made: ProductKpis,
                 auto: Schedule) -> str:
    """Why auto made ``name`` otherwise than advised."""
    entry = auto.info.details.get("modes", {}).get("products", {}).get(name, {})
    why = entry.get("auto", {}).get("why") or choose_auto(result.profiles[name]).reason
    figures = result.figures(name)
    measured = figures.get(advice.mode.value)
    same = figures.get(made.mode) if made.mode in {m.value for m in SINGLE} else None
    text = (f"auto made {name} as {made.mode}, the advice is {advice.mode.value}: auto decides "
            f"before solving, from the plant's figures ({why})")
    if measured is not None and same is not None:
        text += (f"; in the mode solves {advice.mode.value} had "
                 + compare_text(measured, same, made.mode))
    return text


def rows(result: ByProduct) -> list[dict[str, Any]]:
    """The rows of modes_by_product.csv: a row per product and run, then per run the plant."""
    out: list[dict[str, Any]] = []
    for name in result.profiles:
        advice = result.advice.get(name)
        for r in result.runs:
            if r.schedule is None or name not in r.schedule.products:
                continue
            k = r.schedule.products[name]
            recommended = advice is not None and r.label == advice.mode.value
            row = {"product": name, "run": r.label, "made_as": k.mode,
                   "recommended": "yes" if recommended else "",
                   "why": advice.reason if recommended and advice else ""}
            for key in COLUMNS[4:-2]:
                value = k.total_cost if key == "total_cost" else getattr(k, key)
                row[key] = _num(value)
            out.append(row)
    parsed = parse_objective(result.objective)
    for r in result.runs:
        if r.schedule is None:
            out.append({"product": PLANT_ROW, "run": r.label, "why": r.reason})
            continue
        totals = plant_totals(r.schedule)
        row = {"product": PLANT_ROW, "run": r.label,
               "made_as": ";".join(f"{n}:{k.mode}" for n, k in r.schedule.products.items()),
               "recommended": "best single mode" if r.label == result.best_single else "",
               "objective": " > ".join(f"{float(v):g}" for v in
                                       parsed.values(r.schedule.kpis))}
        row.update({key: _num(v) for key, v in totals.items() if key in COLUMNS})
        out.append(row)
    return out


def _num(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Fraction | float):
        return round(float(value), 4)
    return value


def table_csv(result: ByProduct) -> str:
    """modes_by_product.csv."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows(result):
        writer.writerow({k: row.get(k, "") for k in COLUMNS})
    return buf.getvalue()


TEXT_COLUMNS = (("run", 8), ("made_as", 8), ("lots", 5), ("setups", 6), ("setup_share", 6),
                ("cost_per_unit", 10), ("mean_lead_time", 9), ("working_capital", 10),
                ("on_time_rate", 7))
TEXT_HEADS = {"run": "run", "made_as": "made as", "lots": "lots", "setups": "setups",
              "setup_share": "setup%", "cost_per_unit": "cost/unit", "mean_lead_time": "lead",
              "working_capital": "capital", "on_time_rate": "on time"}


def table_text(result: ByProduct) -> str:
    """The comparison as text: a small table per product, its advice, then the plant."""
    lines: list[str] = []
    by_product: dict[str, list[dict[str, Any]]] = {}
    for row in rows(result):
        by_product.setdefault(row["product"], []).append(row)
    for name in result.profiles:
        lines.append(f"{name}")
        lines.append("  " + " ".join(f"{TEXT_HEADS[c]:>{w}}" for c, w in TEXT_COLUMNS))
        for row in by_product.get(name, []):
            cells = [_text_cell(c, row.get(c)) for c, _ in TEXT_COLUMNS]
            mark = "  <- advised" if row["recommended"] else ""
            lines.append("  " + " ".join(f"{c:>{w}}" for c, (_, w) in
                                         zip(cells, TEXT_COLUMNS, strict=True)) + mark)
        if name in result.advice:
            lines.append(f"  advice: {result.advice[name].reason}")
        lines.append("")
    lines.append("plant:")
    lines.extend(f"  {note}" for note in result.notes)
    return "\n".join(lines)


def _text_cell(column: str, value: Any) -> str:
    if value in (None, ""):
        return "-"
    if column == "setup_share":
        return f"{float(value):.0%}"
    if column == "on_time_rate":
        return f"{float(value):.0%}"
    if column == "mean_lead_time":
        return duration_text(float(value))
    if column in ("cost_per_unit", "working_capital"):
        return money_text(float(value))
    return str(value)[:8]
