"""The criteria of a job-shop model, created only when the objective uses them.

Which lots complete an order: a fixed lot carrying it (when made), or a slot
lot that holds some of its units (a coverage literal). Tardiness is exact:
``T >= end - due`` for every such lot. Holding cost is exact too: for slot
lots, the units an order has in a lot times the time they wait for the due
date (a product of two variables, built only when asked for).

What the model cannot change enters as constants: completions of fixed lots
(and, in a window's model, of lots outside it: ``completions``) bound the
tardiness from below or are the tardiness; fixed ends bound the makespan
(with ``makespan_floor``, the end of everything outside a window). So does
each order's :func:`earliest_completion` (its release plus the least time its
units take on its last step's machines), which the lots' own variables show
the LP only weakly: it lets CP-SAT prove a makespan that a late order sets.
Where lot sizes are chosen, the makespan is also at least each machine's earliest
start plus the work its units need there (:func:`add_machine_load`): fixed
whatever the sizes, which the lots' sizes one by one do not show.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import (
    CriterionVars,
    FixedHolding,
    IntOrVar,
    SlotHolding,
    Variables,
)
from prodsched.lots.lot import STOCK
from prodsched.objective import Criterion, Objective, Stage, Term
from prodsched.plant.model import Order, Plant

# Machine-load cuts of the makespan (:func:`add_machine_load`); their scale where a
# machine's rates' denominators have no small common multiple (coefficients then
# rounded down: the cut stays valid, a little weaker).
LOAD_CUTS = True
LOAD_SCALE = 1000
Work = tuple[Fraction, cp_model.LinearExprT]   # time per unit of what it multiplies

# (literal or None, end): the order completes no earlier than ``end``
# whenever ``literal`` holds.
Source = tuple[cp_model.IntVar | None, IntOrVar]


def completion_sources(v: Variables, completions: dict[str, int] | None = None
                       ) -> dict[str, list[Source]]:
    """For every order, the lots that may complete it (and constant completions)."""
    out: dict[str, list[Source]] = defaultdict(list)
    for ml in v.lots:
        if ml.lot is not None:
            for order_id in ml.lot.order_ids:
                out[order_id].append((ml.present, v.last_end(ml)))
    for gv in v.groups:
        for cover in gv.covers:
            out[cover.order_id].append((cover.literal, v.last_end(v.lots[cover.lot])))
    for order_id, end in (completions or {}).items():
        if order_id in out:
            out[order_id].append((None, end))
    return out


def earliest_completion(plant: Plant, order: Order) -> int:
    """A time no schedule completes the order before: its release plus the least time
    its own units take on its last step, spread over every machine of that step.

    Valid because every lot holding the order's units starts after its release, a
    lot of ``u`` of them on a machine takes at least ``fixed + u * rate`` there, and a
    machine runs one lot at a time; changeovers, calendars, other orders' units and
    lot rules only add to it. In time ``T`` after the release the machines make at
    most ``sum(max(0, T - fixed) / rate)`` units; the least ``T`` that reaches the
    order's quantity is the least over the machines taken by increasing fixed time
    of ``(quantity + sum(fixed / rate)) / sum(1 / rate)`` (a machine with no time per
    unit: its fixed time).
    """
    options = sorted(plant.routings[order.product][-1].options, key=lambda o: o.fixed_time)
    least: list[Fraction] = [o.fixed_time for o in options if o.time_per_unit == 0]
    fixed_per_rate, per_rate = Fraction(0), Fraction(0)
    for o in (o for o in options if o.time_per_unit > 0):
        fixed_per_rate += o.fixed_time / o.time_per_unit
        per_rate += 1 / o.time_per_unit
        least.append((order.quantity + fixed_per_rate) / per_rate)
    return order.release + math.ceil(min(least)) if least else order.release


def machine_load_floor(plant: Plant) -> int:
    """A makespan no schedule goes below: on each machine, the earliest release of
    the orders it alone may make a step of, plus the least work of those steps; and
    over all machines, every step's least work shared among them.

    Valid because the units of each order are made, each step by one lot run at a
    time on a machine, a run of ``u`` units takes at least ``fixed + u * rate``
    (on a step with several machines, the least fixed time plus ``u`` times the
    least rate of any of them), and a product needs at least
    ``ceil(units / max_lot)`` lots; changeovers, calendars and lot rules only add
    to it. The model's own cuts
    (:func:`add_machine_load`) say the same of its lots.
    """
    alone: dict[str, Fraction] = defaultdict(Fraction)
    anywhere = Fraction(0)
    earliest: dict[str, int] = {}
    units: dict[str, int] = defaultdict(int)
    released: dict[str, int] = {}
    for o in plant.orders:
        if o.quantity:
            units[o.product] += o.quantity
            released[o.product] = min(released.get(o.product, o.release), o.release)
    machines: set[str] = set()
    for product, made in units.items():
        high = plant.products[product].lot_size_range()[1]
        lots = math.ceil(made / high) if high else 1
        for step in plant.routings[product]:
            # each lot on the option fastest for it: not less than the least fixed time
            # and the least time per unit, which may be on different machines
            least = lots * min(o.fixed_time for o in step.options) + \
                made * min(o.time_per_unit for o in step.options)
            anywhere += least
            machines.update(o.machine for o in step.options)
            if len(step.options) == 1:
                machine = step.options[0].machine
                alone[machine] += least
                earliest[machine] = min(earliest.get(machine, released[product]),
                                        released[product])
    floors = [earliest[m] + math.ceil(work) for m, work in alone.items()]
    if machines:
        floors.append(min(released.values()) + math.ceil(anywhere / len(machines)))
    return max(floors, default=0)


def stage_floor(plant: Plant, stage: Stage) -> Fraction | None:
    """A value of the stage that no valid schedule of the plant goes below, from the
    orders' :func:`earliest_completion` (makespan, tardiness, late orders; the other
    criteria count 0) and the machines' :func:`machine_load_floor` (makespan);
    ``None`` where fixed rows are kept."""
    if plant.fixed:
        return None
    earliest = {o.order_id: earliest_completion(plant, o) for o in plant.orders if o.quantity}
    late = {o.order_id: max(Fraction(0), earliest[o.order_id] - o.due)
            for o in plant.orders if o.quantity and o.due is not None}
    floors = {Criterion.MAKESPAN: Fraction(max(max(earliest.values(), default=0),
                                               machine_load_floor(plant))),
              Criterion.WEIGHTED_TARDINESS: sum((o.weight * late[o.order_id]
                                                 for o in plant.orders if o.order_id in late),
                                                Fraction(0)),
              Criterion.TOTAL_TARDINESS: sum(late.values(), Fraction(0)),
              Criterion.LATE_ORDERS: Fraction(sum(1 for t in late.values() if t > 0))}
    return sum((w * floors.get(c, Fraction(0)) for c, w in stage.terms), Fraction(0))


def add_criteria(model: cp_model.CpModel, shop: Shop, v: Variables, objective: Objective, *,
                 makespan_floor: int = 0, completions: dict[str, int] | None = None
                 ) -> CriterionVars:
    """Create the variables of every criterion the objective uses (see the module)."""
    used = objective.criteria
    c = v.criteria = CriterionVars(makespan_floor=makespan_floor,
                                   completions=dict(completions or {}))
    if Criterion.MAKESPAN in used:
        _makespan(model, shop, v, c)
    tardy = {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS, Criterion.LATE_ORDERS}
    if used & tardy:
        _tardiness(model, shop, v, c, Criterion.LATE_ORDERS in used)
    if Criterion.HOLDING_COST in used:
        _holding(model, shop, v, c)
    if Criterion.CHANGES in used:
        c.changes = change_terms(model, shop, v)
    return c


def _makespan(m: cp_model.CpModel, shop: Shop, v: Variables, c: CriterionVars) -> None:
    ends = [v.last_end(ml) for ml in v.lots]
    fixed = [e for e in ends if isinstance(e, int)]
    # a lot of the model completes each of these orders: no makespan before the
    # earliest completion of any of them
    made = completion_sources(v)
    floor = 0 if shop.plant.fixed else max(
        [0, *(earliest_completion(shop.plant, o) for o in shop.plant.orders
              if o.order_id in made)])
    if not fixed and not c.makespan_floor and not floor:
        c.makespan = m.new_int_var(0, shop.horizon, "makespan")
        m.add_max_equality(c.makespan, ends)
    else:
        rest = max([c.makespan_floor, *fixed, floor])
        c.makespan = m.new_int_var(rest, max(rest, shop.horizon), "makespan")
        m.add_max_equality(c.makespan, [rest, *(e for e in ends if not isinstance(e, int))])
    if LOAD_CUTS:
        add_machine_load(m, v, c.makespan)


def add_machine_load(m: cp_model.CpModel, v: Variables, makespan: cp_model.IntVar) -> int:
    """The makespan is at least the earliest start on some machines plus the work that
    must run on them: per machine, the runs and changeovers of the operations it
    alone may make; and over all the machines of the model's free operations, each
    one's least work (on the fastest of its machines).

    A run's work is ``fixed_time + time_per_unit * quantity`` whatever the lots'
    sizes, so the work a product's units need is known while the lots that share
    it are not; the no-overlap's propagation sees only each lot's least size, and
    the LP the sizes one by one. Runs and changeovers on a machine are disjoint
    and each ends by the makespan (a lot's last step ends last), so on each
    machine their sum fits between the earliest start and the makespan
    (unavailable time left out: the cut stays valid, only weaker).
    Returns the number of cuts added.
    """
    alone: dict[str, list[Work]] = defaultdict(list)
    anywhere: list[Work] = []
    setups: dict[str | None, list[cp_model.LinearExprT]] = defaultdict(list)
    earliest: dict[str | None, int] = {}
    machines: set[str] = set()   # where the operations of ``anywhere`` may run
    # the groups with work that depends on a lot's size: the others' every duration is
    # known (the benchmark formats, a window's fixed lots) and their model stays as it was
    sized: set[str | None] = set()
    for op in v.ops:
        alts = op.alternatives
        if op.fixed or not alts or any(a.interval is None for a in alts):
            continue
        ml = v.lots[op.lot_index]
        machine = alts[0].machine if len(alts) == 1 else None
        made: cp_model.LinearExprT = alts[0].literal if machine is not None else \
            (1 if ml.present is None else ml.present)
        if all(isinstance(a.duration, int) for a in alts):
            least = [(Fraction(min(_lower(a.duration) for a in alts)), made)]
        else:
            least = [(min(a.option.fixed_time for a in alts), made),
                     (min(a.option.time_per_unit for a in alts), ml.quantity)]
            sized.update({machine, None})
        anywhere += least
        machines.update(a.machine for a in alts)
        if machine is not None:
            alone[machine] += least
        begin = _lower(op.setup_start if op.setup_start is not None else op.start)
        for key in {machine, None}:
            earliest[key] = min(earliest.get(key, begin), begin)
            if op.setup_len is not None and not isinstance(op.setup_len, int):
                setups[key].append(op.setup_len)
    groups: list[tuple[str | None, list[Work], int]] = [
        (machine, terms, 1) for machine, terms in alone.items()]
    if len(machines) > 1:
        groups.append((None, anywhere, len(machines)))
    groups = [g for g in groups if g[0] in sized]
    for key, terms, count in groups:
        scale = min(LOAD_SCALE, math.lcm(*(f.denominator for f, _ in terms)))
        lhs = cp_model.LinearExpr.weighted_sum(
            [x for _, x in terms] + setups[key],
            [math.floor(f * scale) for f, _ in terms] + [scale] * len(setups[key]))
        m.add(lhs <= scale * count * (makespan - earliest[key]))
    return len(groups)


def _lower(x: IntOrVar) -> int:
    """The smallest value ``x`` may take."""
    return x if isinstance(x, int) else int(next(iter(x.proto.domain)))


def _tardiness(m: cp_model.CpModel, shop: Shop, v: Variables, c: CriterionVars,
               with_late_flags: bool) -> None:
    sources = completion_sources(v, c.completions)
    for order in shop.plant.orders:
        if order.due is None or order.order_id not in sources:
            continue
        due = math.ceil(order.due)
        fixed = [end for _, end in sources[order.order_id] if isinstance(end, int)]
        moving = [(lit, end) for lit, end in sources[order.order_id]
                  if not isinstance(end, int)]
        low = max([0, *(end - due for end in fixed)])
        if not moving:
            c.fixed_tardiness[order.order_id] = low
            continue
        if not shop.plant.fixed:  # fixed rows stand as given, whatever the releases
            low = max(low, earliest_completion(shop.plant, order) - due)
        t = m.new_int_var(low, max(low, shop.horizon - due), f"tardy_{order.order_id}")
        for literal, end in moving:
            constraint = m.add(t >= end - due)
            if literal is not None:
                constraint.only_enforce_if(literal)
        c.tardiness[order.order_id] = t
        if with_late_flags:
            late = m.new_bool_var(f"late_{order.order_id}")
            m.add(t == 0).only_enforce_if(~late)
            c.late[order.order_id] = late


def _holding(m: cp_model.CpModel, shop: Shop, v: Variables, c: CriterionVars) -> None:
    plant = shop.plant
    for ml in v.lots:
        rate = plant.products[ml.product].holding_cost
        if rate == 0 or ml.lot is None:
            continue
        end = v.last_end(ml)
        for order_id, units in ml.lot.allocations:
            order = plant.order_by_id.get(order_id)
            if order_id == STOCK or order is None or order.due is None:
                continue
            due = math.floor(order.due)
            if due <= 0:
                continue
            if isinstance(end, int):
                c.fixed_holding_cost += rate * units * max(0, due - end)
                continue
            e = m.new_int_var(0, due, f"early_{ml.index}_{order_id}")
            constraint = m.add(e >= due - end)
            if ml.present is not None:
                constraint.only_enforce_if(ml.present)
            c.fixed_holding.append(FixedHolding(rate * units, e, ml.index, order_id))
    for gv in v.groups:
        rate = gv.group.product.holding_cost
        if rate == 0:
            continue
        for order in gv.group.orders:
            if order.due is None or math.floor(order.due) <= 0:
                continue
            due = math.floor(order.due)
            a, b = gv.positions[order.order_id]
            for k, lot_index in enumerate(gv.lots):
                name = f"{order.order_id}_{lot_index}"
                before: cp_model.LinearExprT = gv.cumulative[k - 1] if k else 0
                top = max(b, _upper(gv.cumulative[k]))
                low = m.new_int_var(a, top, f"hold_lo_{name}")
                m.add_max_equality(low, [a, before])
                high = m.new_int_var(0, b, f"hold_hi_{name}")
                m.add_min_equality(high, [b, gv.cumulative[k]])
                held = m.new_int_var(0, b - a, f"hold_units_{name}")
                m.add_max_equality(held, [0, high - low])
                early = m.new_int_var(0, due, f"hold_early_{name}")
                m.add_max_equality(early, [0, due - v.last_end(v.lots[lot_index])])
                prod = m.new_int_var(0, (b - a) * due, f"hold_{name}")
                m.add_multiplication_equality(prod, [held, early])
                c.slot_holding.append(SlotHolding(rate, prod, held, early, low, high,
                                                  lot_index, order.order_id))


def _upper(var: cp_model.IntVar) -> int:
    """The largest value in a variable's domain."""
    return int(list(var.proto.domain)[-1])


def terms(shop: Shop, v: Variables, criterion: Criterion) -> list[Term]:
    """The criterion as ``(coefficient, variable or constant)`` terms (exact coefficients)."""
    return list(_terms(shop, v, criterion))


def _terms(shop: Shop, v: Variables, criterion: Criterion) -> Sequence[Term]:
    c = v.criteria
    assert c is not None
    weight = {o.order_id: o.weight for o in shop.plant.orders}
    if criterion is Criterion.MAKESPAN:
        assert c.makespan is not None
        return [(Fraction(1), c.makespan)]
    if criterion is Criterion.WEIGHTED_TARDINESS:
        return ([(weight[o], t) for o, t in c.tardiness.items() if weight[o]]
                + [(weight[o] * t, 1) for o, t in c.fixed_tardiness.items()
                   if weight[o] and t])
    if criterion is Criterion.TOTAL_TARDINESS:
        return ([(Fraction(1), t) for t in c.tardiness.values()]
                + [(Fraction(t), 1) for t in c.fixed_tardiness.values() if t])
    if criterion is Criterion.LATE_ORDERS:
        return ([(Fraction(1), flag) for flag in c.late.values()]
                + [(Fraction(1), 1) for t in c.fixed_tardiness.values() if t])
    if criterion is Criterion.SETUP_TIME:
        return [(Fraction(1), op.setup_len) for op in v.ops
                if op.setup_len is not None and not (isinstance(op.setup_len, int)
                                                     and op.setup_len == 0)]
    if criterion is Criterion.SETUP_COST:
        return list(v.cost_terms)
    if criterion is Criterion.HOLDING_COST:
        return ([(h.rate, h.early) for h in c.fixed_holding]
                + [(h.rate, h.product) for h in c.slot_holding]
                + ([(c.fixed_holding_cost, 1)] if c.fixed_holding_cost else []))
    if criterion is Criterion.CHANGES:
        return c.changes
    raise ValueError(criterion)


def change_terms(m: cp_model.CpModel, shop: Shop, v: Variables) -> list[Term]:
    """Criterion ``changes`` (:mod:`prodsched.schedule.changes`): per run of the
    previous plan after ``now`` that the model has (same lot id and step),
    ``present - kept``, where ``kept`` implies the run is on its previous
    machine and, when its previous predecessor there is on that machine too,
    starts no earlier than it."""
    previous = shop.plant.previous
    if previous is None:
        return []
    index = {(v.lots[op.lot_index].name, op.step_number): op for op in v.ops
             if v.lots[op.lot_index].lot is not None}  # slot lots get new ids
    out: list[Term] = []
    for old in previous.replanned(shop.plant.now):
        key = (old.lot, old.step or 1)
        op = index.get(key)
        if op is None:
            continue
        ml = v.lots[op.lot_index]
        kept = m.new_bool_var(f"kept_{old.lot}_{key[1]}")
        out += [(Fraction(1), ml.literal), (Fraction(-1), kept)]
        alt = op.alternative(old.machine)
        conditions = [lit for lit in (ml.present, alt.present if alt else None) if lit is not None]
        m.add_bool_and(conditions).only_enforce_if(kept)
        before = previous.predecessors.get(key)
        other = index.get(before) if before is not None else None
        on = other.alternative(old.machine) if other is not None else None
        if alt is None:
            m.add(kept == 0)
        elif other is not None and on is not None:
            if isinstance(other.start, int) and isinstance(op.start, int):
                if other.start > op.start:
                    m.add_bool_or([~kept, *([~on.present] if on.present is not None else [])])
                continue
            m.add(other.start <= op.start).only_enforce_if(
                [kept, *([on.present] if on.present is not None else [])])
    return out
