"""A machine's timeline for constructive heuristics: when it is free, what it
is set up for, and where a setup plus a run fits between calendar downtimes."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from prodsched.plant.model import Plant


@dataclass
class Timeline:
    """Append-only state of one machine.

    Parameters
    ----------
    downtimes
        Unavailable periods, merged and sorted.
    state
        What the machine is set up for (product, family or ``None``).
    free
        The time the machine's last run ends.
    """

    downtimes: list[tuple[int, int]]
    state: str | None = None
    free: int = 0
    _ends: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._ends = [end for _, end in self.downtimes]

    def earliest_start(self, ready: int, setup: int, duration: int) -> int:
        """Earliest run start >= ``ready`` with the setup right before it.

        The setup ``[start - setup, start)`` and the run ``[start, start + duration)``
        both lie after the machine is free and avoid every downtime.
        """
        start = max(ready, self.free + setup, setup)
        if setup + duration == 0:
            return start
        # first downtime that ends after the setup would begin
        i = bisect.bisect_right(self._ends, start - setup)
        while i < len(self.downtimes):
            down_start, down_end = self.downtimes[i]
            if down_start >= start + duration:
                break
            start = down_end + setup
            i += 1
        return start

    def book(self, end: int, state: str) -> None:
        """Record a run that ends at ``end`` and leaves the machine set up for ``state``."""
        self.free = max(self.free, end)
        self.state = state


def timelines(plant: Plant) -> dict[str, Timeline]:
    """A fresh timeline per machine (initial state, calendar)."""
    return {
        name: Timeline(plant.unavailable(name), state=m.initial_state)
        for name, m in plant.machines.items()
    }
