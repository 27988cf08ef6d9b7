"""A model's warnings one by one, as the command line shows each; raised
as DinarflowWarning by the methods whose command says them, and the note
on a quarter or year the timeline holds only part of."""

from __future__ import annotations

import re
import subprocess
import warnings

import pytest

import dinarflow as dfl
from conftest import REPO, _binary


def cli_warnings(*args):
    """The warnings the command line writes on standard error, one text each
    (the count after them left out)."""
    p = subprocess.run([str(_binary()), *args], cwd=REPO, capture_output=True, text=True)
    # Notes (what --set replaced) come first, on lines of their own.
    text = "\n".join(line for line in p.stderr.splitlines() if not line.startswith("note: "))
    blocks = [b.strip("\n") for b in text.split("\n\n")]
    return [b for b in blocks if b.startswith("warning: ") and not re.match(r"warning: \d+ warnings? in ", b)]


def test_each_warning_is_one_entry():
    m = dfl.Model.load("fixtures/bad/overflow.toml")
    want = cli_warnings("check", "fixtures/bad/overflow.toml")
    assert len(want) == 2
    assert m.warnings == tuple(want)
    assert "exports.volume_bpd" in m.warnings[0] and "exports.price_usd_per_bbl" in m.warnings[1]
    assert not any("2 warnings in" in w for w in m.warnings)


def test_a_run_on_an_implausible_value_warns():
    m = dfl.Model.default().with_set({"exports.volume_bpd": 50_000_000})
    want = cli_warnings("run", "--set", "exports.volume_bpd=50000000")
    assert len(want) == 1 and "outside the plausible range 1,000 to 10,000,000 bbl/day (or 0)" in want[0]
    assert m.warnings == tuple(want)
    for call in (lambda: m.run(), lambda: m.run(wide=True), lambda: m.totals(), lambda: m.trace(),
                 lambda: m.explain("parallel_rate"), lambda: m.brief(draws=100)):
        with pytest.warns(dfl.DinarflowWarning) as record:
            call()
        assert [str(w.message) for w in record] == want
        # Raised at the caller's line, as warnings are.
        assert record[0].filename == __file__
    with pytest.warns(dfl.DinarflowWarning):
        m.diff(dfl.Model.default())


def test_the_shipped_models_run_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in sorted((REPO / "models").glob("*.toml")):
            m = dfl.Model.load(path)
            assert m.warnings == ()
            m.run()
            m.totals()


def test_a_partial_quarter_is_noted():
    m = dfl.Model.default()
    p = subprocess.run([str(_binary()), "run", "--by", "quarter"], cwd=REPO, capture_output=True, text=True)
    assert p.stderr == "note: --by quarter: 2022-Q4 holds 2022-11 to 2022-12 only, the part of it in the timeline\n"
    note = 'note: by="quarter": 2022-Q4 holds 2022-11 to 2022-12 only, the part of it in the timeline'
    with pytest.warns(dfl.DinarflowWarning) as record:
        df = m.run(by="quarter", wide=True)
    assert [str(w.message) for w in record] == [note]
    assert record[0].filename == __file__
    assert df.attrs["notes"] == [note]
    with pytest.warns(dfl.DinarflowWarning, match="2022 holds 2022-11 to 2022-12 only"):
        m.run(by="year")


def test_an_implausible_value_tried_by_a_sweep_warns():
    # 1.2 IQD per dollar: the official rate written in thousands.
    with pytest.warns(dfl.DinarflowWarning, match="1.2 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD"):
        dfl.Model.default().sweep({"auction.official_rate_iqd_per_usd": [1.2, 1.31]})


def test_a_custody_account_that_runs_dry_is_noted():
    # Held to June 2026, the default model spends more than it earns and its
    # custody account reads 0 from April 2026 (the first month it does, in
    # the CSV of `run --horizon 2026-06`); run says so, as the CLI does.
    m = dfl.Model.default().with_horizon("2026-06")
    p = subprocess.run([str(_binary()), "run", "--horizon", "2026-06", "--format", "csv"], cwd=REPO,
                       capture_output=True, text=True)
    first_zero = next(line[:7] for line in p.stdout.splitlines() if line.endswith(",custody_balance_usd,0.00"))
    assert first_zero == "2026-04"
    note = ("note: the custody account (the CBI's account at the New York Fed) ran dry in Apr 2026; from then it "
            "pays out only what each month's revenue brings in, and the approved wires it cannot send go unmet "
            "(unmet_usd) and raise the parallel rate")
    assert p.stderr.splitlines()[-1] == note
    for call in (lambda: m.run(), lambda: m.totals()):
        with pytest.warns(dfl.DinarflowWarning) as record:
            call()
        assert [str(w.message) for w in record] == [note]
        assert record[0].filename == __file__
    with pytest.warns(dfl.DinarflowWarning):
        assert m.run(wide=True).attrs["notes"] == [note]
    with pytest.warns(dfl.DinarflowWarning):
        df = m.run(by="year")
    assert df.attrs["notes"][-1] == note
    # The default model on its own timeline keeps dollars to the end.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dfl.Model.default().run().attrs["notes"] == []


def test_a_sweep_or_tornado_whose_runs_empty_the_custody_account_says_which():
    # At $30 and $40 a barrel the default model's custody account empties
    # (its lowest balance is 0.00 in the CLI's table); from $50 it does not.
    args = ["sweep", "--vary", "exports.price_usd_per_bbl=30,40,50", "--metric", "custody_balance_usd:min",
            "--format", "csv"]
    p = subprocess.run([str(_binary()), *args], cwd=REPO, capture_output=True, text=True)
    assert "30,custody_balance_usd:min,0.00\n40,custody_balance_usd:min,0.00\n" in p.stdout
    assert ",custody_balance_usd:min,0.00" not in p.stdout.split("\n50,")[1]
    note = p.stderr.splitlines()[-1]
    assert note.startswith("note: the custody account (the CBI's account at the New York Fed) ran dry in 2 of "
                           "the 3 runs: at exports.price_usd_per_bbl=30 (in "), note
    # A result's notes are kept with it, as mc's note on dry draws is.
    result = dfl.Model.default().sweep({"exports.price_usd_per_bbl": [30, 40, 50]})
    assert result.notes[-1] == note
    tornado = dfl.Model.default().with_horizon("2026-06").tornado()
    assert tornado.notes[-1].startswith("note: the custody account (the CBI's account at the New York Fed) ran dry "
                                        "in Apr 2026 with every parameter at base"), tornado.notes
