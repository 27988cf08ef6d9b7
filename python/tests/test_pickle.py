"""A model pickles (its file's text and what was layered on it, in order)
and copies, so that multiprocessing and joblib can hand models to other
processes; what comes back runs as the command line runs the same model."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
import warnings

import pytest

import dinarflow as dfl
from conftest import rows

SCENARIO = "models/scenarios/oil-price-fall.toml"

# Each model, and the command line's options that make it.
MODELS = {
    "default": (lambda: dfl.Model.default(), []),
    "loaded": (lambda: dfl.Model.load("models/iraq-2022-baseline.toml"), ["models/iraq-2022-baseline.toml"]),
    "layered": (
        lambda: dfl.Model.default()
        .with_horizon("2025-06")
        .with_scenario(SCENARIO)
        .with_set({"auction.rejection_rate@2025-01..": 0.3}),
        ["--horizon", "2025-06", "--scenario", SCENARIO, "--set", "auction.rejection_rate@2025-01..=0.3"],
    ),
}


def cli_values(cli, args):
    return [r[2] for r in rows(cli("run", *args, "--format", "csv"))[1:] if r[0] != "total"]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_pickled_model_runs_as_the_cli(name, cli):
    make, args = MODELS[name]
    m = make()
    back = pickle.loads(pickle.dumps(m))
    assert (back.name, back.file, back.text, back.notes) == (m.name, m.file, m.text, m.notes)
    assert list(back.months) == list(m.months)
    assert [format(d, "f") for d in back.run(exact=True)["value"]] == cli_values(cli, args)
    assert back.mc(300, seed=4).to_csv() == m.mc(300, seed=4).to_csv()


def test_a_pickled_scenario_needs_no_file(tmp_path, monkeypatch):
    scenario = tmp_path / "s.toml"
    scenario.write_text('[scenario]\nname = "lower oil"\n\n[set]\n"exports.price_usd_per_bbl*" = { value = 0.8, source = "a test" }\n')
    m = dfl.Model.default().with_scenario(scenario)
    data = pickle.dumps(m)
    scenario.unlink()
    back = pickle.loads(data)
    assert back.run(exact=True).equals(m.run(exact=True))


def test_copies_are_the_model():
    m = dfl.Model.default().with_set({"auction.rejection_rate": 0.2})
    assert copy.copy(m) is m and copy.deepcopy(m) is m
    assert copy.deepcopy({"m": m})["m"] is m


def test_models_are_equal_when_made_the_same_way():
    a = dfl.Model.default().with_set({"auction.rejection_rate": 0.2})
    b = dfl.Model.default().with_set({"auction.rejection_rate": "0.2"})
    assert a == b and hash(a) == hash(b) and a is not b
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != dfl.Model.default()
    assert a != dfl.Model.default().with_set({"auction.rejection_rate": 0.3})
    assert len({a, b, dfl.Model.default(), dfl.Model.default()}) == 2
    assert a != "a model" and a != None  # noqa: E711
    # The order of the layers matters, as on the command line: a step of
    # $65 from 2023-01 then a factor of 1.1 is $71.50 in 2023; the factor
    # then the step is $65.
    step, factor = {"exports.price_usd_per_bbl@2023-01": 65}, {"exports.price_usd_per_bbl*": 1.1}
    x = dfl.Model.default().with_set(step).with_set(factor)
    y = dfl.Model.default().with_set(factor).with_set(step)
    assert x != y
    gross = lambda m: m.totals(exact=True)["gross_revenue_usd"]  # noqa: E731
    assert gross(x) != gross(y)


def _parallel_rate_total(model):
    return format(model.totals(exact=True)["parallel_rate"], "f")


def _mc_csv(model):
    return model.mc(400, seed=2).to_csv()


@pytest.mark.parametrize("method", [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()])
def test_a_process_pool_maps_over_models(method, cli):
    base = dfl.Model.default()
    # Threads of the parent's computations exist before it forks.
    base.mc(200)
    rates = ["0.1", "0.2", "0.3"]
    models = [base.with_set({"auction.rejection_rate": r}) for r in rates]
    with multiprocessing.get_context(method).Pool(2) as pool:
        totals = pool.map_async(_parallel_rate_total, models).get(timeout=300)
        draws = pool.map_async(_mc_csv, models).get(timeout=300)
    for r, total, csv_text in zip(rates, totals, draws):
        text = cli("run", "--set", f"auction.rejection_rate={r}", "--format", "csv")
        want = [row[2] for row in rows(text) if row[0] == "total" and row[1] == "parallel_rate"]
        assert [total] == want
        assert csv_text == cli("mc", "--set", f"auction.rejection_rate={r}", "-n", "400", "--seed", "2", "-q",
                               "--format", "csv")


OBSERVED = "models/observed/iraq-parallel-2022-2023.csv"

# Each kind of result, made small.
RESULTS = {
    "run-explain": lambda m: m.explain("parallel_rate"),
    "trace": lambda m: m.trace("2023-07"),
    "sweep": lambda m: m.sweep({"auction.rejection_rate": "0.2,0.6"}),
    "tornado": lambda m: m.tornado(),
    "solve": lambda m: m.solve("auction.rejection_rate", ("premium_pct", 10)),
    "diff": lambda m: m.diff(m.with_set({"exports.price_usd_per_bbl*": 0.9})),
    "mc": lambda m: m.mc(300, seed=3, metrics=iter(["parallel_rate", "cpi_yoy_pct"])),
    "sobol": lambda m: m.sobol(64),
    "morris": lambda m: m.morris(4),
    "fit": lambda m: m.fit(OBSERVED, ["parallel_market.anchor_weight"]),
    "backtest": lambda m: m.backtest(OBSERVED, train_until="2023-05", n=0),
    "brief": lambda m: m.brief(draws=200),
}


def _shown(r):
    """Everything a result shows, each form or the error it raises."""
    out = {"str": str(r), "notes": r.notes}
    for name in ("to_csv", "to_json", "to_markdown"):
        try:
            out[name] = getattr(r, name)()
        except (ValueError, dfl.DinarflowError) as e:
            out[name] = (type(e).__name__, str(e))
    out["frame"] = r.to_frame().to_csv()
    out["exact"] = r.to_frame(exact=True).to_csv()
    if hasattr(r, "svg"):
        out["svg"] = r.svg().text
    return out


@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_a_result_pickles_and_copies_as_what_it_shows(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dfl.DinarflowWarning)
        r = RESULTS[kind](dfl.Model.default())
    # Pickled before anything is drawn: the mc fan chart is drawn again after.
    back = pickle.loads(pickle.dumps(r))
    assert type(back) is type(r)
    assert _shown(back) == _shown(r)
    assert _shown(copy.deepcopy(r)) == _shown(r)
    if kind == "mc":
        assert back.draws.equals(r.draws) and back.inputs == r.inputs and back.n == 300
    if kind == "fit":
        assert back.sets == r.sets
        assert back.model.run(exact=True).equals(r.model.run(exact=True))
    if kind == "brief":
        assert back._repr_html_() == r._repr_html_()
        assert back.figures.equals(r.figures) and back.how_sure.equals(r.how_sure)


def _mc_of(rate):
    return dfl.Model.default().with_set({"auction.rejection_rate": rate}).mc(200, seed=5)


def test_results_come_back_from_a_process_pool(cli):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.map_async(_mc_of, ["0.1", "0.3"]).get(timeout=300)
    for r, rate in zip(results, ["0.1", "0.3"]):
        assert r.to_csv() == cli("mc", "--set", f"auction.rejection_rate={rate}", "-n", "200", "--seed", "5",
                                 "-q", "--format", "csv")
        assert r.draws.shape[0] == 200
