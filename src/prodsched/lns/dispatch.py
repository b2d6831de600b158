"""The large-plant route's dispatch, by its former name (see :mod:`prodsched.timeline`).

:func:`queue_dispatch` is :func:`prodsched.timeline.dispatch` with a
:class:`~prodsched.timeline.rules.QueueRule`, looking only at the head of each
product's queue, setup rows placed as the CP-SAT window model places them.
"""

from __future__ import annotations

from collections.abc import Sequence

from prodsched.lots.lot import Lot
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.rules import QueueRule
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS

__all__ = ["QueueRule", "queue_dispatch"]


def queue_dispatch(plant: Plant, lots: Sequence[Lot], setups: SetupTable,
                   rule: QueueRule | None = None) -> list[PlacedOp]:
    """Every step of every lot, placed by machine events with a queue rule (default: ATCS)."""
    return dispatch(plant, setups, lots, rule or QueueRule(), exact=False,
                    adjacent_setups=MODEL_ADJACENT_SETUPS)
