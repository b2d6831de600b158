"""The lot-sizing model: optima against independent references, a timed
schedule the validator accepts, and plan.csv."""

from __future__ import annotations

import csv
import io
import math
import random
from functools import cache
from pathlib import Path

import pytest

from prodsched import load_plant
from prodsched.cpsat_runner import SolverSettings
from prodsched.errors import UsageError
from prodsched.formats.psp import read_psp
from prodsched.formats.trigeiro import read_trigeiro
from prodsched.lotsizing.solve import solve_lotsizing
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest
from tests.conftest import SHARED_BENCHMARKS, assert_valid


def solve(plant, objective="setup-cost,holding-cost", bucket=None, time_limit=30):
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           settings=SolverSettings(workers=2))
    schedule = solve_lotsizing(plant, request, bucket_length=bucket or plant.bucket_length)
    assert_valid(schedule)
    return schedule


def psp_file(tmp_path: Path, periods: int, demand: list[list[int]], h: int,
             q: list[list[int]]) -> Path:
    lines = [str(periods), str(len(demand))]
    lines += [" ".join(map(str, row)) for row in demand] + [str(h)]
    lines += [" ".join(map(str, row)) for row in q] + ["0"]
    path = tmp_path / "instance.psp"
    path.write_text("\n".join(lines) + "\n")
    return path


def psp_by_enumeration(periods: int, demand: list[list[int]], h: int, q: list[list[int]]
                       ) -> int:
    """Every production sequence, by dynamic programming over periods."""
    dues = [[p for p, f in enumerate(row, start=1) if f] for row in demand]
    n = len(demand)

    @cache
    def best(t: int, last: int, made: tuple[int, ...]) -> float:
        if t > periods:
            return 0 if all(made[i] == len(dues[i]) for i in range(n)) else math.inf
        value = math.inf
        for i in [-1, *range(n)]:
            counts, cost = list(made), 0
            if i >= 0:
                if counts[i] == len(dues[i]) or dues[i][counts[i]] < t:
                    continue
                cost = h * (dues[i][counts[i]] - t) + (q[last][i] if 0 <= last != i else 0)
                counts[i] += 1
            if any(counts[k] < sum(1 for d in dues[k] if d <= t) for k in range(n)):
                continue
            value = min(value, cost + best(t + 1, i if i >= 0 else last, tuple(counts)))
        return value

    return int(best(1, -1, (0,) * n))


@pytest.mark.parametrize("seed", range(5))
def test_small_pigment_instances_match_enumeration(tmp_path, seed):
    rng = random.Random(seed)
    periods, n = 10, 3
    demand = [[0] * periods for _ in range(n)]
    for _ in range(7):
        demand[rng.randrange(n)][rng.randrange(2, periods)] = 1
    q = [[0 if i == j else rng.randint(20, 120) for j in range(n)] for i in range(n)]
    h = rng.choice([5, 10, 20])
    expected = psp_by_enumeration(periods, demand, h, q)
    s = solve(read_psp(psp_file(tmp_path, periods, demand, h, q)))
    assert (s.status, s.info.objective, s.info.bound) == ("optimal", expected, expected)


def needs_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared benchmark folder is not here)")
    return path


def _psp_text(path: Path) -> tuple[int, list[list[int]], int, list[list[int]], str]:
    """A PSP file read here, apart from :mod:`prodsched.formats.psp`: periods, demand,
    h, the leading N × N changeover block, and the published value."""
    rows = [line.split() for line in path.read_text().splitlines() if line.split()]
    periods, n = int(rows[0][0]), int(rows[1][0])
    demand = [[int(v) for v in row] for row in rows[2:2 + n]]
    q = [[int(v) for v in row[:n]] for row in rows[3 + n:3 + 2 * n]]
    return periods, demand, int(rows[2 + n][0]), q, " ".join(rows[-1])


@pytest.mark.parametrize(("name", "optimum", "published", "solve_it"), [
    ("pigment15a", 1195, "1195", False),   # the enumeration agrees with the published value
    ("pigment15c", 1370, "1141", False),   # the file has 8 items and a 10 × 10 matrix
    ("pigment30c", 1707, "1471", True),
])
def test_published_psp_values_against_enumeration(name, optimum, published, solve_it):
    """Two published pigment optima disagree with their files: enumerating every
    sequence of the file gives more, and the model proves that value."""
    path = needs_shared(SHARED_BENCHMARKS / "lotsizing_psp" / "instances" / f"{name}.psp")
    periods, demand, h, q, value = _psp_text(path)
    assert value == published
    assert psp_by_enumeration(periods, demand, h, q) == optimum
    if solve_it:
        s = solve(read_psp(path), time_limit=60)
        assert (s.status, s.info.objective, s.info.bound) == ("optimal", optimum, optimum)


def test_pigment15d_reaches_its_known_optimum():
    path = needs_shared(SHARED_BENCHMARKS / "lotsizing_psp" / "instances" / "pigment15d.psp")
    s = solve(read_psp(path), time_limit=60)
    assert s.info.objective == 1486
    plan = list(csv.DictReader(io.StringIO(s.render()["plan.csv"])))
    assert sum(int(r["quantity"]) for r in plan) == len(s.plant.orders)


def test_trigeiro_instance_matches_the_mip():
    from prodsched.bench.clsp_mip import solve_clsp_mip

    path = needs_shared(SHARED_BENCHMARKS / "lotsizing_clsp" / "instances" / "trigeiro_X"
                        / "X11117A.dat")
    mip = solve_clsp_mip(path, 60)
    s = solve(read_trigeiro(path), time_limit=60)
    assert mip.optimal and s.status == "optimal"
    assert s.info.objective == pytest.approx(mip.objective)


PLANT = {
    "orders.csv": "order_id,product,quantity,due\n"
                  "a,P,30,480\nb,P,30,960\nc,Q,20,480\nd,Q,40,1440\ne,R,10,960\n",
    "products.csv": "product,family,mode,min_lot,lot_multiple,holding_cost\n"
                    "P,f1,batch,10,10,0.01\nQ,f1,mass,,,0.02\nR,f2,one-off,,,0\n",
    "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                    "P,1,M1|M2,4,20\nP,2,M3,2,\nQ,1,M1,3,10\nQ,2,M3,1,\nR,1,M2,5,\n",
    "setups.csv": "machine,from,to,time,cost\n*,*,*,30,50\n*,f1,f1,10,5\n",
    "calendar.csv": "machine,start,end\n*,400,480\nM1,900,960\n",
}


def test_plant_plan_expands_to_a_valid_schedule_with_plan_csv(make_plant):
    plant = load_plant(make_plant(PLANT))
    s = solve(plant, "weighted-tardiness>setup-cost,holding-cost", bucket=240)
    plan = list(csv.DictReader(io.StringIO(s.render()["plan.csv"])))
    assert plan and list(plan[0]) == ["bucket", "machine", "product", "quantity", "position",
                                      "lot"]
    runs = {r.lot: r for r in s.rows if r.kind == "run" and r.step == 1}
    for row in plan:  # every planned lot runs, where and as big as planned
        run = runs[row["lot"]]
        assert (run.machine, run.product, run.quantity) == (row["machine"], row["product"],
                                                            int(row["quantity"]))
        assert run.start >= int(row["bucket"]) * 240
    assert {r.mode for r in s.rows if r.kind == "run" and r.product == "R"} == {"one-off"}
    assert s.info.model.kind == "lotsizing"


def test_unsupported_objective_is_refused(make_plant):
    plant = load_plant(make_plant(PLANT))
    with pytest.raises(UsageError, match="cannot minimise makespan"):
        solve(plant, "makespan")


def test_the_public_solve_reaches_the_lot_sizing_model(make_plant):
    """``prodsched.solve(plant, model="lotsizing")`` is the route the CLI's --model takes."""
    import prodsched

    plant = load_plant(make_plant(PLANT))
    s = prodsched.solve(plant, objective="weighted-tardiness>setup-cost,holding-cost",
                        time_limit=20, workers=1, model="lotsizing", bucket_length=240)
    assert_valid(s)
    assert s.info.model.kind == "lotsizing"
    assert "plan.csv" in s.render()
    with pytest.raises(UsageError, match="unknown model"):
        prodsched.solve(plant, model="bucket")
    with pytest.raises(UsageError, match="job-shop model only"):
        prodsched.solve(plant, model="lotsizing", relax_deadlines=True)


def test_a_product_entered_only_after_another_inside_a_bucket(make_plant):
    """Both orders are due at the end of the first bucket, so both lots run there: A,
    then B (changeover cost 1), is the optimum; B before A costs 100. B is entered
    from A inside the bucket, never as a bucket's first lot, and the model's entry
    cuts count that too (they once counted only a bucket's first lot, and the model
    then had to run B first)."""
    plant = load_plant(make_plant({
        "orders.csv": "order_id,product,quantity,due\na,A,10,100\nb,B,10,100\n",
        "products.csv": "product,family,mode\nA,A,batch\nB,B,batch\n",
        "routings.csv": "product,step,machine,time_per_unit\nA,1,M,1\nB,1,M,1\n",
        "setups.csv": "machine,from,to,time,cost\nM,A,B,1,1\nM,B,A,1,100\n",
    }))
    s = solve(plant, "weighted-tardiness>setup-cost", bucket=100, time_limit=20)
    assert s.info.objective_values == pytest.approx([0.0, 1.0])
    plan = list(csv.DictReader(io.StringIO(s.render()["plan.csv"])))
    assert [(r["bucket"], r["product"], r["position"]) for r in plan] == [
        ("0", "A", "1"), ("0", "B", "2")]
