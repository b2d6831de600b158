"""Changeover lookup: the setup-rule specificity order of the plant format.

The setup from ``a`` to product ``b`` on machine ``m`` is the most specific
matching row of setups.csv, comparing first the machine (named beats ``*``),
then ``from`` (product beats family beats ``*``), then ``to`` (likewise). The
same product twice in a row needs no setup unless a row names that exact
product pair. No matching row means no setup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Plant, SetupRule

PRODUCT, FAMILY, ANY = 2, 1, 0


@dataclass(frozen=True)
class Changeover:
    """Time (whole units the machine is busy) and cost of one changeover."""

    time: int
    cost: Fraction

    @property
    def is_free(self) -> bool:
        """True when the changeover takes no time and costs nothing."""
        return self.time == 0 and self.cost == 0


NO_CHANGEOVER = Changeover(0, Fraction(0))


class SetupTable:
    """Looks up changeovers per machine, with a cache.

    Parameters
    ----------
    plant
        The plant whose products, families and setup rules are used.
    """

    def __init__(self, plant: Plant):
        self._family = {name: p.family for name, p in plant.products.items()}
        self._rules: dict[str, list[SetupRule]] = {}
        for rule in plant.setup_rules:
            self._rules.setdefault(rule.machine, []).append(rule)
        self._initial = {m.name: m.initial_state for m in plant.machines.values()}
        self._cache: dict[tuple[str, str | None, str], Changeover] = {}

    def has_setups(self, machine: str) -> bool:
        """True when some rule could give ``machine`` a changeover."""
        rules = self._rules.get(machine, []) + self._rules.get("*", [])
        return any(r.time > 0 or r.cost > 0 for r in rules)

    def between(self, machine: str, before: str | None, after: str) -> Changeover:
        """Changeover on ``machine`` from state ``before`` to product ``after``.

        ``before`` is a product, a family (a machine's initial state) or
        ``None`` (nothing ran before: no changeover).
        """
        if before is None:
            return NO_CHANGEOVER
        key = (machine, before, after)
        found = self._cache.get(key)
        if found is None:
            found = self._lookup(machine, before, after)
            self._cache[key] = found
        return found

    def initial(self, machine: str, first: str) -> Changeover:
        """Changeover before the first lot on ``machine`` (from its initial state)."""
        return self.between(machine, self._initial.get(machine), first)

    def _level(self, value: str, state: str) -> int | None:
        """How specifically a rule's from/to ``value`` names ``state`` (None: no match)."""
        if value == "*":
            return ANY
        if value == state:
            return PRODUCT if state in self._family else FAMILY
        if self._family.get(state) == value:
            return FAMILY
        return None

    def _lookup(self, machine: str, before: str, after: str) -> Changeover:
        same_product = before == after and before in self._family
        best: tuple[int, int, int] | None = None
        chosen: SetupRule | None = None
        for machine_level, key in ((1, machine), (0, "*")):
            for rule in self._rules.get(key, ()):
                lf = self._level(rule.from_, before)
                lt = self._level(rule.to, after)
                if lf is None or lt is None:
                    continue
                if same_product and (lf != PRODUCT or lt != PRODUCT):
                    continue
                rank = (machine_level, lf, lt)
                if best is None or rank > best:
                    best, chosen = rank, rule
        if chosen is None:
            return NO_CHANGEOVER
        return Changeover(math.ceil(chosen.time), chosen.cost)
