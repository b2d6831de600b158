"""The objective of one window's model: the real criteria, restricted to the window.

Only what the window can change is counted, exactly as the full model does
it (:mod:`prodsched.jobshop.criteria`), with what lies outside as constants:

- tardiness and late orders of the orders whose lots end in the window (their
  other lots' completions as lower bounds);
- holding cost of those lots;
- changeovers: the circuit's arcs, and the changeover into the fixed run
  after the window on each machine;
- makespan, with the rest of the schedule as a lower bound;
- the cost of pushing lots' next steps outside the window later
  (:meth:`prodsched.lns.submodel.WindowModel.delays`), added to the first stage.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from prodsched.lots.lot import STOCK
from prodsched.objective import Criterion, integer_scale

if TYPE_CHECKING:
    from prodsched.lns.submodel import WindowModel

Term = tuple[Fraction, cp_model.IntVar]


class WindowCriteria:
    """The criterion variables of a window's model (those the objective uses)."""

    def __init__(self, wm: WindowModel):
        self.wm = wm
        self.tardiness: dict[str, cp_model.IntVar] = {}
        self.late: dict[str, cp_model.IntVar] = {}
        self.early: list[Term] = []
        self.makespan: cp_model.IntVar | None = None
        used = wm.objective.criteria
        ending = [(n, k) for n, k in enumerate(wm.free) if wm.state.is_last_step(k)]
        if Criterion.MAKESPAN in used:
            self._makespan()
        tardy = {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS, Criterion.LATE_ORDERS}
        if used & tardy:
            self._tardiness(ending, Criterion.LATE_ORDERS in used)
        if Criterion.HOLDING_COST in used:
            self._holding(ending)

    def _makespan(self) -> None:
        wm = self.wm
        ops = wm.state.ops
        rest = max((op.end for k, op in enumerate(ops) if k not in wm.index), default=0)
        self.makespan = wm.model.new_int_var(rest, wm.horizon, "makespan")
        wm.model.add_max_equality(self.makespan, [rest, *(op.end for op in wm.ops)])
        wm.hinted(self.makespan, max([rest, *(ops[k].end for k in wm.free)]))

    def _tardiness(self, ending: list[tuple[int, int]], flags: bool) -> None:
        wm = self.wm
        m, state, ops = wm.model, wm.state, wm.state.ops
        last_ends: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for n, k in ending:
            for order_id in ops[k].lot.order_ids:
                last_ends[order_id].append(wm.ops[n].end)
        for order_id, ends in last_ends.items():
            order = wm.plant.order_by_id[order_id]
            if order.due is None:
                continue
            due = math.ceil(order.due)
            fixed = current = 0
            for lot_id in state.lot_of_order[order_id]:
                last = state.by_lot[lot_id][-1]
                current = max(current, ops[last].end)
                if last not in wm.index:
                    fixed = max(fixed, ops[last].end)
            t = m.new_int_var(max(0, fixed - due), max(0, wm.horizon - due),
                              f"tardy_{order_id}")
            for end in ends:
                m.add(t >= end - due)
            wm.hinted(t, max(0, current - due))
            self.tardiness[order_id] = t
            if flags:
                late = m.new_bool_var(f"late_{order_id}")
                m.add(t == 0).only_enforce_if(~late)
                wm.hinted(late, current > due)
                self.late[order_id] = late

    def _holding(self, ending: list[tuple[int, int]]) -> None:
        wm = self.wm
        ops = wm.state.ops
        for n, k in ending:
            lot = ops[k].lot
            rate = wm.plant.products[lot.product].holding_cost
            for order_id, units in lot.allocations:
                order = wm.plant.order_by_id.get(order_id)
                if not rate or order_id == STOCK or order is None or order.due is None:
                    continue
                due = math.floor(order.due)
                if due <= 0:
                    continue
                early = wm.model.new_int_var(0, due, f"early_{n}_{order_id}")
                wm.model.add(early >= due - wm.ops[n].end)
                wm.hinted(early, max(0, due - ops[k].end))
                self.early.append((rate * units, early))

    def terms(self, criterion: Criterion) -> list[Term]:
        """The criterion's terms that the window can change."""
        wm = self.wm
        if criterion is Criterion.MAKESPAN:
            return [] if self.makespan is None else [(Fraction(1), self.makespan)]
        if criterion is Criterion.WEIGHTED_TARDINESS:
            weight = wm.plant.order_by_id
            return [(weight[o].weight, t) for o, t in self.tardiness.items() if weight[o].weight]
        if criterion is Criterion.TOTAL_TARDINESS:
            return [(Fraction(1), t) for t in self.tardiness.values()]
        if criterion is Criterion.LATE_ORDERS:
            return [(Fraction(1), flag) for flag in self.late.values()]
        if criterion is Criterion.SETUP_TIME:
            return ([(Fraction(1), op.setup_len) for op in wm.ops if op.setup_len is not None]
                    + [(Fraction(t), lit) for t, lit in wm.time_terms])
        if criterion is Criterion.SETUP_COST:
            return list(wm.cost_terms)
        if criterion is Criterion.HOLDING_COST:
            return list(self.early)
        raise ValueError(criterion)

    def stages(self) -> list[tuple[str, cp_model.LinearExpr, int]]:
        """Each stage of the objective as ``(name, integer expression, scale)``; the
        first carries the cost of delaying steps outside the window."""
        out: list[tuple[str, cp_model.LinearExpr, int]] = []
        for stage in self.wm.objective.stages:
            terms = [(w * c, v) for crit, w in stage.terms for c, v in self.terms(crit)]
            if not out:
                terms += self.wm.delays
            scale = integer_scale([c for c, _ in terms])
            expr = cp_model.LinearExpr.weighted_sum([v for _, v in terms],
                                                    [round(c * scale) for c, _ in terms])
            out.append((str(stage), expr, scale))
        return out
