"""Months as the engine reads them (``YYYY-MM``), from what a pandas user
holds: text, a ``Period`` or a timestamp. Its own module so that the model
and the results both use it without importing each other."""

from __future__ import annotations

from typing import Any

import pandas as pd


def _period(month: Any, name: str) -> str:
    """A month as ``YYYY-MM``: text as given, a ``Period`` or a timestamp;
    anything else is a ``TypeError`` naming the argument ``name``."""
    if isinstance(month, str):
        return month
    if isinstance(month, pd.Period):
        return month.asfreq("M").strftime("%Y-%m")
    if hasattr(month, "strftime"):
        return month.strftime("%Y-%m")
    raise TypeError(
        f'{name} must be a month ("YYYY-MM", a pandas Period or a timestamp), '
        f"not {type(month).__name__} {month!r}"
    )
