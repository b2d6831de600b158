"""The v2 rule families of the job-shop model, each on a plant small enough to know
its optimum: setups of their own, pausing runs, shared resources, fixed work and
``now``, longest waits. Every schedule passes the project's validator and a direct
check of the v2 rules (:func:`tests.jobshop.v2.check`)."""

from __future__ import annotations

from prodsched.lots.lot import Lot
from prodsched.lots.pinned import pinned_work
from prodsched.lots.plan import LotPlan
from prodsched.plant.model import FixedRow, Mode
from prodsched.schedule.schedule import Schedule
from tests.jobshop.v2 import at, check, makespan, option, plant, solve


def test_a_setup_done_before_the_night_lets_the_run_start_with_the_shift():
    # M is down [10, 20); any change of product takes 5. Run b [0, 5), set up for a
    # in [5, 10) before the night, run a [20, 25): makespan 25. A setup right before
    # its run would need [5, 15) free, so a could only run [25, 30).
    p = plant([("a", "A", 5), ("b", "B", 5)],
              {"A": [[option("M", 1)]], "B": [[option("M", 1)]]},
              setups=(("M", "*", "*", 5),), down=(("M", 10, 20),))
    schedule, run, _ = solve(p)
    check(schedule)
    assert run.status == "optimal" and schedule.kpis.makespan == 25
    second = max(schedule.ops, key=lambda op: op.start)
    assert (second.start, second.setup_begin, second.setup_end) == (20, 5, 10)
    assert second.setup_start == 5


def test_without_a_calendar_setups_stay_right_before_their_run():
    p = plant([("a", "A", 5), ("b", "B", 5)],
              {"A": [[option("M", 1)]], "B": [[option("M", 1)]]},
              setups=(("M", "*", "*", 5),))
    schedule, run, jm = solve(p)
    check(schedule)
    assert run.status == "optimal" and schedule.kpis.makespan == 15
    assert all(alt.setup is None for op in jm.ops for alt in op.alternatives)
    assert all(op.setup_start is None for op in schedule.ops)


def test_a_pausing_run_works_across_the_night():
    # 15 units of work on M, down [10, 20): pausing, it runs [0, 25); without, [20, 35)
    for pause, span in ((True, 25), (False, 35)):
        p = plant([("a", "A", 15)], {"A": [[option("M", 1, pause=pause)]]},
                  down=(("M", 10, 20),))
        schedule, run, _ = solve(p)
        check(schedule)
        assert run.status == "optimal" and schedule.kpis.makespan == span


def test_pausing_runs_of_slot_lots_and_runs_that_may_not_pause_share_a_machine():
    # batch lots of P (sizes decided by the model) pause over M's nights; Q may not
    p = plant([("p1", "P", 6), ("p2", "P", 6), ("q", "Q", 4)],
              {"P": [[option("M", 1, fixed=1, pause=True)]], "Q": [[option("M", 1)]]},
              modes={"P": Mode.BATCH}, due={"p1": 8, "p2": 40, "q": 40},
              down=(("M", 10, 14), ("M", 24, 28)))
    schedule, run, jm = solve(p, "weighted-tardiness>makespan")
    check(schedule)
    assert run.status == "optimal"
    assert any(alt.pausing and not isinstance(alt.duration, int)
               for op in jm.ops for alt in op.alternatives)
    # p1's lot [0, 7) on time; q (4, no pause) fits no gap before 14; p2's lot [7, 18)
    # over the night, q [18, 22). Other cuts end later (one lot of 12 makes p1 late).
    assert schedule.kpis.weighted_tardiness == 0 and schedule.kpis.makespan == 22


def test_a_setup_crew_shared_by_two_machines_staggers_the_setups():
    # M1 and M2 start set up for A; both must change to B (5, with the one crew)
    for crew, span in ((1, 15), (2, 10)):
        p = plant([("b1", "B", 5), ("b2", "C", 5)],
                  {"B": [[option("M1", 1)]], "C": [[option("M2", 1)]]},
                  initial={"M1": "A", "M2": "A"},
                  setups=(("*", "A", "B", 5), ("*", "A", "C", 5)),
                  setup_uses={("*", "A", "B"): (("crew", 1),), ("*", "A", "C"): (("crew", 1),)},
                  capacity={"crew": crew})
        schedule, run, _ = solve(p)
        check(schedule)
        assert run.status == "optimal" and schedule.kpis.makespan == span
        setups = sorted((op.setup_begin, op.setup_end) for op in schedule.ops)
        assert len(setups) == 2
        if crew == 1:
            assert setups[0][1] <= setups[1][0]


def test_an_operator_held_by_runs_on_two_machines():
    # one operator, needed by runs on M1 and M2 (the pausing one over the night too)
    p = plant([("a", "A", 6), ("b", "B", 6)],
              {"A": [[option("M1", 1, uses=(("op", 1),), pause=True)]],
               "B": [[option("M2", 1, uses=(("op", 1),))]]},
              down=(("M1", 4, 8),), capacity={"op": 1})
    schedule, run, _ = solve(p)
    check(schedule)
    # a [0, 10) pausing holds the operator through the night: b after it, or b first
    # [0, 6) and a [6, 8+...]: a starts 8 (night), ends 14; so b [0, 6), a [8, 14)
    assert run.status == "optimal" and schedule.kpis.makespan == 14


def test_fixed_work_stays_and_new_work_starts_at_now():
    # lot L (2 units of P) ran step 1 on M1 in [0, 10); now = 4; its step 2 and
    # order q are still to plan
    fixed = (FixedRow("M1", "run", "L", "P", 0, 10, Mode.BATCH, 1, 2, (("p", 2),)),)
    p = plant([("p", "P", 2), ("q", "Q", 3)],
              {"P": [[option("M1", 5)], [option("M2", 2)]], "Q": [[option("M1", 1),
                                                                   option("M2", 1)]]},
              modes={"P": Mode.BATCH}, fixed=fixed, now=4)
    schedule, run, jm = solve(p)
    check(schedule)
    assert run.status == "optimal"
    assert sum(op.fixed for op in jm.ops) == 1
    ops = list(schedule.ops)
    first = at(ops, "L", 1)
    assert (first.machine, first.start, first.end, first.fixed) == ("M1", 0, 10, True)
    assert at(ops, "L", 2).start >= 10 and at(ops, "q").start >= 4
    # q [4, 7) on M2 (M1 is busy until 10), L's step 2 [10, 14) on M2
    assert schedule.kpis.makespan == 14


def test_new_work_goes_right_before_a_fixed_run_only_if_its_changeover_fits():
    # P is fixed on M in [20, 30) with its setup row [15, 20) (5 long). Into P: from Q 5
    # (fits), from R 8 (does not). So R then Q then P; makespan 30.
    fixed = (FixedRow("M", "setup", "F", "P", 15, 20),
             FixedRow("M", "run", "F", "P", 20, 30, Mode.ONE_OFF, 1, 10, (("f", 10),)))
    p = plant([("f", "P", 10), ("q", "Q", 5), ("r", "R", 5)],
              {"P": [[option("M", 1)]], "Q": [[option("M", 1)]], "R": [[option("M", 1)]]},
              setups=(("M", "Q", "P", 5), ("M", "R", "P", 8)), fixed=fixed)
    schedule, run, _ = solve(p)
    check(schedule)
    assert run.status == "optimal" and schedule.kpis.makespan == 30
    on_m = sorted(schedule.ops, key=lambda op: op.start)
    assert [op.lot.lot_id for op in on_m] == ["r", "q", "F"]
    kept = on_m[-1]
    assert (kept.setup_begin, kept.setup_end, kept.fixed) == (15, 20, True)


def test_the_longest_wait_between_steps_holds():
    # P: step 1 on M1 (5), step 2 on M2 (5) at most 2 after; Q keeps M2 busy [0, 10)
    for wait in (None, 2):
        p = plant([("p", "P", 5), ("q", "Q", 10)],
                  {"P": [[option("M1", 1)], [option("M2", 1, wait=wait)]],
                   "Q": [[option("M2", 1)]]})
        schedule, run, _ = solve(p, "makespan")
        check(schedule)
        ops = list(schedule.ops)
        assert run.status == "optimal" and schedule.kpis.makespan == 15
        if wait is not None:
            assert at(ops, "p", 2).start - at(ops, "p", 1).end <= 2


def test_a_longest_wait_on_mass_lots_too():
    p = plant([("p", "P", 10)],
              {"P": [[option("M1", 1)], [option("M2", 2, wait=0)]]},
              modes={"P": Mode.MASS})
    schedule, run, _ = solve(p)
    check(schedule)
    ops = list(schedule.ops)
    assert run.status == "optimal"
    assert at(ops, "P#1", 2).start <= at(ops, "P#1", 1).end
    # streaming: step 2 starts after the first unit (1), ends at 1 + 20 = 21
    assert makespan(ops) == 21


def test_a_lot_plan_with_pinned_lots_and_fixed_lots_together():
    # the model takes the pinned lot from the plan; fixed lots beside it
    fixed = (FixedRow("M", "run", "L", "P", 0, 4, Mode.BATCH, 1, 4, (("p", 4),)),)
    p = plant([("p", "P", 6), ("q", "Q", 2)],
              {"P": [[option("M", 1)]], "Q": [[option("M", 1)]]}, modes={"P": Mode.BATCH},
              fixed=fixed)
    pinned = pinned_work(p)
    lots = (Lot("p-rest", "P", Mode.BATCH, (("p", 2),)), Lot("q", "Q", Mode.ONE_OFF,
                                                              (("q", 2),)))
    schedule, run, _ = solve(p, plan=LotPlan(lots, (), pinned))
    check(schedule)
    assert run.status == "optimal" and schedule.kpis.makespan == 8


def _every_v2_rule():
    fixed = (FixedRow("M1", "setup", "F", "A", 0, 2),
             FixedRow("M1", "run", "F", "A", 2, 6, Mode.ONE_OFF, 1, 4, (("f", 4),)))
    return plant(
        [("f", "A", 4), ("a1", "A", 3), ("b1", "B", 4), ("c1", "C", 3), ("b2", "B", 2)],
        {"A": [[option("M1", 1, pause=True)], [option("M2", 1, uses=(("op", 1),), wait=3)]],
         "B": [[option("M1", 1), option("M3", 2, pause=True)],
               [option("M2", 1, uses=(("op", 1),))]],
         "C": [[option("M3", 1, uses=(("op", 1),))], [option("M2", 1)]]},
        modes={"B": Mode.BATCH}, due={"a1": 12, "b1": 14, "c1": 10, "b2": 25},
        setups=(("*", "*", "*", 2),), setup_uses={("*", "*", "*"): (("crew", 1),)},
        down=(("M1", 9, 12), ("M3", 6, 9)), capacity={"crew": 1, "op": 1},
        fixed=fixed, now=3)


def test_a_v2_schedule_hints_every_variable_of_a_new_model_and_is_a_solution_of_it():
    from ortools.sat.python import cp_model

    from prodsched.jobshop.builder import JobShopModel
    from prodsched.jobshop.solution import add_hint, decode
    from prodsched.lots.plan import plan_lots
    from prodsched.objective import parse_objective
    from prodsched.plant.setups import SetupTable

    p = _every_v2_rule()
    objective = "weighted-tardiness=1,setup-time=1"
    schedule, run, _ = solve(p, objective, seconds=10)
    check(schedule)
    obj = parse_objective(objective)
    # the model prices the schedule as its KPIs do (fixed work included)
    assert float(obj.values(schedule.kpis)[0]) == run.stages[0].objective
    jm = JobShopModel(p, plan_lots(p), SetupTable(p), obj)
    add_hint(jm, list(schedule.ops))
    proto = jm.model.proto
    hinted = set(proto.solution_hint.vars)
    free = [v.name for i, v in enumerate(proto.variables)
            if i not in hinted and min(v.domain) != max(v.domain)]
    assert free == []
    jm.model.minimize(jm.stage_expression(obj.stages[0])[0])
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(jm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    lots, ops = decode(jm, solver.value)
    again = Schedule(p, lots, ops)
    check(again)
    assert obj.values(again.kpis) == obj.values(schedule.kpis)
    assert solver.objective_value == run.stages[0].objective


def test_where_one_machine_splits_its_setups_and_another_does_not_a_run_is_tied_to_its_start():
    """A slot lot (its duration a variable) may run on M1, whose night gives its
    changeovers intervals of their own, or on M2, where one interval covers changeover
    and run: on M2 the run starts where its changeover ends, so its start is not free
    (a free start came out after the run's end)."""
    from ortools.sat.python import cp_model

    from prodsched.jobshop.builder import JobShopModel
    from prodsched.lots.plan import plan_lots
    from prodsched.objective import parse_objective
    from prodsched.plant.setups import SetupTable

    p = plant([("p1", "P", 4), ("q1", "Q", 2)],
              {"P": [[option("M1", 1), option("M2", 1)]], "Q": [[option("M2", 1)]]},
              modes={"P": Mode.BATCH}, setups=(("*", "*", "*", 2),), down=(("M1", 20, 25),))
    jm = JobShopModel(p, plan_lots(p), SetupTable(p), parse_objective("makespan"))
    assert jm.shop.split_setups("M1") and not jm.shop.split_setups("M2")
    op = next(o for o in jm.ops if jm.lots[o.lot_index].product == "P"
              and not isinstance(o.alternatives[0].duration, int))
    on_m2 = next(a for a in op.alternatives if a.machine == "M2")
    assert on_m2.present is not None
    jm.model.add(on_m2.present == 1)
    jm.model.maximize(op.start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(jm.model) == cp_model.OPTIMAL
    assert solver.value(op.start) == solver.value(op.end) - solver.value(on_m2.duration)
    assert solver.value(op.setup_start) + solver.value(op.setup_len) == solver.value(op.start)
    schedule, _, _ = solve(p)
    check(schedule)
