"""Resource profiles: bookings in any time order, and where a holding would overload."""

from __future__ import annotations

import pytest

from prodsched.plant.model import Resource, ResourceUse
from prodsched.timeline.resources import Pool, Profile


def test_bookings_in_any_order_add_up():
    profile = Profile(2)
    profile.add(50, 80, 1)
    profile.add(0, 100, 1)       # earlier and around it
    profile.add(60, 70, 1)       # inside both: 3 held over [60, 70)
    assert [profile.held(t) for t in (0, 49, 50, 60, 69, 70, 80, 100)] == [1, 1, 2, 3, 3, 2, 1, 0]
    profile.add(60, 70, -1)      # released again
    assert profile.held(65) == 2


def test_first_and_last_overload_say_where_a_holding_could_go():
    profile = Profile(1)
    profile.add(10, 20, 1)
    profile.add(30, 40, 1)
    assert profile.first_overload(0, 10, 1) is None            # ends as the other starts
    assert profile.first_overload(5, 15, 1) == 20              # start at 20 or later
    assert profile.first_overload(15, 35, 1) == 20
    assert profile.last_overload(15, 35, 1) == 30              # end by 30 or earlier
    assert profile.last_overload(0, 25, 1) == 10
    assert profile.last_overload(40, 50, 1) is None


def test_a_stretch_of_overloads_is_jumped_at_once():
    profile = Profile(2)
    profile.add(0, 10, 2)
    profile.add(10, 30, 1)
    profile.add(10, 20, 1)       # full over [0, 20), one free from 20
    assert profile.first_overload(0, 5, 1) == 20
    assert profile.first_overload(0, 5, 2) == 30


def test_the_pool_checks_every_resource_and_refuses_impossible_amounts():
    pool = Pool({"crew": Resource("crew", 1), "tool": Resource("tool", 2)})
    pool.book((ResourceUse("crew"), ResourceUse("tool", 2)), 0, 10)
    assert pool.clear_from((ResourceUse("tool"),), 5, 15) == 10
    assert pool.fits((ResourceUse("crew"),), 10, 20)
    with pytest.raises(ValueError, match="only 1 exist"):
        pool.clear_from((ResourceUse("crew", 2),), 0, 5)
