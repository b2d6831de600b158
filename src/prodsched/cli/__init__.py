"""The ``prodsched`` command: thin click commands over the Python API.

Exit codes: 0 success; 1 a schedule breaks the rules (validate) or an
internal error; 2 bad input or usage; 3 no schedule found within the time
limit; 4 the plant is infeasible.
"""

from __future__ import annotations

import click

from prodsched.cli.bench import bench_bks
from prodsched.cli.gantt import gantt
from prodsched.cli.modes import compare_modes_command
from prodsched.cli.plants import example, generate
from prodsched.cli.replan import freeze
from prodsched.cli.resources import compare_resources_command
from prodsched.cli.solve import solve
from prodsched.cli.strategies import bench_strategies
from prodsched.cli.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prodsched")
def main() -> None:
    """prodsched: production schedules with changeovers, lots and production modes.

    A plant is a folder of CSV files (orders, routings, and optionally products,
    machines, setups, calendar). `prodsched solve` writes schedule.csv,
    orders_report.csv and kpis.json; `prodsched validate` checks them.
    """


for command in (solve, freeze, validate, example, generate, gantt, compare_modes_command,
                compare_resources_command, bench_bks, bench_strategies):
    main.add_command(command)

__all__ = ["main"]
