"""The variables of the job-shop model, as plain typed records."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from prodsched.plant.model import RoutingOption

Literal = cp_model.IntVar  # a Boolean variable (or its negation)


@dataclass
class Alternative:
    """One eligible machine for an operation.

    ``present`` is ``None`` when the machine is the only choice (always used).
    """

    machine: str
    option: RoutingOption
    duration: int
    present: Literal | None
    interval: cp_model.IntervalVar

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
