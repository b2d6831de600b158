"""Shared test helpers: plants written from inline CSV text, and the validator."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from prodsched.generate import GeneratorConfig
from prodsched.generate import write_plant as generate_plant
from prodsched.plant import Plant, load_plant

SHARED_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"


def write_plant(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (name → CSV text, dedented) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def at_clock_speed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """``at_clock_speed(speed, call)``: ``call()`` with ``time.monotonic`` running at
    ``speed`` times the real clock (0.25: four times the seconds for the same work)."""
    import time

    real = time.monotonic

    def run(speed: float, call: Callable[[], object]) -> object:
        t0 = real()
        monkeypatch.setattr(time, "monotonic", lambda: t0 + (real() - t0) * speed)
        try:
            return call()
        finally:
            monkeypatch.setattr(time, "monotonic", real)

    return run


@pytest.fixture
def make_plant(tmp_path: Path) -> Callable[..., Path]:
    """Write a plant folder from inline CSV texts; returns its path."""
    counter = iter(range(10_000))

    def make(files: dict[str, str], name: str | None = None) -> Path:
        return write_plant(tmp_path / (name or f"plant{next(counter)}"), files)

    return make


def assert_valid(schedule) -> None:  # type: ignore[no-untyped-def]
    """The project's own validator accepts the files this schedule writes."""
    from prodsched.validate import validate_texts

    files = schedule.render()
    violations = validate_texts(schedule.plant, files["schedule.csv"],
                                files["orders_report.csv"], files["kpis.json"])
    assert not violations, "\n".join(str(v) for v in violations)


def load_generated(root: Path, configs: dict[str, GeneratorConfig]) -> dict[str, Plant]:
    """Write each generated plant into ``root`` and load it, by name."""
    return {name: load_plant(generate_plant(config, root / name))
            for name, config in configs.items()}


@pytest.fixture(scope="session")
def three_by_product(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """``compare-modes --by-product`` of :func:`tests.modes_plants.three_products`
    (one worker, 4 s per solve), shared by the tests that read it."""
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.modes_advice import compare_by_product
    from tests.modes_plants import three_products

    folder = write_plant(tmp_path_factory.mktemp("three") / "plant", three_products())
    return compare_by_product(load_plant(folder), time_limit=4,
                              settings=SolverSettings(workers=1))
