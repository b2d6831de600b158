"""DataFrames both ways: plants and schedules, with errors that name frame, row, column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import prodsched
from prodsched.examples import EXAMPLES, write_example
from prodsched.io.frames import (
    plant_from_frames,
    plant_to_frames,
    schedule_frame,
    schedule_from_frame,
)
from prodsched.io.read_schedule import ScheduleFileError
from prodsched.plant.model import Plant
from prodsched.schedule import Schedule
from tests.conftest import assert_valid


def content(plant: Plant) -> tuple[object, ...]:
    """Everything that makes a plant the plant it is (not its name or source)."""
    return (plant.orders, plant.products, plant.routings, plant.machines, plant.setup_rules,
            plant.downtimes, plant.time_axis)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_plant_to_frames_and_back_is_the_same_plant(name: str, tmp_path: Path) -> None:
    plant = prodsched.load_plant(write_example(name, tmp_path / name))
    frames = plant_to_frames(plant)
    assert {"orders", "products", "routings", "machines"} <= set(frames)
    assert list(frames["orders"]["order_id"]) == [o.order_id for o in plant.orders]
    back = plant_from_frames(frames, name=name)
    assert content(back) == content(plant)
    assert back.warnings == ()


def test_frames_hold_typed_columns(bakery_solved: Schedule) -> None:
    frames = plant_to_frames(bakery_solved.plant)
    orders = frames["orders"]
    assert pd.api.types.is_integer_dtype(orders["quantity"])
    assert pd.api.types.is_datetime64_any_dtype(orders["due"])
    assert pd.api.types.is_datetime64_any_dtype(orders["deadline"])  # empty, still times
    assert pd.api.types.is_float_dtype(frames["products"]["holding_cost"])


def test_a_hand_made_frame_plant_solves(tmp_path: Path) -> None:
    frames = {
        "orders": pd.DataFrame({"order_id": ["a", "b"], "product": ["P", "P"],
                                "quantity": [3, 4], "due": [10.0, None]}),
        "routings": pd.DataFrame({"product": ["P", "P"], "step": [1, 2],
                                  "machine": ["M1", "M1|M2"], "time_per_unit": [1, 0.5]}),
    }
    plant = plant_from_frames(frames, name="handmade")
    assert plant.order_by_id["a"].due == 10 and plant.order_by_id["b"].due is None
    schedule = prodsched.solve(plant, time_limit=5, workers=1)
    assert_valid(schedule)


def test_frame_errors_name_the_frame_row_and_column() -> None:
    frames = {
        "orders": pd.DataFrame({"order_id": ["a", "b", "a"], "product": ["P", "Q", "P"],
                                "quantity": [3, -1, 2]}),
        "routings": pd.DataFrame({"product": ["P"], "step": [1], "machine": ["M1"],
                                  "time_per_unit": ["fast"]}),
        "shifts": pd.DataFrame({"x": [1]}),
    }
    with pytest.raises(prodsched.PlantError) as caught:
        plant_from_frames(frames)
    places = {(p.file, p.line, p.column, p.column_name) for p in caught.value.problems}
    assert ("frames[orders]", 3, 3, "quantity") in places        # second data row
    assert ("frames[orders]", 3, 2, "product") in places         # Q has no routing
    assert ("frames[orders]", 4, 1, "order_id") in places        # duplicate id
    assert ("frames[routings]", 2, 4, "time_per_unit") in places
    assert "frames[orders]:3:3: quantity:" in str(caught.value)
    with pytest.raises(prodsched.PlantError, match=r"frames\[routings\]: the frame is missing"):
        plant_from_frames({"orders": frames["orders"]})


def test_unknown_frames_are_warnings(tiny_solved: Schedule) -> None:
    frames = plant_to_frames(tiny_solved.plant) | {"notes": pd.DataFrame({"x": [1]})}
    plant = plant_from_frames(frames)
    assert any("unknown frame 'notes'" in w for w in plant.warnings)


@pytest.mark.parametrize("name", ["tiny_solved", "bakery_solved"])
def test_schedule_dataframes_come_back_as_the_same_schedule(
        name: str, request: pytest.FixtureRequest) -> None:
    schedule: Schedule = request.getfixturevalue(name)
    for frame in (schedule.to_dataframe(), schedule_frame(schedule)):
        shuffled = frame.sample(frac=1.0, random_state=1)  # any row order
        back = schedule_from_frame(schedule.plant, shuffled)
        assert_valid(back)
        assert back.rows == schedule.rows
        assert back.render()["schedule.csv"] == schedule.render()["schedule.csv"]


def test_typed_schedule_frame(bakery_solved: Schedule) -> None:
    frame = schedule_frame(bakery_solved)
    assert len(frame) == len(bakery_solved.rows)
    assert pd.api.types.is_datetime64_any_dtype(frame["start"])
    assert str(frame["step"].dtype) == "Int64"
    downs = frame[frame["kind"] == "down"]
    assert downs["lot"].isna().all() and downs["step"].isna().all()


def test_a_bad_schedule_frame_names_the_row_as_given(tiny_solved: Schedule) -> None:
    frame = tiny_solved.to_dataframe().iloc[::-1].reset_index(drop=True)  # reversed
    frame["quantity"] = frame["quantity"].astype(object)
    bad = int(frame.index[frame["kind"] == "run"][1])
    frame.loc[bad, "quantity"] = "many"
    with pytest.raises(ScheduleFileError) as caught:
        schedule_from_frame(tiny_solved.plant, frame)
    assert ("frame", bad + 2) in {(p.file, p.line) for p in caught.value.problems}
    assert "quantity 'many'" in str(caught.value)
    with pytest.raises(ScheduleFileError, match="missing column"):
        schedule_from_frame(tiny_solved.plant, frame.drop(columns=["orders"]))
