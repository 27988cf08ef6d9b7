"""Bad input raises dinarflow.ModelError with the command line's message and
the place of the problem; a failed computation raises ComputationError; a
panic inside the library raises InternalError and the interpreter goes on.
Well over twenty cases: every file of fixtures/bad/ plus the calls below."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

import dinarflow as dfl
from conftest import REPO, _binary

BAD = sorted(str(p.relative_to(REPO)) for p in (REPO / "fixtures/bad").glob("*.toml"))


def cli_fails(*args: str):
    """The exit code and standard error of a failing ``dinarflow`` command."""
    p = subprocess.run([str(_binary()), *args], cwd=REPO, capture_output=True, text=True)
    assert p.returncode != 0, args
    return p.returncode, p.stderr


def test_there_are_many_bad_fixtures():
    assert len(BAD) >= 20


@pytest.mark.parametrize("path", BAD)
def test_every_bad_fixture_raises_as_the_cli_says(path):
    code, stderr = cli_fails("run", path)
    with pytest.raises(dfl.DinarflowError) as info:
        dfl.Model.load(path).run()
    e = info.value
    assert stderr.endswith(str(e) + "\n"), (stderr, str(e))
    assert e.exit_code == code
    if code == 2:
        assert isinstance(e, dfl.ModelError) and isinstance(e, ValueError)
        assert e.path == path
        if e.problems and any(p.line for p in e.problems):
            first = next(p for p in e.problems if p.line)
            assert (e.line, e.column) == (first.line, first.column)
            assert f"{path}:{e.line}:{e.column}: " in str(e)
    else:
        assert isinstance(e, dfl.ComputationError)


def test_a_problem_located_in_the_file():
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("fixtures/bad/rate-as-percent.toml")
    e = info.value
    assert e.path == "fixtures/bad/rate-as-percent.toml"
    assert isinstance(e.line, int) and isinstance(e.column, int)
    assert e.parameter == "auction.rejection_rate"
    assert "did you mean 0.8?" in str(e)
    line = (REPO / e.path).read_text().splitlines()[e.line - 1]
    assert line[e.column - 1 :].startswith("80")


def test_a_missing_file():
    code, stderr = cli_fails("run", "no/such/model.toml")
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("no/such/model.toml")
    e = info.value
    assert stderr == str(e) + "\n" and e.exit_code == code == 2
    assert e.path == "no/such/model.toml" and e.line is None


def test_a_directory_is_not_a_model():
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("models")
    assert info.value.path == "models"


def test_toml_text_with_problems_names_its_line():
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.from_toml("[model]\nname = \n", name="inline.toml")
    e = info.value
    assert e.path == "inline.toml" and e.line == 2
    with pytest.raises(dfl.ModelError, match="the file is empty"):
        dfl.Model.from_toml("")


@pytest.mark.parametrize(
    "key,value,cli_words",
    [
        ("auction.rejection_rat", 0.4, "did you mean"),
        ("auction.rejection_rate", 80, "did you mean 0.8"),
        ("auction.rejection_rate@2031-01", 0.4, None),
        ("auction.rejection_rate", "abc", None),
        ("exports.buyers[China].share", 0.9, "--set the other entries"),
        ("timeline.months", 3, None),
        ("exports.price_usd_per_bbl*", -1, None),
    ],
)
def test_a_bad_with_set_names_its_key(key, value, cli_words):
    code, stderr = cli_fails("run", "models/iraq-2023.toml", "--set", f"{key}={value}")
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("models/iraq-2023.toml").with_set({key: value})
    e = info.value
    assert stderr.endswith(str(e) + "\n"), (stderr, str(e))
    assert e.exit_code == code
    assert e.parameter == key
    if cli_words:
        assert cli_words in str(e)


def test_with_set_refuses_what_is_not_a_number():
    m = dfl.Model.default()
    for bad in ([0.4], None, True, float("nan")):
        with pytest.raises(TypeError):
            m.with_set({"auction.rejection_rate": bad})
    with pytest.raises(TypeError):
        m.with_set([("auction.rejection_rate", 0.4)])


def test_the_model_is_unchanged_after_a_failed_with_set():
    m = dfl.Model.default()
    before = m.totals(exact=True)
    with pytest.raises(dfl.ModelError):
        m.with_set({"auction.rejection_rate": 0.5, "auction.rejection_rat": 0.4})
    assert m.totals(exact=True).equals(before)


def test_a_bad_scenario_is_located_in_its_file(tmp_path):
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.default().with_scenario(tmp_path / "missing.toml")
    assert info.value.path == str(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n\n[set]\n"auction.rejection_rate" = { value = 4, note = "x" }\n')
    code, stderr = cli_fails("run", "models/iraq-2023.toml", "--scenario", str(bad))
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("models/iraq-2023.toml").with_scenario(bad)
    e = info.value
    assert stderr.endswith(str(e) + "\n")
    assert e.path == str(bad) and e.line == 5


@pytest.mark.parametrize(
    "call,cli_args",
    [
        (lambda m: m.chart(["no_such_metric"]), ["run", "--format", "svg", "--metric", "no_such_metric"]),
        (lambda m: m.sweep({"auction.rejection_rate": "1:0:0.1"}), ["sweep", "--vary", "auction.rejection_rate=1:0:0.1"]),
        (lambda m: m.sweep({"auction.rejection_rate": "0:1:0.5"}, metrics="paralel_rate"),
         ["sweep", "--vary", "auction.rejection_rate=0:1:0.5", "--metric", "paralel_rate"]),
        (lambda m: m.sweep({"auction.rejection_rate": [0.5, 1.5]}), ["sweep", "--vary", "auction.rejection_rate=0.5,1.5"]),
        (lambda m: m.tornado("paralel_rate"), ["tornado", "--metric", "paralel_rate"]),
        (lambda m: m.tornado("parallel_rate", params=["auction.nothing"]),
         ["tornado", "--metric", "parallel_rate", "--param", "auction.nothing"]),
        (lambda m: m.tornado("parallel_rate", swing="ten"), ["tornado", "--metric", "parallel_rate", "--swing", "ten"]),
        (lambda m: m.solve("auction.rejection_rate", "premium_pct=400"),
         ["solve", "--vary", "auction.rejection_rate", "--target", "premium_pct=400"]),
        (lambda m: m.solve("auction.rejection_rate", "premium_pct"),
         ["solve", "--vary", "auction.rejection_rate", "--target", "premium_pct"]),
        (lambda m: m.mc(0), ["mc", "-n", "0"]),
        (lambda m: m.mc(100, until="p97:1%"), ["mc", "-n", "100", "--until", "p97:1%"]),
        (lambda m: m.mc(100, metrics=["parallel_rate", "parallel_rate"]),
         ["mc", "-n", "100", "--metric", "parallel_rate", "--metric", "parallel_rate"]),
        (lambda m: m.sobol(1), ["sobol", "-n", "1"]),
        (lambda m: m.fit("no/such/observed.csv", "auction.rejection_rate"),
         ["fit", "--observed", "no/such/observed.csv", "--vary", "auction.rejection_rate"]),
        (lambda m: m.fit("models/observed/iraq-auction-2022-2024.csv", "auction.nothing"),
         ["fit", "--observed", "models/observed/iraq-auction-2022-2024.csv", "--vary", "auction.nothing"]),
        (lambda m: m.fit("models/observed/iraq-auction-2022-2024.csv", "auction.rejection_rate", train_until="2023-13"),
         ["fit", "--observed", "models/observed/iraq-auction-2022-2024.csv", "--vary", "auction.rejection_rate",
          "--train-until", "2023-13"]),
        (lambda m: m.backtest("models/observed/iraq-parallel-2022-2023.csv", refit="auction.nothing"),
         ["backtest", "--observed", "models/observed/iraq-parallel-2022-2023.csv", "--refit", "auction.nothing"]),
    ],
)
def test_bad_options_raise_as_the_cli_says(call, cli_args):
    quiet = ["-q"] if cli_args[0] in ("sweep", "tornado", "solve", "mc", "sobol") else []
    code, stderr = cli_fails(cli_args[0], "models/iraq-2023.toml", *cli_args[1:], *quiet)
    with pytest.raises(dfl.DinarflowError) as info:
        call(dfl.Model.load("models/iraq-2023.toml"))
    e = info.value
    assert stderr.endswith(str(e) + "\n"), (stderr, str(e))
    assert e.exit_code == code
    assert isinstance(e, dfl.ModelError if code == 2 else dfl.ComputationError)


def test_mc_needs_uncertainty():
    code, stderr = cli_fails("mc", "fixtures/small.toml", "-n", "10")
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("fixtures/small.toml").mc(10)
    assert stderr.endswith(str(info.value) + "\n")


def test_observed_frame_with_problems_is_located_by_row():
    frame = pd.DataFrame({"date": ["2023-01", "2023-13"], "metric": ["parallel_rate"] * 2, "value": [1500, 1600]})
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.default().fit(frame, "parallel_market.demand_elasticity")
    e = info.value
    assert e.path == "<DataFrame>" and e.line == 3  # the header is line 1
    frame = pd.DataFrame({"when": ["2023-01"], "metric": ["parallel_rate"], "value": [1500]})
    with pytest.raises(dfl.ModelError, match="unknown column `when`"):
        dfl.Model.default().fit(frame, "parallel_market.demand_elasticity")


def test_diff_and_brief_refuse_bad_arguments():
    with pytest.raises(TypeError):
        dfl.Model.default().diff("models/iraq-2023.toml")
    with pytest.raises(dfl.ModelError, match="--draws must be from 1 to 1,000,000"):
        dfl.Model.default().brief().html(draws=0)


def test_an_overflow_is_a_computation_error():
    code, stderr = cli_fails("run", "fixtures/bad/overflow.toml")
    with pytest.raises(dfl.ComputationError) as info:
        dfl.Model.load("fixtures/bad/overflow.toml").run()
    assert code == 1 and info.value.exit_code == 1
    assert stderr.endswith(str(info.value) + "\n")


def test_a_panic_is_an_internal_error_and_python_goes_on():
    from dinarflow import _dinarflow

    with pytest.raises(dfl.InternalError, match="a panic on purpose"):
        _dinarflow._panic_for_test()
    # The interpreter and the library are still fine.
    assert len(dfl.Model.default().run()) > 0


def test_errors_are_catchable_as_python_builtins():
    with pytest.raises(ValueError):
        dfl.Model.load("no/such/model.toml")
    with pytest.raises(ArithmeticError):
        dfl.Model.load("models/iraq-2023.toml").solve("auction.rejection_rate", "premium_pct=400")
    assert issubclass(dfl.InternalError, RuntimeError)
    assert Path(REPO).exists()
