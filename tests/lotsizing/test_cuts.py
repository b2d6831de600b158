"""The lot-sizing model's valid inequalities: they cut off no plan (the proved
optimum stays the same) and they tighten the LP relaxation."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from prodsched.formats.psp import read_psp
from prodsched.lotsizing.mip import MipModel, kind_of
from prodsched.plant.load import load_plant
from prodsched.stop import Stop
from tests.lotsizing.test_lotsizing import psp_by_enumeration
from tests.lotsizing.test_window_model import model_of
from tests.lotsizing.test_windows import OBJECTIVE, random_psp


def lp_bound(bm, stages) -> int:  # type: ignore[no-untyped-def]
    """The first stage's optimum over the model's linear constraints with every
    variable continuous (a relaxation: the other constraints are dropped)."""
    relaxed = bm.model.clone()
    for c in relaxed.proto.constraints:
        if kind_of(c) is None:
            c.clear_lin_max()  # `busy` is the largest `made` of a bucket
    mip = MipModel(relaxed)
    for var in mip.vars:
        var.integer = False
    _, bounds = mip.minimise(stages[:1], Stop.make())
    assert bounds is not None
    return bounds[0]


def proved_optimum(bm, stages) -> float:  # type: ignore[no-untyped-def]
    _, expression, scale = stages[0]
    bm.model.minimize(expression)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 60.0
    assert solver.solve(bm.model) == cp_model.OPTIMAL
    return float(solver.objective_value) / scale


@pytest.mark.parametrize("seed", range(3))
def test_deadline_cuts_tighten_the_lp_and_keep_the_optimum(tmp_path, seed):
    """Without the cuts the LP keeps the machine set up for several products at
    once in fractions and makes each of them for free; with them it pays for
    entering a product before its deadlines. The optimum does not move."""
    path, (periods, demand, h, q) = random_psp(tmp_path, seed, 20, 4, 14)
    expected = psp_by_enumeration(periods, demand, h, q)
    plain, _, stages = model_of(read_psp(path), OBJECTIVE)
    cut, _, cut_stages = model_of(read_psp(path), OBJECTIVE)
    cut.add_deadline_cuts()
    assert cut.deadline_cuts and not plain.deadline_cuts
    assert lp_bound(plain, stages) < lp_bound(cut, cut_stages) <= expected
    assert proved_optimum(cut, cut_stages) == expected


DEADLINE_PLANT = {
    "orders.csv": "order_id,product,quantity,due,deadline\n"
                  "a,P,20,240,240\nb,Q,20,240,480\nc,P,20,480,480\nd,R,10,720,720\n"
                  "e,Q,30,720,960\nf,R,10,960,960\n",
    "products.csv": "product,family,mode,holding_cost\nP,f1,batch,0.02\nQ,f1,batch,0.01\n"
                    "R,f2,batch,0.03\n",
    "routings.csv": "product,step,machine,time_per_unit\nP,1,M1|M2,4\nQ,1,M1,3\nR,1,M2,5\n",
    "setups.csv": "machine,from,to,time,cost\n*,*,*,30,50\n*,f1,f1,10,5\n",
    "calendar.csv": "machine,start,end\nM1,400,480\n",
}


def test_deadline_cuts_keep_the_optimum_on_a_plant_with_families_and_two_machines(
        make_plant):
    """Big buckets (lots sequenced by a circuit), a product on two machines, family
    changeovers and a calendar: the proved optimum is the same with the cuts."""
    plant = load_plant(make_plant(DEADLINE_PLANT))
    plain, _, stages = model_of(plant, "setup-cost,holding-cost", bucket=240)
    cut, _, cut_stages = model_of(plant, "setup-cost,holding-cost", bucket=240)
    cut.add_deadline_cuts()
    assert len(cut.model.proto.constraints) > len(plain.model.proto.constraints)
    assert proved_optimum(cut, cut_stages) == proved_optimum(plain, stages)
