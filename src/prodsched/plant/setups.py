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

from prodsched.plant.model import Plant, ResourceUse, SetupRule


@dataclass(frozen=True)
class Changeover:
    """Time (whole units the machine is busy), cost and shared resources of one
    changeover (the resources are held for its whole time)."""

    time: int
    cost: Fraction
    resources: tuple[ResourceUse, ...] = ()

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
        self._rules: dict[tuple[str, str, str], SetupRule] = {
            (r.machine, r.from_, r.to): r for r in plant.setup_rules}
        self._machines_with_rules = {
            r.machine for r in plant.setup_rules if r.time > 0 or r.cost > 0}
        self._initial = {m.name: m.initial_state for m in plant.machines.values()}
        self._cache: dict[tuple[str, str | None, str], Changeover] = {}

    def has_setups(self, machine: str) -> bool:
        """True when some rule could give ``machine`` a changeover."""
        return machine in self._machines_with_rules or "*" in self._machines_with_rules

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

    def _names(self, state: str) -> list[str]:
        """The values a rule's from/to may hold to match ``state``, most specific first."""
        family = self._family.get(state)
        if family is None:            # a family (an initial state), not a product
            return [state, "*"]
        return [state, "*"] if family == state else [state, family, "*"]

    def _lookup(self, machine: str, before: str, after: str) -> Changeover:
        if before == after and before in self._family:
            # the same product again: only a row naming this exact pair applies
            froms, tos = [before], [after]
        else:
            froms, tos = self._names(before), self._names(after)
        for m in (machine, "*"):
            for f in froms:
                for t in tos:
                    rule = self._rules.get((m, f, t))
                    if rule is not None:
                        return Changeover(math.ceil(rule.time), rule.cost, rule.resources)
        return NO_CHANGEOVER
