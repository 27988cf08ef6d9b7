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
yet begun, long after KeyboardInterrupt)."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import threading
import time
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
}

# The smallest size each is timed at, and the largest it is given: mc
# holds every draw (about 330 bytes each with one metric, 160 MB at the
# bound); sobol's n cannot pass the Sobol' sequence's length; morris holds
# an elementary effect per input and trajectory (a few MB at the bound).
FIRST = {"mc": 250, "sobol": 16, "morris": 2}
MOST = {"mc": 500_000, "sobol": dfl._dinarflow.SOBOL_MAX_N, "morris": 100_000}

# How long a long call would run at the measured rate (unless its bound
# stops it short), and how long a small call must run to be timed.
AIM = 30.0
TIMED = 0.25

# A model runs at most 600 months (--horizon's limit).
MONTHS = 600

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
m = dfl.Model.default().with_horizon(HORIZON)
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

_SIZES: Dict[str, Tuple[int, float]] = {}


def _horizon() -> str:
    return str(dfl.Model.default().months[0] + (MONTHS - 1))


def _size(name: str) -> Tuple[int, float]:
    """The size of the long call `name`, and the seconds it would take,
    from a small call of the same kind timed here (doubled until it takes
    TIMED seconds)."""
    if name not in _SIZES:
        m = dfl.Model.default().with_horizon(_horizon())
        size = FIRST[name]
        while True:
            started = time.monotonic()
            eval(LONG_CALLS[name].replace("SIZE", str(size)), {"m": m})
            took = time.monotonic() - started
            if took >= TIMED or size >= MOST[name]:
                break
            size *= 2
        rate = size / took
        want = math.ceil(rate * AIM)
        if name == "sobol":
            want = 1 << (want - 1).bit_length()  # Sobol' points: a power of two
        long = max(size, min(want, MOST[name]))
        _SIZES[name] = (long, long / rate)
    return _SIZES[name]


@pytest.mark.skipif(os.name != "posix", reason="SIGINT is sent as a terminal sends it")
@pytest.mark.parametrize("name", sorted(LONG_CALLS))
def test_ctrl_c_stops_a_long_computation_at_once(name):
    size, seconds = _size(name)
    code = (
        CHILD.replace("CALL", LONG_CALLS[name].replace("SIZE", str(size)))
        .replace("HORIZON", repr(_horizon()))
        .replace("NATIVE", repr(name))
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
        # Into the computation, far from its end.
        time.sleep(min(0.5, seconds / 4))
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        answer = child.stdout.readline()
        waited = time.monotonic() - sent
        out, err = child.communicate(timeout=60)
        out = answer + out
    finally:
        stuck.cancel()
        child.kill()
    what = f"{LONG_CALLS[name].replace('SIZE', str(size))}, about {seconds:.1f} s here"
    assert answer.startswith("interrupted after"), (what, out, err)
    assert "goes on" in out, (what, out, err)
    assert "idle after" in out, (what, out, err)
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
