"""The HTML page as text: self-contained, and safe with any names in the plant."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import prodsched
from prodsched.gantt import chart_data, chart_html, machine_chart
from prodsched.schedule import Schedule
from tests.conftest import assert_valid


def test_page_loads_nothing_from_anywhere(bakery_schedule: Schedule) -> None:
    page = chart_html(machine_chart(bakery_schedule))
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert "@import" not in page and "fetch(" not in page and "XMLHttpRequest" not in page
    # the only URLs are the SVG namespace and in-page references
    urls = re.findall(r"(?:https?:)?//[\w.-]+\.\w+[^\s\"')]*", page)
    assert set(urls) == {"http://www.w3.org/2000/svg"}
    assert set(re.findall(r"url\(([^)]*)\)", page)) == {"#p-setup", "#p-down"}


def test_data_block_holds_every_bar(bakery_schedule: Schedule) -> None:
    chart = machine_chart(bakery_schedule)
    page = chart_html(chart, color_by="product")
    block = re.search(r'<script type="application/json" id="gantt-data">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data == chart_data(chart, "product")
    assert len(data["bars"]) == len(bakery_schedule.rows)
    assert set(data["colors"]["family"]) == {p.family for p in
                                             bakery_schedule.plant.products.values()}
    assert data["time"]["datetime"] is True


def test_hostile_names_cannot_break_out_of_the_page(make_plant: Callable[..., Path]) -> None:
    evil = "</script><script>alert(1)</script><!--"
    plant = prodsched.load_plant(make_plant({
        "orders.csv": f"order_id,product,quantity,due\n\"{evil}\",A,3,5\n",
        "routings.csv": "product,step,machine,time_per_unit\nA,1,\"<b>M&1</b>\",1\n",
    }))
    schedule = prodsched.solve(plant, time_limit=5, workers=1)
    assert_valid(schedule)
    page = chart_html(machine_chart(schedule))
    assert page.count("</script>") == 2 and page.count("<script") == 2
    assert "<b>" not in page and "<!--" not in page
    block = re.search(r'id="gantt-data">(.*?)</script>', page, re.S)
    assert block is not None and evil in json.dumps(json.loads(block.group(1)))
