"""Draw the Gantt images of README.md and docs/ from the bundled bakery plant.

    python docs/make_gantt_images.py

Writes docs/gantt-bakery.png (the static chart, as `prodsched solve --gantt`
draws it) and, when Debian's Chromium is installed, docs/gantt-bakery-html.png
(a screenshot of the interactive page with a tooltip open). The solve uses one
worker and a deterministic time limit, so the images are the same every run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import prodsched
from prodsched.cpsat_runner import SolverSettings
from prodsched.gantt import figure_png, gantt_figure, write_gantt
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def solved_bakery() -> prodsched.Schedule:
    """The bakery, solved repeatably (one worker, deterministic time)."""
    plant = prodsched.load_plant(ROOT / "instances" / "bakery")
    request = SolveRequest(objective=parse_objective(prodsched.DEFAULT_OBJECTIVE),
                           time_limit=120,
                           settings=SolverSettings(workers=1, seed=0, deterministic_seconds=8))
    return solve_request(plant, request)


def page_screenshot(page_file: Path, image: Path) -> None:
    """A screenshot of a Gantt page in headless Chromium, the tooltip of one run shown."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 320})
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready='1']")
        # hover the run nearest to the middle of the chart, on the third machine
        index = page.evaluate("""() => {
            const runs = [...document.querySelectorAll('#body rect.bar.run')];
            const mid = window.innerWidth * 0.45;
            const onThird = runs.filter(r => +r.getAttribute('y') > 48);
            const dist = r => Math.abs(r.getBoundingClientRect().x - mid);
            return runs.indexOf(onThird.reduce((a, b) => dist(a) <= dist(b) ? a : b));
        }""")
        page.locator("#body rect.bar.run").nth(index).hover()
        page.screenshot(path=str(image))
        browser.close()


def main() -> None:
    schedule = solved_bakery()
    print(schedule)
    (DOCS / "gantt-bakery.png").write_bytes(figure_png(gantt_figure(schedule)))
    print(f"wrote {DOCS / 'gantt-bakery.png'}")
    if CHROMIUM.exists():
        with tempfile.TemporaryDirectory() as tmp:
            write_gantt(schedule, tmp, png=False)
            page_screenshot(Path(tmp) / "gantt.html", DOCS / "gantt-bakery-html.png")
        print(f"wrote {DOCS / 'gantt-bakery-html.png'}")
    else:
        print(f"{CHROMIUM} is missing: no screenshot of the HTML page")


if __name__ == "__main__":
    main()
