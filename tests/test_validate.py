"""The independent validator: hand-checked valid schedules and one mutation per violation.

Two plants are written in the tests: a numeric plant (batch, mass and one-off
products, an alternative-machine routing, setups with wildcards, families and
initial states, a deadline) and a date-time plant (a calendar with a machine
period and a ``*`` period, an ``auto`` product, STOCK surplus, an initial
state that is a product). For each, a valid schedule is worked out by hand
below; every mutation then breaks exactly one thing, and the test asserts
exactly which rules are reported.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from prodsched.plant.load import load_plant
from prodsched.plant.model import Machine, Plant, Product, RoutingOption, SetupRule, Step
from prodsched.validate import (
    Violation,
    format_report,
    required_setup,
    setup_rule,
    validate_dir,
    validate_texts,
)

# ---------------------------------------------------------------------------
# Plant 1: numeric times.
#
# Products: A batch (family F, lots 10..20, multiples of 5), B mass (family F,
# lots 2..8, multiples of 2), C one-off (family C).
# Routings (durations = ceil(fixed + q * time_per_unit)):
#   A step 1 on M1 (1/unit + 2) or M2 (2/unit)    A step 2 on M3 (0.5/unit)
#   B step 1 on M1 (0.5/unit)                     B step 2 on M3 (0.25/unit + 1)
#   C step 1 on M2 (2/unit + 1)
# Machines: M1 starts set up for family F, M3 for product B, M4 does nothing.
# Setups:
#   R1 *,*,*   3 (cost 10)     R2 *,F,F  1 (cost 2)     R3 M1,*,A  4 (cost 5)
#   R4 *,A,A   2 (cost 1)      R5 M3,B,* 0 (cost 0)
# ---------------------------------------------------------------------------
P1 = {
    "products.csv": """product,family,mode,min_lot,max_lot,lot_multiple
A,F,batch,10,20,5
B,F,mass,2,8,2
C,,one-off,1,,1
""",
    "routings.csv": """product,step,machine,time_per_unit,fixed_time
A,1,M1,1,2
A,1,M2,2,0
A,2,M3,0.5,0
B,1,M1,0.5,0
B,2,M3,0.25,1
C,1,M2,2,1
""",
    "machines.csv": """machine,initial_state
M1,F
M3,B
M4,
""",
    "setups.csv": """machine,from,to,time,cost
*,*,*,3,10
*,F,F,1,2
M1,*,A,4,5
*,A,A,2,1
M3,B,*,0,0
""",
    "orders.csv": """order_id,product,quantity,due,release,weight,deadline
o1,A,12,30,0,1,
o2,A,5,40,5,2,
o3,B,8,50,0,1,28
o4,C,2,20,3,1,
o5,C,1,100,0,1,
""",
}

# Lots: L1 = A o1:12;o2:3 (15 units: 17 on M1, 8 on M3)
#       L2 = A o2:2;STOCK:8 (10: min_lot forces the surplus; 20 on M2, 5 on M3)
#       L3 = B o3:8 mass (4 on M1, 3 on M3)
#       L4 = C o4:2 one-off (5 on M2), L5 = C o5:1 one-off (3 on M2)
# M1: initial F -> A: R3 (machine named beats R2's family match): setup 4 [1,5);
#     L1 [5,22) (release of o2 = 5); A -> B: R2, setup 1 [22,23); L3 [23,27).
# M2: no initial state, L4 [3,10) (release 3, 7 >= 5); C -> C same product, no
#     exact pair: no setup; L5 [10,13); C -> A: only R1 matches, setup 3 [13,16);
#     L2 [16,36) (length 20).
# M3: initial B -> B: same product, no exact pair (R5's "to" is *): no setup;
#     L3 step 2 [24,28): mass, start 24 >= 23 + 0.5 and end 28 >= 27 + 0.25;
#     B -> A: R5 (machine M3 named) 0: no setup; L1 step 2 [29,37) (>= 22);
#     A -> A: exact pair R4, setup 2 [37,39); L2 step 2 [39,44) (>= 36).
# Setup rows: 4, total time 4 + 1 + 3 + 2 = 10; cost 5 + 2 + 10 + 1 = 18.
# Completions: o1 37 (due 30: 7 late), o2 max(37, 44) = 44 (due 40: 4 late,
# weight 2), o3 28 (deadline 28 met), o4 10, o5 13.
# Tardiness 11, weighted 7 + 2 * 4 = 15, 2 late of 5: on-time rate 0.6;
# makespan 44.
P1_SCHEDULE = """machine,kind,lot,product,mode,step,quantity,orders,start,end
M1,setup,L1,A,,,,,1,5
M1,run,L1,A,batch,1,15,o1:12;o2:3,5,22
M1,setup,L3,B,,,,,22,23
M1,run,L3,B,mass,1,8,o3:8,23,27
M2,run,L4,C,one-off,1,2,o4:2,3,10
M2,run,L5,C,one-off,1,1,o5:1,10,13
M2,setup,L2,A,,,,,13,16
M2,run,L2,A,batch,1,10,o2:2;STOCK:8,16,36
M3,run,L3,B,mass,2,8,o3:8,24,28
M3,run,L1,A,batch,2,15,o1:12;o2:3,29,37
M3,setup,L2,A,,,,,37,39
M3,run,L2,A,batch,2,10,o2:2;STOCK:8,39,44
"""
P1_REPORT = """order_id,product,quantity,due,completion,tardiness,lots
o1,A,12,30,37,7,L1
o2,A,5,40,44,4,L1;L2
o3,B,8,50,28,0,L3
o4,C,2,20,10,0,L4
o5,C,1,100,13,0,L5
"""
P1_KPIS = {
    "status": "feasible", "objective": 15, "bound": 12, "makespan": 44,
    "total_setup_time": 10, "setup_count": 4, "total_setup_cost": 18,
    "total_tardiness": 11, "weighted_tardiness": 15, "late_orders": 2, "on_time_rate": 0.6,
    "solve_seconds": 0.25, "utilization": {"M1": 0.5, "M2": 0.75, "M3": 0.4, "M4": 0.0},
    "time_zero": "0",
}

# ---------------------------------------------------------------------------
# Plant 2: date-times; time 0 is the earliest release, 2026-03-02T08:00, and
# the unit is one minute (below, "t" = minutes after 08:00).
#
# Products: X auto (family FX, min_lot 5), Y mass.
# Routings: X step 1 on K1|K2 (2/unit), X step 2 on K2 (1/unit + 5),
#           Y step 1 on K1 (3/unit),    Y step 2 on K2 (1/unit).
# Machines: K1 starts set up for product Y, K2 for family FX.
# Setups: K1,*,* 10 (cost 1); *,Y,Y 7 (cost 2); *,FX,* 4 (cost 3); K2,*,FX 6 (cost 4).
# Calendar: K1 down 08:30-09:00 (t 30-60); every machine down 12:00-13:00 (t 240-300).
# ---------------------------------------------------------------------------
P2 = {
    "products.csv": """product,family,mode,min_lot,max_lot,lot_multiple
X,FX,auto,5,,1
Y,,mass,1,,1
""",
    "routings.csv": """product,step,machine,time_per_unit,fixed_time
X,1,K1|K2,2,0
X,2,K2,1,5
Y,1,K1,3,0
Y,2,K2,1,0
""",
    "machines.csv": """machine,initial_state
K1,Y
K2,FX
""",
    "setups.csv": """machine,from,to,time,cost
K1,*,*,10,1
*,Y,Y,7,2
*,FX,*,4,3
K2,*,FX,6,4
""",
    "calendar.csv": """machine,start,end
K1,2026-03-02T08:30,2026-03-02T09:00
*,2026-03-02T12:00,2026-03-02T13:00
""",
    "orders.csv": """order_id,product,quantity,due,release,deadline
p1,X,4,2026-03-02T10:00,2026-03-02T08:00,
p2,Y,6,2026-03-02T12:00,2026-03-02T08:00,2026-03-02T11:00
p3,X,6,2026-03-02T09:30,2026-03-02T09:00,
""",
}

# Lots: Q1 = Y p2:6 mass (18 on K1, 6 on K2);
#       R1 = X p1:4;STOCK:1 batch (min_lot 5 forces 1 surplus; 10 and 10);
#       R2 = X p3:6 batch (12 on K1, 11 on K2). Auto X: both lots batch.
# K1: initial Y -> Y: same product, but the exact pair *,Y,Y names it: setup 7
#     t [0,7); Q1 [7,25) (before the downtime t [30,60)); Y -> X: K1,*,* 10,
#     setup t [60,70) right after the downtime; R2 step 1 t [70,82) (release 60).
# K2: initial FX -> Y: *,FX,* 4, setup t [16,20); Q1 step 2 t [20,26): start
#     20 >= 7 + 3, end 26 >= 25 + 1; Y -> X: K2,*,FX (to family) 6, setup
#     t [26,32); R1 step 1 t [32,44) (12 >= 10, slack); X -> X: no setup;
#     R1 step 2 t [44,55) (11 >= 10); R2 step 2 t [82,93) (>= 82).
# Down rows: K1 t [30,60) and [240,300); K2 t [240,300).
# Setups: 4 rows, 7 + 10 + 4 + 6 = 27 minutes; cost 2 + 1 + 3 + 4 = 10.
# Completions: p1 t 55 (08:55, due 10:00), p2 t 26 (08:26, deadline 11:00 met),
# p3 t 93 (09:33, due 09:30: 3 late). Makespan 93; 1 late of 3.
P2_SCHEDULE = """machine,kind,lot,product,mode,step,quantity,orders,start,end
K1,setup,Q1,Y,,,,,2026-03-02T08:00,2026-03-02T08:07
K1,run,Q1,Y,mass,1,6,p2:6,2026-03-02T08:07,2026-03-02T08:25
K1,down,,,,,,,2026-03-02T08:30,2026-03-02T09:00
K1,setup,R2,X,,,,,2026-03-02T09:00,2026-03-02T09:10
K1,run,R2,X,batch,1,6,p3:6,2026-03-02T09:10,2026-03-02T09:22
K1,down,,,,,,,2026-03-02T12:00,2026-03-02T13:00
K2,setup,Q1,Y,,,,,2026-03-02T08:16,2026-03-02T08:20
K2,run,Q1,Y,mass,2,6,p2:6,2026-03-02T08:20,2026-03-02T08:26
K2,setup,R1,X,,,,,2026-03-02T08:26,2026-03-02T08:32
K2,run,R1,X,batch,1,5,p1:4;STOCK:1,2026-03-02T08:32,2026-03-02T08:44
K2,run,R1,X,batch,2,5,p1:4;STOCK:1,2026-03-02T08:44,2026-03-02T08:55
K2,run,R2,X,batch,2,6,p3:6,2026-03-02T09:22,2026-03-02T09:33
K2,down,,,,,,,2026-03-02T12:00,2026-03-02T13:00
"""
P2_REPORT = """order_id,product,quantity,due,completion,tardiness,lots
p1,X,4,2026-03-02T10:00,2026-03-02T08:55,0,R1
p2,Y,6,2026-03-02T12:00,2026-03-02T08:26,0,Q1
p3,X,6,2026-03-02T09:30,2026-03-02T09:33,3,R2
"""
P2_KPIS = {
    "status": "optimal", "objective": 3, "bound": 3, "makespan": 93,
    "total_setup_time": 27, "setup_count": 4, "total_setup_cost": 10,
    "total_tardiness": 3, "weighted_tardiness": 3, "late_orders": 1,
    "on_time_rate": 2 / 3, "solve_seconds": 1.5, "utilization": {"K1": 0.32, "K2": 0.43},
    "time_zero": "2026-03-02T08:00",
}


def write_plant(folder: Path, files: dict[str, str]) -> Plant:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_plant(folder)


@pytest.fixture
def plant1(tmp_path: Path) -> Plant:
    return write_plant(tmp_path / "p1", P1)


@pytest.fixture
def plant2(tmp_path: Path) -> Plant:
    return write_plant(tmp_path / "p2", P2)


def texts_of(schedule: str, report: str, kpis: dict[str, object]) -> dict[str, str]:
    return {"schedule.csv": schedule, "orders_report.csv": report,
            "kpis.json": json.dumps(kpis, indent=2)}


def replace(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur exactly ``count`` times) so a mutation cannot miss."""
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times, not {count}"
    return text.replace(old, new)


def rules(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


# ---------------------------------------------------------------------------
# The valid schedules
# ---------------------------------------------------------------------------

def test_plant1_schedule_is_valid(plant1: Plant) -> None:
    found = validate_texts(plant1, P1_SCHEDULE, P1_REPORT, json.dumps(P1_KPIS))
    assert found == [], format_report(found)


def test_plant2_schedule_is_valid(plant2: Plant) -> None:
    found = validate_texts(plant2, P2_SCHEDULE, P2_REPORT, json.dumps(P2_KPIS))
    assert found == [], format_report(found)


def test_validate_dir_reads_the_files_and_reports_missing_ones(plant1: Plant,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, text in texts_of(P1_SCHEDULE, P1_REPORT, P1_KPIS).items():
        (out / name).write_text(text, encoding="utf-8")
    assert validate_dir(plant1, out) == []
    (out / "kpis.json").unlink()
    found = validate_dir(plant1, out)
    assert [(v.rule, v.file, v.line) for v in found] == [("format", "kpis.json", None)]
    (out / "schedule.csv").write_text(replace(P1_SCHEDULE, "o3:8,24,28", "o3:8,25,29"),
                                      encoding="utf-8")
    assert rules(validate_dir(plant1, out)) == {"format", "8 deadline", "9 report"}


# ---------------------------------------------------------------------------
# Mutations of schedule.csv, checked alone (the reports would also disagree)
# ---------------------------------------------------------------------------

L4_ROW = "M2,run,L4,C,one-off,1,2,o4:2,3,10\n"
L5_ROW = "M2,run,L5,C,one-off,1,1,o5:1,10,13\n"

P1_SCHEDULE_MUTATIONS = [
    # (id, (old, new, count) edits, rules reported)
    ("shorten a run below its duration",  # L1 needs 17 on M1
     [("o1:12;o2:3,5,22", "o1:12;o2:3,5,21", 1)], {"2 duration"}),
    ("run on an ineligible machine",  # C runs only on M2; M4 is a known machine
     [(L4_ROW, "", 1), ("39,44\n", "39,44\nM4,run,L4,C,one-off,1,2,o4:2,3,10\n", 1)],
     {"2 eligibility"}),
    ("step missing from the routing",
     [("M2,run,L4,C,one-off,1,", "M2,run,L4,C,one-off,2,", 1)], {"2 eligibility",
                                                               "1 quantities",
                                                               "5 precedence"}),
    ("two runs overlap",  # L1 step 2 moved to [27,35) over L3 step 2 [24,28)
     [("o1:12;o2:3,29,37", "o1:12;o2:3,27,35", 1)], {"3 overlap"}),
    ("setup row dropped",  # A -> B on M1 needs R2's 1
     [("M1,setup,L3,B,,,,,22,23\n", "", 1)], {"4 setup"}),
    ("setup shortened",  # C -> A on M2 needs R1's 3
     [("M2,setup,L2,A,,,,,13,16", "M2,setup,L2,A,,,,,14,16", 1)], {"4 setup"}),
    ("setup from the initial family dropped",  # F -> A on M1 needs R3's 4
     [("M1,setup,L1,A,,,,,1,5\n", "", 1)], {"4 setup"}),
    ("setup names the wrong product",
     [("M1,setup,L3,B", "M1,setup,L3,A", 1)], {"4 setup"}),
    ("setup followed by no run",
     [("39,44\n", "39,44\nM3,setup,L9,A,,,,,50,52\n", 1)], {"4 setup"}),
    ("step order swapped",  # step 1 on M3 and step 2 on M1: ineligible, and 2 before 1
     [("M1,run,L1,A,batch,1", "M1,run,L1,A,batch,2", 1),
      ("M3,run,L1,A,batch,2", "M3,run,L1,A,batch,1", 1)],
     {"2 eligibility", "5 precedence"}),
    ("run shorter than its rounded-up duration",  # L1 step 2: ceil(15 * 0.5) = 8, not 7
     [("o1:12;o2:3,29,37", "o1:12;o2:3,29,36", 1)], {"2 duration"}),
    ("run too short on the slower alternative",  # L2 needs 20 on M2 (only 12 on M1)
     [("o2:2;STOCK:8,16,36", "o2:2;STOCK:8,16,35", 1)], {"2 duration"}),
    ("batch step starts before the previous step ends",  # L2 step 1 to [20,40), step 2 at 39
     [("o2:2;STOCK:8,16,36", "o2:2;STOCK:8,20,40", 1)], {"5 precedence"}),
    ("a lot's step missing",
     [("M3,run,L3,B,mass,2,8,o3:8,24,28\n", "", 1)], {"1 quantities", "5 precedence"}),
    ("a step done twice",  # a second L5 run [40,43) on M2 after L2 (and an A -> C setup)
     [("o2:2;STOCK:8,16,36\n", "o2:2;STOCK:8,16,36\nM2,setup,L5,C,,,,,36,39\n"
       "M2,run,L5,C,one-off,1,1,o5:1,40,43\n", 1)],
     {"1 quantities", "5 precedence"}),
    ("mass streaming: step 2 ends too early",  # end 27 < 27 + 0.25
     [("o3:8,24,28", "o3:8,24,27", 1)], {"5 precedence"}),
    ("mass streaming: step 2 starts too early",  # start 23 < 23 + 0.5
     [("o3:8,24,28", "o3:8,23,28", 1)], {"5 precedence"}),
    ("allocations differ between steps",
     [("o1:12;o2:3,29,37", "o1:13;o2:2,29,37", 1)], {"1 quantities", "5 precedence"}),
    ("start before release",  # o4 is released at 3
     [("o4:2,3,10", "o4:2,2,9", 1)], {"6 release"}),
    ("deadline missed",  # o3 completes at 29 > 28
     [("o3:8,24,28", "o3:8,25,29", 1)], {"8 deadline"}),
    ("batch lot below min_lot",
     [("10,o2:2;STOCK:8", "5,o2:2;STOCK:3", 2)], {"7 lot size"}),
    ("one-off lot with two orders",  # L4 takes o5 too (3 units need 7 on M2)
     [(L5_ROW, "", 1), ("one-off,1,2,o4:2,3,10", "one-off,1,3,o4:2;o5:1,3,10", 1)],
     {"7 lot size"}),
    ("one-off lot with part of an order",
     [("one-off,1,2,o4:2", "one-off,1,1,o4:1", 1)], {"1 quantities", "7 lot size"}),
    ("one-off lot with STOCK",
     [("one-off,1,2,o4:2", "one-off,1,3,o4:2;STOCK:1", 1)], {"7 lot size"}),
    ("mode differs from the product's",  # A is batch; as mass the streaming rules hold
     [("A,batch,1,15", "A,mass,1,15", 1), ("A,batch,2,15", "A,mass,2,15", 1)],
     {"7 lot size"}),
    ("quantities do not add up to the order",  # o2 gets 3 + 1
     [("o2:2;STOCK:8", "o2:1;STOCK:9", 2)], {"1 quantities"}),
    ("allocation to another product's order",
     [("o3:8,23,27", "o1:8,23,27", 1)], {"1 quantities", "5 precedence"}),
    ("allocations do not add up to the row's quantity",
     [("o1:12;o2:3,5,22", "o1:12;o2:2,5,22", 1)], {"format", "1 quantities", "5 precedence"}),
    ("unknown order",
     [("o4:2,3,10", "o9:2,3,10", 1)], {"format", "1 quantities"}),
    ("STOCK with zero units",  # the row is not read: o2 short, L2 lacks step 1, setup idle
     [("o2:2;STOCK:8,16", "o2:2;STOCK:0,16", 1)],
     {"format", "1 quantities", "4 setup", "5 precedence"}),
    ("unknown machine",  # M3's setup [37,39) is then followed by no run
     [("M3,run,L2", "M9,run,L2", 1)], {"format", "4 setup"}),
    ("bad header",
     [("mode,step,quantity,orders", "mode,step,qty,orders", 1)], {"format"}),
    ("rows not sorted by start",
     [("M1,setup,L1,A,,,,,1,5\nM1,run,L1,A,batch,1,15,o1:12;o2:3,5,22\n",
       "M1,run,L1,A,batch,1,15,o1:12;o2:3,5,22\nM1,setup,L1,A,,,,,1,5\n", 1)], {"format"}),
    ("rows not sorted by machine",
     [(L4_ROW, "", 1), ("M1,setup,L1", L4_ROW + "M1,setup,L1", 1)], {"format"}),
    ("unknown kind",  # the row is not read, so the setup is missing
     [("M1,setup,L3", "M1,changeover,L3", 1)], {"format", "4 setup"}),
    ("unknown mode",
     [("L4,C,one-off", "L4,C,single", 1)], {"format", "1 quantities"}),
    ("fractional time",
     [("o4:2,3,10", "o4:2,3.5,10", 1)], {"format"}),
    ("end before start",
     [("o5:1,10,13", "o5:1,13,10", 1)], {"format", "1 quantities"}),
    ("wrong cell count",
     [("M1,setup,L3,B,,,,,22,23", "M1,setup,L3,B,,,,22,23", 1)], {"format", "4 setup"}),
    # Harmless changes: nothing to report.
    ("allocations in another order", [("o1:12;o2:3,29,37", "o2:3;o1:12,29,37", 1)], set()),
    ("longer run than needed",  # L4 [3,10) is 7, needs 5; [3,9) is still enough
     [("o4:2,3,10", "o4:2,3,9", 1)], set()),
    ("setup split in two rows",
     [("M1,setup,L1,A,,,,,1,5\n", "M1,setup,L1,A,,,,,0,2\nM1,setup,L1,A,,,,,3,5\n", 1)],
     set()),
    ("BOM and blank line", [("machine,kind", "\ufeffmachine,kind", 1), ("M2,run,L4", "\nM2,run,L4",
                                                                        1)], set()),
]


@pytest.mark.parametrize(("edits", "expected"),
                         [pytest.param(e, x, id=i) for i, e, x in P1_SCHEDULE_MUTATIONS])
def test_plant1_schedule_mutation(plant1: Plant, edits: list[tuple[str, str, int]],
                                  expected: set[str]) -> None:
    text = P1_SCHEDULE
    for old, new, count in edits:
        text = replace(text, old, new, count)
    found = validate_texts(plant1, text)
    assert rules(found) == expected, format_report(found)
    assert all(v.file == "schedule.csv" for v in found)


def test_columns_in_another_order_are_read_by_name(plant1: Plant) -> None:
    lines = [line.split(",") for line in P1_SCHEDULE.splitlines()]
    swapped = "\n".join(",".join([cells[1], cells[0], *cells[2:]]) for cells in lines) + "\n"
    found = validate_texts(plant1, swapped)
    assert [(v.rule, v.line) for v in found] == [("format", 1)], format_report(found)
    dropped = validate_texts(plant1, replace(swapped, "run,M1,L1", "run,M1,L7"))
    assert "5 precedence" in rules(dropped)  # the rows are really checked


def plant1_with(tmp_path: Path, old: str, new: str) -> Plant:
    files = dict(P1)
    files["products.csv"] = replace(files["products.csv"], old, new)
    return write_plant(tmp_path / "p1x", files)


@pytest.mark.parametrize(("old", "new"), [
    pytest.param("A,F,batch,10,20,5", "A,F,batch,10,12,5", id="batch lot above max_lot"),
    pytest.param("B,F,mass,2,8,2", "B,F,mass,2,8,3", id="mass lot not a lot_multiple"),
    pytest.param("A,F,batch,10,20,5", "A,F,batch,10,20,3", id="STOCK surplus not forced"),
])
def test_plant1_lot_rules_from_the_plant(tmp_path: Path, old: str, new: str) -> None:
    found = validate_texts(plant1_with(tmp_path, old, new), P1_SCHEDULE)
    assert rules(found) == {"7 lot size"}, format_report(found)


def test_violations_name_the_line_and_numbers(plant1: Plant) -> None:
    text = replace(P1_SCHEDULE, "o1:12;o2:3,5,22", "o1:12;o2:3,5,21")
    [v] = validate_texts(plant1, text)
    assert (v.rule, v.file, v.line) == ("2 duration", "schedule.csv", 3)
    assert "L1" in v.message and "16" in v.message and "17" in v.message
    assert str(v).startswith("schedule.csv:3: [2 duration] ")


# ---------------------------------------------------------------------------
# Mutations of the reports (all three files checked)
# ---------------------------------------------------------------------------

P1_REPORT_MUTATIONS = [
    ("orders_report.csv", "o1,A,12,30,37,7,L1", "o1,A,12,30,37,6,L1", {"9 report"}),
    ("orders_report.csv", "o2,A,5,40,44,4", "o2,A,5,40,43,4", {"9 report"}),
    ("orders_report.csv", "o1,A,12,30", "o1,B,12,30", {"9 report"}),
    ("orders_report.csv", "o1,A,12,30", "o1,A,13,30", {"9 report"}),
    ("orders_report.csv", "o1,A,12,30", "o1,A,12,31", {"9 report"}),
    ("orders_report.csv", "L1;L2", "L2", {"9 report"}),
    ("orders_report.csv", "o5,C,1,100,13,0,L5\n", "", {"9 report"}),
    ("orders_report.csv", "o5,C,1,100,13,0,L5\n", "o5,C,1,100,13,0,L5\nSTOCK,A,8,,,0,L2\n",
     {"9 report"}),
    ("orders_report.csv", "o5,C,1,100,13,0,L5\n", "o5,C,1,100,13,0,L5\no5,C,1,100,13,0,L5\n",
     {"9 report"}),
    ("orders_report.csv", "completion,tardiness", "done,tardiness", {"format"}),
    ("kpis.json", '"makespan": 44', '"makespan": 43', {"9 report"}),
    ("kpis.json", '"setup_count": 4', '"setup_count": 3', {"9 report"}),
    ("kpis.json", '"total_setup_time": 10', '"total_setup_time": 9', {"9 report"}),
    ("kpis.json", '"total_setup_cost": 18', '"total_setup_cost": 17', {"9 report"}),
    ("kpis.json", '"total_tardiness": 11', '"total_tardiness": 12', {"9 report"}),
    ("kpis.json", '"weighted_tardiness": 15', '"weighted_tardiness": 11', {"9 report"}),
    ("kpis.json", '"late_orders": 2', '"late_orders": 1', {"9 report"}),
    ("kpis.json", '"on_time_rate": 0.6', '"on_time_rate": 0.8', {"9 report"}),
    ("kpis.json", '"status": "feasible"', '"status": "done"', {"9 report"}),
    ("kpis.json", '"bound": 12', '"bound": 16', {"9 report"}),
    ("kpis.json", '"solve_seconds": 0.25', '"solve_seconds": "fast"', {"9 report"}),
    ("kpis.json", '"M4": 0.0', '"M5": 0.0', {"9 report"}),
    ("kpis.json", '"time_zero": "0"', '"time_zero": "-2"', {"9 report"}),  # makespan 46
    ("kpis.json", '"time_zero": "0"', '"time_zero": "soon"', {"format"}),
    ("kpis.json", '"status": "feasible",', "", {"9 report"}),
    ("kpis.json", '{\n  "status"', '[\n  "status"', {"format"}),
    # Harmless: objective and bound may be null; time_zero may be absent.
    ("kpis.json", '"bound": 12', '"bound": null', set()),
    ("kpis.json", ',\n  "time_zero": "0"', "", set()),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), P1_REPORT_MUTATIONS,
                         ids=[f"{f}:{o}->{n}" for f, o, n, _ in P1_REPORT_MUTATIONS])
def test_plant1_report_mutation(plant1: Plant, file: str, old: str, new: str,
                                expected: set[str]) -> None:
    texts = texts_of(P1_SCHEDULE, P1_REPORT, P1_KPIS)
    texts[file] = replace(texts[file], old, new)
    found = validate_texts(plant1, texts["schedule.csv"], texts["orders_report.csv"],
                           texts["kpis.json"])
    assert rules(found) == expected, format_report(found)
    assert all(v.file == file for v in found)


# ---------------------------------------------------------------------------
# Plant 2 (date-times, calendar, auto mode, STOCK)
# ---------------------------------------------------------------------------

T = "2026-03-02T"
P2_MUTATIONS = [
    ("setup in a downtime without a down row",  # the K1 down row dropped, setup at 08:50
     "schedule.csv",
     [(f"K1,down,,,,,,,{T}08:30,{T}09:00\n", "", 1),
      (f"R2,X,,,,,{T}09:00,{T}09:10", f"R2,X,,,,,{T}08:50,{T}09:00", 1)], {"calendar"}),
    ("setup in a downtime with its down row",
     "schedule.csv",
     [(f"R2,X,,,,,{T}09:00,{T}09:10", f"R2,X,,,,,{T}08:50,{T}09:00", 1)],
     {"calendar", "3 overlap"}),
    ("run in the all-machines downtime",  # K2 down row dropped, R2 step 2 at 11:55
     "schedule.csv",
     [(f"K2,down,,,,,,,{T}12:00,{T}13:00\n", "", 1),
      (f"p3:6,{T}09:22,{T}09:33", f"p3:6,{T}11:55,{T}12:06", 1)], {"calendar"}),
    ("down row outside the calendar",
     "schedule.csv", [(f"{T}08:30,{T}09:00", f"{T}08:25,{T}09:00", 1)], {"calendar"}),
    ("down row running past the calendar",
     "schedule.csv", [(f"K2,down,,,,,,,{T}12:00,{T}13:00", f"K2,down,,,,,,,{T}12:00,{T}13:30", 1)],
     {"calendar"}),
    ("number in a date-time schedule",
     "schedule.csv", [(f"K1,down,,,,,,,{T}12:00", "K1,down,,,,,,,240", 1)], {"format"}),
    ("time not on a whole minute",  # the K2 setup is then 3.5 minutes, not 4
     "schedule.csv", [(f"Q1,Y,,,,,{T}08:16,", f"Q1,Y,,,,,{T}08:16:30,", 1)],
     {"format", "4 setup"}),
    ("same-product setup from the initial product dropped",  # *,Y,Y names the pair
     "schedule.csv", [(f"K1,setup,Q1,Y,,,,,{T}08:00,{T}08:07\n", "", 1)], {"4 setup"}),
    ("setup from the initial family shortened",
     "schedule.csv", [(f"{T}08:16,{T}08:20", f"{T}08:17,{T}08:20", 1)], {"4 setup"}),
    ("auto product made in two modes",  # R2 as mass: streaming holds, modes differ
     "schedule.csv", [("R2,X,batch", "R2,X,mass", 2)], {"7 lot size"}),
    ("STOCK surplus not forced",  # 4 ordered need a lot of 5, not 6 (durations still fit)
     "schedule.csv", [("5,p1:4;STOCK:1", "6,p1:4;STOCK:2", 2)], {"7 lot size"}),
    ("lot of STOCK only",
     "schedule.csv", [("5,p1:4;STOCK:1", "5,STOCK:5", 2)], {"1 quantities", "7 lot size"}),
    ("release missed",  # p3 is released at 09:00
     "schedule.csv", [(f"{T}09:00,{T}09:10", f"{T}08:48,{T}08:58", 1),
                      (f"p3:6,{T}09:10,{T}09:22", f"p3:6,{T}08:58,{T}09:10", 1),
                      (f"K1,down,,,,,,,{T}08:30,{T}09:00\n", "", 1)],
     {"calendar", "6 release"}),
    ("report completion wrong",
     "orders_report.csv", [(f"{T}09:33,3", f"{T}09:34,3", 1)], {"9 report"}),
    ("report tardiness wrong",
     "orders_report.csv", [(f"{T}09:33,3", f"{T}09:33,4", 1)], {"9 report"}),
    ("report due as a number",
     "orders_report.csv", [(f"p3,X,6,{T}09:30", "p3,X,6,90", 1)], {"9 report"}),
    ("makespan relative to another time zero",  # time 0 at 07:00: 93 + 60
     "kpis.json", [(f'"time_zero": "{T}08:00"', f'"time_zero": "{T}07:00"', 1),
                   ('"makespan": 93', '"makespan": 153', 1)], set()),
    ("makespan not relative to the time zero",
     "kpis.json", [(f'"time_zero": "{T}08:00"', f'"time_zero": "{T}07:00"', 1)],
     {"9 report"}),
    ("on-time rate wrong", "kpis.json", [('"late_orders": 1', '"late_orders": 0', 1)],
     {"9 report"}),
]


@pytest.mark.parametrize(("file", "edits", "expected"),
                         [pytest.param(f, e, x, id=i) for i, f, e, x in P2_MUTATIONS])
def test_plant2_mutation(plant2: Plant, file: str, edits: list[tuple[str, str, int]],
                         expected: set[str]) -> None:
    texts = texts_of(P2_SCHEDULE, P2_REPORT, P2_KPIS)
    for old, new, count in edits:
        texts[file] = replace(texts[file], old, new, count)
    if file == "schedule.csv":
        found = validate_texts(plant2, texts[file])
    else:
        found = validate_texts(plant2, texts["schedule.csv"], texts["orders_report.csv"],
                               texts["kpis.json"])
    assert rules(found) == expected, format_report(found)


# ---------------------------------------------------------------------------
# The setup specificity order, through the validator's own lookup
# ---------------------------------------------------------------------------

def table_plant() -> Plant:
    """Products a, b, e in family F, c in its own family, d in family G.

    Every rule has its own time so that the test sees which rule was chosen.
    """
    products = {name: Product(name, family) for name, family in
                (("a", "F"), ("b", "F"), ("e", "F"), ("c", "c"), ("d", "G"))}
    step = (Step(1, (RoutingOption("m0", Fraction(1)),)),)
    machines = {"m0": Machine("m0"), "m1": Machine("m1"), "ma": Machine("ma", "a"),
                "mF": Machine("mF", "F"), "mc": Machine("mc", "c")}
    rules: list[tuple[str, str, str, Fraction | int]] = [
        ("*", "*", "*", 1), ("*", "F", "*", 2), ("*", "a", "*", 3), ("*", "*", "F", 4),
        ("*", "*", "b", 5), ("*", "F", "F", 6), ("*", "a", "b", 7), ("m1", "*", "*", 8),
        ("m1", "F", "*", 9), ("*", "a", "a", 11), ("*", "G", "c", 13),
        ("mc", "c", "c", Fraction(29, 2))]
    return Plant(orders=(), products=products, routings={p: step for p in products},
                 machines=machines,
                 setup_rules=tuple(SetupRule(m, f, t, Fraction(x), Fraction(x * 10))
                                   for m, f, t, x in rules))


@pytest.mark.parametrize(("machine", "before", "after", "time"), [
    pytest.param("m0", "c", "d", 1, id="only * matches"),
    pytest.param("m0", "b", "c", 2, id="from family beats *"),
    pytest.param("m0", "a", "c", 3, id="from product beats family"),
    pytest.param("m0", "c", "a", 4, id="to family beats *"),
    pytest.param("m0", "c", "b", 5, id="to product beats family"),
    pytest.param("m0", "e", "b", 6, id="from family+to family beats to product (from first)"),
    pytest.param("m0", "a", "b", 7, id="exact pair"),
    pytest.param("m1", "c", "d", 8, id="machine named beats *"),
    pytest.param("m1", "a", "b", 9, id="machine named beats an exact pair on *"),
    pytest.param("m0", "a", "a", 11, id="same product with an exact-pair row"),
    pytest.param("m1", "a", "a", 11, id="same product ignores machine wildcard rows"),
    pytest.param("m0", "b", "b", None, id="same product without an exact-pair row"),
    pytest.param("m0", "d", "c", 13, id="from family G to product c"),
    pytest.param("m0", "F", "c", 2, id="a family state matches from-family rows"),
    pytest.param("m0", "F", "a", 6, id="a family state to a product of it is no same product"),
    pytest.param("m0", None, "a", None, id="nothing before"),
])
def test_setup_rule_specificity(machine: str, before: str | None, after: str,
                                time: int | None) -> None:
    rule = setup_rule(table_plant(), machine, before, after)
    assert (None if rule is None else rule.time) == time


@pytest.mark.parametrize(("machine", "first", "expected"), [
    pytest.param("m0", "a", (0, 0), id="no initial state: no setup"),
    pytest.param("ma", "c", (3, 30), id="initial product a"),
    pytest.param("ma", "a", (11, 110), id="initial product, same product, exact pair"),
    pytest.param("ma", "b", (7, 70), id="initial product a to b"),
    pytest.param("mF", "c", (2, 20), id="initial family F"),
    pytest.param("mF", "b", (6, 60), id="initial family F to its own product"),
    pytest.param("mc", "c", (15, 145), id="time rounded up (14.5 -> 15)"),
])
def test_required_setup_from_the_initial_state(machine: str, first: str,
                                               expected: tuple[int, int]) -> None:
    assert required_setup(table_plant(), machine, None, first) == expected


def test_no_matching_row_means_no_setup() -> None:
    plant = table_plant()
    only = Plant(orders=(), products=plant.products, routings=plant.routings,
                 machines=plant.machines,
                 setup_rules=(SetupRule("*", "a", "b", Fraction(5)),))
    assert required_setup(only, "m0", "c", "d") == (0, 0)
    assert required_setup(only, "m0", "a", "b") == (5, 0)
    assert required_setup(only, "m0", "b", "a") == (0, 0)


def test_format_report() -> None:
    assert format_report([]) == "valid: no violations found"
    found = [Violation("4 setup", "too short", "schedule.csv", 12),
             Violation("9 report", "makespan", "kpis.json", None),
             Violation("4 setup", "missing", "schedule.csv", 14)]
    assert format_report(found).splitlines() == [
        "schedule.csv:12: [4 setup] too short",
        "kpis.json: [9 report] makespan",
        "schedule.csv:14: [4 setup] missing",
        "3 violations: 2 [4 setup], 1 [9 report]",
    ]


def test_per_product_figures_in_kpis_json_are_checked(tmp_path: Path) -> None:
    from prodsched import solve
    from tests.modes_plants import three_products

    plant = write_plant(tmp_path / "three", three_products())
    files = solve(plant, time_limit=3, workers=1).render()
    kpis = json.loads(files["kpis.json"])
    assert set(kpis["products"]) == {"DRINK", "CUSTOM", "MIDDLE"}
    assert validate_texts(plant, files["schedule.csv"], files["orders_report.csv"],
                          files["kpis.json"]) == []
    kpis["products"]["DRINK"]["machine_cost"] += 1
    kpis["products"]["CUSTOM"]["mean_wip"] *= 1.01
    kpis["products"]["GHOST"] = {}
    del kpis["products"]["MIDDLE"]
    kpis["products_horizon"] = 1
    found = [v.message for v in validate_texts(plant, files["schedule.csv"],
                                               files["orders_report.csv"], json.dumps(kpis))]
    assert len(found) == 5, found
    assert any(m.startswith("products[DRINK].machine_cost is ") for m in found)
    assert any(m.startswith("products[CUSTOM].mean_wip is ") for m in found)
    assert "products lists 'GHOST', which schedule.csv does not make" in found
    assert "products has no figures for MIDDLE, which schedule.csv makes" in found
    assert any(m.startswith("products_horizon is 1; ") for m in found)
