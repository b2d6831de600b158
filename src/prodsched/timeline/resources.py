"""Plant-wide shared resources: how much of each is held at every moment.

A :class:`Profile` is a step function of one resource's use over time. Machines
book independently, so bookings arrive in any time order; each booking
inserts at most two breakpoints (binary search and list insertion) and adds
its amount to the segments it covers. Questions look only at the segments of
the interval asked about.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from prodsched.plant.model import Resource, ResourceUse


class Profile:
    """The use of one resource over time.

    Parameters
    ----------
    capacity
        How many units of it exist.
    """

    __slots__ = ("capacity", "times", "use")

    def __init__(self, capacity: int):
        self.capacity = capacity
        # use[i] is held over [times[i], times[i + 1]); nothing before times[0]
        self.times: list[int] = []
        self.use: list[int] = []

    def _breakpoint(self, t: int) -> int:
        """Index of the segment starting at ``t`` (inserted if needed)."""
        i = bisect.bisect_left(self.times, t)
        if i < len(self.times) and self.times[i] == t:
            return i
        held = self.use[i - 1] if i > 0 else 0
        self.times.insert(i, t)
        self.use.insert(i, held)
        return i

    def add(self, start: int, end: int, amount: int) -> None:
        """Hold ``amount`` units over ``[start, end)`` (a negative amount releases them)."""
        if end <= start or amount == 0:
            return
        i = self._breakpoint(start)
        j = self._breakpoint(end)
        use = self.use
        for k in range(i, j):
            use[k] += amount

    def held(self, t: int) -> int:
        """Units held at ``t``."""
        i = bisect.bisect_right(self.times, t) - 1
        return self.use[i] if i >= 0 else 0

    def first_overload(self, start: int, end: int, amount: int) -> int | None:
        """Where ``amount`` more units over ``[start, end)`` would first exceed the capacity:
        the end of that overloaded stretch (``None``: they fit)."""
        if end <= start:
            return None
        limit = self.capacity - amount
        if limit < 0:
            raise ValueError(f"{amount} units of a resource are needed, but only "
                             f"{self.capacity} exist")
        times, use = self.times, self.use
        i = max(0, bisect.bisect_right(times, start) - 1)
        n = len(times)
        while i < n and times[i] < end:
            if use[i] > limit and (i + 1 == n or times[i + 1] > start):
                j = i + 1
                while j < n and use[j] > limit:
                    j += 1
                if j == n:   # cannot happen: the last segment holds nothing
                    raise AssertionError("a resource is held for ever")
                return times[j]
            i += 1
        return None

    def last_overload(self, start: int, end: int, amount: int) -> int | None:
        """Where ``amount`` more units over ``[start, end)`` would last exceed the capacity:
        the start of that overloaded stretch (``None``: they fit)."""
        if end <= start:
            return None
        limit = self.capacity - amount
        if limit < 0:
            raise ValueError(f"{amount} units of a resource are needed, but only "
                             f"{self.capacity} exist")
        times, use = self.times, self.use
        i = bisect.bisect_left(times, end) - 1
        while i >= 0 and (i + 1 == len(times) or times[i + 1] > start):
            if use[i] > limit:
                j = i
                while j > 0 and use[j - 1] > limit:
                    j -= 1
                return times[j]
            i -= 1
        return None


class Pool:
    """Every shared resource of a plant.

    Parameters
    ----------
    resources
        The plant's resources, by name.
    """

    def __init__(self, resources: dict[str, Resource]):
        self.profiles = {name: Profile(r.capacity) for name, r in resources.items()}

    def __bool__(self) -> bool:
        return bool(self.profiles)

    def book(self, uses: Iterable[ResourceUse], start: int, end: int, sign: int = 1) -> None:
        """Hold (``sign=1``) or release (``-1``) ``uses`` over ``[start, end)``."""
        for use in uses:
            self.profiles[use.resource].add(start, end, sign * use.amount)

    def clear_from(self, uses: tuple[ResourceUse, ...], start: int, end: int) -> int | None:
        """``None`` when ``uses`` fit over ``[start, end)``; else the end of the first
        overload (an interval starting at ``start`` or later must start there or later)."""
        for use in uses:
            found = self.profiles[use.resource].first_overload(start, end, use.amount)
            if found is not None:
                return found
        return None

    def clear_until(self, uses: tuple[ResourceUse, ...], start: int, end: int) -> int | None:
        """``None`` when ``uses`` fit over ``[start, end)``; else the start of the last
        overload (an interval of this length must end by it)."""
        for use in uses:
            found = self.profiles[use.resource].last_overload(start, end, use.amount)
            if found is not None:
                return found
        return None

    def fits(self, uses: tuple[ResourceUse, ...], start: int, end: int) -> bool:
        """Whether ``uses`` fit over ``[start, end)``."""
        return self.clear_from(uses, start, end) is None
