"""The changeover-strategy benchmark behind ``prodsched bench-strategies``.

A grid of plants (generator configurations or plant folders) × strategies ×
seeds (× setup-time scales, for the SMED sweep) becomes a list of
:class:`BenchTask`; :func:`run_task` runs one and returns its row (every KPI
of kpis.json, the score, whether the validator accepts the schedule, and the
wall time); :func:`run_tasks` runs them all in local processes or on a Dask
cluster, in the same order either way. Tasks carry only plain, picklable
data: each worker generates or loads its own plant.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from prodsched.atomic import write_files_atomically
from prodsched.bench.smed import scale_setups
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.plant.load import load_plant
from prodsched.plant.model import Plant
from prodsched.strategies import StrategySettings, get_strategy, run_strategy

KPI_COLUMNS = (
    "status", "objective", "bound", "gap", "makespan", "total_setup_time", "setup_count",
    "total_setup_cost", "total_tardiness", "weighted_tardiness", "late_orders",
    "on_time_rate", "holding_cost", "lot_count", "average_lot_size", "units_to_stock",
    "utilization_mean", "utilization_max", "solve_seconds")
COLUMNS = ("plant", "strategy", "kind", "seed", "setup_scale", "score", "valid", "violations",
           *KPI_COLUMNS, "wall_seconds", "note")
# Columns that depend on the machine's speed and load, not on the schedule.
TIMING_COLUMNS = ("solve_seconds", "wall_seconds")


class PlantSpec(BaseModel):
    """A plant of the grid: a generator configuration or a plant folder.

    Parameters
    ----------
    name
        The plant's name in the results.
    generator
        Generate the plant (deterministic for its seed).
    folder
        Load the plant from this folder (or workbook).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    generator: GeneratorConfig | None = None
    folder: Path | None = None

    @model_validator(mode="after")
    def _one_source(self) -> PlantSpec:
        if (self.generator is None) == (self.folder is None):
            raise ValueError("a plant needs exactly one of generator and folder")
        return self

    def load(self) -> Plant:
        """The plant (generated into a temporary folder, or loaded)."""
        if self.folder is not None:
            return load_plant(self.folder)
        assert self.generator is not None
        with tempfile.TemporaryDirectory(prefix="prodsched-bench-") as tmp:
            return load_plant(write_plant(self.generator, Path(tmp) / self.name))


@dataclass(frozen=True)
class BenchTask:
    """One run: a plant, a strategy (``name`` or ``name:parameter``), a seed, a setup scale."""

    plant: PlantSpec
    strategy: str
    seed: int = 0
    setup_scale: float = 1.0
    settings: StrategySettings = field(default_factory=StrategySettings)


def make_tasks(plants: Sequence[PlantSpec], strategies: Sequence[str], seeds: Sequence[int],
               settings: StrategySettings, setup_scales: Sequence[float] = (1.0,)
               ) -> list[BenchTask]:
    """Every plant × setup scale × strategy × seed, in that nesting order.

    Raises
    ------
    UsageError
        For an unknown strategy name (before anything runs).
    """
    for name in strategies:
        get_strategy(name)
    return [BenchTask(plant, strategy, seed, scale, replace(settings, seed=seed))
            for plant in plants for scale in setup_scales for strategy in strategies
            for seed in seeds]


def _kpi_cells(kpis: dict[str, Any]) -> dict[str, Any]:
    utilization = list((kpis.get("utilization") or {}).values())
    out = {k: kpis.get(k) for k in KPI_COLUMNS}
    out["utilization_mean"] = round(sum(utilization) / len(utilization), 4) if utilization else 0
    out["utilization_max"] = max(utilization, default=0)
    return out


def run_task(task: BenchTask) -> dict[str, Any]:
    """Run one task; a row of :data:`COLUMNS` (a failure is a row too, with its note)."""
    from prodsched.validate.check import schedule_violations

    started = time.monotonic()
    strategy, _ = get_strategy(task.strategy)
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(plant=task.plant.name, strategy=task.strategy, kind=strategy.kind,
               seed=task.seed, setup_scale=task.setup_scale, valid=False, note="")
    try:
        plant = scale_setups(task.plant.load(), task.setup_scale)
        schedule = run_strategy(plant, task.strategy, task.settings)
        violations = schedule_violations(schedule)
        score = task.settings.parsed_objective().stages[0].value(schedule.kpis)
        row.update(_kpi_cells(schedule.kpis_dict()))
        row.update(score=float(score), valid=not violations, violations=len(violations))
        if violations:
            row["note"] = str(violations[0])
    except Exception as err:  # a failed run is a result, not the end of the benchmark
        row.update(status="error", note=f"{type(err).__name__}: {err}".splitlines()[0])
        if os.environ.get("PRODSCHED_BENCH_TRACEBACK"):
            traceback.print_exc()
    row["wall_seconds"] = round(time.monotonic() - started, 3)
    return row


Progress = Callable[[dict[str, Any]], None]


def _collect(futures: dict[Any, int], done: Iterable[Any], count: int,
             progress: Progress | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any] | None] = [None] * count
    for future in done:
        row = future.result()
        rows[futures[future]] = row
        if progress is not None:
            progress(row)
    return [r for r in rows if r is not None]


def run_local(tasks: Sequence[BenchTask], jobs: int | None = None,
              progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run ``tasks`` in ``jobs`` local processes (default: one per core); rows in task order.

    With ``jobs=1`` the tasks run in this process, one after the other.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        rows = []
        for task in tasks:
            rows.append(run_task(task))
            if progress is not None:
                progress(rows[-1])
        return rows
    pool: Executor = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"))
    with pool:
        futures: dict[Future[dict[str, Any]], int] = {
            pool.submit(run_task, task): k for k, task in enumerate(tasks)}
        return _collect(futures, as_completed(futures), len(tasks), progress)


def run_dask(tasks: Sequence[BenchTask], scheduler: str,
             progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run ``tasks`` on the Dask cluster at ``scheduler`` (``tcp://host:port``).

    Needs ``pip install 'prodsched[dask]'``; the workers need prodsched too.
    """
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as err:
        from prodsched.errors import UsageError

        raise UsageError("--scheduler needs Dask: pip install 'prodsched[dask]'") from err
    with Client(scheduler) as client:
        futures = {client.submit(run_task, task, pure=False): k for k, task in enumerate(tasks)}
        return _collect(futures, dask_completed(list(futures)), len(tasks), progress)


def run_tasks(tasks: Sequence[BenchTask], *, jobs: int | None = None,
              scheduler: str | None = None, progress: Progress | None = None
              ) -> list[dict[str, Any]]:
    """Run ``tasks`` locally, or on Dask when ``scheduler`` is given; rows in task order."""
    if scheduler:
        return run_dask(tasks, scheduler, progress)
    return run_local(tasks, jobs, progress)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows as a tidy CSV of :data:`COLUMNS` (replacing the file atomically)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    write_files_atomically(path.parent, {path.name: buffer.getvalue()})
    return path


def comparable(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without their timing columns (what must repeat exactly between runs)."""
    return [{k: v for k, v in r.items() if k not in TIMING_COLUMNS} for r in rows]
