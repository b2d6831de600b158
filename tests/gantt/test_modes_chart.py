"""The charts of ``compare-modes --by-product``: one self-contained page and one
image, a row per product, the advised mode marked, close points sharing a label."""

from __future__ import annotations

from matplotlib.axes import Axes

from prodsched.gantt.modes_chart import (
    Point,
    labelled,
    modes_figure,
    modes_files,
    modes_html,
    product_points,
)


def test_close_points_share_one_label_and_the_advised_one_says_so():
    points = [Point("batch", "batch", 1.0, 10.0, False), Point("mass", "mass", 1.01, 10.2, True),
              Point("one-off", "one-off", 2.0, 3.0, False)]
    labels = dict((p.run, label) for p, label in labelled(points))
    assert labels == {"batch": "", "mass": "batch, mass (advised)", "one-off": "one-off"}
    assert labelled([Point("x", "x", 1.0, None, False)]) == []


def test_page_and_image_show_every_product(three_by_product):
    result = three_by_product
    points = product_points(result)
    assert list(points) == ["DRINK", "CUSTOM", "MIDDLE"]
    assert [p.run for p in points["DRINK"]] == ["one-off", "batch", "mass", "auto", "hybrid"]
    assert [p.run for p in points["DRINK"] if p.advised] == ["mass"]
    page = modes_html(result)
    assert page.count("<svg") == 2 * len(points)
    assert "src=" not in page and "href=" not in page and "<script" not in page
    assert result.advice["CUSTOM"].reason.split("—")[0] in page
    fig = modes_figure(result)
    visible = [ax for ax in fig.axes if isinstance(ax, Axes) and ax.get_visible()]
    assert len(visible) == 2 * len(points)
    files = modes_files(result)
    assert set(files) == {"modes.html", "modes.png"}
    assert isinstance(files["modes.png"], bytes) and files["modes.png"].startswith(b"\x89PNG")
