"""The setup a plant requires between two products, re-derived from the plant format.

The most specific matching row of setups.csv wins, comparing first the
machine (named beats ``*``), then ``from`` (product beats family beats ``*``),
then ``to`` (likewise). The same product twice in a row needs no setup unless
a row names that exact product pair. Before the first lot on a machine the
state is the machine's ``initial_state`` (a product or a family) if any, else
nothing and no setup. No matching row means no setup.

A state that is both a product's name and a family's name counts as the
product.
"""

from __future__ import annotations

import math
from fractions import Fraction

from prodsched.plant.model import Plant, SetupRule

ANY, FAMILY, PRODUCT = 0, 1, 2


def match_level(plant: Plant, pattern: str, state: str) -> int | None:
    """How specifically a rule's ``from``/``to`` cell names ``state``.

    Returns ``PRODUCT`` (2), ``FAMILY`` (1), ``ANY`` (0 for ``*``) or ``None``
    when the cell does not match the state at all.
    """
    if pattern == "*":
        return ANY
    product = plant.products.get(state)
    if product is None:  # the state is a family (a machine's initial_state)
        return FAMILY if pattern == state else None
    if pattern == state:
        return PRODUCT
    if pattern == product.family:
        return FAMILY
    return None


_INDEX: dict[int, tuple[tuple[SetupRule, ...], dict[tuple[str, str, str], SetupRule]]] = {}


def _candidates(plant: Plant, machine: str, before: str, after: str) -> list[SetupRule]:
    """The rules whose machine, from and to cells could match (a lookup, so that
    plants with tens of thousands of rules validate quickly); the choice among
    them is :func:`setup_rule`'s."""
    rules = plant.setup_rules
    cached = _INDEX.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = (rules, {(r.machine, r.from_, r.to): r for r in rules})
        _INDEX.clear()
        _INDEX[id(rules)] = cached
    index = cached[1]

    def names(state: str) -> set[str]:
        product = plant.products.get(state)
        return {state, "*"} | ({product.family} if product else set())

    return [rule for m in (machine, "*") for f in names(before) for t in names(after)
            if (rule := index.get((m, f, t))) is not None]


def setup_rule(plant: Plant, machine: str, before: str | None, after: str) -> SetupRule | None:
    """The setup rule that applies on ``machine`` from state ``before`` to product ``after``.

    Parameters
    ----------
    plant
        The plant whose setup rules and product families are used.
    machine
        The machine.
    before
        What the machine was set up for: a product, a family (an initial
        state), or ``None`` (nothing: no setup).
    after
        The product that runs next.

    Returns
    -------
    SetupRule or None
        The most specific matching rule, or ``None`` when no setup is needed.
    """
    if before is None:
        return None
    same_product = before == after and before in plant.products
    best: SetupRule | None = None
    best_rank: tuple[int, int, int] | None = None
    for rule in _candidates(plant, machine, before, after):
        if rule.machine == machine:
            machine_level = 1
        elif rule.machine == "*":
            machine_level = 0
        else:
            continue
        from_level = match_level(plant, rule.from_, before)
        to_level = match_level(plant, rule.to, after)
        if from_level is None or to_level is None:
            continue
        if same_product and (from_level, to_level) != (PRODUCT, PRODUCT):
            continue
        rank = (machine_level, from_level, to_level)
        if best_rank is None or rank > best_rank:
            best, best_rank = rule, rank
    return best


def rule_before(plant: Plant, machine: str, previous: str | None,
                after: str) -> SetupRule | None:
    """The setup rule that applies before a run of ``after`` on ``machine``.

    ``previous`` is the product of the previous run on the machine, or
    ``None`` for its first run (then the machine's ``initial_state`` is the
    state before). ``None`` when no setup is needed.
    """
    before = previous
    if before is None and machine in plant.machines:
        before = plant.machines[machine].initial_state
    return setup_rule(plant, machine, before, after)


def required_setup(plant: Plant, machine: str, previous: str | None,
                   after: str) -> tuple[int, Fraction]:
    """Setup time (whole time units) and cost before a run of ``after`` on ``machine``.

    Parameters
    ----------
    plant
        The plant.
    machine
        The machine.
    previous
        The product of the previous run on the machine, or ``None`` for its
        first run (then the machine's ``initial_state`` is the state before).
    after
        The product of the run.

    Returns
    -------
    tuple of (int, Fraction)
        ``ceil`` of the rule's time, and its cost; ``(0, 0)`` without a rule.
    """
    rule = rule_before(plant, machine, previous, after)
    if rule is None:
        return 0, Fraction(0)
    return math.ceil(rule.time), rule.cost
