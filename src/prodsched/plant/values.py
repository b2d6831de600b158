"""Parsing and formatting of the cell values a plant uses: numbers and times.

Numbers are read exactly (as :class:`fractions.Fraction`), so that
``ceil(fixed_time + q * time_per_unit)`` is computed without rounding error.
A time is either a number of time units or an ISO 8601 date-time; the
:class:`TimeAxis` of a plant turns both into time units from time 0 and back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction

# Values beyond these are taken as mistakes in the data, not as plans.
MAX_MAGNITUDE = 10**12

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")


def parse_number(text: str) -> Fraction:
    """Read a decimal number exactly.

    Raises
    ------
    ValueError
        With a message for the user when the text is not a finite number of
        sensible size (NaN, infinities, fractions like ``1/3`` and numbers
        beyond 10^12 are refused).
    """
    s = text.strip()
    if s.isdigit() and s.isascii():  # the common case, read without Fraction's own parser
        value = Fraction(int(s))
    elif _NUMBER.match(s):
        value = Fraction(s)
    else:
        raise ValueError(f"{text!r} is not a number")
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(f"{text!r} is too large (the limit is 1e12)")
    return value


def parse_integer(text: str) -> int:
    """Read a whole number; ``5`` and ``5.0`` are accepted, ``5.5`` is not."""
    value = parse_number(text)
    if value.denominator != 1:
        raise ValueError(f"{text!r} is not a whole number")
    return int(value)


def format_number(value: Fraction | int | float) -> str:
    """Write a number the way a spreadsheet user reads it: ``5``, ``2.5``."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 6))
    frac = Fraction(value)
    if frac.denominator == 1:
        return str(frac.numerator)
    return repr(round(float(frac), 6))


def parse_time_cell(text: str) -> Fraction | datetime:
    """Read one time cell: a number of time units or an ISO 8601 date-time."""
    s = text.strip()
    if _NUMBER.match(s):
        return parse_number(s)
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a number nor an ISO 8601 date-time"
            " (for example 2026-03-02T08:00)"
        ) from None


def _as_utc_naive(dt: datetime) -> datetime:
    offset = dt.utcoffset()
    if offset is None:
        return dt
    return (dt - offset).replace(tzinfo=None)


@dataclass(frozen=True)
class TimeAxis:
    """How a plant's times map to integer time units from time 0.

    Parameters
    ----------
    origin
        Time 0 for a plant whose times are date-times (naive; UTC when the
        plant's date-times carry offsets). ``None`` for a numeric plant.
    zone
        The offset that date-times are written back in, when the plant's
        date-times carry one.
    """

    origin: datetime | None = None
    zone: tzinfo | None = None

    @property
    def is_datetime(self) -> bool:
        """True when the plant's times are date-times (minutes from ``origin``)."""
        return self.origin is not None

    def units(self, cell: Fraction | datetime) -> Fraction:
        """Time units from time 0 of a parsed time cell (exact, may be fractional)."""
        if isinstance(cell, datetime):
            if self.origin is None:
                raise ValueError("a date-time in a plant whose times are numbers")
            delta = _as_utc_naive(cell) - self.origin
            if not delta.microseconds and not delta.seconds % 60:  # whole minutes
                return Fraction(delta.days * 1440 + delta.seconds // 60)
            seconds = (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
            return Fraction(seconds, 60 * 10**6)
        if self.origin is not None:
            raise ValueError("a number in a plant whose times are date-times")
        return cell

    def parse(self, text: str) -> Fraction:
        """Parse a time written in this axis's form into time units."""
        return self.units(parse_time_cell(text))

    def format(self, units: int | Fraction) -> str:
        """Write time units from time 0 in the plant's own form."""
        if self.origin is None:
            return format_number(units)
        frac = Fraction(units)
        if frac.denominator == 1:  # whole minutes
            moment = self.origin + timedelta(minutes=frac.numerator)
        else:
            moment = self.origin + timedelta(microseconds=round(frac * 60 * 10**6))
        if self.zone is not None:
            moment = moment.replace(tzinfo=UTC).astimezone(self.zone)
        return moment.isoformat(timespec="minutes" if frac.denominator == 1 else "seconds")

    def describe(self) -> str:
        """One line on the time form, for logs and kpis.json."""
        if self.origin is None:
            return "time units (numbers)"
        return f"minutes from {self.format(0)}"
