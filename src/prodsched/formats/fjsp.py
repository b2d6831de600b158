"""Flexible job-shop files (Brandimarte ``.fjs``).

``n m x`` (``x``, the mean number of machines per operation, is ignored and
may be fractional), then per job: its number of operations ``k`` and, per
operation, the number of eligible machines ``c`` followed by ``c`` pairs
``machine duration`` with machines numbered from 1.
"""

from __future__ import annotations

from pathlib import Path

from prodsched.formats.shop import Operation, Option, ShopInstance, to_plant
from prodsched.formats.tokens import TokenStream
from prodsched.plant.model import Plant


def parse_fjsp(path: Path) -> ShopInstance:
    """Read a ``.fjs`` file into a :class:`ShopInstance` (machines made 0-based).

    Raises
    ------
    PlantError
        With the line and column of every problem: too few numbers,
        non-numbers, a job without operations, an operation without machines,
        a machine out of ``1..m`` or listed twice, a negative duration.
    """
    stream = TokenStream.from_path(path)
    n, _ = stream.integer("the number of jobs", minimum=1)
    m, _ = stream.integer("the number of machines", minimum=1)
    stream.number("the mean number of machines per operation")
    jobs: list[tuple[Operation, ...]] = []
    for j in range(1, max(n, 0) + 1):
        k, _ = stream.integer(f"the number of operations of job {j}", minimum=1)
        operations: list[Operation] = []
        for i in range(1, max(k, 0) + 1):
            where = f"job {j} operation {i}"
            c, _ = stream.integer(f"the number of machines of {where}", 1, max(m, 1))
            options: list[Option] = []
            for _ in range(max(c, 0)):
                machine, token = stream.integer(f"a machine of {where}", 1, m)
                duration, _ = stream.integer(f"a duration of {where}", minimum=0)
                if any(machine - 1 == seen for seen, _ in options):
                    stream.problem(token, f"machine {machine} is listed twice for {where}")
                    continue
                options.append((machine - 1, duration))
            operations.append(tuple(options))
        jobs.append(tuple(operations))
    stream.finish()
    return ShopInstance(name=path.stem, n_machines=m, jobs=tuple(jobs), numbering=1)


def read_fjsp(path: Path) -> Plant:
    """Read a ``.fjs`` file into a :class:`Plant` (jobs ``J1``.., machines ``M1``..)."""
    return to_plant(parse_fjsp(path), source=path)
