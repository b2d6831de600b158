"""``prodsched validate``: check a written schedule against its plant."""

from __future__ import annotations

import sys

import click

from prodsched.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_VIOLATIONS,
    fail,
    load_or_exit,
    report_plant_error,
)
from prodsched.errors import PlantError, UsageError
from prodsched.plant.model import Plant


@click.command()
@click.argument("plant", type=click.Path(path_type=str))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--start", default=None, help="Time 0 used when solving, if one was given.")
@click.option("--previous", "previous_dir", default=None,
              type=click.Path(exists=True, path_type=str),
              help="The previous schedule the one in OUT_DIR re-plans (solve --previous): "
                   "also check kpis.json changes and orders_report.csv completion_moved.")
@click.option("--now", default=None, help="The moment of planning used with --previous.")
def validate(plant: str, out_dir: str, start: str | None, previous_dir: str | None,
             now: str | None) -> None:
    """Check the schedule in OUT_DIR against PLANT (a folder or .xlsx workbook) and
    every rule of the format.

    Prints each violation; exits 1 when there is any, 0 when the schedule is valid.
    """
    from prodsched.validate import format_report, validate_dir

    the_plant = load_or_exit(plant, start)
    if previous_dir is not None:
        the_plant = _replanned(the_plant, previous_dir, now)
    violations = validate_dir(the_plant, out_dir)
    click.echo(format_report(violations))
    sys.exit(EXIT_VIOLATIONS if violations else 0)


def _replanned(plant: Plant, previous_dir: str, now: str | None) -> Plant:
    from prodsched.replan import attach_previous

    try:
        return attach_previous(plant, previous_dir, now)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    except PlantError as err:
        report_plant_error(err)
