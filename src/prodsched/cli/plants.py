"""``prodsched example`` and ``prodsched generate``: write plants."""

from __future__ import annotations

from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail


@click.command()
@click.argument("name", required=False)
@click.argument("folder", required=False, type=click.Path())
@click.option("--list", "list_them", is_flag=True, help="List the bundled example plants.")
def example(name: str | None, folder: str | None, list_them: bool) -> None:
    """Write the bundled example plant NAME into FOLDER (see --list).

    A FOLDER ending in .xlsx is written as one workbook instead, one sheet per file.
    """
    from prodsched.examples import EXAMPLES, write_example

    if list_them or name is None:
        for key, text in EXAMPLES.items():
            click.echo(f"{key:12} {text}")
        return
    if name not in EXAMPLES:
        fail(f"prodsched: no example {name!r}; choose from {', '.join(EXAMPLES)}",
             EXIT_BAD_INPUT)
    if folder is None:
        fail("prodsched: give a FOLDER to write the example into", EXIT_BAD_INPUT)
    if Path(folder).is_file() and not folder.lower().endswith(".xlsx"):
        fail(f"prodsched: {folder} is a file; give a folder (or a .xlsx path for a workbook)",
             EXIT_BAD_INPUT)
    try:
        if folder.lower().endswith(".xlsx"):
            from prodsched.examples import example_files
            from prodsched.io.plant_workbook import write_plant_workbook

            path = write_plant_workbook(example_files(name), folder)
        else:
            path = write_example(name, folder)
    except OSError as err:
        fail(f"prodsched: cannot write {folder}: {err.strerror or err}", EXIT_BAD_INPUT)
    click.echo(f"wrote the {name} plant to {path}")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--orders", type=int, default=50, show_default=True)
@click.option("--products", type=int, default=8, show_default=True)
@click.option("--families", type=int, default=3, show_default=True)
@click.option("--machines", type=int, default=5, show_default=True)
@click.option("--max-steps", type=int, default=3, show_default=True,
              help="Longest routing (steps drawn from 1..max).")
@click.option("--alternatives", type=int, default=2, show_default=True,
              help="Most eligible machines per step.")
@click.option("--setup-ratio", type=float, default=0.3, show_default=True,
              help="Mean changeover between families / mean lot processing time.")
@click.option("--due-tightness", type=float, default=0.5, show_default=True,
              help="0 loose .. 1 tight.")
@click.option("--mode-mix", default="auto", show_default=True,
              help="Share of products per mode, e.g. 'batch=0.6,mass=0.4' or 'one-off'.")
@click.option("--calendar/--no-calendar", default=False, show_default=True,
              help="Periodic downtime on about half of the machines.")
@click.option("--datetimes/--numbers", default=False, show_default=True,
              help="Write times as ISO date-times or as numbers.")
@click.option("--deadline-share", type=float, default=0.0, show_default=True,
              help="Share of orders with a hard deadline.")
@click.option("--min-quantity", type=int, default=1, show_default=True)
@click.option("--max-quantity", type=int, default=100, show_default=True)
@click.option("--initial-states/--no-initial-states", default=False, show_default=True)
@click.option("--shifts", type=int, default=0, show_default=True,
              help="Shift calendar for every machine: 1, 2 or 3 shifts a weekday (0: none).")
@click.option("--pause-share", type=float, default=0.0, show_default=True,
              help="Share of routing rows whose runs may pause over unavailable time.")
@click.option("--max-wait-share", type=float, default=0.0, show_default=True,
              help="Share of steps after the first with a longest wait.")
@click.option("--setup-crews", type=int, default=0, show_default=True,
              help="Capacity of a setup_crew resource held by every changeover (0: none).")
@click.option("--operators", type=int, default=0, show_default=True,
              help="Capacity of an operator pool held by every run (0: none).")
@click.option("--seed", type=int, default=0, show_default=True)
def generate(folder: str, **options: object) -> None:
    """Write a random plant (to the plant format) into FOLDER.

    The same options and seed always give the same files.
    """
    from pydantic import ValidationError

    from prodsched.generate import GeneratorConfig, write_plant

    try:
        config = GeneratorConfig.model_validate(options)
    except ValidationError as err:
        problems = "; ".join(f"--{'-'.join(str(x) for x in e['loc']).replace('_', '-')}: "
                             f"{e['msg']}" for e in err.errors())
        fail(f"prodsched: {problems}", EXIT_BAD_INPUT)
    path = write_plant(config, folder)
    click.echo(f"wrote a plant of {config.orders} orders to {path}")
