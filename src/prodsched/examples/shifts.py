"""``shifts``: two weeks of metal parts in two shifts, with runs that pause overnight.

The plant
    Two presses (``PRESS1``, ``PRESS2``), a curing oven (``OVEN``) and a
    packing line (``PACK``). Every product is pressed, cured and packed.

Shifts
    Two shifts, 06:00–22:00, Monday to Friday, for the two weeks from Monday
    2 March 2026 (ISO date-times, time 0 at Monday 06:00): every machine is
    down 22:00–06:00 and from Friday 22:00 to Monday 06:00 (calendar.csv).

Runs that pause (spec v2 ``can_pause``)
    A press campaign or a packing run may stop at the end of the shift and go
    on the next morning (``can_pause`` yes): a 6,000-unit campaign takes more
    than a shift. A curing batch may not (``can_pause`` no): parts left in the
    oven overnight are scrap, so an oven run lies inside one shift.

A longest wait (spec v2 ``max_wait``)
    Pressed parts must go into the oven within 10 hours (600 minutes) of the
    end of their pressing (they corrode): the same shift, or the next morning
    when pressing ended late in the evening shift, but never over a weekend.

Products
    Steel brackets and hinges (family ``steel``) and aluminium frames
    (family ``alu``) are made in campaigns (``mass``: parts flow to the oven
    as they are pressed); aluminium panels in ``batch`` lots. Lots are
    multiples of 100 (a pallet) and at most an oven load (``max_lot``:
    1,500–5,000 parts). A lot of 4,000 brackets or 5,000 hinges keeps a press
    busy for more than a shift (1,000 minutes), so its run pauses overnight.

Changeovers (setups.csv)
    A die change on a press: 60 minutes (cost 50), 120 minutes between the
    families (cost 90); the oven changes temperature between the families in
    45 minutes; packing needs 15 minutes between products.

The trade-off
    Long campaigns save die changes, but the oven cures at most a shift's
    worth and pressed parts may not wait long, so campaigns must be cut into
    lots that keep pace with the oven, and a late press run may push its
    curing past the weekend limit.
"""

from __future__ import annotations

from datetime import datetime

from prodsched.generate.csvtext import Cell, csv_text, iso_minutes

DESCRIPTION = (
    "16 orders of pressed parts in two shifts, weekends off: press and packing runs "
    "pause overnight, the oven may not; max_wait press → oven (ISO date-times)"
)

MONDAY = datetime(2026, 3, 2)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
MACHINES = ("PRESS1", "PRESS2", "OVEN", "PACK")
OVEN_MAX_WAIT = 600


def at(week: int, day: str, clock: str) -> str:
    """ISO date-time of ``day`` of week ``week`` (1 or 2) at ``clock`` (``HH:MM``)."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return iso_minutes(MONDAY, ((week - 1) * 7 + WEEKDAYS.index(day)) * 1440
                       + hours * 60 + minutes)


# product, family, mode, max_lot (an oven load), press min/unit, oven min/unit
PRODUCTS: list[tuple[str, str, str, int, float, float]] = [
    ("bracket", "steel", "mass", 4000, 0.25, 0.12),
    ("hinge", "steel", "mass", 5000, 0.2, 0.1),
    ("frame", "alu", "mass", 3000, 0.3, 0.15),
    ("panel", "alu", "batch", 1500, 0.4, 0.2),
]

# order_id, product, quantity, due (week, day, clock), weight
ORDERS: list[tuple[str, str, int, tuple[int, str, str], int]] = [
    ("S01", "bracket", 4000, (1, "Tue", "22:00"), 1),
    ("S02", "hinge", 3000, (1, "Wed", "22:00"), 1),
    ("S03", "frame", 2500, (1, "Wed", "22:00"), 2),
    ("S04", "panel", 1200, (1, "Thu", "14:00"), 1),
    ("S05", "bracket", 6000, (1, "Fri", "22:00"), 1),
    ("S06", "hinge", 2000, (1, "Fri", "14:00"), 1),
    ("S07", "frame", 3000, (1, "Fri", "22:00"), 1),
    ("S08", "panel", 800, (1, "Fri", "22:00"), 2),
    ("S09", "bracket", 3000, (2, "Tue", "22:00"), 1),
    ("S10", "hinge", 5000, (2, "Wed", "22:00"), 1),
    ("S11", "frame", 2000, (2, "Wed", "14:00"), 1),
    ("S12", "panel", 1500, (2, "Thu", "22:00"), 1),
    ("S13", "bracket", 5000, (2, "Fri", "22:00"), 2),
    ("S14", "hinge", 2500, (2, "Fri", "22:00"), 1),
    ("S15", "frame", 4000, (2, "Fri", "22:00"), 1),
    ("S16", "panel", 1000, (2, "Fri", "14:00"), 1),
]


def _routings() -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for name, _, _, _, press, oven in PRODUCTS:
        rows += [
            (name, 1, "PRESS1|PRESS2", press, 20, "yes", None),
            (name, 2, "OVEN", oven, 30, "no", OVEN_MAX_WAIT),
            (name, 3, "PACK", 0.08, 10, "yes", None),
        ]
    return rows


SETUPS: list[tuple[Cell, ...]] = [
    # machine, from, to, time, cost
    ("*", "*", "*", 0, 0),
    ("PRESS1", "*", "*", 60, 50),
    ("PRESS2", "*", "*", 60, 50),
    ("PRESS1", "steel", "alu", 120, 90),
    ("PRESS1", "alu", "steel", 120, 90),
    ("PRESS2", "steel", "alu", 120, 90),
    ("PRESS2", "alu", "steel", 120, 90),
    ("OVEN", "steel", "alu", 45, 20),
    ("OVEN", "alu", "steel", 45, 20),
    ("PACK", "*", "*", 15, 5),
]


def _calendar() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for week in (1, 2):
        for day in WEEKDAYS[:-1]:
            rows.append(("*", at(week, day, "22:00"), at(week, WEEKDAYS[WEEKDAYS.index(day) + 1],
                                                         "06:00")))
        rows.append(("*", at(week, "Fri", "22:00"), at(week + 1, "Mon", "06:00")))
    return rows


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    orders = [(order_id, product, quantity, at(*due), at(1, "Mon", "06:00"), weight)
              for order_id, product, quantity, due, weight in ORDERS]
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), orders),
        "products.csv": csv_text(
            ("product", "family", "mode", "min_lot", "max_lot", "lot_multiple"),
            [(name, family, mode, 100, most, 100)
             for name, family, mode, most, _, _ in PRODUCTS]),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time", "can_pause",
             "max_wait"), _routings()),
        "machines.csv": csv_text(("machine",), [(m,) for m in MACHINES]),
        "setups.csv": csv_text(("machine", "from", "to", "time", "cost"), SETUPS),
        "calendar.csv": csv_text(("machine", "start", "end"), _calendar()),
    }
