"""``prodsched solve``: schedule a plant folder or a benchmark file."""

from __future__ import annotations

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
              help="Folder for schedule.csv, orders_report.csv and kpis.json.")
@click.option("--format", "source_format", default="plant", show_default=True,
              type=click.Choice(_format_names()),
              help="What SOURCE is: a plant folder, or a benchmark file of that format.")
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
@click.option("--log", is_flag=True, help="Show CP-SAT's own search log.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def solve(source: str, out_dir: str, source_format: str, time_limit: float, workers: int,
          seed: int, objective: str | None, gap: float | None, start: str | None, log: bool,
          quiet: bool) -> None:
    """Schedule SOURCE (a plant folder, or a benchmark file with --format) into --out.

    The schedule is checked by the validator before anything is written; on bad
    input nothing is written and every problem is listed as file:line:column.
    """
    started = time.monotonic()
    from prodsched.pipeline import SolveRequest, solve_request

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

    request = SolveRequest(
        objective=parsed, time_limit=time_limit, started_at=started, extensions=extensions,
        settings=SolverSettings(workers=workers, seed=seed, gap=gap, log=log))
    try:
        schedule = solve_request(plant, request)
    except InfeasibleError as err:
        fail(f"prodsched: {err}", EXIT_INFEASIBLE)
    schedule.write(out_dir)
    if not quiet:
        k, info = schedule.kpis, schedule.info
        bound = "" if info.bound is None else f", bound {info.bound:g}"
        click.echo(
            f"{info.status}: objective {info.objective:g}{bound} ({info.objective_name}); "
            f"makespan {k.makespan}, weighted tardiness {float(k.weighted_tardiness):g}, "
            f"on time {k.on_time_rate:.0%}, {k.setup_count} setups "
            f"({k.total_setup_time} time units); {time.monotonic() - started:.1f} s")
        click.echo(f"wrote {Path(out_dir) / 'schedule.csv'}, orders_report.csv, kpis.json")
