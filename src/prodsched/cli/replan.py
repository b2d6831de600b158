"""``prodsched freeze``: record what is decided — fixed.csv and plant.csv from a schedule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail, load_or_exit, report_plant_error
from prodsched.errors import PlantError, UsageError


@click.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option("--until", required=True,
              help="The moment of planning, in the plant's time form (a number, or an ISO "
                   "8601 date-time): rows of the schedule starting before it are frozen.")
@click.option("--into", "plant_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=str),
              help="The plant folder that gets fixed.csv and plant.csv (now = --until).")
@click.option("--start", default=None,
              help="Time 0 for plants with date-times (as for solve).")
def freeze(out_dir: str, until: str, plant_dir: str, start: str | None) -> None:
    """Freeze the schedule in OUT_DIR at --until into the plant folder --into.

    Writes PLANT/fixed.csv — the rows of OUT_DIR/schedule.csv that start
    before --until, the runs their started setups lead to, and the earlier
    steps of their lots, in schedule.csv's columns — and PLANT/plant.csv with
    now = --until, both atomically, replacing what was there. The rows are
    checked as fixed.csv rows are (against the plant as it is now: new
    breakdowns, removed orders); on a problem nothing is written (exit 2).
    Then `prodsched solve PLANT --previous OUT_DIR` plans around them.
    """
    from prodsched.atomic import write_files_atomically
    from prodsched.plant.previous import (
        fixed_csv_text,
        parse_moment,
        plant_csv_text,
        with_previous,
    )
    from prodsched.replan import read_previous_dir

    plant = load_or_exit(plant_dir, start)
    try:
        moment = parse_moment(until, plant.time_axis)
        previous = read_previous_dir(plant, out_dir)
        frozen = with_previous(replace(plant, fixed=()), previous, moment)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    except PlantError as err:
        report_plant_error(err)
    axis = plant.time_axis
    files = {"fixed.csv": fixed_csv_text(list(frozen.fixed), axis),
             "plant.csv": plant_csv_text(moment, axis)}
    written = write_files_atomically(Path(plant_dir), files)
    runs = sum(1 for r in frozen.fixed if r.kind == "run")
    click.echo(f"froze {runs} run(s) and {len(frozen.fixed) - runs} setup(s) before "
               f"{axis.format(moment)}; wrote {', '.join(str(p) for p in written)}")
