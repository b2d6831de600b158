"""``prodsched solve``: schedule a plant folder, a workbook or a benchmark file."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from prodsched.cli.anytime import Checkpoints, extra_names
from prodsched.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    EXIT_NO_SOLUTION,
    fail,
    limit_options,
    limits_from,
    load_or_exit,
    process_started,
    report_plant_error,
)
from prodsched.cli.signals import Interrupt, Interrupted, exit_code
from prodsched.errors import InfeasibleError, PlantError, UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, REPLAN_OBJECTIVE, Objective, parse_objective
from prodsched.progress import ProgressLine

if TYPE_CHECKING:
    from prodsched.formats.registry import WarmStarts
    from prodsched.jobshop.builder import ModelExtension
    from prodsched.pipeline import SolveRequest
    from prodsched.plant.limits import Limits
    from prodsched.plant.model import Plant
    from prodsched.schedule.schedule import Schedule

# Orders named per conflict or missed deadline before "… and N more".
SHOWN_ORDERS = 12

OBJECTIVE_HELP = (
    "What to minimise: one of makespan, weighted-tardiness, total-tardiness, setup-time, "
    "setup-cost, holding-cost, late-orders, changes (with --previous); a weighted sum such as "
    "'weighted-tardiness=1,setup-cost=0.5'; or a lexicographic list, most important first, "
    f"such as '{DEFAULT_OBJECTIVE}' (the default for plants; benchmark formats default to "
    "their own criterion)."
)


def _format_names() -> list[str]:
    import prodsched.formats.builtin  # noqa: F401  (registers the readers)
    from prodsched.formats import FORMATS

    return ["plant", *sorted(FORMATS)]


@click.command()
@click.argument("source", type=click.Path(path_type=str))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for schedule.csv, orders_report.csv and kpis.json (and the "
                   "files of --gantt, --xlsx, --parquet).")
@click.option("--format", "source_format", default="plant", show_default=True,
              type=click.Choice(_format_names()),
              help="What SOURCE is: a plant (folder or .xlsx workbook), or a benchmark "
                   "file of that format.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds for the whole command (loading, solving, writing).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT search workers (0: all cores).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed of the search (and of a --format file's heuristics).")
@click.option("--objective", default=None, help=OBJECTIVE_HELP)
@click.option("--gap", type=click.FloatRange(min=0.0), default=None,
              help="Stop at this relative gap (e.g. 0.01) instead of proving optimality.")
@click.option("--start", default=None,
              help="Time 0 for plants with date-times (ISO 8601); default: the earliest "
                   "release or due date.")
@click.option("--gantt", is_flag=True,
              help="Also write Gantt charts: gantt.html and gantt.png (machines), "
                   "orders.html and orders.png (orders, late ones marked). A plant with "
                   "shared resources always gets resources.html and resources.png.")
@click.option("--xlsx", is_flag=True,
              help="Also write schedule.xlsx (sheets schedule, orders_report, kpis).")
@click.option("--parquet", is_flag=True,
              help="Also write schedule.parquet and orders_report.parquet (needs pyarrow).")
@click.option("--model", type=click.Choice(["jobshop", "lotsizing"]), default=None,
              help="jobshop (continuous time, the default for plants) or lotsizing (lots "
                   "planned in time buckets, then timed; writes plan.csv too; the default "
                   "for --format psp and trigeiro).")
@click.option("--bucket", type=click.IntRange(min=1), default=None,
              help="Lot-sizing bucket length in time units (minutes for date-time plants); "
                   "default: a day for date-time plants spanning days, else about 30 buckets "
                   "to the last due date.")
@click.option("--previous", "previous_dir", default=None,
              type=click.Path(exists=True, path_type=str),
              help="Re-plan: the folder of the previous schedule (schedule.csv). Its rows "
                   "starting before now are kept (unless the plant has its own fixed.csv), "
                   "its other lots keep their ids and are preferred on their machine and "
                   f"place; default objective '{REPLAN_OBJECTIVE}'. kpis.json gets changes, "
                   "orders_report.csv completion_moved.")
@click.option("--now", default=None,
              help="The moment of planning (plant's time form); default: plant.csv's now. "
                   "Required with --previous when the plant has no now.")
@click.option("--log", is_flag=True, help="Show CP-SAT's own search log.")
@click.option("--relax-deadlines", is_flag=True,
              help="Treat deadlines as due dates: schedule a plant whose deadlines cannot all "
                   "be met, and list the missed ones (kpis.json: relaxed_deadlines).")
@limit_options
@click.option("--quiet", "-q", is_flag=True,
              help="Print nothing but errors (no progress line, no summary).")
def solve(source: str, out_dir: str, source_format: str, time_limit: float, workers: int,
          seed: int, objective: str | None, gap: float | None, start: str | None, gantt: bool,
          xlsx: bool, parquet: bool, model: str | None, bucket: int | None,
          previous_dir: str | None, now: str | None, log: bool,
          relax_deadlines: bool, quiet: bool, **limit_values: object) -> None:
    """Schedule SOURCE (a plant folder or .xlsx workbook, or a benchmark file with
    --format) into --out.

    The schedule is checked by the validator before anything is written; on bad
    input nothing is written and every problem is listed as file:line:column
    (workbook[sheet]:row:column for a workbook). On a terminal a progress line
    shows the elapsed time, the best objective, the bound and the gap; the
    files of --gantt, --xlsx and --parquet are written with the others, in the
    time limit.

    \b
    Ctrl-C (or SIGTERM) stops the search and writes the best schedule found so
    far (exit 130, or 143); a second one aborts at once. With --workers 1 the
    same plant, seed and time limit give the same schedule. Exit codes: 0 done,
    2 bad input, 3 no schedule within the time limit, 4 the plant is infeasible
    (the conflicting orders and constraints are listed).
    """
    started = process_started()
    limits = limits_from(dict(limit_values))
    interrupt = Interrupt()
    with interrupt.installed():
        try:
            src = _read(source, source_format, start, objective, model, parquet, limits,
                        time_limit)
            if previous_dir is not None or now is not None:
                src = _replanned(src, previous_dir, now, objective)
        except Interrupted:
            fail(f"prodsched: {interrupt.name} while reading the plant; nothing was written",
                 exit_code(interrupt.signum or 2))
        if src.model == "lotsizing" and relax_deadlines:
            fail("prodsched: --relax-deadlines works with the job-shop model only",
                 EXIT_BAD_INPUT)
        resources = bool(src.plant.resources)
        checkpoints = Checkpoints(out_dir, extra_names(gantt=gantt, xlsx=xlsx, parquet=parquet,
                                                       resources=resources))
        schedule, abandoned = _solve(src, interrupt, started, time_limit=time_limit,
                                     workers=workers, seed=seed, gap=gap, log=log, quiet=quiet,
                                     relax_deadlines=relax_deadlines, bucket=bucket,
                                     reserve=output_reserve(time_limit, gantt, xlsx, parquet,
                                                            resources),
                                     checkpoints=checkpoints)
        checkpoints.close()
        _write(schedule, out_dir, interrupt, abandoned, started, quiet=quiet,
               xlsx=xlsx, parquet=parquet, gantt=gantt)


@dataclass
class _Source:
    """What to solve and how: the plant, the objective, the model and its extras."""

    plant: Plant
    objective: Objective
    model: str
    extensions: list[ModelExtension] = field(default_factory=list)
    warm_starts: WarmStarts | None = None


def _read(source: str, source_format: str, start: str | None, objective: str | None,
          model: str | None, parquet: bool, limits: Limits, time_limit: float) -> _Source:
    """The plant, the parsed objective, the model and the format's extras (or exit 2)."""
    if parquet and importlib.util.find_spec("pyarrow") is None:
        fail("prodsched: --parquet needs pyarrow: pip install 'prodsched[parquet]'",
             EXIT_BAD_INPUT)
    if source_format == "plant":
        plant = load_or_exit(source, start, limits)
        model = model or "jobshop"
        if objective is None and model == "lotsizing":
            from prodsched.lotsizing.solve import DEFAULT_LOTSIZING_OBJECTIVE

            objective = DEFAULT_LOTSIZING_OBJECTIVE
        src = _Source(plant, _objective(objective or DEFAULT_OBJECTIVE), model)
    else:
        from prodsched.formats import get_format

        fmt = get_format(source_format)
        try:
            plant = fmt.read(Path(source))
        except PlantError as err:
            report_plant_error(err)
        src = _Source(plant, _objective(objective or fmt.objective), model or fmt.model)
        if src.model == "jobshop":
            src.extensions = list(fmt.extensions(plant))
            src.warm_starts = fmt.warm_starts
    if src.model == "lotsizing":
        from prodsched.lotsizing.model import SUPPORTED

        unsupported = sorted(c.value for c in src.objective.criteria - SUPPORTED)
        if unsupported:
            fail(f"prodsched: the lot-sizing model cannot minimise {', '.join(unsupported)}; "
                 f"it minimises {', '.join(sorted(c.value for c in SUPPORTED))}",
                 EXIT_BAD_INPUT)
    return src


def _replanned(src: _Source, previous_dir: str | None, now: str | None,
               objective: str | None) -> _Source:
    """The source re-planned from ``previous_dir`` at ``now`` (or exit 2)."""
    from prodsched.plant.previous import parse_moment
    from prodsched.replan import attach_previous

    try:
        if previous_dir is None:
            assert now is not None
            plant = replace(src.plant, now=parse_moment(now, src.plant.time_axis))
        else:
            plant = attach_previous(src.plant, previous_dir, now)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    except PlantError as err:
        report_plant_error(err)
    chosen = src.objective if objective is not None or previous_dir is None else _objective(
        REPLAN_OBJECTIVE)
    return replace(src, plant=plant, objective=chosen)


def _objective(text: str) -> Objective:
    try:
        return parse_objective(text)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)


def _solve(src: _Source, interrupt: Interrupt, started: float, *, time_limit: float,
           workers: int, seed: int, gap: float | None, log: bool, quiet: bool,
           relax_deadlines: bool, bucket: int | None, reserve: float,
           checkpoints: Checkpoints) -> tuple[Schedule, bool]:
    """Solve in a worker thread (see :mod:`prodsched.cli.signals`); exit on failure.

    Provisional schedules of a large plant are written as they come
    (:mod:`prodsched.cli.anytime`).
    """
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.pipeline import NoScheduleError, SolveRequest, solve_request

    progress = ProgressLine(enabled=False if quiet or log else None, started_at=started)
    request = SolveRequest(
        objective=src.objective, time_limit=time_limit - reserve, started_at=started,
        extensions=src.extensions, progress=progress,
        relax_deadlines=relax_deadlines, stop=interrupt.requested, solver_hook=interrupt.hook,
        monitor=interrupt, settings=SolverSettings(workers=workers, seed=seed, gap=gap, log=log),
        checkpoint=checkpoints.write, model=src.model, bucket_length=bucket)
    plant = src.plant
    try:
        with progress:
            if src.model == "lotsizing":
                return interrupt.run(lambda: solve_request(plant, request))
            return interrupt.run(lambda: solve_request(plant, _with_warm_starts(
                request, src, interrupt, time_limit)))
    except NoScheduleError as err:
        if interrupt.requested():
            fail(f"prodsched: {interrupt.name} before any schedule was found; nothing was "
                 "written", exit_code(interrupt.signum or 2))
        fail(f"prodsched: {err}; nothing was written", EXIT_NO_SOLUTION)
    except InfeasibleError as err:
        fail(infeasible_report(err), EXIT_INFEASIBLE)
    except PlantError as err:
        report_plant_error(err)


def _with_warm_starts(request: SolveRequest, src: _Source, interrupt: Interrupt,
                      time_limit: float) -> SolveRequest:
    """The request with the format's warm starts, made in the worker thread so that
    Ctrl-C stops a long heuristic and keeps its schedule."""
    from prodsched.stop import Stop

    if src.warm_starts is None:
        return request
    interrupt.phase("warm start")
    made = src.warm_starts(src.plant, time_limit, seed=request.settings.seed,
                           workers=request.settings.workers,
                           stop=Stop.make(requested=interrupt.requested))
    return replace(request, warm_starts=made)


def infeasible_report(err: InfeasibleError) -> str:
    """The conflicts, one per paragraph, long order lists cut short."""
    lines = ["prodsched: the plant is infeasible: no schedule meets every hard constraint."]
    for c in err.conflicts:
        shown = ", ".join(c.orders[:SHOWN_ORDERS]) or "plant"
        if len(c.orders) > SHOWN_ORDERS:
            shown += f" … and {len(c.orders) - SHOWN_ORDERS} more"
        lines.append(f"  {shown}: {c.constraint}: {c.detail}")
    if err.conflicts and all(c.constraint == "resource" for c in err.conflicts):
        lines.append("Nothing was written; fix the data.")  # relaxing deadlines cannot help
    else:
        lines.append("Nothing was written; fix the data, or solve with --relax-deadlines to "
                     "treat deadlines as due dates.")
    return "\n".join(lines)


def _write(schedule: Schedule, out_dir: str, interrupt: Interrupt, abandoned: bool,
           started: float, *, quiet: bool, xlsx: bool, parquet: bool, gantt: bool) -> None:
    """Write every file atomically, print the summary; end as the signal asks."""
    from prodsched.io.outputs import write_outputs

    if interrupt.requested():
        schedule.info.interrupted = interrupt.name
    interrupt.phase("write")
    try:
        written = write_outputs(schedule, out_dir, xlsx=xlsx, parquet=parquet, gantt=gantt)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    missed = schedule.info.details.get("relaxed_deadlines", {}).get("missed", [])
    if missed:
        listing = ", ".join(f"{m['order_id']} (deadline {m['deadline']}, done "
                            f"{m['completion']})" for m in missed[:SHOWN_ORDERS])
        more = f" … and {len(missed) - SHOWN_ORDERS} more" if len(missed) > SHOWN_ORDERS else ""
        click.echo(f"warning: {len(missed)} order(s) miss their deadline: {listing}{more}",
                   err=True)
    if not quiet:
        k, info = schedule.kpis, schedule.info
        bound = "" if info.bound is None else f", bound {info.bound:g}"
        click.echo(
            f"{info.status}: objective {info.objective:g}{bound} ({info.objective_name}); "
            f"makespan {k.makespan}, weighted tardiness {float(k.weighted_tardiness):g}, "
            f"on time {k.on_time_rate:.0%}, {k.setup_count} setups "
            f"({k.total_setup_time} time units); {time.monotonic() - started:.1f} s")
        click.echo(f"wrote {written[0]}, {', '.join(p.name for p in written[1:])}")
    if interrupt.requested():
        click.echo(f"prodsched: {interrupt.name}: wrote the best schedule found so far",
                   err=True)
        code = exit_code(interrupt.signum or 2)
        if abandoned:  # the solve's thread is still busy: do not wait for it
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)


def output_reserve(time_limit: float, gantt: bool, xlsx: bool, parquet: bool,
                   resources: bool = False) -> float:
    """Seconds of the time limit kept for drawing and writing the extra files.

    About what they take for a few hundred lots (charts 1.5 s, the resources
    view 0.5 s, each table format 0.3 s), and never more than a third of the
    limit.
    """
    wanted = 1.5 * gantt + 0.5 * resources + 0.3 * xlsx + 0.3 * parquet
    return min(wanted, time_limit / 3)
