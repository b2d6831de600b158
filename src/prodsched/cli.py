"""The ``prodsched`` command: thin click commands over the Python API.

Exit codes: 0 success; 1 a schedule breaks the rules (validate) or an
internal error; 2 bad input or usage; 3 no schedule found within the time
limit; 4 the plant is infeasible.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from prodsched.errors import InfeasibleError, PlantError, UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.plant.load import load_plant
from prodsched.plant.model import Plant

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_SOLUTION = 3
EXIT_INFEASIBLE = 4

OBJECTIVE_HELP = (
    "What to minimise: one of makespan, weighted-tardiness, total-tardiness, setup-time, "
    "setup-cost, holding-cost, late-orders; a weighted sum such as "
    "'weighted-tardiness=1,setup-cost=0.5'; or a lexicographic list, most important first, "
    f"such as '{DEFAULT_OBJECTIVE}' (the default)."
)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _load(path: str, start: str | None = None) -> Plant:
    try:
        plant = load_plant(path, start=start)
    except PlantError as err:
        n = len(err.problems)
        _fail(f"{err.report()}\nprodsched: {n} problem{'s' if n != 1 else ''} in the plant; "
              "nothing was written", EXIT_BAD_INPUT)
    for warning in plant.warnings:
        click.echo(f"warning: {warning}", err=True)
    return plant


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prodsched")
def main() -> None:
    """prodsched: production schedules with changeovers, lots and production modes.

    A plant is a folder of CSV files (orders, routings, and optionally products,
    machines, setups, calendar). `prodsched solve` writes schedule.csv,
    orders_report.csv and kpis.json; `prodsched validate` checks them.
    """


@main.command()
@click.argument("plant", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for schedule.csv, orders_report.csv and kpis.json.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds for the whole command (loading, solving, writing).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT search workers (0: all cores).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--objective", default=DEFAULT_OBJECTIVE, show_default=True, help=OBJECTIVE_HELP)
@click.option("--gap", type=click.FloatRange(min=0.0), default=None,
              help="Stop at this relative gap (e.g. 0.01) instead of proving optimality.")
@click.option("--start", default=None,
              help="Time 0 for plants with date-times (ISO 8601); default: the earliest "
                   "release or due date.")
@click.option("--log", is_flag=True, help="Show CP-SAT's own search log.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def solve(plant: str, out_dir: str, time_limit: float, workers: int, seed: int, objective: str,
          gap: float | None, start: str | None, log: bool, quiet: bool) -> None:
    """Schedule the plant in folder PLANT and write the schedule files to --out.

    The schedule is checked by the validator before anything is written; on bad
    input nothing is written and every problem is listed as file:line:column.
    """
    started = time.monotonic()
    from prodsched.pipeline import solve as run_solve

    try:
        parsed = parse_objective(objective)
    except UsageError as err:
        _fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    the_plant = _load(plant, start)
    try:
        schedule = run_solve(the_plant, objective=parsed, time_limit=time_limit,
                             workers=workers, seed=seed, gap=gap, log=log, started_at=started)
    except InfeasibleError as err:
        _fail(f"prodsched: {err}", EXIT_INFEASIBLE)
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


@main.command()
@click.argument("plant", type=click.Path(file_okay=False, path_type=str))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--start", default=None, help="Time 0 used when solving, if one was given.")
def validate(plant: str, out_dir: str, start: str | None) -> None:
    """Check the schedule in OUT_DIR against PLANT and every rule of the format.

    Prints each violation; exits 1 when there is any, 0 when the schedule is valid.
    """
    from prodsched.validate import format_report, validate_dir

    the_plant = _load(plant, start)
    violations = validate_dir(the_plant, out_dir)
    click.echo(format_report(violations))
    sys.exit(EXIT_VIOLATIONS if violations else 0)


@main.command()
@click.argument("name", required=False)
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--list", "list_them", is_flag=True, help="List the bundled example plants.")
def example(name: str | None, folder: str | None, list_them: bool) -> None:
    """Write the bundled example plant NAME into FOLDER (see --list)."""
    from prodsched.examples import EXAMPLES, write_example

    if list_them or name is None:
        for key, text in EXAMPLES.items():
            click.echo(f"{key:12} {text}")
        return
    if name not in EXAMPLES:
        _fail(f"prodsched: no example {name!r}; choose from {', '.join(EXAMPLES)}",
              EXIT_BAD_INPUT)
    if folder is None:
        _fail("prodsched: give a FOLDER to write the example into", EXIT_BAD_INPUT)
    path = write_example(name, folder)
    click.echo(f"wrote the {name} plant to {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
