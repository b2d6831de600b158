"""Permutation schedules of a flow-shop plant: arrays for the heuristics, and
complete schedules (placed operations) for warm starts.

A plant is a flow shop here when every lot runs the same machines in the
same order, one machine per step, with no releases, calendars or lot
streaming; the changeovers come from the plant's :class:`SetupTable`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from prodsched.budget import repeatable_by_default
from prodsched.heuristics.flowshop import FlowShop, iterated_greedy, neh
from prodsched.lots.fixed import lots_per_order
from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.stop import NO_STOP, Stop

# Share of the time limit the iterated greedy warm start may use.
WARM_START_SHARE = 0.5
# With one worker (a repeatable run) the iterated greedy makes a number of rounds set
# from the plant and the limit, not the clock: rounds × jobs² per second. A round costs
# about jobs² steps whatever the machine count (the machines are vectorised); measured
# 36,000–70,000 per second on 20- and 50-job instances with 5 and 20 machines, with the
# benchmark running beside it, so this is about 3 times below.
IG_JOBS2_PER_SECOND = 15_000


@dataclass(frozen=True)
class PlantFlowShop:
    """A flow-shop plant as arrays, with the names to map results back.

    Parameters
    ----------
    shop
        Times and setups, jobs indexed like ``lots``.
    lots
        The plant's lots (one per order), as the pipeline makes them.
    machines
        The machine of each column, in route order.
    steps
        The routing step number of each column.
    """

    shop: FlowShop
    lots: list[Lot]
    machines: list[str]
    steps: list[int]


def flow_shop_of(plant: Plant, setups: SetupTable | None = None) -> PlantFlowShop | None:
    """The plant as a flow shop, or ``None`` when it is not one (see the module)."""
    if plant.downtimes:
        return None
    lots = lots_per_order(plant)
    if not lots:
        return None
    route: list[str] | None = None
    times: list[list[int]] = []
    for lot in lots:
        steps = plant.routings[lot.product]
        if lot.release > 0 or lot.mode is Mode.MASS or any(len(s.options) != 1 for s in steps):
            return None
        machines = [s.options[0].machine for s in steps]
        if route is None:
            route = machines
        if machines != route or len(set(machines)) != len(machines):
            return None
        times.append([s.options[0].duration(lot.quantity) for s in steps])
    assert route is not None
    table = setups or SetupTable(plant)
    n, m = len(lots), len(route)
    products = [lot.product for lot in lots]
    setup = np.zeros((n, n, m), dtype=np.int64)
    first = np.zeros((n, m), dtype=np.int64)
    for k, machine in enumerate(route):
        if not table.has_setups(machine):
            continue
        for j, after in enumerate(products):
            first[j, k] = table.initial(machine, after).time
            for i, before in enumerate(products):
                if i != j:
                    setup[i, j, k] = table.between(machine, before, after).time
    shop = FlowShop(np.asarray(times, dtype=np.int64), setup, first)
    step_numbers = [s.number for s in plant.routings[lots[0].product]]
    return PlantFlowShop(shop, lots, route, step_numbers)


def placed_permutation(plant: Plant, flow: PlantFlowShop, perm: list[int],
                       setups: SetupTable | None = None) -> list[PlacedOp]:
    """The semi-active schedule of ``perm`` (job indices) as placed operations.

    Every operation starts as early as its previous step, its machine and
    the (anticipatory) changeover before it allow.
    """
    table = setups or SetupTable(plant)
    placed: list[PlacedOp] = []
    free = [0] * len(flow.machines)
    state: list[str | None] = [plant.machines[mc].initial_state for mc in flow.machines]
    for job in perm:
        lot = flow.lots[job]
        ready = 0
        for k, machine in enumerate(flow.machines):
            change = table.between(machine, state[k], lot.product)
            start = max(ready, free[k] + change.time)
            end = start + int(flow.shop.p[job, k])
            placed.append(PlacedOp(lot, flow.steps[k], machine, start, end, change))
            free[k], state[k], ready = end, lot.product, end
    return placed


def permutation_warm_starts(plant: Plant, time_limit: float, *, seed: int = 0,
                            workers: int = 1, stop: Stop = NO_STOP
                            ) -> list[tuple[str, list[PlacedOp]]]:
    """NEH and iterated-greedy schedules of a flow-shop plant (none for other plants).

    Parameters
    ----------
    time_limit
        The whole solve's time limit; the iterated greedy runs for
        ``WARM_START_SHARE`` of it.
    seed
        Seed of the iterated greedy.
    workers
        The solve's worker count. One iterated greedy runs; with one worker (a
        repeatable run) it makes ``IG_JOBS2_PER_SECOND × WARM_START_SHARE ×
        time_limit / jobs²`` rounds (none when that is 0), the clock only a safety.
    stop
        Its deadline ends the iterated greedy (if earlier than its share); when
        it requests a stop once NEH is done, the iterated greedy is skipped (its
        flag is not polled during the iterated greedy).
    """
    started = time.monotonic()
    setups = SetupTable(plant)
    flow = flow_shop_of(plant, setups)
    if flow is None:
        return []
    first = neh(flow.shop)
    out = [("neh", placed_permutation(plant, flow, first, setups))]
    # the iterated greedy's end: its share or the caller's deadline (flag not polled)
    greedy = Stop(min(stop.deadline, started + WARM_START_SHARE * time_limit))
    repeatable = repeatable_by_default(workers)
    if len(first) > 1 and (repeatable or greedy.left() > 0) and not stop():
        rounds = (int(IG_JOBS2_PER_SECOND * WARM_START_SHARE * time_limit / len(first) ** 2)
                  if repeatable else None)
        if rounds != 0:
            best, _ = iterated_greedy(flow.shop, first, seed=seed, stop=greedy,
                                      max_iterations=rounds)
            out.append(("iterated-greedy", placed_permutation(plant, flow, best, setups)))
    return out
