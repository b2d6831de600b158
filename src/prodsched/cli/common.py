"""Shared pieces of the commands: exit codes, loading with error reports, input limits."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from prodsched.errors import PlantError
from prodsched.plant.limits import MB, Limits
from prodsched.plant.load import load_plant
from prodsched.plant.model import Plant

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_NO_SOLUTION = 3
EXIT_INFEASIBLE = 4

# A process older than this when the command starts was not started for it:
# its age is not counted.
FRESH_PROCESS = 30.0

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` on standard error and exit with ``code``."""
    click.echo(message, err=True)
    sys.exit(code)


def report_plant_error(err: PlantError) -> NoReturn:
    """List every problem of a plant (file:line:column: message) and exit 2."""
    n = len(err.problems)
    fail(f"{err.report()}\nprodsched: {n} problem{'s' if n != 1 else ''} in the input; "
         "nothing was written", EXIT_BAD_INPUT)


def load_or_exit(path: str, start: str | None = None, limits: Limits | None = None) -> Plant:
    """Load a plant folder; on bad input print every problem and exit 2."""
    try:
        plant = load_plant(path, start=start, limits=limits)
    except PlantError as err:
        report_plant_error(err)
    for warning in plant.warnings:
        click.echo(f"warning: {warning}", err=True)
    return plant


def limit_options(command: F) -> F:
    """Add ``--max-orders``, ``--max-machines``, ``--max-lots``, ``--max-rows`` and
    ``--max-file-mb`` (collected as ``limits``, a :class:`~prodsched.plant.limits.Limits`)."""
    d = Limits()
    options = [
        click.option("--max-file-mb", type=click.FloatRange(min=0, min_open=True),
                     default=d.max_file_bytes / MB, show_default=True,
                     help="Largest plant file (or workbook), in MB."),
        click.option("--max-rows", type=click.IntRange(min=1), default=d.max_rows,
                     show_default=True, help="Most rows in one plant file."),
        click.option("--max-lots", type=click.IntRange(min=1), default=d.max_lots,
                     show_default=True,
                     help="Most lots the orders may need (one per one-off order; "
                          "demand / max_lot per product made in lots)."),
        click.option("--max-machines", type=click.IntRange(min=1), default=d.max_machines,
                     show_default=True, help="Most machines."),
        click.option("--max-orders", type=click.IntRange(min=1), default=d.max_orders,
                     show_default=True, help="Most orders."),
    ]
    for option in options:
        command = option(command)
    return command


def limits_from(options: dict[str, Any]) -> Limits:
    """Take the options of :func:`limit_options` out of ``options`` as :class:`Limits`."""
    return Limits(
        max_file_bytes=round(options.pop("max_file_mb") * MB),
        max_rows=options.pop("max_rows"),
        max_lots=options.pop("max_lots"),
        max_machines=options.pop("max_machines"),
        max_orders=options.pop("max_orders"),
    )


def process_started() -> float:
    """``time.monotonic()`` when this process started, so a time limit counts start-up.

    Only for the ``prodsched`` program itself (``prodsched ...`` or ``python -m
    prodsched ...``) on Linux, where /proc tells; when the command runs inside
    another program (a test runner, a notebook), or the process is older than
    :data:`FRESH_PROCESS` seconds: now.
    """
    now = time.monotonic()
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    if not (program.name == "prodsched" or program.parts[-2:] == ("prodsched", "__main__.py")):
        return now
    try:
        stat = Path("/proc/self/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return now
    return now - age if 0 <= age <= FRESH_PROCESS else now
