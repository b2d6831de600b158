"""Per-resource KPIs: exact on a hand-made schedule, written to kpis.json only for
plants with resources, and checked by the validator against schedule.csv."""

from __future__ import annotations

import json

import pytest

from prodsched import load_plant
from prodsched.io.read_schedule import schedule_from_csv
from prodsched.schedule.resource_kpis import (
    ResourceKpis,
    load_profile,
    resource_holds,
    resource_kpis,
)
from prodsched.validate import validate_texts
from tests.conftest import assert_valid
from tests.schedule.resource_plant import HEADER, ROWS, SCHEDULE, R


@pytest.fixture
def plant_r(make_plant):  # type: ignore[no-untyped-def]
    return load_plant(make_plant(R))


def test_figures_of_the_hand_made_schedule(plant_r):
    schedule = schedule_from_csv(plant_r, SCHEDULE)
    assert resource_kpis(plant_r, schedule.rows) == {
        "setup_crew": ResourceKpis("setup_crew", capacity=1, held=4, utilization=4 / 7,
                                   peak=1, time_at_peak=4, peak_start=0, runs=0, setups=2),
        "operator": ResourceKpis("operator", capacity=3, held=15, utilization=15 / 21,
                                 peak=3, time_at_peak=2, peak_start=4, runs=3, setups=0),
    }
    assert list(schedule.resources) == ["setup_crew", "operator"]   # resources.csv order


def test_the_load_profile_names_the_rows_holding_it(plant_r):
    schedule = schedule_from_csv(plant_r, SCHEDULE)
    holds = resource_holds(plant_r, schedule.rows)
    profile = load_profile(holds["operator"])
    assert [(s.start, s.end, s.load) for s in profile] == [(0, 2, 2), (2, 4, 2), (4, 6, 3),
                                                            (6, 7, 1)]
    assert [sorted(h.row.lot for h in s.holds) for s in profile] == [
        ["Lc"], ["La"], ["La", "Lb"], ["Lb"]]
    crew = load_profile(holds["setup_crew"])
    assert [(s.start, s.end, s.load, s.holds[0].row.machine) for s in crew] == [
        (0, 2, 1, "M1"), (2, 4, 1, "M2")]


def test_kpis_json_has_them_and_the_validator_agrees(plant_r):
    schedule = schedule_from_csv(plant_r, SCHEDULE)
    assert_valid(schedule)
    given = json.loads(schedule.render()["kpis.json"])["resources"]
    assert given["operator"] == {"capacity": 3, "held": 15, "utilization": 15 / 21, "peak": 3,
                                 "time_at_peak": 2, "peak_start": 4, "runs": 3, "setups": 0}
    assert given["setup_crew"]["utilization"] == pytest.approx(0.5714285714)


def test_setups_hold_the_resources_of_their_own_rule(make_plant):
    """A rule without the crew (M2, A to B) holds nothing; the initial state's rule applies
    to the first run on M1; a setup with no run after it holds nothing."""
    files = {**R, "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,setup_crew\n"
                                "M2,A,B,2,0,\n"}
    plant = load_plant(make_plant(files))
    schedule = schedule_from_csv(plant, SCHEDULE)
    crew = resource_kpis(plant, schedule.rows)["setup_crew"]
    assert (crew.held, crew.setups, crew.peak_start) == (2, 1, 0)
    assert_valid(schedule)
    files["machines.csv"] = "machine,initial_state\nM1,\nM2,\n"    # no setup before La
    plant = load_plant(make_plant(files))
    text = SCHEDULE.replace("M1,setup,La,A,,,,,0,2\n", "")
    crew = resource_kpis(plant, schedule_from_csv(plant, text).rows)["setup_crew"]
    assert (crew.held, crew.setups, crew.peak, crew.peak_start) == (0, 0, 0, None)


def test_an_unused_resource_is_listed_with_zeros(make_plant):
    files = {**R, "resources.csv": "resource,capacity\nsetup_crew,1\noperator,3\nmould,2\n"}
    plant = load_plant(make_plant(files))
    schedule = schedule_from_csv(plant, SCHEDULE)
    assert schedule.resources["mould"].as_dict() == {
        "capacity": 2, "held": 0, "utilization": 0.0, "peak": 0, "time_at_peak": 0,
        "peak_start": None, "runs": 0, "setups": 0}
    assert_valid(schedule)


def test_a_plant_without_resources_has_no_resources_key(make_plant):
    files = {k: v for k, v in R.items() if k != "resources.csv"}
    files["routings.csv"] = "product,step,machine,time_per_unit\nA,1,M1|M2,1\nB,1,M1|M2,1\n"
    files["setups.csv"] = "machine,from,to,time,cost\n*,*,*,2,0\n"
    plant = load_plant(make_plant(files))
    schedule = schedule_from_csv(plant, SCHEDULE)
    assert schedule.resources == {}
    assert "resources" not in json.loads(schedule.render()["kpis.json"])
    assert_valid(schedule)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r["operator"].update(utilization=0.5),
     "resources[operator].utilization is 0.5; schedule.csv gives 0.714286"),
    (lambda r: r["operator"].update(peak=2), "resources[operator].peak is 2; schedule.csv "
                                             "gives 3"),
    (lambda r: r["setup_crew"].update(time_at_peak=3),
     "resources[setup_crew].time_at_peak is 3; schedule.csv gives 4"),
    (lambda r: r["setup_crew"].update(peak_start=None),
     "resources[setup_crew].peak_start is None; schedule.csv gives 0"),
    (lambda r: r["operator"].update(capacity=4),
     "resources[operator].capacity is 4; schedule.csv gives 3"),
    (lambda r: r["operator"].update(setups="0"),
     "resources[operator].setups is '0'; schedule.csv gives 0"),
    (lambda r: r.pop("operator"),
     "resources has no figures for operator, which resources.csv defines"),
    (lambda r: r.update(tool={}), "resources lists 'tool', which resources.csv does not define"),
])
def test_the_validator_catches_figures_that_disagree(plant_r, change, message):
    files = schedule_from_csv(plant_r, SCHEDULE).render()
    kpis = json.loads(files["kpis.json"])
    change(kpis["resources"])
    found = validate_texts(plant_r, files["schedule.csv"], files["orders_report.csv"],
                           json.dumps(kpis))
    assert [(v.rule, v.file, v.message) for v in found] == [("9 report", "kpis.json", message)]


def test_the_validator_recomputes_from_the_rows_not_from_kpis(plant_r):
    """Moving Lb one unit later changes the operators' peak: the old figures no longer agree."""
    files = schedule_from_csv(plant_r, SCHEDULE).render()
    moved = HEADER + "".join(f"{r}\n" for r in ROWS[:-1]) + "M2,run,Lb,B,one-off,1,3,b:3,5,8\n"
    found = validate_texts(plant_r, moved, None, files["kpis.json"])
    messages = [v.message for v in found]
    assert "resources[operator].time_at_peak is 2; schedule.csv gives 1" in messages
    assert "resources[operator].utilization is 0.7142857142857143; schedule.csv gives 0.625" \
        in messages
