"""``prodsched gantt``: draw the Gantt charts of a written schedule."""

from __future__ import annotations

from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail, load_or_exit

MAX_SHOWN = 20


@click.command()
@click.argument("plant", type=click.Path(exists=True, path_type=str))
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option("--start", default=None, help="Time 0 used when solving, if one was given.")
@click.option("--color-by", type=click.Choice(["family", "product"]), default="family",
              show_default=True, help="Colour the runs by setup family or by product.")
@click.option("--png/--no-png", default=True, show_default=True,
              help="Also draw the PNG images (slower than the HTML pages).")
def gantt(plant: str, out_dir: str, start: str | None, color_by: str, png: bool) -> None:
    """Draw the schedule in OUT_DIR (written by `prodsched solve`) as Gantt charts.

    PLANT is the plant folder or .xlsx workbook it was solved from. Writes into
    OUT_DIR: gantt.html (one row per machine; hover a bar for its lot, orders,
    quantity, start and end), orders.html (one row per order, late orders
    marked), and with --png (the default) gantt.png and orders.png; for a plant
    with shared resources also resources.html (one row per resource, its load
    against its capacity) and resources.png. The pages are self-contained: they
    open offline and load nothing from any host.
    """
    from prodsched.atomic import write_files_atomically
    from prodsched.errors import PlantError
    from prodsched.gantt.files import gantt_files
    from prodsched.io.read_schedule import read_schedule

    the_plant = load_or_exit(plant, start)
    try:
        schedule = read_schedule(the_plant, out_dir)
    except PlantError as err:
        shown = [str(p) for p in err.problems[:MAX_SHOWN]]
        if len(err.problems) > MAX_SHOWN:
            shown.append(f"... and {len(err.problems) - MAX_SHOWN} more")
        fail("\n".join(shown) + f"\nprodsched: the schedule in {out_dir} cannot be read "
             "(is PLANT the plant it was solved from?); nothing was written", EXIT_BAD_INPUT)
    files = gantt_files(schedule, color_by=color_by, png=png)
    if the_plant.resources:
        from prodsched.gantt.resources_chart import resources_files

        files.update(resources_files(schedule, png=png))
    paths = write_files_atomically(Path(out_dir), files)
    click.echo(f"wrote {', '.join(str(p) for p in paths)}")
