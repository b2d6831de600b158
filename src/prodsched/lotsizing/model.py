"""The lot-sizing model: lots per item, machine and bucket, sequenced inside each
bucket, with the setup state carried over between buckets.

Per machine and bucket:

- a lot of an item is a quantity (within min_lot, max_lot, lot_multiple) and
  a run time ``ceil(fixed + q * time_per_unit)``;
- the lots are sequenced by a circuit (big buckets) or at most one lot runs
  (small buckets, where two lots cannot fit); changeovers between them follow
  the plant's setup rules;
- the machine ends the bucket set up for its last lot's product, or for what
  it was set up for before when the bucket is empty; the first lot's
  changeover is from that state;
- run times and changeover times fit the bucket's capacity net of calendar.

Per item: cumulative production against cumulative demand gives inventory
(holding cost) and backlog (tardiness); hard deadlines forbid backlog;
production waits for releases; everything is made by the last bucket.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.errors import UsageError
from prodsched.lotsizing.cuts import add_deadline_cuts, add_entry_cuts
from prodsched.lotsizing.grid import BucketGrid, capacity
from prodsched.lotsizing.items import Item, max_units
from prodsched.objective import Criterion, Stage, stage_expression
from prodsched.plant.model import Plant, RoutingOption
from prodsched.plant.setups import Changeover, SetupTable

Term = tuple[Fraction, cp_model.LinearExprT]
NO_STATE = ""  # a machine not yet set up for anything: the first lot needs no changeover
SUPPORTED = {Criterion.SETUP_COST, Criterion.SETUP_TIME, Criterion.HOLDING_COST,
             Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS}


@dataclass
class LotVar:
    """A possible lot of an item on a machine in a bucket."""

    item: int
    machine: str
    bucket: int
    option: RoutingOption
    made: cp_model.IntVar
    quantity: cp_model.IntVar
    duration: cp_model.IntVar
    most: int  # the largest quantity it may make (the bucket's capacity and lot rules)


@dataclass(frozen=True)
class Frame:
    """What lies around the buckets a window model plans: the plan there is fixed.

    Parameters
    ----------
    buckets
        The consecutive buckets the window model plans.
    start
        Per machine, the set-up state it enters the first of them in.
    made_before
        Per item, units made before the first of them.
    made_by_end
        Per item, units made by the end of the last of them: the plan after it is
        fixed, so this is too (``None``: the window reaches the last bucket, where
        the whole model's own ending rules hold).
    next_lot
        Per machine, the first lot after the window: its product and the time its
        bucket leaves for the changeover into it (the window's last set-up state
        decides that changeover).
    state_names
        Per machine, the whole model's set-up states.
    """

    buckets: range
    start: dict[str, str]
    made_before: list[int]
    made_by_end: list[int] | None
    next_lot: dict[str, tuple[str, int]]
    state_names: dict[str, list[str]]


@dataclass
class BucketSequence:
    """The lots of one machine in one bucket and how they are ordered."""

    machine: str
    bucket: int
    lots: list[int]                                   # LotVar indices
    first: dict[int, cp_model.IntVar] = field(default_factory=dict)
    last: dict[int, cp_model.IntVar] = field(default_factory=dict)
    arcs: list[tuple[int, int, cp_model.IntVar]] = field(default_factory=list)
    busy: cp_model.IntVar | None = None


class BucketModel:
    """CP-SAT lot-sizing model of a plant on a bucket grid.

    Parameters
    ----------
    plant
        The plant.
    items
        What to plan (see :func:`prodsched.lotsizing.items.plan_items`).
    grid
        The buckets.
    setups
        Changeover lookup.
    criteria
        The criteria the objective uses (others are not built).
    frame
        For a window model (see :mod:`.window_model`): the buckets it plans and
        the fixed plan around them; ``None``: every bucket.
    """

    def __init__(self, plant: Plant, items: list[Item], grid: BucketGrid, setups: SetupTable,
                 criteria: set[Criterion], frame: Frame | None = None):
        unsupported = criteria - SUPPORTED
        if unsupported:
            names = ", ".join(sorted(c.value for c in unsupported))
            raise UsageError(f"the lot-sizing model cannot minimise {names}; it minimises "
                             f"{', '.join(sorted(c.value for c in SUPPORTED))}")
        self.plant, self.items, self.grid, self.setups = plant, items, grid, setups
        self.criteria, self.frame = criteria, frame
        self.buckets = frame.buckets if frame is not None else range(grid.count)
        self.model = cp_model.CpModel()
        self.lots: list[LotVar] = []
        self.sequences: list[BucketSequence] = []
        self.cost_terms: list[Term] = []
        self.time_terms: list[Term] = []
        self.holding_terms: list[Term] = []
        self.backlog_terms: dict[bool, list[Term]] = {True: [], False: []}
        self.states: dict[tuple[str, int], dict[str, cp_model.IntVar | int]] = {}
        self.state_names: dict[str, list[str]] = {}
        # (machine, product) → per bucket, flows and arcs entering the product from
        # another state
        self.entries: dict[tuple[str, str], dict[int, list[cp_model.IntVar]]] = defaultdict(
            lambda: defaultdict(list))
        self.made_by: dict[tuple[int, int], cp_model.IntVar] = {}  # (item, bucket) → units
        self.independent: set[str] = set()  # machines whose changeovers ignore the sequence
        self._add_lots()
        for machine in self._machines():
            self._add_machine(machine)
        self._add_balances(criteria)
        add_entry_cuts(self)
        self.deadline_cuts = False

    def add_deadline_cuts(self) -> None:
        """Add the deadline cuts (:func:`.cuts.add_deadline_cuts`), once.

        They tighten the LP relaxation for proofs, at a cost in presolve (PSP_200_1,
        the whole model: 20,000 cuts, presolve 3.2 s → 10.6 s), so they are added
        where a proof is sought: window models and short horizons.
        """
        if not self.deadline_cuts:
            add_deadline_cuts(self)
            self.deadline_cuts = True

    def start_state(self, machine: str) -> str:
        """The set-up state the machine enters the modelled buckets in."""
        if self.frame is not None:
            return self.frame.start[machine]
        return self.plant.machines[machine].initial_state or NO_STATE

    def made_before(self, item: int, bucket: int) -> cp_model.IntVar | int:
        """Units of the item made by the end of ``bucket - 1`` (a modelled bucket)."""
        if bucket > self.buckets.start:
            return self.made_by[(item, bucket - 1)]
        return 0 if self.frame is None else self.frame.made_before[item]

    def units_to_make(self) -> list[int]:
        """Per item, the units the modelled buckets must make."""
        if self.frame is None:
            return [item.demand for item in self.items]
        end = self.frame.made_by_end or [item.demand for item in self.items]
        return [e - b for e, b in zip(end, self.frame.made_before, strict=True)]

    @property
    def whole(self) -> bool:
        """Whether the model plans every bucket (a window model may too)."""
        return self.buckets == range(self.grid.count)

    # -- lots ---------------------------------------------------------------
    def _machines(self) -> list[str]:
        used = {opt.machine for item in self.items for opt in item.options}
        return [m for m in self.plant.machines if m in used]

    def _add_lots(self) -> None:
        caps = {mc: capacity(self.plant, mc, self.grid) for mc in self._machines()}
        for i, item in enumerate(self.items):
            low, _ = item.product.lot_size_range()
            first = self.grid.release_bucket(min(o.release for o in item.orders))
            last = self.grid.count - 1
            deadlines = [o.deadline for o in item.orders if o.deadline is not None]
            if item.one_off and deadlines:
                last = max(0, min(last, self.grid.due_bucket(min(deadlines))))
            elif deadlines and len(deadlines) == len(item.orders):
                last = max(0, min(last, self.grid.due_bucket(max(deadlines))))
            still_due = self._due_from(item)
            window = range(max(first, self.buckets.start), min(last + 1, self.buckets.stop))
            for opt in item.options:
                for b in window:
                    top = max_units(item, opt, caps[opt.machine][b])
                    if still_due is not None:  # no backlog: a lot serves what is due later
                        k = 1 if item.one_off else item.product.lot_multiple
                        room = still_due[b] + item.surplus_allowance()
                        top = min(top, (room // k) * k)
                    smallest = item.demand if item.one_off else low
                    if top < smallest:
                        continue
                    self._add_lot(i, item, opt, b, smallest, top)

    def _due_from(self, item: Item) -> list[int] | None:
        """Units due in each bucket or later, when every order has a deadline
        (nothing can be made for orders already due); else ``None``."""
        if any(o.deadline is None for o in item.orders):
            return None
        due = item.cumulative(self.grid, "due")
        return [item.demand - (due[b - 1] if b else 0) for b in range(self.grid.count)]

    def _add_lot(self, i: int, item: Item, opt: RoutingOption, b: int, smallest: int,
                 top: int) -> None:
        m = self.model
        name = f"{item.name}_{opt.machine}_{b}"
        made = m.new_bool_var(f"made_{name}")
        k = 1 if item.one_off else item.product.lot_multiple
        units = m.new_int_var(0, top // k, f"units_{name}")
        quantity = m.new_int_var(0, top, f"qty_{name}")
        m.add(quantity == k * units)
        m.add(quantity >= smallest).only_enforce_if(made)
        m.add(quantity == 0).only_enforce_if(~made)
        den = math.lcm(opt.fixed_time.denominator, opt.time_per_unit.denominator)
        fixed, rate = int(opt.fixed_time * den), int(opt.time_per_unit * den)
        duration = m.new_int_var(0, opt.duration(top), f"dur_{name}")
        m.add(den * duration >= fixed * made + rate * quantity)
        m.add(den * duration <= fixed * made + rate * quantity + den - 1)
        self.lots.append(LotVar(i, opt.machine, b, opt, made, quantity, duration, top))

    # -- machines -------------------------------------------------------------
    def _add_machine(self, machine: str) -> None:
        by_bucket: dict[int, list[int]] = defaultdict(list)
        for k, lot in enumerate(self.lots):
            if lot.machine == machine:
                by_bucket[lot.bucket].append(k)
        caps = capacity(self.plant, machine, self.grid)
        initial = self.start_state(machine)
        if self.frame is not None:
            state_names = self.frame.state_names[machine]
        else:
            products = sorted({self.items[self.lots[k].item].product.name
                               for ks in by_bucket.values() for k in ks})
            state_names = products + ([initial] if initial not in products else [])
        self.state_names[machine] = state_names
        state: dict[str, cp_model.IntVar | int] = {initial: 1}
        independent = self._sequence_independent(machine, state_names)
        if independent is not None:
            self.independent.add(machine)
        for b in self.buckets:
            lots = by_bucket.get(b, [])
            seq = BucketSequence(machine, b, lots)
            self.sequences.append(seq)
            if lots and independent is not None:
                load = self._independent_setups(seq, independent)
                self.model.add(sum(load) <= caps[b])
            elif lots:
                load = self._sequence(seq, caps[b])
                state = self._state_flow(seq, state, state_names, load)
                self.model.add(sum(load) <= caps[b])
            self.states[(machine, b)] = state
        if independent is None and self.frame is not None and machine in self.frame.next_lot:
            self._add_next_lot(machine, state, *self.frame.next_lot[machine])

    def _add_next_lot(self, machine: str, state: dict[str, cp_model.IntVar | int],
                      product: str, room: int) -> None:
        """The changeover from the window's last set-up state into the first lot after
        it (a window model): its cost and time count, and its time fits in ``room``."""
        load: list[cp_model.LinearExprT] = []
        for name, var in state.items():
            change = self.setups.between(machine, name or None, product)
            if isinstance(var, int):  # a set state: the same changeover in every plan
                continue
            if change.time:
                load.append(change.time * var)
                self.time_terms.append((Fraction(change.time), var))
            if change.cost:
                self.cost_terms.append((change.cost, var))
        if load:
            self.model.add(sum(load) <= room)

    def _sequence_independent(self, machine: str, states: list[str]
                              ) -> dict[str, Changeover] | None:
        """The changeover into each product, when it does not depend on what ran
        before (nor on whether the same product ran): then a lot's changeover
        is its own and the order inside a bucket does not matter."""
        into: dict[str, Changeover] = {}
        products = [s for s in states if s in self.plant.products and s in {
            i.product.name for i in self.items}]
        for q in products:
            seen = {self.setups.between(machine, s or None, q) for s in states if s}
            if len(seen) != 1:
                return None
            into[q] = seen.pop()
        if NO_STATE in states and any(not c.is_free for c in into.values()):
            return None  # the first lot ever would be free, the others not
        return into

    def _independent_setups(self, seq: BucketSequence, into: dict[str, Changeover]
                            ) -> list[cp_model.LinearExprT]:
        """Each lot pays its own changeover (sequence-independent machine)."""
        load: list[cp_model.LinearExprT] = []
        for k in seq.lots:
            lot = self.lots[k]
            change = into[self.product_of(k)]
            load.append(lot.duration)
            if change.time:
                load.append(change.time * lot.made)
                self.time_terms.append((Fraction(change.time), lot.made))
            if change.cost:
                self.cost_terms.append((change.cost, lot.made))
        return load

    def _small_bucket(self, seq: BucketSequence, cap: int) -> bool:
        """Two lots cannot fit in the bucket together."""
        shortest = sorted(self.lots[k].option.duration(self._smallest_lot(self.lots[k].item))
                          for k in seq.lots)
        return len(shortest) < 2 or shortest[0] + shortest[1] > cap

    def _smallest_lot(self, i: int) -> int:
        item = self.items[i]
        return item.demand if item.one_off else item.product.lot_size_range()[0]

    def _sequence(self, seq: BucketSequence, cap: int) -> list[cp_model.LinearExprT]:
        """Order the bucket's lots; returns the bucket's load (runs, changeovers)."""
        m = self.model
        made = {k: self.lots[k].made for k in seq.lots}
        seq.busy = m.new_bool_var(f"busy_{seq.machine}_{seq.bucket}")
        m.add_max_equality(seq.busy, list(made.values()))
        load: list[cp_model.LinearExprT] = [self.lots[k].duration for k in seq.lots]
        if self._small_bucket(seq, cap):
            m.add_at_most_one(made.values())
            seq.first = dict(made)
            seq.last = dict(made)
        else:
            node = {k: n + 1 for n, k in enumerate(seq.lots)}
            arcs: list[tuple[int, int, cp_model.LiteralT]] = [(0, 0, ~seq.busy)]
            for k in seq.lots:
                seq.first[k] = m.new_bool_var(f"first_{seq.machine}_{seq.bucket}_{k}")
                seq.last[k] = m.new_bool_var(f"last_{seq.machine}_{seq.bucket}_{k}")
                arcs += [(0, node[k], seq.first[k]), (node[k], 0, seq.last[k]),
                         (node[k], node[k], ~made[k])]
                for j in seq.lots:
                    if j == k:
                        continue
                    lit = m.new_bool_var(f"arc_{seq.machine}_{seq.bucket}_{k}_{j}")
                    arcs.append((node[k], node[j], lit))
                    seq.arcs.append((k, j, lit))
                    before, after = self.product_of(k), self.product_of(j)
                    if before != after:
                        self.entries[(seq.machine, after)][seq.bucket].append(lit)
                    change = self.setups.between(seq.machine, before, after)
                    if change.time:
                        load.append(change.time * lit)
                        self.time_terms.append((Fraction(change.time), lit))
                    if change.cost:
                        self.cost_terms.append((change.cost, lit))
            m.add_circuit(arcs)
            # degrees, for the LP: a lot made has one arc in and one out
            for k in seq.lots:
                m.add(sum(lit for _, j, lit in seq.arcs if j == k) + seq.first[k] == made[k])
                m.add(sum(lit for i, _, lit in seq.arcs if i == k) + seq.last[k] == made[k])
            m.add(sum(seq.first.values()) == seq.busy)
        return load

    def product_of(self, lot: int) -> str:
        """The product lot variable ``lot`` (an index in :attr:`lots`) makes."""
        return self.items[self.lots[lot].item].product.name

    def _state_flow(self, seq: BucketSequence, before: dict[str, cp_model.IntVar | int],
                    names: list[str], load: list[cp_model.LinearExprT]
                    ) -> dict[str, cp_model.IntVar | int]:
        """Carry the setup state through the bucket as a flow.

        ``flow[s, j]``: the machine ended the previous bucket set up for ``s``
        and lot ``j`` runs first here (``j = None``: the bucket stays empty).
        Flow conservation gives the state at the bucket's end, and the first
        lot's changeover is ``sum(change(s, j) * flow[s, j])`` — linear, so
        the LP relaxation counts changeovers instead of ignoring them.
        """
        m = self.model
        assert seq.busy is not None
        out_of: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        into: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        stays: dict[str, cp_model.IntVar] = {}
        for state, was in before.items():
            if isinstance(was, int) and was == 0:
                continue
            for k in [*seq.first, None]:
                flow = m.new_bool_var(f"flow_{seq.machine}_{seq.bucket}_{state}_{k}")
                out_of[state].append(flow)
                if k is None:
                    stays[state] = flow
                    continue
                into[k].append(flow)
                change = self.setups.between(seq.machine, state or None, self.product_of(k))
                if change.time:
                    load.append(change.time * flow)
                    self.time_terms.append((Fraction(change.time), flow))
                if change.cost:
                    self.cost_terms.append((change.cost, flow))
        for state, flows in out_of.items():
            m.add(sum(flows) == before[state])
        for k, first in seq.first.items():
            m.add(sum(into[k]) == first)
            product = self.product_of(k)
            self.entries[(seq.machine, product)][seq.bucket].extend(
                f for f, s in zip(into[k], [s for s in before if not (
                    isinstance(before[s], int) and before[s] == 0)], strict=True) if s != product)
        m.add(sum(stays.values()) == 1 - seq.busy)
        after: dict[str, cp_model.IntVar | int] = {}
        for state in names:
            ends_here = [lit for k, lit in seq.last.items() if self.product_of(k) == state]
            parts = ends_here + ([stays[state]] if state in stays else [])
            if not parts:
                continue
            var = m.new_bool_var(f"state_{seq.machine}_{seq.bucket}_{state}")
            m.add(var == sum(parts))
            after[state] = var
        return after

    # -- demand ---------------------------------------------------------------
    def _add_balances(self, criteria: set[Criterion]) -> None:
        m = self.model
        per: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for lot in self.lots:
            per[(lot.item, lot.bucket)].append(lot.quantity)
        for i, item in enumerate(self.items):
            due = item.cumulative(self.grid, "due")
            deadline = item.cumulative(self.grid, "deadline")
            released = item.cumulative(self.grid, "release")
            spare = item.surplus_allowance()
            # units made by the end of each bucket, one variable per bucket: a running
            # sum written out would give the balances O(buckets²) terms
            made_so_far: cp_model.LinearExprT = (
                0 if self.frame is None else self.frame.made_before[i])
            for b in self.buckets:
                total = m.new_int_var(0, item.demand + spare, f"made_{item.name}_{b}")
                m.add(total == cp_model.LinearExpr.sum([made_so_far, *per.get((i, b), [])]))
                self.made_by[(i, b)] = total
                made_so_far = total
                m.add(made_so_far <= released[b] + spare)
                if deadline[b]:
                    m.add(made_so_far >= deadline[b])
                net = made_so_far - due[b]
                if Criterion.HOLDING_COST in criteria and item.product.holding_cost:
                    stock = m.new_int_var(0, item.demand + spare, f"stock_{item.name}_{b}")
                    m.add(stock >= net)
                    rate = item.product.holding_cost * self.grid.length
                    self.holding_terms.append((rate, stock))
                if criteria & {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS}:
                    late = m.new_int_var(0, item.demand, f"backlog_{item.name}_{b}")
                    m.add(late >= -net)
                    for weighted in (True, False):
                        self.backlog_terms[weighted].append(
                            (item.backlog_rate(self.grid, weighted), late))
            if self.frame is not None and self.frame.made_by_end is not None:
                m.add(made_so_far == self.frame.made_by_end[i])
            else:
                m.add(made_so_far >= item.demand)
                m.add(made_so_far <= item.demand + spare)

    # -- objective ------------------------------------------------------------
    def criterion_terms(self, criterion: Criterion) -> list[Term]:
        """The criterion as ``(coefficient, variable)`` terms."""
        if criterion is Criterion.SETUP_COST:
            return self.cost_terms
        if criterion is Criterion.SETUP_TIME:
            return self.time_terms
        if criterion is Criterion.HOLDING_COST:
            return self.holding_terms
        if criterion is Criterion.WEIGHTED_TARDINESS:
            return self.backlog_terms[True]
        return self.backlog_terms[False]

    def stage_expression(self, stage: Stage) -> tuple[cp_model.LinearExpr, int]:
        """A stage as an integer expression and the scale dividing it back."""
        return stage_expression(stage, self.criterion_terms)
