"""The benchmarks run at the size a newcomer tries first, not only at the million they were
written for (the deep list page used to sit 500,000 rows down whatever the database held)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_list_benchmark_runs_on_a_small_database(tmp_path):
    result = subprocess.run([sys.executable, "bench/incident_list.py", "--incidents", "300", "--db", "sqlite",
                             "--repeat", "1"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "BENCH_DATA": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "keyset after 150 rows (app query)" in result.stdout


def test_the_export_benchmark_runs_on_a_small_database(tmp_path):
    """A small export arrives in one read (its first rows came with its first byte), and the XLSX
    from a date reads its filter as the app does."""
    result = subprocess.run([sys.executable, "bench/exports.py", "--incidents", "300", "--db", "sqlite",
                             "--xlsx-from", "2020-01-01"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "BENCH_DATA": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "over HTTP: app/native" in result.stdout
    assert "app XLSX (from 2020-01-01)" in result.stdout
