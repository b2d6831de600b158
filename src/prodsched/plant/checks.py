"""Plant checks that look across rows and files, beyond references and unique keys.

- Routing steps are numbered 1, 2, 3, … without gaps.
- No changeover rule is *cyclic*: a rule whose ``from`` and ``to`` both stand
  for one and the same product only (``F → F`` for a family ``F`` of one
  product ``P``, or ``P → F``, ``F → P``) can never apply — making ``P`` twice
  in a row needs a changeover only by a row naming the pair ``P → P`` — so a
  planner who wrote it expected a changeover that would silently never
  happen. Rules that cost nothing (time and cost 0) are harmless and let pass.
- The orders need no more lots than :class:`~prodsched.plant.limits.Limits` allows.
- Every time, and the longest schedule the orders could need, lies within
  :data:`~prodsched.plant.limits.MAX_SPAN` time units of time 0.

Each check returns problems located at the row (and column) to fix.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from prodsched.errors import Problem
from prodsched.plant.csvfile import Row
from prodsched.plant.limits import MAX_SPAN
from prodsched.plant.model import Machine, Mode, Order, Product, SetupRule, Step
from prodsched.plant.values import parse_integer

SPAN_TEXT = f"{MAX_SPAN:,} time units (about 1,900 years of minutes)"


def routing_gaps(rows: Iterable[Row]) -> list[Problem]:
    """One problem per product whose step numbers are not 1, 2, 3, … without gaps.

    Read from the cells' text, so that a row with a bad cell elsewhere still
    counts as defining its step (no cascade of errors).
    """
    first_row: dict[str, dict[int, Row]] = defaultdict(dict)
    for row in rows:
        product = row.cells.get("product", "")
        try:
            step = parse_integer(row.cells.get("step", ""))
        except ValueError:
            continue
        if product and step >= 1:
            first_row[product].setdefault(step, row)
    problems = []
    for product, steps in first_row.items():
        numbers = sorted(steps)
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if not missing:
            continue
        after = steps[min(n for n in numbers if n > missing[0])]
        which = _and([str(n) for n in missing])
        verb = "is" if len(missing) == 1 else "are"
        problems.append(after.problem(
            "step", f"product {product!r} has steps {', '.join(map(str, numbers))}: "
            f"step {which} {verb} missing (steps are numbered 1, 2, 3, … without gaps)"))
    return problems


def cyclic_setup_rules(rules: Sequence[tuple[Row, SetupRule]], products: Mapping[str, Product],
                       machines: Mapping[str, Machine]) -> list[Problem]:
    """Changeover rules from a product to itself through its family (never applied)."""
    members: dict[str, set[str]] = defaultdict(set)
    for product in products.values():
        members[product.family].add(product.name)

    def matched(name: str) -> set[str]:
        return ({name} if name in products else set()) | members.get(name, set())

    problems = []
    for row, rule in rules:
        if "*" in (rule.from_, rule.to) or (rule.time == 0 and rule.cost == 0):
            continue
        a, b = matched(rule.from_), matched(rule.to)
        if a != b or len(a) != 1:
            continue
        (only,) = a
        if rule.from_ == rule.to == only:
            continue  # the exact product pair: a changeover between two lots of it
        if rule.from_ not in products and any(
                m.initial_state == rule.from_ for m in machines.values()
                if rule.machine in ("*", m.name)):
            continue  # applies to a machine set up for the family at time 0
        problems.append(row.problem(
            "to", f"the changeover from {rule.from_!r} to {rule.to!r} never applies: both "
            f"mean product {only!r} only, and making {only!r} twice in a row needs a "
            f"changeover only by a row from {only!r} to {only!r}"))
    return problems


def lots_needed(orders: Sequence[Order], products: Mapping[str, Product]
                ) -> dict[str, int]:
    """The fewest lots each product's orders need (one per order when one-off)."""
    demand: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for order in orders:
        demand[order.product] += order.quantity
        count[order.product] += 1
    out = {}
    for name, units in demand.items():
        product = products[name]
        if product.mode is Mode.ONE_OFF:
            out[name] = count[name]
            continue
        _, high = product.lot_size_range()
        out[name] = 1 if not high else math.ceil(units / high)
    return out


def too_many_lots(orders: Sequence[Order], products: Mapping[str, Product],
                  product_rows: Mapping[str, Row], orders_file: str, limit: int
                  ) -> list[Problem]:
    """A problem when the orders need more than ``limit`` lots, naming the largest need."""
    needed = lots_needed(orders, products)
    total = sum(needed.values())
    if total <= limit:
        return []
    name = max(needed, key=lambda p: needed[p])
    product = products[name]
    units = sum(o.quantity for o in orders if o.product == name)
    why = (f"{needed[name]:,} one-off orders" if product.mode is Mode.ONE_OFF else
           f"{units:,} units ordered, max_lot {product.max_lot:,}"
           f"{f', lot_multiple {product.lot_multiple:,}' if product.lot_multiple > 1 else ''}")
    message = (f"the orders need at least {total:,} lots, product {name!r} alone {needed[name]:,} "
               f"({why}); the limit is {plural(limit, 'lot')}")
    row = product_rows.get(name)
    if row is not None and product.mode is not Mode.ONE_OFF and needed[name] > limit:
        return [row.problem("max_lot", message)]
    return [Problem(orders_file, None, None, None, message)]


def time_beyond_span(row: Row, column: str, units: Fraction) -> Problem | None:
    """A problem when a time cell lies too far from time 0."""
    if abs(units) <= MAX_SPAN:
        return None
    text = row.cells.get(column, "")
    return row.problem(column, f"{text!r} is {float(units):,.0f} time units from time 0; "
                               f"every time must lie within {SPAN_TEXT} of it")


def work_beyond_span(orders: Sequence[tuple[Row, Order]], routings: Mapping[str, tuple[Step, ...]],
                     setup_rules: Sequence[SetupRule], latest: int, downtime: int
                     ) -> list[Problem]:
    """A problem when the orders could need a schedule longer than the span allows.

    The longest schedule: after the latest time of the plant, every step of
    every order on its slowest machine with the longest changeover before it,
    plus every downtime.
    """
    worst_setup = max((math.ceil(r.time) for r in setup_rules), default=0)
    total = latest + downtime
    biggest: tuple[int, int] = (0, -1)
    for k, (_, order) in enumerate(orders):
        steps = routings.get(order.product, ())
        work = sum(max(o.duration(order.quantity) for o in s.options) + worst_setup
                   for s in steps)
        total += work
        if work > biggest[0]:
            biggest = (work, k)
    if total <= MAX_SPAN:
        return []
    message = (f"the orders could need up to {total:,} time units of work and changeovers; "
               f"a schedule must end within {SPAN_TEXT} of time 0")
    work, k = biggest
    if k < 0:
        return [Problem("orders", None, None, None, message)]
    row, order = orders[k]
    return [row.problem("quantity", f"{message} (order {order.order_id!r} alone up to "
                                    f"{work:,}: {order.quantity:,} units of {order.product!r})")]


def plural(n: int, noun: str) -> str:
    """``1 lot``, ``2 lots``, ``1,000 lots``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
