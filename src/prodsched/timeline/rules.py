"""Priority rules of the constructive scheduler (:mod:`prodsched.timeline.dispatch`).

A machine that decides looks at the steps competing for it, each placed in
thought on it (:class:`Candidate`: start, end, the changeover from its
current set-up); the rule's :meth:`Rule.key` ranks them (smallest first, ties
by the lot's position). :meth:`Rule.order` is the rule's ranking of the steps
of *one product* waiting for a machine (their changeover is the same), so that
on large plants only the head of each product's queue needs a look.
:meth:`Rule.wait` lets a rule keep a machine idle (the lazy rules).

The rules:

- ``edd``: earliest due date (a deadline when earlier), then release;
  ``deadline-edd``: orders with a deadline first;
- ``fifo``: release, then the place of the lot's first order in orders.csv;
- ``spt``: shortest run on the machine deciding; ``mwkr``: most work
  remaining (the lot's fastest times from this step on);
- ``nearest-setup``: the smallest changeover, then due date;
- :class:`Rank` (a fixed sequence: campaign plans, product wheels) and
  :class:`Campaign` (stay on the family the machine is set up for, else the
  sequence);
- :func:`setup_ties`: any of these with ties going to the smaller changeover
  (the warm starts' rules); :func:`serial`: any of these lot by lot, each
  lot's every step at once, as a planner does by hand;
- ``atcs``: apparent tardiness cost with setups (Lee, Bhaskaran & Pinedo
  1997): the largest ``w/p · exp(-max(d - p - t, 0) / (k1 p̄)) · exp(-s / (k2 s̄))``
  with ``d`` the step's due date (the lot's less the fastest time of its later
  steps);
- :class:`QueueRule` with an urgency: *setup first* — steps whose slack is
  below ``urgency`` mean run times go first (ATCS among them), otherwise the
  smallest changeover; with ``lazy`` a machine that would need a changeover
  for work that is not urgent waits until work of its set-up arrives or
  something becomes urgent (campaigns as long as due dates allow).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from prodsched.plant.setups import Changeover
from prodsched.timeline.context import INF, Context
from prodsched.timeline.shop import Placement
from prodsched.timeline.steps import Run

Key = tuple[float, ...]


class Candidate(NamedTuple):
    """A lot's next step placed, in thought, on the machine deciding.

    Parameters
    ----------
    lot, step
        The lot's index in the dispatch and the step's index in its routing.
    placement
        Where it would run (start, end, changeover, the machine's set-up).
    run
        Its routing row, duration and unit time there.
    """

    lot: int
    step: int
    placement: Placement
    run: Run

    @property
    def machine(self) -> str:
        """The machine deciding."""
        return self.placement.machine

    @property
    def start(self) -> int:
        """The run's start."""
        return self.placement.start

    @property
    def end(self) -> int:
        """The run's end."""
        return self.placement.end

    @property
    def setup(self) -> Changeover:
        """The changeover before it."""
        return self.placement.setup

    @property
    def state(self) -> str | None:
        """What the machine is set up for before it."""
        return self.placement.state

    @property
    def duration(self) -> int:
        """The run's duration (working time)."""
        return self.run.work


class Rule:
    """A priority rule (see the module); the base ranks by the step's due date.

    Attributes
    ----------
    lookahead
        Steps that become ready before the first candidate would end are
        candidates too.
    conflicts
        Which candidates compete: ``"setup"``, those whose changeover could
        begin before the first candidate ends; ``"run"``, those whose run could
        start before then (Giffler and Thompson's conflict set); ``"all"``,
        every unscheduled lot's, wherever it would run (with ``whole_lot``:
        lot by lot, in the rule's order); ``"machine"``, every candidate of the
        machine deciding (then only by events).
    lazy
        :meth:`wait` may keep a machine idle (decided by events only).
    whole_lot
        A lot's remaining steps are placed as soon as it is chosen.
    """

    lookahead = True
    conflicts = "setup"
    lazy = False
    whole_lot = False

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def order(self, lot: int, step: int, machine: str) -> Key:
        """Rank of a waiting step among its product's on ``machine`` (smallest first)."""
        return (self.ctx.step_due[lot][step],)

    def key(self, c: Candidate, now: int) -> Key:
        """Rank of a candidate at decision time ``now`` (smallest first)."""
        return (self.ctx.step_due[c.lot][c.step],)

    def wait(self, pick: Candidate, candidates: Sequence[Candidate], now: int) -> float | None:
        """A time to wait for instead of dispatching ``pick`` (``None``: dispatch)."""
        return None


RuleFactory = Callable[[Context], Rule]


class Edd(Rule):
    """Earliest due date, then release."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (self.ctx.due[lot], self.ctx.lots[lot].release)

    def key(self, c: Candidate, now: int) -> Key:
        return self.order(c.lot, c.step, c.machine)


class DeadlineEdd(Rule):
    """Lots with a deadline first, then EDD."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        hard = 0 if self.ctx.lots[lot].deadline is not None else 1
        return (hard, self.ctx.due[lot], self.ctx.lots[lot].release)

    def key(self, c: Candidate, now: int) -> Key:
        return self.order(c.lot, c.step, c.machine)


class Fifo(Rule):
    """First in, first out: release, then the lot's first order's line in orders.csv."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (self.ctx.lots[lot].release, self.ctx.arrival[lot])

    def key(self, c: Candidate, now: int) -> Key:
        return self.order(c.lot, c.step, c.machine)


class SetupTies(Rule):
    """Another rule's first criterion, then the smaller changeover, then its other
    criteria (setup-aware ties, as the warm starts use them), over Giffler and
    Thompson's conflict set (``conflicts="run"``).

    Parameters
    ----------
    inner
        The rule whose ranking is refined.
    """

    conflicts = "run"

    def __init__(self, inner: Rule):
        super().__init__(inner.ctx)
        self.inner = inner

    def order(self, lot: int, step: int, machine: str) -> Key:
        return self.inner.order(lot, step, machine)

    def key(self, c: Candidate, now: int) -> Key:
        first, *rest = self.inner.key(c, now)
        return (first, c.setup.time, *rest)


class Serial(Rule):
    """Lot by lot in another rule's order: the first lot's every step, each where it
    ends first, then the next lot's (the plain rule a planner applies by hand)."""

    conflicts = "all"
    whole_lot = True

    def __init__(self, inner: Rule):
        super().__init__(inner.ctx)
        self.inner = inner

    def order(self, lot: int, step: int, machine: str) -> Key:
        return self.inner.order(lot, step, machine)

    def key(self, c: Candidate, now: int) -> Key:
        return self.inner.key(c, now)


def setup_ties(name: str) -> RuleFactory:
    """The rule ``name`` of :data:`RULES` with setup-aware ties."""
    return lambda ctx: SetupTies(RULES[name](ctx))


def serial(name: str) -> RuleFactory:
    """The rule ``name`` of :data:`RULES`, lot by lot."""
    return lambda ctx: Serial(RULES[name](ctx))


class Spt(Rule):
    """Shortest run on the machine deciding, then due date."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (self.ctx.routes.runs(self.ctx.lots[lot])[step][machine].work,
                self.ctx.due[lot])

    def key(self, c: Candidate, now: int) -> Key:
        return (c.duration, self.ctx.due[c.lot])


class Mwkr(Rule):
    """Most work remaining (fastest times of this step and the later ones), then due date."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (-self.ctx.remaining[lot][step], self.ctx.due[lot])

    def key(self, c: Candidate, now: int) -> Key:
        return self.order(c.lot, c.step, c.machine)


class NearestSetup(Rule):
    """The smallest changeover time, then its cost, then due date."""

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (self.ctx.due[lot],)

    def key(self, c: Candidate, now: int) -> Key:
        return (c.setup.time, float(c.setup.cost), self.ctx.due[c.lot])


class Rank(Rule):
    """A fixed sequence: the lot that comes first in it.

    Parameters
    ----------
    ctx
        The dispatch's lots.
    sequence
        Lot indices, first to make first (lots not in it come after).
    whole_lot
        Place a lot's every remaining step as soon as it is chosen.
    """

    def __init__(self, ctx: Context, sequence: Sequence[int], whole_lot: bool = False):
        super().__init__(ctx)
        self.whole_lot = whole_lot
        self.rank = list(range(len(sequence), len(sequence) + len(ctx.lots)))
        for k, i in enumerate(sequence):
            self.rank[i] = k

    def order(self, lot: int, step: int, machine: str) -> Key:
        return (self.rank[lot],)

    def key(self, c: Candidate, now: int) -> Key:
        return (self.rank[c.lot],)


class Campaign(Rank):
    """Stay on the family the machine is set up for while it has work; else the sequence."""

    def key(self, c: Candidate, now: int) -> Key:
        ctx = self.ctx
        family = ctx.plant.products[ctx.lots[c.lot].product].family
        return (0 if family == ctx.family(c.state) else 1, self.rank[c.lot])


class Atcs(Rule):
    """Apparent tardiness cost with setups; the largest index goes first.

    The key is the negated logarithm of the index (no underflow far from the
    due date), then the step's due date.
    """

    def __init__(self, ctx: Context, lookahead: bool = True, conflicts: str = "setup"):
        super().__init__(ctx)
        self.lookahead = lookahead
        self.conflicts = conflicts
        scales = ctx.atcs
        self.k1 = max(1e-9, scales.k1) * scales.mean_run
        self.k2 = max(1e-9, scales.k2) * max(scales.mean_setup, 1e-9)
        self.setups_matter = scales.mean_setup > 0

    def index(self, c: Candidate, now: int) -> float:
        """The logarithm of the ATCS index."""
        p = max(c.duration, 1)
        due = self.ctx.step_due[c.lot][c.step]
        value = math.log(self.ctx.weight[c.lot] / p)
        value -= max(due - p - now, 0.0) / self.k1 if due < INF else INF
        if self.setups_matter:
            value -= c.setup.time / self.k2
        return value

    def key(self, c: Candidate, now: int) -> Key:
        return (-self.index(c, now), self.ctx.step_due[c.lot][c.step])


class SetupFirst(Atcs):
    """Urgent steps first (ATCS among them), then the smallest changeover; lazy: wait
    rather than change over for work that is not urgent."""

    def __init__(self, ctx: Context, urgency: float, lookahead: bool, lazy: bool):
        super().__init__(ctx, lookahead, conflicts="machine")
        self.threshold = urgency * ctx.atcs.mean_run
        self.lazy = lazy

    def key(self, c: Candidate, now: int) -> Key:
        due = self.ctx.step_due[c.lot][c.step]
        if due - c.duration - now < self.threshold:
            return (0, -self.index(c, now), due)
        return (1, c.setup.time, due)

    def wait(self, pick: Candidate, candidates: Sequence[Candidate], now: int) -> float | None:
        if not self.lazy or pick.setup.time == 0 or self.key(pick, now)[0] == 0:
            return None
        step_due = self.ctx.step_due
        return min(step_due[c.lot][c.step] - c.duration - self.threshold for c in candidates)


@dataclass(frozen=True)
class QueueRule:
    """The rules of the large-plant start, by their parameters (a rule factory).

    Every candidate competes (no conflict-set filter), as befits deciding by
    events over queue heads.

    Parameters
    ----------
    urgency
        ``None``: ATCS; else slack, in mean run times, below which a step is urgent.
    lookahead
        Also consider steps that become ready before the first candidate ends.
    lazy
        Wait rather than change over for work that is not urgent.
    """

    urgency: float | None = None
    lookahead: bool = False
    lazy: bool = False

    def __call__(self, ctx: Context) -> Rule:
        if self.urgency is None:
            return Atcs(ctx, self.lookahead, conflicts="machine")
        return SetupFirst(ctx, self.urgency, self.lookahead, self.lazy)


def rank_rule(sequence: Sequence[int], whole_lot: bool = False) -> RuleFactory:
    """A fixed sequence of lot indices as a rule (``whole_lot``: lot by lot)."""
    return lambda ctx: Rank(ctx, sequence, whole_lot)


def campaign_rule(sequence: Sequence[int]) -> RuleFactory:
    """Stay on the machine's family, else follow the sequence of lot indices."""
    return lambda ctx: Campaign(ctx, sequence)


RULES: dict[str, RuleFactory] = {
    "edd": Edd,
    "deadline-edd": DeadlineEdd,
    "fifo": Fifo,
    "spt": Spt,
    "mwkr": Mwkr,
    "nearest-setup": NearestSetup,
    "atcs": Atcs,
}
