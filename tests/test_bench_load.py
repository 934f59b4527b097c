"""What bench/load.py reports: the warm-up is left out of the figures, and the raw-SQL baselines it
quotes (bench/baselines.py) measure real work on the run's database and leave it as it was.
(locust itself lives in its own virtualenv and is not part of the suite.)"""
from __future__ import annotations

import importlib
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH_MODULES = ("common", "baselines", "dashboards", "load")


@pytest.fixture
def bench(monkeypatch, tmp_path):
    """bench/'s script modules, importable by their names for this test only, with their data in
    a folder of its own."""
    monkeypatch.setenv("BENCH_DATA", str(tmp_path / "data"))
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    yield importlib.import_module
    for name in BENCH_MODULES:
        sys.modules.pop(name, None)


def test_the_warm_up_is_not_counted(bench, tmp_path, capsys):
    load = bench("load")
    (tmp_path / "timeline.csv").write_text("\n".join([
        f"1000.0,{load.START},0,1",
        "1002.0,submit incident,4000,1",   # during the warm-up: not counted
        "1014.9,submit incident,3000,0",   # still in it (started before 1015)
        *(f"{1015 + n}.0,submit incident,{100 + n},1" for n in range(20)),
        "1030.0,submit incident,900,0",
    ]) + "\n")
    (tmp_path / "run_failures.csv").write_text("Method,Name,Error,Occurrences\n")

    errors = load.report(tmp_path, 15, {"submit incident": [2.0, 3.0, 4.0]})

    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("submit incident"))
    count, failed, p50, p95, p99, raw = line.split()[2:8]
    assert (count, failed, raw) == ("21", "1", "3.0")
    assert (p50, p95, p99) == ("110", "119", "900")
    assert errors == 1
    assert "p95 <= 500: met" in line


def test_the_raw_baselines_measure_the_run_database_and_leave_it_unchanged(bench):
    common, baselines = bench("common"), bench("baselines")
    url = common.sqlite_database(200)
    path = url.removeprefix("sqlite:///")

    def counts():
        with sqlite3.connect(path) as connection:
            return [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("incidents", "incident_items")]

    before = counts()
    submits = baselines.raw_submit(url, repeat=3)
    assert len(submits) == 3 and all(ms > 0 for ms in submits)
    assert counts() == before

    dashboards = baselines.raw_dashboards(url, repeat=2)
    assert {key: len(values) for key, values in dashboards.items()} == {"overview": 2, "category": 2}

    first_byte, whole = baselines.native_csv(url, "SELECT ref FROM incidents")
    assert 0 < first_byte <= whole
    with sqlite3.connect(path) as connection:
        someone = connection.execute("SELECT username FROM users").fetchone()[0]
    assert baselines.export_csv_first_byte(url, someone, date(2000, 1, 1)) > 0
