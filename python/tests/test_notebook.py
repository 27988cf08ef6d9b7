"""examples/briefing.ipynb runs: every code cell in order, and each cell's
last expression renders the way Jupyter would show it (HTML, SVG or a
DataFrame)."""

from __future__ import annotations

import ast
import json

from conftest import REPO


def test_the_notebook_runs_and_each_result_renders():
    nb = json.loads((REPO / "examples/briefing.ipynb").read_text())
    namespace: dict = {"__name__": "briefing_ipynb"}
    shown = []
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"cell {i + 1}", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f"cell {i + 1}", "eval"), namespace)
            for method in ("_repr_html_", "_repr_svg_"):
                if hasattr(value, method):
                    shown.append((method, getattr(value, method)()))
                    break
            else:
                shown.append(("repr", repr(value)))
    kinds = [k for k, _ in shown]
    assert kinds.count("_repr_svg_") >= 3 and "_repr_html_" in kinds
    assert all(text for _, text in shown)
