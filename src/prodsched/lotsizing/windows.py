"""Searching the lot-sizing model: the whole model until it stalls, then
fix-and-optimise over windows of buckets.

On long horizons (100–200 buckets) one CP-SAT search of the whole bucket
model finds its bound and first plans quickly but improves them slowly: every
move has to be found among all buckets at once. Fix-and-optimise (Helber and
Sahling's name for it in lot sizing) solves the same model again with the
decisions of every bucket outside a window of consecutive buckets fixed at
the best plan's values: a small model CP-SAT often proves optimal within a
second or two. The window slides over the horizon, half a window at a time,
and grows while its models are proved quickly (shrinks when not), so its size
follows what the solver can prove rather than a tuned constant.

The search starts from the backward plan (:mod:`.first_plan`: every unit as
late as its due date allows, changeovers chosen greedily), found at once and
handed to the whole model as a hint. The whole model then runs only until it
stalls (no better plan for 3 % of the time, after at least 5 %; without the
backward plan, or on fewer than 60 buckets, 10 % after at least 20 %): from a
good plan on a long horizon, windows improve it faster than the whole model
does. On the 200-period pigment plants the whole model's own first plan came
after 8 s at more than twice the optimum; the backward plan is 8–24 % above
it, and the windows start from there.

A window is a model of its own buckets (:mod:`.window_model`): the plan
around it comes in as the machines' set-up states entering it, the units made
before it and by its end, and the first lot after it on each machine, whose
changeover depends on the state the window ends in. Before, a window was the
whole model with the decisions outside it fixed, and CP-SAT presolved the whole
model at every window: most of a window's time on long horizons. The window's
decisions (whether a lot is made, its quantity and run time, the order inside
its bucket) map one to one onto the whole model's, so every plan it returns is
a plan of the whole model, and the whole model's bound stays a bound; once the
windows end, CP-SAT completes the whole model's values (stock, set-up states)
from those decisions.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from fractions import Fraction

from prodsched.cpsat_runner import (
    ProgressHook,
    RunResult,
    SolverSettings,
    StageExpression,
    hint_all,
    run_stages,
)
from prodsched.lotsizing.first_plan import backward_plan
from prodsched.lotsizing.mip import all_linear, decisions, race
from prodsched.lotsizing.model import BucketModel, Frame
from prodsched.lotsizing.window_model import decision_pairs, frame_of, window_model
from prodsched.objective import Stage
from prodsched.schedule.stats import SolveStatus, StageResult, WindowSearchStats
from prodsched.stop import Stop

# The whole model's least share of the time (with a deterministic budget: its
# share of it); past it, the whole model goes on until no better plan came for
# STALL_SHARE of the time, and always until its first plan.
WHOLE_SHARE, STALL_SHARE = 0.2, 0.1
# The same when it starts from the backward plan on a long horizon (at least
# LONG_HORIZON buckets): the windows have a good plan to improve at once, and
# there they improve it faster than the whole model (PSP_200_1, 60 s, one run
# each: 22,878 with these shares, 23,686 with the ones above). Without that plan
# the whole model finds the first plans, and on short horizons it proves the
# optimum itself (Trigeiro F2, 15 buckets: proved in 3.1 s with the shares
# above, 5.5 s with these).
FROM_PLAN_WHOLE_SHARE, FROM_PLAN_STALL_SHARE, LONG_HORIZON = 0.05, 0.03, 60
# The MIP's share of the time, where the model is all linear: there a MIP's bound
# closes the gap faster than CP-SAT's search (Trigeiro F3: HiGHS proves the optimum
# in 17 s; CP-SAT does not in 30 s), so it gets most of the time; the rest starts
# from its plan.
MIP_SHARE = 0.8
# The first plan's completion: at most this share of the time.
FIRST_SHARE = 0.1
# A window model's share of the time left, and the range of its seconds.
WINDOW_SHARE, WINDOW_MIN_SECONDS, WINDOW_MAX_SECONDS = 0.1, 0.5, 10.0
# What the windows leave to complete the whole model's values from their plan.
FINAL_SECONDS = 1.0
# The first window: this share of the buckets (at least MIN_WIDTH buckets).
FIRST_WIDTH_SHARE, MIN_WIDTH = 0.2, 2
# A window proved optimal within this share of its time grows by GROW; one not
# proved shrinks by the same factor.
QUICK_SHARE, GROW = 0.5, 1.5


def decisions_by_bucket(bm: BucketModel) -> dict[int, list[int]]:
    """Variable indices of each bucket's decisions: lots made, their quantity and run
    time, and their order inside the bucket."""
    out: dict[int, list[int]] = defaultdict(list)
    for lot in bm.lots:
        out[lot.bucket] += [lot.made.index, lot.quantity.index, lot.duration.index]
    for seq in bm.sequences:
        found = list(seq.first.values()) + list(seq.last.values())
        found += [lit for _, _, lit in seq.arcs]
        if seq.busy is not None:
            found.append(seq.busy)
        out[seq.bucket] += [v.index for v in found]
    return out


def stage_values(bm: BucketModel, stages: Sequence[Stage], values: list[int]
                 ) -> tuple[Fraction, ...]:
    """The plan's value in each stage of the objective."""
    def value(var: object) -> int:
        index = var.index  # type: ignore[attr-defined]
        return values[index] if index >= 0 else 1 - values[-index - 1]

    return tuple(sum((w * c * value(v) for crit, w in stage.terms
                      for c, v in bm.criterion_terms(crit)), Fraction(0)) for stage in stages)


def search_plan(bm: BucketModel, stages: Sequence[Stage], settings: SolverSettings,
                stop: Stop, progress: ProgressHook | None = None
                ) -> tuple[RunResult, WindowSearchStats]:
    """The best plan found: the whole model for a share of the time, then windows.

    Parameters
    ----------
    bm
        The bucket model (its CP-SAT model gets the whole search's stage
        constraints; windows work on copies).
    stages
        The objective's stages, in order.
    settings
        CP-SAT's parameters, for the whole model and the windows.
    stop
        When the search ends (wall deadline, deterministic budget, stop flag).
    progress
        Called at every better plan.
    """
    if bm.grid.count < LONG_HORIZON:  # the whole model may prove the optimum itself
        bm.add_deadline_cuts()
    expressions = [(str(s), *bm.stage_expression(s)) for s in stages]
    started = time.monotonic()
    stats = WindowSearchStats()
    det = stop.deterministic_seconds
    mip_plan: list[int] | None = None
    if det is None and math.isfinite(stop.left()) and all_linear(bm.model):
        proved, mip_plan = _mip(bm, expressions, settings, stop.within(MIP_SHARE * stop.left()))
        stats.mip = "proved" if proved is not None else "plan" if mip_plan else "none"
        if proved is not None:
            if progress is not None:
                value = proved.stages[-1].objective
                assert value is not None
                progress(str(stages[-1]), time.monotonic() - started, value, value)
            return proved, stats
    first = first_values(bm, expressions, settings, stop.within(FIRST_SHARE * stop.left())
                         .with_budget(None if det is None else FIRST_SHARE * det))
    first_value = None if first is None else stage_values(bm, stages, first)
    if first is not None and first_value is not None:
        stats.first_plan = float(first_value[-1])
    if mip_plan is not None and (first_value is None
                                 or stage_values(bm, stages, mip_plan) < first_value):
        first, first_value = mip_plan, stage_values(bm, stages, mip_plan)
    if first is not None and first_value is not None:
        hint_all(bm.model, first)
    from_plan = first is not None and bm.grid.count >= LONG_HORIZON
    shares = ((FROM_PLAN_WHOLE_SHARE, FROM_PLAN_STALL_SHARE) if from_plan
              else (WHOLE_SHARE, STALL_SHARE))
    whole = _whole(bm, expressions, settings, stop, progress, shares)
    whole.interrupted = stop()  # not when it stopped because it stalled
    if whole.values is None and first is not None:
        whole = replace(whole, values=first, status=SolveStatus.FEASIBLE)
    if whole.values is None or whole.status == "optimal" or stop():
        return whole, stats
    values = whole.values
    best = stage_values(bm, stages, values)
    if first is not None and first_value is not None and first_value < best:
        values, best = first, first_value
    buckets = decisions_by_bucket(bm)
    count = max(buckets, default=0) + 1
    width = min(count, max(MIN_WIDTH, math.ceil(FIRST_WIDTH_SHARE * count)))
    det_left = stop.deterministic_seconds
    det_window = None if det_left is None else det_left * WINDOW_SHARE
    # a window model holds only its buckets (presolve of the whole model was most of
    # a window's time); one presolve pass is enough for it
    window_settings = replace(settings, light_presolve=True)
    # windows far apart are solved side by side, one worker each (see lane_windows)
    lane_count = settings.workers or os.cpu_count() or 1
    lane_settings = replace(window_settings, workers=1)
    begin, changed, fallback = 0, False, (values, best)
    windows_started = time.monotonic()
    passes = 0
    while not stop() and count > 1:
        seconds = min(WINDOW_MAX_SECONDS, max(WINDOW_MIN_SECONDS, WINDOW_SHARE * stop.left()))
        if stop.left() < WINDOW_MIN_SECONDS + FINAL_SECONDS or (
                det_left is not None and det_left <= 0):
            break
        low = min(begin, count - width)
        window = range(low, low + width)
        lanes = lane_windows(window, count, lane_count)
        lane_budget = None if det_window is None or det_left is None else min(
            det_window, det_left / len(lanes))
        window_stop = stop.within(seconds).with_budget(lane_budget)
        steps = _window_steps(bm, values, lanes, stages,
                              lane_settings if len(lanes) > 1 else window_settings,
                              window_stop)
        if det_left is not None:
            det_left -= sum(s.deterministic_seconds for s in steps)
        stats.windows += len(steps)
        stats.proved += sum(s.proved for s in steps)
        merged = _merge(bm, values, steps)
        if merged is not None:
            values, step_change, kept = merged
            changed = True
            best = tuple(b + d for b, d in zip(best, step_change, strict=True))
            stats.improved += kept
            if progress is not None:
                bound = whole.stages[-1].bound if whole.stages else None
                progress(str(stages[-1]), time.monotonic() - started, float(best[-1]),
                         float(best[-1]) if bound is None else bound)
        all_proved = all(s.proved for s in steps)
        slowest = max(s.seconds for s in steps)
        if all_proved and width == count:
            stats.proved_whole_horizon = True  # the whole horizon at once, proved
            break
        if window.stop >= count:
            passes += 1
            begin = _pass_start(passes, width)
        else:
            begin = low + max(1, width // 2)
        if all_proved and slowest < QUICK_SHARE * seconds:
            width = min(count, math.ceil(width * GROW))
        elif not all_proved:
            width = max(MIN_WIDTH, math.floor(width / GROW))
    if changed:
        values, best = _complete(bm, values, buckets, expressions, stages, window_settings,
                                 fallback)
    stats.last_width = width
    stats.seconds = round(time.monotonic() - windows_started, 3)
    names = [name for name, _, _ in expressions]
    return _result(whole, values, best, names, stats.proved_whole_horizon), stats


def _pass_start(passes: int, width: int) -> int:
    """Return the first bucket of the next pass of windows.

    A window that CP-SAT proved optimal stays optimal while the plan around it
    is unchanged, so a pass over the same windows as the last one finds little.
    Each pass starts a third of a width further on (modulo half a width, the step
    between windows), so its window edges fall inside the last pass's windows
    (12 PSP instances, 30 deterministic seconds each, 1 worker: 5.56 % mean gap
    against 5.93 % when every pass starts at bucket 0).
    """
    return (passes * max(1, width // 3)) % max(1, width // 2)


def lane_windows(window: range, count: int, lanes: int) -> list[range]:
    """Return ``window`` and up to ``lanes - 1`` more of its width, spread evenly
    over the ``count`` buckets, no two overlapping or touching.

    A window model is small, and CP-SAT's second worker on it gains little: on
    PSP_200_1, 8 windows of 25 buckets took 30.5 s with one worker and 28.2 s with
    two, but 16.1 s as two threads of one worker, each solving 4 of them. Windows
    with buckets between them mostly do not touch each other's frame, so their
    changes add up (:func:`_merge` keeps only those that do not).
    """
    found = [window]
    width = len(window)
    for lane in range(1, lanes):
        low = min((window.start + lane * count // lanes) % count, count - width)
        other = range(low, low + width)
        if all(other.start > w.stop or w.start > other.stop for w in found):
            found.append(other)
    return found


def _window_steps(bm: BucketModel, values: list[int], windows: list[range],
                  stages: Sequence[Stage], settings: SolverSettings, stop: Stop
                  ) -> list[_WindowStep]:
    """Each window re-planned from the plan ``values``, side by side when more than
    one (CP-SAT releases Python's lock while it solves)."""
    if len(windows) == 1:
        return [_window_step(bm, values, windows[0], stages, settings, stop)]
    with ThreadPoolExecutor(max_workers=len(windows)) as pool:
        return list(pool.map(
            lambda window: _window_step(bm, values, window, stages, settings, stop),
            windows))


def _merge(bm: BucketModel, values: list[int], steps: list[_WindowStep]
           ) -> tuple[list[int], tuple[Fraction, ...], int] | None:
    """The plan ``values`` with the improving windows' decisions, the change in each
    stage's value, and how many windows were kept (``None``: none improved).

    Windows are taken in turn (the first is the sweep's own); one is kept only if
    it shares no bucket with a kept window and every kept window's frame is still
    the one it was solved in, so that each change holds in the plan that combines
    them and the changes add up.
    """
    merged: tuple[list[int], tuple[Fraction, ...], int] | None = None
    kept: list[Frame] = []
    for step in steps:
        if step.values is None or step.change >= tuple(Fraction(0) for _ in step.change):
            continue
        window = step.frame.buckets
        if any(window.start < f.buckets.stop and f.buckets.start < window.stop for f in kept):
            continue  # both re-planned the buckets they share
        plan = list(values) if merged is None else list(merged[0])
        for i, value in enumerate(step.values):
            if value != values[i]:
                plan[i] = value
        trial = [*kept, step.frame]
        if any(frame_of(bm, plan, f.buckets) != f for f in trial):
            continue
        kept = trial
        change = step.change if merged is None else tuple(
            a + b for a, b in zip(merged[1], step.change, strict=True))
        merged = (plan, change, len(kept))
    return merged


@dataclass
class _WindowStep:
    """One window re-planned."""

    frame: Frame  # what the plan fixed around the window (its buckets included)
    values: list[int] | None  # the plan with the window's decisions changed (only decisions)
    change: tuple[Fraction, ...]  # per stage, what the plan's value changed by
    proved: bool  # the window's plan is optimal for the window
    seconds: float
    deterministic_seconds: float


def _window_step(bm: BucketModel, values: list[int], window: range, stages: Sequence[Stage],
                 settings: SolverSettings, stop: Stop) -> _WindowStep:
    """Re-plan the buckets of ``window`` in a model of their own (:mod:`.window_model`),
    with the plan whose decisions are ``values`` fixed around them."""
    started = time.monotonic()
    sub = window_model(bm, values, window)
    frame = sub.frame
    assert frame is not None  # a window model is built around its frame
    expressions = [(str(s), *sub.stage_expression(s)) for s in stages]
    pairs = decision_pairs(bm, sub)
    # the plan as it is, in the window's model: its value there, and a full hint
    now = _solve_fixed(sub, {w: values[v] for w, v in pairs}, expressions, settings, stop)
    unchanged = tuple(Fraction(0) for _ in stages)
    if now.values is None:
        return _WindowStep(frame, None, unchanged, False, time.monotonic() - started,
                           now.deterministic_seconds)
    hint_all(sub.model, now.values)
    run = run_stages(sub.model, expressions, settings, stop)
    spent = now.deterministic_seconds + run.deterministic_seconds
    if run.values is None:
        return _WindowStep(frame, None, unchanged, False, time.monotonic() - started, spent)
    change = tuple(after - before for after, before in zip(
        stage_values(sub, stages, run.values), stage_values(sub, stages, now.values),
        strict=True))
    updated = list(values)
    for w, v in pairs:
        updated[v] = run.values[w]
    return _WindowStep(frame, updated, change, run.status == "optimal", time.monotonic() - started,
                       spent)


def _complete(bm: BucketModel, values: list[int], buckets: dict[int, list[int]],
              expressions: Sequence[StageExpression], stages: Sequence[Stage],
              settings: SolverSettings, fallback: tuple[list[int], tuple[Fraction, ...]]
              ) -> tuple[list[int], tuple[Fraction, ...]]:
    """Every variable's value, and the stages' values, of the plan whose decisions are
    ``values`` (windows change decisions only); ``fallback`` should CP-SAT not
    complete it within :data:`FINAL_SECONDS` (it is complete at once: every decision
    is fixed, and the rest follows from them)."""
    fixed = {i: values[i] for indices in buckets.values() for i in indices}
    run = _solve_fixed(bm, fixed, expressions, settings,
                       Stop.make(time.monotonic() + FINAL_SECONDS), hint=values)
    if run.values is None:
        return fallback
    return run.values, stage_values(bm, stages, run.values)


def _mip(bm: BucketModel, expressions: Sequence[StageExpression], settings: SolverSettings,
         stop: Stop) -> tuple[RunResult | None, list[int] | None]:
    """The all-linear model solved as a MIP (:mod:`.mip`): the result when the MIP
    proved every stage optimal, and its plan (``None``: none, or one CP-SAT does
    not accept)."""
    values, bounds = race(bm.model, expressions, stop, settings.workers)
    if values is None:
        return None, None
    # the yes/no decisions fixed, CP-SAT sizes the lots (the MIP's quantities are
    # continuous): a plan of the model, optimal when it reaches the MIP's bounds
    run = _solve_fixed(bm, {i: values[i] for i in decisions(bm.model)}, expressions, settings,
                       Stop.make(time.monotonic() + FINAL_SECONDS))
    if run.values is None:
        return None, None
    reached = bounds is not None and run.status == "optimal" and all(
        stage.objective is not None and round(stage.objective * scale) <= bound
        for stage, (_, _, scale), bound in zip(run.stages, expressions, bounds, strict=True))
    if not reached:
        return None, run.values
    stages = [replace(stage, bound=stage.objective) for stage in run.stages]
    return replace(run, stages=stages), run.values


def _solve_fixed(bm: BucketModel, fixed: dict[int, int],
                 expressions: Sequence[StageExpression], settings: SolverSettings,
                 stop: Stop, hint: list[int] | None = None) -> RunResult:
    """The model with some variables fixed (``{variable index: value}``), on a copy;
    hinted at ``hint`` (every variable's value) when given."""
    model = bm.model.clone()
    for i, value in fixed.items():
        domain = model.proto.variables[i].domain
        domain.clear()
        domain.extend([value, value])
    if hint is not None:
        hint_all(model, hint)
    return run_stages(model, expressions, settings, stop)


def first_values(bm: BucketModel, expressions: Sequence[StageExpression],
                 settings: SolverSettings, stop: Stop) -> list[int] | None:
    """Every variable's value in the backward plan (:mod:`.first_plan`), or ``None``
    when that plan breaks a rule of the model (a release, a deadline, capacity).

    The plan fixes which lots are made and their sizes; CP-SAT, on a copy of the
    model, fills in the rest (order inside buckets, set-up states, stock).
    """
    plan = backward_plan(bm)
    fixed: dict[int, int] = {}
    for k, lot in enumerate(bm.lots):
        units = plan.get(k, 0)
        fixed[lot.made.index], fixed[lot.quantity.index] = int(units > 0), units
    return _solve_fixed(bm, fixed, expressions, settings, stop).values


def _whole(bm: BucketModel, expressions: Sequence[StageExpression], settings: SolverSettings,
           stop: Stop, progress: ProgressHook | None, shares: tuple[float, float]
           ) -> RunResult:
    """The whole model until it stalls: at least ``shares[0]`` of the time, then until
    no better plan came for ``shares[1]`` of the time (and always until its first
    plan). With a deterministic budget (repeatable runs), ``shares[0]`` of it."""
    whole_share, stall_share = shares
    if stop.deterministic_seconds is not None or not math.isfinite(stop.left()):
        share = stop.with_budget(None if stop.deterministic_seconds is None
                                 else stop.deterministic_seconds * whole_share)
        run = run_stages(bm.model, expressions, settings, share, progress=progress)
        if run.values is None and run.status in ("unknown", "feasible") and not stop():
            run = run_stages(bm.model, expressions, settings, stop, progress=progress)
        return run
    earliest, stall = time.monotonic() + whole_share * stop.left(), stall_share * stop.left()
    last: list[float] = []  # when the last better plan came (none yet: go on)

    def seen(stage: str, seconds: float, objective: float, bound: float) -> None:
        last[:] = [time.monotonic()]
        if progress is not None:
            progress(stage, seconds, objective, bound)

    def stalled() -> bool:
        t = time.monotonic()
        return bool(last) and t >= earliest and t - last[0] >= stall

    return run_stages(bm.model, expressions, settings, stop.or_when(stalled),
                      progress=seen)


def _result(whole: RunResult, values: list[int], best: tuple[Fraction, ...],
            names: list[str], proved: bool) -> RunResult:
    """The whole model's run with the best plan's values and stage values; a stage's
    bound is kept only while every stage before it kept its value (it was proved
    under that value). ``proved``: a window over every bucket was solved to
    optimality, so every stage is optimal."""
    stages: list[StageResult] = []
    same = True
    for k, name in enumerate(names):
        stage = whole.stages[k] if k < len(whole.stages) else StageResult(
            name, SolveStatus.FEASIBLE, None, None, 0.0)
        value = float(best[k])
        bound = float(best[k]) if proved else (stage.bound if same else None)
        if stage.objective is None or value != stage.objective:
            same = False
        status = (SolveStatus.OPTIMAL if bound is not None and value <= bound + 1e-9
                  else SolveStatus.FEASIBLE)
        stages.append(replace(stage, objective=value, bound=bound, status=status))
    status = (SolveStatus.OPTIMAL if stages and all(s.status == SolveStatus.OPTIMAL for s in stages)
              else SolveStatus.FEASIBLE)
    return replace(whole, values=values, stages=stages, status=status)

