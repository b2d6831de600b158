"""What the constraint functions read besides the variables: the plant and its setting.

A :class:`Shop` is the plant with its changeover lookup, the model's horizon,
and — for the window model of the neighbourhood search — where each machine's
part of the model begins and ends: the set-up and free time the run before
the window leaves (``start_state``, ``free_from``), and the start of the run
after it (``until``). The full model leaves these empty: every machine starts
in its initial state at time 0 (or the plant's ``now``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from prodsched.plant.model import Plant, RoutingOption
from prodsched.plant.setups import Changeover, SetupTable


@dataclass
class Shop:
    """The plant as the constraint functions see it.

    Parameters
    ----------
    plant, setups
        The plant and its changeover lookup.
    horizon
        An upper bound on every time in the model.
    literals
        Deadlines and calendar rows are enforced by literals of their own
        (to find which of them conflict, :mod:`prodsched.feasibility.core`).
    start_state
        Per machine, what it is set up for where its part of the model starts
        (default: its initial state).
    free_from
        Per machine, the time its part of the model starts (default: none).
    until
        Per machine, the time its part of the model ends (default: the horizon).
    """

    plant: Plant
    setups: SetupTable
    horizon: int = 0
    literals: bool = False
    start_state: dict[str, str | None] = field(default_factory=dict)
    free_from: dict[str, int] = field(default_factory=dict)
    until: dict[str, int] = field(default_factory=dict)

    @property
    def earliest(self) -> int:
        """No new run or setup starts before this (the plant's ``now``, else 0)."""
        return self.plant.earliest

    def state_at_start(self, machine: str) -> str | None:
        """What ``machine`` is set up for where its part of the model starts."""
        if machine in self.start_state:
            return self.start_state[machine]
        return self.plant.machines[machine].initial_state

    def initial(self, machine: str, product: str) -> Changeover:
        """The changeover before the first run of the model on ``machine``."""
        if machine in self.start_state:
            return self.setups.between(machine, self.start_state[machine], product)
        return self.setups.initial(machine, product)

    def downtime(self, machine: str) -> list[tuple[int, int]]:
        """The machine's unavailable periods (merged) within its part of the model."""
        periods = self.plant.unavailable(machine)
        if machine not in self.free_from and machine not in self.until:
            return periods
        low = self.free_from.get(machine, 0)
        high = self.until.get(machine, self.horizon)
        return [(lo, hi) for lo, hi in ((max(s, low), min(e, high)) for s, e in periods)
                if hi > lo]

    @cached_property
    def _resource_machines(self) -> frozenset[str]:
        """Machines some setup rule holding a shared resource may apply to (``*``: all)."""
        return frozenset(r.machine for r in self.plant.setup_rules if r.resources)

    def split_setups(self, machine: str) -> bool:
        """Whether the machine's changeovers get intervals of their own.

        Where the machine has unavailable time, or changeovers that hold shared
        resources: a setup may then lie earlier than right before its run (before
        a night, or when the crew is free). Elsewhere one interval covers the
        changeover and its run, which loses nothing and keeps the model small.
        """
        if not self.setups.has_setups(machine):
            return False
        return bool(self.downtime(machine)) or bool(
            self._resource_machines & {machine, "*"})

    def pauses(self, option: RoutingOption) -> bool:
        """Whether a run on ``option`` may stop over its machine's unavailable time."""
        return option.can_pause and bool(self.downtime(option.machine))
