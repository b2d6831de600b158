"""The variables of the job-shop model, as plain typed records.

An :class:`Operation` is one routing step of one lot. A *free* operation has
variables (start, end, changeover, machine choice); a *fixed* one is a
constant (``Operation.fixed``): its machine, times and, for work from
fixed.csv, its setup row come from a schedule. The full model fixes only
fixed.csv's work; the window model of the neighbourhood search fixes
everything but the window. The constraint functions read the same records
either way and leave out what only involves constants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.lots.plan import SlotGroup
from prodsched.plant.model import Mode, RoutingOption

Literal = cp_model.IntVar  # a Boolean variable (or its negation)
IntOrVar = int | cp_model.IntVar


def is_constant(interval: cp_model.IntervalVar) -> bool:
    """Whether an interval is fixed: always present, start and size constants."""
    proto = interval.proto
    return not (proto.enforcement_literal or proto.interval.start.vars
                or proto.interval.size.vars or proto.interval.end.vars)


def all_constant(intervals: Sequence[cp_model.IntervalVar]) -> bool:
    """Whether every interval is fixed: a no-overlap or cumulative over them
    constrains nothing the data has not decided, and is left out. (Besides, CP-SAT
    9.15 without presolve, as the neighbourhood search solves, crashes — a
    segmentation fault — on a plant-wide cumulative of capacity 1 whose
    intervals are all fixed next to other scheduling constraints: the window of a
    setup crew whose changeovers all lie outside it.)"""
    return all(is_constant(i) for i in intervals)


@dataclass
class ModelLot:
    """A lot the model may make.

    Fixed lots (``lot`` set) have known quantity and allocations; slot lots
    (``group``/``slot`` set) get their quantity from the model, and with it
    the orders they serve.

    Parameters
    ----------
    index
        Position in the model's lots.
    name
        The lot id it will carry in schedule.csv.
    product, mode
        What is made, and how (``auto`` for a slot lot whose mode is read
        from the schedule).
    present
        ``None`` when the lot is always made.
    quantity
        Units (a variable for slot lots).
    max_quantity
        Largest possible quantity.
    streaming
        Whether its steps may overlap (lot streaming).
    """

    index: int
    name: str
    product: str
    mode: Mode
    present: Literal | None
    quantity: IntOrVar
    max_quantity: int
    streaming: bool
    lot: Lot | None = None
    group: int | None = None
    slot: int | None = None
    units: cp_model.IntVar | None = None   # quantity / lot_multiple (slot lots)
    ops: list[int] = field(default_factory=list)

    @property
    def literal(self) -> Literal | int:
        """The presence literal, or 1 when always made."""
        return 1 if self.present is None else self.present


@dataclass
class PauseSpan:
    """A pausing run against one unavailable period ``[start, end)`` of its machine:
    it ends before it (``before``), runs across it (``spans``) or starts after it
    (``after``); exactly one holds."""

    start: int
    end: int
    before: Literal
    spans: Literal
    after: Literal


@dataclass
class Alternative:
    """One eligible machine for an operation.

    ``present`` is ``None`` when the machine is the only choice of a lot that
    is always made. ``duration`` (the work time) is a variable when the lot's
    quantity is.

    ``interval`` is what the machine is busy with: the changeover and the run
    together (machines with changeover rules whose setups need no interval of
    their own), else the run alone; ``None`` for a fixed operation that is not
    on a machine of the model (only its times matter). ``setup`` is the
    changeover's own interval where it has one (:meth:`Shop.split_setups`);
    ``run`` is the run alone when ``interval`` also covers the changeover and
    the run holds shared resources. A pausing run (``can_pause`` on a machine
    with unavailable time) has ``length``, its duration plus the unavailable
    time it spans, and ``pauses``.
    """

    machine: str
    option: RoutingOption
    duration: IntOrVar
    present: Literal | None
    interval: cp_model.IntervalVar | None
    size: cp_model.IntVar | None = None    # changeover + run, when both vary
    setup: cp_model.IntervalVar | None = None
    run: cp_model.IntervalVar | None = None
    length: IntOrVar | None = None
    pauses: list[PauseSpan] = field(default_factory=list)
    combined: bool = False               # ``interval`` covers the changeover too

    @property
    def literal(self) -> Literal | int:
        """The presence literal, or the constant 1 when mandatory."""
        return 1 if self.present is None else self.present

    @property
    def pausing(self) -> bool:
        """Whether the run may stop over unavailable time (its length is not its duration)."""
        return self.length is not None

    @property
    def run_interval(self) -> cp_model.IntervalVar | None:
        """The run alone (pauses included), if the model has it."""
        if self.run is not None:
            return self.run
        return None if self.combined else self.interval


@dataclass
class Operation:
    """One routing step of one lot.

    ``setup_len`` and ``setup_start`` exist only when one of the eligible
    machines has changeovers; the changeover occupies
    ``[setup_start, setup_start + setup_len)``, which ends by ``start`` (right
    at ``start`` unless the machine's setups have intervals of their own).

    A fixed operation (``fixed``) has constant start, end and machine (one
    alternative); ``placed`` is the schedule's operation it stands for. With
    ``fixed_setup`` its setup row is constant too (fixed.csv): new work may
    come right before it only when the changeover fits in that row. Without,
    its changeover is a variable (the run after a window, see
    :mod:`prodsched.jobshop.window`).
    """

    index: int
    lot_index: int
    step_index: int
    step_number: int
    start: IntOrVar
    end: IntOrVar
    alternatives: list[Alternative] = field(default_factory=list)
    setup_len: IntOrVar | None = None
    setup_start: IntOrVar | None = None
    setup_end: IntOrVar | None = None     # where the changeover has an interval of its own
    fixed: bool = False
    fixed_setup: bool = False
    placed: PlacedOp | None = None
    # resource → units its changeover holds (a variable: it depends on the rule applied)
    setup_demand: dict[str, IntOrVar] = field(default_factory=dict)

    def alternative(self, machine: str) -> Alternative | None:
        """The alternative on ``machine``, if eligible."""
        for alt in self.alternatives:
            if alt.machine == machine:
                return alt
        return None

    def on_machine(self, machine: str) -> Alternative | None:
        """The alternative on ``machine`` when the operation takes part in the machine's
        constraints (a fixed operation outside the model's machines does not)."""
        alt = self.alternative(machine)
        return alt if alt is not None and alt.interval is not None else None


@dataclass
class Arc:
    """A circuit arc on a machine: ``tail`` runs right before ``head``.

    Node ``-1`` is the machine's start/end (depot).
    """

    tail: int
    head: int
    literal: Literal


@dataclass
class MachineSequence:
    """The circuit of one machine with changeovers."""

    machine: str
    nodes: list[int]                  # operation indices
    arcs: list[Arc] = field(default_factory=list)
    empty: Literal | None = None      # true when no operation runs on the machine
    # (literal, operation indices): true when one of them runs on the machine
    group_used: list[tuple[Literal, list[int]]] = field(default_factory=list)


@dataclass
class Coverage:
    """``literal`` is true when slot lot ``lot`` holds units of order ``order_id``.

    ``after_start`` is ``S(k-1) < b`` and ``before_end`` is ``S(k) > a``.
    """

    order_id: str
    lot: int
    literal: cp_model.IntVar
    after_start: cp_model.IntVar | int
    before_end: cp_model.IntVar


@dataclass
class GroupVars:
    """The variables of one slot group."""

    index: int
    group: SlotGroup
    lots: list[int]
    cumulative: list[cp_model.IntVar]
    positions: dict[str, tuple[int, int]]
    one_off: cp_model.IntVar | None = None
    one_off_lots: list[int] = field(default_factory=list)
    covers: list[Coverage] = field(default_factory=list)
    last: list[cp_model.IntVar] = field(default_factory=list)
    at_minimum: list[cp_model.IntVar | None] = field(default_factory=list)


@dataclass
class FixedHolding:
    """Holding of ``units`` of an order in a fixed lot: ``early >= due - end``."""

    rate: Fraction
    early: cp_model.IntVar
    lot: int
    order_id: str


@dataclass
class SlotHolding:
    """Holding of an order's units in a slot lot: ``product = units * early``."""

    rate: Fraction
    product: cp_model.IntVar
    units: cp_model.IntVar
    early: cp_model.IntVar
    low: cp_model.IntVar
    high: cp_model.IntVar
    lot: int
    order_id: str


@dataclass
class CriterionVars:
    """Variables of the criteria in use, and the constant parts.

    ``fixed_tardiness``: tardiness of orders that only fixed lots complete;
    ``fixed_holding_cost``: holding cost of fixed lots; ``makespan_floor`` and
    ``completions``: what outside the model bounds the makespan and the
    orders' completions. ``changes``: the terms of criterion ``changes``
    (:func:`prodsched.jobshop.criteria.change_terms`).
    """

    makespan: cp_model.IntVar | None = None
    tardiness: dict[str, cp_model.IntVar] = field(default_factory=dict)
    late: dict[str, cp_model.IntVar] = field(default_factory=dict)
    fixed_holding: list[FixedHolding] = field(default_factory=list)
    slot_holding: list[SlotHolding] = field(default_factory=list)
    fixed_tardiness: dict[str, int] = field(default_factory=dict)
    fixed_holding_cost: Fraction = Fraction(0)
    makespan_floor: int = 0
    completions: dict[str, int] = field(default_factory=dict)
    changes: list[tuple[Fraction, cp_model.LinearExprT]] = field(default_factory=list)


@dataclass
class Variables:
    """Every variable record of a model (full or window).

    ``setup_terms``: per head operation, ``(time, arc literal)`` of the
    changeovers it may get; ``setup_resources``: per head operation and
    resource, ``(amount, arc literal)``; ``cost_terms``: ``(cost, arc literal)``
    of every arc that costs something.
    """

    lots: list[ModelLot] = field(default_factory=list)
    groups: list[GroupVars] = field(default_factory=list)
    ops: list[Operation] = field(default_factory=list)
    sequences: dict[str, MachineSequence] = field(default_factory=dict)
    restricted_machines: list[str] = field(default_factory=list)
    setup_terms: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    setup_resources: dict[int, dict[str, list[tuple[int, cp_model.IntVar]]]] = field(
        default_factory=dict)
    cost_terms: list[tuple[Fraction, cp_model.IntVar]] = field(default_factory=list)
    criteria: CriterionVars | None = None
    deadline_literal: dict[str, cp_model.IntVar] = field(default_factory=dict)
    downtime_literal: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def free(self) -> list[int]:
        """Indices of the operations that are variables (not fixed)."""
        return [op.index for op in self.ops if not op.fixed]

    def last_end(self, ml: ModelLot) -> IntOrVar:
        """End of the lot's last step (0 when the lot is not made)."""
        return self.ops[ml.ops[-1]].end
