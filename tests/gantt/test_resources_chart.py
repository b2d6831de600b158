"""The resources view: one step profile per resource against its capacity, the holders
on hover; written with the other files for plants with resources, and by
``prodsched gantt``."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from prodsched import load_plant
from prodsched.cli import main
from prodsched.gantt.resources_chart import (
    LOAD_FILL,
    OVER_FILL,
    resource_lanes,
    resources_files,
    resources_html,
)
from prodsched.io.outputs import output_files
from prodsched.io.read_schedule import schedule_from_csv
from tests.schedule.resource_plant import SCHEDULE, R

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def schedule_r(make_plant):  # type: ignore[no-untyped-def]
    return schedule_from_csv(load_plant(make_plant(R)), SCHEDULE)


def _titles(page: str) -> list[str]:
    return re.findall(r"<title>([^<]*)</title>", page)


def test_one_lane_per_resource_with_its_profile(schedule_r):
    lanes = resource_lanes(schedule_r)
    assert [(lane.name, lane.kpis.capacity, lane.top) for lane in lanes] == [
        ("setup_crew", 1, 1), ("operator", 3, 3)]
    assert [s.load for s in lanes[1].profile] == [2, 2, 3, 1]


def test_the_page_shows_the_holders_on_hover(schedule_r):
    page = resources_html(schedule_r)
    titles = _titles(page)
    assert ("operator: 3 of 3 held, 4 to 6\nrun of lot La step 1 on M1 (2)\n"
            "run of lot Lb step 1 on M2 (1)") in titles
    assert "setup_crew: 1 of 1 held, 2 to 4\nsetup of lot Lb on M2 (1)" in titles
    assert page.count('class="capacity"') == 2
    assert OVER_FILL not in re.findall(r'fill="([^"]+)" class="load"', page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<td>operator</td><td>3</td><td>71.4%</td><td>3</td><td>2</td><td>3</td><td>0</td>" \
        in page


def test_a_load_above_capacity_is_drawn_red(make_plant):
    """With 2 operators the hand-made schedule holds 3 in [4, 6): that step is red."""
    files = {**R, "resources.csv": "resource,capacity\nsetup_crew,1\noperator,2\n"}
    schedule = schedule_from_csv(load_plant(make_plant(files)), SCHEDULE)
    page = resources_html(schedule)
    fills = re.findall(r'fill="([^"]+)" class="load"><title>operator: (\d) of 2', page)
    assert sorted(fills) == sorted([(LOAD_FILL, "2"), (LOAD_FILL, "2"), (OVER_FILL, "3"),
                                    (LOAD_FILL, "1")])
    assert any("(above capacity)" in t for t in _titles(page))


def test_png_and_html_files(schedule_r):
    files = resources_files(schedule_r)
    assert set(files) == {"resources.html", "resources.png"}
    png = files["resources.png"]
    assert isinstance(png, bytes) and png.startswith(PNG_MAGIC)
    assert set(resources_files(schedule_r, png=False)) == {"resources.html"}


def test_written_with_the_outputs_only_for_plants_with_resources(schedule_r, tiny_schedule):
    assert {"resources.html", "resources.png"} <= set(output_files(schedule_r))
    assert "resources.html" not in output_files(tiny_schedule)
    assert "resources.html" not in output_files(schedule_r, resources=False)


def test_a_date_time_plant_is_drawn_with_its_times(make_plant):
    files = {**R, "orders.csv": "order_id,product,quantity,due\na,A,4,2026-03-02T10:00\n"
                                "b,B,3,2026-03-02T10:00\nc,A,2,2026-03-02T10:00\n"}
    plant = load_plant(make_plant(files), start="2026-03-02T08:00")
    text = re.sub(r",(\d+),(\d+)\n",
                  lambda m: f",2026-03-02T08:{int(m[1]):02d},2026-03-02T08:{int(m[2]):02d}\n",
                  SCHEDULE)
    schedule = schedule_from_csv(plant, text)
    page = resources_html(schedule)
    assert "operator: 3 of 3 held, 2026-03-02T08:04 to 2026-03-02T08:06" in page
    assert resources_files(schedule)["resources.png"][:8] == PNG_MAGIC


def test_gantt_command_draws_the_resources_view(schedule_r, make_plant, tmp_path):
    folder = make_plant(R)
    out = tmp_path / "out"
    schedule_r.write(out)
    result = CliRunner().invoke(main, ["gantt", str(folder), str(out), "--no-png"])
    assert result.exit_code == 0, result.output
    assert (out / "resources.html").is_file() and (out / "gantt.html").is_file()
    assert not (out / "resources.png").exists()
