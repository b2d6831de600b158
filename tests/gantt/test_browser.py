"""The HTML Gantt pages in a real headless Chromium: drawn, offline, interactive.

Skipped only when Debian's Chromium (/usr/bin/chromium) is not installed;
.ci/run installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prodsched.gantt import order_chart, write_gantt
from prodsched.schedule import Schedule
from tests.conftest import assert_valid

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's Chromium at /usr/bin/chromium "
                                       "(apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    """Open a file in a new page; return it, every request it made and every error."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:")
               else route.continue_())
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=10_000)
    return page, requests, errors


def test_machine_gantt_draws_one_bar_per_row_offline(browser: Any, bakery_schedule: Schedule,
                                                     tmp_path: Path) -> None:
    assert_valid(bakery_schedule)
    write_gantt(bakery_schedule, tmp_path, png=False)
    page_file = tmp_path / "gantt.html"
    page, requests, errors = open_page(browser, page_file)
    rows = bakery_schedule.rows
    assert page.locator("#body rect.bar").count() == len(rows)
    for kind in ("run", "setup", "down"):
        assert page.locator(f"#body rect.bar.{kind}").count() == sum(r.kind == kind for r in rows)
    assert page.locator("#names > div").count() == len(bakery_schedule.plant.machines)
    # setups and downtime are drawn with their patterns, runs with a plain colour
    fills = page.evaluate("""() => ['run', 'setup', 'down'].map(k =>
        getComputedStyle(document.querySelector('#body rect.bar.' + k)).fill)""")
    assert fills[0].startswith("rgb(") and "p-setup" in fills[1] and "p-down" in fills[2]
    # hovering a run shows its lot, orders, quantity, start and end
    run = next(r for r in rows if r.kind == "run")
    index = rows.index(run)
    page.hover(f"#body rect.bar[data-i='{index}']")
    tip = page.locator("#tip")
    assert tip.is_visible()
    text = tip.inner_text()
    axis = bakery_schedule.plant.time_axis
    for expected in (run.lot, run.orders_text.replace(";", ", "), str(run.quantity),
                     axis.format(run.start), axis.format(run.end)):
        assert expected in text
    page.screenshot(path=str(tmp_path / "gantt-screenshot.png"), full_page=True)
    assert (tmp_path / "gantt-screenshot.png").stat().st_size > 10_000
    assert requests == [page_file.as_uri()]
    assert errors == []
    page.close()


def test_zoom_and_colouring_redraw_the_same_bars(browser: Any, bakery_schedule: Schedule,
                                                 tmp_path: Path) -> None:
    write_gantt(bakery_schedule, tmp_path, png=False)
    page, requests, errors = open_page(browser, tmp_path / "gantt.html")
    width = float(page.locator("#body").get_attribute("width") or 0)
    page.click("#zoom-in")
    assert float(page.locator("#body").get_attribute("width") or 0) > width * 1.4
    assert page.locator("#body rect.bar").count() == len(bakery_schedule.rows)
    by_family = page.evaluate("() => [...document.querySelectorAll('#body rect.bar.run')]"
                              ".map(r => r.style.fill)")
    page.select_option("#color-by", "product")
    by_product = page.evaluate("() => [...document.querySelectorAll('#body rect.bar.run')]"
                               ".map(r => r.style.fill)")
    families = {p.family for p in bakery_schedule.plant.products.values()}
    assert len(set(by_family)) == len(families) < len(set(by_product))
    assert requests == [(tmp_path / "gantt.html").as_uri()] and errors == []
    page.close()


def test_order_view_marks_late_orders(browser: Any, bakery_schedule: Schedule,
                                      tmp_path: Path) -> None:
    write_gantt(bakery_schedule, tmp_path, png=False)
    page, requests, errors = open_page(browser, tmp_path / "orders.html")
    chart = order_chart(bakery_schedule)
    assert page.locator("#body rect.bar").count() == len(chart.bars)
    assert page.locator("#names > div").count() == len(bakery_schedule.plant.orders)
    late = [o.order_id for o in bakery_schedule.outcomes if o.tardiness > 0]
    late_names = page.locator("#names > div.late").all_inner_texts()
    assert [t.split(" ")[0] for t in late_names] == late
    assert page.locator("#body line.due").count() == len(chart.markers)
    assert page.locator("#body line.due.late").count() == sum(m.late for m in chart.markers)
    page.screenshot(path=str(tmp_path / "orders-screenshot.png"))
    assert requests == [(tmp_path / "orders.html").as_uri()] and errors == []
    page.close()
