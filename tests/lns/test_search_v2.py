"""The window search on plants with spec v2's rules: the window's own placement is
kept (the re-timer does not know pauses, waits, resources or ``now``), so every
schedule the search hands on follows every rule, and it still improves."""

from __future__ import annotations

import time

from prodsched import load_plant
from prodsched.cpsat_runner import SolverSettings
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import improve
from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.objective import parse_objective
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid

# A pauses on M1 and holds the operator, whom its second step (waiting at most 4)
# and B's second step need too; every changeover needs the one crew; now is 2.
PLANT = {
    "orders.csv": "order_id,product,quantity,due\na,A,3,10\nb,B,4,12\nc,A,2,14\nd,B,3,16\n",
    "products.csv": "product,mode\nA,one-off\nB,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit,can_pause,resources,max_wait\n"
                    "A,1,M1,1,yes,op,\nA,2,M2,1,,op,4\nB,1,M3,1,yes,,\nB,2,M2,1,,op,\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,1,0,crew\n",
    "resources.csv": "resource,capacity\nop,1\ncrew,1\n",
    "calendar.csv": "machine,start,end\nM1,20,24\nM3,6,9\n",
    "plant.csv": "now\n2\n",
}


def _serial(plant: Plant, lots: list[Lot], setups: SetupTable) -> list[PlacedOp]:
    """One setup or run at a time over the whole plant, each outside unavailable time:
    valid, and far from good."""
    t = plant.earliest
    state = {m: plant.machines[m].initial_state for m in plant.machines}
    ops = []
    for lot in lots:
        for step in plant.routings[lot.product]:
            option = step.options[0]
            machine = option.machine
            change = setups.between(machine, state[machine], lot.product)
            length = change.time + option.duration(lot.quantity)
            begin = t
            for start, end in plant.unavailable(machine):
                if begin < end and start < begin + length:
                    begin = end
            start = begin + int(change.time)
            ops.append(PlacedOp(lot, step.number, machine, start,
                                start + option.duration(lot.quantity), change))
            t, state[machine] = ops[-1].end, lot.product
    return ops


def test_the_search_improves_a_v2_schedule_and_hands_on_only_valid_ones(make_plant):
    plant = load_plant(make_plant(PLANT))
    setups = SetupTable(plant)
    objective = parse_objective("weighted-tardiness>setup-time")
    lots = aggregated_lots(plant)
    start = _serial(plant, lots, setups)
    assert_valid(Schedule(plant, lots, start))
    seen: list[list[PlacedOp]] = []
    best, values, stats = improve(
        plant, setups, objective, lots, start,
        Stop(time.monotonic() + 5, deterministic_seconds=2.0),
        SolverSettings(workers=1, seed=0), on_improve=lambda ops, _: seen.append(ops))
    evaluator = Evaluator(plant, objective)
    assert stats.improved > 0 and seen
    assert values == evaluator.values(best) < evaluator.values(start)
    for ops in seen:
        assert_valid(Schedule(plant, lots, ops))
    assert all(op.start >= 2 and op.setup_begin >= 2 for op in best)
