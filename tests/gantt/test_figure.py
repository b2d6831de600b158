"""The static PNG: legible at 8 machines and 200 lots (no label overlaps another
text or leaves its bar), and usable from notebooks (Schedule.plot)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from prodsched.gantt import chart_figure, figure_png, machine_chart
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.lots.fixed import lots_per_order
from prodsched.plant import SetupTable, load_plant
from prodsched.schedule import Schedule
from prodsched.timeline import dispatch
from tests.conftest import assert_valid


@pytest.fixture(scope="module")
def big_schedule(tmp_path_factory: pytest.TempPathFactory) -> Schedule:
    """200 orders on 8 machines, one lot per order, scheduled by a dispatch rule."""
    folder = write_plant(GeneratorConfig(orders=200, machines=8, seed=3),
                         tmp_path_factory.mktemp("big") / "plant")
    plant = load_plant(folder)
    lots = lots_per_order(plant)
    schedule = Schedule(plant, lots, dispatch(plant, SetupTable(plant), lots))
    assert_valid(schedule)
    assert len(plant.machines) == 8 and len(lots) == 200
    return schedule


def drawn_texts(fig: Figure) -> list[tuple[Text, Bbox]]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [(t, t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]


def overlap(a: Bbox, b: Bbox) -> float:
    """Area (pixels²) shared by two boxes."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(0.0, width) * max(0.0, height)


@pytest.mark.parametrize("width", [14.0, 40.0])
def test_no_two_labels_overlap_at_8_machines_and_200_lots(big_schedule: Schedule,
                                                          width: float) -> None:
    chart = machine_chart(big_schedule)
    fig = chart_figure(chart, width=width)
    png = figure_png(fig)  # draws it for real
    assert png.startswith(b"\x89PNG")
    texts = drawn_texts(fig)
    labels = [(t, box) for t, box in texts if t.get_gid() == "bar-label"]
    runs = {r.lot for r in big_schedule.rows if r.kind == "run"}
    assert labels, "no bar is labelled at all"
    assert all(t.get_text() in runs for t, _ in labels)
    if width > 20:
        assert len(labels) > 100  # room for many labels: they are drawn, still apart
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        assert overlap(box_a, box_b) < 1.0, f"{a.get_text()!r} overlaps {b.get_text()!r}"
    # every label sits inside the run bar it names
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bars = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Rectangle)]
    for text, box in labels:
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        home = [b for b in bars if b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1]
        assert home and any(b.x0 <= box.x0 and box.x1 <= b.x1 and b.y0 <= box.y0
                            and box.y1 <= b.y1 for b in home), text.get_text()
    # one bar per row was drawn
    assert len(bars) == len(big_schedule.rows)


def test_schedule_plot_returns_the_figure_for_both_views(bakery_schedule: Schedule,
                                                         tmp_path: Path) -> None:
    fig = bakery_schedule.plot()
    assert isinstance(fig, Figure)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == list(bakery_schedule.plant.machines)
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    families = {p.family for p in bakery_schedule.plant.products.values()}
    assert families | {"setup", "unavailable"} == legend
    fig.savefig(tmp_path / "gantt.png")
    assert (tmp_path / "gantt.png").stat().st_size > 10_000

    orders = bakery_schedule.plot("orders", color_by="product")
    labels = orders.axes[0].get_yticklabels()
    assert len(labels) == len(bakery_schedule.plant.orders)
    late = {o.order_id for o in bakery_schedule.outcomes if o.tardiness > 0}
    red = {label.get_text().split(" ")[0] for label in labels if label.get_color() != "black"}
    assert red == late


def test_plot_draws_into_given_axes(tiny_schedule: Schedule) -> None:
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    assert tiny_schedule.plot(ax=ax) is fig
    assert len(ax.patches) == len(tiny_schedule.rows)
