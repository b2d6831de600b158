"""Random plants of any size, for benchmarks and tests.

A :class:`GeneratorConfig` says how many orders, products, families and
machines, how long the routings are, how many alternative machines a step
has, how heavy the changeovers are, how tight the due dates, which production
modes, and whether there are calendars, date-times and hard deadlines.
:func:`generate_plant_files` turns it into the CSV files of a plant folder
(deterministic for a seed, whatever Python's hash seed); :func:`write_plant`
writes them.

Examples
--------
>>> files = generate_plant_files(GeneratorConfig(orders=20, machines=3, seed=1))
>>> sorted(files)
['machines.csv', 'orders.csv', 'products.csv', 'routings.csv', 'setups.csv']
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

from prodsched.generate.catalog import Catalog, build_catalog
from prodsched.generate.config import GeneratorConfig, parse_mode_mix
from prodsched.generate.csvtext import Cell, csv_text, iso_minutes, write_plant_folder
from prodsched.generate.shopfloor import (
    RowRules,
    availability,
    resource_rows,
    row_rules,
    shift_downtime,
)
from prodsched.generate.timeline import (
    WEEK,
    OrderSpec,
    Pattern,
    downtime_rows,
    draw_calendar,
    draw_orders,
)

__all__ = ["GeneratorConfig", "generate_plant_files", "parse_mode_mix", "write_plant"]


def generate_plant_files(config: GeneratorConfig) -> dict[str, str]:
    """The CSV files of a random plant.

    Parameters
    ----------
    config
        What to generate (see :class:`GeneratorConfig`).

    Returns
    -------
    dict[str, str]
        File name → CSV text: orders, products, routings, machines, and
        setups.csv (unless ``setup_ratio`` is 0), calendar.csv (when
        ``config.calendar`` or ``config.shifts``) and resources.csv (with crews
        or operators).
    """
    rng = random.Random(config.seed)
    catalog = build_catalog(config, rng)
    if config.shifts:  # every machine on the shift calendar (for the load estimate)
        down = round(WEEK * (1 - availability(config.shifts)))
        patterns = {m: Pattern(m, WEEK, down) for m in catalog.machines}
    else:
        patterns = draw_calendar(config, catalog, rng)
    orders, load = draw_orders(config, catalog, patterns, rng)
    rules = row_rules(config, catalog) if (config.pause_share or config.max_wait_share) else {}

    def time(minutes: int | None) -> Cell:
        if minutes is None or not config.datetimes:
            return minutes
        return iso_minutes(config.start, minutes)

    files = {
        "orders.csv": _orders_csv(orders, time),
        "products.csv": _products_csv(catalog),
        "routings.csv": _routings_csv(catalog, rules, config.operators > 0),
        "machines.csv": csv_text(
            ("machine", "initial_state"),
            [(m, catalog.initial_states.get(m)) for m in catalog.machines]),
    }
    if catalog.setups:
        crew = config.setup_crews > 0
        files["setups.csv"] = csv_text(
            ("machine", "from", "to", "time", "cost", *(["resources"] if crew else [])),
            [(s.machine, s.from_, s.to, s.time, s.cost,
              *([("setup_crew" if s.time > 0 else None)] if crew else []))
             for s in catalog.setups])
    if config.shifts:
        last = max(max(o.deadline or o.due for o in orders), math.ceil(3 * load.makespan))
        files["calendar.csv"] = csv_text(
            ("machine", "start", "end"),
            [("*", time(a), time(b)) for a, b in shift_downtime(config.shifts, last)])
    elif patterns:
        downtimes = downtime_rows(patterns, orders, load)
        files["calendar.csv"] = csv_text(
            ("machine", "start", "end"), [(m, time(a), time(b)) for m, a, b in downtimes])
    if resource_rows(config):
        files["resources.csv"] = csv_text(("resource", "capacity"), resource_rows(config))
    return files


def write_plant(config: GeneratorConfig, folder: str | Path) -> Path:
    """Generate a plant and write its files into ``folder`` (created if needed).

    Plant files of an earlier plant in ``folder`` that this one does not have
    (calendar.csv, setups.csv) are removed; other files are left alone.

    Returns
    -------
    Path
        The folder, ready for :func:`prodsched.plant.load_plant`.
    """
    return write_plant_folder(folder, generate_plant_files(config))


def _orders_csv(orders: list[OrderSpec], time: Callable[[int | None], Cell]) -> str:
    with_deadlines = any(o.deadline is not None for o in orders)
    header = ["order_id", "product", "quantity", "due", "release", "weight"]
    rows: list[list[Cell]] = []
    for o in orders:
        row: list[Cell] = [o.order_id, o.product, o.quantity, time(o.due), time(o.release),
                           o.weight]
        if with_deadlines:
            row.append(time(o.deadline))
        rows.append(row)
    return csv_text(header + ["deadline"] * with_deadlines, rows)


def _products_csv(catalog: Catalog) -> str:
    header = ("product", "family", "mode", "min_lot", "max_lot", "lot_multiple", "holding_cost")
    return csv_text(header, [
        (p.name, p.family, p.mode.value, p.min_lot, p.max_lot, p.lot_multiple,
         p.holding_cost if p.holding_cost else None)
        for p in catalog.products])


def _routings_csv(catalog: Catalog, rules: dict[tuple[str, int, int], RowRules],
                  operators: bool) -> str:
    header = ["product", "step", "machine", "time_per_unit", "fixed_time"]
    pause = any(r.can_pause for r in rules.values())
    wait = any(r.max_wait is not None for r in rules.values())
    header += ["can_pause"] * pause + ["max_wait"] * wait + ["resources"] * operators
    rows: list[list[Cell]] = []
    for p in catalog.products:
        for s, step in enumerate(p.steps):
            for c, choice in enumerate(step):
                row: list[Cell] = [p.name, s + 1, "|".join(choice.machines),
                                   choice.time_per_unit, choice.fixed_time]
                rule = rules.get((p.name, s, c))
                if pause:
                    row.append("yes" if rule is not None and rule.can_pause else "no")
                if wait:
                    row.append(rule.max_wait if rule is not None else None)
                if operators:
                    row.append("operator")
                rows.append(row)
    return csv_text(header, rows)
