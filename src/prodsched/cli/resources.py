"""``prodsched compare-resources``: the plant with one resource at several capacities."""

from __future__ import annotations

from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail, load_or_exit
from prodsched.errors import UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective

COMPARE_FILE = "compare_resources.csv"


@click.command("compare-resources")
@click.argument("plant", type=click.Path(path_type=str))
@click.option("--resource", required=True,
              help="The resource of resources.csv whose capacity to vary (e.g. setup_crew).")
@click.option("--capacity", "capacities", required=True,
              help="The capacities to try, joined by commas (e.g. 1,2,3).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help=f"Also write {COMPARE_FILE} and each capacity's schedule into "
                   "OUT/<resource>-<capacity>/ (with its resources.html).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds per capacity.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT search workers (0: all cores).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--objective", default=DEFAULT_OBJECTIVE, show_default=True,
              help="What each solve minimises (see `prodsched solve --help`).")
@click.option("--start", default=None,
              help="Time 0 for plants with date-times (ISO 8601); default: the earliest "
                   "release or due date.")
def compare_resources_command(plant: str, resource: str, capacities: str,
                              out_dir: str | None, time_limit: float, workers: int, seed: int,
                              objective: str, start: str | None) -> None:
    """Solve PLANT once for each --capacity of --resource and print one table:
    status, objective, weighted and total tardiness, late orders, setups, setup
    time, makespan, and the resource's utilisation, peak use and time at peak.

    How many setup crews (operators, moulds) does the plant need? Where one
    more crew no longer lowers tardiness or makespan, the last one added is not
    worth it. Capacities are solved from the smallest up, each also starting
    from the schedules found with less, so more never shows a worse objective.
    Exit codes: 0 done, 2 bad input (an unknown resource, a capacity that is
    not a whole number >= 1).
    """
    from prodsched.atomic import write_files_atomically
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.io.outputs import write_outputs
    from prodsched.resources_compare import (
        compare_resources,
        parse_capacities,
        table_csv,
        table_text,
        with_capacity,
    )

    try:
        parse_objective(objective)
        wanted = parse_capacities(capacities)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    the_plant = load_or_exit(plant, start)
    try:
        with_capacity(the_plant, resource, wanted[0])
    except UsageError as err:
        fail(f"prodsched: {err}; nothing was written", EXIT_BAD_INPUT)
    results = compare_resources(the_plant, resource, wanted, objective=objective,
                                time_limit=time_limit,
                                settings=SolverSettings(workers=workers, seed=seed))
    click.echo(f"{the_plant.name}: {resource} at capacity {', '.join(map(str, wanted))} "
               f"(objective {objective}; {time_limit:g} s each)")
    click.echo(table_text(results))
    if out_dir:
        out = Path(out_dir)
        for r in results:
            if r.schedule is not None:
                write_outputs(r.schedule, out / r.label)
        write_files_atomically(out, {COMPARE_FILE: table_csv(results)})
        click.echo(f"wrote {out / COMPARE_FILE} and one folder per capacity with a schedule")
