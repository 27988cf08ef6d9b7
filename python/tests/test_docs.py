"""docs/python.md is a walk-through whose code runs: every ```python block,
in order, in one namespace, from the repository's top folder, as a notebook
cell runs: what it prints, then the value of its last line if that is an
expression. A ```text block right after a ```python block is what that cell
shows, and must be what it shows today (a line `...` stands for any lines),
so the printed numbers cannot go stale when the model is recalibrated.
pandas prints as in a wide terminal (every column, as a notebook shows it)."""

from __future__ import annotations

import ast
import contextlib
import io
import re

import pandas as pd
from conftest import REPO

CELL = re.compile(r"^```python\n(.*?)^```\n(?:\n```text\n(.*?)^```)?", flags=re.S | re.M)


def cells():
    """(code, shown or None) for each python block, in order."""
    text = (REPO / "docs/python.md").read_text()
    return [(m.group(1), m.group(2)) for m in CELL.finditer(text)]


def run_cell(code: str, name: str, namespace: dict) -> str:
    """Runs one cell and returns what a notebook shows: its printed output,
    then the repr of its last line's value (nothing for None)."""
    tree = ast.parse(code, filename=name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
            if value is not None:
                print(repr(value))
    return out.getvalue()


def matches(shown: str, expected: str) -> bool:
    """Line by line, trailing spaces aside; a line `...` matches any lines."""
    got = [line.rstrip() for line in shown.rstrip("\n").split("\n")]
    want = [line.rstrip() for line in expected.rstrip("\n").split("\n")]
    pattern = "\n".join(".*?" if w == "..." else re.escape(w) for w in want)
    return re.fullmatch(pattern, "\n".join(got), flags=re.S) is not None


def test_the_walk_through_has_its_parts():
    code = "\n".join(code for code, _ in cells())
    for part in ('"auction.rejection_rate@2023-07..": 0.4', ".tornado(", ".mc(", ".fit(observed", "pd.read_csv"):
        assert part in code, part


def test_the_walk_through_shows_what_it_says():
    namespace: dict = {"__name__": "docs_python_md"}
    stale = []
    pd.set_option("display.width", 160, "display.max_columns", 20)
    for i, (code, expected) in enumerate(cells()):
        name = f"docs/python.md block {i + 1}"
        try:
            shown = run_cell(code, name, namespace)
        except Exception as e:  # pragma: no cover - the message names the block
            raise AssertionError(f"{name} failed: {e!r}\n{code}") from e
        if expected is not None and not matches(shown, expected):
            stale.append(f"{name}:\n{code}--- the page shows:\n{expected}--- it shows today:\n{shown}")
    assert "m" in namespace and "fit" in namespace
    assert not stale, "\n\n".join(stale)


def test_an_elided_output_still_has_to_match():
    assert matches("a\nb\nc\nd\n", "a\n...\nd\n")
    assert not matches("a\nb\nc\nx\n", "a\n...\nd\n")
    assert not matches("a\nb\n", "a\n")
