"""Shared helpers: the repository, the ``dinarflow`` binary built from the
same sources (to compare the package with the command line), and CSV
comparison value for value and digit for digit."""

from __future__ import annotations

import csv
import io
import math
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parents[2]


def _binary() -> Path:
    given = os.environ.get("DINARFLOW_BIN")
    if given:
        return Path(given)
    found = [p for p in (REPO / "target/release/dinarflow", REPO / "target/debug/dinarflow") if p.exists()]
    if not found:
        subprocess.run(["cargo", "build", "--quiet", "--bin", "dinarflow"], cwd=REPO, check=True)
        found = [REPO / "target/debug/dinarflow"]
    # The most recently built: the one of the sources the package was built from.
    return max(found, key=lambda p: p.stat().st_mtime)


@pytest.fixture(scope="session")
def cli():
    """Runs ``dinarflow ARGS`` in the repository; returns its standard output."""
    binary = _binary()

    def run(*args: str, check: bool = True) -> str:
        p = subprocess.run([str(binary), *args], cwd=REPO, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"dinarflow {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
        return p.stdout

    return run


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    """Tests name files relative to the repository, as the README does."""
    monkeypatch.chdir(REPO)


def rows(text: str) -> List[List[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_frame_is_csv(frame, text: str, exact: bool = False) -> None:
    """Every cell of ``frame`` is the CLI's CSV cell: floats equal to the
    double nearest the CSV's decimal (or, exact, the same digits); text the
    same text; an empty cell missing."""
    table = rows(text)
    header, body = table[0], table[1:]
    assert list(frame.columns) == header
    assert len(frame) == len(body), (len(frame), len(body))
    for j, name in enumerate(header):
        col = frame[name].tolist()
        for i, want in enumerate(r[j] for r in body):
            got = col[i]
            where = f"row {i + 1}, column {name}: {got!r} against {want!r}"
            if want == "":
                assert got is None or (isinstance(got, float) and math.isnan(got)), where
            elif isinstance(got, Decimal):
                assert exact, where
                assert format(got, "f") == want, where
            elif isinstance(got, (float, int)) and not isinstance(got, bool):
                assert not exact or isinstance(got, int), where
                assert got == float(want), where
            else:
                assert str(got) == want, where
