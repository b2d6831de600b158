"""Re-timing for given sequences: never later, always valid, cycles refused; the v2
rules (pauses, resources, fixed work and now, max_wait) kept or the move refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from prodsched.lns.lots import aggregated_lots
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.lots.fixed import lots_per_order
from prodsched.lots.pinned import open_orders, pinned_work
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.timeline import delayed, dispatch, left_shift, retime
from tests.conftest import assert_valid
from tests.timeline.conftest import assert_v2, build_plant, opt, order, setup
from tests.timeline.test_dispatch import V2_PLANTS, _fixed_schedule


def _state(plant, rule="lazy-30"):  # type: ignore[no-untyped-def]
    lots = aggregated_lots(plant)
    return Indexed(plant, lots, dispatch(plant, SetupTable(plant), lots, RULES[rule],
                                         exact=False))


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


def _delayed(ops, by: int):  # type: ignore[no-untyped-def]
    """Every operation (and its setup row) ``by`` later: valid times with idle gaps."""
    return [replace(op, start=op.start + by, end=op.end + by,
                    setup_start=None if op.setup_start is None else op.setup_start + by)
            for op in ops]


@pytest.mark.parametrize("name", list(V2_PLANTS))
def test_a_left_shift_keeps_the_v2_rules_and_starts_no_later(name):
    plant = V2_PLANTS[name]
    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    ops = dispatch(plant, setups, lots, "edd")
    shifted = left_shift(plant, ops, setups)
    assert_v2(Schedule(plant, lots, shifted))
    assert all(new.start <= old.start for new, old in zip(shifted, ops, strict=True))
    # on a day without nights a uniform delay is undone
    late = left_shift(plant, _delayed(ops, 1440 * 7), setups)
    assert_v2(Schedule(plant, lots, late))
    assert sum(op.end for op in late) <= sum(op.end for op in ops) + 1440 * 7 * len(ops)


def _bakery(wait: int | None):  # type: ignore[no-untyped-def]
    """Two lots mixed (30 each), then baked (60 each); the bake may wait ``wait``."""
    return build_plant({"D": [[opt("MIX")], [opt("OVEN", 2, max_wait=wait)]]},
                       [order("d1", "D", 30), order("d2", "D", 30)])


def test_max_wait_delays_the_step_before_rather_than_letting_the_next_wait():
    loose, strict = _bakery(None), _bakery(5)
    lots = lots_per_order(loose)
    ops = dispatch(loose, SetupTable(loose), lots, "edd")   # d2 mixed [30, 60), baked at 90
    state = Indexed(loose, lots, ops)
    out = retime(strict, SetupTable(strict), ops, state.by_machine, state.by_lot.values())
    assert out is not None
    assert_v2(Schedule(strict, lots, out))
    d2 = sorted((op for op in out if op.lot.lot_id == "d2"), key=lambda op: op.step)
    assert [(op.start, op.end) for op in d2] == [(55, 85), (90, 150)]


def test_sequences_that_cannot_keep_max_wait_are_refused():
    plant = _bakery(5)
    setups = SetupTable(plant)
    lots = lots_per_order(plant)
    ops = dispatch(plant, setups, lots, "edd")
    state = Indexed(plant, lots, ops)
    # d2 mixed first but baked last: its bake waits at least a whole mixing and bake
    mix = state.by_machine["MIX"][::-1]
    out = retime(plant, setups, ops, {**state.by_machine, "MIX": mix}, state.by_lot.values())
    assert out is None


def test_fixed_work_is_kept_and_a_run_that_cannot_fit_before_it_is_refused():
    schedule = _fixed_schedule("edd")
    plant, ops = schedule.plant, list(schedule.ops)
    setups = SetupTable(plant)
    state = Indexed(plant, list(schedule.lots), ops)
    out = retime(plant, setups, ops, state.by_machine, state.by_lot.values())
    assert out is not None
    assert [(op.start, op.end) for op in out if op.fixed] == [
        (op.start, op.end) for op in ops if op.fixed]
    assert_v2(Schedule(plant, list(schedule.lots), out))
    # b1 (B -> F needs 60, f2's fixed setup is 10) sequenced right before f2: refused
    m1 = state.by_machine["M1"]
    b1 = next(k for k in m1 if ops[k].lot.lot_id == "b1")
    f2 = next(k for k in m1 if ops[k].lot.lot_id == "f2")
    moved = [k for k in m1 if k != b1]
    moved.insert(moved.index(f2), b1)
    assert retime(plant, setups, ops, {**state.by_machine, "M1": moved},
                  state.by_lot.values()) is None


def test_pinned_lots_re_time_after_their_fixed_steps():
    schedule = _fixed_schedule("fifo")
    plant = schedule.plant
    pinned = pinned_work(plant)
    lots = lots_per_order(replace(plant, orders=open_orders(plant, pinned)))
    shifted = left_shift(plant, _delayed([op for op in schedule.ops if not op.fixed], 500)
                         + [op for op in schedule.ops if op.fixed], SetupTable(plant))
    assert_v2(Schedule(plant, [*pinned.lots, *lots], shifted))
    a1 = next(op for op in shifted if op.lot.lot_id == "a1" and op.step == 2)
    assert a1.start == 40      # right after its fixed first step, at the earliest


def _last_step_targets(state: Indexed) -> dict[int, int]:
    """The last step of every lot with a due date: its earliest due date."""
    return {chain[-1]: int(state.ops[chain[-1]].lot.due) for chain in state.by_lot.values()
            if state.ops[chain[-1]].lot.due is not None}


def test_runs_move_to_their_due_dates_as_far_as_the_next_changeover_allows():
    # B (due 40) then A (due 55) on M1, a changeover of 30 between them: A moves to
    # end at 55, its changeover to [15, 45), so B may end at 15 only, not at 40
    plant = build_plant({"A": [[opt("M1")]], "B": [[opt("M1")]]},
                        [order("a", "A", 10, due=55), order("b", "B", 10, due=40)],
                        setups=[setup("B", "A", 30), setup("A", "B", 30)])
    setups = SetupTable(plant)
    lots = lots_per_order(plant)
    state = Indexed(plant, lots, dispatch(plant, setups, lots, "edd"))
    assert state.ops[state.by_machine["M1"][0]].lot.product == "B"
    out = delayed(plant, setups, state.ops, state.by_machine, state.by_lot.values(),
                  _last_step_targets(state))
    assert out is not None
    ends = {op.lot.product: (op.start, op.end) for op in out}
    assert ends == {"B": (5, 15), "A": (45, 55)}
    assert_valid(Schedule(plant, lots, out))
    # a lot already past its due date stays where it is
    late = build_plant({"A": [[opt("M1")]]}, [order("a", "A", 10, due=5)])
    lots = lots_per_order(late)
    ops = dispatch(late, SetupTable(late), lots, "edd")
    state = Indexed(late, lots, ops)
    assert delayed(late, SetupTable(late), ops, state.by_machine, state.by_lot.values(),
                   _last_step_targets(state)) == ops


@pytest.mark.parametrize("name", list(V2_PLANTS))
def test_runs_moved_towards_due_dates_keep_the_v2_rules_and_end_no_earlier(name):
    plant = V2_PLANTS[name]
    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    state = Indexed(plant, lots, dispatch(plant, setups, lots, "edd"))
    out = delayed(plant, setups, state.ops, state.by_machine, state.by_lot.values(),
                  _last_step_targets(state))
    assert out is not None
    assert_v2(Schedule(plant, lots, out))
    assert all(new.end >= old.end for new, old in zip(out, state.ops, strict=True))
    assert all(new == old for new, old in zip(out, state.ops, strict=True) if old.fixed)
    assert any(new.end > old.end for new, old in zip(out, state.ops, strict=True))
