"""Loading the spec v2 columns and files: can_pause, resources, max_wait,
resources.csv, plant.csv; every problem at its file, line and column; v1
plants unchanged."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from prodsched.cli import main
from prodsched.errors import PlantError
from prodsched.io.plant_tables import plant_csv_files
from prodsched.plant import load_plant
from prodsched.plant.model import Resource, ResourceUse

ORDERS = "order_id,product,quantity,due\no1,A,10,100\no2,B,5,200\n"
ROUTINGS = """\
product,step,machine,time_per_unit,fixed_time,can_pause,resources,max_wait
A,1,M1|M2,1,0,YES,op ; crew:2,10.7
A,2,M3,1,0,no,,
B,1,M1,2,0,,,
"""
SETUPS = "machine,from,to,time,cost,resources\n*,*,*,5,1,crew\nM1,A,B,3,0,\n"
RESOURCES = "resource,capacity\nop,2\ncrew,\n"
GOLDEN = Path(__file__).parent / "v1_golden"
INSTANCES = Path(__file__).resolve().parents[2] / "instances"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlantError) as info:
        load_plant(path)
    return [str(p) for p in info.value.problems]


def plant_files(**extra: str) -> dict[str, str]:
    files = {"orders.csv": ORDERS, "routings.csv": ROUTINGS, "setups.csv": SETUPS,
             "resources.csv": RESOURCES}
    files.update({f"{name}.csv": text for name, text in extra.items()})
    return files


def test_v2_columns_are_read(make_plant):
    plant = load_plant(make_plant(plant_files()))
    a1 = plant.routings["A"][0]
    # a row with several machines gives every option the same values
    for option in a1.options:
        assert option.can_pause is True
        assert option.resources == (ResourceUse("op", 1), ResourceUse("crew", 2))
        assert option.max_wait == 10           # 10.7 time units, rounded down
    a2 = plant.routings["A"][1].options[0]
    assert (a2.can_pause, a2.resources, a2.max_wait) == (False, (), None)
    b1 = plant.routings["B"][0].options[0]
    assert (b1.can_pause, b1.resources, b1.max_wait) == (False, (), None)
    assert plant.setup_rules[0].resources == (ResourceUse("crew", 1),)
    assert plant.setup_rules[1].resources == ()
    assert plant.resources == {"op": Resource("op", 2), "crew": Resource("crew", 1)}
    assert list(plant.resources) == ["op", "crew"]
    assert plant.uses_v2_rules and plant.uses_resources
    assert plant.fixed == () and plant.now is None


@pytest.mark.parametrize(("text", "value"), [
    ("yes", True), ("Yes", True), ("TRUE", True), ("true", True), ("1", True), (" yes ", True),
    ("no", False), ("NO", False), ("false", False), ("False", False), ("0", False),
    ("", False),
])
def test_can_pause_spellings(make_plant, text, value):
    routings = f"product,step,machine,time_per_unit,can_pause\nA,1,M1,1,{text}\n"
    plant = load_plant(make_plant({"orders.csv": "order_id,product,quantity\no,A,1\n",
                                   "routings.csv": routings}))
    assert plant.routings["A"][0].options[0].can_pause is value


@pytest.mark.parametrize("text", ["maybe", "y", "2", "oui"])
def test_can_pause_other_text_is_an_error_at_its_cell(make_plant, text):
    routings = f"product,step,machine,time_per_unit,can_pause\nA,1,M1,1,{text}\n"
    folder = make_plant({"orders.csv": "order_id,product,quantity\no,A,1\n",
                         "routings.csv": routings})
    (problem,) = problems_of(folder)
    assert problem.startswith(f"{folder / 'routings.csv'}:2:5: can_pause: {text!r} is neither "
                              "yes nor no; expected yes/no, true/false or 1/0")


@pytest.mark.parametrize(("cell", "uses"), [
    ("op", [("op", 1)]),
    ("op:2", [("op", 2)]),
    (" op : 2 ; crew ", [("op", 2), ("crew", 1)]),
    ("crew;op:1", [("crew", 1), ("op", 1)]),
    ("op:2.0", [("op", 2)]),
])
def test_resources_cell_syntax(make_plant, cell, uses):
    routings = f"product,step,machine,time_per_unit,resources\nA,1,M1,1,{cell}\n"
    plant = load_plant(make_plant({"orders.csv": "order_id,product,quantity\no,A,1\n",
                                   "routings.csv": routings,
                                   "resources.csv": "resource,capacity\nop,3\ncrew,1\n"}))
    assert plant.routings["A"][0].options[0].resources == tuple(
        ResourceUse(n, a) for n, a in uses)


@pytest.mark.parametrize(("cell", "message"), [
    ("op;op:2", "'op;op:2' names resource 'op' twice"),
    ("op:0", "the amount '0' of resource 'op' is not a whole number >= 1"),
    ("op:1.5", "the amount '1.5' of resource 'op' is not a whole number >= 1"),
    ("op:x", "the amount 'x' of resource 'op' is not a whole number >= 1"),
    ("op:", "the amount '' of resource 'op' is not a whole number >= 1"),
    ("op;", "'op;' has an empty resource name"),
    (":2", "':2' has an empty resource name"),
])
def test_bad_resources_cells_are_errors_at_their_cell(make_plant, cell, message):
    for file, header, row in (
            ("routings.csv", "product,step,machine,time_per_unit,resources", "A,1,M1,1,"),
            ("setups.csv", "machine,from,to,time,resources", "*,*,*,1,")):
        files = {"orders.csv": "order_id,product,quantity\no,A,1\n",
                 "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,1\n",
                 "resources.csv": "resource\nop\n"}
        files[file] = f'{header}\n{row}"{cell}"\n'
        folder = make_plant(files)
        (problem,) = problems_of(folder)
        assert problem.startswith(f"{folder / file}:2:5: resources: {message}"), problem


def test_unknown_resource_is_an_error_where_it_is_named(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\no,A,1\n",
        "routings.csv": "product,step,machine,resources,time_per_unit\nA,1,M1,op;tool,1\n",
        "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,1,0,\nM1,*,A,1,0,crew\n",
        "resources.csv": "resource,capacity\nop,1\n",
    })
    assert problems_of(folder) == [
        f"{folder / 'routings.csv'}:2:4: resources: unknown resource 'tool' (resources.csv "
        "has no such resource)",
        f"{folder / 'setups.csv'}:3:6: resources: unknown resource 'crew' (resources.csv has "
        "no such resource)",
    ]
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\no,A,1\n",
        "routings.csv": "product,step,machine,resources,time_per_unit\nA,1,M1,op,1\n",
    })
    assert problems_of(folder) == [f"{folder / 'routings.csv'}:2:4: resources: unknown resource "
                                   "'op' (there is no resources.csv)"]


def test_resources_csv_problems(make_plant):
    folder = make_plant(plant_files(resources="resource,capacity\nop,2\ncrew,0\nop,3\n"
                                              "tool,1.5\nmould,x\n"))
    assert problems_of(folder) == [
        f"{folder / 'resources.csv'}:3:2: capacity: '0' is not a whole number >= 1",
        f"{folder / 'resources.csv'}:4:1: resource: duplicate resource 'op' (first on line 2)",
        f"{folder / 'resources.csv'}:5:2: capacity: '1.5' is not a whole number",
        f"{folder / 'resources.csv'}:6:2: capacity: 'x' is not a number",
    ]


@pytest.mark.parametrize(("cell", "message"), [
    ("-1", "'-1' is negative; expected a number >= 0"),
    ("soon", "'soon' is not a number"),
])
def test_bad_max_wait_is_an_error_at_its_cell(make_plant, cell, message):
    routings = f"product,step,machine,time_per_unit,max_wait\nA,1,M1,1,\nA,2,M1,1,{cell}\n"
    folder = make_plant({"orders.csv": "order_id,product,quantity\no,A,1\n",
                         "routings.csv": routings})
    assert problems_of(folder) == [f"{folder / 'routings.csv'}:3:5: max_wait: {message}"]


def test_max_wait_keeps_whole_units_rounded_down(make_plant):
    routings = ("product,step,machine,time_per_unit,max_wait\nA,1,M1,1,\nA,2,M1,1,0\n"
                "A,3,M1,1,0.99\nA,4,M1,1,7\n")
    plant = load_plant(make_plant({"orders.csv": "order_id,product,quantity\no,A,1\n",
                                   "routings.csv": routings}))
    assert [s.options[0].max_wait for s in plant.routings["A"]] == [None, 0, 0, 7]


def test_plant_csv_now(make_plant):
    plant = load_plant(make_plant(plant_files(plant="now\n12.5\n")))
    assert plant.now == 13                     # rounded up: nothing new starts before it
    assert plant.earliest == 13
    plant = load_plant(make_plant(plant_files(plant="now\n")))
    assert plant.now is None
    plant = load_plant(make_plant(plant_files(plant="NOW\n-5\n")))
    assert plant.now == -5 and plant.earliest == 0


def test_plant_csv_problems(make_plant):
    folder = make_plant(plant_files(plant="now\n10\n20\n"))
    assert problems_of(folder) == [
        f"{folder / 'plant.csv'}:3: plant.csv has one data row; this is another (the first "
        "is on line 2)"]
    folder = make_plant(plant_files(plant="now\nlater\n"))
    assert problems_of(folder) == [
        f"{folder / 'plant.csv'}:2:1: now: 'later' is neither a number nor an ISO 8601 "
        "date-time (for example 2026-03-02T08:00)"]
    folder = make_plant(plant_files(plant="now\n2026-03-02T08:00\n"))
    assert problems_of(folder) == [
        f"{folder / 'plant.csv'}:2:1: now: a date-time, but the plant's times are numbers "
        f"(as at {folder / 'orders.csv'}:2:4); use one form for every time"]


def test_date_time_plant_starts_at_the_earliest_release_due_fixed_start_or_now(make_plant):
    orders = "order_id,product,quantity,due\no1,A,10,2026-03-02T12:00\n"
    routings = "product,step,machine,time_per_unit\nA,1,M1,1\n"
    v1 = load_plant(make_plant({"orders.csv": orders, "routings.csv": routings}))
    assert v1.time_axis.origin == datetime(2026, 3, 2, 12, 0)
    with_now = load_plant(make_plant({"orders.csv": orders, "routings.csv": routings,
                                      "plant.csv": "now\n2026-03-02T08:00\n"}))
    assert with_now.time_axis.origin == datetime(2026, 3, 2, 8, 0) and with_now.now == 0
    fixed = ("machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
             "M1,run,L,A,batch,1,10,o1:10,2026-03-02T07:00,2026-03-02T07:10\n")
    with_fixed = load_plant(make_plant({"orders.csv": orders, "routings.csv": routings,
                                        "plant.csv": "now\n2026-03-02T08:00\n",
                                        "fixed.csv": fixed}))
    assert with_fixed.time_axis.origin == datetime(2026, 3, 2, 7, 0)
    assert with_fixed.now == 60
    assert (with_fixed.fixed[0].start, with_fixed.fixed[0].end) == (0, 10)
    # a calendar period alone does not move time 0 (as in v1)
    calendar = "machine,start,end\nM1,2026-03-01T00:00,2026-03-01T06:00\n"
    with_calendar = load_plant(make_plant({"orders.csv": orders, "routings.csv": routings,
                                           "calendar.csv": calendar}))
    assert with_calendar.time_axis.origin == datetime(2026, 3, 2, 12, 0)


@pytest.mark.parametrize("name", ["bottling", "furniture", "tiny"])
def test_v1_instances_load_as_before(name):
    """The bundled v1 plants give the same tables as before spec v2 was read
    (golden files written by the loader of v1), and use no v2 rule."""
    plant = load_plant(INSTANCES / name)
    files = plant_csv_files(plant)
    golden = {p.name: p.read_text(encoding="utf-8") for p in (GOLDEN / name).iterdir()}
    assert files == golden
    assert not plant.uses_v2_rules and not plant.uses_resources
    assert (plant.resources, plant.fixed, plant.now) == ({}, (), None)
    for steps in plant.routings.values():
        for step in steps:
            for option in step.options:
                assert (option.can_pause, option.resources, option.max_wait) == (False, (), None)
    assert all(rule.resources == () for rule in plant.setup_rules)


def test_cli_exits_2_and_writes_nothing_on_a_bad_v2_cell(make_plant, tmp_path):
    folder = make_plant(plant_files(resources="resource,capacity\nop,2\ncrew,0\n",
                                    plant="now\n1\n2\n"))
    (folder / "routings.csv").write_text(ROUTINGS.replace("YES", "perhaps"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert f"{folder / 'routings.csv'}:2:6: can_pause: 'perhaps' is neither yes nor no" \
        in result.output
    assert f"{folder / 'resources.csv'}:3:2: capacity: '0' is not a whole number >= 1" \
        in result.output
    assert f"{folder / 'plant.csv'}:3: plant.csv has one data row" in result.output
    assert "3 problems in the input; nothing was written" in result.output
    result = CliRunner().invoke(main, ["validate", str(folder), str(out)])
    assert result.exit_code == 2 and not out.exists()
