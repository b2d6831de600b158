"""Shared pieces of the commands: exit codes, loading with error reports."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from prodsched.errors import PlantError
from prodsched.plant.load import load_plant
from prodsched.plant.model import Plant

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_SOLUTION = 3
EXIT_INFEASIBLE = 4


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` on standard error and exit with ``code``."""
    click.echo(message, err=True)
    sys.exit(code)


def report_plant_error(err: PlantError) -> NoReturn:
    """List every problem of a plant (file:line:column: message) and exit 2."""
    n = len(err.problems)
    fail(f"{err.report()}\nprodsched: {n} problem{'s' if n != 1 else ''} in the input; "
         "nothing was written", EXIT_BAD_INPUT)


def load_or_exit(path: str, start: str | None = None) -> Plant:
    """Load a plant folder; on bad input print every problem and exit 2."""
    try:
        plant = load_plant(path, start=start)
    except PlantError as err:
        report_plant_error(err)
    for warning in plant.warnings:
        click.echo(f"warning: {warning}", err=True)
    return plant
