"""The variables of operations: start, end, changeover, and one interval per machine.

:func:`add_operation` makes a free operation (every step of the full model
but fixed.csv's; the window's operations in the window model);
:func:`add_fixed_operation` a constant one from a placed operation. Both
append to :attr:`Variables.ops`; the constraint families then read them.

A run's interval on a machine is, by machine:

- changeover rules, setups without intervals of their own
  (:meth:`~prodsched.jobshop.shop.Shop.split_setups` false): one interval
  ``[setup_start, end)`` covering the changeover and the run (as before v2),
  which ends where the run starts (also when another of the operation's
  machines splits its setups);
- changeover rules and split setups: the run ``[start, end)`` and the
  changeover ``[setup_start, setup_start + setup_len)``, which ends by ``start``;
- no changeover rules: the run.

A pausing run (``can_pause``, a machine with unavailable time) lasts its
duration plus the unavailable periods it spans (:func:`add_pause_spans`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import (
    Alternative,
    IntOrVar,
    ModelLot,
    Operation,
    PauseSpan,
    Variables,
)
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import RoutingOption, Step


def add_operation(model: cp_model.CpModel, shop: Shop, v: Variables, ml: ModelLot,
                  step_index: int, step: Step,
                  options: Sequence[RoutingOption] | None = None) -> Operation:
    """A free operation of lot ``ml`` at ``step``, on any of ``options`` (default: all).

    No run or changeover starts before the plant's ``now``. An absent lot's
    operations sit at that time with zero length.
    """
    m, horizon, earliest = model, shop.horizon, shop.earliest
    options = step.options if options is None else options
    k = len(v.ops)
    op = Operation(k, ml.index, step_index, step.number,
                   m.new_int_var(earliest, horizon, f"start_{k}"),
                   m.new_int_var(earliest, horizon, f"end_{k}"))
    with_setups = [o.machine for o in options if shop.setups.has_setups(o.machine)]
    longest = 0
    if with_setups:
        longest = longest_changeover(shop, ml.product, with_setups)
        op.setup_len = m.new_int_var(0, longest, f"setup_{k}")
        op.setup_start = m.new_int_var(earliest, horizon, f"setup_start_{k}")
        if any(shop.split_setups(mc) for mc in with_setups):
            op.setup_end = m.new_int_var(earliest, horizon, f"setup_end_{k}")
            m.add(op.setup_end == op.setup_start + op.setup_len)
            m.add(op.setup_end <= op.start)
        else:
            m.add(op.setup_start == op.start - op.setup_len)
    single = len(options) == 1
    for opt in options:
        present = ml.present if single else m.new_bool_var(f"on_{k}_{opt.machine}")
        duration, longest_run = _duration(m, ml, opt, f"{k}_{opt.machine}")
        op.alternatives.append(_alternative(m, shop, op, opt, duration, longest_run,
                                            longest, present))
    lits = [a.present for a in op.alternatives if a.present is not None]
    if ml.present is None and not single:
        m.add_exactly_one(lits)
    elif ml.present is not None and not single:
        m.add(sum(lits) == ml.present)
    fixed = [(a.duration, a.literal) for a in op.alternatives
             if isinstance(a.duration, int) and not a.pausing]
    if len(fixed) == len(op.alternatives):
        m.add(op.end == op.start + sum(d * lit for d, lit in fixed))
    elif any(a.pausing for a in op.alternatives):
        for a in op.alternatives:  # fixed-size runs beside pausing ones: tie their end
            if isinstance(a.duration, int) and not a.pausing:
                m.add(op.end == op.start + a.duration).only_enforce_if(_enforce(a))
    if ml.present is not None:
        m.add(op.start == earliest).only_enforce_if(~ml.present)
        m.add(op.end == earliest).only_enforce_if(~ml.present)
    v.ops.append(op)
    ml.ops.append(k)
    return op


def add_fixed_operation(model: cp_model.CpModel, shop: Shop, v: Variables, ml: ModelLot,
                        step_index: int, placed: PlacedOp, *, on_machine: bool,
                        fixed_setup: bool) -> Operation:
    """A constant operation standing for ``placed``.

    Parameters
    ----------
    on_machine
        Whether it takes part in its machine's constraints (no-overlap,
        circuit, resources); else only its times matter (a lot's step outside
        a window).
    fixed_setup
        Its setup row is constant too (fixed.csv); else, on a machine with
        changeover rules, its changeover is a variable ending by its start.
    """
    m = model
    k = len(v.ops)
    step = next(s for s in shop.plant.routings[ml.product] if s.number == placed.step)
    option = step.option(placed.machine)
    assert option is not None, f"{placed.machine} is not eligible for {ml.product}"
    length = placed.end - placed.start
    op = Operation(k, ml.index, step_index, placed.step, placed.start, placed.end,
                   fixed=True, fixed_setup=fixed_setup, placed=placed)
    alt = Alternative(placed.machine, option, length, None, None)
    if on_machine:
        alt.interval = m.new_fixed_size_interval_var(placed.start, length, f"fixed_{k}")
        if fixed_setup:
            op.setup_len, op.setup_start = placed.setup.time, placed.setup_begin
            if placed.setup.time:
                alt.setup = m.new_fixed_size_interval_var(placed.setup_begin,
                                                          placed.setup.time, f"fsetup_{k}")
            op.setup_demand = {use.resource: use.amount for use in placed.setup.resources}
        elif shop.setups.has_setups(placed.machine):
            longest = longest_changeover(shop, ml.product, [placed.machine])
            op.setup_len = m.new_int_var(0, longest, f"setup_{k}")
            op.setup_start = m.new_int_var(shop.earliest, shop.horizon, f"setup_start_{k}")
            op.setup_end = m.new_int_var(shop.earliest, placed.start, f"setup_end_{k}")
            alt.setup = m.new_interval_var(op.setup_start, op.setup_len, op.setup_end,
                                           f"setup_iv_{k}")
    op.alternatives.append(alt)
    v.ops.append(op)
    ml.ops.append(k)
    return op


def longest_changeover(shop: Shop, product: str, machines: list[str]) -> int:
    """The longest changeover into ``product`` on any of ``machines``."""
    states = set(shop.plant.products) | {
        s for s in (shop.state_at_start(mc) for mc in machines) if s}
    return max((shop.setups.between(mc, s, product).time for mc in machines for s in states),
               default=0)


def _enforce(alt: Alternative) -> list[cp_model.IntVar]:
    return [] if alt.present is None else [alt.present]


def _duration(m: cp_model.CpModel, ml: ModelLot, opt: RoutingOption, name: str
              ) -> tuple[IntOrVar, int]:
    """The run's duration on ``opt``: ``ceil(fixed + q * time_per_unit)``."""
    if isinstance(ml.quantity, int):
        d = opt.duration(ml.quantity)
        return d, d
    low, high = math.ceil(opt.fixed_time), opt.duration(ml.max_quantity)
    if opt.time_per_unit == 0:
        return low, low
    var = m.new_int_var(low, high, f"dur_{name}")
    den = math.lcm(opt.fixed_time.denominator, opt.time_per_unit.denominator)
    fixed, rate = int(opt.fixed_time * den), int(opt.time_per_unit * den)
    # exactly the ceiling: fixed + q*rate <= den*d < fixed + q*rate + den
    m.add(den * var >= fixed + rate * ml.quantity)
    m.add(den * var <= fixed + rate * ml.quantity + den - 1)
    return var, high


def _alternative(m: cp_model.CpModel, shop: Shop, op: Operation, opt: RoutingOption,
                 duration: IntOrVar, longest_run: int, longest_setup: int,
                 present: cp_model.IntVar | None) -> Alternative:
    """The operation on one machine, with its intervals (see the module)."""
    machine, name = opt.machine, f"iv_{op.index}_{opt.machine}"
    alt = Alternative(machine, opt, duration, present, None)
    if shop.pauses(opt):
        alt.length, alt.pauses = add_pause_spans(m, shop, op, opt.machine, duration,
                                                 longest_run, present)
    if shop.setups.has_setups(machine) and not shop.split_setups(machine):
        _combined(m, op, alt, longest_run + longest_setup, name)
        if opt.resources:
            alt.run = _run(m, op, alt, f"run_{op.index}_{machine}")
        return alt
    alt.interval = _run(m, op, alt, name)
    if shop.setups.has_setups(machine):
        assert op.setup_start is not None and op.setup_len is not None
        end = op.setup_end
        assert end is not None
        setup_name = f"setup_iv_{op.index}_{machine}"
        alt.setup = (m.new_interval_var(op.setup_start, op.setup_len, end, setup_name)
                     if present is None else
                     m.new_optional_interval_var(op.setup_start, op.setup_len, end, present,
                                                 setup_name))
    return alt


def _combined(m: cp_model.CpModel, op: Operation, alt: Alternative, longest: int,
              name: str) -> None:
    """One interval for the changeover and the run: ``[setup_start, end)``."""
    assert op.setup_start is not None and op.setup_len is not None
    alt.combined = True
    duration, present = alt.duration, alt.present
    if isinstance(duration, int):
        size: cp_model.LinearExprT = op.setup_len + duration
    else:
        size = alt.size = m.new_int_var(0, longest, f"size_{name}")
        m.add(alt.size == op.setup_len + duration)
    alt.interval = (m.new_interval_var(op.setup_start, size, op.end, name) if present is None
                    else m.new_optional_interval_var(op.setup_start, size, op.end, present,
                                                     name))
    if op.setup_end is not None:  # other machines split their setups: on this one the
        # changeover is right before the run (else the run's start would be free)
        m.add(op.setup_end == op.start).only_enforce_if(_enforce(alt))


def _run(m: cp_model.CpModel, op: Operation, alt: Alternative, name: str
         ) -> cp_model.IntervalVar:
    """The run's interval ``[start, end)`` (its length when it pauses)."""
    present = alt.present
    size = alt.length if alt.length is not None else alt.duration
    if isinstance(size, int) and not alt.pausing:
        if present is None:
            return m.new_fixed_size_interval_var(op.start, size, name)
        return m.new_optional_fixed_size_interval_var(op.start, size, present, name)
    if present is None:
        return m.new_interval_var(op.start, size, op.end, name)
    return m.new_optional_interval_var(op.start, size, op.end, present, name)


def add_pause_spans(m: cp_model.CpModel, shop: Shop, op: Operation, machine: str,
                    duration: IntOrVar, longest_run: int, present: cp_model.IntVar | None
                    ) -> tuple[cp_model.IntVar, list[PauseSpan]]:
    """A pausing run on ``machine``: its length and its place against each unavailable period.

    Against each period ``[s, e)`` the run ends by ``s``, or starts after
    ``e``, or spans it — starting before ``s`` and ending after ``e`` — so it
    neither starts nor ends inside unavailable time; its length is its
    duration plus the periods it spans (so its end is where its work time
    reaches its duration). Enforced while the run is on ``machine``.
    """
    name = f"{op.index}_{machine}"
    enforce = [] if present is None else [present]
    spans: list[PauseSpan] = []
    for s, e in shop.downtime(machine):
        span = PauseSpan(s, e, m.new_bool_var(f"pre_{name}_{s}"),
                         m.new_bool_var(f"across_{name}_{s}"),
                         m.new_bool_var(f"post_{name}_{s}"))
        m.add_exactly_one([span.before, span.spans, span.after])
        m.add(op.end <= s).only_enforce_if([span.before, *enforce])
        m.add(op.start <= s - 1).only_enforce_if([span.spans, *enforce])
        m.add(op.end >= e + 1).only_enforce_if([span.spans, *enforce])
        m.add(op.start >= e).only_enforce_if([span.after, *enforce])
        if spans:  # periods in time order: before one means before the next
            m.add_implication(spans[-1].before, span.before)
            m.add_implication(span.after, spans[-1].after)
        spans.append(span)
    low = duration if isinstance(duration, int) else 0
    total = sum(e - s for s, e in shop.downtime(machine))
    length = m.new_int_var(low, longest_run + total, f"len_{name}")
    m.add(length == duration + sum((sp.end - sp.start) * sp.spans for sp in spans))
    return length, spans
