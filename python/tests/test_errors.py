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
        ("exports.buyers[China].share", 0.9, "with_set the other entries"),
        ("timeline.months", 3, None),
        ("exports.price_usd_per_bbl*", -1, None),
    ],
)
def test_a_bad_with_set_names_its_key(key, value, cli_words):
    code, stderr = cli_fails("run", "models/iraq-2023.toml", "--set", f"{key}={value}")
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.load("models/iraq-2023.toml").with_set({key: value})
    e = info.value
    # The command line's message, its options named as Python names them.
    said = stderr.replace("--set", "with_set").replace("--horizon 2031-01", 'with_horizon("2031-01")')
    assert said.endswith(str(e) + "\n"), (stderr, str(e))
    assert "--" not in str(e)
    assert e.exit_code == code
    assert e.parameter == key
    # Every problem is in problems, the key's among them.
    assert e.problems and key in [p.parameter for p in e.problems]
    if cli_words:
        assert cli_words in str(e)


def test_a_month_past_the_timeline_names_with_horizon():
    m = dfl.Model.default()
    with pytest.raises(dfl.ModelError) as info:
        m.with_set({"auction.rejection_rate@2030-01": 0.4})
    e = info.value
    assert str(e) == (
        "error: with_set auction.rejection_rate@2030-01=0.4: 2030-01 is outside the timeline (2022-11 to 2024-12); "
        'with_horizon("2030-01") runs the model on to that month'
    )
    assert e.parameter == "auction.rejection_rate@2030-01"
    # The advice works.
    later = m.with_horizon("2030-01").with_set({"auction.rejection_rate@2030-01": 0.4})
    assert later.months[-1] == pd.Period("2030-01", "M")


@pytest.mark.parametrize(
    "call,parameter,message",
    [
        (lambda m: m.sweep({"auction.rejection_rat": "0,1"}), "auction.rejection_rat",
         "error: vary auction.rejection_rat=0,1: `auction.rejection_rat` names no numeric parameter of this model; "
         "did you mean auction.rejection_rate, auction.requests_usd_per_day, auction.banks[Other banks].rejection_rate?"),
        (lambda m: m.sweep(scale={"exports.price_usd_per_bbls": "0.8:1.2:0.1"}), "exports.price_usd_per_bbls", None),
        (lambda m: m.tornado(params=["x.y"]), "x.y",
         "error: params x.y: `x.y` names no numeric parameter of this model"),
        (lambda m: m.tornado(params=["auction.rejection_rate", "auction.rejection_rate"]), "auction.rejection_rate",
         None),
        (lambda m: m.fit("models/observed/iraq-parallel-2022-2023.csv", ["parallel_market.anchor_weigh"]),
         "parallel_market.anchor_weigh",
         "error: vary parallel_market.anchor_weigh: `parallel_market.anchor_weigh` names no numeric parameter of "
         "this model; did you mean parallel_market.anchor_weight, parallel_market.spillover_share, "
         "parallel_market.persistence?"),
        (lambda m: m.backtest("models/observed/iraq-parallel-2022-2023.csv", refit="auction.nothing"),
         "auction.nothing", None),
        # A value out of range, under the argument that gave it.
        (lambda m: m.sweep({"auction.rejection_rate": "0:2:0.5"}), "auction.rejection_rate",
         "error: vary auction.rejection_rate: 1.5 is not allowed: auction.rejection_rate: 1.5 is out of range "
         "(allowed: 0 to 1); shares are fractions of 1; if 1.5 is a percentage, write 0.015"),
        (lambda m: m.tornado(scale={"auction.rejection_rate": (0.5, 5)}), "auction.rejection_rate*",
         "error: scale auction.rejection_rate*: 5 is not allowed: 0.60 × 5: auction.rejection_rate: 3.00 is out "
         "of range (allowed: 0 to 1)"),
    ],
)
def test_a_refused_parameter_is_named(call, parameter, message):
    with pytest.raises(dfl.ModelError) as info:
        call(dfl.Model.default())
    e = info.value
    assert e.parameter == parameter
    assert [p.parameter for p in e.problems] == [parameter]
    assert e.problems[0].message == str(e).removeprefix("error: ")
    if message is not None:
        assert str(e) == message
    assert "--" not in str(e)


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
    "call,cli_args,words",
    [
        (lambda m: m.chart(["no_such_metric"]), ["run", "--format", "svg", "--metric", "no_such_metric"],
         {"--metric": "metrics"}),
        (lambda m: m.sweep({"auction.rejection_rate": "1:0:0.1"}), ["sweep", "--vary", "auction.rejection_rate=1:0:0.1"],
         {"--vary": "vary"}),
        (lambda m: m.sweep({"auction.rejection_rate": "0:1:0.5"}, metrics="paralel_rate"),
         ["sweep", "--vary", "auction.rejection_rate=0:1:0.5", "--metric", "paralel_rate"], {"--metric": "metrics"}),
        (lambda m: m.sweep({"auction.rejection_rate": [0.5, 1.5]}), ["sweep", "--vary", "auction.rejection_rate=0.5,1.5"],
         {"--vary": "vary"}),
        (lambda m: m.tornado("paralel_rate"), ["tornado", "--metric", "paralel_rate"], {"--metric": "metric"}),
        (lambda m: m.tornado("parallel_rate", params=["auction.nothing"]),
         ["tornado", "--metric", "parallel_rate", "--param", "auction.nothing"], {"--param": "params"}),
        (lambda m: m.tornado("parallel_rate", swing="ten"), ["tornado", "--metric", "parallel_rate", "--swing", "ten"],
         {"--swing": "swing"}),
        (lambda m: m.solve("auction.rejection_rate", "premium_pct=400"),
         ["solve", "--vary", "auction.rejection_rate", "--target", "premium_pct=400"], {"--between": "between"}),
        (lambda m: m.solve("auction.rejection_rate", "premium_pct"),
         ["solve", "--vary", "auction.rejection_rate", "--target", "premium_pct"], {"--target": "target"}),
        (lambda m: m.mc(100, until="p97:1%"), ["mc", "-n", "100", "--until", "p97:1%"], {"--until": "until"}),
        (lambda m: m.mc(100, metrics=["parallel_rate", "parallel_rate"]),
         ["mc", "-n", "100", "--metric", "parallel_rate", "--metric", "parallel_rate"], {"--metric": "metrics"}),
        (lambda m: m.fit("no/such/observed.csv", "auction.rejection_rate"),
         ["fit", "--observed", "no/such/observed.csv", "--vary", "auction.rejection_rate"], {}),
        (lambda m: m.fit("models/observed/iraq-auction-2022-2024.csv", "auction.nothing"),
         ["fit", "--observed", "models/observed/iraq-auction-2022-2024.csv", "--vary", "auction.nothing"],
         {"--vary": "vary"}),
        (lambda m: m.fit("models/observed/iraq-auction-2022-2024.csv", "auction.rejection_rate", train_until="2023-13"),
         ["fit", "--observed", "models/observed/iraq-auction-2022-2024.csv", "--vary", "auction.rejection_rate",
          "--train-until", "2023-13"], {"--train-until": "train_until"}),
        (lambda m: m.backtest("models/observed/iraq-parallel-2022-2023.csv", refit="auction.nothing"),
         ["backtest", "--observed", "models/observed/iraq-parallel-2022-2023.csv", "--refit", "auction.nothing"],
         {"--refit": "refit"}),
        (lambda m: m.with_horizon("2020-01"), ["run", "--horizon", "2020-01"],
         {"--horizon 2020-01": 'with_horizon("2020-01")'}),
        # A month that is not YYYY-MM is named whole, however it is spelled.
        (lambda m: m.with_horizon("2025-03-15"), ["run", "--horizon", "2025-03-15"],
         {"--horizon 2025-03-15": 'with_horizon("2025-03-15")'}),
        (lambda m: m.with_horizon("soon"), ["run", "--horizon", "soon"],
         {"--horizon soon": 'with_horizon("soon")'}),
        (lambda m: m.trace("2030-01"), ["trace", "--month", "2030-01"],
         {"--month": "month", "--horizon 2030-01": 'with_horizon("2030-01")'}),
        (lambda m: m.trace("2030-13"), ["trace", "--month", "2030-13"], {"--month": "month"}),
        (lambda m: m.explain("paralel_rate"), ["explain", "paralel_rate"], {}),
    ],
)
def test_bad_options_raise_as_the_cli_says(call, cli_args, words):
    quiet = ["-q"] if cli_args[0] in ("sweep", "tornado", "solve", "mc", "sobol") else []
    if cli_args[0] == "explain":
        code, stderr = cli_fails("explain", "models/iraq-2023.toml", *cli_args[1:])
    else:
        code, stderr = cli_fails(cli_args[0], "models/iraq-2023.toml", *cli_args[1:], *quiet)
    with pytest.raises(dfl.DinarflowError) as info:
        call(dfl.Model.load("models/iraq-2023.toml"))
    e = info.value
    # The command line's message, each option named as the Python argument
    # that gives it.
    for option, argument in words.items():
        stderr = stderr.replace(option, argument)
    assert stderr.endswith(str(e) + "\n"), (stderr, str(e))
    assert "--" not in str(e)
    assert e.exit_code == code
    assert isinstance(e, dfl.ModelError if code == 2 else dfl.ComputationError)
    assert e.problems


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
    with pytest.raises(dfl.ModelError, match="^error: draws must be from 1 to 1,000,000, not 0$"):
        dfl.Model.default().brief().html(draws=0)


MODEL = dfl.Model.load("fixtures/mc-6-months.toml")
OBSERVED = "models/observed/iraq-parallel-2022-2023.csv"


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda m: m.mc(0), "n must be from 1 to 200,000,000, not 0"),
        (lambda m: m.mc(-1), "n must be from 1 to 200,000,000, not -1"),
        (lambda m: m.mc(100, seed=-1), "seed must be from 0 to 2**64 - 1 = 18446744073709551615, not -1"),
        (lambda m: m.mc(100, seed=2**64), "seed must be from 0 to 2**64 - 1 = 18446744073709551615, not 18446744073709551616"),
        (lambda m: m.brief(draws=-1), "draws must be from 1 to 1,000,000, not -1"),
        (lambda m: m.brief(draws=0), "draws must be from 1 to 1,000,000, not 0"),
        (lambda m: m.brief(draws=1_000_001), "draws must be from 1 to 1,000,000, not 1000001"),
        (lambda m: m.sobol(-1), "n must be from 2 to 65,536 (the length of the Sobol' sequence), not -1"),
        (lambda m: m.sobol(1), "n must be from 2 to 65,536 (the length of the Sobol' sequence), not 1"),
        (lambda m: m.morris(1), "r must be at least 2 (sigma needs two trajectories), not 1"),
        (lambda m: m.morris(10, levels=3), "levels must be an even number from 2 to 100, not 3"),
        (lambda m: m.backtest(OBSERVED, n=-5), "n must be from 0 (a point forecast) to 200,000,000, not -5"),
        (lambda m: m.backtest(OBSERVED, rolling="2022-11"),
         'rolling must be (FROM, TO) months or "FROM:TO", e.g. ("2023-03", "2023-07"), not \'2022-11\''),
        (lambda m: m.run(by="week"), 'by must be "month", "quarter" or "year", not \'week\''),
    ],
)
def test_an_argument_out_of_range_is_named_with_what_is_allowed(call, message):
    with pytest.raises(dfl.ModelError) as info:
        call(MODEL)
    e = info.value
    assert isinstance(e, ValueError) and e.exit_code == 2
    assert str(e) == "error: " + message
    assert [p.message for p in e.problems] == [message]


@pytest.mark.parametrize(
    "call,words",
    [
        (lambda m: m.mc(10.7), "n must be an integer (from 1 to 200,000,000), not float 10.7"),
        (lambda m: m.mc("100"), "n must be an integer (from 1 to 200,000,000), not str '100'"),
        (lambda m: m.mc(True), "n must be an integer (from 1 to 200,000,000), not bool True"),
        (lambda m: m.mc(100, seed=1.5), "seed must be an integer"),
        (lambda m: m.mc(100, sampler=1), "sampler must be one of 'random', 'lhs', not int 1"),
        (lambda m: m.mc(100, metrics=5), "metrics must be a text or a list of texts, not int 5"),
        (lambda m: m.brief(draws=100.0), "draws must be an integer (from 1 to 1,000,000), not float 100.0"),
        (lambda m: m.sobol(1024.5), "n must be an integer"),
        (lambda m: m.tornado(scale={"exports.price_usd_per_bbl": 0.5}),
         "scale['exports.price_usd_per_bbl'] must be (low, high) factors or None, not float 0.5"),
        (lambda m: m.tornado(scale={"exports.price_usd_per_bbl": (0.8, 1.0, 1.2)}),
         "scale['exports.price_usd_per_bbl'] must be (low, high) factors or None, not 3 values (0.8, 1.0, 1.2)"),
        (lambda m: m.fit(OBSERVED, {"parallel_market.persistence": 0.5}),
         "vary['parallel_market.persistence'] must be (low, high) bounds or None, not float 0.5"),
        (lambda m: m.solve("auction.rejection_rate", "premium_pct=10", between=0.5),
         "between must be (low, high), not float 0.5"),
        (lambda m: m.backtest(OBSERVED, rolling=5), "rolling must be (FROM, TO) months"),
        (lambda m: m.explain(5), "metric must be a metric's name as text, not int 5"),
    ],
)
def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(call, words):
    with pytest.raises(TypeError) as info:
        call(MODEL)
    assert str(info.value).startswith(words), str(info.value)


def test_numpy_integers_are_integers():
    import numpy as np

    assert MODEL.mc(np.int64(200), seed=np.uint64(3)).to_csv() == MODEL.mc(200, seed=3).to_csv()


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


def test_a_panic_says_nothing_on_stderr_and_keeps_its_message_in_the_exception():
    # The default panic hook wrote "thread '<unnamed>' panicked at …" (and,
    # with RUST_BACKTRACE, a backtrace) to standard error before Python saw
    # the exception; the user sees only the exception.
    import os
    import sys

    code = (
        "import dinarflow as dfl\n"
        "from dinarflow import _dinarflow\n"
        "try:\n"
        "    _dinarflow._panic_for_test()\n"
        "except dfl.InternalError as e:\n"
        "    print(e)\n"
        "print(len(dfl.Model.default().run()) > 0)\n"
    )
    env = dict(os.environ, RUST_BACKTRACE="1")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    message, goes_on = p.stdout.splitlines()
    assert message.startswith("internal error: a panic on purpose at python/src/lib.rs:")
    assert message.endswith("(a bug in dinarflow; please report it with the model and the call)")
    assert goes_on == "True"


def test_mc_of_more_draws_than_memory_holds_is_refused_before_any_work():
    import time

    m = dfl.Model.default()
    small = m.mc(10, seed=1)
    k, q = len(small.inputs), len(small.metrics)
    # As `mc` counts it: each column's doubles and ranks, sorting room and
    # the re-paired inputs, in whole GiB.
    gb = (10**9 * ((k + q) * 12 + 24) + 10**9 * 16 * k) >> 30
    start = time.perf_counter()
    with pytest.raises(dfl.ModelError) as info:
        m.mc(10**9)
    assert time.perf_counter() - start < 5
    message = str(info.value)
    assert isinstance(info.value, ValueError) and info.value.exit_code == 2
    assert f"would need about {gb:,} GB of memory" in message, message
    assert f"{k + q} columns ({k} inputs, {q} metrics; the limit is 12 GB)" in message
    assert "use fewer draws" in message and "or fewer metrics" in message and 'until="p95:0.1%"' in message
    assert "--" not in message
    # Within one run's draws, the command line's own refusal, in Python's words.
    code, stderr = cli_fails("mc", "-n", "150000000")
    with pytest.raises(dfl.ModelError) as info:
        m.mc(150_000_000)
    assert code == 2 and "would need about" in stderr
    refusal = stderr.strip().splitlines()[-1]
    assert refusal.startswith("error: -n 150,000,000 would need about")
    assert str(info.value) == refusal.replace("-n ", "n ").replace("--metric", "metrics")
    # The draws file is refused the same way.
    with pytest.raises(dfl.ModelError, match="would need about"):
        m.mc(10, seed=1)._draws_of.func(m, 10**9, 1, "random", [], [], True)


def test_errors_are_catchable_as_python_builtins():
    with pytest.raises(ValueError):
        dfl.Model.load("no/such/model.toml")
    with pytest.raises(ArithmeticError):
        dfl.Model.load("models/iraq-2023.toml").solve("auction.rejection_rate", "premium_pct=400")
    assert issubclass(dfl.InternalError, RuntimeError)
    assert Path(REPO).exists()


@pytest.mark.parametrize("call", [
    lambda m: m.with_horizon(None),
    lambda m: m.with_horizon(2025),
    lambda m: m.trace(202401),
    lambda m: m.fit("models/observed/iraq-auction-2022-2024.csv", "auction.rejection_rate", train_until=2023.5),
])
def test_a_month_of_the_wrong_type_is_a_type_error_naming_the_argument(call):
    with pytest.raises(TypeError) as info:
        call(dfl.Model.default())
    said = str(info.value)
    assert said.split(" must be ")[0] in ("month", "train_until"), said
    assert 'a month ("YYYY-MM", a pandas Period or Timestamp, a datetime.date or datetime, or an np.datetime64)' in said


def test_a_quoted_line_of_the_users_file_keeps_its_text_and_caret(tmp_path):
    # The scenario's note mentions options; the quoted line must not be
    # reworded, or the caret would move off the value.
    scenario = tmp_path / "bad.toml"
    scenario.write_text(
        '[scenario]\nname = "bad"\n\n[set]\n'
        '"auction.rejection_rate" = { note = "as --scenario-b, --no-forecast-error", value = 4 }\n'
    )
    code, stderr = cli_fails("run", "models/iraq-2023.toml", "--scenario", str(scenario))
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.default().with_scenario(scenario)
    said = str(info.value)
    quoted = [line for line in said.splitlines() if line.lstrip().startswith("5 |")]
    assert quoted == ['5 | "auction.rejection_rate" = { note = "as --scenario-b, --no-forecast-error", value = 4 }'], said
    caret = said.splitlines()[said.splitlines().index(quoted[0]) + 1]
    assert caret.index("^") == quoted[0].index("4 }"), (quoted[0], caret)
    # The same lines as the command line prints them.
    assert [line for line in stderr.splitlines() if "|" in line] == [line for line in said.splitlines() if "|" in line]
    assert code == 2


def test_a_model_is_made_by_its_constructors():
    # help(Model) shows Model(native, ...); a path there says what to call.
    with pytest.raises(TypeError) as info:
        dfl.Model("models/iraq-2023.toml")
    assert str(info.value).startswith(
        "Model(...) is made by Model.load(path), Model.from_toml(text) or Model.default(), not from str 'models/iraq-2023.toml'"
    )
    # A model's text given to load is not echoed back as a 40 KB path.
    text = (REPO / "models/iraq-2023.toml").read_text()
    with pytest.raises(TypeError) as info:
        dfl.Model.load(text)
    assert str(info.value) == "load takes a file's path; for a model's TOML text use Model.from_toml(text)"
    assert dfl.Model.from_toml(text).name == dfl.Model.default().name


def test_a_fit_with_nothing_to_vary_says_so():
    with pytest.raises(dfl.ModelError) as info:
        dfl.Model.default().fit("models/observed/iraq-parallel-2022-2023.csv", [])
    assert str(info.value) == (
        "error: nothing to fit: vary names no parameter (name at least one, e.g. vary parallel_market.anchor_weight)"
    )


@pytest.mark.parametrize("observed", [pd.Series([1500.0]), {"2023-01": 1500.0}, 3])
def test_observed_that_is_no_file_or_frame_is_a_type_error(observed):
    with pytest.raises(TypeError, match="observed must be a CSV file's path or a DataFrame with columns date, metric, value"):
        dfl.Model.default().fit(observed, ["parallel_market.anchor_weight"])


def test_observed_dates_may_be_the_index():
    rows = pd.read_csv("models/observed/iraq-parallel-2022-2023.csv", comment="#")
    indexed = rows.set_index("date")
    want = dfl.Model.default().fit(rows, ["parallel_market.anchor_weight"]).to_csv()
    assert dfl.Model.default().fit(indexed, ["parallel_market.anchor_weight"]).to_csv() == want


def test_a_backtest_on_rows_its_parameters_were_fitted_to_warns():
    with pytest.warns(dfl.DinarflowWarning, match="the scores flatter the model"):
        dfl.Model.default().backtest("models/observed/iraq-parallel-2022-2023.csv", n=0)
