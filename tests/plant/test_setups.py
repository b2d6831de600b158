"""The setup-rule specificity order of the plant format, as a table of cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from prodsched.plant import Machine, Plant, Product, SetupRule, SetupTable

# Products: a1, a2 in family A; b1 in family B; c alone (its family is itself).
PRODUCTS = {
    "a1": Product("a1", "A"), "a2": Product("a2", "A"),
    "b1": Product("b1", "B"), "c": Product("c", "c"),
}


def table(rules: list[tuple[str, str, str, int]], initial: str | None = None) -> SetupTable:
    plant = Plant(
        orders=(), products=PRODUCTS, routings={},
        machines={"M1": Machine("M1", initial), "M2": Machine("M2")},
        setup_rules=tuple(SetupRule(m, f, t, Fraction(x), Fraction(x * 10))
                          for m, f, t, x in rules))
    return SetupTable(plant)


CASES = [
    # (rules, machine, from, to, expected time, why)
    ([], "M1", "a1", "b1", 0, "no rule, no setup"),
    ([("*", "*", "*", 5)], "M1", "a1", "b1", 5, "wildcard default"),
    ([("*", "*", "*", 5), ("M1", "*", "*", 7)], "M1", "a1", "b1", 7, "named machine beats *"),
    ([("*", "*", "*", 5), ("M1", "*", "*", 7)], "M2", "a1", "b1", 5, "other machine: *"),
    ([("M1", "*", "*", 7), ("*", "a1", "b1", 3)], "M1", "a1", "b1", 7,
     "machine compared first, before from/to"),
    ([("*", "*", "*", 5), ("*", "A", "*", 6)], "M1", "a1", "b1", 6, "family from beats *"),
    ([("*", "A", "*", 6), ("*", "a1", "*", 8)], "M1", "a1", "b1", 8, "product from beats family"),
    ([("*", "a1", "*", 8), ("*", "A", "b1", 9)], "M1", "a1", "b1", 8,
     "from compared before to"),
    ([("*", "A", "*", 6), ("*", "A", "B", 4)], "M1", "a1", "b1", 4, "family to beats *"),
    ([("*", "A", "B", 4), ("*", "A", "b1", 2)], "M1", "a1", "b1", 2, "product to beats family"),
    ([("*", "*", "*", 5)], "M1", "a1", "a1", 0, "same product: no setup from wildcards"),
    ([("*", "A", "A", 5)], "M1", "a1", "a1", 0, "same product: family rule does not apply"),
    ([("*", "A", "A", 5)], "M1", "a1", "a2", 5, "same family, other product: family rule"),
    ([("*", "a1", "a1", 3), ("*", "*", "*", 5)], "M1", "a1", "a1", 3,
     "same product: a row naming the exact pair applies"),
    ([("M1", "a1", "a1", 4), ("*", "a1", "a1", 3)], "M1", "a1", "a1", 4,
     "same product: the most specific exact pair"),
    ([("*", "c", "*", 6), ("*", "*", "*", 5)], "M1", "c", "b1", 6,
     "product whose family is itself matches as product"),
    ([("*", "B", "c", 6)], "M1", "b1", "c", 6, "to names a product that is its own family"),
    ([("*", "B", "A", 6)], "M1", "a1", "b1", 0, "rule in the other direction does not match"),
]


@pytest.mark.parametrize(("rules", "machine", "before", "after", "expected", "why"), CASES,
                         ids=[c[-1] for c in CASES])
def test_specificity(rules, machine, before, after, expected, why):
    change = table(rules).between(machine, before, after)
    assert change.time == expected, why
    assert change.cost == expected * 10


INITIAL_CASES = [
    (None, [("*", "*", "*", 5)], "b1", 0, "no initial state: first lot needs no setup"),
    ("a1", [("*", "*", "*", 5)], "b1", 5, "initial product: rule from it"),
    ("a1", [("*", "*", "*", 5)], "a1", 0, "initial product equals first: no setup"),
    ("A", [("*", "*", "*", 5), ("*", "A", "*", 2)], "a1", 2, "initial family: family rule"),
    ("A", [("*", "a1", "*", 9), ("*", "*", "*", 5)], "b1", 5,
     "initial family does not match a product rule"),
]


@pytest.mark.parametrize(("initial", "rules", "first", "expected", "why"), INITIAL_CASES,
                         ids=[c[-1] for c in INITIAL_CASES])
def test_initial_state(initial, rules, first, expected, why):
    assert table(rules, initial).initial("M1", first).time == expected, why


def test_fractional_setup_time_rounds_up():
    t = SetupTable(Plant((), PRODUCTS, {}, {"M1": Machine("M1")},
                         (SetupRule("*", "*", "*", Fraction(5, 2)),)))
    assert t.between("M1", "a1", "b1").time == 3


def test_has_setups_ignores_zero_rules():
    zero = table([("*", "*", "*", 0)])
    assert not zero.has_setups("M1")
    assert table([("M2", "*", "*", 3)]).has_setups("M2")
    assert not table([("M2", "*", "*", 3)]).has_setups("M1")
