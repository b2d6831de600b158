"""Re-timing for given sequences: never later, always valid, cycles refused."""

from __future__ import annotations

from prodsched.lns.dispatch import queue_dispatch
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.retime import retime
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from tests.conftest import assert_valid


def _state(plant, rule="lazy-30"):
    lots = aggregated_lots(plant)
    return Indexed(plant, lots, queue_dispatch(plant, lots, SetupTable(plant), RULES[rule]))


def test_the_same_sequences_start_no_later_and_stay_valid(generated):
    for name in ("all-modes", "mass-long"):
        plant = generated[name]
        state = _state(plant)
        shifted = retime(plant, SetupTable(plant), state.ops, state.by_machine,
                         state.by_lot.values())
        assert shifted is not None
        assert all(new.start <= old.start for new, old in zip(shifted, state.ops, strict=True))
        assert_valid(Schedule(plant, state.lots, shifted))


def test_a_run_moved_before_its_own_previous_step_is_refused(generated):
    plant = generated["all-modes"]
    state = _state(plant)
    lot = next(chain for chain in state.by_lot.values() if len(chain) >= 2
               and state.ops[chain[0]].machine == state.ops[chain[1]].machine)
    machine = state.ops[lot[0]].machine
    sequence = [k for k in state.by_machine[machine] if k not in lot[:2]]
    machines = {**state.by_machine, machine: [lot[1], lot[0], *sequence]}
    assert retime(plant, SetupTable(plant), state.ops, machines, state.by_lot.values()) is None


def test_a_later_run_pushes_the_next_step_of_its_lot(generated):
    plant = generated["one-off-no-setups"]
    setups = SetupTable(plant)
    state = _state(plant, "atcs")
    # the first run of a two-step lot goes to the end of its machine (where
    # that makes no cycle): its next step has to wait for it
    pushed = 0
    for chain in state.by_lot.values():
        if len(chain) < 2 or state.ops[chain[0]].machine == state.ops[chain[1]].machine:
            continue
        machine = state.ops[chain[0]].machine
        machines = {**state.by_machine, machine: [
            k for k in state.by_machine[machine] if k != chain[0]] + [chain[0]]}
        shifted = retime(plant, setups, state.ops, machines, state.by_lot.values())
        if shifted is None or shifted[chain[0]].end <= state.ops[chain[1]].start:
            continue
        pushed += 1
        assert shifted[chain[1]].start >= shifted[chain[0]].end
        assert_valid(Schedule(plant, state.lots, shifted))
        if pushed == 3:
            break
    assert pushed == 3
