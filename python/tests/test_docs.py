"""docs/python.md is a walk-through whose code runs: every ```python block,
in order, in one namespace, from the repository's top folder."""

from __future__ import annotations

import re

from conftest import REPO


def blocks():
    text = (REPO / "docs/python.md").read_text()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_the_walk_through_has_its_parts():
    code = "\n".join(blocks())
    for part in ('"auction.rejection_rate@2023-07..": 0.4', ".tornado(", ".mc(", ".fit(observed", "pd.read_csv"):
        assert part in code, part


def test_the_walk_through_runs(capsys):
    namespace: dict = {"__name__": "docs_python_md"}
    for i, block in enumerate(blocks()):
        try:
            exec(compile(block, f"docs/python.md block {i + 1}", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the message names the block
            raise AssertionError(f"docs/python.md block {i + 1} failed: {e!r}\n{block}") from e
    assert "m" in namespace and "fit" in namespace
