"""Running CP-SAT on a built model: parameters, lexicographic stages, progress.

The one place prodsched calls CP-SAT's solver. Model-agnostic: the job-shop
model, the window models of the neighbourhood search, the lot-sizing model,
the plain benchmark model, the neighbourhoods of the job-shop LNS and the
infeasibility explanation (under assumptions, without an objective) all hand
their model and stage expressions to :func:`run_stages`. A lexicographic
objective is solved stage by stage: each stage is minimised with the earlier
stages held at their best values, warm started from the previous stage's
solution.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from prodsched.schedule.stats import SolveStatus, StageLimit, StageResult
from prodsched.stop import SolverHook, Stop

STATUS_NAMES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}

# A stage that is not the last stops at its first solution after this share of
# the time left (with a deterministic budget: after this share of it).
STAGE_SHARE = 0.6

# How often a running solve checks ``stop()`` (seconds).
STOP_POLL_SECONDS = 0.1

# progress(stage_name, elapsed_seconds, objective, bound)
ProgressHook = Callable[[str, float, float, float], None]
# (name, integer expression, scale): a stage whose value is expression / scale.
StageExpression = tuple[str, cp_model.LinearExprT, int]


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT parameters a user may set.

    Parameters
    ----------
    workers
        Parallel search workers (``0``: CP-SAT's default, all cores).
    seed
        Random seed.
    gap
        Relative gap at which a stage stops (``None``: prove optimality).
    log
        Print CP-SAT's own search log.
    deterministic_seconds
        When set, the whole solve's budget in CP-SAT's deterministic time, so
        that runs repeat exactly with one worker: the route turns it into the
        :class:`~prodsched.stop.Stop` its searches run under (the wall-clock
        deadline still applies as a safety, see :attr:`StageResult.limit`).
    light_presolve
        One presolve pass, with CP-SAT's ``presolve_probing_deterministic_time_limit``
        at 0.1: for large models, where full presolve would take a large share
        of the time limit. Presolve's main probing step is bounded by
        ``probing_deterministic_time_limit`` instead, which this leaves at
        CP-SAT's 1 deterministic second (see docs/reliability.md).
    linearization_level
        CP-SAT's ``linearization_level`` (2 puts every constraint in the LP;
        worth it for LP-driven models such as lot sizing).
    subsolvers
        The full-problem workers to run (CP-SAT names such as ``max_lp``);
        empty: CP-SAT's own portfolio for the number of workers.
    presolve
        Run CP-SAT's presolve (off for small models that start from a
        complete hint, such as the windows of the neighbourhood search, where
        presolve costs more than it saves).
    """

    workers: int = 0
    seed: int = 0
    gap: float | None = None
    log: bool = False
    deterministic_seconds: float | None = None
    light_presolve: bool = False
    linearization_level: int | None = None
    subsolvers: tuple[str, ...] = ()
    presolve: bool = True


class ModelRejectedError(RuntimeError):
    """CP-SAT refused the model (for instance, possible integer overflow)."""


@dataclass
class RunResult:
    """Outcome of all stages: the last solution found and how good it is.

    ``core``: for a model proved infeasible under assumptions, the indices of
    assumption literals sufficient for the infeasibility (CP-SAT's
    ``sufficient_assumptions_for_infeasibility``).
    """

    status: SolveStatus = SolveStatus.UNKNOWN
    values: list[int] | None = None
    stages: list[StageResult] = field(default_factory=list)
    trajectory: list[tuple[float, str, float, float]] = field(default_factory=list)
    interrupted: bool = False
    core: list[int] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Wall seconds spent in CP-SAT over every stage."""
        return sum(s.seconds for s in self.stages)

    @property
    def deterministic_seconds(self) -> float:
        """CP-SAT deterministic seconds over every stage."""
        return sum(s.deterministic_seconds for s in self.stages)

    def value(self, var: object) -> int:
        """Value of a variable (or negated literal) in the solution."""
        assert self.values is not None
        index = var.index  # type: ignore[attr-defined]
        if index >= 0:
            return self.values[index]
        return 1 - self.values[-index - 1]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports solutions; stops the search on ``stop()`` or once its share is over.

    ``share_over`` is set (by a timer) when a stage that is not the last has
    used its share of the time: the search then stops at its next solution,
    or at once if it has one, so that a stage without a solution keeps going.
    """

    def __init__(self, name: str, scale: int, t0: float, result: RunResult,
                 progress: ProgressHook | None, stop: Callable[[], bool] | None):
        super().__init__()
        self.name, self.scale, self.t0 = name, scale, t0
        self.result, self.progress, self.stop = result, progress, stop
        self.solutions = 0
        self.share_over = False
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self.t0
        obj = self.objective_value / self.scale
        bound = self.best_objective_bound / self.scale
        self.result.trajectory.append((elapsed, self.name, obj, bound))
        with self.lock:
            self.solutions += 1
            share_over = self.share_over
        if self.progress is not None:
            self.progress(self.name, elapsed, obj, bound)
        if self.stop is not None and self.stop():
            self.result.interrupted = True
            self.stop_search()
        elif share_over:
            self.stop_search()

    def end_share(self, solver: cp_model.CpSolver) -> None:
        """The stage's share of the time is over (called from a timer thread)."""
        with self.lock:
            self.share_over = True
            found = self.solutions > 0
        if found:
            solver.stop_search()



def run_stages(
    model: cp_model.CpModel,
    stages: Sequence[StageExpression],
    settings: SolverSettings,
    stop: Stop,
    *,
    at_zero: list[bool] | None = None,
    progress: ProgressHook | None = None,
    stage_share: float = STAGE_SHARE,
) -> RunResult:
    """Minimise ``stages`` lexicographically until ``stop`` says so.

    Parameters
    ----------
    stages
        ``(name, integer expression, scale)``; the reported value is
        ``expression / scale``. Every expression must be non-negative. No
        stage: one search for any solution (the model's own objective, if
        any, is kept), e.g. under assumptions (see :attr:`RunResult.core`).
    settings
        CP-SAT's parameters.
    stop
        The wall deadline and deterministic budget of all stages; a requested
        stop is polled between stages, at every solution and every
        :data:`STOP_POLL_SECONDS` during a search (the search then ends with
        what it has, ``interrupted``); the live solver is handed to its hook
        while a stage runs, so that a signal handler can stop it.
    at_zero
        Per stage, true when the model's hint already makes it 0: the stage
        is then optimal without a search (0 is its lower bound) and is fixed
        at 0 for the later stages. Should the model then turn out infeasible
        (the hint was not a solution of the model after all), the status is
        ``unknown``, not ``infeasible``.
    progress
        Called on every solution with the stage, seconds since the start,
        objective and bound.
    stage_share
        A stage before the last gets this share of what is left: of the
        deterministic budget, or else of the time (it then stops at its first
        solution after that share).
    """
    result = RunResult()
    t0 = time.monotonic()
    with polling(stop.flag) as live:
        if not stages:
            _satisfy(model, settings, stop, result, live)
            return result
        _minimise(model, stages, settings, stop, result, t0, at_zero, progress, live,
                  stage_share)
    return result


def _minimise(model: cp_model.CpModel, stages: Sequence[StageExpression],
              settings: SolverSettings, stop: Stop, result: RunResult, t0: float,
              at_zero: list[bool] | None, progress: ProgressHook | None, live: SolverHook,
              stage_share: float) -> None:
    """The stages one after the other (see :func:`run_stages`); fills ``result``."""
    statuses: list[SolveStatus] = []
    det_left = stop.deterministic_seconds
    assumed = False  # a stage was fixed at 0 on the hint's word, not by a search
    for k, (name, expr, scale) in enumerate(stages):
        last = k == len(stages) - 1
        if at_zero and at_zero[k] and not last and result.values is None:
            result.stages.append(StageResult(name, SolveStatus.OPTIMAL, 0.0, 0.0, 0.0))
            statuses.append(SolveStatus.OPTIMAL)
            model.add(expr <= 0)
            assumed = True
            continue
        if stop():
            result.interrupted = True
            break
        remaining = stop.left()
        if remaining <= 0.05 and result.values is not None:
            break
        budget = max(0.05, remaining)
        model.minimize(expr)
        if result.values is not None:
            hint_all(model, result.values)
        det_budget = None if det_left is None else max(
            0.01, det_left if last else det_left * stage_share)
        solver = _solver(settings, budget, det_budget)
        watcher = _Watcher(name, scale, t0, result, progress, stop.flag)
        timer = None
        if not last and det_budget is None:
            timer = threading.Timer(remaining * stage_share, watcher.end_share, (solver,))
            timer.daemon = True
            timer.start()
        started = time.monotonic()
        try:
            status = _solve(model, solver, watcher, live, stop)
        finally:
            if timer is not None:
                timer.cancel()
        response = solver.response_proto
        if det_left is not None:
            det_left = max(0.0, det_left - response.deterministic_time)
        stopped = result.interrupted or stop()
        has_solution = status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        result.stages.append(StageResult(
            name, status,
            solver.objective_value / scale if has_solution else None,
            solver.best_objective_bound / scale if has_solution else None,
            time.monotonic() - started, round(response.deterministic_time, 3),
            _limit(status, stopped, watcher.share_over, response, budget, det_budget)))
        if stopped:
            result.interrupted = True
        if not has_solution:
            if result.values is None:
                # infeasible under an assumed stage proves nothing about the plant
                result.status = (SolveStatus.UNKNOWN if assumed and status == SolveStatus.INFEASIBLE
                                 else status)
                return
            break
        result.values = list(response.solution)
        statuses.append(status)
        if not last:
            model.add(expr <= round(solver.objective_value))
        if result.interrupted:
            break
    complete = len(statuses) == len(stages)
    result.status = (SolveStatus.OPTIMAL if complete and all(s == SolveStatus.OPTIMAL
                                                             for s in statuses)
                     else SolveStatus.FEASIBLE)


def _satisfy(model: cp_model.CpModel, settings: SolverSettings, stop: Stop,
             result: RunResult, live: SolverHook) -> None:
    """One search without stages: a solution, or a proof (and core) of infeasibility."""
    budget = max(0.01, stop.left())
    solver = _solver(settings, budget, stop.deterministic_seconds)
    started = time.monotonic()
    status = _solve(model, solver, None, live, stop)
    response = solver.response_proto
    result.stages.append(StageResult("feasibility", status, None, None,
                                     time.monotonic() - started,
                                     round(response.deterministic_time, 3)))
    result.status = SolveStatus.FEASIBLE if status == SolveStatus.OPTIMAL else status
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        result.values = list(response.solution)
    elif status == SolveStatus.INFEASIBLE:
        result.core = list(response.sufficient_assumptions_for_infeasibility)


def _solve(model: cp_model.CpModel, solver: cp_model.CpSolver, watcher: _Watcher | None,
           live: SolverHook, stop: Stop) -> SolveStatus:
    """One CP-SAT search, with the live solver handed to the hooks meanwhile; its
    status (:data:`STATUS_NAMES`)."""
    live(solver)
    stop.attach(solver)
    try:
        code = solver.solve(model, watcher)
    finally:
        live(None)
        stop.attach(None)
    if code == cp_model.MODEL_INVALID:
        raise ModelRejectedError(f"CP-SAT rejected the model: {model.validate()}")
    return STATUS_NAMES.get(code, SolveStatus.UNKNOWN)


def hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable at ``values`` (a previous stage's solution)."""
    model.clear_hints()
    proto = model.proto
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values)


@contextmanager
def polling(stop: Callable[[], bool] | None) -> Iterator[SolverHook]:
    """A solver hook: while it holds a live solver, ``stop`` is polled every
    :data:`STOP_POLL_SECONDS` and the search stopped once it is true (CP-SAT itself
    only reports at solutions). :func:`run_stages` polls its own ``stop`` so; this
    is for callers that hand a hook on (e.g. through a
    :class:`~prodsched.pipeline.SolveRequest`)."""
    if stop is None:
        yield lambda solver: None
        return
    current: list[cp_model.CpSolver | None] = [None]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(STOP_POLL_SECONDS):
            solver = current[0]
            if solver is not None and stop():
                solver.stop_search()

    def hold(solver: cp_model.CpSolver | None) -> None:
        current[0] = solver

    poller = threading.Thread(target=watch, daemon=True)
    poller.start()
    try:
        yield hold
    finally:
        done.set()
        poller.join()


def _limit(status: SolveStatus, stopped: bool, share: bool, response: object, budget: float,
           det_budget: float | None) -> StageLimit:
    """What ended a stage (see :class:`StageResult`)."""
    if status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE):
        return StageLimit.DONE
    if stopped:
        return StageLimit.STOPPED
    det = response.deterministic_time  # type: ignore[attr-defined]
    if det_budget is not None and det >= det_budget * 0.999:
        return StageLimit.DETERMINISTIC
    if response.wall_time >= budget * 0.98:  # type: ignore[attr-defined]
        return StageLimit.WALL
    return StageLimit.SHARE if share else StageLimit.DONE


def _solver(settings: SolverSettings, budget: float, det_budget: float | None
            ) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    # the caller handles Ctrl-C (CP-SAT's own handler would replace Python's during the
    # search and end the process; see prodsched.cli.signals)
    p.catch_sigint_signal = False
    p.max_time_in_seconds = budget
    if det_budget is not None:
        p.max_deterministic_time = det_budget
    if settings.workers:
        p.num_workers = settings.workers
    p.random_seed = settings.seed
    if settings.gap is not None:
        p.relative_gap_limit = settings.gap
    p.log_search_progress = settings.log
    for name in settings.subsolvers:
        p.subsolvers.append(name)
    if settings.linearization_level is not None:
        p.linearization_level = settings.linearization_level
    if settings.light_presolve:
        p.max_presolve_iterations = 1
        p.presolve_probing_deterministic_time_limit = 0.1
    if not settings.presolve:
        p.cp_model_presolve = False
    return solver
