"""Numbers and times read and written exactly, on the common whole-number paths and off them."""

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from prodsched.plant.values import TimeAxis, format_number, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("7", Fraction(7)), (" 007 ", Fraction(7)), ("2.5", Fraction(5, 2)), ("-3", Fraction(-3)),
    ("1e3", Fraction(1000)), (".5", Fraction(1, 2)), ("0", Fraction(0)),
])
def test_numbers_are_read_exactly(text, value):
    assert parse_number(text) == value
    assert isinstance(parse_number(text), Fraction)


@pytest.mark.parametrize("text", ["", "abc", "1/3", "nan", "²", "1e13", "10000000000001"])
def test_what_is_not_a_sensible_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("moment", "units"), [
    (datetime(2026, 3, 2, 8, 0), Fraction(0)),
    (datetime(2026, 3, 2, 9, 30), Fraction(90)),
    (datetime(2026, 3, 1, 7, 59), Fraction(-1441)),  # before time 0
    (datetime(2026, 3, 2, 8, 0, 30), Fraction(1, 2)),  # not a whole minute
    (datetime(2026, 3, 2, 8, 0, 0, 1), Fraction(1, 60_000_000)),
    (datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1))), Fraction(0)),
])
def test_date_times_become_exact_minutes_from_time_zero(moment, units):
    axis = TimeAxis(origin=datetime(2026, 3, 2, 8, 0))
    assert axis.units(moment) == units


def test_times_are_written_back_as_they_were_read():
    axis = TimeAxis(origin=datetime(2026, 3, 2, 8, 0))
    for text in ("2026-03-02T08:00", "2026-03-05T17:45", "2026-02-27T23:59", "2026-03-02T08:00:30"):
        assert axis.format(axis.parse(text)) == text
    assert axis.format(90) == "2026-03-02T09:30"
    zoned = TimeAxis(origin=datetime(2026, 3, 2, 7, 0), zone=timezone(timedelta(hours=1)))
    assert zoned.format(zoned.parse("2026-03-02T10:15+01:00")) == "2026-03-02T10:15+01:00"
    assert format_number(Fraction(5)) == "5" and format_number(Fraction(5, 2)) == "2.5"
