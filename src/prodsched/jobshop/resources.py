"""Shared resources (setup crews, operators, tools): one cumulative per resource.

Plant-wide, at every moment the runs and changeovers holding a resource hold
at most its capacity. A run holds its routing row's resources over its
interval, pauses included; a changeover holds the resources of the setup
rule that applies, which depends on what ran before it on the machine — on
the circuit arc chosen. That is one *demand variable* per operation and
resource, equal to the sum of the arcs' amounts times their literals, on the
changeover's one interval: the model stays linear in the arcs, where an
optional interval per arc (the other way to write it) would put a quadratic
number of intervals into the cumulative. Its price is a weaker propagation
until the arc into an operation is decided.

Fixed work holds its resources as constants; work outside the model (the
rest of the schedule around a window) is passed in as constant usage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import IntOrVar, Variables, all_constant


@dataclass(frozen=True)
class Usage:
    """Constant use of ``amount`` of ``resource`` over ``[start, end)``."""

    resource: str
    start: int
    end: int
    amount: int


def add_setup_demands(model: cp_model.CpModel, v: Variables) -> None:
    """Each changeover's hold on each resource, from the arc chosen into it."""
    for op in v.ops:
        by_resource = v.setup_resources.get(op.index)
        if not by_resource or op.fixed_setup:
            continue
        for resource, terms in by_resource.items():
            demand = model.new_int_var(0, max(a for a, _ in terms),
                                       f"hold_{resource}_{op.index}")
            model.add(demand == sum(a * lit for a, lit in terms))
            op.setup_demand[resource] = demand


def add_resources(model: cp_model.CpModel, shop: Shop, v: Variables,
                  outside: Sequence[Usage] = ()) -> None:
    """A cumulative per shared resource over the model's runs and changeovers and
    the constant ``outside`` usage (left out where the capacity can never be
    exceeded, or where every interval and demand is a constant)."""
    if not shop.plant.uses_resources:
        return
    add_setup_demands(model, v)
    usage: dict[str, list[tuple[cp_model.IntervalVar, IntOrVar]]] = defaultdict(list)
    for op in v.ops:
        for alt in op.alternatives:
            if alt.interval is None:
                continue
            if alt.option.resources:
                run = alt.run_interval
                assert run is not None
                for use in alt.option.resources:
                    usage[use.resource].append((run, use.amount))
            if alt.setup is not None:
                for resource, demand in op.setup_demand.items():
                    usage[resource].append((alt.setup, demand))
    for k, u in enumerate(outside):
        interval = model.new_fixed_size_interval_var(u.start, u.end - u.start,
                                                     f"use_{u.resource}_{k}")
        usage[u.resource].append((interval, u.amount))
    for resource, items in usage.items():
        known = shop.plant.resources.get(resource)
        capacity = known.capacity if known is not None else 1  # resources.csv's default
        if sum(_upper(d) for _, d in items) <= capacity or (
                all_constant([i for i, _ in items])
                and all(isinstance(d, int) for _, d in items)):
            continue
        model.add_cumulative([i for i, _ in items], [d for _, d in items], capacity)


def _upper(demand: IntOrVar) -> int:
    if isinstance(demand, int):
        return demand
    return int(list(demand.proto.domain)[-1])  # (the proto field takes no negative index)
