"""Why a plant has no valid schedule: preflight bounds, then CP-SAT under assumptions.

- :func:`preflight` proves conflicts from lower bounds alone (a deadline
  before time 0, an order too long for its deadline, calendars in the way, a
  machine without room for the work of its orders).
- :func:`explain` asks CP-SAT which deadlines (and downtimes) conflict.
- :func:`relax_deadlines` turns deadlines into due dates for a schedule anyway.
"""

from prodsched.feasibility.core import explain
from prodsched.feasibility.preflight import preflight
from prodsched.feasibility.relax import missed_deadlines, relax_deadlines

__all__ = ["explain", "missed_deadlines", "preflight", "relax_deadlines"]
