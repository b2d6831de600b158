"""Build a :class:`~prodsched.plant.model.Plant` from parsed tables (any source).

The CSV folder reader (:mod:`prodsched.plant.load`) and the workbook reader
(:mod:`prodsched.plant.workbook`) both parse their tables and hand them here;
every cross-file check and every time conversion happens once, in this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from prodsched.errors import PlantError, Problem
from prodsched.plant import checks
from prodsched.plant.csvfile import Row, Table
from prodsched.plant.fixed import PlantParts, joined_periods, read_fixed
from prodsched.plant.limits import MAX_SPAN, Limits
from prodsched.plant.model import (
    Downtime,
    Machine,
    Order,
    Plant,
    Product,
    RoutingOption,
    SetupRule,
    Step,
)
from prodsched.plant.plantwide import planning_moment, resources_of, unknown_resources
from prodsched.plant.rows import (
    CalendarRow,
    FixedFileRow,
    MachineRow,
    OrderRow,
    ProductRow,
    ResourceRow,
    RoutingRow,
    SettingsRow,
    SetupRow,
    parse_row,
)
from prodsched.plant.times import TIME_COLUMNS, decide_time_axis
from prodsched.plant.values import TimeAxis

# file name → (schema, required?)
PLANT_FILES: dict[str, tuple[type, bool]] = {
    "orders.csv": (OrderRow, True),
    "products.csv": (ProductRow, False),
    "routings.csv": (RoutingRow, True),
    "machines.csv": (MachineRow, False),
    "setups.csv": (SetupRow, False),
    "calendar.csv": (CalendarRow, False),
    "resources.csv": (ResourceRow, False),
    "fixed.csv": (FixedFileRow, False),
    "plant.csv": (SettingsRow, False),
}

__all__ = ["PLANT_FILES", "Limits", "build_plant"]


@dataclass
class _Builder:
    """Cross-row checks of one plant; collects problems.

    Uniqueness and references are checked on the cells' text, for every row,
    so a bad number in a row does not hide a duplicate id in the same row,
    and a row that failed still counts as defining its name (no cascades).
    """

    tables: dict[str, Table]
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, list[tuple[Row, object]]] = field(default_factory=dict)

    def parse_all(self) -> None:
        for name, table in self.tables.items():
            schema = PLANT_FILES[name][0]
            parsed: list[tuple[Row, object]] = []
            for row in table.rows:
                value = parse_row(schema, row, self.problems)
                if value is not None:
                    parsed.append((row, value))
            self.rows[name] = parsed

    def of(self, name: str) -> list[tuple[Row, object]]:
        return self.rows.get(name, [])

    def raw(self, name: str) -> list[Row]:
        table = self.tables.get(name)
        return table.rows if table is not None else []

    def texts(self, name: str, column: str) -> set[str]:
        return {r.cells.get(column, "") for r in self.raw(name)} - {""}

    def unique(self, name: str, columns: tuple[str, ...], what: str) -> None:
        seen: dict[tuple[str, ...], int] = {}
        for row in self.raw(name):
            key = tuple(row.cells.get(c, "") for c in columns)
            if "" in key:
                continue
            if key in seen:
                self.problems.append(row.problem(
                    columns[-1], f"duplicate {what} {'/'.join(key)!r} (first on line {seen[key]})"))
            else:
                seen[key] = row.line


@dataclass(frozen=True)
class _Names:
    """Every name the plant's files define (from their text, parsed or not)."""

    products: frozenset[str]
    routed: frozenset[str]
    families: frozenset[str]
    machines: frozenset[str]
    resources: frozenset[str]
    orders: frozenset[str]

    @classmethod
    def of(cls, b: _Builder) -> _Names:
        routed = b.texts("routings.csv", "product")
        products = b.texts("products.csv", "product") | routed
        families = b.texts("products.csv", "family") | products
        machines = b.texts("machines.csv", "machine")
        for text in b.texts("routings.csv", "machine"):
            machines |= {part.strip() for part in text.split("|")} - {""}
        return cls(frozenset(products), frozenset(routed), frozenset(families),
                   frozenset(machines), frozenset(b.texts("resources.csv", "resource")),
                   frozenset(b.texts("orders.csv", "order_id")))


def build_plant(
    tables: dict[str, Table],
    *,
    name: str = "plant",
    source: Path | None = None,
    start: str | datetime | None = None,
    limits: Limits | None = None,
    warnings: Iterable[str] = (),
) -> Plant:
    """Check read tables across rows and files and build the :class:`Plant`.

    This is shared by every tabular source (CSV folder, workbook).
    """
    limits = limits or Limits()
    b = _Builder(tables)
    b.parse_all()
    names = _Names.of(b)
    b.unique("orders.csv", ("order_id",), "order_id")
    b.unique("products.csv", ("product",), "product")
    b.unique("machines.csv", ("machine",), "machine")
    b.unique("setups.csv", ("machine", "from", "to"), "setup rule machine/from/to")
    b.unique("resources.csv", ("resource",), "resource")
    _check_references(b, names)
    b.problems.extend(unknown_resources({f: b.raw(f) for f in ("routings.csv", "setups.csv")},
                                        names.resources, "resources.csv" in b.tables))

    b.problems.extend(checks.routing_gaps(b.raw("routings.csv")))

    products = _products(b)
    routings, routing_machines = _routings(b)
    machines = _machines(b, routing_machines)
    setup_rows = _setup_rules(b)
    setup_rules = [rule for _, rule in setup_rows]
    b.problems.extend(checks.cyclic_setup_rules(setup_rows, products, machines))
    axis = decide_time_axis({n: b.raw(n) for n in TIME_COLUMNS}, start, b.problems)
    order_rows = _orders(b, routings, axis, limits)
    orders = [order for _, order in order_rows]
    downtimes = _downtimes(b, axis)
    parts = PlantParts(products, routings, {o.order_id: o for o in orders}, names.orders,
                       names.routed, names.machines,
                       {m: joined_periods(downtimes, m) for m in names.machines})
    fixed = read_fixed(b.of("fixed.csv"), axis, parts, b.problems)
    now = planning_moment(b.raw("plant.csv"), b.of("plant.csv"), axis, b.problems)
    if len(names.machines) > limits.max_machines:
        b.problems.append(Problem(
            _machines_file(b), None, None, None,
            f"{len(names.machines):,} machines; the limit is "
            f"{checks.plural(limits.max_machines, 'machine')}"))
    if not b.problems:
        # fixed rows and now count as times of the plant: new work may start after them
        others = [r.end for r in fixed] + ([now] if now is not None else [])
        _check_size(b, order_rows, products, routings, setup_rules, downtimes, limits, others)
    if b.problems:
        raise PlantError(b.problems)
    return Plant(
        orders=tuple(orders),
        products=products,
        routings=routings,
        machines=machines,
        setup_rules=tuple(setup_rules),
        downtimes=tuple(downtimes),
        time_axis=axis,
        name=name,
        source=source,
        warnings=tuple(warnings),
        resources=resources_of(b.of("resources.csv")),
        fixed=tuple(fixed),
        now=now,
    )


def _machines_file(b: _Builder) -> str:
    table = b.tables.get("machines.csv") or b.tables.get("routings.csv")
    return table.file if table is not None else "machines"


def _setup_rules(b: _Builder) -> list[tuple[Row, SetupRule]]:
    out = []
    for row, v in b.of("setups.csv"):
        assert isinstance(v, SetupRow)
        if v.time > MAX_SPAN:
            b.problems.append(row.problem(
                "time", f"a changeover of {row.cells.get('time', '')} time units is longer than "
                f"{checks.SPAN_TEXT}"))
            continue
        out.append((row, SetupRule(v.machine, v.from_, v.to, v.time, v.cost, v.resources)))
    return out


def _check_size(b: _Builder, order_rows: list[tuple[Row, Order]], products: dict[str, Product],
                routings: dict[str, tuple[Step, ...]], setup_rules: list[SetupRule],
                downtimes: list[Downtime], limits: Limits, others: list[int]) -> None:
    """The lots the orders need, and the longest schedule they could need, are in bounds
    (after the latest time of the plant, ``others`` included)."""
    orders = [order for _, order in order_rows]
    product_rows = {row.cells.get("product", ""): row for row in b.raw("products.csv")}
    orders_file = b.tables["orders.csv"].file if "orders.csv" in b.tables else "orders"
    b.problems.extend(checks.too_many_lots(orders, products, product_rows, orders_file,
                                           limits.max_lots))
    latest = max([o.release for o in orders] + [math.ceil(o.due) for o in orders if o.due]
                 + [d.end for d in downtimes] + others + [0])
    downtime = sum(d.end - d.start for d in downtimes)
    b.problems.extend(checks.work_beyond_span(order_rows, routings, setup_rules, latest,
                                              downtime))


def _check_references(b: _Builder, names: _Names) -> None:
    """Every product, family and machine a row names is defined somewhere."""
    for row in b.raw("orders.csv"):
        product = row.cells.get("product", "")
        if product and product not in names.routed:
            b.problems.append(row.problem("product", f"product {product!r} has no routing"))
        if row.cells.get("order_id", "").upper() == "STOCK":
            b.problems.append(row.problem("order_id", "'STOCK' is reserved for surplus units"))
    for row in b.raw("machines.csv"):
        if row.cells.get("machine") == "*":
            b.problems.append(row.problem("machine", "'*' is not a machine name"))
        state = row.cells.get("initial_state", "")
        if state and state not in names.families:
            b.problems.append(row.problem(
                "initial_state", f"{state!r} is neither a product nor a family"))
    for row in b.raw("setups.csv"):
        machine = row.cells.get("machine", "")
        if machine and machine != "*" and machine not in names.machines:
            b.problems.append(row.problem("machine", f"unknown machine {machine!r}"))
        for column in ("from", "to"):
            value = row.cells.get(column, "")
            if value and value != "*" and value not in names.families:
                b.problems.append(row.problem(
                    column, f"{value!r} is neither a product, a family nor '*'"))
    for row in b.raw("calendar.csv"):
        machine = row.cells.get("machine", "")
        if machine and machine != "*" and machine not in names.machines:
            b.problems.append(row.problem("machine", f"unknown machine {machine!r}"))


def _products(b: _Builder) -> dict[str, Product]:
    products: dict[str, Product] = {}
    for row, v in b.of("products.csv"):
        assert isinstance(v, ProductRow)
        if v.max_lot is not None and v.max_lot < v.min_lot:
            b.problems.append(row.problem(
                "max_lot", f"max_lot {v.max_lot} is below min_lot {v.min_lot}"))
            continue
        product = Product(
            name=v.product, family=v.family or v.product, mode=v.mode, min_lot=v.min_lot,
            max_lot=v.max_lot, lot_multiple=v.lot_multiple, holding_cost=v.holding_cost,
            unit_value=v.unit_value)
        low, high = product.lot_size_range()
        if high is not None and low > high:
            b.problems.append(row.problem(
                "lot_multiple", f"no multiple of {v.lot_multiple} lies between min_lot "
                f"{v.min_lot} and max_lot {v.max_lot}"))
            continue
        products.setdefault(v.product, product)
    for _row, v in b.of("routings.csv"):
        assert isinstance(v, RoutingRow)
        products.setdefault(v.product, Product(name=v.product, family=v.product))
    return products


def _routings(b: _Builder) -> tuple[dict[str, tuple[Step, ...]], list[str]]:
    by_step: dict[str, dict[int, list[RoutingOption]]] = {}
    seen: dict[tuple[str, int, str], int] = {}
    machine_names: list[str] = []
    for row, v in b.of("routings.csv"):
        assert isinstance(v, RoutingRow)
        for m in v.machine:
            key = (v.product, v.step, m)
            if key in seen:
                b.problems.append(row.problem(
                    "machine", f"machine {m!r} is listed twice for product {v.product!r} "
                    f"step {v.step} (first on line {seen[key]})"))
                continue
            if m == "*":
                b.problems.append(row.problem("machine", "'*' is not a machine name"))
                continue
            seen[key] = row.line
            by_step.setdefault(v.product, {}).setdefault(v.step, []).append(RoutingOption(
                m, v.time_per_unit, v.fixed_time, v.can_pause, v.resources,
                None if v.max_wait is None else math.floor(v.max_wait)))
            if m not in machine_names:
                machine_names.append(m)
    routings = {
        product: tuple(Step(n, tuple(opts)) for n, opts in sorted(steps.items()))
        for product, steps in by_step.items()
    }
    return routings, machine_names


def _machines(b: _Builder, routing_machines: list[str]) -> dict[str, Machine]:
    machines: dict[str, Machine] = {}
    for _row, v in b.of("machines.csv"):
        assert isinstance(v, MachineRow)
        machines.setdefault(v.machine, Machine(v.machine, v.initial_state, v.cost_per_hour))
    for m in routing_machines:
        machines.setdefault(m, Machine(m))
    return machines


def _units(axis: TimeAxis, value: Fraction | datetime | None) -> Fraction | None:
    if value is None:
        return None
    try:
        return axis.units(value)
    except ValueError:
        return None  # already reported as a mixed form


def _orders(b: _Builder, routings: dict[str, tuple[Step, ...]], axis: TimeAxis,
            limits: Limits) -> list[tuple[Row, Order]]:
    orders = []
    table = b.tables.get("orders.csv")
    if table is not None and not table.rows:
        b.problems.append(Problem(table.file, None, None, None, "the file has no orders"))
    parsed = b.of("orders.csv")
    if len(parsed) > limits.max_orders:
        b.problems.append(Problem(parsed[0][0].file, None, None, None,
                                  f"{len(parsed):,} orders; the limit is "
                                  f"{checks.plural(limits.max_orders, 'order')}"))
    for row, v in parsed:
        assert isinstance(v, OrderRow)
        if v.product not in routings or v.order_id.upper() == "STOCK":
            continue  # reported by _check_references (or its routing row is bad)
        times = {column: _units(axis, getattr(v, column))
                 for column in ("due", "release", "deadline")}
        far = [p for column, units in times.items() if units is not None
               and (p := checks.time_beyond_span(row, column, units)) is not None]
        if far:
            b.problems.extend(far)
            continue
        due, release, deadline = times["due"], times["release"], times["deadline"]
        if release is not None:
            before = [(column, units) for column, units in (("due", due), ("deadline", deadline))
                      if units is not None and units < release]
            for column, _ in before:
                b.problems.append(row.problem(
                    column, f"the {'due date' if column == 'due' else 'deadline'} "
                    f"{row.cells[column]} is before the release {row.cells['release']}"))
            if before:
                continue
        orders.append((row, Order(
            order_id=v.order_id,
            product=v.product,
            quantity=v.quantity,
            due=due,
            release=max(0, math.ceil(release)) if release is not None else 0,
            weight=v.weight,
            deadline=math.floor(deadline) if deadline is not None else None,
        )))
    return orders


def _downtimes(b: _Builder, axis: TimeAxis) -> list[Downtime]:
    downtimes = []
    for row, v in b.of("calendar.csv"):
        assert isinstance(v, CalendarRow)
        start, end = _units(axis, v.start), _units(axis, v.end)
        if start is None or end is None:
            continue
        far = [p for column, units in (("start", start), ("end", end))
               if (p := checks.time_beyond_span(row, column, units)) is not None]
        if far:
            b.problems.extend(far)
            continue
        if end <= start:
            b.problems.append(row.problem(
                "end", f"the end {row.cells['end']} is not after the start {row.cells['start']}"))
            continue
        downtimes.append(Downtime(v.machine, math.floor(start), math.ceil(end)))
    return downtimes

