"""One machine timeline for every heuristic: where a setup plus a run fits.

Every shop-floor rule (calendars, pauses, changeovers and initial states,
shared resources, fixed work, ``now``) is decided in one place,
:meth:`Shop.place`; every constructive schedule and every re-timing books
through it.

- :class:`Shop` (:mod:`.shop`): all machines and the plant-wide resources;
  ``place(machine, product, option, work, ready, min_end)`` → the earliest
  :class:`Placement` (run, changeover, setup row), ``book``/``unbook`` it;
  fixed operations are booked when it is made.
- :func:`place_chain` (:mod:`.steps`): a lot's next steps, each where it ends
  first, the steps linked by ``max_wait`` together (delaying earlier ones
  rather than letting a later one wait too long).
- :func:`dispatch` (:mod:`.dispatch`): the constructive scheduler, event
  driven, with a priority rule from :mod:`.rules` (EDD, FIFO, SPT, MWKR,
  ATCS, nearest setup, fixed sequences, campaigns, lazy/setup-first rules).
- :func:`retime` and :func:`left_shift` (:mod:`.retime`): earliest times for
  given machine sequences; :func:`delayed` and :func:`delay_to_due`: the
  same sequences with runs moved later, towards due dates.
"""

from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.retime import delay_to_due, delayed, left_shift, retime
from prodsched.timeline.rules import RULES, QueueRule, Rule
from prodsched.timeline.shop import Placement, Shop
from prodsched.timeline.steps import LotState, PlacementError, Routes, place_chain

__all__ = [
    "RULES",
    "LotState",
    "Placement",
    "PlacementError",
    "QueueRule",
    "Routes",
    "Rule",
    "Shop",
    "delay_to_due",
    "delayed",
    "dispatch",
    "left_shift",
    "place_chain",
    "retime",
]
