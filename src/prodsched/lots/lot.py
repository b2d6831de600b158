"""Lots: what a machine runs, and which orders' units they carry.

A lot is one product, one production mode, a quantity, and allocations of its
units to orders (``STOCK`` takes surplus units). It keeps its id and its
allocations across every step of its routing.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Mode

STOCK = "STOCK"


@dataclass(frozen=True)
class Lot:
    """A lot of one product.

    Parameters
    ----------
    lot_id
        Unique id, written in schedule.csv.
    product
        The product made.
    mode
        ``one-off``, ``batch`` or ``mass`` (never ``auto``: auto is resolved).
    allocations
        ``(order_id, units)`` pairs; ``STOCK`` for surplus units.
    release
        Earliest start of the first step (latest release of its orders).
    due
        Earliest due date of its orders (``None``: none has one).
    deadline
        Earliest hard deadline of its orders (``None``: none has one).
    """

    lot_id: str
    product: str
    mode: Mode
    allocations: tuple[tuple[str, int], ...]
    release: int = 0
    due: Fraction | None = None
    deadline: int | None = None

    @property
    def quantity(self) -> int:
        """Units in the lot."""
        return sum(units for _, units in self.allocations)

    @property
    def order_ids(self) -> tuple[str, ...]:
        """The orders served (without ``STOCK``)."""
        return tuple(o for o, _ in self.allocations if o != STOCK)

    def orders_text(self) -> str:
        """Allocations as written in schedule.csv: ``o1:5;o2:3``."""
        return ";".join(f"{o}:{u}" for o, u in self.allocations)
