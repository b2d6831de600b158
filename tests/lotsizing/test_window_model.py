"""A window as a model of its own buckets: what it reads from the plan around it,
and that its plans are plans of the whole model, worth what the window says."""

from __future__ import annotations

import pytest

from prodsched.formats.psp import read_psp
from prodsched.lotsizing import windows
from prodsched.lotsizing.grid import make_grid
from prodsched.lotsizing.items import plan_items
from prodsched.lotsizing.model import BucketModel
from prodsched.lotsizing.solve import busiest_load
from prodsched.lotsizing.window_model import decision_pairs, frame_of, window_model
from prodsched.objective import parse_objective
from prodsched.plant.load import load_plant
from prodsched.plant.setups import SetupTable
from prodsched.stop import Stop
from tests.lotsizing.test_lotsizing import PLANT
from tests.lotsizing.test_windows import OBJECTIVE, one_worker, random_psp

PLANT_OBJECTIVE = "weighted-tardiness>setup-cost,holding-cost,setup-time"


def model_of(plant, objective: str, bucket: int | None = None):  # type: ignore[no-untyped-def]
    parsed = parse_objective(objective)
    setups = SetupTable(plant)
    items = plan_items(plant)
    grid = make_grid(plant, bucket or plant.bucket_length,
                     busiest_load(plant, items, setups))
    bm = BucketModel(plant, items, grid, setups, parsed.criteria)
    stages = [(str(s), *bm.stage_expression(s)) for s in parsed.stages]
    return bm, parsed.stages, stages


def first_plan(bm, stages):  # type: ignore[no-untyped-def]
    values = windows.first_values(bm, stages, one_worker(5.0),
                                  Stop.make(deterministic_seconds=5.0))
    assert values is not None
    return values


@pytest.fixture
def psp(tmp_path):  # type: ignore[no-untyped-def]
    path, _ = random_psp(tmp_path, 5, 30, 4, 22)
    return model_of(read_psp(path), OBJECTIVE)


@pytest.fixture
def plant(make_plant):  # type: ignore[no-untyped-def]
    return model_of(load_plant(make_plant(PLANT)), PLANT_OBJECTIVE, bucket=120)


def product_of(bm, k: int) -> str:  # type: ignore[no-untyped-def]
    return bm.items[bm.lots[k].item].product.name


def test_the_frame_reads_the_plan_before_and_after_the_window(psp):
    bm, _, stages = psp
    values = first_plan(bm, stages)
    window = range(10, 18)
    frame = frame_of(bm, values, window)
    for i in range(len(bm.items)):
        made = [values[lot.quantity.index] for lot in bm.lots if lot.item == i]
        buckets = [lot.bucket for lot in bm.lots if lot.item == i]
        assert frame.made_before[i] == sum(q for q, b in zip(made, buckets, strict=True) if b < 10)
        assert frame.made_by_end is not None
        assert frame.made_by_end[i] == sum(q for q, b in zip(made, buckets, strict=True) if b < 18)
    made = sorted((lot.bucket, k) for k, lot in enumerate(bm.lots) if values[lot.made.index])
    before = [k for b, k in made if b < 10]
    after = [k for b, k in made if b >= 18]
    (machine,) = frame.start
    assert frame.start[machine] == (product_of(bm, before[-1]) if before else "")
    assert frame.next_lot[machine][0] == product_of(bm, after[0])


def test_a_window_over_every_bucket_is_the_whole_model(psp):
    bm, _, stages = psp
    sub = window_model(bm, first_plan(bm, stages), range(bm.grid.count))
    assert sub.whole and sub.frame is not None and sub.frame.made_by_end is None
    assert sub.deadline_cuts and not bm.deadline_cuts  # a window is solved to a proof
    bm.add_deadline_cuts()
    assert len(sub.model.proto.variables) == len(bm.model.proto.variables)
    assert len(sub.model.proto.constraints) == len(bm.model.proto.constraints)


@pytest.mark.parametrize("model", ["psp", "plant"])
@pytest.mark.parametrize("where", [(0, 0.4), (0.3, 0.7), (0.6, 1.0)])
def test_a_window_plan_is_a_plan_of_the_whole_model_worth_what_the_window_says(
        request, model, where):
    """Written back into the whole model, the window's decisions complete to a plan
    whose value moved by exactly the window's change, stage by stage."""
    bm, parsed, stages = request.getfixturevalue(model)
    values = first_plan(bm, stages)
    before = windows.stage_values(bm, parsed, values)
    count = bm.grid.count
    window = range(int(where[0] * count), max(int(where[0] * count) + 2, int(where[1] * count)))
    step = windows._window_step(bm, values, window, parsed, one_worker(5.0),
                                Stop.make(deterministic_seconds=5.0))
    assert step.values is not None and step.change <= tuple(0 for _ in parsed)
    completed, value = windows._complete(bm, step.values, windows.decisions_by_bucket(bm),
                                         stages, parsed, one_worker(5.0), ([], ()))
    assert completed, "the whole model did not accept the window's plan"
    assert value == tuple(b + c for b, c in zip(before, step.change, strict=True))
    sub = window_model(bm, values, window)
    for _, whole in decision_pairs(bm, sub):
        assert completed[whole] == step.values[whole]


def test_decisions_outside_the_window_are_kept(plant):
    bm, parsed, stages = plant
    values = first_plan(bm, stages)
    window = range(2, 5)
    step = windows._window_step(bm, values, window, parsed, one_worker(5.0),
                                Stop.make(deterministic_seconds=5.0))
    assert step.values is not None
    for b, indices in windows.decisions_by_bucket(bm).items():
        if b not in window:
            assert [step.values[i] for i in indices] == [values[i] for i in indices]


@pytest.mark.parametrize("model", ["psp", "plant"])
@pytest.mark.parametrize("layout", ["spread", "adjacent", "overlapping"])
def test_windows_solved_side_by_side_add_up_to_a_plan_worth_their_changes(
        request, model, layout):
    """Windows re-planned from one plan are merged only while each kept window's
    frame holds in the merged plan, so the merged plan is worth exactly the sum of
    their changes; adjacent or overlapping windows touch each other's frame."""
    bm, parsed, stages = request.getfixturevalue(model)
    values = first_plan(bm, stages)
    before = windows.stage_values(bm, parsed, values)
    count = bm.grid.count
    width = max(2, count // 5)
    step = {"spread": None, "adjacent": width, "overlapping": width // 2}[layout]
    if step is None:
        lanes = windows.lane_windows(range(0, width), count, 3)
        assert len(lanes) >= 2
    else:
        lanes = [range(k, k + width) for k in range(0, count - width + 1, step)]
    steps = windows._window_steps(bm, values, lanes, parsed, one_worker(5.0),
                                  Stop.make(deterministic_seconds=5.0))
    merged = windows._merge(bm, values, steps)
    assert merged is not None, "no window improved the first plan"
    plan, change, kept = merged
    assert 1 <= kept <= len(lanes)
    completed, value = windows._complete(bm, plan, windows.decisions_by_bucket(bm),
                                         stages, parsed, one_worker(5.0), ([], ()))
    assert completed, "the whole model did not accept the merged plan"
    assert value == tuple(b + c for b, c in zip(before, change, strict=True))


@pytest.mark.parametrize(("start", "width", "count", "lanes"),
                         [(0, 5, 40, 2), (30, 8, 40, 3), (0, 15, 40, 2), (3, 20, 40, 2),
                          (0, 4, 10, 4)])
def test_side_by_side_windows_neither_overlap_nor_touch(start, width, count, lanes):
    found = windows.lane_windows(range(start, start + width), count, lanes)
    assert found[0] == range(start, start + width)
    assert 1 <= len(found) <= lanes
    assert all(len(w) == width and w.start >= 0 and w.stop <= count for w in found)
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            assert a.stop < b.start or b.stop < a.start
    if 2 * width + 1 <= count // lanes:  # room for every lane
        assert len(found) == lanes


def test_of_two_windows_that_move_each_others_frame_one_is_kept(tmp_path):
    """Two improving windows side by side, where the second's plan changes what the
    first ends into (found by trying seeds): only one is kept, and the merged plan
    is worth exactly that one's change (both kept would not add up)."""
    path, _ = random_psp(tmp_path, 6, 30, 4, 22)
    bm, parsed, stages = model_of(read_psp(path), OBJECTIVE)
    values = first_plan(bm, stages)
    before = windows.stage_values(bm, parsed, values)
    lanes = [range(k, k + 3) for k in range(0, bm.grid.count - 2, 3)]
    steps = windows._window_steps(bm, values, lanes, parsed, one_worker(5.0),
                                  Stop.make(deterministic_seconds=5.0))
    zero = tuple(0 for _ in parsed)
    improving = [s for s in steps if s.values is not None and s.change < zero]
    merged = windows._merge(bm, values, steps)
    assert merged is not None
    plan, change, kept = merged
    assert len(improving) == 2 and kept == 1
    _, value = windows._complete(bm, plan, windows.decisions_by_bucket(bm), stages, parsed,
                                 one_worker(5.0), ([], ()))
    assert value == tuple(b + c for b, c in zip(before, change, strict=True))
