"""The model: loaded from a file, from TOML text or built in; changed only
by making a new one (:meth:`Model.with_set`, :meth:`Model.with_scenario`);
run and analysed by the library, each method the command of the same name.
"""

from __future__ import annotations

import os
from decimal import Decimal
from numbers import Integral, Real
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _dinarflow
from ._months import _period
from ._results import (
    SVG,
    BacktestResult,
    Brief,
    DiffResult,
    FitResult,
    McResult,
    SobolResult,
    SolveResult,
    SweepResult,
    TornadoResult,
    _observed,
    _rolling_pair,
)

Number = Union[int, float, Decimal, str]
PathLike = Union[str, "os.PathLike[str]"]


def _text(value: Any) -> str:
    """A value as the command line takes it: exact decimal text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        raise TypeError(f"expected a number or its text, not {value!r}")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        if v != v or v in (float("inf"), float("-inf")):
            raise TypeError(f"expected a finite number, not {value!r}")
        # The shortest text that reads back as this double, without an exponent.
        return format(Decimal(repr(v)), "f")
    raise TypeError(f"expected a number or its text, not {type(value).__name__} {value!r}")


def _texts(value: Union[None, str, Iterable[str]]) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _spec(values: Any) -> str:
    """Values to try: a ``LO:HI:STEP`` or ``V1,V2`` text as is, else a list."""
    if isinstance(values, str):
        return values.strip()
    if isinstance(values, (pd.Series, np.ndarray, list, tuple, range)):
        return ",".join(_text(v) for v in values)
    return _text(values)


_PERIOD_M = pd.PeriodDtype("M")

# With copy-on-write (always from pandas 3 on) frames may share the cached
# label columns; before it, each frame gets its own copy.
_SHARED_LABELS = int(pd.__version__.split(".")[0]) >= 3 or bool(
    getattr(getattr(pd.options, "mode", None), "copy_on_write", False) is True
)


def _periods(ordinals: np.ndarray) -> pd.PeriodIndex:
    """Monthly periods from months since January 1970."""
    from_ordinals = getattr(pd.PeriodIndex, "from_ordinals", None)
    if from_ordinals is not None:
        return from_ordinals(ordinals, freq="M")
    return pd.PeriodIndex(pd.arrays.PeriodArray(ordinals, dtype=_PERIOD_M))  # pragma: no cover


class _Labels:
    """What every run of one model shares: its months and metric names as
    the DataFrames' labels, built once (a model never changes)."""

    __slots__ = ("names", "units", "month", "metric", "index", "columns", "tidy_columns", "rows")

    def __init__(self, months: Sequence[int], names: list, units: Sequence[str]) -> None:
        ordinals = np.asarray(months, dtype="int64")
        n, m = len(ordinals), len(names)
        self.names = names
        self.units = dict(zip(names, units))
        self.month = _periods(np.repeat(ordinals, m)).array
        self.metric = pd.Categorical.from_codes(np.tile(np.arange(m, dtype="int32"), n), categories=names)
        self.index = _periods(ordinals)
        self.index.name = "month"
        self.columns = pd.Index(names)
        self.tidy_columns = pd.Index(["month", "metric", "value"])
        self.rows = pd.RangeIndex(n * m)


def _tidy(labels: _Labels, month: Any, metric: Any, values: np.ndarray) -> pd.DataFrame:
    """The tidy frame from its three columns. pandas' own constructor from
    arrays (the one ``DataFrame(dict)`` ends in) is used directly where it is
    there: it skips the column-name inference that dominates a small frame."""
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is not None:
        try:
            # Index objects of the frame's own (see Model.run).
            return from_arrays(
                [month, metric, values], columns=labels.tidy_columns.view(), index=labels.rows.view()
            )
        except TypeError:  # pragma: no cover - another pandas signature
            pass
    return pd.DataFrame({"month": month, "metric": metric, "value": values}, copy=False)  # pragma: no cover


_LABELS: Dict[Tuple[Tuple[int, ...], Tuple[str, ...]], _Labels] = {}


def _labels(months: Sequence[int], names: list, units: Sequence[str]) -> _Labels:
    """The labels of a timeline and its metrics, shared by every model that
    has them (a model and those made from it with ``with_set``)."""
    key = (tuple(months), tuple(names))
    found = _LABELS.get(key)
    if found is None:
        if len(_LABELS) >= 64:
            _LABELS.clear()
        found = _LABELS[key] = _Labels(months, names, units)
    return found


class Model:
    """A validated dinarflow model. It never changes: :meth:`with_set` and
    :meth:`with_scenario` return new models.

    Make one with :meth:`Model.default` (the built-in 2023 model),
    :meth:`Model.load` or :meth:`Model.from_toml`.
    """

    __slots__ = ("_native", "_notes", "_labels")

    def __init__(self, native: "_dinarflow.NativeModel", notes: Sequence[str] = ()) -> None:
        self._native = native
        self._notes = tuple(notes)
        self._labels: Optional[_Labels] = None

    # -- making models ---------------------------------------------------

    @classmethod
    def default(cls) -> "Model":
        """The built-in default model, ``models/iraq-2023.toml``."""
        return cls(_dinarflow.NativeModel.default())

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        """The model file at ``path``. A missing file or one with problems
        raises :class:`dinarflow.ModelError` with the file, line and column."""
        return cls(_dinarflow.NativeModel.load(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "<string>") -> "Model":
        """A model from TOML text; problems are reported under ``name``."""
        return cls(_dinarflow.NativeModel.from_toml(text, name))

    def with_set(self, values: Mapping[str, Number]) -> "Model":
        """A new model with each parameter replaced, as ``--set`` does.

        Keys are ``PATH`` (the whole timeline), ``PATH@YYYY-MM`` (the step of
        its timeline from that month) or ``PATH*`` (a factor on every month);
        values are numbers (a float is read as its shortest decimal text) or
        exact text. All are checked together against the model's rules::

            m.with_set({"auction.rejection_rate@2023-07": 0.4})
        """
        if not isinstance(values, Mapping):
            raise TypeError("with_set takes a mapping of parameter paths to values")
        specs = [f"{str(k).strip()}={_text(v)}" for k, v in values.items()]
        native, notes = self._native.with_sets(specs)
        return Model(native, self._notes + tuple(notes))

    def with_scenario(self, path: PathLike) -> "Model":
        """A new model with the scenario file at ``path`` layered on, as
        ``--scenario`` does."""
        native, notes = self._native.with_scenario(os.fspath(path))
        return Model(native, self._notes + tuple(notes))

    # -- what the model is -----------------------------------------------

    @property
    def name(self) -> str:
        """The model's name (``[model] name``)."""
        return self._native.name

    @property
    def file(self) -> str:
        """The file it was read from, as messages name it."""
        return self._native.file

    @property
    def text(self) -> str:
        """The model file's text."""
        return self._native.text

    @property
    def months(self) -> pd.PeriodIndex:
        """The months of the timeline."""
        return _periods(np.asarray(self._native.months, dtype="int64"))

    @property
    def notes(self) -> Tuple[str, ...]:
        """What each ``with_set`` and ``with_scenario`` replaced, as the command
        line says it on standard error."""
        return self._notes

    @property
    def warnings(self) -> Tuple[str, ...]:
        """What ``dinarflow check`` warns about: values outside their plausible
        range, distributions centred away from their base value."""
        return tuple(self._native.warnings)

    def __repr__(self) -> str:
        return f"<dinarflow.Model {self.name!r} from {self.file}>"

    # -- run ----------------------------------------------------------------

    def run(self, *, wide: bool = False, exact: bool = False, by: str = "month") -> pd.DataFrame:
        """Every metric in every month, as ``dinarflow run`` computes it.

        ``by="quarter"`` or ``by="year"`` (``run --by``) groups the months
        into calendar quarters or years, each value its metric's own
        summary over them (a sum, a mean or the closing value); the
        ``month`` column (or index) is then ``quarter`` or ``year``, of
        quarterly or yearly periods.

        Tidy by default: columns ``month`` (a monthly ``Period``), ``metric``
        and ``value``, months in order and metrics in ``run``'s order within a
        month. With ``wide=True``: one row per month (a ``PeriodIndex``) and
        one column per metric. Values are floats, each the double nearest the
        exact value; with ``exact=True`` they are :class:`decimal.Decimal`,
        digit for digit ``run --format csv``. ``df.attrs["units"]`` maps each
        metric to its unit. The summaries are :meth:`totals`.
        """
        if by != "month":
            return self._run_by(by, wide=wide, exact=exact)
        months, names, units, values, _totals, exact_values, _ = self._native.run(exact)
        labels = self._labels
        if labels is None or labels.names != names:
            labels = self._labels = _labels(months, names, units)
        if exact:
            column = np.empty(len(exact_values), dtype=object)
            column[:] = [Decimal(s) for s in exact_values]
            values = column
        if wide:
            # The labels are shared by every run of the timeline; each frame
            # gets Index objects of its own (views of their values), so that
            # renaming one frame's index renames no other.
            df = pd.DataFrame(
                values.reshape(len(months), len(names)),
                index=labels.index.view(),
                columns=labels.columns.view(),
                copy=False,
            )
        else:
            month, metric = labels.month, labels.metric
            if not _SHARED_LABELS:  # pragma: no cover - pandas 2 without copy-on-write
                month, metric = month.copy(), metric.copy()
            df = _tidy(labels, month, metric, values)
        df.attrs["units"] = dict(labels.units)
        return df

    def _run_by(self, by: str, *, wide: bool, exact: bool) -> pd.DataFrame:
        """:meth:`run` grouped by quarter or year (``run --by``)."""
        labels, names, units, texts = self._native.run_by(by)
        freq = {"quarter": "Q", "year": "Y"}[by]
        periods = pd.PeriodIndex([label.replace("-", "") for label in labels], freq=freq, name=by)
        values: Any = [Decimal(t) for t in texts] if exact else np.array([float(t) for t in texts])
        if wide:
            df = pd.DataFrame(
                np.array(values, dtype=object if exact else float).reshape(len(labels), len(names)),
                index=periods,
                columns=pd.Index(names),
            )
        else:
            df = pd.DataFrame(
                {
                    by: periods.repeat(len(names)),
                    "metric": pd.Categorical(names * len(labels), categories=names),
                    "value": pd.Series(values, dtype=object if exact else float),
                }
            )
        df.attrs["units"] = dict(zip(names, units))
        return df

    def totals(self, *, exact: bool = False) -> pd.Series:
        """Each metric's summary over the timeline (a sum, a closing balance or
        a mean, as ``run`` reports it on its ``total`` rows), indexed by
        metric; ``.attrs["units"]`` gives the units."""
        _months, names, units, _values, totals, _, exact_totals = self._native.run(exact)
        if exact:
            data: Any = [Decimal(s) for s in exact_totals]
            s = pd.Series(data, index=pd.Index(names, name="metric"), dtype=object, name="total")
        else:
            s = pd.Series(totals, index=pd.Index(names, name="metric"), name="total")
        s.attrs["units"] = dict(zip(names, units))
        return s

    def chart(self, metrics: Union[None, str, Iterable[str]] = None) -> SVG:
        """``run --format svg``: the official, parallel and effective rates by
        month and the premium, or the ``metrics`` named."""
        return SVG(self._native.chart(_texts(metrics)))

    def brief(self, *, draws: int = 4000, seed: int = 1) -> Brief:
        """``brief``: the headline figures, the main results in sentences,
        "How sure" (the 80% bands of the last month from ``draws`` Monte
        Carlo draws with ``seed``, as ``brief --draws --seed``) and the
        assumptions; the HTML briefing in Jupyter, from the same draws."""
        return Brief(self._native.brief(draws, seed), self._native.briefing_html, draws, seed)

    # -- sensitivity ---------------------------------------------------------

    def sweep(
        self,
        vary: Union[None, str, Sequence[str], Mapping[str, Any]] = None,
        *,
        scale: Union[None, str, Sequence[str], Mapping[str, Any]] = None,
        metrics: Union[None, str, Iterable[str]] = None,
    ) -> SweepResult:
        """``sweep``: the model at each value of one parameter, or of two.

        ``vary`` maps each parameter (``PATH`` or ``PATH@YYYY-MM``) to the
        values to try: ``"LO:HI:STEP"`` (exact decimal steps, HI included when
        reached), ``"V1,V2"`` or a list of numbers; ``scale`` maps a parameter
        to factors on its whole schedule (``{"exports.price_usd_per_bbl":
        "0.8:1.2:0.1"}``). Both also take the command line's ``PATH=SPEC``
        texts. ``metrics`` default to ``parallel_rate``, ``premium_pct`` and
        ``cpi_impact_pct`` (``parallel_rate`` for a two-way table).
        """
        return SweepResult(
            self._native.sweep(_pairs(vary), _pairs(scale), _texts(metrics))
        )

    def tornado(
        self,
        metric: Optional[str] = None,
        *,
        params: Union[None, str, Iterable[str]] = None,
        scale: Union[None, str, Iterable[str], Mapping[str, Any]] = None,
        swing: Number = 10,
    ) -> TornadoResult:
        """``tornado``: each parameter moved on its own to a low and a high
        value, sorted by how far it swings ``metric`` (default: the model's
        headline metric, ``parallel_rate``, or ``net_revenue_usd`` for a
        model without an auction).

        ``params``: paths (``PATH``, ``PATH@YYYY-MM``, ``PATH*``); default: the
        ``[uncertainty]`` inputs, or every numeric parameter. ``scale``: paths
        whose whole schedule is scaled, or ``{path: (lo, hi)}`` factors.
        ``swing``: the percentage for parameters without a distribution.
        """
        if isinstance(scale, Mapping):
            scales = [
                p if f is None else f"{p}={_text(f[0])}:{_text(f[1])}" for p, f in scale.items()
            ]
        else:
            scales = _texts(scale)
        return TornadoResult(self._native.tornado(metric, _texts(params), scales, _text(swing)))

    def solve(
        self,
        vary: str,
        target: Union[str, Tuple[str, Number]],
        *,
        between: Optional[Tuple[Number, Number]] = None,
        tolerance: Optional[Number] = None,
    ) -> SolveResult:
        """``solve``: the value of ``vary`` (``PATH``, ``PATH@YYYY-MM`` or
        ``PATH*``) at which a metric meets a target, given as
        ``"METRIC=VALUE"`` or ``(metric, value)``; searched in ``between``
        (default: the allowed range), to ``tolerance`` if given."""
        if not isinstance(target, str):
            metric, value = target
            target = f"{metric}={_text(value)}"
        between_text = None if between is None else f"{_text(between[0])},{_text(between[1])}"
        tol = None if tolerance is None else _text(tolerance)
        return SolveResult(self._native.solve(vary, target, between_text, tol))

    def diff(self, other: "Model", *, metrics: Union[None, str, Iterable[str]] = None) -> DiffResult:
        """``diff``: this model (A) against ``other`` (B): both summaries, the
        assumptions that differ, and each difference's share of each change."""
        if not isinstance(other, Model):
            raise TypeError("diff compares two dinarflow.Model objects")
        return DiffResult(self._native.diff(other._native, _texts(metrics)))

    # -- uncertainty -----------------------------------------------------------

    def mc(
        self,
        n: int = 10_000,
        *,
        seed: int = 1,
        sampler: str = "random",
        metrics: Union[None, str, Iterable[str]] = None,
        until: Union[None, str, Iterable[str]] = None,
        forecast_error: bool = True,
    ) -> McResult:
        """``mc``: ``n`` Monte Carlo draws of the ``[uncertainty]`` inputs
        (``sampler`` ``"random"`` or ``"lhs"``, reproducible by ``seed``);
        statistics of each metric, the inputs that drive them, and every draw
        (:attr:`McResult.draws`). ``until`` (``"p95:0.5%"``) stops early once
        the statistics named have converged. A month's quoted rate
        (``parallel_rate@2024-06``) carries the model's own error on a quote
        (``[forecast_error]``); ``forecast_error=False`` is ``mc
        --no-forecast-error``, the parameters' spread alone."""
        native, columns = self._native.mc(
            int(n), int(seed), sampler, _texts(metrics), _texts(until), bool(forecast_error)
        )
        return McResult(native, columns)

    def sobol(self, n: int = 4096, *, seed: int = 1, metrics: Union[None, str, Iterable[str]] = None) -> SobolResult:
        """``sobol``: first-order and total Sobol indices of each uncertain
        input, from ``n`` rows of each Saltelli matrix (a power of two)."""
        return SobolResult(self._native.sobol(int(n), int(seed), _texts(metrics)))

    # -- calibration -------------------------------------------------------------

    def fit(
        self,
        observed: Union[PathLike, pd.DataFrame],
        vary: Union[str, Iterable[str], Mapping[str, Any]],
        *,
        train_until: Any = None,
        loss: str = "pct",
    ) -> "FitResult[Model]":
        """``fit``: bounded least squares of the ``vary`` parameters against
        observed series.

        ``observed`` is a CSV file (``date,metric,value[,lo,hi,weight,source]``)
        or a DataFrame with those columns (``date`` as text, a ``Period`` or a
        timestamp). ``vary``: paths (``PATH``, ``PATH@YYYY-MM``, ``PATH*``),
        ``PATH=LO:HI`` texts, or ``{path: (lo, hi) or None}``. ``loss``:
        ``"pct"``, ``"log"`` or ``"abs"``.
        """
        source, text = _observed(observed)
        if isinstance(vary, Mapping):
            varies = [p if b is None else f"{p}={_text(b[0])}:{_text(b[1])}" for p, b in vary.items()]
        else:
            varies = _texts(vary)
        until = None if train_until is None else _period(train_until)
        native, sets = self._native.fit(source, text, varies, until, loss)
        fitted = {k: v for k, v in (s.split("=", 1) for s in sets)}
        return FitResult(native, sets, lambda: self.with_set(fitted))

    def backtest(
        self,
        observed: Union[PathLike, pd.DataFrame],
        *,
        train_until: Any = None,
        rolling: Any = None,
        refit: Union[None, str, Iterable[str]] = None,
        loss: str = "pct",
        n: int = 1000,
        seed: int = 1,
    ) -> BacktestResult:
        """``backtest``: the model's forecasts of the observations after the
        training window (default: the month before the timeline), scored
        beside naive benchmarks; ``rolling=(FROM, TO)`` ends the window at each
        month in turn; ``refit`` refits those parameters on each window. The
        model's forecast is drawn ``n`` times (seed ``seed``) from its
        ``[uncertainty]`` for its bands and CRPS (``n=0``: a point forecast)."""
        source, text = _observed(observed)
        until = None if train_until is None else _period(train_until)
        return BacktestResult(
            self._native.backtest(
                source, text, until, _rolling_pair(rolling), _texts(refit), loss, int(n), int(seed)
            )
        )


def _pairs(value: Union[None, str, Sequence[str], Mapping[str, Any]]) -> list:
    """``{path: values}`` as the command line's ``PATH=SPEC`` texts."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [f"{str(p).strip()}={_spec(v)}" for p, v in value.items()]
    return _texts(value)
