"""A small random SDST flow-shop file (large setups, short runs), for tests."""

from __future__ import annotations

import random


def sdst_text(seed: int = 0, n: int = 5, m: int = 3, max_time: int = 10,
              max_setup: int = 50) -> str:
    """An SDST-PFSP file: ``n``, ``m``, times (row = job), ``m`` blocks of ``n x n`` setups."""
    rng = random.Random(seed)
    times = [[rng.randint(1, max_time) for _ in range(m)] for _ in range(n)]
    setups = [[[0 if i == j else rng.randint(0, max_setup) for j in range(n)] for i in range(n)]
              for _ in range(m)]
    rows = [" ".join(map(str, r)) for r in times]
    rows += [" ".join(map(str, r)) for block in setups for r in block]
    return f"{n}\n{m}\n" + "\n".join(rows) + "\n"


def brute_force_makespan(p: list[list[int]], setup: list[list[list[int]]],
                         perm: list[int]) -> int:
    """Makespan of a permutation, simulated operation by operation (anticipatory setups)."""
    m = len(p[0])
    free = [0] * m
    for pos, job in enumerate(perm):
        ready = 0
        for k in range(m):
            gap = 0 if pos == 0 else setup[k][perm[pos - 1]][job]
            ready = max(ready, free[k] + gap) + p[job][k]
            free[k] = ready
    return free[-1]
