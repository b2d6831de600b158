"""Reading fixed.csv: work already decided, checked against the rest of the plant.

A fixed row has the columns of schedule.csv. Every row must be one the
schedule can keep exactly, so each rule a kept row could break is checked
here and reported at the row's line and column:

- references: a known machine, a product with a routing, one of its steps,
  a machine eligible for that step, known orders of that product;
- the row itself: kind ``run`` or ``setup``; a run names its mode (never
  ``auto``; the product's own unless the product is ``auto``), step,
  quantity and allocations, and the allocations add up to the quantity;
  times are whole time units, not before time 0, ``end`` not before
  ``start``; a run lasts at least its duration (counting only its work time
  when it may pause);
- its machine: no fixed row overlaps the machine's unavailable time (a run
  that may pause may span it, but neither starts nor ends inside it), and no
  two fixed rows of a machine overlap; a fixed setup is followed on its
  machine by a fixed run of its lot (once a changeover has begun, its run is
  committed too);
- its lot: every row of a lot agrees on product, mode, quantity and
  allocations; its fixed steps are the first steps of its routing, each once,
  in order (and within the ``max_wait`` of the later step's row); it starts
  no earlier than its orders' releases; a one-off lot holds exactly one whole
  order, a batch or mass lot respects the product's lot sizes;
- the orders: no order has more units in fixed lots than it ordered (each
  lot counted once, not once per step).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from prodsched.errors import Problem
from prodsched.plant.checks import time_beyond_span
from prodsched.plant.csvfile import Row
from prodsched.plant.model import Downtime, FixedRow, Mode, Order, Product, RoutingOption, Step
from prodsched.plant.rows import FixedFileRow
from prodsched.plant.values import TimeAxis, parse_integer

STOCK = "STOCK"
RUN_COLUMNS = ("mode", "step", "quantity", "orders")


@dataclass(frozen=True)
class PlantParts:
    """What the fixed rows are checked against (the plant as far as it was read).

    ``order_ids``, ``routed`` and ``machine_names`` hold every name the files
    define, parsed or not (so that a bad cell elsewhere causes no cascade).
    """

    products: Mapping[str, Product]
    routings: Mapping[str, tuple[Step, ...]]
    orders: Mapping[str, Order]
    order_ids: frozenset[str]
    routed: frozenset[str]
    machine_names: frozenset[str]
    unavailable: Mapping[str, list[tuple[int, int]]]


def parse_allocations(text: str) -> tuple[tuple[str, int], ...]:
    """Read ``order_id:units;order_id:units`` (units whole numbers >= 1).

    Raises
    ------
    ValueError
        With a message for the user.
    """
    out: list[tuple[str, int]] = []
    for part in text.split(";"):
        order_id, colon, units_text = part.strip().rpartition(":")
        order_id = order_id.strip()
        try:
            units = parse_integer(units_text) if colon else 0
        except ValueError:
            units = 0
        if not order_id or units < 1:
            raise ValueError(f"{part.strip()!r} in {text!r} is not order_id:units with whole "
                             "units >= 1")
        if any(seen == order_id for seen, _ in out):
            raise ValueError(f"order {order_id!r} is allocated twice in {text!r}")
        out.append((order_id, units))
    return tuple(out)


def read_fixed(rows: Sequence[tuple[Row, object]], axis: TimeAxis, parts: PlantParts,
               problems: list[Problem]) -> list[FixedRow]:
    """The fixed rows, in file order; every problem found is appended to ``problems``.

    Rows with a problem of their own are left out of the checks across rows
    (no cascades); the result is only used when ``problems`` stays empty.
    """
    checker = _Checker(parts, axis, problems)
    good = [(row, fixed) for row, value in rows
            if (fixed := checker.row(row, value)) is not None]
    checker.across(good)
    return [fixed for _, fixed in good]


class _Checker:
    def __init__(self, parts: PlantParts, axis: TimeAxis, problems: list[Problem]):
        self.parts = parts
        self.axis = axis
        self.problems = problems

    def add(self, row: Row, column: str | None, message: str) -> None:
        self.problems.append(row.problem(column, message))

    # -- one row ---------------------------------------------------------------

    def row(self, row: Row, v: object) -> FixedRow | None:
        assert isinstance(v, FixedFileRow)
        n = len(self.problems)
        start = self._time(row, "start", v.start)
        end = self._time(row, "end", v.end)
        if start is not None and end is not None and end < start:
            self.add(row, "end", f"the end {row.cells['end']} is before the start "
                                 f"{row.cells['start']}")
        p = self.parts
        if v.machine not in p.machine_names or v.machine == "*":
            self.add(row, "machine", f"unknown machine {v.machine!r}")
        if v.product not in p.routed:
            self.add(row, "product", f"product {v.product!r} has no routing")
        run = self._run_cells(row, v) if v.kind == "run" else None
        if start is None or end is None or len(self.problems) > n:
            return None
        if run is None:
            return FixedRow(v.machine, "setup", v.lot, v.product, start, end, line=row.line)
        mode, step, quantity, allocations = run
        return FixedRow(v.machine, "run", v.lot, v.product, start, end, mode, step, quantity,
                        allocations, line=row.line)

    def _time(self, row: Row, column: str, value: Fraction | datetime) -> int | None:
        try:
            units = self.axis.units(value)
        except ValueError:
            return None  # a mixed form, reported with the plant's time axis
        far = time_beyond_span(row, column, units)
        if far is not None:
            self.problems.append(far)
            return None
        text = row.cells.get(column, "")
        if units.denominator != 1:
            unit = "minute" if self.axis.is_datetime else "time unit"
            self.add(row, column, f"{text!r} is not a whole {unit}; fixed rows are kept "
                                  "exactly, so their times must be")
            return None
        if units < 0:
            self.add(row, column, f"{text!r} is before time 0"
                     + (" (give an earlier --start)" if self.axis.is_datetime else ""))
            return None
        return int(units)

    def _run_cells(self, row: Row, v: FixedFileRow
                   ) -> tuple[Mode, int, int, tuple[tuple[str, int], ...]] | None:
        missing = [c for c in RUN_COLUMNS if getattr(v, c) is None]
        for column in missing:
            self.add(row, column, "required value is empty (a run row names its mode, step, "
                                  "quantity and orders)")
        if missing:
            return None
        assert v.mode is not None and v.step is not None and v.quantity is not None
        assert v.orders is not None
        n = len(self.problems)
        product = self.parts.products.get(v.product)
        if v.mode is Mode.AUTO:
            self.add(row, "mode", "a fixed lot is one-off, batch or mass, not auto")
        elif product is not None and product.mode not in (Mode.AUTO, v.mode):
            self.add(row, "mode", f"mode {v.mode.value}, but product {v.product!r} is made "
                                  f"{product.mode.value}")
        self._eligible(row, v)
        try:
            allocations = parse_allocations(v.orders)
        except ValueError as err:
            self.add(row, "orders", str(err))
            return None
        for order_id, _ in allocations:
            order = self.parts.orders.get(order_id)
            if order_id != STOCK and order_id not in self.parts.order_ids:
                self.add(row, "orders", f"unknown order {order_id!r}")
            elif order is not None and order.product != v.product \
                    and v.product in self.parts.routed:
                self.add(row, "orders", f"order {order_id!r} is for product {order.product!r}, "
                                        f"not {v.product!r}")
        total = sum(units for _, units in allocations)
        if total != v.quantity:
            self.add(row, "quantity", f"{v.quantity} units, but the allocations {v.orders!r} "
                                      f"add up to {total}")
        if len(self.problems) > n:
            return None
        return v.mode, v.step, v.quantity, allocations

    def _eligible(self, row: Row, v: FixedFileRow) -> None:
        steps = self.parts.routings.get(v.product)
        if steps is None:
            return
        step = next((s for s in steps if s.number == v.step), None)
        if step is None:
            self.add(row, "step", f"product {v.product!r} has no step {v.step} (its steps are "
                                  f"{', '.join(str(s.number) for s in steps)})")
        elif step.option(v.machine) is None and v.machine in self.parts.machine_names:
            self.add(row, "machine", f"machine {v.machine!r} is not eligible for product "
                                     f"{v.product!r} step {v.step}")

    # -- across rows -----------------------------------------------------------

    def across(self, good: list[tuple[Row, FixedRow]]) -> None:
        for row, fixed in good:
            self._calendar(row, fixed)
        self._machines(good)
        lots: dict[str, list[tuple[Row, FixedRow]]] = defaultdict(list)
        for row, fixed in good:
            if fixed.kind == "run":
                lots[fixed.lot].append((row, fixed))
        heads: list[tuple[Row, FixedRow]] = []
        auto_modes: dict[str, tuple[Mode, int]] = {}
        for rows in lots.values():
            if not self._lot_agrees(rows):
                continue
            heads.append(rows[0])
            self._lot_steps(rows)
            self._lot_size(*rows[0], auto_modes)
        self._order_units(heads)

    def _calendar(self, row: Row, fixed: FixedRow) -> None:
        down = self.parts.unavailable.get(fixed.machine, [])
        option = self._option(fixed) if fixed.kind == "run" else None
        pause = option is not None and option.can_pause
        fmt = self.axis.format
        what = f"the fixed {fixed.kind} [{fmt(fixed.start)}, {fmt(fixed.end)})"
        for s, e in down:
            if fixed.end <= fixed.start:
                break
            if pause:
                if s <= fixed.start < e:
                    self.add(row, "start", f"{what} starts inside the unavailable period "
                                           f"[{fmt(s)}, {fmt(e)}) of {fixed.machine}")
                if s < fixed.end <= e:
                    self.add(row, "end", f"{what} ends inside the unavailable period "
                                         f"[{fmt(s)}, {fmt(e)}) of {fixed.machine}")
            elif s < fixed.end and fixed.start < e:
                self.add(row, "start", f"{what} overlaps the unavailable period "
                                       f"[{fmt(s)}, {fmt(e)}) of {fixed.machine}"
                         + ("" if fixed.kind == "setup" else
                            " (its routing row cannot pause)"))
        if option is None or fixed.quantity is None:
            return
        need = option.duration(fixed.quantity)
        work = fixed.end - fixed.start
        if option.can_pause:
            work -= sum(max(0, min(e, fixed.end) - max(s, fixed.start)) for s, e in down)
        if work < need:
            self.add(row, "end", f"the fixed run of lot {fixed.lot} has {work} time units of "
                                 f"work; {fixed.quantity} units need {need}")

    def _option(self, fixed: FixedRow) -> RoutingOption | None:
        for step in self.parts.routings.get(fixed.product, ()):
            if step.number == fixed.step:
                return step.option(fixed.machine)
        return None

    def _machines(self, good: list[tuple[Row, FixedRow]]) -> None:
        by_machine: dict[str, list[tuple[Row, FixedRow]]] = defaultdict(list)
        for row, fixed in good:
            by_machine[fixed.machine].append((row, fixed))
        fmt = self.axis.format
        for rows in by_machine.values():
            rows.sort(key=lambda rf: (rf[1].start, rf[1].end, rf[0].line))
            latest: tuple[Row, FixedRow] | None = None
            for row, fixed in rows:
                if fixed.end <= fixed.start:
                    continue
                if latest is not None and fixed.start < latest[1].end:
                    other = latest[1]
                    self.add(row, "start", f"the fixed {fixed.kind} [{fmt(fixed.start)}, "
                             f"{fmt(fixed.end)}) overlaps the fixed {other.kind} on line "
                             f"{latest[0].line} [{fmt(other.start)}, {fmt(other.end)}) on "
                             f"{fixed.machine}")
                if latest is None or fixed.end > latest[1].end:
                    latest = (row, fixed)
            runs = [(r, f) for r, f in rows if f.kind == "run"]
            for row, setup in rows:
                if setup.kind != "setup":
                    continue
                after = [(r, f) for r, f in runs if f.start >= setup.end]
                nxt = min(after, key=lambda rf: (rf[1].start, rf[0].line), default=None)
                if nxt is None or nxt[1].lot != setup.lot:
                    found = ("no fixed run follows it" if nxt is None else
                             f"the next fixed run is of lot {nxt[1].lot} (line {nxt[0].line})")
                    self.add(row, "lot", f"a fixed setup must be followed on {setup.machine} by "
                                         f"a fixed run of its lot {setup.lot}: {found}")
                elif nxt[1].product != setup.product:
                    self.add(row, "product", f"the setup is for {setup.product!r}, but its lot "
                                             f"{setup.lot} makes {nxt[1].product!r} (line "
                                             f"{nxt[0].line})")

    def _lot_agrees(self, rows: list[tuple[Row, FixedRow]]) -> bool:
        first_row, first = rows[0]
        ok = True
        for row, fixed in rows[1:]:
            for column, mine, theirs in (
                    ("product", fixed.product, first.product),
                    ("mode", fixed.mode, first.mode),
                    ("quantity", fixed.quantity, first.quantity),
                    ("orders", dict(fixed.allocations), dict(first.allocations))):
                if mine != theirs:
                    ok = False
                    self.add(row, column, f"lot {fixed.lot}: {row.cells.get(column, '')!r} "
                                          f"differs from line {first_row.line} "
                                          f"({first_row.cells.get(column, '')!r}); a lot keeps "
                                          "its product, mode, quantity and allocations across "
                                          "its steps")
        return ok

    def _lot_steps(self, rows: list[tuple[Row, FixedRow]]) -> None:
        first_row, first = rows[0]
        route = self.parts.routings.get(first.product, ())
        at: dict[int, tuple[Row, FixedRow]] = {}
        for row, fixed in rows:
            assert fixed.step is not None
            if fixed.step in at:
                self.add(row, "step", f"lot {fixed.lot} has step {fixed.step} fixed twice (also "
                                      f"on line {at[fixed.step][0].line})")
                return
            at[fixed.step] = (row, fixed)
        numbers = [s.number for s in route]
        prefix = numbers[:len(at)]
        if sorted(at) != prefix:
            later = max(at)
            missing = [n for n in prefix if n not in at]
            self.add(at[later][0], "step", f"lot {first.lot} has step {later} fixed but not step "
                     f"{', '.join(map(str, missing))}: the fixed steps of a lot are the first "
                     "steps of its routing")
            return
        self._release(first_row, min((f for _, f in rows), key=lambda f: f.start))
        for k in range(1, len(prefix)):
            self._precedence(at[prefix[k - 1]][1], *at[prefix[k]])

    def _release(self, row: Row, first: FixedRow) -> None:
        orders = [self.parts.orders[o] for o, _ in first.allocations if o in self.parts.orders]
        if not orders:
            return
        latest = max(orders, key=lambda o: o.release)
        if first.start < latest.release:
            fmt = self.axis.format
            self.add(row, "start", f"lot {first.lot} starts at {fmt(first.start)}, before the "
                                   f"release {fmt(latest.release)} of order {latest.order_id}")

    def _precedence(self, prev: FixedRow, row: Row, nxt: FixedRow) -> None:
        fmt = self.axis.format
        p_opt, n_opt = self._option(prev), self._option(nxt)
        if p_opt is None or n_opt is None:
            return
        what = f"lot {nxt.lot} step {nxt.step} starts at {fmt(nxt.start)}"
        if nxt.mode is not Mode.MASS:
            if nxt.start < prev.end:
                self.add(row, "start", f"{what}, before step {prev.step} ends at {fmt(prev.end)}")
        else:
            if nxt.start < prev.start + p_opt.time_per_unit:
                self.add(row, "start", f"{what}, before step {prev.step}'s start "
                                       f"{fmt(prev.start)} + its unit time "
                                       f"{p_opt.time_per_unit}")
            if nxt.end < prev.end + n_opt.time_per_unit:
                self.add(row, "end", f"lot {nxt.lot} step {nxt.step} ends at {fmt(nxt.end)}, "
                                     f"before step {prev.step}'s end {fmt(prev.end)} + its "
                                     f"unit time {n_opt.time_per_unit}")
        if n_opt.max_wait is not None and nxt.start - prev.end > n_opt.max_wait:
            self.add(row, "start", f"{what}, {nxt.start - prev.end} time units after step "
                                   f"{prev.step} ends; its max_wait is {n_opt.max_wait}")

    def _lot_size(self, row: Row, fixed: FixedRow,
                  auto_modes: dict[str, tuple[Mode, int]]) -> None:
        product = self.parts.products.get(fixed.product)
        if product is None or fixed.mode is None or fixed.quantity is None:
            return
        if product.mode is Mode.AUTO:
            mode, line = auto_modes.setdefault(fixed.product, (fixed.mode, row.line))
            if mode is not fixed.mode:
                self.add(row, "mode", f"lot {fixed.lot}: auto product {fixed.product!r} is made "
                                      f"{fixed.mode.value} here but {mode.value} on line {line}; "
                                      "an auto product is made in one mode")
        if fixed.mode is Mode.ONE_OFF:
            (order_id, units), *rest = fixed.allocations
            order = self.parts.orders.get(order_id)
            if rest or order is None or units != order.quantity:
                self.add(row, "orders", f"one-off lot {fixed.lot} must hold exactly one whole "
                                        f"order; it holds {row.cells.get('orders', '')!r}")
            return
        q, k = fixed.quantity, product.lot_multiple
        if q < product.min_lot:
            self.add(row, "quantity", f"lot {fixed.lot}: {q} units, below min_lot "
                                      f"{product.min_lot}")
        if product.max_lot is not None and q > product.max_lot:
            self.add(row, "quantity", f"lot {fixed.lot}: {q} units, above max_lot "
                                      f"{product.max_lot}")
        if q % k:
            self.add(row, "quantity", f"lot {fixed.lot}: {q} units, not a multiple of "
                                      f"lot_multiple {k}")

    def _order_units(self, heads: list[tuple[Row, FixedRow]]) -> None:
        """No order has more units in fixed lots than it ordered (each lot once)."""
        fixed_units: dict[str, int] = defaultdict(int)
        reported: set[str] = set()
        for row, fixed in heads:
            for order_id, units in fixed.allocations:
                order = self.parts.orders.get(order_id)
                if order is None:
                    continue
                fixed_units[order_id] += units
                if fixed_units[order_id] > order.quantity and order_id not in reported:
                    reported.add(order_id)
                    self.add(row, "orders", f"order {order_id} has {fixed_units[order_id]} "
                                            f"units in fixed lots (up to lot {fixed.lot}); it "
                                            f"ordered {order.quantity}")


def joined_periods(downtimes: Sequence[Downtime], machine: str) -> list[tuple[int, int]]:
    """The machine's unavailable periods (its own and ``*``), overlapping or touching
    ones joined: sorted, disjoint ``[start, end)`` periods."""
    out: list[tuple[int, int]] = []
    for start, end in sorted((d.start, d.end) for d in downtimes if d.machine in (machine, "*")):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
