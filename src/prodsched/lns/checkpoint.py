"""Anytime results: validate the newest best schedule in the background and hand it on.

The search finds better schedules faster than the validator (seconds for
10,000 orders) can check them, and a reader wants a schedule on disk early.
A :class:`Checkpointer` keeps the newest best schedule offered; a background
thread turns it into a :class:`~prodsched.schedule.schedule.Schedule`,
validates it and passes it to the ``checkpoint`` hook (the command line
writes it, atomically), then takes the newest again — at most one every
``every`` seconds. Only validated schedules ever reach the hook; an offered
schedule the validator rejects is listed in ``rejected`` (with the rules it
breaks) and the newest valid one stays.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from prodsched.errors import InvalidScheduleError
from prodsched.schedule.schedule import Schedule

# A validated schedule and the files it renders to.
Checked = tuple[Schedule, dict[str, str]]
# Makes a validated schedule from an offered payload (raises when invalid).
Maker = Callable[[object], Checked]
Hook = Callable[[Schedule, dict[str, str]], None]


@dataclass
class Done:
    """A validated schedule, its files, and the version it was made from."""

    version: int
    schedule: Schedule
    files: dict[str, str]


class Checkpointer:
    """Validates and hands on the newest offered schedule, in a background thread.

    Parameters
    ----------
    make
        Builds and validates the schedule of an offered payload (called in
        the background thread; raises when the schedule is invalid).
    hook
        Called with every validated schedule, newest last (``None``: only
        validate, so the final schedule is ready sooner).
    every
        Seconds between two validations at least.
    """

    def __init__(self, make: Maker, hook: Hook | None, every: float = 5.0):
        self.make, self.hook, self.every = make, hook, every
        self.version = 0
        self.offered: tuple[int, object] | None = None
        self.done: Done | None = None
        self.busy_with: int | None = None
        self.error: BaseException | None = None
        self.rejected: list[tuple[int, str]] = []
        self.seconds: list[float] = []
        self._cond = threading.Condition()
        self._hooking = threading.Lock()
        self._closed = False
        self._hurry = False
        self._last = -float("inf")
        self._thread = threading.Thread(target=self._run, name="prodsched-checkpoint",
                                        daemon=True)
        self._thread.start()

    def offer(self, payload: object) -> int:
        """A new best schedule; returns its version."""
        with self._cond:
            self.version += 1
            self.offered = (self.version, payload)
            self._cond.notify_all()
            return self.version

    def put(self, checked: Checked) -> int:
        """A new best schedule the caller validated (e.g. the first one): hand it on
        now; returns its version."""
        with self._cond:
            self.version += 1
            version = self.version
            self.done = Done(version, *checked)
            self.offered = None
            self._last = time.monotonic()
        self._hand_on(self.done)
        return version

    def latest(self) -> Done | None:
        """The newest validated schedule, if any."""
        with self._cond:
            return self.done

    def result_for(self, version: int, timeout: float) -> Schedule | None:
        """The validated schedule of ``version``, waiting up to ``timeout`` seconds while
        it is offered or being validated (an offer waiting for the interval is taken
        at once); ``None`` when it is not or will not be validated in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._hurry = True
            self._cond.notify_all()
            while True:
                if self.done is not None and self.done.version == version:
                    return self.done.schedule
                pending = self.busy_with == version or (
                    self.offered is not None and self.offered[0] == version)
                left = deadline - time.monotonic()
                if not pending or self._closed or left <= 0:
                    return None
                self._cond.wait(left)

    def close(self) -> None:
        """Stop handing schedules on; returns once no hook call is under way (a
        validation under way finishes unseen)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        with self._hooking:
            pass

    def _hand_on(self, done: Done) -> None:
        with self._hooking:
            if self.hook is not None and not self._closed:
                self.hook(done.schedule, done.files)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (self.offered is None or (
                        not self._hurry and time.monotonic() - self._last < self.every)):
                    wait = None if self.offered is None or self._hurry else \
                        self.every - (time.monotonic() - self._last)
                    self._cond.wait(wait)
                if self._closed:
                    return
                assert self.offered is not None
                version, payload = self.offered
                self.offered = None
                self.busy_with = version
            started = time.monotonic()
            try:
                checked = self.make(payload)
            except InvalidScheduleError as err:  # kept: the newest valid one stays
                with self._cond:
                    self.rejected.append((version, str(err)))
                    self.busy_with = None
                    self._last = time.monotonic()
                    self._cond.notify_all()
                continue
            except BaseException as err:  # reported to the solve, which raises it
                with self._cond:
                    self.error = err
                    self.busy_with = None
                    self._closed = True
                    self._cond.notify_all()
                return
            with self._cond:
                self.seconds.append(time.monotonic() - started)
                self.busy_with = None
                self._last = time.monotonic()
                if self._closed:
                    self._cond.notify_all()
                    return
                done = Done(version, *checked)
                if self.done is None or version > self.done.version:
                    self.done = done
                self._cond.notify_all()
            self._hand_on(done)
