"""Permutation flow shop with sequence-dependent setups (Ruiz et al. SDST files).

``n``, ``m``, the processing times (``n`` rows, one per job, ``m`` columns,
one per machine), then ``m`` blocks of ``n x n`` setup times: block ``k``,
row ``i``, column ``j`` is the setup on machine ``k`` when job ``j`` directly
follows job ``i``. Every job visits the machines in order ``0..m-1``; setups
are anticipatory (they may start before the job leaves the previous
machine), the first job on a machine needs none, and every machine must
process the jobs in the same order (see :mod:`prodsched.jobshop.extensions`).
"""

from __future__ import annotations

from pathlib import Path

from prodsched.formats.shop import ShopInstance, to_plant
from prodsched.formats.tokens import TokenStream
from prodsched.plant.model import Plant


def parse_sdst_pfsp(path: Path) -> ShopInstance:
    """Read an SDST-PFSP file into a :class:`ShopInstance` with ``permutation=True``.

    Raises
    ------
    PlantError
        With the line and column of every problem: too few numbers,
        non-numbers, a negative processing or setup time.
    """
    stream = TokenStream.from_path(path)
    n, _ = stream.integer("the number of jobs", minimum=1)
    m, _ = stream.integer("the number of machines", minimum=1)
    n, m = max(n, 0), max(m, 0)
    times = [[stream.integer(f"the processing time of job {j} on machine {k}", minimum=0)[0]
              for k in range(m)] for j in range(n)]
    setups = tuple(
        tuple(tuple(stream.integer(f"the setup on machine {k} from job {i} to job {j}",
                                   minimum=0)[0] for j in range(n)) for i in range(n))
        for k in range(m))
    stream.finish()
    jobs = tuple(tuple(((k, times[j][k]),) for k in range(m)) for j in range(n))
    return ShopInstance(name=path.stem, n_machines=m, jobs=jobs, setups=setups, permutation=True)


def read_sdst_pfsp(path: Path) -> Plant:
    """Read an SDST-PFSP file into a :class:`Plant` with one setup rule per positive setup."""
    return to_plant(parse_sdst_pfsp(path), source=path)
