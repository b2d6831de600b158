"""Rules 1–8 and the calendar, checked on the bars of schedule.csv.

A run whose routing row has ``can_pause = yes`` may contain its machine's
unavailable periods (and their ``down`` rows): its work time — the part of
``[start, end)`` outside them — must reach its duration, and it neither
starts inside one (``s <= start < e``) nor ends inside one (``s < end <= e``:
its last stretch would be a pause). Every other run and every setup never
overlaps unavailable time.

Each check appends a :class:`Violation` per problem found and never stops
at the first one.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from fractions import Fraction

from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.validate.read import SCHEDULE, STOCK, Bar, Time
from prodsched.validate.setups import required_setup
from prodsched.validate.violation import Violation


def _v(rule: str, message: str, bar: Bar | None = None) -> Violation:
    return Violation(rule, message, SCHEDULE, None if bar is None else bar.line)


def _t(plant: Plant, units: Time) -> str:
    return plant.time_axis.format(units)


def by_machine(plant: Plant, bars: list[Bar], kind: str) -> dict[str, list[Bar]]:
    """Bars of one kind on each known machine, in time order."""
    out: dict[str, list[Bar]] = defaultdict(list)
    for bar in bars:
        if bar.kind == kind and bar.machine in plant.machines:
            out[bar.machine].append(bar)
    for rows in out.values():
        rows.sort(key=lambda b: (b.start, b.end, b.line))
    return out


def option_of(plant: Plant, bar: Bar) -> RoutingOption | None:
    """The routing option a run row uses (its product, step and machine), if eligible."""
    for step in plant.routings.get(bar.product, ()):
        if step.number == bar.step:
            for option in step.options:
                if option.machine == bar.machine:
                    return option
    return None


def duration(option: RoutingOption, quantity: int) -> int:
    """``ceil(fixed_time + quantity * time_per_unit)``, exactly."""
    return math.ceil(Fraction(option.fixed_time) + quantity * Fraction(option.time_per_unit))


def check_runs(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rule 2: each run is on an eligible machine and lasts at least its duration (for
    a run that may pause: works that long outside unavailable time, and neither starts
    nor ends inside it)."""
    downtime: dict[str, Downtime] = {}
    for bar in bars:
        if bar.kind != "run" or bar.machine not in plant.machines:
            continue
        steps = [s.number for s in plant.routings[bar.product]]
        if bar.step not in steps:
            out.append(_v("2 eligibility", f"lot {bar.lot}: product {bar.product} has no step "
                          f"{bar.step} (its steps are {steps})", bar))
            continue
        option = option_of(plant, bar)
        if option is None:
            out.append(_v("2 eligibility", f"lot {bar.lot}: machine {bar.machine} is not "
                          f"eligible for product {bar.product} step {bar.step}", bar))
            continue
        need = duration(option, bar.quantity)
        if option.can_pause:
            if bar.machine not in downtime:
                downtime[bar.machine] = Downtime(merged_downtime(plant, bar.machine))
            _check_pausing_run(plant, bar, need, downtime[bar.machine], out)
        elif bar.length < need:
            out.append(_v("2 duration", f"lot {bar.lot} step {bar.step} on {bar.machine} lasts "
                          f"{bar.length}; {bar.quantity} units need {need}", bar))


def _check_pausing_run(plant: Plant, bar: Bar, need: int, downtime: Downtime,
                       out: list[Violation]) -> None:
    """Rule 2 for a run that may pause over its machine's unavailable time."""
    inside = downtime.inside(bar.start, bar.end)
    work = bar.length - inside
    span = f"[{_t(plant, bar.start)}, {_t(plant, bar.end)})"
    if work < need:
        paused = f" ({inside} of its {bar.length} are unavailable time)" if inside else ""
        out.append(_v("2 duration", f"lot {bar.lot} step {bar.step} on {bar.machine} {span} "
                      f"works {work}{paused}; {bar.quantity} units need {need}", bar))
    if bar.length == 0:
        return
    for s, e in downtime.overlapping(bar.start, bar.end):
        if not (s <= bar.start < e or s < bar.end <= e):
            continue
        where = f"the unavailable period [{_t(plant, s)}, {_t(plant, e)}) of {bar.machine}"
        if s <= bar.start < e:
            out.append(_v("2 pause", f"lot {bar.lot} step {bar.step} {span} starts inside "
                          f"{where}", bar))
        if s < bar.end <= e:
            out.append(_v("2 pause", f"lot {bar.lot} step {bar.step} {span} ends inside "
                          f"{where} (it would end in a pause)", bar))


def pauses(plant: Plant, bar: Bar) -> bool:
    """Whether ``bar`` is a run whose routing row may pause (``can_pause = yes``)."""
    if bar.kind != "run":
        return False
    option = option_of(plant, bar)
    return option is not None and option.can_pause


def check_overlaps(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rule 3: rows on one machine never overlap (zero-length rows overlap nothing),
    except a run that may pause with the ``down`` rows inside it."""
    rows: dict[str, list[Bar]] = defaultdict(list)
    for bar in bars:
        if bar.machine in plant.machines and bar.length > 0:
            rows[bar.machine].append(bar)
    for machine, on_machine in rows.items():
        on_machine.sort(key=lambda b: (b.start, b.end, b.line))
        latest: Bar | None = None
        for bar in on_machine:
            if (latest is not None and bar.start < latest.end
                    and not _down_inside_pause(plant, latest, bar)):
                out.append(_v("3 overlap", f"{_named(bar)} on {machine} "
                              f"[{_t(plant, bar.start)}, {_t(plant, bar.end)}) overlaps the "
                              f"{_named(latest)} on line {latest.line} "
                              f"[{_t(plant, latest.start)}, {_t(plant, latest.end)})", bar))
            if latest is None or bar.end > latest.end:
                latest = bar


def _named(bar: Bar) -> str:
    """``run L1``, ``setup L1`` or ``down``."""
    return f"{bar.kind} {bar.lot}" if bar.lot else bar.kind


def _down_inside_pause(plant: Plant, a: Bar, b: Bar) -> bool:
    """Whether one of two overlapping rows is a ``down`` row lying within the other,
    a run that may pause."""
    for run, down in ((a, b), (b, a)):
        if (down.kind == "down" and run.start <= down.start and down.end <= run.end
                and pauses(plant, run)):
            return True
    return False


class Downtime:
    """A machine's unavailable periods (sorted, disjoint: :func:`merged_downtime`),
    asked which of them a time span meets, by bisection."""

    def __init__(self, periods: list[tuple[int, int]]):
        self.periods = periods
        self.ends = [e for _, e in periods]

    def overlapping(self, start: Time, end: Time) -> list[tuple[int, int]]:
        """The periods that overlap ``[start, end)``."""
        k = bisect.bisect_right(self.ends, start)   # the first period ending after start
        out = []
        while k < len(self.periods) and self.periods[k][0] < end:
            out.append(self.periods[k])
            k += 1
        return out

    def inside(self, start: Time, end: Time) -> Fraction:
        """The time of ``[start, end)`` that lies in the periods."""
        return sum((min(Fraction(e), Fraction(end)) - max(Fraction(s), Fraction(start))
                    for s, e in self.overlapping(start, end)), Fraction(0))


def merged_downtime(plant: Plant, machine: str) -> list[tuple[int, int]]:
    """The machine's unavailable periods (its own and ``*``), overlapping/touching ones joined."""
    merged: list[tuple[int, int]] = []
    for d in sorted(plant.downtimes, key=lambda d: (d.start, d.end)):
        if d.machine not in (machine, "*"):
            continue
        if merged and d.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], d.end))
        else:
            merged.append((d.start, d.end))
    return merged


def check_calendar(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """No setup, and no run that cannot pause, overlaps its machine's downtime (runs
    that may pause: see :func:`check_runs`); down rows lie within the downtime."""
    periods = {m: merged_downtime(plant, m) for m in plant.machines}
    period_starts = {m: [s for s, _ in spans] for m, spans in periods.items()}
    for bar in bars:
        if bar.machine not in periods or bar.length == 0 or pauses(plant, bar):
            continue
        spans, starts = periods[bar.machine], period_starts[bar.machine]
        if bar.kind == "down":
            i = bisect.bisect_right(starts, bar.start) - 1
            if i < 0 or bar.end > spans[i][1]:
                out.append(_v("calendar", f"down row on {bar.machine} [{_t(plant, bar.start)}, "
                              f"{_t(plant, bar.end)}) is not within the plant's calendar", bar))
            continue
        i = bisect.bisect_left(starts, bar.end) - 1
        if i >= 0 and spans[i][1] > bar.start:
            s, e = spans[i]
            out.append(_v("calendar", f"{bar.kind} of lot {bar.lot} on {bar.machine} "
                          f"[{_t(plant, bar.start)}, {_t(plant, bar.end)}) overlaps the downtime "
                          f"[{_t(plant, s)}, {_t(plant, e)})", bar))


def check_setups(plant: Plant, bars: list[Bar], zero: Fraction,
                 out: list[Violation]) -> Fraction:
    """Rule 4: enough setup time between consecutive runs; setup rows name their next run.

    Parameters
    ----------
    zero
        The solve's time 0 in plant time units; no setup may start before it.

    Returns
    -------
    Fraction
        The total setup cost the run sequences incur (for kpis.json).
    """
    runs = by_machine(plant, bars, "run")
    setups = by_machine(plant, bars, "setup")
    cost = Fraction(0)
    for machine, on_machine in runs.items():
        on_setup = setups.get(machine, [])
        setup_starts = [s.start for s in on_setup]
        previous: Bar | None = None
        for run in on_machine:
            need, rule_cost = required_setup(
                plant, machine, None if previous is None else previous.product, run.product)
            cost += rule_cost
            have = _setup_time_between(on_setup, setup_starts,
                                       None if previous is None else previous.end, run.start)
            if have < need:
                before = (f"after {previous.product} (lot {previous.lot}, line {previous.line})"
                          if previous is not None
                          else f"from initial state {plant.machines[machine].initial_state}")
                out.append(_v("4 setup", f"lot {run.lot} ({run.product}) on {machine} {before} "
                              f"needs a setup of {need}; setup rows in between total {have}",
                              run))
            previous = run
    for machine, on_machine in setups.items():
        later = runs.get(machine, [])
        starts = [r.start for r in later]
        for setup in on_machine:
            if setup.start < zero:
                out.append(_v("4 setup", f"setup on {machine} starts at {_t(plant, setup.start)}, "
                              f"before time 0 ({_t(plant, zero)})", setup))
            i = bisect.bisect_left(starts, setup.end)
            if i == len(later):
                out.append(_v("4 setup", f"setup for {setup.product} (lot {setup.lot}) on "
                              f"{machine} is followed by no run", setup))
                continue
            run = later[i]
            if setup.product != run.product or (setup.lot and setup.lot != run.lot):
                out.append(_v("4 setup", f"setup on {machine} names {setup.product} (lot "
                              f"{setup.lot}) but the next run is {run.product} (lot {run.lot}, "
                              f"line {run.line})", setup))
    return cost


def _setup_time_between(setups: list[Bar], starts: list[Time], low: Time | None,
                        high: Time) -> Time:
    """Total length of the setup rows lying in ``[low, high]`` (``starts``: their sorted starts)."""
    first = 0 if low is None else bisect.bisect_left(starts, low)
    last = bisect.bisect_right(starts, high)
    return sum((s.length for s in setups[first:last] if s.end <= high), Fraction(0))


def lots_of(bars: list[Bar]) -> dict[str, list[Bar]]:
    """Run rows by lot id, in file order."""
    lots: dict[str, list[Bar]] = defaultdict(list)
    for bar in bars:
        if bar.kind == "run":
            lots[bar.lot].append(bar)
    return lots


def check_lots(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rules 5, 6 and 7 for every lot."""
    modes: dict[str, str] = {}  # the mode of each auto product's first lot
    for lot, rows in lots_of(bars).items():
        first = rows[0]
        same = all((r.product, r.mode, r.quantity, dict(r.orders))
                   == (first.product, first.mode, first.quantity, dict(first.orders))
                   for r in rows)
        if not same:
            out.append(_v("5 precedence", f"lot {lot}: its rows differ in product, mode, "
                          "quantity or allocations (see lines "
                          f"{', '.join(str(r.line) for r in rows)})", first))
            continue
        _check_steps(plant, lot, rows, out)
        _check_release(plant, lot, rows, out)
        _check_lot_size(plant, lot, first, modes, out)


def _check_steps(plant: Plant, lot: str, rows: list[Bar], out: list[Violation]) -> None:
    """Rule 5: each routing step once, in routing order (lot streaming for mass lots),
    each within the ``max_wait`` of its row after the previous step ends."""
    at: dict[int, Bar] = {}
    for row in rows:
        if row.step in at:
            out.append(_v("5 precedence", f"lot {lot} does step {row.step} twice (also on line "
                          f"{at[row.step].line})", row))
        elif row.step is not None:
            at[row.step] = row
    done: list[Bar] = []
    for step in plant.routings[rows[0].product]:
        if step.number not in at:
            out.append(_v("5 precedence", f"lot {lot} ({rows[0].product}) lacks step "
                          f"{step.number}", rows[0]))
        else:
            done.append(at[step.number])
    for prev, nxt in itertools.pairwise(done):
        what = f"lot {lot}: step {nxt.step} [{_t(plant, nxt.start)}, {_t(plant, nxt.end)})"
        p_opt, n_opt = option_of(plant, prev), option_of(plant, nxt)
        if n_opt is not None and n_opt.max_wait is not None \
                and nxt.start - prev.end > n_opt.max_wait:
            out.append(_v("5 max_wait", f"{what} starts {nxt.start - prev.end} after step "
                          f"{prev.step} ends at {_t(plant, prev.end)}; the max_wait of "
                          f"{nxt.product} step {nxt.step} on {nxt.machine} is {n_opt.max_wait}",
                          nxt))
        if nxt.mode != "mass":
            if nxt.start < prev.end:
                out.append(_v("5 precedence", f"{what} starts before step {prev.step} ends at "
                              f"{_t(plant, prev.end)}", nxt))
            continue
        if p_opt is None or n_opt is None:
            continue  # an ineligible machine is reported by rule 2
        if nxt.start < prev.start + p_opt.time_per_unit:
            out.append(_v("5 precedence", f"{what} starts before step {prev.step}'s start "
                          f"{_t(plant, prev.start)} + unit time {p_opt.time_per_unit}", nxt))
        if nxt.end < prev.end + n_opt.time_per_unit:
            out.append(_v("5 precedence", f"{what} ends before step {prev.step}'s end "
                          f"{_t(plant, prev.end)} + unit time {n_opt.time_per_unit}", nxt))


def _check_release(plant: Plant, lot: str, rows: list[Bar], out: list[Violation]) -> None:
    """Rule 6: the lot starts no earlier than the latest release of its orders."""
    orders = [plant.order_by_id[o] for o, _ in rows[0].orders if o in plant.order_by_id]
    if not orders:
        return
    latest = max(orders, key=lambda o: o.release)
    first = min(rows, key=lambda r: (r.start, r.line))
    if first.start < latest.release:
        out.append(_v("6 release", f"lot {lot} starts at {_t(plant, first.start)}, before the "
                      f"release {_t(plant, latest.release)} of order {latest.order_id}", first))


def _check_lot_size(plant: Plant, lot: str, row: Bar, modes: dict[str, str],
                    out: list[Violation]) -> None:
    """Rule 7: the mode is the product's; one-off lots hold one whole order; lot sizes."""
    product = plant.products[row.product]
    if product.mode == Mode.AUTO:
        chosen = modes.setdefault(row.product, row.mode)
        if row.mode != chosen:
            out.append(_v("7 lot size", f"lot {lot}: auto product {row.product} is made as "
                          f"{row.mode} here but as {chosen} in another lot", row))
    elif row.mode != product.mode.value:
        out.append(_v("7 lot size", f"lot {lot}: mode {row.mode}, but product {row.product} "
                      f"is {product.mode.value}", row))
    if row.mode == "one-off":
        order_id, units = row.orders[0]
        if len(row.orders) == 1 and order_id != STOCK and order_id not in plant.order_by_id:
            return  # an unknown order is reported as a format violation
        order = plant.order_by_id.get(order_id)
        if len(row.orders) != 1 or order is None or units != order.quantity:
            out.append(_v("7 lot size", f"one-off lot {lot} must hold exactly one whole order; "
                          f"it holds {_alloc(row)}", row))
        return
    q, k = row.quantity, product.lot_multiple
    if q < product.min_lot:
        out.append(_v("7 lot size", f"lot {lot}: {q} units, below min_lot {product.min_lot}",
                      row))
    if product.max_lot is not None and q > product.max_lot:
        out.append(_v("7 lot size", f"lot {lot}: {q} units, above max_lot {product.max_lot}",
                      row))
    if q % k:
        out.append(_v("7 lot size", f"lot {lot}: {q} units, not a multiple of lot_multiple {k}",
                      row))
    stock = sum(u for o, u in row.orders if o == STOCK)
    if stock:
        real = q - stock
        forced = math.ceil(max(real, product.min_lot) / k) * k
        if real == 0:
            out.append(_v("7 lot size", f"lot {lot} holds only STOCK", row))
        elif q > forced:
            out.append(_v("7 lot size", f"lot {lot}: {stock} units to STOCK, but {real} ordered "
                          f"units need a lot of only {forced} (min_lot {product.min_lot}, "
                          f"lot_multiple {k})", row))


def _alloc(row: Bar) -> str:
    return ";".join(f"{o}:{u}" for o, u in row.orders)


def check_quantities(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rule 1: for each order and step of its routing, allocations add up to its quantity."""
    made: dict[tuple[str, int | None], int] = defaultdict(int)
    for bar in bars:
        if bar.kind != "run":
            continue
        for order_id, units in bar.orders:
            order = plant.order_by_id.get(order_id)
            if order is None:
                continue
            if order.product != bar.product:
                out.append(_v("1 quantities", f"lot {bar.lot} makes {bar.product} but allocates "
                              f"{units} units to order {order_id} of product {order.product}",
                              bar))
                continue
            made[(order_id, bar.step)] += units
    for order in plant.orders:
        for step in plant.routings[order.product]:
            got = made[(order.order_id, step.number)]
            if got != order.quantity:
                out.append(_v("1 quantities", f"order {order.order_id}: step {step.number} of "
                              f"{order.product} makes {got} of its {order.quantity} units"))


def completions(plant: Plant, bars: list[Bar]) -> dict[str, Bar]:
    """For each order, the run of its product's last step that ends last among those carrying it."""
    last: dict[str, Bar] = {}
    for bar in bars:
        if bar.kind != "run":
            continue
        for order_id, _ in bar.orders:
            order = plant.order_by_id.get(order_id)
            if order is None or order.product != bar.product:
                continue
            if bar.step != plant.routings[order.product][-1].number:
                continue
            if order_id not in last or bar.end > last[order_id].end:
                last[order_id] = bar
    return last


def check_deadlines(plant: Plant, done: dict[str, Bar], out: list[Violation]) -> None:
    """Rule 8: every order with a deadline completes by it."""
    for order in plant.orders:
        bar = done.get(order.order_id)
        if order.deadline is not None and bar is not None and bar.end > order.deadline:
            out.append(_v("8 deadline", f"order {order.order_id} completes at "
                          f"{_t(plant, bar.end)} (lot {bar.lot}), after its deadline "
                          f"{_t(plant, order.deadline)}", bar))
