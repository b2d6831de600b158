"""``prodsched bench-bks``: benchmark sets against their best-known solutions."""

from __future__ import annotations

from pathlib import Path

import click

from prodsched.cli.common import EXIT_BAD_INPUT, fail

DATA_ENV = "PRODSCHED_BENCHMARKS"


@click.command("bench-bks")
@click.argument("sets", nargs=-1, required=True)
@click.option("--data", type=click.Path(file_okay=False, exists=True, path_type=Path),
              envvar=DATA_ENV, required=True,
              help=f"Benchmark folder holding jssp/, fjsp/, sdst_pfsp/ (or set {DATA_ENV}).")
@click.option("--instances", "patterns", multiple=True,
              help="Glob on instance names, e.g. 'la0[1-5]' or 'la*,ta0?' (repeatable).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds per instance and model.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT search workers.")
@click.option("--models", default="prodsched,plain", show_default=True,
              help="Comma-separated: prodsched (the pipeline), plain (the OR-Tools examples' "
                   "model).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed of both models (prodsched's heuristics too).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("benchmarks/results/bks"), show_default=True,
              help="Folder for results.csv (rows accumulate) and summary.md.")
@click.option("--resume", is_flag=True,
              help="Skip instance and model pairs already in results.csv.")
@click.option("--label", default="", help="A line for summary.md saying what the run is.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def bench_bks(sets: tuple[str, ...], data: Path, patterns: tuple[str, ...], time_limit: float,
              workers: int, models: str, seed: int, out_dir: Path, resume: bool, label: str,
              quiet: bool) -> None:
    """Solve the instances of SETS (jssp, fjsp, sdst_pfsp) and compare with best known.

    Every model gets the same time limit and workers; every solution is checked
    against the instance file. Writes OUT/results.csv and OUT/summary.md after
    each run.
    """
    from prodsched.bench.harness import BenchConfig, run_benchmark
    from prodsched.bench.run import ResultRow
    from prodsched.errors import UsageError

    def show(row: ResultRow) -> None:
        if quiet:
            return
        pct = "" if row.pct_above_bks is None else f" ({row.pct_above_bks:+.2f}% vs BKS)"
        value = "-" if row.objective is None else f"{row.objective:g}"
        check = "checked" if row.feasible else "NOT FEASIBLE" if row.objective else "no solution"
        click.echo(f"{row.set} {row.instance} {row.model}: {value}{pct} {row.status}, "
                   f"{check}, {row.seconds:.1f} s")

    config = BenchConfig(
        data=data, sets=sets, out=out_dir, patterns=patterns,
        models=[m.strip() for m in models.split(",") if m.strip()], time_limit=time_limit,
        workers=workers, seed=seed, resume=resume, label=label)
    try:
        run_benchmark(config, show)
    except UsageError as err:
        fail(f"prodsched: {err}", EXIT_BAD_INPUT)
    if not quiet:
        click.echo(f"wrote {out_dir / 'results.csv'} and {out_dir / 'summary.md'}")
