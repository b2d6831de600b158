"""Lot formation per production mode."""

from prodsched.lots.fixed import lots_per_order, split_quantity
from prodsched.lots.lot import STOCK, Lot

__all__ = ["STOCK", "Lot", "lots_per_order", "split_quantity"]
