"""``prodsched solve``: schedule a plant folder, a workbook or a benchmark file."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import click

from prodsched.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    fail,
    load_or_exit,
    report_plant_error,
)
from prodsched.errors import InfeasibleError, PlantError, UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.progress import ProgressLine

OBJECTIVE_HELP = (
    "What to minimise: one of makespan, weighted-tardiness, total-tardiness, setup-time, "
    "setup-cost, holding-cost, late-orders; a weighted sum such as "
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
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--objective", default=None, help=OBJECTIVE_HELP)
@click.option("--gap", type=click.FloatRange(min=0.0), default=None,
              help="Stop at this relative gap (e.g. 0.01) instead of proving optimality.")
@click.option("--start", default=None,
              help="Time 0 for plants with date-times (ISO 8601); default: the earliest "
                   "release or due date.")
@click.option("--gantt", is_flag=True,
              help="Also write Gantt charts: gantt.html and gantt.png (machines), "
                   "orders.html and orders.png (orders, late ones marked).")
@click.option("--xlsx", is_flag=True,
              help="Also write schedule.xlsx (sheets schedule, orders_report, kpis).")
@click.option("--parquet", is_flag=True,
              help="Also write schedule.parquet and orders_report.parquet (needs pyarrow).")
@click.option("--log", is_flag=True, help="Show CP-SAT's own search log.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print nothing but errors (no progress line, no summary).")
def solve(source: str, out_dir: str, source_format: str, time_limit: float, workers: int,
          seed: int, objective: str | None, gap: float | None, start: str | None, gantt: bool,
          xlsx: bool, parquet: bool, log: bool, quiet: bool) -> None:
    """Schedule SOURCE (a plant folder or .xlsx workbook, or a benchmark file with
    --format) into --out.

    The schedule is checked by the validator before anything is written; on bad
    input nothing is written and every problem is listed as file:line:column
    (workbook[sheet]:row:column for a workbook). On a terminal a progress line
    shows the elapsed time, the best objective, the bound and the gap; the
    files of --gantt, --xlsx and --parquet are written with the others, in the
    time limit.
    """
    started = time.monotonic()
    from prodsched.pipeline import SolveRequest, solve_request

    if parquet and importlib.util.find_spec("pyarrow") is None:
        fail("prodsched: --parquet needs pyarrow: pip install 'prodsched[parquet]'",
             EXIT_BAD_INPUT)
    extensions = []
    if source_format == "plant":
        plant = load_or_exit(source, start)
        objective = objective or DEFAULT_OBJECTIVE
    else:
        from prodsched.formats import get_format

        fmt = get_format(source_format)
        try:
            plant = fmt.read(Path(source))
        except PlantError as err:
            report_plant_error(err)
        objective = objective or fmt.objective
        extensions = fmt.extensions(plant)
    try:
        parsed = parse_objective(objective)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    from prodsched.cpsat_runner import SolverSettings

    progress = ProgressLine(enabled=False if quiet or log else None, started_at=started)
    request = SolveRequest(
        objective=parsed, time_limit=time_limit - output_reserve(time_limit, gantt, xlsx, parquet),
        started_at=started, extensions=extensions, progress=progress,
        settings=SolverSettings(workers=workers, seed=seed, gap=gap, log=log))
    try:
        with progress:
            schedule = solve_request(plant, request)
    except InfeasibleError as err:
        fail(f"prodsched: {err}", EXIT_INFEASIBLE)
    from prodsched.io.outputs import write_outputs

    try:
        written = write_outputs(schedule, out_dir, xlsx=xlsx, parquet=parquet, gantt=gantt)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    if not quiet:
        k, info = schedule.kpis, schedule.info
        bound = "" if info.bound is None else f", bound {info.bound:g}"
        click.echo(
            f"{info.status}: objective {info.objective:g}{bound} ({info.objective_name}); "
            f"makespan {k.makespan}, weighted tardiness {float(k.weighted_tardiness):g}, "
            f"on time {k.on_time_rate:.0%}, {k.setup_count} setups "
            f"({k.total_setup_time} time units); {time.monotonic() - started:.1f} s")
        click.echo(f"wrote {written[0]}, {', '.join(p.name for p in written[1:])}")


def output_reserve(time_limit: float, gantt: bool, xlsx: bool, parquet: bool) -> float:
    """Seconds of the time limit kept for drawing and writing the extra files.

    About what they take for a few hundred lots (charts 1.5 s, each table
    format 0.3 s), and never more than a third of the limit.
    """
    wanted = 1.5 * gantt + 0.3 * xlsx + 0.3 * parquet
    return min(wanted, time_limit / 3)
