"""The bad-input catalogue: malformed plants through the real command line.

Every case exits 2, lists each problem as ``file:line:column: message`` (a
whole-file problem as ``file: message``), shows no traceback and writes
nothing. A few cases also run as a real process, to see that nothing but the
problems reaches standard error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import BASE, Run, cli, subprocess_cli, write_files

ORDERS_HEAD = "order_id,product,quantity,due,release,weight,deadline\n"
PRODUCTS_HEAD = "product,family,mode,min_lot,max_lot,lot_multiple,holding_cost\n"
ROUTINGS_HEAD = "product,step,machine,time_per_unit,fixed_time\n"


def orders(*rows: str) -> str:
    return ORDERS_HEAD + "".join(f"{r}\n" for r in rows)


def products(*rows: str) -> str:
    return PRODUCTS_HEAD + "".join(f"{r}\n" for r in rows)


def routings(*rows: str) -> str:
    return ROUTINGS_HEAD + "".join(f"{r}\n" for r in rows)


GOOD_ROUTES = ("A,1,M1|M2,2,5", "A,2,M3,1,0", "B,1,M1,3,0")

CASES = [
    # -- files and encodings ------------------------------------------------------
    pytest.param({"orders.csv": None}, ["orders.csv: file not found"], id="orders missing"),
    pytest.param({"routings.csv": None}, ["routings.csv: file not found"], id="routings missing"),
    pytest.param({"orders.csv": ""}, ["orders.csv:1: the file is empty (no header row)"],
                 id="orders 0 bytes"),
    pytest.param({"orders.csv": "\n  \n\n"}, ["orders.csv:1: the file is empty (no header row)"],
                 id="orders blank lines"),
    pytest.param({"orders.csv": ORDERS_HEAD}, ["orders.csv: the file has no orders"],
                 id="orders header only"),
    pytest.param({"routings.csv": ""}, ["routings.csv:1: the file is empty (no header row)"],
                 id="routings 0 bytes"),
    pytest.param({"orders.csv": BASE["orders.csv"].encode("utf-16")},
                 ["orders.csv:1:1: the file is UTF-16 text, not UTF-8 (save it as CSV UTF-8)"],
                 id="UTF-16 with BOM"),
    pytest.param({"routings.csv": BASE["routings.csv"].encode("utf-16-le")},
                 ["routings.csv:1:1: the file is UTF-16 text, not UTF-8"], id="UTF-16 no BOM"),
    pytest.param({"orders.csv": orders("o1,A,5,,,,", "ö2,B,3,,,,").encode("latin-1")},
                 ["orders.csv:3:1: the file is not UTF-8 text: byte 0xF6 ('ö' in "
                  "Latin-1/Windows-1252) cannot be read (save it as CSV UTF-8)"], id="Latin-1"),
    pytest.param({"setups.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
                 ["setups.csv:3: the file contains NUL bytes: it is not CSV text (binary?)"],
                 id="binary file"),
    pytest.param({"orders.csv": "order_id;product;quantity\no1;A;5\n"},
                 ["orders.csv:1:1: the header 'order_id;product;quantity' is one column: the "
                  "file is separated by semicolons", "orders.csv:1: product: required column "
                  "is missing"], id="semicolon separated"),
    pytest.param({"orders.csv": 'order_id,product,quantity\no1,"A,5\n'},
                 ["orders.csv:2: bad CSV: unexpected end of data"], id="unterminated quote"),
    pytest.param({"orders.csv": "order_id,product,quantity,Quantity\no1,A,5,5\n"},
                 ["orders.csv:1:4: quantity: the column appears twice"], id="duplicate column"),
    pytest.param({"orders.csv": "order_id,product\no1,A\n"},
                 ["orders.csv:1: quantity: required column is missing"], id="missing column"),
    pytest.param({"orders.csv": orders("o1,A,5,,,,,surplus")},
                 ["orders.csv:2:8: this row has 8 cells but the header has 7 columns"],
                 id="too many cells"),
    # -- every column of the wrong type -------------------------------------------
    pytest.param({"orders.csv": orders(",A,5,,,,")},
                 ["orders.csv:2:1: order_id: required value is empty"], id="order_id empty"),
    pytest.param({"orders.csv": orders("o1,,5,,,,")},
                 ["orders.csv:2:2: product: required value is empty"], id="product empty"),
    pytest.param({"orders.csv": orders("o1,A,five,,,,")},
                 ["orders.csv:2:3: quantity: 'five' is not a number"], id="quantity text"),
    pytest.param({"orders.csv": orders("o1,A,2.5,,,,")},
                 ["orders.csv:2:3: quantity: '2.5' is not a whole number"], id="quantity 2.5"),
    pytest.param({"orders.csv": orders("o1,A,0,,,,")},
                 ["orders.csv:2:3: quantity: '0' is not a whole number >= 1"], id="quantity 0"),
    pytest.param({"orders.csv": orders("o1,A,-3,,,,")},
                 ["orders.csv:2:3: quantity: '-3' is not a whole number >= 1"],
                 id="quantity negative"),
    pytest.param({"orders.csv": orders("o1,A,5,soon,,,")},
                 ["orders.csv:2:4: due: 'soon' is neither a number nor an ISO 8601 date-time"],
                 id="due text"),
    pytest.param({"orders.csv": orders("o1,A,5,,31/12/2026,,")},
                 ["orders.csv:2:5: release: '31/12/2026' is neither a number nor an ISO 8601"],
                 id="release local date"),
    pytest.param({"orders.csv": orders("o1,A,5,,,high,")},
                 ["orders.csv:2:6: weight: 'high' is not a number"], id="weight text"),
    pytest.param({"orders.csv": orders("o1,A,5,,,-2,")},
                 ["orders.csv:2:6: weight: '-2' is negative; expected a number >= 0"],
                 id="weight negative"),
    pytest.param({"orders.csv": orders("o1,A,5,,,,asap")},
                 ["orders.csv:2:7: deadline: 'asap' is neither a number nor an ISO 8601"],
                 id="deadline text"),
    pytest.param({"products.csv": products(",fa,batch,,,,")},
                 ["products.csv:2:1: product: required value is empty"], id="product name empty"),
    pytest.param({"routings.csv": routings(",1,M1,2,", *GOOD_ROUTES[1:])},
                 ["routings.csv:2:1: product: required value is empty"],
                 id="routing product empty"),
    pytest.param({"machines.csv": "machine,initial_state\n*,\n"},
                 ["machines.csv:2:1: machine: '*' is not a machine name"], id="machine named *"),
    pytest.param({"products.csv": products("A,fa,bulk,,,,")},
                 ["products.csv:2:3: mode: 'bulk' is not a production mode; expected one of "
                  "one-off, batch, mass, auto"], id="mode unknown"),
    pytest.param({"products.csv": products("A,fa,batch,x,,,")},
                 ["products.csv:2:4: min_lot: 'x' is not a number"], id="min_lot text"),
    pytest.param({"products.csv": products("A,fa,batch,,0,,")},
                 ["products.csv:2:5: max_lot: '0' is not a whole number >= 1"], id="max_lot 0"),
    pytest.param({"products.csv": products("A,fa,batch,,,2.5,")},
                 ["products.csv:2:6: lot_multiple: '2.5' is not a whole number"],
                 id="lot_multiple fraction"),
    pytest.param({"products.csv": products("A,fa,batch,,,,cheap")},
                 ["products.csv:2:7: holding_cost: 'cheap' is not a number"],
                 id="holding_cost text"),
    pytest.param({"routings.csv": routings("A,one,M1,2,", *GOOD_ROUTES[1:])},
                 ["routings.csv:2:2: step: 'one' is not a number"], id="step text"),
    pytest.param({"routings.csv": routings("A,1,M1|,2,", *GOOD_ROUTES[1:])},
                 ["routings.csv:2:3: machine: 'M1|' has an empty machine name"],
                 id="machine list with a hole"),
    pytest.param({"routings.csv": routings("A,1,M1,fast,", *GOOD_ROUTES[1:])},
                 ["routings.csv:2:4: time_per_unit: 'fast' is not a number"],
                 id="time_per_unit text"),
    pytest.param({"routings.csv": routings("A,1,M1,2,-5", *GOOD_ROUTES[1:])},
                 ["routings.csv:2:5: fixed_time: '-5' is negative; expected a number >= 0"],
                 id="fixed_time negative"),
    pytest.param({"machines.csv": "machine,initial_state\nM1,bread\n"},
                 ["machines.csv:2:2: initial_state: 'bread' is neither a product nor a family"],
                 id="initial_state unknown"),
    pytest.param({"setups.csv": "machine,from,to,time,cost\n*,fa,fb,long,\n"},
                 ["setups.csv:2:4: time: 'long' is not a number"], id="setup time text"),
    pytest.param({"setups.csv": "machine,from,to,time,cost\n*,fa,fb,5,-3\n"},
                 ["setups.csv:2:5: cost: '-3' is negative; expected a number >= 0"],
                 id="setup cost negative"),
    pytest.param({"calendar.csv": "machine,start,end\nM1,monday,60\n"},
                 ["calendar.csv:2:2: start: 'monday' is neither a number nor an ISO 8601"],
                 id="calendar start text"),
    # -- numbers that are no numbers, or absurd ones -------------------------------
    pytest.param({"orders.csv": orders("o1,A,5,,,nan,")},
                 ["orders.csv:2:6: weight: 'nan' is not a number"], id="NaN"),
    pytest.param({"orders.csv": orders("o1,A,inf,,,,")},
                 ["orders.csv:2:3: quantity: 'inf' is not a number"], id="inf"),
    pytest.param({"calendar.csv": "machine,start,end\nM1,-inf,60\n"},
                 ["calendar.csv:2:2: start: '-inf' is neither a number nor an ISO 8601"],
                 id="-inf"),
    pytest.param({"orders.csv": orders("o1,A,1e20,,,,")},
                 ["orders.csv:2:3: quantity: '1e20' is too large (the limit is 1e12)"],
                 id="quantity 1e20"),
    pytest.param({"orders.csv": orders("o1,A,5,5e9,,,")},
                 ["orders.csv:2:4: due: '5e9' is 5,000,000,000 time units from time 0; every "
                  "time must lie within 1,000,000,000 time units"], id="due beyond the span"),
    pytest.param({"calendar.csv": "machine,start,end\nM1,0,2e9\n"},
                 ["calendar.csv:2:3: end: '2e9' is 2,000,000,000 time units from time 0"],
                 id="downtime beyond the span"),
    pytest.param({"setups.csv": "machine,from,to,time,cost\n*,*,*,2e9,\n"},
                 ["setups.csv:2:4: time: a changeover of 2e9 time units is longer than "
                  "1,000,000,000 time units"], id="changeover beyond the span"),
    pytest.param({"orders.csv": orders("o1,A,5,,,,", "o2,B,400000000,,,,")},
                 ["orders.csv:3:3: quantity: the orders could need up to 1,200,000,380 time "
                  "units of work and changeovers; a schedule must end within 1,000,000,000 "
                  "time units (about 1,900 years of minutes) of time 0 (order 'o2' alone up "
                  "to 1,200,000,010: 400,000,000 units of 'B')"],
                 id="work beyond the span"),
    pytest.param({"orders.csv": orders("o1,A,300000000,,,,"),
                  "routings.csv": routings("A,1,M1,0,", "A,2,M3,0,", "B,1,M1,0,"),
                  "products.csv": products("A,fa,batch,1,1,,", "B,fb,one-off,,,,")},
                 ["products.csv:2:5: max_lot: the orders need at least 300,000,000 lots, "
                  "product 'A' alone 300,000,000 (300,000,000 units ordered, max_lot 1); "
                  "the limit is 200,000 lots"], id="too many lots"),
    # -- rows that contradict each other -------------------------------------------
    pytest.param({"orders.csv": orders("o1,A,5,,,,", "o1,B,3,,,,")},
                 ["orders.csv:3:1: order_id: duplicate order_id 'o1' (first on line 2)"],
                 id="duplicate order"),
    pytest.param({"products.csv": products("A,fa,batch,,,,", "A,fb,mass,,,,")},
                 ["products.csv:3:1: product: duplicate product 'A' (first on line 2)"],
                 id="duplicate product"),
    pytest.param({"machines.csv": "machine\nM1\nM2\nM1\n"},
                 ["machines.csv:4:1: machine: duplicate machine 'M1' (first on line 2)"],
                 id="duplicate machine"),
    pytest.param({"orders.csv": orders("o1,Z,5,,,,")},
                 ["orders.csv:2:2: product: product 'Z' has no routing"], id="unknown product"),
    pytest.param({"setups.csv": "machine,from,to,time\nM9,fa,fb,5\n"},
                 ["setups.csv:2:1: machine: unknown machine 'M9'"], id="setup unknown machine"),
    pytest.param({"setups.csv": "machine,from,to,time\n*,fa,fz,5\n"},
                 ["setups.csv:2:3: to: 'fz' is neither a product, a family nor '*'"],
                 id="setup unknown family"),
    pytest.param({"calendar.csv": "machine,start,end\nM7,5,10\n"},
                 ["calendar.csv:2:1: machine: unknown machine 'M7'"],
                 id="calendar unknown machine"),
    pytest.param({"orders.csv": orders("STOCK,A,5,,,,")},
                 ["orders.csv:2:1: order_id: 'STOCK' is reserved for surplus units"],
                 id="STOCK reserved"),
    pytest.param({"orders.csv": orders("o1,A,5,10,,,", "o2,B,3,2026-03-02T08:00,,,")},
                 ["orders.csv:3:4: due: a date-time, but the plant's times are numbers (as at "],
                 id="numbers and date-times mixed"),
    pytest.param({"orders.csv": orders("o1,A,5,2026-03-02T08:00+01:00,,,",
                                       "o2,B,3,2026-03-02T09:00,,,")},
                 ["orders.csv:3:4: due: date-times with and without a time zone are mixed"],
                 id="time zones mixed"),
    pytest.param({"orders.csv": orders("o1,A,5,20,30,,")},
                 ["orders.csv:2:4: due: the due date 20 is before the release 30"],
                 id="due before release"),
    pytest.param({"orders.csv": orders("o1,A,5,,30,,25")},
                 ["orders.csv:2:7: deadline: the deadline 25 is before the release 30"],
                 id="deadline before release"),
    pytest.param({"products.csv": products("A,fa,batch,8,4,,")},
                 ["products.csv:2:5: max_lot: max_lot 4 is below min_lot 8"],
                 id="min_lot > max_lot"),
    pytest.param({"calendar.csv": "machine,start,end\nM1,60,50\n"},
                 ["calendar.csv:2:3: end: the end 50 is not after the start 60"],
                 id="downtime ends before it starts"),
    pytest.param({"routings.csv": routings("A,1,M1,2,", "A,3,M3,1,", "A,4,M3,1,", "B,2,M1,3,")},
                 ["routings.csv:3:2: step: product 'A' has steps 1, 3, 4: step 2 is missing "
                  "(steps are numbered 1, 2, 3, … without gaps)",
                  "routings.csv:5:2: step: product 'B' has steps 2: step 1 is missing"],
                 id="routing steps with gaps"),
    pytest.param({"setups.csv": "machine,from,to,time\n*,fa,fb,5\n*,fa,fb,6\n"},
                 ["setups.csv:3:3: to: duplicate setup rule machine/from/to '*/fa/fb' "
                  "(first on line 2)"], id="contradictory setup rows"),
    pytest.param({"setups.csv": "machine,from,to,time\nM2,fb,fb,15\n"},
                 ["setups.csv:2:3: to: the changeover from 'fb' to 'fb' never applies: both "
                  "mean product 'B' only, and making 'B' twice in a row needs a changeover "
                  "only by a row from 'B' to 'B'"], id="cyclic setup rule"),
    pytest.param({"setups.csv": "machine,from,to,time\n*,A,fa,4\n"},
                 ["setups.csv:2:3: to: the changeover from 'A' to 'fa' never applies"],
                 id="cyclic setup product to own family"),
]


def check_bad_input(run: Run, folder: Path, out: Path, expected: list[str]) -> None:
    """Exit 2, each expected problem named, every problem located, nothing written."""
    assert run.code == 2, run.stdout + run.stderr
    for text in expected:
        assert text in run.stderr, f"{text!r} not in:\n{run.stderr}"
    problems = run.stderr.strip().splitlines()
    assert problems[-1].startswith("prodsched: ") and problems[-1].endswith(
        "in the input; nothing was written")
    for line in problems[:-1]:
        assert line.startswith((f"{folder}/", f"{folder}:")), line
    assert "Traceback" not in run.stdout + run.stderr
    assert not out.exists()


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_bad_plant_exits_2_and_writes_nothing(tmp_path, changes, expected):
    folder = write_files(tmp_path / "plant", {**BASE, **changes})
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "5")
    check_bad_input(run, folder, out, [f"{folder}/{text}" if ".csv" in text.split(":")[0]
                                       else text for text in expected])


def test_the_base_plant_is_valid(tmp_path):
    folder = write_files(tmp_path / "plant", BASE)
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "5", "--workers", "1")
    assert run.code == 0, run.stderr
    assert cli("validate", str(folder), str(out)).code == 0


def test_catalogue_size():
    assert len(CASES) >= 40


@pytest.mark.parametrize("source", ["nowhere", "plant/orders.csv"])
def test_source_that_is_no_plant_folder(tmp_path, source):
    write_files(tmp_path / "plant", BASE)
    path = tmp_path / source
    run = cli("solve", str(path), "--out", str(tmp_path / "out"))
    what = "does not exist" if source == "nowhere" else "is not a folder"
    assert run.code == 2 and f"{path}: the plant folder {what}" in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    folder = write_files(tmp_path / "plant", BASE)
    row = b"o1,A,5,100,0,1,\n"
    with open(folder / "orders.csv", "wb") as fh:
        fh.write(ORDERS_HEAD.encode())
        chunk = row * 65_536
        for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    size = (folder / "orders.csv").stat().st_size
    assert size > 100 * 1024 * 1024
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out))
    check_bad_input(run, folder, out, [
        f"{folder}/orders.csv: the file is {size:,} bytes ({size / 2**20:.0f} MB); the limit "
        f"is {50 * 2**20:,} bytes (50 MB)"])


@pytest.mark.parametrize(("option", "expected"), [
    (("--max-orders", "1"), "orders.csv: 2 orders; the limit is 1 order"),
    (("--max-machines", "2"), "machines.csv: 3 machines; the limit is 2 machines"),
    (("--max-rows", "2"), "routings.csv:4: more than 2 rows; the limit is 2 rows"),
    (("--max-file-mb", "0.00005"), "orders.csv: the file is 90 bytes; the limit is 52 bytes"),
    (("--max-lots", "1"), "orders.csv: the orders need at least 2 lots, product 'A' alone "
                          "1 (5 units ordered, max_lot 10); the limit is 1 lot"),
])
def test_limits_on_the_command_line(tmp_path, option, expected):
    folder = write_files(tmp_path / "plant", BASE)
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), *option)
    check_bad_input(run, folder, out, [f"{folder}/{expected}"])


def test_raised_limits_let_a_plant_through(tmp_path):
    folder = write_files(tmp_path / "plant", BASE)
    run = cli("solve", str(folder), "--out", str(tmp_path / "out"), "--max-orders", "2",
              "--max-machines", "3", "--max-rows", "3", "--max-lots", "2", "--time-limit", "5")
    assert run.code == 0, run.stderr


def test_output_folder_of_an_earlier_run_is_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("an earlier schedule\n")
    folder = write_files(tmp_path / "plant", {**BASE, "orders.csv": orders("o1,A,x,,,,")})
    run = cli("solve", str(folder), "--out", str(out))
    assert run.code == 2
    assert [p.name for p in out.iterdir()] == ["schedule.csv"]
    assert (out / "schedule.csv").read_text() == "an earlier schedule\n"


def test_numbers_too_large_for_the_solver_together(tmp_path):
    rows = "".join(f"o{i},A,5000,{i},,999999999999,\n" for i in range(70))
    folder = write_files(tmp_path / "plant", {
        **BASE, "orders.csv": ORDERS_HEAD + rows,
        "routings.csv": routings("A,1,M1,100,", "A,2,M3,1,", "B,1,M1,3,"),
        "products.csv": products("A,fa,one-off,,,,", "B,fb,one-off,,,,")})
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "10",
              "--objective", "weighted-tardiness")
    check_bad_input(run, folder, out, [
        f"{folder}: the plant's numbers are too large to schedule together (weights, costs or "
        "times with many digits, or a very long time span): CP-SAT rejected the model: "
        "Possible integer overflow in objective\n"])


SUBPROCESS_CASES = ["UTF-16 with BOM", "semicolon separated", "cyclic setup rule",
                    "work beyond the span"]


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_a_real_process_prints_only_the_problems(tmp_path, case):
    changes, expected = next((p.values[0], p.values[1]) for p in CASES if p.id == case)
    folder = write_files(tmp_path / "plant", {**BASE, **changes})
    out = tmp_path / "out"
    run = subprocess_cli("solve", str(folder), "--out", str(out), "--time-limit", "5")
    check_bad_input(run, folder, out, [f"{folder}/{text}" for text in expected])
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    count = int(lines[-1].removeprefix("prodsched: ").split()[0])
    assert len(lines) == count + 1
