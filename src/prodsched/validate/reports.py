"""Rule 9: orders_report.csv and kpis.json agree with schedule.csv."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from prodsched.plant.model import Order, Plant
from prodsched.plant.values import parse_number
from prodsched.validate.changes import (
    MOVED_COLUMN,
    check_changes,
    moved_problem,
    previous_completions,
)
from prodsched.validate.products import check_products
from prodsched.validate.read import Bar, Time, csv_records, read_header, whole
from prodsched.validate.resources import check_resource_kpis
from prodsched.validate.violation import Violation

REPORT = "orders_report.csv"
KPIS = "kpis.json"
REPORT_COLUMNS = ("order_id", "product", "quantity", "due", "completion", "tardiness", "lots")
KPI_KEYS = ("status", "objective", "bound", "makespan", "total_setup_time", "setup_count",
            "total_setup_cost", "total_tardiness", "weighted_tardiness", "late_orders",
            "on_time_rate", "solve_seconds", "utilization")
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
TOLERANCE = 1e-6


def close(a: float | Fraction, b: float | Fraction) -> bool:
    """Equal within 1e-6 (plus a relative 1e-9 for large values)."""
    return abs(float(a) - float(b)) <= TOLERANCE + 1e-9 * abs(float(b))


def tardiness(order: Order, done: dict[str, Bar]) -> Fraction:
    """``max(0, completion - due)``; 0 without a due date or a completion."""
    bar = done.get(order.order_id)
    if order.due is None or bar is None:
        return Fraction(0)
    return max(Fraction(0), bar.end - order.due)


def check_report(plant: Plant, text: str, bars: list[Bar], done: dict[str, Bar],
                 out: list[Violation]) -> None:
    """orders_report.csv: one row per order, with product, quantity, due, completion,
    tardiness and lots as schedule.csv implies."""
    records = csv_records(text)
    first = text.removeprefix("\ufeff").split("\n", 1)[0]
    moved = MOVED_COLUMN in [c.strip() for c in first.split(",")]
    positions = read_header(records, REPORT_COLUMNS + ((MOVED_COLUMN,) if moved else ()),
                            REPORT, out)
    if positions is None:
        return
    before = previous_completions(plant) if moved and plant.previous is not None else None
    lots: dict[str, set[str]] = defaultdict(set)
    for bar in bars:
        if bar.kind == "run":
            for order_id, _ in bar.orders:
                lots[order_id].add(bar.lot)
    seen: dict[str, int] = {}
    for line, record in records:
        if len(record) != len(positions):
            out.append(Violation("format", f"{len(record)} cells; the header has "
                                 f"{len(positions)}", REPORT, line))
            continue
        cell = {k: record[i] for k, i in positions.items()}
        order = plant.order_by_id.get(cell["order_id"])
        if order is None:
            out.append(Violation("9 report", f"unknown order {cell['order_id']!r}", REPORT, line))
            continue
        if order.order_id in seen:
            out.append(Violation("9 report", f"order {order.order_id} is listed twice (also on "
                                 f"line {seen[order.order_id]})", REPORT, line))
            continue
        seen[order.order_id] = line
        last = done.get(order.order_id)
        problems = _report_row(plant, order, cell, None if last is None else last.end,
                               tardiness(order, done), lots[order.order_id])
        if before is not None:
            problem = moved_problem(cell[MOVED_COLUMN], None if last is None else last.end,
                                    before.get(order.order_id))
            problems += [problem] if problem else []
        out.extend(Violation("9 report", f"order {order.order_id}: {p}", REPORT, line)
                   for p in problems)
    for order in plant.orders:
        if order.order_id not in seen:
            out.append(Violation("9 report", f"order {order.order_id} has no row", REPORT, None))


def _report_row(plant: Plant, order: Order, cell: dict[str, str], completion: Time | None,
                tardy: Fraction, lots: set[str]) -> list[str]:
    problems = []
    if cell["product"] != order.product:
        problems.append(f"product {cell['product']!r}, expected {order.product}")
    if whole(cell["quantity"]) != order.quantity:
        problems.append(f"quantity {cell['quantity']!r}, expected {order.quantity}")
    for column, expected in (("due", order.due), ("completion", completion)):
        text = cell[column]
        want = "" if expected is None else plant.time_axis.format(expected)
        if expected is None or not text:
            if text != want:
                problems.append(f"{column} {text!r}, expected {want!r}")
            continue
        try:
            ok = close(plant.time_axis.parse(text), expected)
        except ValueError as err:
            problems.append(f"{column} {text!r}: {err}")
            continue
        if not ok:
            problems.append(f"{column} {text!r}, expected {want!r}")
    try:
        ok = close(parse_number(cell["tardiness"]), tardy)
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"tardiness {cell['tardiness']!r}, expected {float(tardy):g}")
    listed = {lot.strip() for lot in cell["lots"].split(";") if lot.strip()}
    if listed != lots:
        problems.append(f"lots {cell['lots']!r}, expected {';'.join(sorted(lots))!r}")
    return problems


def load_kpis(text: str, out: list[Violation]) -> dict[str, Any] | None:
    """kpis.json as a dict, or ``None`` (reported) when it is not a JSON object."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        out.append(Violation("format", f"not valid JSON: {err}", KPIS, None))
        return None
    if not isinstance(data, dict):
        out.append(Violation("format", "not a JSON object", KPIS, None))
        return None
    return data


def time_zero(plant: Plant, kpis: dict[str, Any], out: list[Violation]) -> Fraction:
    """The solve's time 0 in plant time units: kpis.json's ``time_zero`` if given, else 0."""
    text = kpis.get("time_zero")
    if text is None:
        return Fraction(0)
    try:
        return plant.time_axis.parse(str(text))
    except ValueError as err:
        out.append(Violation("format", f"time_zero {text!r}: {err}", KPIS, None))
        return Fraction(0)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_kpis(plant: Plant, kpis: dict[str, Any], bars: list[Bar], done: dict[str, Bar],
               setup_cost: Fraction, zero: Fraction, out: list[Violation]) -> None:
    """kpis.json: the required keys, and values that agree with schedule.csv."""
    def bad(message: str) -> None:
        out.append(Violation("9 report", message, KPIS, None))

    for key in KPI_KEYS:
        if key not in kpis:
            bad(f"missing key {key!r}")
    if "status" in kpis and kpis["status"] not in STATUSES:
        bad(f"status {kpis['status']!r} is not one of {', '.join(STATUSES)}")
    runs = [b for b in bars if b.kind == "run"]
    setups = [b for b in bars if b.kind == "setup"]
    tardy = {o.order_id: tardiness(o, done) for o in plant.orders}
    late = sum(1 for t in tardy.values() if t > 0)
    expected: dict[str, Fraction | float | int] = {
        "makespan": max((r.end for r in runs), default=zero) - zero,
        "total_setup_time": sum((s.length for s in setups), Fraction(0)),
        "setup_count": len(setups),
        "total_setup_cost": setup_cost,
        "total_tardiness": sum(tardy.values(), Fraction(0)),
        "weighted_tardiness": sum((o.weight * tardy[o.order_id] for o in plant.orders),
                                  Fraction(0)),
        "late_orders": late,
        "on_time_rate": 1 - late / len(plant.orders) if plant.orders else 1.0,
    }
    for key, want in expected.items():
        if key not in kpis:
            continue
        got = _number(kpis[key])
        if got is None or not close(got, want):
            bad(f"{key} is {kpis[key]!r}; schedule.csv gives {float(want):g}")
    for key in ("objective", "bound"):
        if key in kpis and kpis[key] is not None and _number(kpis[key]) is None:
            bad(f"{key} {kpis[key]!r} is neither a number nor null")
    objective, bound = _number(kpis.get("objective")), _number(kpis.get("bound"))
    if objective is not None and bound is not None and bound > objective + TOLERANCE:
        bad(f"bound {bound:g} is above the objective {objective:g}")
    seconds = _number(kpis.get("solve_seconds"))
    if "solve_seconds" in kpis and (seconds is None or seconds < 0):
        bad(f"solve_seconds {kpis['solve_seconds']!r} is not a number >= 0")
    _check_utilization(plant, kpis, bad)
    check_products(plant, kpis, bars, done, close, bad)
    check_resource_kpis(plant, kpis, bars, zero, close, bad)
    check_changes(plant, kpis, bars, out)


def _check_utilization(plant: Plant, kpis: dict[str, Any], bad: Callable[[str], None]) -> None:
    if "utilization" not in kpis:
        return
    util = kpis["utilization"]
    if not isinstance(util, dict):
        bad("utilization is not an object of machine: fraction")
        return
    for machine in plant.machines:
        value = _number(util.get(machine))
        if value is None or not -TOLERANCE <= value <= 1 + TOLERANCE:
            bad(f"utilization of {machine} is {util.get(machine)!r}; expected a number in [0, 1]")
