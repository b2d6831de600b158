"""Lot ids that do not clash with the lots of fixed.csv.

A product's slot lots are numbered ``P#1``, ``P#2``, ... at every solve, and
fixed.csv may hold a ``P#1`` of an earlier plan: new lots that would take a
fixed (pinned) lot's id are numbered after the product's highest number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Mode

__all__ = ["distinct_lot_ids", "numbered"]


def numbered(lots: list[Lot], taken: set[str]) -> list[Lot]:
    """Batch and mass lots named ``P#k`` after the product's highest previous number;
    one-off lots keep their order's id unless it is taken."""
    highest: Counter[str] = Counter()
    for lot_id in taken:
        product, sep, number = lot_id.rpartition("#")
        if sep and re.fullmatch(r"\d+", number):
            highest[product] = max(highest[product], int(number))
    out = []
    for lot in lots:
        lot_id = lot.lot_id
        if lot.mode is not Mode.ONE_OFF or lot_id in taken:
            highest[lot.product] += 1
            lot_id = f"{lot.product}#{highest[lot.product]}"  # as realize.slot_prefix
        while lot_id in taken:
            lot_id += "~"
        taken.add(lot_id)
        out.append(replace(lot, lot_id=lot_id))
    return out


def distinct_lot_ids(lots: list[Lot], ops: list[PlacedOp], pinned: tuple[Lot, ...]
                     ) -> tuple[list[Lot], list[PlacedOp]]:
    """New lots that took a pinned lot's id (a product's slot lots are numbered
    ``P#1``, ``P#2``, ... at every solve, and fixed.csv may hold a ``P#1`` of an
    earlier plan) renamed after the product's highest number."""
    own = set(pinned)
    taken = {lot.lot_id for lot in pinned}
    clashing = [lot for lot in lots if lot.lot_id in taken and lot not in own]
    if not clashing:
        return lots, ops
    new = dict(zip(clashing, numbered(clashing, {lot.lot_id for lot in (*lots, *pinned)}),
                   strict=True))
    return ([new.get(lot, lot) for lot in lots],
            [replace(op, lot=new[op.lot]) if op.lot in new else op for op in ops])
