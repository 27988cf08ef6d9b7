"""Months between the engine and pandas, one way each: what a pandas user
holds (text, a ``Period``, a ``datetime.date``/``datetime``, a
``pd.Timestamp`` or an ``np.datetime64``) as the engine reads it
(``YYYY-MM``), and the engine's ``YYYY-MM`` text in a table as monthly
``Period`` values (``period[M]``), the type ``Model.run()`` and
``Model.months`` give. Its own module so that the model and the results
both use it without importing each other."""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

_ALLOWED = '"YYYY-MM", a pandas Period or Timestamp, a datetime.date or datetime, or an np.datetime64'


def _period(month: Any, name: str) -> str:
    """A month as ``YYYY-MM``: text as given, a ``Period``, a
    ``Timestamp``, a ``datetime.date``/``datetime`` or an
    ``np.datetime64``; anything else is a ``TypeError`` naming the
    argument ``name``."""
    if isinstance(month, str):
        return month
    if isinstance(month, pd.Period):
        return month.asfreq("M").strftime("%Y-%m")
    if isinstance(month, np.datetime64):
        if np.isnat(month):
            raise TypeError(f"{name} must be a month ({_ALLOWED}), not NaT")
        month = pd.Timestamp(month)
    if month is pd.NaT:
        raise TypeError(f"{name} must be a month ({_ALLOWED}), not NaT")
    if hasattr(month, "strftime"):
        return month.strftime("%Y-%m")
    raise TypeError(f"{name} must be a month ({_ALLOWED}), not {type(month).__name__} {month!r}")


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _is_months(values: Sequence[Optional[str]]) -> bool:
    """Whether a text column is months: every cell ``YYYY-MM`` or empty,
    and at least one not empty."""
    seen = False
    for v in values:
        if v is None:
            continue
        if not isinstance(v, str) or not _MONTH.match(v):
            return False
        seen = True
    return seen


def _months(values: Sequence[Optional[str]]) -> pd.arrays.PeriodArray:
    """``YYYY-MM`` texts (``None`` for an empty cell) as monthly periods
    (``NaT`` for an empty cell)."""
    return pd.array([pd.NaT if v is None else pd.Period(v, "M") for v in values], dtype=pd.PeriodDtype("M"))
