"""The variables of the job-shop model, as plain typed records."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, RoutingOption

Literal = cp_model.IntVar  # a Boolean variable (or its negation)
IntOrVar = int | cp_model.IntVar


@dataclass
class ModelLot:
    """A lot the model may make.

    Fixed lots (``lot`` set) have known quantity and allocations; slot lots
    (``group``/``slot`` set) get their quantity from the model, and with it
    the orders they serve.

    Parameters
    ----------
    index
        Position in ``JobShopModel.lots``.
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
class Alternative:
    """One eligible machine for an operation.

    ``present`` is ``None`` when the machine is the only choice of a lot that
    is always made. ``duration`` is a variable when the lot's quantity is.
    """

    machine: str
    option: RoutingOption
    duration: IntOrVar
    max_duration: int
    present: Literal | None
    interval: cp_model.IntervalVar
    size: cp_model.IntVar | None = None    # changeover + run, when both vary

    @property
    def literal(self) -> Literal | int:
        """The presence literal, or the constant 1 when mandatory."""
        return 1 if self.present is None else self.present


@dataclass
class Operation:
    """One routing step of one lot.

    ``setup_len`` and ``setup_start`` exist only when one of the eligible
    machines has changeovers; the changeover occupies ``[setup_start, start)``.
    """

    index: int
    lot_index: int
    step_index: int
    step_number: int
    start: cp_model.IntVar
    end: cp_model.IntVar
    alternatives: list[Alternative] = field(default_factory=list)
    setup_len: cp_model.IntVar | None = None
    setup_start: cp_model.IntVar | None = None

    def alternative(self, machine: str) -> Alternative | None:
        """The alternative on ``machine``, if eligible."""
        for alt in self.alternatives:
            if alt.machine == machine:
                return alt
        return None


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
