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


# -- months -------------------------------------------------------------------


def test_trace_months_are_periods_as_run_has_them(cli):
    m = dfl.Model.default()
    text = cli("trace", "--month", "2023-06", "--postings", "--format", "csv")
    table = rows(text)
    assert table[0][0] == "month"
    frame = m.trace("2023-06", postings=True).to_frame()
    assert frame["month"].dtype == m.run()["month"].dtype == pd.PeriodDtype("M")
    assert [str(p) for p in frame["month"]] == [r[0] for r in table[1:]]
    # The exact form too, and the month is one the timeline's index finds.
    exact = m.trace("2023-06", postings=True).to_frame(exact=True)
    assert exact["month"].dtype == pd.PeriodDtype("M")
    assert m.run(wide=True).loc[frame.loc[0, "month"], "parallel_rate"] > 0


@pytest.mark.filterwarnings("ignore::dinarflow.DinarflowWarning")
def test_a_rolling_backtests_months_are_periods(cli):
    m = dfl.Model.default()
    text = cli("backtest", "--observed", OBSERVED, "--rolling", "2023-03:2023-05", "-n", "0", "--format", "csv")
    table = rows(text)
    assert table[0][0] == "trained up to"
    frame = m.backtest(OBSERVED, rolling=("2023-03", "2023-05"), n=0).to_frame()
    assert frame["trained up to"].dtype == pd.PeriodDtype("M")
    assert [str(p) for p in frame["trained up to"]] == [r[0] for r in table[1:]] == ["2023-03", "2023-04", "2023-05"]


def test_brief_figures_and_fit_residuals_months_are_periods(cli):
    import json

    m = dfl.Model.default()
    want = [f["month"] for f in json.loads(cli("brief", "--format", "json", "--draws", "100"))["figures"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dfl.DinarflowWarning)
        when = m.brief(draws=100).figures["when"]
    assert when.dtype == pd.PeriodDtype("M")
    assert [None if pd.isna(p) else str(p) for p in when] == want
    assert any(w is not None for w in want) and any(w is None for w in want)
    vary = "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000"
    doc = json.loads(cli("fit", "--observed", OBSERVED, "--vary", vary, "--format", "json"))
    res = m.fit(OBSERVED, vary).residuals
    assert res["month"].dtype == pd.PeriodDtype("M")
    assert [str(p) for p in res["month"]] == [r["month"] for r in doc["residuals"]]
    # The observation's own date stays as the file gives it (a day here).
    assert list(res["date"]) == [r["date"] for r in doc["residuals"]]


MONTHS = [
    "2023-06",
    pd.Period("2023-06", "M"),
    pd.Period("2023-06-15", "D"),
    datetime.date(2023, 6, 1),
    datetime.datetime(2023, 6, 30, 12),
    np.datetime64("2023-06"),
    np.datetime64("2023-06-15"),
    pd.Timestamp("2023-06-15"),
]


@pytest.mark.parametrize("month", MONTHS, ids=lambda m: type(m).__name__ + ":" + str(m))
def test_every_kind_of_month_is_taken(cli, month):
    m = dfl.Model.default()
    assert m.trace(month, postings=True).to_csv() == cli("trace", "--month", "2023-06", "--postings", "--format", "csv")


@pytest.mark.filterwarnings("ignore::dinarflow.DinarflowWarning")
def test_months_as_numpy_and_pandas_values_and_sequences(cli):
    m = dfl.Model.default()
    longer = m.with_horizon(np.datetime64("2025-06"))
    assert longer.months[-1] == pd.Period("2025-06", "M") and longer == m.with_horizon("2025-06")
    want = cli("backtest", "--observed", OBSERVED, "--rolling", "2023-03:2023-05", "-n", "0", "--format", "csv")
    for rolling in [
        pd.PeriodIndex(["2023-03", "2023-05"], freq="M"),
        pd.DatetimeIndex(["2023-03-01", "2023-05-31"]),
        np.array(["2023-03", "2023-05"], dtype="datetime64[M]"),
        [np.datetime64("2023-03-10"), datetime.date(2023, 5, 1)],
    ]:
        assert m.backtest(OBSERVED, rolling=rolling, n=0).to_csv() == want, rolling
    vary = "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000"
    want = cli("fit", "--observed", OBSERVED, "--vary", vary, "--train-until", "2023-01", "--format", "csv")
    assert m.fit(OBSERVED, vary, train_until=np.datetime64("2023-01-31")).to_csv() == want
    # Observed dates as Python dates, NumPy datetimes or daily periods in a
    # column of objects: the same days as the file's text.
    frame = pd.read_csv(OBSERVED, comment="#")
    want = m.fit(frame, vary).to_csv()
    days = pd.to_datetime(frame["date"])
    for column in [
        pd.Series([d.date() for d in days], dtype=object),
        pd.Series([d.to_datetime64() for d in days], dtype=object),
        pd.Series([d.to_period("D") for d in days], dtype=object),
    ]:
        given = frame.assign(date=column)
        assert m.fit(given, vary).to_csv() == want


def test_values_to_try_as_an_index_or_array(cli):
    m = dfl.Model.default()
    want = cli("sweep", "--vary", "auction.rejection_rate@2023-07=0,0.25,0.5", "--metric", "parallel_rate",
               "--format", "csv")
    for values in [pd.Index([0, 0.25, 0.5]), np.array([0, 0.25, 0.5]), pd.Series([0, 0.25, 0.5]), (0, 0.25, 0.5)]:
        got = m.sweep({"auction.rejection_rate@2023-07": values}, metrics=pd.Index(["parallel_rate"]))
        assert got.to_csv() == want, type(values)


def test_a_month_that_is_not_one_is_a_type_error():
    m = dfl.Model.default()
    for bad in [np.datetime64("NaT"), pd.NaT, 202306]:
        with pytest.raises(TypeError, match="month must be a month"):
            m.trace(bad)


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


# -- notes in Python's words --------------------------------------------------


def test_notes_name_the_python_arguments():
    m = dfl.Model.default()
    cli_set = _stderr("run", "--set", "auction.rejection_rate@2023-07..=0.4", "--format", "csv").splitlines()
    what_if = m.with_set({"auction.rejection_rate@2023-07..": 0.4})
    assert [n.replace("with_set ", "--set ", 1) for n in what_if.notes] == [
        line for line in cli_set if line.startswith("note: --set")
    ]
    assert what_if.notes[0].startswith("note: with_set auction.rejection_rate@2023-07..=0.4 holds from 2023-07")
    cli_horizon = _stderr("run", "--horizon", "2025-06", "--format", "csv").splitlines()
    longer = m.with_horizon("2025-06")
    assert longer.notes[-1] == cli_horizon[0].replace("--horizon 2025-06", 'with_horizon("2025-06")')
    assert longer.notes[-1].startswith('note: with_horizon("2025-06") runs iraq-2023.toml (built in) 6 months')
    # A report's notes: tornado's --swing is swing, fit's --train-until is
    # train_until, and `dinarflow backtest` is Model.backtest.
    t = m.tornado("parallel_rate", swing=20)
    swing = [n for n in t.notes if "does not apply" in n]
    cli_swing = [n for n in _stderr("tornado", "--metric", "parallel_rate", "--swing", "20", "-q").splitlines()
                 if "does not apply" in n]
    assert swing == [cli_swing[0].replace("--swing", "swing")]
    assert swing[0].startswith("note: swing 20% does not apply to parameters drawn in [uncertainty]")
    vary = "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000"
    fit = m.fit(OBSERVED, vary, train_until="2023-03")
    later = [n for n in fit.notes if "not fitted (see" in n]
    assert later and "after train_until 2023-03" in later[0] and "(see `Model.backtest`)" in later[0]
    for note in m.with_set({"auction.rejection_rate@2023-07": 0.4}).notes + t.notes + fit.notes:
        assert not re.search(r"(?<![\w-])--?[a-z]", note), note


def test_a_notes_suggested_metric_is_the_metrics_argument():
    m = dfl.Model.default().with_set({"custody.opening_balance_usd": 60_000_000_000})
    r = m.mc(4000, metrics="parallel_rate@2024-12")
    cli_note = [
        line
        for line in _stderr("mc", "-n", "4000", "--set", "custody.opening_balance_usd=60000000000", "--metric",
                            "parallel_rate@2024-12", "-q").splitlines()
        if "runs dry" in line
    ]
    got = [n for n in r.notes if "runs dry" in n]
    assert got == [cli_note[0].replace("`--metric custody_balance_usd:min`", '`metrics="custody_balance_usd:min"`')]
    assert '`metrics="custody_balance_usd:min"`' in got[0]
