"""The best-known-solution benchmark loop behind ``prodsched bench-bks``.

For every selected instance of a set, every model is run with the same time
limit and workers; after each run the results CSV and the markdown summary
are rewritten, so an interrupted run keeps everything done so far and
``resume`` skips what is already in the CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from prodsched.atomic import write_files_atomically
from prodsched.bench.bks import get_set, instance_files, read_bks
from prodsched.bench.environment import markdown_header, run_metadata
from prodsched.bench.report import merge_rows, read_rows, row_key, rows_csv, summary_markdown
from prodsched.bench.run import MODELS, ResultRow, run_instance
from prodsched.errors import UsageError

RESULTS_CSV = "results.csv"
SUMMARY_MD = "summary.md"


@dataclass(frozen=True)
class BenchConfig:
    """What to run and where to write it.

    Parameters
    ----------
    data
        The benchmark folder (holding ``jssp/``, ``fjsp/``, ``sdst_pfsp/``).
    sets
        Set names (folder or format names).
    out
        Folder for ``results.csv`` and ``summary.md``.
    patterns
        Glob patterns on instance names (none: all).
    models
        Which models to run, among :data:`~prodsched.bench.run.MODELS`.
    time_limit, workers, seed
        Per instance and model.
    resume
        Skip (set, instance, model) already in ``results.csv``.
    label
        A line for the summary saying what the run is (e.g. a sample).
    """

    data: Path
    sets: Sequence[str]
    out: Path
    patterns: Sequence[str] = ()
    models: Sequence[str] = MODELS
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    resume: bool = False
    label: str = ""


def run_benchmark(config: BenchConfig,
                  report: Callable[[ResultRow], None] | None = None) -> list[ResultRow]:
    """Run the benchmark; returns the rows of this run (the CSV holds all rows).

    Raises
    ------
    UsageError
        For an unknown set or model, a missing folder or no matching instance.
    """
    unknown = [m for m in config.models if m not in MODELS]
    if unknown:
        raise UsageError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    plan = []
    for name in config.sets:
        bset = get_set(name)
        set_dir = config.data / bset.name
        if not (set_dir / "instances").is_dir():
            raise UsageError(f"no folder {set_dir / 'instances'}")
        files = instance_files(set_dir, config.patterns)
        if not files:
            raise UsageError(f"no instance of {bset.name} matches {', '.join(config.patterns)}")
        bks_path = set_dir / "bks.csv"
        plan.append((bset, files, read_bks(bks_path) if bks_path.exists() else {}))
    rows = read_rows(config.out / RESULTS_CSV)
    done = {row_key(r) for r in rows} if config.resume else set()
    meta = run_metadata()
    header = markdown_header("Best-known-solution benchmark", meta)
    new: list[ResultRow] = []
    for bset, files, bks in plan:
        for path in files:
            for model in config.models:
                if (bset.name, path.stem, model) in done:
                    continue
                row = run_instance(bset, path, bks.get(path.stem), model,
                                   config.time_limit, config.workers, config.seed)
                row.commit = str(meta["commit"])
                new.append(row)
                rows = merge_rows(rows, [row])
                _record(config, rows, header)
                if report is not None:
                    report(row)
    # A resumed run with nothing left still refreshes the summary (label, header).
    _record(config, rows, header)
    return new


def _record(config: BenchConfig, rows: Sequence[ResultRow], header: str) -> None:
    """Rewrite the results CSV and the markdown summary atomically."""
    write_files_atomically(config.out, {
        RESULTS_CSV: rows_csv(rows),
        SUMMARY_MD: summary_markdown(rows, header, config.label) + "\n",
    })
