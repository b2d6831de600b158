"""Writing spec v2 plants: the new columns and files round-trip through CSV files,
DataFrames and workbooks, and are written only when a plant uses them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prodsched.io.frames import plant_from_frames, plant_to_frames
from prodsched.io.plant_tables import plant_csv_files, plant_tables
from prodsched.io.plant_workbook import write_plant_workbook
from prodsched.plant import load_plant
from prodsched.plant.model import Plant

INSTANCES = Path(__file__).resolve().parents[2] / "instances"

NUMERIC = {
    "orders.csv": "order_id,product,quantity,due,release\no1,A,10,100,0\no2,B,4,200,5\n",
    "products.csv": "product,mode,unit_value\nA,batch,2.5\nB,mass,\n",
    "routings.csv": "product,step,machine,time_per_unit,can_pause,resources,max_wait\n"
                    "A,1,M1|M2,1,yes,op;crew:2,\nA,2,M3,0.5,no,,7.5\nB,1,M1,1,,op,\n"
                    "B,2,M3,1,,,0\n",
    "machines.csv": "machine,initial_state,cost_per_hour\nM1,A,90\nM2,,\nM3,,12.5\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,5,1,crew\nM3,*,*,2,0,\n",
    "calendar.csv": "machine,start,end\nM1,40,50\n",
    "resources.csv": "resource,capacity\nop,2\ncrew,3\n",
    "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                 "M1,setup,A#1,A,,,,,0,2\nM1,run,A#1,A,batch,1,10,o1:10,2,12\n"
                 "M3,run,A#1,A,batch,2,10,o1:10,12,17\n",
    "plant.csv": "now\n15\n",
}
DATED = {
    "orders.csv": "order_id,product,quantity,due\no1,A,2,2026-03-02T12:00+01:00\n"
                  "o2,A,3,2026-03-03T12:00+01:00\n",
    "routings.csv": "product,step,machine,time_per_unit,can_pause\nA,1,M1,1,true\n",
    "calendar.csv": "machine,start,end\nM1,2026-03-02T10:00+01:00,2026-03-02T11:00+01:00\n",
    "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                 "M1,run,o1,A,batch,1,2,o1:2,2026-03-02T08:00+01:00,2026-03-02T08:02+01:00\n",
    "plant.csv": "now\n2026-03-02T09:30+01:00\n",
}


def content(plant: Plant) -> tuple[object, ...]:
    """Everything that makes a plant the plant it is (not its name or source)."""
    return (plant.orders, plant.products, plant.routings, plant.machines, plant.setup_rules,
            plant.downtimes, plant.time_axis, plant.resources, plant.fixed, plant.now)


@pytest.mark.parametrize("files", [NUMERIC, DATED], ids=["numbers", "date-times"])
def test_csv_files_frames_and_workbooks_give_the_same_plant(make_plant, tmp_path, files):
    plant = load_plant(make_plant(files))
    assert plant.fixed and plant.now is not None
    written = plant_csv_files(plant)
    assert set(files) <= set(written)
    again = load_plant(make_plant(written))
    assert content(again) == content(plant)
    assert plant_csv_files(again) == written
    assert content(plant_from_frames(plant_to_frames(plant))) == content(plant)
    book = load_plant(write_plant_workbook(plant, tmp_path / "from_plant.xlsx"))
    assert content(book) == content(plant)
    book = load_plant(write_plant_workbook(files, tmp_path / "from_files.xlsx"))
    assert content(book) == content(plant)


def test_written_v2_files_read_as_a_planner_wrote_them(make_plant):
    files = plant_csv_files(load_plant(make_plant(NUMERIC)))
    assert files["routings.csv"] == (
        "product,step,machine,time_per_unit,fixed_time,can_pause,resources,max_wait\n"
        "A,1,M1,1,0,yes,op;crew:2,\nA,1,M2,1,0,yes,op;crew:2,\nA,2,M3,0.5,0,no,,7\n"
        "B,1,M1,1,0,no,op,\nB,2,M3,1,0,no,,0\n")
    assert files["setups.csv"] == ("machine,from,to,time,cost,resources\n*,*,*,5,1,crew\n"
                                   "M3,*,*,2,0,\n")
    assert files["machines.csv"] == ("machine,initial_state,cost_per_hour\nM1,A,90\nM2,,\n"
                                     "M3,,12.5\n")
    assert files["products.csv"].splitlines()[:2] == [
        "product,family,mode,min_lot,max_lot,lot_multiple,holding_cost,unit_value",
        "A,A,batch,1,,1,0,2.5"]
    assert files["resources.csv"] == "resource,capacity\nop,2\ncrew,3\n"
    assert files["fixed.csv"] == NUMERIC["fixed.csv"]
    assert files["plant.csv"] == "now\n15\n"


def test_date_time_fixed_rows_and_now_keep_the_plant_zone(make_plant):
    files = plant_csv_files(load_plant(make_plant(DATED)))
    assert files["fixed.csv"].splitlines()[1] == (
        "M1,run,o1,A,batch,1,2,o1:2,2026-03-02T08:00+01:00,2026-03-02T08:02+01:00")
    assert files["plant.csv"] == "now\n2026-03-02T09:30+01:00\n"
    frames = plant_to_frames(load_plant(make_plant(DATED)))
    assert pd.api.types.is_datetime64_any_dtype(frames["fixed"]["start"])
    assert pd.api.types.is_datetime64_any_dtype(frames["plant"]["now"])


def test_only_the_v2_columns_a_plant_uses_are_written(make_plant):
    plant = load_plant(make_plant({
        "orders.csv": "order_id,product,quantity\no,A,1\n",
        "routings.csv": "product,step,machine,time_per_unit,can_pause,resources,max_wait\n"
                        "A,1,M1,1,no,,\nA,2,M1,1,,,3\n",
        "machines.csv": "machine,cost_per_hour\nM1,0\n",
        "products.csv": "product,unit_value\nA,\n",
    }))
    tables = plant_tables(plant)
    assert tables["routings.csv"].columns == ("product", "step", "machine", "time_per_unit",
                                              "fixed_time", "max_wait")
    assert tables["machines.csv"].columns == ("machine", "initial_state")
    assert "unit_value" not in tables["products.csv"].columns
    assert not {"resources.csv", "fixed.csv", "plant.csv", "setups.csv"} & set(tables)


@pytest.mark.parametrize("name", ["bottling", "furniture", "tiny"])
def test_v1_plants_get_v1_frames(name):
    frames = plant_to_frames(load_plant(INSTANCES / name))
    assert set(frames) <= {"orders", "products", "routings", "machines", "setups", "calendar"}
    assert list(frames["routings"].columns) == ["product", "step", "machine", "time_per_unit",
                                                "fixed_time"]
    assert list(frames["machines"].columns) == ["machine", "initial_state"]
    assert "unit_value" not in frames["products"].columns
    assert pd.api.types.is_integer_dtype(frames["orders"]["quantity"])


def test_cost_columns_survive_while_other_v2_columns_stay_out():
    """The bakery states machine rates and unit values (spec v2) but no other v2 column."""
    frames = plant_to_frames(load_plant(INSTANCES / "bakery"))
    assert set(frames) <= {"orders", "products", "routings", "machines", "setups", "calendar"}
    assert list(frames["machines"].columns) == ["machine", "initial_state", "cost_per_hour"]
    assert "unit_value" in frames["products"].columns
    assert frames["machines"]["cost_per_hour"].gt(0).any()
