"""``prodsched bench-strategies``: changeover strategies on a grid of plants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail

DEFAULT_OUT = Path("benchmarks/results/strategies")


def parse_generator(text: str, index: int) -> tuple[str, dict[str, Any]]:
    """``"name=big orders=80 mode_mix=batch=0.5,mass=0.5"`` → name and generator fields.

    Fields are separated by spaces; each is ``field=value`` with the field
    names of :class:`~prodsched.generate.GeneratorConfig` (``-`` or ``_``).
    """
    fields: dict[str, Any] = {}
    name = f"gen{index + 1}"
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"{part!r} is not field=value")
        key = key.strip().replace("-", "_")
        if key == "name":
            name = value
        else:
            fields[key] = value
    return name, fields


def _numbers(text: str, kind: type) -> list[Any]:
    try:
        return [kind(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a comma-separated list of numbers") from None


@click.command("bench-strategies")
@click.option("--generate", "generators", multiple=True, metavar="FIELDS",
              help="A generated plant, e.g. 'orders=40 machines=4 setup_ratio=0.5 "
                   "mode_mix=batch=0.5,mass=0.5' (repeatable; 'name=X' names it).")
@click.option("--plant-seeds", default="", metavar="LIST",
              help="Generate every --generate plant with each of these seeds, e.g. 1,2,3.")
@click.option("--plant", "folders", multiple=True,
              type=click.Path(exists=True, path_type=Path), help="A plant folder (repeatable).")
@click.option("--strategies", default="", metavar="LIST",
              help="Comma-separated strategies (default: all; see --list); fixed-lot:F sets F.")
@click.option("--seeds", default="0", show_default=True, metavar="LIST",
              help="Solver seeds (heuristics ignore them).")
@click.option("--setup-scales", default="1", show_default=True, metavar="LIST",
              help="SMED sweep: run the grid with every changeover scaled by each factor.")
@click.option("--objective", default=None, help="The score (default: the benchmark's).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds per optimizer run.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT workers per optimizer run.")
@click.option("--deterministic-seconds", type=click.FloatRange(min=0.01), default=None,
              help="Limit CP-SAT by deterministic time (with --workers 1, runs repeat exactly).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Local processes (default: one per core).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on the Dask cluster at ADDRESS (tcp://host:port) instead.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT, show_default=True, help="Folder for the CSV and the report.")
@click.option("--csv", "csv_name", default="runs.csv", show_default=True)
@click.option("--report/--no-report", default=True, show_default=True,
              help="Also write report.md, report.html and charts.")
@click.option("--list", "list_them", is_flag=True, help="List the strategies and exit.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def bench_strategies(generators: tuple[str, ...], plant_seeds: str, folders: tuple[Path, ...],
                     strategies: str, seeds: str, setup_scales: str, objective: str | None,
                     time_limit: float, workers: int, deterministic_seconds: float | None,
                     jobs: int | None, scheduler: str | None, out_dir: Path, csv_name: str,
                     report: bool, list_them: bool, quiet: bool) -> None:
    """Run changeover strategies on a grid of plants × strategies × seeds.

    Writes one tidy CSV (a row per run: every KPI of kpis.json, the score,
    the validator's verdict and the wall time) and, unless --no-report, a
    markdown and HTML report with charts.
    """
    from pydantic import ValidationError

    from prodsched.bench.strategies import PlantSpec, make_tasks, run_tasks, write_rows
    from prodsched.errors import UsageError
    from prodsched.generate import GeneratorConfig
    from prodsched.strategies import BENCH_OBJECTIVE, REGISTRY, StrategySettings

    if list_them:
        for name, strategy in REGISTRY.items():
            click.echo(f"{name:17} {strategy.kind:9} {strategy.summary}")
        return
    plants: list[PlantSpec] = [PlantSpec(name=f.name, folder=f) for f in folders]
    try:
        for k, text in enumerate(generators):
            name, fields = parse_generator(text, k)
            for seed in _numbers(plant_seeds, int) or [None]:
                values = fields if seed is None else {**fields, "seed": seed}
                label = name if seed is None else f"{name}-s{seed}"
                plants.append(PlantSpec(name=label,
                                        generator=GeneratorConfig.model_validate(values)))
    except (ValueError, ValidationError) as err:
        fail(f"prodsched: --generate: {err}", EXIT_BAD_INPUT)
    if not plants:
        fail("prodsched: give at least one --generate or --plant", EXIT_BAD_INPUT)
    names = [s.strip() for s in strategies.split(",") if s.strip()] or list(REGISTRY)
    settings = StrategySettings(objective=objective or BENCH_OBJECTIVE, time_limit=time_limit,
                                workers=workers, deterministic_seconds=deterministic_seconds)
    try:
        settings.parsed_objective()
        tasks = make_tasks(plants, names, _numbers(seeds, int), settings,
                           _numbers(setup_scales, float) or [1.0])
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    try:
        if quiet:
            rows = run_tasks(tasks, jobs=jobs, scheduler=scheduler)
        else:
            with click.progressbar(length=len(tasks), label=f"{len(tasks)} runs") as bar:
                rows = run_tasks(tasks, jobs=jobs, scheduler=scheduler,
                                 progress=lambda row: bar.update(1))
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    path = write_rows(out_dir / csv_name, rows)
    written = [path]
    if report:
        written += _report(rows, out_dir, settings, plants)
    if not quiet:
        bad = sum(1 for r in rows if not r["valid"])
        click.echo(f"{len(rows)} runs, {bad} invalid or failed; wrote "
                   + ", ".join(str(p) for p in written))


def _report(rows: list[dict[str, Any]], out_dir: Path, settings: Any,
            plants: list[Any]) -> list[Path]:
    import pandas as pd

    from prodsched.bench.environment import run_metadata
    from prodsched.bench.strategy_report import ReportInput, write_report

    frame = pd.DataFrame(rows)
    kinds = dict(zip(frame["strategy"], frame["kind"], strict=True))
    runs = frame[frame["setup_scale"] == 1.0]
    smed = frame if frame["setup_scale"].nunique() > 1 else None
    notes = [f"- score (lower is better): `{settings.objective}`",
             f"- optimizers: {settings.time_limit:g} s, {settings.workers} worker(s)"
             + (f", {settings.deterministic_seconds:g} deterministic s"
                if settings.deterministic_seconds else ""),
             "- plants: " + "; ".join(_describe(p) for p in plants)]
    info = ReportInput("Changeover strategies", run_metadata(), notes)
    return write_report(runs, smed, kinds, info, out_dir)


def _describe(plant: Any) -> str:
    if plant.generator is None:
        return f"{plant.name} (folder)"
    fields = plant.generator.model_dump(exclude_defaults=True, mode="json")
    return f"{plant.name} ({', '.join(f'{k}={v}' for k, v in fields.items())})"
