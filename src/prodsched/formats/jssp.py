"""Job-shop files (OR-Library / Taillard text form).

``n m`` and then, per job, ``m``... pairs ``machine duration`` in route order,
machines numbered from 0. Line breaks carry no meaning: a job's pairs are
the next ``2 * m`` numbers (every job has ``m`` operations).
"""

from __future__ import annotations

from pathlib import Path

from prodsched.formats.shop import Operation, ShopInstance, to_plant
from prodsched.formats.tokens import TokenStream
from prodsched.plant.model import Plant


def parse_jssp(path: Path) -> ShopInstance:
    """Read a job-shop file into a :class:`ShopInstance`.

    Raises
    ------
    PlantError
        With the line and column of every problem: too few numbers,
        non-numbers, a machine index out of ``0..m-1``, a negative duration.
    """
    stream = TokenStream.from_path(path)
    n, _ = stream.integer("the number of jobs", minimum=1)
    m, _ = stream.integer("the number of machines", minimum=1)
    jobs: list[tuple[Operation, ...]] = []
    for j in range(max(n, 0)):
        operations: list[Operation] = []
        for i in range(max(m, 0)):
            where = f"job {j} operation {i}"
            machine, _ = stream.integer(f"the machine of {where}", 0, m - 1)
            duration, _ = stream.integer(f"the duration of {where}", minimum=0)
            operations.append(((machine, duration),))
        jobs.append(tuple(operations))
    stream.finish()
    return ShopInstance(name=path.stem, n_machines=m, jobs=tuple(jobs))


def read_jssp(path: Path) -> Plant:
    """Read a job-shop file into a :class:`Plant` (jobs ``J0``.., machines ``M0``..)."""
    return to_plant(parse_jssp(path), source=path)
