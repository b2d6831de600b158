"""Loading a plant folder: every rule of the format, every kind of bad input."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from prodsched.errors import PlantError
from prodsched.plant import Mode, load_plant

ORDERS = """\
order_id,product,quantity,due
o1,A,5,100
o2,B,3,200
"""
ROUTINGS = """\
product,step,machine,time_per_unit,fixed_time
A,1,M1|M2,2,5
A,2,M3,1.5,
B,1,M1,3,0
"""


def problems_of(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(PlantError) as info:
        load_plant(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def test_minimal_plant_gets_every_default(make_plant):
    plant = load_plant(make_plant({"orders.csv": ORDERS, "routings.csv": ROUTINGS}))
    assert [o.order_id for o in plant.orders] == ["o1", "o2"]
    o1 = plant.orders[0]
    assert (o1.release, o1.weight, o1.deadline, o1.due) == (0, 1, None, 100)
    a = plant.products["A"]
    assert (a.family, a.mode, a.min_lot, a.max_lot, a.lot_multiple, a.holding_cost) == (
        "A", Mode.AUTO, 1, None, 1, 0)
    assert list(plant.machines) == ["M1", "M2", "M3"]
    assert plant.machines["M1"].initial_state is None
    steps = plant.routings["A"]
    assert [s.number for s in steps] == [1, 2]
    assert [o.machine for o in steps[0].options] == ["M1", "M2"]
    # ceil(fixed + q * time_per_unit), exactly: 1.5 * 3 = 4.5 -> 5
    assert steps[1].options[0].duration(3) == 5
    assert steps[0].options[0].duration(5) == 15
    assert not plant.time_axis.is_datetime
    assert plant.setup_rules == () and plant.downtimes == ()


def test_exact_arithmetic_for_durations(make_plant):
    routings = "product,step,machine,time_per_unit\nA,1,M1,0.7\n"
    plant = load_plant(make_plant({"orders.csv": "order_id,product,quantity\no,A,10\n",
                                   "routings.csv": routings}))
    # 0.7 * 10 is 7.000000000000001 in floats; the spec's ceil must give 7
    assert plant.routings["A"][0].options[0].duration(10) == 7


def test_header_names_are_case_insensitive_and_stripped_and_bom_tolerated(make_plant):
    folder = make_plant({"routings.csv": ROUTINGS})
    (folder / "orders.csv").write_bytes(
        "\ufeff Order_ID ,PRODUCT, Quantity \no1,A,5\n".encode())
    plant = load_plant(folder)
    assert plant.orders[0].quantity == 5


def test_unknown_column_is_a_warning_not_an_error(make_plant):
    orders = "order_id,product,quantity,colour\no1,A,5,red\n"
    plant = load_plant(make_plant({"orders.csv": orders, "routings.csv": ROUTINGS}))
    assert len(plant.warnings) == 1
    assert "orders.csv:1:4: unknown column 'colour'" in plant.warnings[0]


def test_optional_files_are_read(make_plant):
    plant = load_plant(make_plant({
        "orders.csv": "order_id,product,quantity,due,release,weight,deadline\n"
                      "o1,A,5,100,10,2.5,400\n",
        "routings.csv": ROUTINGS,
        "products.csv": "product,family,mode,min_lot,max_lot,lot_multiple,holding_cost\n"
                        "A,bread,batch,2,10,2,0.5\nB,,MASS,,,,\n",
        "machines.csv": "machine,initial_state\nM1,bread\nM4,\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,*,10,\nM1,bread,B,20,7.5\n",
        "calendar.csv": "machine,start,end\n*,50,60\nM2,70,80\n",
    }))
    o = plant.orders[0]
    assert (o.release, o.weight, o.deadline) == (10, Fraction(5, 2), 400)
    a, b = plant.products["A"], plant.products["B"]
    assert (a.family, a.mode, a.min_lot, a.max_lot, a.lot_multiple) == ("bread", Mode.BATCH, 2,
                                                                          10, 2)
    assert a.holding_cost == Fraction(1, 2)
    assert (b.family, b.mode) == ("B", Mode.MASS)
    assert plant.machines["M1"].initial_state == "bread"
    assert "M4" in plant.machines
    assert plant.setup_rules[1].cost == Fraction(15, 2)
    assert plant.downtimes_of("M2") == [(50, 60), (70, 80)]
    assert plant.downtimes_of("M1") == [(50, 60)]


def test_datetimes_use_the_earliest_release_or_due_as_time_zero(make_plant):
    orders = ("order_id,product,quantity,due,release\n"
              "o1,A,5,2026-03-02T12:00,2026-03-02T08:00\n"
              "o2,B,3,2026-03-03 06:30,\n")
    calendar = "machine,start,end\nM1,2026-03-02T07:00,2026-03-02T09:00\n"
    plant = load_plant(make_plant({"orders.csv": orders, "routings.csv": ROUTINGS,
                                   "calendar.csv": calendar}))
    axis = plant.time_axis
    assert axis.origin == datetime(2026, 3, 2, 8, 0)
    assert plant.orders[0].due == 240 and plant.orders[0].release == 0
    assert plant.orders[1].due == 22 * 60 + 30
    assert plant.downtimes[0].start == -60 and plant.downtimes[0].end == 60
    assert axis.format(90) == "2026-03-02T09:30"


def test_start_option_sets_time_zero(make_plant):
    orders = "order_id,product,quantity,due\no1,A,5,2026-03-02T12:00\n"
    plant = load_plant(make_plant({"orders.csv": orders, "routings.csv": ROUTINGS}),
                       start="2026-03-02T06:00")
    assert plant.orders[0].due == 360


def test_time_zones_are_kept(make_plant):
    orders = "order_id,product,quantity,due\no1,A,5,2026-03-02T12:00+01:00\n"
    plant = load_plant(make_plant({"orders.csv": orders, "routings.csv": ROUTINGS}))
    assert plant.time_axis.format(30) == "2026-03-02T12:30+01:00"


def test_fractional_times_round_to_the_safe_side(make_plant):
    orders = "order_id,product,quantity,due,release,deadline\no1,A,5,10.5,2.5,99.5\n"
    calendar = "machine,start,end\nM1,3.5,4.5\n"
    plant = load_plant(make_plant({"orders.csv": orders, "routings.csv": ROUTINGS,
                                   "calendar.csv": calendar}))
    o = plant.orders[0]
    assert (o.release, o.deadline, o.due) == (3, 99, Fraction(21, 2))
    assert (plant.downtimes[0].start, plant.downtimes[0].end) == (3, 5)


BAD_INPUT = [
    pytest.param({"orders.csv": None}, ["orders.csv: file not found"], id="missing orders"),
    pytest.param({"routings.csv": None}, ["routings.csv: file not found"], id="missing routings"),
    pytest.param({"orders.csv": "order_id,quantity\no1,5\n"},
                 ["orders.csv:1: product: required column is missing"], id="missing column"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,,5\n"},
                 ["orders.csv:2:2: product: required value is empty"], id="empty cell"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,five\n"},
                 ["orders.csv:2:3: quantity: 'five' is not a number"], id="bad integer"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,-4\n"},
                 ["orders.csv:2:3: quantity: '-4' is not a whole number >= 1"],
                 id="negative quantity"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,0\n"},
                 ["orders.csv:2:3: quantity: '0' is not a whole number >= 1"], id="zero quantity"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,2.5\n"},
                 ["orders.csv:2:3: quantity: '2.5' is not a whole number"], id="fractional qty"),
    pytest.param({"orders.csv": "order_id,product,quantity,due\no1,A,2,tomorrow\n"},
                 ["orders.csv:2:4: due: 'tomorrow' is neither a number nor an ISO 8601"],
                 id="bad date"),
    pytest.param({"orders.csv": "order_id,product,quantity,weight\no1,A,2,-1\n"},
                 ["orders.csv:2:4: weight: '-1' is negative"], id="negative weight"),
    pytest.param({"orders.csv": "order_id,product,quantity,weight\no1,A,2,nan\n"},
                 ["orders.csv:2:4: weight: 'nan' is not a number"], id="nan"),
    pytest.param({"orders.csv": "order_id,product,quantity,weight\no1,A,2,inf\n"},
                 ["orders.csv:2:4: weight: 'inf' is not a number"], id="inf"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,1e20\n"},
                 ["orders.csv:2:3: quantity: '1e20' is too large"], id="huge"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,Z,5\n"},
                 ["orders.csv:2:2: product: product 'Z' has no routing"], id="unknown product"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,5\no1,B,2\n"},
                 ["orders.csv:3:1: order_id: duplicate order_id 'o1' (first on line 2)"],
                 id="duplicate order"),
    pytest.param({"orders.csv": "order_id,product,quantity\nSTOCK,A,5\n"},
                 ["orders.csv:2:1: order_id: 'STOCK' is reserved"], id="STOCK reserved"),
    pytest.param({"orders.csv": "order_id,product,quantity,due\no1,A,5,10\n"
                                "o2,A,5,2026-01-01T00:00\n"},
                 ["orders.csv:3:4: due: a date-time, but the plant's times are numbers"],
                 id="mixed time forms"),
    pytest.param({"orders.csv": "order_id,product,quantity,release,deadline\no1,A,5,50,40\n"},
                 ["orders.csv:2:5: deadline: the deadline 40 is before the release 50"],
                 id="deadline before release"),
    pytest.param({"orders.csv": "order_id,product,quantity\no1,A,5,extra\n"},
                 ["orders.csv:2:4: this row has 4 cells but the header has 3 columns"],
                 id="too many cells"),
    pytest.param({"orders.csv": ""}, ["orders.csv:1: the file is empty (no header row)"],
                 id="empty file"),
    pytest.param({"orders.csv": "order_id,product,quantity\n"},
                 ["orders.csv: the file has no orders"], id="no orders"),
    pytest.param({"products.csv": "product,min_lot,max_lot\nA,5,3\n"},
                 ["products.csv:2:3: max_lot: max_lot 3 is below min_lot 5"], id="min>max"),
    pytest.param({"products.csv": "product,min_lot,max_lot,lot_multiple\nA,5,7,4\n"},
                 ["products.csv:2:4: lot_multiple: no multiple of 4 lies between min_lot 5"],
                 id="no multiple in range"),
    pytest.param({"products.csv": "product,mode\nA,bulk\n"},
                 ["products.csv:2:2: mode: 'bulk' is not a production mode"], id="bad mode"),
    pytest.param({"products.csv": "product\nA\nA\n"},
                 ["products.csv:3:1: product: duplicate product 'A' (first on line 2)"],
                 id="duplicate product"),
    pytest.param({"routings.csv": "product,step,machine,time_per_unit\nA,1,,2\n"},
                 ["routings.csv:2:3: machine: required value is empty",
                  "orders.csv:3:2: product: product 'B' has no routing"],
                 id="routing with no machine"),
    pytest.param({"routings.csv": "product,step,machine,time_per_unit\nA,1,M1|,2\nB,1,M1,1\n"},
                 ["routings.csv:2:3: machine: 'M1|' has an empty machine name"],
                 id="empty machine in list"),
    pytest.param({"routings.csv": "product,step,machine,time_per_unit\nA,0,M1,2\nB,1,M1,1\n"},
                 ["routings.csv:2:2: step: '0' is not a whole number >= 1"], id="step 0"),
    pytest.param({"routings.csv": "product,step,machine,time_per_unit\nA,1,M1,2\nA,1,M1,3\n"
                                  "B,1,M1,1\n"},
                 ["routings.csv:3:3: machine: machine 'M1' is listed twice for product 'A'"],
                 id="duplicate routing machine"),
    pytest.param({"routings.csv": "product,step,machine,time_per_unit\nA,1,M1,-2\nB,1,M1,1\n"},
                 ["routings.csv:2:4: time_per_unit: '-2' is negative"], id="negative time"),
    pytest.param({"machines.csv": "machine,initial_state\nM1,nothing\n"},
                 ["machines.csv:2:2: initial_state: 'nothing' is neither a product nor a family"],
                 id="unknown initial state"),
    pytest.param({"machines.csv": "machine\nM1\nM1\n"},
                 ["machines.csv:3:1: machine: duplicate machine 'M1'"], id="duplicate machine"),
    pytest.param({"setups.csv": "machine,from,to,time\nM9,A,B,5\n"},
                 ["setups.csv:2:1: machine: unknown machine 'M9'"], id="setup unknown machine"),
    pytest.param({"setups.csv": "machine,from,to,time\n*,A,Q,5\n"},
                 ["setups.csv:2:3: to: 'Q' is neither a product, a family nor '*'"],
                 id="setup unknown product"),
    pytest.param({"setups.csv": "machine,from,to,time\n*,A,B,5\n*,A,B,6\n"},
                 ["setups.csv:3:3: to: duplicate setup rule machine/from/to '*/A/B'"],
                 id="contradictory setup rows"),
    pytest.param({"setups.csv": "machine,from,to\n*,A,B\n"},
                 ["setups.csv:1: time: required column is missing"], id="setup without time"),
    pytest.param({"calendar.csv": "machine,start,end\nM1,50,40\n"},
                 ["calendar.csv:2:3: end: the end 40 is not after the start 50"],
                 id="calendar end"),
    pytest.param({"calendar.csv": "machine,start,end\nM7,5,10\n"},
                 ["calendar.csv:2:1: machine: unknown machine 'M7'"], id="calendar machine"),
]


@pytest.mark.parametrize(("files", "expected"), BAD_INPUT)
def test_bad_input_names_file_line_and_column(make_plant, files, expected):
    base = {"orders.csv": ORDERS, "routings.csv": ROUTINGS}
    base.update(files)
    folder = make_plant({k: v for k, v in base.items() if v is not None})
    problems = problems_of(folder)
    for text in expected:
        assert any(text in p for p in problems), f"{text!r} not in {problems}"
    for p in problems:
        assert p.startswith(str(folder)), p


def test_every_problem_is_reported_not_only_the_first(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due\no1,A,x,1\no1,Z,2,y\n",
        "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,q\n",
    })
    problems = problems_of(folder)
    assert len(problems) == 5, problems
    assert [p.split(": ")[0].rsplit("/", 1)[1] for p in problems] == [
        "orders.csv:2:3", "orders.csv:3:1", "orders.csv:3:2", "orders.csv:3:4",
        "routings.csv:2:4"]


def test_not_utf8_names_the_line(make_plant):
    folder = make_plant({"routings.csv": ROUTINGS})
    (folder / "orders.csv").write_bytes(b"order_id,product,quantity\no1,A,5\no\xe92,B,3\n")
    assert problems_of(folder) == [f"{folder}/orders.csv:3:2: the file is not UTF-8 text: "
                                   "byte 0xE9 ('é' in Latin-1/Windows-1252) cannot be read "
                                   "(save it as CSV UTF-8)"]


def test_missing_folder(tmp_path):
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: the plant folder does not "
                                              "exist"]


def test_start_on_a_numeric_plant_is_an_error(make_plant):
    folder = make_plant({"orders.csv": ORDERS, "routings.csv": ROUTINGS})
    assert problems_of(folder, start="2026-01-01T00:00") == [
        "--start: the plant's times are numbers, so --start does not apply"]


def test_file_size_limit(make_plant):
    from prodsched.plant import Limits

    folder = make_plant({"orders.csv": ORDERS, "routings.csv": ROUTINGS})
    problems = problems_of(folder, limits=Limits(max_file_bytes=20))
    assert any("bytes; the limit is 20 bytes" in p for p in problems)
