"""One way for each thing across the package, checked against the
``dinarflow`` command line: months are monthly ``Period`` values in every
table and any month a pandas user holds is taken; an ``mc`` result's draws
cannot be changed through another handle on them, and its draws file is
``mc --draws FILE`` byte for byte; notes name the Python arguments, not the
command line's options."""

from __future__ import annotations

import datetime
import re
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

import dinarflow as dfl
from conftest import REPO, _binary, rows

OBSERVED = "models/observed/iraq-parallel-2022-2023.csv"


def _stderr(*args: str) -> str:
    p = subprocess.run([str(_binary()), *args], cwd=REPO, capture_output=True, text=True, check=True)
    return p.stderr


# -- the draws ----------------------------------------------------------------


def test_draws_cannot_be_changed_through_another_handle():
    r = dfl.Model.load("fixtures/mc-6-months.toml").mc(500, seed=4)
    name = r.metrics[0]
    before = r.draw_arrays[name].copy()
    arrays = r.draw_arrays
    assert not any(a.flags.writeable for a in arrays.values())
    with pytest.raises(ValueError, match="read-only"):
        arrays[name][0] = -1.0
    frame = r.draws
    frame.loc[0, name] = -1.0
    frame[r.inputs[0]] *= 2
    assert frame.loc[0, name] == -1.0
    # Neither the arrays nor a later frame moved.
    assert (r.draw_arrays[name] == before).all()
    assert r.draws.loc[0, name] == before[0]
    assert (r.draws[r.inputs[0]] * 2 == frame[r.inputs[0]]).all()
    # Still no copy: a fresh frame's columns are the arrays' memory.
    assert np.shares_memory(r.draws[name].to_numpy(), r.draw_arrays[name])


@pytest.mark.parametrize(
    "args, kw",
    [
        ([ "-n", "500", "--seed", "3"], dict(n=500, seed=3)),
        (
            ["fixtures/mc-6-months.toml", "-n", "3000", "--seed", "2", "--sampler", "lhs", "--metric", "parallel_rate:max",
             "--metric", "premium_pct@2023-03", "--until", "mean:50%"],
            dict(n=3000, seed=2, sampler="lhs", metrics=["parallel_rate:max", "premium_pct@2023-03"], until="mean:50%"),
        ),
        (
            ["-n", "300", "--metric", "parallel_rate@2024-06", "--no-forecast-error"],
            dict(n=300, metrics="parallel_rate@2024-06", forecast_error=False),
        ),
    ],
)
def test_draws_file_is_the_cli_draws_file_byte_for_byte(cli, tmp_path, args, kw):
    path = args[0] if args[0].endswith(".toml") else "models/iraq-2023.toml"
    file = tmp_path / "draws.csv"
    flags = args[1:] if args[0].endswith(".toml") else args
    cli("mc", path, *flags, "-q", "--draws", str(file))
    want = file.read_bytes().decode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dfl.DinarflowWarning)
        r = dfl.Model.load(path).mc(kw.pop("n"), **kw)
    assert r.draws_csv() == want
    saved = tmp_path / "saved.csv"
    r.save_draws(saved)
    assert saved.read_bytes() == file.read_bytes()
    # The values are the draws' (the file keeps the engine's trailing zeros).
    table = rows(want)
    assert table[0][1:] == list(r.draws.columns)
    assert len(table) - 1 == len(r.draws) == r.n
    name = table[0][-1]
    assert all(float(row[-1]) == v for row, v in zip(table[1:], r.draws[name]))


def test_the_draws_file_keeps_trailing_zeros_that_to_csv_drops(cli, tmp_path):
    file = tmp_path / "draws.csv"
    cli("mc", "-n", "200", "--seed", "1", "-q", "--draws", str(file))
    r = dfl.Model.default().mc(200, seed=1)
    cells = [c for row in rows(file.read_text())[1:] for c in row[1:]]
    padded = [c for c in cells if re.fullmatch(r"-?\d+\.\d*0", c)]
    assert padded, "the CLI's draws file has values with trailing zeros"
    assert r.draws_csv() == file.read_text()
    assert r.draws.to_csv() != r.draws_csv()


def test_a_pickled_results_draws_file_is_the_same(tmp_path):
    import pickle

    r = dfl.Model.load("fixtures/mc-6-months.toml").mc(400, seed=9)
    back = pickle.loads(pickle.dumps(r))
    assert back.draws_csv() == r.draws_csv()
    assert not back.draw_arrays[r.metrics[0]].flags.writeable
