"""The checkpointer: only made (validated) schedules reach the hook, newest last."""

from __future__ import annotations

import threading
import time

import pytest

from prodsched.errors import InvalidScheduleError
from prodsched.lns.checkpoint import Checkpointer


class Slow:
    """A maker that takes a while and remembers what it made."""

    def __init__(self, seconds: float = 0.05, fail_on: object = None):
        self.seconds, self.fail_on = seconds, fail_on
        self.made: list[object] = []

    def __call__(self, payload):  # type: ignore[no-untyped-def]
        time.sleep(self.seconds)
        if payload == self.fail_on:
            raise ValueError("invalid")
        self.made.append(payload)
        return (f"schedule {payload}", {"schedule.csv": str(payload)})


def test_the_newest_offer_is_made_and_handed_on_and_none_older_after_it():
    maker, handed = Slow(), []
    checkpointer = Checkpointer(maker, lambda s, files: handed.append(s), every=0.0)
    versions = [checkpointer.offer(k) for k in range(20)]
    assert checkpointer.result_for(versions[-1], timeout=5) == "schedule 19"
    checkpointer.close()
    assert handed[-1] == "schedule 19"
    made = [int(s.split()[1]) for s in handed]
    assert made == sorted(made) and len(made) < 20   # stale offers were skipped


def test_put_hands_on_at_once_and_counts_as_the_newest():
    handed = []
    checkpointer = Checkpointer(Slow(), lambda s, files: handed.append(files), every=60.0)
    version = checkpointer.put(("first", {"kpis.json": "{}"}))
    assert handed == [{"kpis.json": "{}"}]
    latest = checkpointer.latest()
    assert latest is not None and latest.version == version and latest.schedule == "first"
    checkpointer.close()


def test_offers_wait_for_the_interval_unless_their_result_is_asked_for():
    handed = []
    checkpointer = Checkpointer(Slow(0.0), lambda s, f: handed.append(s), every=0.5)
    checkpointer.put(("first", {}))
    checkpointer.offer("second")
    time.sleep(0.2)
    assert handed == ["first"]
    time.sleep(0.6)
    assert handed == ["first", "schedule second"]
    slow = Checkpointer(Slow(0.0), None, every=60.0)
    slow.put(("first", {}))
    version = slow.offer("third")
    began = time.monotonic()
    assert slow.result_for(version, timeout=5) == "schedule third"
    assert time.monotonic() - began < 5
    slow.close()
    checkpointer.close()


def test_nothing_is_handed_on_after_close():
    handed, entered, release = [], threading.Event(), threading.Event()

    def hook(schedule, files):  # type: ignore[no-untyped-def]
        entered.set()
        release.wait(5)
        handed.append(schedule)

    checkpointer = Checkpointer(Slow(0.0), hook, every=0.0)
    checkpointer.offer(1)
    assert entered.wait(5)
    closer = threading.Thread(target=checkpointer.close)
    closer.start()
    time.sleep(0.1)
    assert closer.is_alive()          # close waits for the hook under way
    release.set()
    closer.join(5)
    checkpointer.offer(2)
    time.sleep(0.2)
    assert handed == ["schedule 1"]


def test_an_invalid_schedule_is_never_handed_on_and_the_error_is_kept():
    handed = []
    checkpointer = Checkpointer(Slow(0.0, fail_on=3), lambda s, f: handed.append(s), every=0.0)
    version = checkpointer.offer(3)
    assert checkpointer.result_for(version, timeout=2) is None
    time.sleep(0.1)
    assert handed == []
    with pytest.raises(ValueError):
        raise checkpointer.error  # type: ignore[misc]


def test_a_schedule_the_validator_rejects_is_listed_and_the_newest_valid_one_stays():
    class Rejects(Slow):
        def __call__(self, payload):  # type: ignore[no-untyped-def]
            if payload == 2:
                raise InvalidScheduleError("internal error: the schedule breaks 1 rule(s)")
            return super().__call__(payload)

    handed = []
    checkpointer = Checkpointer(Rejects(0.0), lambda s, f: handed.append(s), every=0.0)
    first = checkpointer.offer(1)
    assert checkpointer.result_for(first, timeout=2) == "schedule 1"
    second = checkpointer.offer(2)
    assert checkpointer.result_for(second, timeout=2) is None
    latest = checkpointer.latest()
    assert latest is not None and latest.version == first and checkpointer.error is None
    assert [(v, "breaks 1 rule" in text) for v, text in checkpointer.rejected] == [(second, True)]
    third = checkpointer.offer(3)  # the checkpointer goes on after a rejection
    assert checkpointer.result_for(third, timeout=2) == "schedule 3"
    checkpointer.close()
    assert handed == ["schedule 1", "schedule 3"]
