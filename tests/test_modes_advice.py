"""``compare-modes --by-product`` (issue 24): the advice follows delivery, then
economies of scale, then lead time; on plants whose answer is known by
construction it comes out that way, with figures that agree with the schedules."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from prodsched.modes_advice import (
    HYBRID,
    PLANT_ROW,
    Advice,
    _notes,
    advise,
    rows,
    table_csv,
    table_text,
)
from prodsched.plant.model import Mode
from prodsched.schedule.product_kpis import ProductKpis
from tests.conftest import assert_valid
from tests.lots.test_auto import profile
from tests.schedule.test_product_kpis import recompute


def kpis(mode: str, cost: float, lead: float, on_time: float = 1.0,
         capital: float = 100.0) -> ProductKpis:
    c, q = Fraction(cost).limit_denominator(1000), Fraction(capital).limit_denominator(1000)
    return ProductKpis(
        product="P", mode=mode, orders=4, units=40, units_to_stock=0, lots=2,
        average_lot_size=20.0, setups=2, setup_time=10, run_time=Fraction(100),
        setup_share=0.09, machine_cost=c * 40, setup_cost=Fraction(0), holding_cost=Fraction(0),
        machine_cost_per_unit=c, setup_cost_per_unit=Fraction(0),
        holding_cost_per_unit=Fraction(0), cost_per_unit=c,
        mean_lead_time=Fraction(lead).limit_denominator(1000), mean_stock=q / 2,
        mean_wip=q / 2, stock_value=q / 2, wip_value=q / 2, working_capital=q,
        on_time_rate=on_time)


ONE, BATCH, MASS = Mode.ONE_OFF, Mode.BATCH, Mode.MASS


def test_a_mode_more_than_ten_percent_cheaper_wins_on_cost():
    found = advise("P", {ONE: kpis("one-off", 2.0, 100), BATCH: kpis("batch", 1.7, 400),
                         MASS: kpis("mass", 1.75, 300)}, profile())
    assert found is not None and found.mode is MASS
    assert "costs per unit within 10% of the cheapest" in found.reason
    found = advise("P", {ONE: kpis("one-off", 2.0, 100), BATCH: kpis("batch", 1.7, 400)},
                   profile())
    assert found is not None and found.mode is BATCH
    assert "cheapest per unit by more than 10%" in found.reason
    assert "15% lower cost per unit than one-off (1.7 vs 2)" in found.reason
    assert "lead time 100 min → 6.7 h" in found.reason


def test_within_ten_percent_the_shortest_lead_time_wins_and_ties_go_one_off_first():
    found = advise("P", {ONE: kpis("one-off", 2.0, 100), BATCH: kpis("batch", 1.9, 400)},
                   profile())
    assert found is not None and found.mode is ONE
    # lead times within 25 %: the cheaper (by more than 2 %), then one-off before mass
    # before batch
    tie = {BATCH: kpis("batch", 1.0, 100), MASS: kpis("mass", 1.0, 110)}
    found = advise("P", tie, profile())
    assert found is not None and found.mode is MASS and "(lead times within 25%" in found.reason
    tie[ONE] = kpis("one-off", 1.05, 90)
    found = advise("P", tie, profile())
    assert found is not None and found.mode is MASS
    tie[ONE] = kpis("one-off", 1.01, 90)
    found = advise("P", tie, profile())
    assert found is not None and found.mode is ONE


def test_delivery_comes_first_and_one_step_has_nothing_to_stream():
    late = {ONE: kpis("one-off", 2.0, 100), BATCH: kpis("batch", 1.0, 400, on_time=0.5)}
    found = advise("P", late, profile())
    assert found is not None and found.mode is ONE
    assert "the only mode that delivers as well" in found.reason
    streamed = {BATCH: kpis("batch", 1.0, 400), MASS: kpis("mass", 1.0, 100)}
    found = advise("P", streamed, profile(steps=1))
    assert found is not None and found.mode is BATCH
    assert advise("P", {}, profile()) is None


def test_the_known_answers_come_out(three_by_product):
    result = three_by_product
    fig = {name: result.figures(name) for name in ("DRINK", "CUSTOM", "MIDDLE")}
    advised = {name: a.mode.value for name, a in result.advice.items()}
    assert advised == {"DRINK": "mass", "CUSTOM": "one-off", "MIDDLE": "batch"}
    # stable drink with a cleaning before every lot: campaigns win on cost per unit
    drink = fig["DRINK"]
    for lots in ("batch", "mass"):
        assert drink[lots].cost_per_unit <= Fraction(9, 10) * drink["one-off"].cost_per_unit
        assert drink[lots].lots < drink["one-off"].lots
    assert "stable demand" in result.advice["DRINK"].reason
    # small custom orders, short changeovers: one-off wins on lead time and on work in
    # progress, at a cost per unit within 10 % of the cheapest
    custom = fig["CUSTOM"]
    for lots in ("batch", "mass"):
        assert custom["one-off"].mean_lead_time < custom[lots].mean_lead_time
        assert custom["one-off"].mean_wip < custom[lots].mean_wip
        assert custom["one-off"].cost_per_unit <= Fraction(11, 10) * custom[lots].cost_per_unit
    assert "irregular demand" in result.advice["CUSTOM"].reason
    # in between: batches are cheaper per unit by more than 10 %, one-off is quicker
    middle = fig["MIDDLE"]
    assert middle["batch"].cost_per_unit <= Fraction(9, 10) * middle["one-off"].cost_per_unit
    assert middle["one-off"].mean_lead_time < middle["batch"].mean_lead_time
    assert "cheapest per unit by more than 10%" in result.advice["MIDDLE"].reason


def test_the_hybrid_plan_is_solved_and_compared(three_by_product):
    result = three_by_product
    hybrid = result.run(HYBRID)
    assert hybrid is not None and hybrid.schedule is not None
    assert_valid(hybrid.schedule)
    assert {n: k.mode for n, k in hybrid.schedule.products.items()} == {
        n: a.mode.value for n, a in result.advice.items()}
    assert [r.label for r in result.runs] == ["one-off", "batch", "mass", "auto", HYBRID]
    assert result.best_single in ("one-off", "batch", "mass")
    assert result.notes[0].startswith("hybrid: objective ")
    assert any(n.endswith("(best single mode)") for n in result.notes)
    assert any(n.startswith("auto: objective ") for n in result.notes)
    # every figure in the table is the schedule's own, which schedule.csv reproduces
    again = recompute(hybrid.schedule.plant, hybrid.schedule.render()["schedule.csv"])
    table = {(r["product"], r["run"]): r for r in rows(result)}
    for name, figures in again.items():
        row = table[(name, HYBRID)]
        assert row["mean_lead_time"] == round(float(figures["mean_lead_time"]), 4)
        assert row["mean_wip"] == round(float(figures["mean_wip"]), 4)
    plant_rows = [r for r in rows(result) if r["product"] == PLANT_ROW]
    assert [r["run"] for r in plant_rows] == [r.label for r in result.runs]
    assert sum(1 for r in rows(result) if r["recommended"] == "yes") == 3
    assert table_csv(result).splitlines()[0].startswith("product,run,made_as,recommended")
    text = table_text(result)
    assert "advice: DRINK: mass" in text and "plant:" in text


def test_when_auto_disagrees_the_comparison_says_why(three_by_product):
    result = three_by_product
    auto = result.run("auto")
    assert auto is not None and auto.schedule is not None
    made = auto.schedule.products["CUSTOM"].mode
    other = Mode.BATCH if made != "batch" else Mode.MASS
    doctored = replace(result, advice={**result.advice,
                                       "CUSTOM": Advice("CUSTOM", other, "advised")})
    (note,) = [n for n in _notes(doctored) if n.startswith("auto made CUSTOM")]
    assert f"auto made CUSTOM as {made}, the advice is {other.value}" in note
    assert "auto decides before solving, from the plant's figures (one-off: irregular" in note
    assert f"; in the mode solves {other.value} had " in note
