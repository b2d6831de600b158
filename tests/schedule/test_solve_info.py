"""The typed result of a solve: its status is a ``str`` enum, and each typed
section of :class:`SolveInfo` is exactly what kpis.json writes, in its place,
and reads back from it (on each route: full model, large plant, lot sizing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prodsched import SolveStatus, load_plant
from prodsched.cpsat_runner import SolverSettings
from prodsched.io.read_schedule import info_from_kpis
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.request import SolveRequest
from prodsched.schedule import (
    BudgetNotes,
    DispatchStats,
    JobShopModelStats,
    LnsModelStats,
    LotSizingModelStats,
    ModelStats,
    Schedule,
    SolveInfo,
    StageResult,
    WindowSearchStats,
)
from prodsched.schedule.solve_info import SECTIONS, details_from_json
from tests.conftest import assert_valid

TINY = Path(__file__).resolve().parents[2] / "instances" / "tiny"
RESTRICTED = {"restricted", "restricted_model_bound"}
ROUTES = {  # route: (SolveRequest arguments, model statistics, typed sections present)
    "jobshop": ({}, JobShopModelStats,
                {"dispatch", "budget", "model", "stages", "objective_values", *RESTRICTED}),
    "lns": ({"large": True, "time_limit": 2}, LnsModelStats,
            {"dispatch", "model", "budget", "objective_values", "restricted", "lns"}),
    "lotsizing": ({"model": "lotsizing", "bucket_length": 50}, LotSizingModelStats,
                  {"model", "stages", "objective_values", "windows", *RESTRICTED}),
}


def _solve(route: str) -> Schedule:
    extra, _, _ = ROUTES[route]
    request = SolveRequest(**{"objective": parse_objective("weighted-tardiness>setup-time"),
                              "time_limit": 5, "settings": SolverSettings(workers=1),
                              **extra})
    schedule = solve_request(load_plant(TINY), request)
    assert_valid(schedule)
    return schedule


@pytest.mark.parametrize("route", list(ROUTES))
def test_typed_sections_are_what_kpis_json_writes_and_read_back(route: str) -> None:
    schedule = _solve(route)
    info = schedule.info
    kpis = json.loads(schedule.render()["kpis.json"])
    _, model_kind, present = ROUTES[route]
    assert {key for key in SECTIONS if key in info.details} == present
    assert isinstance(info.status, SolveStatus) and kpis["status"] == info.status.value
    assert isinstance(info.model, model_kind)
    assert info.model.as_dict() == kpis["model"] and kpis["model"]["kind"] == route
    assert info.objective_values == kpis["objective_values"]
    assert info.restricted == kpis["restricted"]
    if info.stages is not None:
        assert all(isinstance(s, StageResult) for s in info.stages)
        assert [s.as_dict() for s in info.stages] == kpis["stages"]
    if info.budget is not None:
        assert info.budget.as_dict() == kpis["budget"]
        assert list(kpis["budget"]) == list(info.budget.written)
    if info.dispatch is not None:
        assert info.dispatch.as_dict() == kpis["dispatch"]
    if info.windows is not None:
        assert isinstance(info.windows, WindowSearchStats)
        assert info.windows.as_dict() == kpis["windows"]
    # every section in the order the solve recorded it, after the KPIs
    assert [key for key in kpis if key in info.details] == list(info.details)
    assert {key: kpis[key] for key in info.details} == info.details_dict()
    # read back from kpis.json: the same typed sections and status
    back = info_from_kpis(kpis)
    assert back.status is info.status
    for key in present:
        assert back.details[key] == info.details[key], key
    assert {key: back.details_dict()[key] for key in info.details} == info.details_dict()


def test_the_status_is_a_str_enum() -> None:
    info = SolveInfo(status="optimal")  # type: ignore[arg-type]
    assert info.status is SolveStatus.OPTIMAL and info.status == "optimal"
    assert f"{info.status}" == "optimal" and json.dumps(info.status) == '"optimal"'
    assert [s.value for s in SolveStatus] == ["optimal", "feasible", "infeasible", "unknown"]
    assert SolveInfo().status is SolveStatus.UNKNOWN
    assert info_from_kpis({"status": "done"}).status is SolveStatus.UNKNOWN


def test_budget_notes_keep_the_order_they_were_set_in() -> None:
    full = BudgetNotes().updated(time_limit=5.0, warm_start_seconds=0.5, repeatable=True)
    large = BudgetNotes().updated(time_limit=5.0, repeatable=True).updated(
        warm_start_seconds=0.5, time_limit=6.0)
    assert list(full.as_dict()) == ["time_limit", "warm_start_seconds", "repeatable"]
    assert large.as_dict() == {"time_limit": 6.0, "repeatable": True, "warm_start_seconds": 0.5}
    assert BudgetNotes.from_dict(large.as_dict()) == large
    assert BudgetNotes().max_arcs_per_machine is None and BudgetNotes().as_dict() == {}
    with pytest.raises(TypeError):
        BudgetNotes().updated(seconds=1.0)


def test_sections_leave_out_what_is_absent_and_read_back_by_kind() -> None:
    assert DispatchStats("edd").as_dict() == {"warm_start": "edd"}
    assert DispatchStats("edd", {"edd": [1.0]}, breaks_rules=True).as_dict() == {
        "warm_start": "edd", "objectives": {"edd": [1.0]}, "breaks_rules": True}
    lns = LnsModelStats(lots=3, operations=5, lot_seconds=0.1)
    assert lns.as_dict() == {"kind": "lns", "lots": 3, "operations": 5, "lot_seconds": 0.1}
    assert ModelStats.from_dict(lns.as_dict()) == lns
    with pytest.raises(ValueError):
        JobShopModelStats.from_dict(lns.as_dict())


def test_a_section_that_does_not_read_as_its_type_is_left_out() -> None:
    details = details_from_json({"stages": [{"name": "x"}], "model": {"kind": "other"},
                                 "budget": {"seconds": 1}, "windows": {"solved": 2},
                                 "plan_lots": 3, "restricted": ["r"]})
    assert details == {"plan_lots": 3, "restricted": ["r"]}
