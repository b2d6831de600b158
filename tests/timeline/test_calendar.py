"""A machine's calendar: where rows fit, working time, and where a pausing run ends."""

from __future__ import annotations

import pytest

from prodsched.timeline.calendar import Calendar

NIGHTS = Calendar([(100, 200), (300, 400)])


@pytest.mark.parametrize(("t", "length", "expected"), [
    (0, 100, 0),       # ends where the night begins
    (0, 101, 400),     # one unit too long: not between the nights either
    (10, 100, 200),
    (150, 10, 200),    # inside the night
    (250, 60, 400),    # does not fit between the nights
    (250, 50, 250),
    (50, 0, 50),       # zero length fits anywhere
    (150, 0, 150),
])
def test_clear_from_is_the_earliest_start_clear_of_downtime(t, length, expected):
    assert NIGHTS.clear_from(t, length) == expected


@pytest.mark.parametrize(("t", "length", "expected"), [
    (400, 30, 400),
    (390, 30, 270),    # must end by 300: before the second night
    (180, 30, 70),     # before the first night
    (250, 100, 200),   # exactly between the nights
    (250, 101, -1),    # too long for that: before the first night
])
def test_clear_until_is_the_latest_start_clear_of_downtime(t, length, expected):
    assert NIGHTS.clear_until(t, length) == expected


def test_working_time_and_the_end_of_a_pausing_run():
    assert NIGHTS.work(0, 500) == 300
    assert NIGHTS.work(150, 350) == 100
    assert NIGHTS.down_within(50, 350) == 150
    assert NIGHTS.advance(50, 50) == 100     # ends as the night begins
    assert NIGHTS.advance(50, 60) == 210     # pauses over the night
    assert NIGHTS.advance(150, 10) == 210    # starts in the night: work from its end
    assert NIGHTS.advance(90, 120) == 410    # pauses over both nights
    assert NIGHTS.up_from(150) == 200 and NIGHTS.up_from(99) == 99


def test_an_empty_calendar_is_always_available():
    free = Calendar()
    assert not free
    assert free.clear_from(7, 1000) == 7 and free.clear_until(7, 1000) == 7
    assert free.advance(7, 10) == 17 and free.work(0, 10) == 10
