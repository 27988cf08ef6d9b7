"""The speed figures of docs/python.md ("Performance"): Model.run() against
the library's own time, and mc(n=1_000_000) against the command line.

    python python/benches/speed.py [--binary target/release/dinarflow] [--pairs 6]

Run from the repository's top folder after `pip install ./python` (release)
and `cargo build --release`. The library's own times come from criterion:
`cargo bench --bench engine -- "default model"`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
import timeit

import dinarflow as dfl


def best(stmt, number: int, repeat: int = 7) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=repeat)) / number


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="target/release/dinarflow")
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("-n", type=int, default=1_000_000)
    a = ap.parse_args()

    m = dfl.Model.default()
    m.run()
    print(f"m.run()                 {best(m.run, 200) * 1e6:8.1f} us")
    print(f"m.run(wide=True)        {best(lambda: m.run(wide=True), 200) * 1e6:8.1f} us")
    print(f"Model.default().run()   {best(lambda: dfl.Model.default().run(), 200) * 1e6:8.1f} us")
    print(f"native run and arrays   {best(lambda: m._native.run(False), 200) * 1e6:8.1f} us")

    model = "fixtures/mc-6-months.toml"
    mc = dfl.Model.load(model)
    cli, py, ratios = [], [], []
    for _ in range(a.pairs):
        t0 = time.perf_counter()
        subprocess.run([a.binary, "mc", model, "-n", str(a.n), "-q"], check=True, capture_output=True)
        t1 = time.perf_counter()
        mc.mc(a.n).percentiles
        t2 = time.perf_counter()
        cli.append(t1 - t0)
        py.append(t2 - t1)
        ratios.append((t2 - t1) / (t1 - t0))
    print(f"mc -n {a.n:,}: CLI median {statistics.median(cli):.3f} s, Python median {statistics.median(py):.3f} s, "
          f"ratio (median of pairs) {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
