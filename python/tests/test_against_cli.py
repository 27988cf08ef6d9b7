"""The package against the ``dinarflow`` command line built from the same
sources: every number the same, value for value (floats: the double nearest
the CSV's decimal) and, in exact mode, digit for digit. Nothing here names a
number of a model: the default model is being recalibrated."""

from __future__ import annotations

import math
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import dinarflow as dfl
from conftest import REPO, _binary, assert_frame_is_csv, rows

MODELS = sorted(str(p.relative_to(REPO)) for p in (REPO / "models").glob("*.toml"))
def _has(path: str, table: str) -> bool:
    return re.search(rf"(?m)^\[{table}\]", (REPO / path).read_text()) is not None


UNCERTAIN = [m for m in MODELS if _has(m, "uncertainty")] + ["fixtures/mc-6-months.toml"]
MARKET = [m for m in MODELS if _has(m, "parallel_market")]


def test_every_shipped_model_is_tested():
    assert "models/iraq-2023.toml" in MODELS and len(MODELS) >= 4
    assert len(UNCERTAIN) >= 2


def run_rows(cli, path):
    table = rows(cli("run", path, "--format", "csv"))
    assert table[0] == ["month", "metric", "value"]
    monthly = [r for r in table[1:] if r[0] != "total"]
    totals = [r for r in table[1:] if r[0] == "total"]
    return monthly, totals


def check_run(model, cli, path):
    monthly, totals = run_rows(cli, path)
    tidy = model.run()
    assert list(tidy.columns) == ["month", "metric", "value"]
    assert isinstance(tidy["month"].dtype, pd.PeriodDtype)
    assert len(tidy) == len(monthly)
    got = list(zip(tidy["month"].astype(str), tidy["metric"].astype(str), tidy["value"]))
    for (m, k, v), (cm, ck, cv) in zip(got, monthly):
        assert (m, k) == (cm, ck)
        assert v == float(cv), (m, k, v, cv)
    exact = model.run(exact=True)
    for d, (_, _, cv) in zip(exact["value"], monthly):
        assert isinstance(d, Decimal) and format(d, "f") == cv
    wide = model.run(wide=True)
    assert list(wide.columns) == list(dict.fromkeys(r[1] for r in monthly))
    for cm, ck, cv in monthly:
        assert wide.loc[pd.Period(cm, "M"), ck] == float(cv)
    total = model.totals()
    total_exact = model.totals(exact=True)
    assert list(total.index) == [r[1] for r in totals]
    for _, k, cv in totals:
        assert total[k] == float(cv)
        assert format(total_exact[k], "f") == cv


@pytest.mark.parametrize("path", MODELS)
def test_run_equals_cli(path, cli):
    check_run(dfl.Model.load(path), cli, path)


def test_default_model_equals_cli_on_its_file(cli):
    check_run(dfl.Model.default(), cli, "models/iraq-2023.toml")
    assert dfl.Model.default().text == (REPO / "models/iraq-2023.toml").read_text()


def test_with_set_equals_cli_set(cli):
    key, value = "auction.rejection_rate@2023-07", 0.4
    model = dfl.Model.default().with_set({key: value})
    monthly, _ = run_rows(cli, "models/iraq-2023.toml")
    text = cli("run", "models/iraq-2023.toml", "--set", f"{key}={value}", "--format", "csv")
    table = [r for r in rows(text)[1:] if r[0] != "total"]
    exact = model.run(exact=True)
    assert [format(d, "f") for d in exact["value"]] == [r[2] for r in table]
    assert table != monthly  # the what-if moves something


def test_scenario_equals_cli_scenario(cli):
    s = "models/scenarios/oil-price-fall.toml"
    model = dfl.Model.load("models/iraq-2023.toml").with_scenario(s)
    text = cli("run", "models/iraq-2023.toml", "--scenario", s, "--format", "csv")
    table = [r for r in rows(text)[1:] if r[0] != "total"]
    assert [format(d, "f") for d in model.run(exact=True)["value"]] == [r[2] for r in table]
    assert model.notes and "oil-price-fall" in model.notes[0]


@pytest.mark.parametrize("path", UNCERTAIN)
def test_mc_equals_cli(path, cli):
    model = dfl.Model.load(path)
    r = model.mc(3000, seed=7)
    text = cli("mc", path, "-n", "3000", "--seed", "7", "-q", "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert_frame_is_csv(r.to_frame(exact=True), text, exact=True)
    assert r.n == 3000 and len(r.draws) == 3000


def test_mc_lhs_metrics_and_draws_equal_cli(cli, tmp_path):
    path = "fixtures/mc-6-months.toml"
    metrics = ["parallel_rate:min", "official_rate", "cpi_impact_pct:max"]
    r = dfl.Model.load(path).mc(2000, seed=3, sampler="lhs", metrics=metrics)
    draws = tmp_path / "draws.csv"
    args = ["mc", path, "-n", "2000", "--seed", "3", "--sampler", "lhs", "-q", "--format", "csv"]
    for m in metrics:
        args += ["--metric", m]
    text = cli(*args, "--draws", str(draws))
    assert r.to_csv() == text
    table = rows(draws.read_text())
    header, body = table[0], table[1:]
    assert list(r.draws.columns) == header[1:]
    for j, name in enumerate(header[1:], start=1):
        col = r.draws[name].to_numpy()
        assert all(col[i] == float(row[j]) for i, row in enumerate(body)), name


def test_mc_until_equals_cli(cli):
    path = "fixtures/mc-6-months.toml"
    r = dfl.Model.load(path).mc(50_000, seed=5, until="mean:50%")
    text = cli("mc", path, "-n", "50000", "--until", "mean:50%", "--seed", "5", "-q", "--format", "csv")
    assert r.to_csv() == text
    assert any("converged" in n for n in r.notes)


def test_mc_notes_the_draws_that_run_custody_dry():
    # With $60B in custody at the start, some draws (a low oil price) empty
    # it: the package says so in the same words as `mc` on standard error,
    # and its draws hold only the metric asked for.
    m = dfl.Model.default().with_set({"custody.opening_balance_usd": 60_000_000_000})
    r = m.mc(4000, metrics="parallel_rate@2024-12")
    args = ["mc", "-n", "4000", "--set", "custody.opening_balance_usd=60000000000", "--metric", "parallel_rate@2024-12", "-q"]
    proc = subprocess.run([str(_binary()), *args], cwd=REPO, capture_output=True, text=True, check=True)
    want = [line for line in proc.stderr.splitlines() if "runs dry" in line]
    assert len(want) == 1 and want[0].startswith("note: in 17.1% of the draws (684 of 4,000) the custody account")
    python = [w.replace("`--metric custody_balance_usd:min`", '`metrics="custody_balance_usd:min"`') for w in want]
    assert [n for n in r.notes if "runs dry" in n] == python
    assert list(r.draws.columns)[-1] == "parallel_rate@2024-12"


def test_mc_statistics_are_the_reports_and_numpy_agrees():
    r = dfl.Model.load("fixtures/mc-6-months.toml").mc(4000, seed=2)
    p = r.percentiles
    assert list(p.index) == ["p5", "p10", "p25", "p50", "p75", "p90", "p95"]
    for metric in r.metrics:
        x = r.draw_arrays[metric]
        # The report rounds to the metric's places; numpy's default
        # percentile is the same method (type 7).
        assert abs(p.loc["p95", metric] - float(pd.Series(x).quantile(0.95))) < 1e-3
    assert set(r.drivers.index) == set(r.inputs)


SWEEPS = [
    ["--vary", "auction.rejection_rate=0:1:0.05"],
    ["--vary", "auction.rejection_rate=0.2:0.9:0.1", "--vary", "exports.price_usd_per_bbl=60,70,80,90",
     "--metric", "premium_pct:max"],
    ["--scale", "exports.price_usd_per_bbl=0.8:1.2:0.1", "--metric", "custody_balance_usd"],
]


@pytest.mark.parametrize("path", MARKET)
@pytest.mark.parametrize("args", SWEEPS, ids=["one", "two", "scale"])
def test_sweep_equals_cli(path, args, cli):
    vary = [a for i, a in enumerate(args) if i > 0 and args[i - 1] == "--vary"]
    scale = [a for i, a in enumerate(args) if i > 0 and args[i - 1] == "--scale"]
    metrics = [a for i, a in enumerate(args) if i > 0 and args[i - 1] == "--metric"] or None
    r = dfl.Model.load(path).sweep(vary, scale=scale, metrics=metrics)
    text = cli("sweep", path, "-q", *args, "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert_frame_is_csv(r.to_frame(exact=True), text, exact=True)


def test_sweep_mapping_form_equals_cli(cli):
    r = dfl.Model.default().sweep({"auction.rejection_rate@2023-07": [0.1, 0.25, 0.4]}, metrics="parallel_rate")
    text = cli("sweep", "models/iraq-2023.toml", "-q", "--vary", "auction.rejection_rate@2023-07=0.1,0.25,0.4",
               "--metric", "parallel_rate", "--format", "csv")
    assert_frame_is_csv(r.to_frame(), text)
    wide = r.to_frame(wide=True)
    assert list(wide.columns) == ["parallel_rate"] and len(wide) == 3


@pytest.mark.parametrize("path", MARKET)
@pytest.mark.parametrize(
    "args",
    [["--metric", "parallel_rate"], ["--metric", "cpi_impact_pct:max", "--swing", "25"],
     ["--metric", "premium_pct", "--param", "auction.rejection_rate@2023-07", "--scale",
      "exports.price_usd_per_bbl=0.8:1.2"]],
    ids=["default", "swing", "forms"],
)
def test_tornado_equals_cli(path, args, cli):
    if "@2023-07" in " ".join(args) and "2023" not in path:
        pytest.skip("the month is outside this model's timeline")
    metric = args[1]
    params = [a for i, a in enumerate(args) if i > 0 and args[i - 1] == "--param"] or None
    scale = {}
    for i, a in enumerate(args):
        if i > 0 and args[i - 1] == "--scale":
            p, f = a.split("=")
            scale[p] = tuple(f.split(":"))
    swing = args[args.index("--swing") + 1] if "--swing" in args else 10
    r = dfl.Model.load(path).tornado(metric, params=params, scale=scale or None, swing=swing)
    text = cli("tornado", path, "-q", *args, "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert_frame_is_csv(r.to_frame(exact=True), text, exact=True)
    assert r._repr_svg_() == cli("tornado", path, "-q", *args, "--format", "svg")


def test_tornado_without_a_metric_moves_the_headline(cli):
    # As `dinarflow tornado` without --metric: parallel_rate for a model
    # with an auction, net_revenue_usd for a flow-only one.
    m = dfl.Model.default()
    assert m.tornado().to_csv() == cli("tornado", "-q", "--format", "csv")
    assert m.tornado().to_csv() == m.tornado("parallel_rate").to_csv()
    flow = dfl.Model.load(REPO / "models/oil-for-food-1997.toml")
    assert flow.tornado().to_csv() == flow.tornado("net_revenue_usd").to_csv()


def test_fit_equals_cli(cli):
    path, observed = "models/iraq-2023.toml", "models/observed/iraq-auction-2022-2024.csv"
    vary = ["auction.rejection_rate@2022-12", "auction.rejection_rate@2023-01", "auction.rejection_rate@2023-03"]
    r = dfl.Model.load(path).fit(observed, vary)
    args = ["fit", path, "--observed", observed]
    for v in vary:
        args += ["--vary", v]
    text = cli(*args, "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert_frame_is_csv(r.to_frame(exact=True), text, exact=True)
    assert r.to_json() == cli(*args, "--format", "json")


def test_fit_to_a_dataframe_equals_fit_to_its_file(cli):
    observed = "models/observed/iraq-parallel-2022-2023.csv"
    frame = pd.read_csv(observed, comment="#")
    vary = {"parallel_market.baseline_turnover_usd_per_day": (20_000_000, 2_000_000_000)}
    from_frame = dfl.Model.default().fit(frame, vary)
    text = cli("fit", "models/iraq-2023.toml", "--observed", observed, "--vary",
               "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000", "--format", "csv")
    assert from_frame.to_csv() == text
    assert any("outside the model's timeline" in n for n in from_frame.notes)
    # The fitted model reproduces the residuals: run() at the estimates.
    fitted = from_frame.model
    jan = fitted.run(wide=True).loc[pd.Period("2023-01", "M"), "parallel_rate"]
    res = from_frame.residuals
    assert math.isclose(float(res[res["date"] == "2023-01-31"]["model"].iloc[0]), jan)
    # Every row has lo and hi, NaN without a published range; the ranged
    # row's error is from its nearer end (AFP: 1,570 to 1,600).
    assert list(res.columns) == ["date", "month", "metric", "model", "observed", "lo", "hi", "error_pct"]
    nov = res[res["date"] == "2022-11-15"].iloc[0]
    assert (nov["lo"], nov["hi"]) == (1570, 1600)
    assert round(100 * (nov["model"] - 1570) / 1570, 2) == nov["error_pct"]
    assert res[res["date"] == "2023-01-31"][["lo", "hi"]].isna().all(axis=None)


def test_fit_residuals_have_range_columns_without_ranges():
    frame = pd.DataFrame({"date": ["2023-03-16", "2023-05-17"], "metric": ["parallel_rate"] * 2,
                          "value": [1564, 1441]})
    res = dfl.Model.default().fit(frame, ["parallel_market.anchor_weight"]).residuals
    assert list(res.columns) == ["date", "month", "metric", "model", "observed", "lo", "hi", "error_pct"]
    assert res[["lo", "hi"]].isna().all(axis=None)


def test_backtest_equals_cli(cli):
    path, observed = "models/iraq-2023.toml", "models/observed/iraq-parallel-2022-2023.csv"
    r = dfl.Model.load(path).backtest(observed)
    text = cli("backtest", path, "--observed", observed, "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    roll = dfl.Model.load(path).backtest(observed, rolling=("2022-09", "2022-11"))
    assert roll.to_csv() == cli("backtest", path, "--observed", observed, "--rolling", "2022-09:2022-11",
                                "--format", "csv")


def test_solve_sobol_and_diff_equal_cli(cli):
    path = "models/iraq-2023.toml"
    s = dfl.Model.load(path).solve("auction.rejection_rate", ("premium_pct", 10))
    text = cli("solve", path, "-q", "--vary", "auction.rejection_rate", "--target", "premium_pct=10",
               "--format", "csv")
    assert s.to_csv() == text
    assert_frame_is_csv(s.to_frame(exact=True), text, exact=True)
    check = dfl.Model.load(path).with_set({s.path: s.value(exact=True)}).totals(exact=True)
    assert check["premium_pct"] == s.achieved(exact=True)

    sob = dfl.Model.load("fixtures/mc-6-months.toml").sobol(256, seed=2)
    assert sob.to_csv() == cli("sobol", "fixtures/mc-6-months.toml", "-n", "256", "--seed", "2", "-q",
                               "--format", "csv")

    a, b = dfl.Model.load("fixtures/small.toml"), dfl.Model.load(path)
    d = a.diff(b)
    text = cli("diff", "fixtures/small.toml", path, "-q", "--format", "csv")
    assert d.to_csv() == text
    assert_frame_is_csv(d.to_frame(), text)


def test_renderings_equal_cli(cli):
    path = "models/iraq-2023.toml"
    m = dfl.Model.load(path)
    assert m.chart().text == cli("run", path, "--format", "svg")
    assert m.chart(["cpi_impact_pct"]).text == cli("run", path, "--metric", "cpi_impact_pct", "--format", "svg")
    b = m.brief()
    assert str(b) == cli("brief", path)
    assert b.to_json() == cli("brief", path, "--format", "json")
    assert b.html() == cli("brief", path, "--format", "html")
    r = m.mc(2000, seed=4, metrics=["parallel_rate"])
    assert r._repr_svg_() == cli("mc", path, "-n", "2000", "--seed", "4", "--metric", "parallel_rate", "-q",
                                 "--format", "svg")


def test_brief_figures_are_the_cli_json(cli):
    import json

    figures = json.loads(cli("brief", "models/iraq-2023.toml", "--format", "json"))["figures"]
    b = dfl.Model.default().brief()
    f = b.figures
    assert list(f["figure"]) == [x["label"] for x in figures]
    assert [float(x["value"]) for x in figures] == list(f["value"])
    assert [format(d, "f") for d in b.figures_frame(exact=True)["value"]] == [x["value"] for x in figures]
    # The month of a peak as data (run --format csv: the parallel rate peaks
    # at 1,631.7083 in 2023-01); none for a total.
    when = dict(zip(f["figure"], f["when"]))
    assert when["Parallel rate, peak"] == pd.Period("2023-01", "M")
    assert pd.isna(when["Gross oil revenue"])
    assert b.sentences and all(isinstance(s, str) for s in b.sentences)
    # In a frame of its own, so that its styles restyle no notebook.
    shown = b._repr_html_()
    assert shown.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and shown.endswith("</iframe>")
    assert shown.count("<") == 2  # the frame's own tags: the page is all in its srcdoc


@pytest.mark.filterwarnings("ignore:note. by=:dinarflow.DinarflowWarning")
def test_brief_quarters_are_the_cli_json(cli):
    import json

    quarters = json.loads(cli("brief", "models/iraq-2023.toml", "--format", "json"))["quarters"]
    q = dfl.Model.default().brief().quarters_frame(exact=True)
    assert [str(p) for p in q["quarter"]] == [x["quarter"].replace("-", "") for x in quarters]
    assert [str(p) for p in q["from"]] == [x["from"] for x in quarters]
    # The same quarters as run's grouping.
    assert list(q["quarter"]) == list(dfl.Model.default().run(by="quarter", wide=True).index)
    for metric in ["parallel_rate", "premium_pct", "cpi_yoy_pct", "sales_usd", "wires_rejected_usd"]:
        assert [format(d, "f") for d in q[metric]] == [x["values"][metric] for x in quarters]
    # 2023 Q1's parallel rate, by hand from the monthly rates: (1,631.7083
    # + 1,624.6432 + 1,537.3496) / 3 = 1,597.90036…, 1,597.9004.
    assert dfl.Model.default().brief().quarters.loc[1, "parallel_rate"] == 1597.9004
    assert dfl.Model.load("fixtures/small.toml").brief().quarters.empty


def test_brief_how_sure_is_the_cli_mc_of_the_last_month(cli):
    import json

    mc = json.loads(
        cli("mc", "-n", "1000", "--seed", "3", "--metric", "parallel_rate@2024-12", "--metric",
            "cpi_yoy_pct@2024-12", "--format", "json")
    )["metrics"]
    h = dfl.Model.default().brief(draws=1000, seed=3).how_sure_frame(exact=True)
    assert list(h["metric"]) == ["parallel_rate@2024-12", "cpi_yoy_pct@2024-12"]
    for _, row in h.iterrows():
        for k in ["p10", "p50", "p90"]:
            assert format(row[k], "f") == mc[row["metric"]][k], (row["metric"], k)
    assert str(h.loc[0, "own_error_pct"]) == "3.2472" and h.loc[1, "own_error_pct"] is None
    assert h.loc[0, "month"] == pd.Period("2024-12", "M")
    assert dfl.Model.load("fixtures/small.toml").brief().how_sure.empty


def test_mc_of_a_months_quote_is_the_cli_with_and_without_the_own_error(cli):
    for flags, kw in [([], {}), (["--no-forecast-error"], {"forecast_error": False})]:
        csv_text = cli("mc", "-n", "1000", "--metric", "parallel_rate@2024-06", "--format", "csv", *flags)
        want = {line.split(",")[1]: line.split(",")[3] for line in csv_text.splitlines()[1:] if line.split(",")[1].startswith("p")}
        got = dfl.Model.default().mc(1000, metrics="parallel_rate@2024-06", **kw).percentiles["parallel_rate@2024-06"]
        for k, v in want.items():
            assert abs(got[k] - float(v)) < 5e-5, (flags, k)
    a = dfl.Model.default().mc(1000, metrics="parallel_rate@2024-06").percentiles
    b = dfl.Model.default().mc(1000, metrics="parallel_rate@2024-06", forecast_error=False).percentiles
    assert a.loc["p10"].iloc[0] < b.loc["p10"].iloc[0] and a.loc["p90"].iloc[0] > b.loc["p90"].iloc[0]


@pytest.mark.filterwarnings("ignore:note. by=:dinarflow.DinarflowWarning")
def test_run_by_quarter_and_year_is_the_cli(cli):
    m = dfl.Model.default()
    for by in ["quarter", "year"]:
        text = cli("run", "models/iraq-2023.toml", "--by", by, "--format", "csv")
        rows = [line.split(",") for line in text.splitlines()[1:] if not line.startswith("total,")]
        df = m.run(by=by, exact=True)
        assert list(df.columns) == [by, "metric", "value"]
        assert [str(p) for p in df[by]] == [r[0].replace("-", "") for r in rows]
        assert list(df["metric"]) == [r[1] for r in rows]
        assert [format(d, "f") for d in df["value"]] == [r[2] for r in rows]
    # 2023's sales, the sum of its twelve months, as `run --by year` prints it.
    wide = m.run(by="year", wide=True)
    assert wide.index.name == "year"
    assert wide.loc[pd.Period("2023", "Y"), "sales_usd"] == 43347187930.62
    assert m.run(by="quarter").attrs["units"]["parallel_rate"] == "IQD/USD"
    with pytest.raises(dfl.ModelError, match='by must be "month", "quarter" or "year"'):
        m.run(by="week")


def test_paths_given_as_pathlib(cli):
    m = dfl.Model.load(Path("fixtures/small.toml"))
    assert cli("brief", "fixtures/small.toml").startswith(f"Brief: {m.name}\n")
    assert [str(p) for p in m.months] == [r[0] for r in run_rows(cli, "fixtures/small.toml")[0][:: len(m.run(wide=True).columns)]]


def test_months_may_be_periods_or_timestamps(cli):
    path, observed = "models/iraq-2023.toml", "models/observed/iraq-parallel-2022-2023.csv"
    m = dfl.Model.load(path)
    by_text = m.backtest(observed, rolling=("2022-09", "2022-11")).to_csv()
    assert m.backtest(observed, rolling=(pd.Period("2022-09", "M"), pd.Timestamp("2022-11-30"))).to_csv() == by_text
    frame = pd.read_csv(observed, comment="#")
    frame["date"] = pd.to_datetime(frame["date"])
    vary = "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000"
    fitted = m.fit(frame, vary, train_until=pd.Period("2023-01", "M"))
    assert fitted.to_csv() == cli("fit", path, "--observed", observed, "--vary", vary, "--train-until", "2023-01",
                                  "--format", "csv")


def test_mc_draws_are_not_copied():
    import numpy as np

    r = dfl.Model.load("fixtures/mc-6-months.toml").mc(1000, seed=1)
    for name in r.draws.columns:
        array = r.draw_arrays[name]
        # Rust's own buffer (no copy into NumPy), shared by the DataFrame.
        assert not array.flags["OWNDATA"] and array.base is not None
        assert np.shares_memory(r.draws[name].to_numpy(), array)


def test_renaming_one_results_labels_renames_no_other():
    m = dfl.Model.default()
    w = m.run(wide=True)
    w.index.name = "date"
    w.columns.name = "metric"
    t = m.run()
    t.index.name = "row"
    t.columns.name = "column"
    again, tidy = m.run(wide=True), m.run()
    assert again.index.name == "month" and again.columns.name is None
    assert tidy.index.name is None and tidy.columns.name is None
    # Nor those of another model of the same timeline.
    assert m.with_set({"auction.rejection_rate": 0.2}).run(wide=True).index.name == "month"
    assert w.index.name == "date" and t.index.name == "row"


def test_editing_one_results_labels_changes_no_other():
    import pandas as pd

    m = dfl.Model.default()
    t = m.run()
    first = (t.loc[0, "month"], t.loc[0, "metric"])
    assert first == (pd.Period("2022-11", "M"), "gross_revenue_usd")
    t.loc[0, "metric"] = "parallel_rate"
    t.loc[1, "month"] = pd.Period("2030-01", "M")
    # Nor those of a later run, of this model or of another of its timeline.
    for later in (m.run(), m.with_set({"auction.rejection_rate": 0.2}).run()):
        assert (later.loc[0, "month"], later.loc[0, "metric"]) == first
        assert later.loc[1, "month"] == pd.Period("2022-11", "M")
        assert (later["metric"] == "gross_revenue_usd").sum() == len(m.months)


def test_brief_html_is_the_cli_briefing_of_its_draws_and_seed(cli):
    b = dfl.Model.default().brief(draws=1000, seed=7)
    page = cli("brief", "--format", "html", "--draws", "1000", "--seed", "7")
    import html

    assert b.html() == page
    assert b._repr_html_().startswith(f'<iframe srcdoc="{html.escape(page, quote=True)}"')
    assert "Over 1,000 draws" in page and "seed 7" in page
    assert (b.draws, b.seed) == (1000, 7)
    # Other draws, positional or by keyword.
    default = cli("brief", "--format", "html")
    assert b.html(4000, 1) == default == b.html(draws=4000, seed=1)
    assert "Over 4,000 draws" in default


def test_horizon_is_the_cli_horizon(cli):
    m = dfl.Model.default().with_horizon("2025-06")
    assert m.months[-1] == pd.Period("2025-06", "M") and len(m.months) == 32
    text = cli("run", "--horizon", "2025-06", "--format", "csv")
    table = [r for r in rows(text)[1:] if r[0] != "total"]
    assert [format(d, "f") for d in m.run(exact=True)["value"]] == [r[2] for r in table]
    assert m.notes[-1].startswith('note: with_horizon("2025-06") runs iraq-2023.toml (built in) 6 months past its last month')
    # A change in the added months, as --horizon then --set does it.
    later = dfl.Model.default().with_horizon(pd.Period("2025-06", "M")).with_set(
        {"auction.rejection_rate@2025-01..": 0.3}
    )
    text = cli("run", "--horizon", "2025-06", "--set", "auction.rejection_rate@2025-01..=0.3", "--format", "csv")
    table = [r for r in rows(text)[1:] if r[0] != "total"]
    assert [format(d, "f") for d in later.run(exact=True)["value"]] == [r[2] for r in table]
    mc = m.mc(500, seed=2, metrics="parallel_rate@2025-06")
    assert mc.to_csv() == cli("mc", "--horizon", "2025-06", "-n", "500", "--seed", "2", "--metric",
                              "parallel_rate@2025-06", "-q", "--format", "csv")


def test_morris_explain_and_trace_are_the_cli(cli):
    m = dfl.Model.default()
    r = m.morris(10, levels=4, seed=3, metrics=["parallel_rate", "cpi_impact_pct"])
    text = cli("morris", "-r", "10", "--levels", "4", "--seed", "3", "--metric", "parallel_rate", "--metric",
               "cpi_impact_pct", "-q", "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert str(r) == cli("morris", "-r", "10", "--levels", "4", "--seed", "3", "--metric", "parallel_rate",
                         "--metric", "cpi_impact_pct", "-q")
    e = m.explain("parallel_rate@2023-01")
    text = cli("explain", "parallel_rate@2023-01", "--format", "csv")
    assert e.to_csv() == text
    assert_frame_is_csv(e.to_frame(), text)
    assert str(e) == cli("explain", "parallel_rate@2023-01")
    # The number explained is the one run gives: 1,631.7083 in 2023-01.
    assert "1631.7083" in e.to_json()
    t = m.trace()
    assert t.to_csv() == cli("trace", "--format", "csv")
    jan = m.trace("2023-01", postings=True)
    text = cli("trace", "--month", "2023-01", "--postings", "--format", "csv")
    assert jan.to_csv() == text
    assert_frame_is_csv(jan.to_frame(), text)
    assert m.trace(pd.Period("2023-01", "M"), postings=True).to_csv() == text


def test_mc_by_month_is_the_cli(cli):
    m = dfl.Model.load("fixtures/mc-6-months.toml")
    r = m.mc(2000, seed=5, by_month=True)
    text = cli("mc", "fixtures/mc-6-months.toml", "-n", "2000", "--seed", "5", "--by-month", "-q", "--format", "csv")
    assert r.to_csv() == text
    assert_frame_is_csv(r.to_frame(), text)
    assert r.to_csv() != m.mc(2000, seed=5).to_csv()
    assert r.svg().text == cli("mc", "fixtures/mc-6-months.toml", "-n", "2000", "--seed", "5", "-q", "--format", "svg")


def test_every_result_the_cli_draws_has_its_svg(cli):
    # docs/python.md: "where the command draws one, svg() and _repr_svg_".
    m = dfl.Model.default()
    parallel = "models/observed/iraq-parallel-2022-2023.csv"
    cases = [
        (m.morris(4), ["morris", "-r", "4", "-q"]),
        (m.fit(parallel, "parallel_market.anchor_weight"),
         ["fit", "--observed", parallel, "--vary", "parallel_market.anchor_weight"]),
        (m.backtest(parallel, train_until="2023-03"),
         ["backtest", "--observed", parallel, "--train-until", "2023-03"]),
        (m.trace(), ["trace"]),
        (m.trace("2023-01"), ["trace", "--month", "2023-01"]),
    ]
    for result, args in cases:
        svg = cli(*args, "--format", "svg")
        assert svg.startswith("<svg"), args
        assert result.svg().text == svg, args
        assert result._repr_svg_() == svg, args
