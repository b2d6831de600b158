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
              help="Also write modes.csv and each mode's schedule into OUT/<mode>/ (with "
                   "--by-product also modes_by_product.csv, modes.html and modes.png).")
@click.option("--by-product", is_flag=True,
              help="Per product: its KPIs in every mode, the mode that fits it and why, and "
                   "the advised mix solved as one plant (hybrid).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds per mode (with --by-product five solves: every mode, auto, "
                   "hybrid).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="CP-SAT search workers (0: all cores).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--objective", default=DEFAULT_OBJECTIVE, show_default=True,
              help="What each solve minimises (see `prodsched solve --help`).")
@click.option("--no-png", is_flag=True, help="With --by-product and --out: no modes.png.")
def compare_modes_command(plant: str, out_dir: str | None, by_product: bool, time_limit: float,
                          workers: int, seed: int, objective: str, no_png: bool) -> None:
    """Solve PLANT with every product one-off, batch, mass, then auto, and print the
    KPIs side by side: makespan, setups, setup time and cost, holding cost,
    tardiness, on-time rate, average lot size, units to stock.

    With --by-product, per product: cost per unit, lead time, stock, work in
    progress and working capital in each mode, the recommended mode with the
    reason in the planner's checklist, and the recommended mix solved as one
    plant beside the best single-mode plant and auto.
    """
    from prodsched.atomic import write_files_atomically
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.modes_compare import compare_modes, table_csv, table_text

    try:
        parse_objective(objective)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    the_plant = load_or_exit(plant)
    settings = SolverSettings(workers=workers, seed=seed)
    files: dict[str, str | bytes] = {}
    if by_product:
        from prodsched.modes_advice import compare_by_product
        from prodsched.modes_advice import table_csv as products_csv
        from prodsched.modes_advice import table_text as products_text

        result = compare_by_product(the_plant, objective=objective, time_limit=time_limit,
                                    settings=settings)
        results = result.runs
        click.echo(products_text(result))
        if out_dir:
            from prodsched.gantt.modes_chart import modes_files

            files["modes_by_product.csv"] = products_csv(result)
            files.update(modes_files(result, png=not no_png))
    else:
        results = compare_modes(the_plant, objective=objective, time_limit=time_limit,
                                settings=settings)
        click.echo(table_text(results))
    if out_dir:
        out = Path(out_dir)
        for r in results:
            if r.schedule is not None:
                r.schedule.write(out / r.label)
        files["modes.csv"] = table_csv(results)
        write_files_atomically(out, files)
        click.echo(f"wrote {', '.join(str(out / name) for name in files)} and one folder per "
                   "run")
