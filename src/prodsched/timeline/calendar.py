"""A machine's calendar: where work fits between its unavailable periods.

The periods are the machine's merged downtimes (:meth:`Plant.unavailable`):
sorted, disjoint ``[start, end)``. Every question is answered with a binary
search and a walk over the few periods it crosses.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence


class Calendar:
    """The unavailable periods of one machine.

    Parameters
    ----------
    periods
        Sorted, disjoint ``[start, end)`` periods (touching ones joined).
    """

    __slots__ = ("_down_before", "ends", "periods", "starts")

    def __init__(self, periods: Sequence[tuple[int, int]] = ()):
        self.periods = list(periods)
        self.starts = [s for s, _ in self.periods]
        self.ends = [e for _, e in self.periods]
        # downtime before each period's start (prefix sums, for work time)
        self._down_before = [0]
        for s, e in self.periods:
            self._down_before.append(self._down_before[-1] + e - s)

    def __bool__(self) -> bool:
        return bool(self.periods)

    def up_from(self, t: int) -> int:
        """``t``, or the end of the unavailable period containing it."""
        i = bisect.bisect_right(self.ends, t)
        if i < len(self.periods) and self.starts[i] <= t:
            return self.ends[i]
        return t

    def clear_from(self, t: int, length: int) -> int:
        """The earliest ``s >= t`` with ``[s, s + length)`` free of unavailable time.

        A zero-length row fits anywhere.
        """
        if length <= 0 or not self.periods:
            return t
        i = bisect.bisect_right(self.ends, t)
        while i < len(self.periods) and self.starts[i] < t + length:
            t = self.ends[i]
            i += 1
        return t

    def clear_until(self, t: int, length: int) -> int:
        """The latest ``s <= t`` with ``[s, s + length)`` free of unavailable time."""
        if length <= 0 or not self.periods:
            return t
        # the last period starting before t + length
        i = bisect.bisect_left(self.starts, t + length) - 1
        while i >= 0 and self.ends[i] > t:
            t = self.starts[i] - length
            i -= 1
        return t

    def down_within(self, a: int, b: int) -> int:
        """Unavailable time inside ``[a, b)``."""
        if b <= a or not self.periods:
            return 0
        return self._down_before_time(b) - self._down_before_time(a)

    def _down_before_time(self, t: int) -> int:
        """Unavailable time before ``t``."""
        i = bisect.bisect_right(self.starts, t)   # periods starting at or before t
        if i == 0:
            return 0
        full = self._down_before[i - 1]
        s, e = self.periods[i - 1]
        return full + min(t, e) - s

    def work(self, a: int, b: int) -> int:
        """Available (working) time inside ``[a, b)``."""
        return 0 if b <= a else (b - a) - self.down_within(a, b)

    def advance(self, t: int, work: int) -> int:
        """The earliest moment by which ``work`` units of working time from ``t`` are done.

        The end of a run that pauses over unavailable time: it is never inside
        an unavailable period (it may touch one's start).
        """
        if work <= 0:
            return t
        i = bisect.bisect_right(self.ends, t)
        while i < len(self.periods):
            s, e = self.periods[i]
            if s > t:
                if work <= s - t:
                    return t + work
                work -= s - t
            t = max(t, e)
            i += 1
        return t + work
