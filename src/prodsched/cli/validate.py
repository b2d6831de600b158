"""``prodsched validate``: check a written schedule against its plant."""

from __future__ import annotations

import sys

import click

from prodsched.cli.common import EXIT_VIOLATIONS, load_or_exit


@click.command()
@click.argument("plant", type=click.Path(path_type=str))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--start", default=None, help="Time 0 used when solving, if one was given.")
def validate(plant: str, out_dir: str, start: str | None) -> None:
    """Check the schedule in OUT_DIR against PLANT (a folder or .xlsx workbook) and
    every rule of the format.

    Prints each violation; exits 1 when there is any, 0 when the schedule is valid.
    """
    from prodsched.validate import format_report, validate_dir

    the_plant = load_or_exit(plant, start)
    violations = validate_dir(the_plant, out_dir)
    click.echo(format_report(violations))
    sys.exit(EXIT_VIOLATIONS if violations else 0)
