"""Ctrl-C during a long computation raises KeyboardInterrupt within a
fraction of a second, stops the computation, and is never a panic; the
interpreter goes on. Each case runs in a child interpreter that is sent
SIGINT, as a terminal sends it on Ctrl-C.

The calls must still be running when the signal arrives, on a fast machine
with many cores as on a slow one: each is sized from the rate this machine
shows on a small call of the same kind (to run for about half a minute,
within a bound on its memory), and the child says "ready" only once the
long call has begun, so the signal is sent into it, not before it. That the
computation stopped, not only the call, shows in the child's CPU time: its
threads go idle (sobol's once ran on through every part of its work not
yet begun, long after KeyboardInterrupt; mc's arranging of correlated draws,
the second pass of mc(by_month=True), brief, fit and backtest once ran to
their end after it; a rolling backtest's refits are checked too), within
about a second of the signal. Where the part
tested is not the call's first (the second pass of by_month), the signal
is sent once the part before it has ended, as timed here."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from typing import Dict, Tuple

import pytest

import dinarflow as dfl
from conftest import REPO

# The long calls, on the model run to the longest timeline a model may
# have (600 months: each evaluation costs the most, a draw's memory does
# not grow); SIZE is set from the calibration below.
LONG_CALLS = {
    # Its correlated draws are arranged (no evaluation counted) before it
    # evaluates; only the one metric, so that a draw holds little memory.
    "mc": "m.mc(SIZE, metrics='parallel_rate')",
    "sobol": "m.sobol(SIZE)",
    "morris": "m.morris(SIZE)",
    # "How sure": SIZE draws, after the figures.
    "brief": "m.brief(draws=SIZE)",
    # SIZE parameters estimated (a month's rejection rate each, most of
    # them after the observations): every step of the search is a batch
    # of two runs per parameter.
    "fit": "m.fit('models/observed/iraq-parallel-2022-2023.csv', "
    "['auction.rejection_rate@%s' % p for p in m.months[:SIZE]])",
    # The model's forecast drawn SIZE times.
    "backtest": "m.backtest('models/observed/iraq-parallel-2022-2023.csv', n=SIZE)",
    # A rolling backtest refitting SIZE parameters at each of its six
    # origins: the signal lands in one of the refits.
    "backtest_refit": "m.backtest('models/observed/iraq-parallel-2022-2023.csv', rolling='2023-03:2023-08', "
    "refit=['auction.rejection_rate@%s' % p for p in m.months[:SIZE]])",
    # The same draws again, one column per month: the signal is sent in
    # this second pass (see LEAD).
    "mc_by_month": "m.mc(SIZE, metrics='parallel_rate', by_month=True)",
    # The model's own timeline (cheap evaluations), and its two correlated
    # market parameters drawn mostly outside their range (each value
    # redrawn about fifteen times): arranging the correlated draws, which
    # counts no evaluations, is most of the call.
    "mc_arranging": "m.mc(SIZE, metrics='parallel_rate')",
}

# The native method each long call calls (the child says "ready" once it
# is called).
NATIVE = {"mc_by_month": "mc", "mc_arranging": "mc", "backtest_refit": "backtest"}

# The model of each call: the default run to MONTHS months, or a model of
# its own.
ARRANGING = """
import re
text = dfl.Model.default().text
for name in ("anchor_weight", "persistence"):
    text, n = re.subn(r'("parallel_market\\.%s" = \\{ dist = "normal"), mean = [^,]+, sd = [^ ]+ \\}' % name,
                      r'\\1, mean = -0.3, sd = 0.2 }', text)
    assert n == 1, name
m = dfl.Model.from_toml(text, "slow-arranging.toml")
"""
MODELS = {"mc_arranging": ARRANGING}

# The part before the one a long call is interrupted in, as a call timed
# here: mc(by_month=True)'s first pass is mc itself.
LEAD = {"mc_by_month": "m.mc(SIZE, metrics='parallel_rate')"}

# The smallest size each is timed at, and the largest it is given: mc
# holds every draw (about 330 bytes each with one metric, 160 MB at the
# bound); sobol's n cannot pass the Sobol' sequence's length; morris holds
# an elementary effect per input and trajectory (a few MB at the bound).
FIRST = {"mc": 250, "sobol": 16, "morris": 2, "brief": 250, "fit": 2, "backtest": 250, "mc_by_month": 250,
         "mc_arranging": 10_000, "backtest_refit": 2}
# brief draws at most a million and backtest 100,000; by_month's second
# pass holds a column per month (about 5 kB a draw: 250 MB at the bound);
# the arranging holds a few hundred bytes a draw (about 1 GB at the bound);
# a fit's search is quadratic in its parameters (a rolling refit's too).
MOST = {"mc": 500_000, "sobol": dfl._dinarflow.SOBOL_MAX_N, "morris": 100_000, "brief": 1_000_000, "fit": 150,
        "backtest": 100_000, "mc_by_month": 50_000, "mc_arranging": 3_000_000, "backtest_refit": 150}

# How long a long call would run at the measured rate (unless its bound
# stops it short), and how long a small call must run to be timed.
AIM = 30.0
TIMED = 0.25

# A model runs at most 600 months (--horizon's limit).
MONTHS = 600

# The longest a computation may go on after the signal: its threads go
# idle within about a second (the idle check itself takes a quarter).
IDLE_WITHIN = 1.5

# The call is the session's first that hands NumPy arrays over (the
# reviewer's case: it used to become a PanicException), so the child is
# not timed: the calibration runs here. Only the main thread sees the
# profile hook, which notes the native method's call; "ready" is printed
# from another thread, which can write only once the long call has
# released the GIL.
CHILD = r"""
import signal, sys, threading, time
# A process started in the background by a non-interactive shell (a CI
# job, `cmd &`) inherits SIGINT ignored, and Python then installs no
# KeyboardInterrupt handler; a terminal's foreground process has one.
signal.signal(signal.SIGINT, signal.default_int_handler)
import dinarflow as dfl
MODEL
began = threading.Event()

def note_the_call(frame, event, arg):
    if event == "c_call" and getattr(arg, "__name__", None) == NATIVE:
        began.set()

def announce():
    began.wait()
    print("ready", flush=True)

threading.Thread(target=announce, daemon=True).start()
sys.setprofile(note_the_call)
started = time.monotonic()
try:
    CALL
except KeyboardInterrupt:
    sys.setprofile(None)
    print("interrupted after %.2f s" % (time.monotonic() - started), flush=True)
    print("goes on" if len(m.run()) > 0 else "broken", flush=True)
    # The computation stops: its threads go idle (a quarter of a second
    # with next to no CPU time), at once or once a part that counts no
    # evaluations has ended.
    waiting = time.monotonic()
    while time.monotonic() - waiting < 20:
        cpu = time.process_time()
        time.sleep(0.25)
        if time.process_time() - cpu < 0.05:
            print("idle after %.2f s" % (time.monotonic() - waiting), flush=True)
            break
    else:
        print("still computing", flush=True)
else:
    sys.setprofile(None)
    print("finished after %.2f s" % (time.monotonic() - started), flush=True)
"""

_SIZES: Dict[str, Tuple[int, float, float]] = {}


def _horizon() -> str:
    return str(dfl.Model.default().months[0] + (MONTHS - 1))


def _model_code(name: str) -> str:
    """The code that makes the child's `m`."""
    return MODELS.get(name, "m = dfl.Model.default().with_horizon(%r)" % _horizon())


def _timed(call: str, m) -> float:
    started = time.monotonic()
    eval(call, {"m": m})
    return time.monotonic() - started


def _size(name: str) -> Tuple[int, float, float]:
    """The size of the long call `name` and the seconds it would take,
    from small calls of the same kind timed here (doubled until one takes
    TIMED seconds longer than the first), and the seconds before the part it is interrupted in
    begins, timed here at that size."""
    if name not in _SIZES:
        with warnings.catch_warnings():
            # mc_arranging's model is centred away from its base values on
            # purpose (draws out of range are drawn again): its warnings
            # are expected.
            warnings.simplefilter("ignore", dfl.DinarflowWarning)
            _SIZES[name] = _measure(name)
    return _SIZES[name]


def _measure(name: str) -> Tuple[int, float, float]:
    """:func:`_size` of a call not yet measured."""
    scope = {"dfl": dfl}
    exec(_model_code(name), scope)
    m = scope["m"]
    call = LONG_CALLS[name]
    size = FIRST[name]
    first = took = _timed(call.replace("SIZE", str(size)), m)
    while took - first < TIMED and size < MOST[name]:
        size *= 2
        took = _timed(call.replace("SIZE", str(size)), m)
    # The rate of what the doubling added: a call's fixed cost (brief's
    # figures, a third of a second) falls out of it; a rate with that
    # cost in it made brief's long call run two seconds, not AIM.
    if size > FIRST[name] and took > first:
        rate = (size - FIRST[name]) / (took - first)
    else:
        rate = size / took
    want = math.ceil(rate * AIM)
    if name == "sobol":
        want = 1 << (want - 1).bit_length()  # Sobol' points: a power of two
    long = max(size, min(want, MOST[name]))
    lead = 0.0
    if name in LEAD:
        # Timed at the long call's own size: a small call's fixed cost
        # makes the rate it shows too low (twice too low on a busy
        # machine), and a lead scaled from it may pass the whole call.
        lead = _timed(LEAD[name].replace("SIZE", str(long)), m)
    return (long, long / rate, lead)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT is sent as a terminal sends it")
@pytest.mark.parametrize("name", sorted(LONG_CALLS))
def test_ctrl_c_stops_a_long_computation_at_once(name):
    size, seconds, lead = _size(name)
    code = (
        CHILD.replace("CALL", LONG_CALLS[name].replace("SIZE", str(size)))
        .replace("MODEL", _model_code(name))
        .replace("NATIVE", repr(NATIVE.get(name, name)))
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # A child that never says "ready" is not waited for without end.
    stuck = threading.Timer(120, child.kill)
    stuck.start()
    try:
        first = child.stdout.readline().strip()
        assert first == "ready", (first, child.stderr.read() if first == "" else "")
        # Into the computation (past the part before the one tested, with
        # a fifth to spare in case the child runs it slower than it ran
        # here), far from its end.
        time.sleep(1.2 * lead + min(0.5, (seconds - lead) / 4))
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        answer = child.stdout.readline()
        waited = time.monotonic() - sent
        # The rest through the same buffered reader: communicate() reads
        # the pipe itself and would lose what readline() had already
        # buffered ("goes on", written just after the line read). The
        # child ends within its 20 s idle check (else the timer kills it);
        # its standard error, a few warnings, fits in the pipe meanwhile.
        out = answer + child.stdout.read()
        err = child.stderr.read()
        child.wait(timeout=60)
    finally:
        stuck.cancel()
        child.kill()
    what = f"{LONG_CALLS[name].replace('SIZE', str(size))}, about {seconds:.1f} s here"
    assert answer.startswith("interrupted after"), (what, out, err)
    assert "goes on" in out, (what, out, err)
    assert "idle after" in out, (what, out, err)
    idle = float(out.split("idle after ")[1].split(" s")[0])
    assert idle < IDLE_WITHIN, (what, idle, out)
    assert "panick" not in err and "PanicException" not in err, err
    # Not run to its end: a poll every 50 ms, then the computation's next
    # evaluation or, at most, a quarter of a second's wait for it.
    assert waited < 5, (what, waited, out)


def test_a_computation_on_another_thread_runs_to_its_end():
    """Only the main thread handles signals; a call on another thread
    (which may not look for them) works as on the main thread."""
    m = dfl.Model.load("fixtures/mc-6-months.toml")
    results = []
    t = threading.Thread(target=lambda: results.append(m.mc(2000, seed=3).to_csv()))
    t.start()
    t.join(60)
    assert results == [m.mc(2000, seed=3).to_csv()]
