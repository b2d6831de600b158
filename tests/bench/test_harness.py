"""``prodsched bench-bks`` writes its CSV and markdown summary, resumes, and
reports both models on the same instances."""

from __future__ import annotations

import csv
import subprocess

import pytest
from click.testing import CliRunner

from prodsched.bench.bks import get_set, instance_files, pct_above, pct_gap, read_bks
from prodsched.cli import main
from tests.conftest import SHARED_BENCHMARKS
from tests.formats.sdst_tiny import sdst_text

COLUMNS = ["set", "instance", "model", "objective", "bound", "best_known", "pct_above_bks",
           "pct_gap_to_bound", "seconds", "status", "feasible", "time_limit", "workers", "note",
           "commit"]


def bench(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bench-bks", *args])
    return result.exit_code, result.output


def rows_of(path):
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def data(tmp_path):
    """A benchmark folder with a made-up SDST set of two tiny instances."""
    root = tmp_path / "data"
    folder = root / "sdst_pfsp" / "instances"
    folder.mkdir(parents=True)
    (folder / "tiny0.txt").write_text(sdst_text(seed=0))
    (folder / "tiny1.txt").write_text(sdst_text(seed=1, n=4))
    (root / "sdst_pfsp" / "bks.csv").write_text(
        "instance,objective,best_known_upper,lower_bound,optimal,source\n"
        "tiny0,makespan,125,120,no,made up\ntiny1,makespan,,,no,made up\n")
    return root


def test_bks_helpers():
    assert pct_above(103, 100) == pytest.approx(3.0)
    assert pct_above(103, None) is None
    assert pct_gap(100, 90) == pytest.approx(10.0)
    assert pct_gap(100, None) is None
    assert get_set("sdst-pfsp") is get_set("sdst_pfsp")


def test_bench_writes_rows_and_summary_for_both_models_and_resumes(data, tmp_path):
    out = tmp_path / "out"
    code, output = bench("sdst_pfsp", "--data", str(data), "--time-limit", "4",
                         "--out", str(out), "--label", "TEST RUN")
    assert code == 0, output
    rows = rows_of(out / "results.csv")
    assert list(rows[0]) == COLUMNS
    assert [(r["instance"], r["model"]) for r in rows] == [
        ("tiny0", "plain"), ("tiny0", "prodsched"), ("tiny1", "plain"), ("tiny1", "prodsched")]
    assert all(r["feasible"] == "yes" and r["status"] == "optimal" for r in rows)
    tiny0 = [r for r in rows if r["instance"] == "tiny0"]
    assert {r["objective"] for r in tiny0} == {"130"}
    assert {r["pct_above_bks"] for r in tiny0} == {"4"}      # (130 - 125) / 125
    assert {r["best_known"] for r in rows if r["instance"] == "tiny1"} == {""}
    summary = (out / "summary.md").read_text()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    for text in ("TEST RUN", "## sdst_pfsp", "| prodsched | 2 | 2 | 2 | 4.00 |",
                 "| plain | 2 | 2 | 2 | 4.00 |", "OR-Tools", "cores", commit):
        assert text in summary
    assert all(r["commit"].startswith(commit) for r in rows)

    before = (out / "results.csv").read_text()
    code, output = bench("sdst_pfsp", "--data", str(data), "--out", str(out), "--resume",
                         "--label", "RESUMED")
    assert code == 0 and "tiny0" not in output
    assert (out / "results.csv").read_text() == before
    summary = (out / "summary.md").read_text()      # refreshed although nothing was left to run
    assert "RESUMED" in summary and "TEST RUN" not in summary
    assert not list(out.glob("*.tmp"))


def test_bench_refuses_unknown_sets_models_and_patterns(data, tmp_path):
    out = str(tmp_path / "out")
    assert bench("nope", "--data", str(data), "--out", out)[0] == 2
    assert bench("sdst_pfsp", "--data", str(data), "--out", out, "--models", "best")[0] == 2
    code, output = bench("sdst_pfsp", "--data", str(data), "--out", out,
                         "--instances", "zzz*")
    assert code == 2 and "no instance" in output


@pytest.mark.skipif(not SHARED_BENCHMARKS.is_dir(),
                    reason=f"no shared benchmark folder at {SHARED_BENCHMARKS}")
def test_bench_on_shared_jssp_and_fjsp_instances(tmp_path):
    files = instance_files(SHARED_BENCHMARKS / "jssp", ["ft06,la01"])
    assert [f.stem for f in files] == ["ft06", "la01"]
    assert read_bks(SHARED_BENCHMARKS / "fjsp" / "bks.csv")["mk10"].upper == 193
    out = tmp_path / "out"
    code, output = bench("jssp", "fjsp", "--data", str(SHARED_BENCHMARKS), "--instances",
                         "ft06,la01,mk01", "--time-limit", "10", "--out", str(out))
    assert code == 0, output
    rows = rows_of(out / "results.csv")
    assert {(r["set"], r["instance"]) for r in rows} == {
        ("jssp", "ft06"), ("jssp", "la01"), ("fjsp", "mk01")}
    assert all(r["status"] == "optimal" and r["feasible"] == "yes" and r["pct_above_bks"] == "0"
               for r in rows)
    summary = (out / "summary.md").read_text()
    assert "## fjsp" in summary and "## jssp" in summary


def test_a_summary_of_rows_from_several_commits_says_which_rows_come_from_which(tmp_path):
    from prodsched.bench.report import read_rows, rows_csv, summary_markdown
    from prodsched.bench.run import ResultRow

    def row(instance: str, commit: str) -> ResultRow:
        return ResultRow(set="jssp", instance=instance, model="prodsched", objective=10.0,
                         bound=10.0, best_known=10.0, pct_above_bks=0.0, pct_gap_to_bound=0.0,
                         seconds=1.0, status="optimal", feasible=True, time_limit=60.0,
                         workers=2, commit=commit)

    path = tmp_path / "results.csv"
    path.write_text(rows_csv([row("a", "1111111"), row("b", "2222222"), row("c", "2222222")]))
    rows = read_rows(path)
    assert [r.commit for r in rows] == ["1111111", "2222222", "2222222"]
    summary = summary_markdown(rows, "# header")
    assert "more than one commit (rows per commit): 1111111 (1), 2222222 (2)" in summary
    assert "more than one commit" not in summary_markdown(rows[1:], "# header")


def test_the_harness_hands_its_seed_and_workers_to_the_formats_warm_starts(tmp_path,
                                                                            monkeypatch):
    import dataclasses

    import prodsched.formats as formats
    from prodsched.bench.run import run_instance
    from prodsched.stop import NO_STOP

    fjs = tmp_path / "f.fjs"
    fjs.write_text("3 3 2\n2 2 1 4 2 2 1 3 5\n2 1 2 3 2 1 2 3 4\n1 2 1 3 3 1\n")
    real = formats.get_format("fjsp")
    seen: list = []

    def recording(plant, time_limit, *, seed=0, workers=1, stop=NO_STOP):
        seen.append((seed, workers))
        return real.warm_starts(plant, time_limit, seed=seed, workers=workers, stop=stop)

    monkeypatch.setattr(formats, "get_format",
                        lambda name: dataclasses.replace(real, warm_starts=recording))
    row = run_instance(get_set("fjsp"), fjs, None, "prodsched", 5, 1, seed=4)
    assert seen == [(4, 1)]
    assert row.feasible and row.status == "optimal"
