"""Colours of a Gantt chart: one per product or family, and the fixed look of
setups and downtime.

Runs take colours from a qualitative palette (matplotlib's ``tab20`` without
its greys, strong shades first); greys are kept for setups and downtime so
that neither can be mistaken for a run. Past the palette, colours are spread
around the hue circle by the golden angle, so every key still gets its own.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable

PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5",
)
"""Run colours, in the order they are handed out."""

SETUP_FILL = "#e3e3e3"
"""Background of a setup bar (hatched with :data:`SETUP_EDGE`)."""

SETUP_EDGE = "#6b6b6b"
"""Hatch and outline of a setup bar."""

DOWN_FILL = "#4a4a4a"
"""Background of an unavailable period (cross-hatched with :data:`DOWN_EDGE`)."""

DOWN_EDGE = "#1c1c1c"
"""Hatch and outline of an unavailable period."""

LATE = "#c62828"
"""Marks late orders and missed due dates."""


def color_map(keys: Iterable[str]) -> dict[str, str]:
    """A distinct colour for every key, in first-seen order.

    Parameters
    ----------
    keys
        Products or families; repeats are ignored.

    Returns
    -------
    dict[str, str]
        Key → ``#rrggbb``. The same keys in the same order always get the
        same colours.
    """
    out: dict[str, str] = {}
    for key in keys:
        if key not in out:
            out[key] = _nth_color(len(out))
    return out


def _nth_color(n: int) -> str:
    if n < len(PALETTE):
        return PALETTE[n]
    hue = (n * 0.618033988749895) % 1.0
    red, green, blue = colorsys.hls_to_rgb(hue, 0.55, 0.6)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#rrggbb``)."""
    red, green, blue = (int(background[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.5 else "#ffffff"
