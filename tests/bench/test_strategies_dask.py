"""The strategy sweep on a real local Dask cluster gives the rows of the local run."""

from __future__ import annotations

import pytest

from prodsched.bench.strategies import PlantSpec, comparable, make_tasks, run_local, run_tasks
from prodsched.generate import GeneratorConfig
from prodsched.strategies import StrategySettings

distributed = pytest.importorskip("distributed")


def test_dask_and_local_runs_are_identical():
    plants = [PlantSpec(name=f"p{seed}", generator=GeneratorConfig(
        orders=10, products=4, families=2, machines=2, setup_ratio=0.8,
        mode_mix="one-off=1,batch=1,mass=1,auto=1", seed=seed)) for seed in (301, 302)]
    settings = StrategySettings(time_limit=60, workers=1, deterministic_seconds=0.3)
    tasks = make_tasks(plants, ["edd", "atcs", "product-wheel", "cpsat-lots"], [0], settings)
    local = run_local(tasks, jobs=1)
    seen = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_tasks(tasks, scheduler=cluster.scheduler_address, progress=seen.append)
    assert len(seen) == len(tasks)
    assert all(r["valid"] for r in remote)
    assert comparable(remote) == comparable(local)
    assert [r["strategy"] for r in remote] == [t.strategy for t in tasks]
