"""Choosing the next window by what each kind gained per second."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction as F

from prodsched.lns.choice import (
    KIND_SHARE_RANGE,
    KINDS,
    MIN_RECORDS,
    RESIZE_SHARE,
    RESIZE_SHARE_RANGE,
    Kinds,
    Mix,
    gain,
)


def test_a_gain_is_the_share_of_the_first_stage_that_changed():
    assert gain((F(10), F(5)), (F(10), F(4))) == 0.2     # the first stage stays
    assert gain((F(10), F(5)), (F(8), F(9))) == 0.2      # the first stage decides
    assert gain((F(0), F(5)), (F(0), F(5))) == 0.0       # nothing changed
    assert gain((F(10),), (F(12),)) == 0.0               # worse is no gain


def test_the_mix_of_windows_follows_what_each_kind_gains_per_second():
    def share(mix: Mix) -> float:
        draws = [mix.resize_next() for _ in range(4000)]
        return sum(draws) / len(draws)

    mix = Mix(random.Random(0))
    assert abs(share(mix) - RESIZE_SHARE) < 0.03          # nothing known yet
    # lot windows lower a later stage (the first stays 0) half as fast per second as
    # the others: a third of the windows, once each kind has enough windows
    for k in range(MIN_RECORDS):
        mix.record(True, (F(0), F(100)), (F(0), F(95)), 0.5)
        if k:
            assert abs(share(mix) - RESIZE_SHARE) < 0.03  # the others: none yet
        mix.record(False, (F(0), F(100)), (F(0), F(90)), 0.5)
    assert abs(mix.rate(True) - 0.1) < 1e-9 and abs(mix.rate(False) - 0.2) < 1e-9
    assert abs(share(mix) - 1 / 3) < 0.03
    # far faster: the share is capped
    for _ in range(10):
        mix.record(True, (F(0), F(100)), (F(0), F(20)), 0.5)
    assert abs(share(mix) - RESIZE_SHARE_RANGE[1]) < 0.03
    # lot windows stop paying: their share falls to the floor, never below it
    for _ in range(80):
        mix.record(True, (F(0), F(90)), (F(0), F(90)), 0.5)
        mix.record(False, (F(0), F(90)), (F(0), F(85)), 0.5)
    assert abs(share(mix) - RESIZE_SHARE_RANGE[0]) < 0.02


def _kind_shares(kinds: Kinds) -> dict[str, float]:
    draws = Counter(kinds.next() for _ in range(6000))
    return {k: draws[k] / 6000 for k in kinds.kinds}


def test_window_kinds_share_equally_until_each_has_a_record_then_follow_their_gains():
    kinds = Kinds(random.Random(0))
    assert kinds.kinds == KINDS
    assert all(abs(s - 1 / 3) < 0.03 for s in _kind_shares(kinds).values())
    # a kind that never offers a window (no late lot): its draws slide, and are
    # recorded as sliding, so the shares stay equal
    for _ in range(3 * MIN_RECORDS):
        kinds.record("sliding", (F(100),), (F(99),), 0.5)
        kinds.record("route", (F(100),), (F(90),), 0.5)
    assert all(abs(s - 1 / 3) < 0.03 for s in _kind_shares(kinds).values())
    # every kind known: route gains 10 % per window, late 2 %, sliding 1 %
    for _ in range(MIN_RECORDS):
        kinds.record("late", (F(100),), (F(98),), 0.5)
    shares = _kind_shares(kinds)
    low, high = KIND_SHARE_RANGE
    weights = {"sliding": max(low, 1 / 13), "late": 2 / 13, "route": 10 / 13}
    weights["route"] = min(high, weights["route"])
    total = sum(weights.values())
    for kind, weight in weights.items():
        assert abs(shares[kind] - weight / total) < 0.03, (kind, shares)
    assert shares["route"] > shares["late"] > shares["sliding"] > 0.08
    # a kind that stops paying falls to its floor, never below
    for _ in range(80):
        kinds.record("route", (F(100),), (F(100),), 0.5)
    shares = _kind_shares(kinds)
    assert shares["route"] < shares["sliding"] < shares["late"] and shares["route"] > 0.05
    # a record of a kind it does not weigh (a lot window's) is left out
    kinds.record("lots", (F(100),), (F(1),), 0.5)
    assert set(kinds.records) == set(KINDS)
