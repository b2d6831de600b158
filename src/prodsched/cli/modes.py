"""``prodsched compare-modes``: the plant in every production mode, side by side."""

from __future__ import annotations

from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail, load_or_exit
from prodsched.errors import UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective


@click.command("compare-modes")
@click.argument("plant", type=click.Path(path_type=str))
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="Also write modes.csv and each mode's schedule into OUT/<mode>/.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds per mode.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT search workers (0: all cores).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--objective", default=DEFAULT_OBJECTIVE, show_default=True,
              help="What each solve minimises (see `prodsched solve --help`).")
def compare_modes_command(plant: str, out_dir: str | None, time_limit: float, workers: int,
                          seed: int, objective: str) -> None:
    """Solve PLANT with every product one-off, batch, mass, then auto, and print the
    KPIs side by side: makespan, setups, setup time and cost, holding cost,
    tardiness, on-time rate, average lot size, units to stock.
    """
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.io.files import write_files_atomically
    from prodsched.modes_compare import compare_modes, table_csv, table_text

    try:
        parse_objective(objective)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    the_plant = load_or_exit(plant)
    results = compare_modes(the_plant, objective=objective, time_limit=time_limit,
                            settings=SolverSettings(workers=workers, seed=seed))
    click.echo(table_text(results))
    if out_dir:
        out = Path(out_dir)
        for r in results:
            if r.schedule is not None:
                r.schedule.write(out / r.mode.value)
        write_files_atomically(out, {"modes.csv": table_csv(results)})
        click.echo(f"wrote {out / 'modes.csv'} and one folder per mode")
