"""What the timeline derives from a plant once (calendars, routes), kept while the plant lives.

Schedulers and the re-timer run again and again on one plant (every window of
the large-plant search re-times the whole plant); a plant is immutable, so
what is derived from it is computed once per plant object. The cache holds
only a weak reference to the plant, and what it keeps must not refer to it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from prodsched.plant.model import Plant

T = TypeVar("T")

# (id(plant), kind) -> (a weak reference to the plant, the value)
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Plant], Any]] = {}


def per_plant(plant: Plant, kind: str, make: Callable[[Plant], T]) -> T:
    """``make(plant)``, computed once per plant object and ``kind``."""
    key = (id(plant), kind)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is plant:
        return entry[1]
    value = make(plant)
    _CACHE[key] = (weakref.ref(plant, lambda _: _CACHE.pop(key, None)), value)
    return value
