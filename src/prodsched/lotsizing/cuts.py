"""Valid inequalities that tighten the lot-sizing model's LP relaxation.

Both are about set-up states on machines whose changeovers depend on the
sequence. The LP relaxation may keep a machine set up for several products
at once in fractions and make each of them in every bucket with no
changeover paid; these inequalities make it pay for reaching a product
before making it.

- **Entry cuts**: a product the modelled buckets must make, made on one
  machine only, is entered there at least once.
- **Deadline cuts**: an item's deadlines in buckets ``k..u`` are met from
  units made before ``k`` unless one of its machines starts ``k`` set up
  for its product or enters the product in ``k..u``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from ortools.sat.python import cp_model

from prodsched.lotsizing.grid import BucketGrid
from prodsched.lotsizing.items import Item

Count = cp_model.IntVar | int  # a count that is a variable or known


class BucketModelView(Protocol):
    """What the cuts read from :class:`prodsched.lotsizing.model.BucketModel` (the
    model imports this module, so the cuts name only what they use)."""

    model: cp_model.CpModel
    items: list[Item]
    grid: BucketGrid
    buckets: range
    states: dict[tuple[str, int], dict[str, Count]]
    entries: dict[tuple[str, str], dict[int, list[cp_model.IntVar]]]
    independent: set[str]

    def start_state(self, machine: str) -> str: ...

    def made_before(self, item: int, bucket: int) -> Count: ...

    def units_to_make(self) -> list[int]: ...


def _machines_of(bm: BucketModelView) -> dict[str, set[str]]:
    """Per product, the machines its items may run on."""
    machines: dict[str, set[str]] = defaultdict(set)
    for item in bm.items:
        machines[item.product.name] |= {o.machine for o in item.options}
    return machines


def add_entry_cuts(bm: BucketModelView) -> None:
    """A product the modelled buckets must make, made only on one machine, is
    entered there at least once: a bucket's first lot of it after another
    state, or a lot of it after one of another product in a bucket.

    Valid because its lots run only there (unless the machine enters the
    buckets set up for it). A window model makes what the plan around it
    leaves to its buckets, so the same holds there.
    """
    machines_of = _machines_of(bm)
    to_make = {bm.items[i].product.name for i, units in enumerate(bm.units_to_make())
               if units > 0}
    for (machine, product), per_bucket in bm.entries.items():
        if machines_of[product] != {machine} or product not in to_make:
            continue
        if bm.start_state(machine) == product:
            continue
        bm.model.add(sum(lit for lits in per_bucket.values() for lit in lits) >= 1)


def add_deadline_cuts(bm: BucketModelView) -> None:
    """For each item under hard deadlines, each modelled bucket ``k`` and each
    later bucket ``u`` where a deadline falls::

        made_before(k) + D(k, u) * (set_up(k) + entries(k..u)) >= deadline(u)

    where ``D(k, u)`` is the units whose deadlines fall in ``k..u``,
    ``set_up(k)`` counts the item's machines set up for its product when
    ``k`` starts and ``entries(k..u)`` the times one of them enters it in
    buckets ``k..u``.

    Valid: with neither, no unit of the product is made in ``k..u``, so the
    units made before ``k`` meet the deadline at ``u``; with either, the
    left side is at least ``deadline(k - 1) + D(k, u) = deadline(u)``.
    Products on a machine whose changeovers ignore the sequence are left out
    (their set-up states are not modelled).
    """
    machines_of = _machines_of(bm)
    entered = _entries_so_far(bm, machines_of)
    for i, item in enumerate(bm.items):
        machines = sorted(machines_of[item.product.name])
        if bm.independent & set(machines):
            continue
        deadline = item.cumulative(bm.grid, "deadline")
        steps = [u for u in bm.buckets
                 if deadline[u] > (deadline[u - 1] if u else 0)]
        if not steps:
            continue
        for k in bm.buckets:
            set_up = sum(_set_up_before(bm, m, item.product.name, k) for m in machines)
            met = deadline[k - 1] if k else 0
            for u in (u for u in steps if u >= k):
                reach = [set_up] + [entered[(m, item.product.name)][u] - (
                    entered[(m, item.product.name)][k - 1] if k > bm.buckets.start else 0)
                    for m in machines]
                bm.model.add(bm.made_before(i, k)
                             + (deadline[u] - met) * cp_model.LinearExpr.sum(reach)
                             >= deadline[u])


def _set_up_before(bm: BucketModelView, machine: str, product: str, bucket: int) -> Count:
    """Whether the machine is set up for the product when the bucket starts."""
    if bucket == bm.buckets.start:
        return int(bm.start_state(machine) == product)
    return bm.states[(machine, bucket - 1)].get(product, 0)


def _entries_so_far(bm: BucketModelView, machines_of: dict[str, set[str]]
                    ) -> dict[tuple[str, str], dict[int, Count]]:
    """Per machine and product, the times it is entered from the first modelled
    bucket to the end of each bucket: one variable per bucket, so a cut reads a
    range in two terms."""
    so_far: dict[tuple[str, str], dict[int, Count]] = {}
    for product, machines in machines_of.items():
        for machine in machines:
            if machine in bm.independent:
                continue
            per_bucket = bm.entries.get((machine, product), {})
            running: Count = 0
            most = 0
            totals: dict[int, Count] = {}
            for b in bm.buckets:
                lits = per_bucket.get(b, [])
                if lits:
                    most += len(lits)
                    total = bm.model.new_int_var(0, most, f"entered_{machine}_{product}_{b}")
                    bm.model.add(total == cp_model.LinearExpr.sum([running, *lits]))
                    running = total
                totals[b] = running
            so_far[(machine, product)] = totals
    return so_far
