"""The model: loaded from a file, from TOML text or built in; changed only
by making a new one (:meth:`Model.with_set`, :meth:`Model.with_scenario`);
run and analysed by the library, each method the command of the same name.
"""

from __future__ import annotations

import functools
import os
import warnings
from decimal import Decimal
from numbers import Integral, Real
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _dinarflow
from ._arguments import _BRIEF_DRAWS, _U64, _WORDS, _integer, _refuse, _seed, _Words
from ._errors import DinarflowWarning, _notes_words
from ._months import _period
from ._results import (
    SVG,
    BacktestResult,
    Brief,
    DiffResult,
    FitResult,
    McResult,
    MorrisResult,
    Report,
    SobolResult,
    SolveResult,
    SweepResult,
    TornadoResult,
    TraceResult,
    _observed,
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


def _texts(value: Union[None, str, Iterable[str]], name: str = "the argument") -> list:
    """A text or texts (a list, a tuple, a ``pd.Index``, a NumPy array, …)
    as a list; ``None`` as none."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a text or a list of texts, not {type(value).__name__} {value!r}")
    return [str(v) for v in value]


def _choice(value: Any, name: str, allowed: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, allowed))}, not {type(value).__name__} {value!r}")
    return value


def _pair(value: Any, name: str, what: str) -> Tuple[Any, Any]:
    """Two values (a tuple, a list, …) or a TypeError naming ``name``."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be {what}, not {type(value).__name__} {value!r}")
    items = list(value)
    if len(items) != 2:
        raise TypeError(f"{name} must be {what}, not {len(items)} values {value!r}")
    return items[0], items[1]


def _bounded(value: Mapping[str, Any], name: str, what: str) -> list:
    """``{path: (lo, hi) or None}`` as the command line's ``PATH[=LO:HI]``."""
    out = []
    for path, bounds in value.items():
        if bounds is None:
            out.append(str(path).strip())
        else:
            lo, hi = _pair(bounds, f"{name}[{path!r}]", what)
            out.append(f"{str(path).strip()}={_text(lo)}:{_text(hi)}")
    return out


def _rolling_pair(rolling: Any) -> Optional[Tuple[str, str]]:
    """``rolling``: ``(FROM, TO)`` months (each text, a ``Period``, a
    ``Timestamp``, a ``datetime.date`` or an ``np.datetime64``; the pair a
    tuple, a list, a ``pd.Index`` or an array) or ``"FROM:TO"``."""
    if rolling is None:
        return None
    allowed = '(FROM, TO) months or "FROM:TO", e.g. ("2023-03", "2023-07")'
    if isinstance(rolling, str):
        a, colon, b = rolling.partition(":")
        if not colon or not a.strip() or not b.strip():
            raise _refuse(f"rolling must be {allowed}, not {rolling!r}")
        return a.strip(), b.strip()
    a, b = _pair(rolling, "rolling", allowed)
    return _period(a, "rolling"), _period(b, "rolling")


def _spec(values: Any) -> str:
    """Values to try: a ``LO:HI:STEP`` or ``V1,V2`` text as is, else the
    values of a list, a tuple, a range, a ``pd.Series``, a ``pd.Index`` or
    a NumPy array (or one number)."""
    if isinstance(values, str):
        return values.strip()
    if isinstance(values, np.ndarray) and values.ndim == 0:
        return _text(values.item())
    if isinstance(values, Iterable) and not isinstance(values, (bytes, Mapping)):
        return ",".join(_text(v) for v in values)
    return _text(values)


_PERIOD_M = pd.PeriodDtype("M")

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
    """A validated dinarflow model. It never changes: :meth:`with_set`,
    :meth:`with_scenario` and :meth:`with_horizon` return new models.

    Make one with :meth:`Model.default` (the built-in 2023 model),
    :meth:`Model.load` or :meth:`Model.from_toml`. A model pickles (as its
    file's text and what was layered on it), so it can be sent to other
    processes (``multiprocessing``, ``joblib``); ``copy.copy`` and
    ``copy.deepcopy`` give the model itself, as for any value that never
    changes. Two models are equal (and hash alike, so they can key a dict
    of results) when they come from the same file's text with the same
    values, scenarios and horizon layered on it in the same order, as the
    command line would apply them; a pickled model equals the original.
    """

    __slots__ = ("_native", "_notes", "_labels", "_recipe", "_warnings")

    def __init__(
        self, native: "_dinarflow.NativeModel", notes: Sequence[str] = (), recipe: Tuple[tuple, ...] = ()
    ) -> None:
        if not isinstance(native, _dinarflow.NativeModel):
            raise TypeError(
                "Model(...) is made by Model.load(path), Model.from_toml(text) or Model.default(), "
                f"not from {type(native).__name__} {native!r:.60}"
            )
        self._native = native
        self._notes = tuple(notes)
        self._labels: Optional[_Labels] = None
        # What was layered on the model file, in order: ("horizon", month),
        # ("set", specs) and ("scenario", name, text); a pickle holds it.
        self._recipe = recipe
        self._warnings: Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]] = None

    # -- making models ---------------------------------------------------

    @classmethod
    def default(cls) -> "Model":
        """The built-in default model, ``models/iraq-2023.toml``."""
        return cls(_dinarflow.NativeModel.default())

    @classmethod
    def load(cls, path: PathLike) -> "Model":
        """The model file at ``path``. A missing file or one with problems
        raises :class:`dinarflow.ModelError` with the file, line and column."""
        if isinstance(path, str) and "\n" in path:
            raise TypeError("load takes a file's path; for a model's TOML text use Model.from_toml(text)")
        return cls(_dinarflow.NativeModel.load(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "<string>") -> "Model":
        """A model from TOML text; problems are reported under ``name``."""
        return cls(_dinarflow.NativeModel.from_toml(text, name))

    def with_set(self, values: Mapping[str, Number]) -> "Model":
        """A new model with each parameter replaced, as ``--set`` does.

        Keys are ``PATH`` (the whole timeline), ``PATH@YYYY-MM`` (the step of
        its timeline from that month, until its next step), ``PATH@YYYY-MM..``
        (from that month to the end of the timeline) or ``PATH*`` (a factor
        on every month); values are numbers (a float is read as its shortest
        decimal text) or exact text. All are checked together against the
        model's rules; a month past the timeline needs :meth:`with_horizon`
        first::

            m.with_set({"auction.rejection_rate@2023-07..": 0.4})
        """
        if not isinstance(values, Mapping):
            raise TypeError("with_set takes a mapping of parameter paths to values")
        specs = tuple(f"{str(k).strip()}={_text(v)}" for k, v in values.items())
        with _WORDS:
            native, notes = self._native.with_sets(list(specs))
        return Model(native, self._notes + _notes_words(notes), self._recipe + (("set", specs),))

    def with_scenario(self, path: PathLike) -> "Model":
        """A new model with the scenario file at ``path`` layered on, as
        ``--scenario`` does."""
        with _WORDS:
            native, notes = self._native.with_scenario(os.fspath(path))
        name, text = native.last_scenario
        return Model(native, self._notes + _notes_words(notes), self._recipe + (("scenario", name, text),))

    def with_horizon(self, month: Any) -> "Model":
        """A new model run past its last month up to and including ``month``
        (``"YYYY-MM"``, a ``Period``, a ``Timestamp``, a ``datetime.date``
        or an ``np.datetime64``), as ``--horizon`` does:
        each added month holds the last month's inputs (auction sessions
        from the calendar's weekend, no holidays). :meth:`with_set` on the
        result may then change the added months::

            m.with_horizon("2025-06").with_set({"auction.rejection_rate@2025-01": 0.3})
        """
        text = _period(month, "month")
        with _WORDS:
            native, note = self._native.with_horizon(text)
        return Model(native, self._notes + _notes_words([note]), self._recipe + (("horizon", text),))

    # -- pickling: the model file's text and what was layered on it ----------

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.file, self.text, self._recipe, self._notes))

    def __copy__(self) -> "Model":
        return self

    def __deepcopy__(self, memo: dict) -> "Model":
        return self

    # -- equality: the same file's text with the same layers, in order ----

    def _identity(self) -> tuple:
        return (self.file, self.text, self._recipe)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

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
        """What each ``with_set``, ``with_scenario`` and ``with_horizon``
        replaced or added, as the command line says it on standard error,
        each option named as the Python call that gives it (``--set`` as
        ``with_set``, ``--horizon 2025-06`` as ``with_horizon("2025-06")``)."""
        return self._notes

    @property
    def warnings(self) -> Tuple[str, ...]:
        """What ``dinarflow check`` warns about, one text per warning (its
        place, the line with a caret, the reason): values outside their
        plausible range, distributions centred away from their base value.
        The methods that compute also raise each as a
        :class:`dinarflow.DinarflowWarning`, as their command says it."""
        return self._warned()[0]

    def _warned(self) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """Every warning, and those the commands that draw show (a model never
        changes: worked out once)."""
        if self._warnings is None:
            self._warnings = (tuple(self._native.warnings), tuple(self._native.draw_warnings))
        return self._warnings

    def _warn(self, drawn: bool = False, stacklevel: int = 3, beyond: Tuple[str, ...] = ()) -> None:
        """Raises the warnings the command would show as DinarflowWarning
        (``drawn``: those of the commands that draw), except ``beyond``."""
        every, draws = self._warned()
        for w in draws if drawn else every:
            if w not in beyond:
                warnings.warn(w, DinarflowWarning, stacklevel=stacklevel)

    def __repr__(self) -> str:
        return f"<dinarflow.Model {self.name!r} from {self.file}>"

    # -- run ----------------------------------------------------------------

    def run(self, *, wide: bool = False, exact: bool = False, by: str = "month") -> pd.DataFrame:
        """Every metric in every month, as ``dinarflow run`` computes it.

        ``by="quarter"`` or ``by="year"`` (``run --by``) groups the months
        into calendar quarters or years, each value its metric's own
        summary over them (a sum, a mean or the closing value); the
        ``month`` column (or index) is then ``quarter`` or ``year``, of
        quarterly or yearly periods. A group the timeline holds only part of
        (2022-Q4 of a model from 2022-11) is named in ``df.attrs["notes"]``
        and raised as a :class:`dinarflow.DinarflowWarning`, and so is a
        custody account that runs dry (``run``'s note: the month, and what
        follows from it).

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
        months, names, units, values, _totals, exact_values, _, dry = self._native.run(exact)
        self._warn()
        if dry:
            warnings.warn(dry, DinarflowWarning, stacklevel=2)
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
            # Copies: pandas does not track arrays handed to a frame, so a
            # frame holding the shared ones would let an edit of its labels
            # (`df.loc[0, "metric"] = …`) relabel every later run.
            df = _tidy(labels, labels.month.copy(), labels.metric.copy(), values)
        df.attrs["units"] = dict(labels.units)
        df.attrs["notes"] = [dry] if dry else []
        return df

    def _run_by(self, by: str, *, wide: bool, exact: bool) -> pd.DataFrame:
        """:meth:`run` grouped by quarter or year (``run --by``)."""
        if by not in ("quarter", "year"):
            if not isinstance(by, str):
                raise TypeError(f'by must be "month", "quarter" or "year", not {type(by).__name__} {by!r}')
            raise _refuse(f'by must be "month", "quarter" or "year", not {by!r}')
        labels, names, units, texts, notes = self._native.run_by(by)
        self._warn(stacklevel=4)
        for note in notes:
            warnings.warn(note, DinarflowWarning, stacklevel=3)
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
        df.attrs["notes"] = list(notes)
        return df

    def totals(self, *, exact: bool = False) -> pd.Series:
        """Each metric's summary over the timeline (a sum, a closing balance or
        a mean, as ``run`` reports it on its ``total`` rows), indexed by
        metric; ``.attrs["units"]`` gives the units."""
        _months, names, units, _values, totals, _, exact_totals, dry = self._native.run(exact)
        self._warn()
        if dry:
            warnings.warn(dry, DinarflowWarning, stacklevel=2)
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
        with _WORDS:
            svg = SVG(self._native.chart(_texts(metrics, "metrics")))
        self._warn()
        return svg

    def trace(self, month: Any = None, *, postings: bool = False) -> TraceResult:
        """``trace``: where the dollars went, from the ledger, over the whole
        timeline or in one ``month`` (``"YYYY-MM"``, a ``Period``, a
        ``Timestamp``, a ``datetime.date`` or an ``np.datetime64``); with
        ``postings=True``, every posting (``month`` a monthly ``Period``,
        step, from, to, amount)."""
        with _WORDS:
            report = TraceResult(self._native.trace(None if month is None else _period(month, "month"), bool(postings)))
        self._warn()
        return report

    def explain(self, metric: str) -> Report:
        """``explain METRIC``: the chain of steps behind one number
        (``"parallel_rate@2023-01"``, ``"cpi_impact_pct"``,
        ``"premium_pct:max"``), with every intermediate value and where each
        assumption it uses is written."""
        if not isinstance(metric, str):
            raise TypeError(f"metric must be a metric's name as text, not {type(metric).__name__} {metric!r}")
        with _WORDS:
            report = Report(self._native.explain(metric))
        self._warn()
        return report

    def brief(self, *, draws: int = 4000, seed: int = 1) -> Brief:
        """``brief``: the headline figures, the main results in sentences,
        "How sure" (the 80% bands of the last month from ``draws`` Monte
        Carlo draws with ``seed``, as ``brief --draws --seed``) and the
        assumptions; the HTML briefing in Jupyter, from the same draws.
        Ctrl-C stops it and raises ``KeyboardInterrupt``."""
        draws = _integer(draws, "draws", 1, _BRIEF_DRAWS, "from 1 to 1,000,000")
        seed = _seed(seed)
        with _WORDS:
            native = self._native.brief(draws, seed)
        self._warn()
        return Brief(native, functools.partial(_briefing_html, self), draws, seed)

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
        with _WORDS:
            result = SweepResult(
                self._native.sweep(_pairs(vary, "vary"), _pairs(scale, "scale"), _texts(metrics, "metrics"))
            )
        self._warn()
        _warn_of(result._native)
        return result

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
        whose whole schedule is scaled, or ``{path: (lo, hi)}`` factors
        (``None`` for the default factors).
        ``swing``: the percentage for parameters without a distribution.
        """
        if metric is not None and not isinstance(metric, str):
            raise TypeError(f"metric must be a metric's name as text, not {type(metric).__name__} {metric!r}")
        if isinstance(scale, Mapping):
            scales = _bounded(scale, "scale", "(low, high) factors or None")
        else:
            scales = _texts(scale, "scale")
        with _Words({"--metric": "metric"}):
            result = TornadoResult(self._native.tornado(metric, _texts(params, "params"), scales, _text(swing)))
        self._warn(drawn=True)
        _warn_of(result._native)
        return result

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
        if not isinstance(vary, str):
            raise TypeError(f"vary must be a parameter's path as text, not {type(vary).__name__} {vary!r}")
        if not isinstance(target, str):
            metric, value = _pair(target, "target", '"METRIC=VALUE" or (metric, value)')
            target = f"{metric}={_text(value)}"
        if between is None:
            between_text = None
        else:
            lo, hi = _pair(between, "between", "(low, high)")
            between_text = f"{_text(lo)},{_text(hi)}"
        tol = None if tolerance is None else _text(tolerance)
        with _WORDS:
            result = SolveResult(self._native.solve(vary, target, between_text, tol))
        self._warn()
        return result

    def diff(self, other: "Model", *, metrics: Union[None, str, Iterable[str]] = None) -> DiffResult:
        """``diff``: this model (A) against ``other`` (B): both summaries, the
        assumptions that differ, and each difference's share of each change."""
        if not isinstance(other, Model):
            raise TypeError("diff compares two dinarflow.Model objects")
        with _WORDS:
            result = DiffResult(self._native.diff(other._native, _texts(metrics, "metrics")))
        self._warn()
        other._warn(beyond=self.warnings)
        return result

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
        by_month: bool = False,
    ) -> McResult:
        """``mc``: ``n`` Monte Carlo draws of the ``[uncertainty]`` inputs
        (``sampler`` ``"random"`` or ``"lhs"``, reproducible by ``seed``);
        statistics of each metric, the inputs that drive them, and every draw
        (:attr:`McResult.draws`). ``until`` (``"p95:0.5%"``) stops early once
        the statistics named have converged. A month's quoted rate
        (``parallel_rate@2024-06``) carries the model's own error on a quote
        (``[forecast_error]``); ``forecast_error=False`` is ``mc
        --no-forecast-error``, the parameters' spread alone. ``by_month=True``
        (``mc --by-month``) adds each metric's percentiles by month to the
        table (the same draws again, one column per month).

        More draws than memory holds (``n=10**9``) are refused before any
        work with a :class:`dinarflow.ModelError` (a ``ValueError``) that
        says how much memory they would need and what to do (fewer draws,
        fewer metrics, or ``until``), as ``mc -n`` is refused.

        Ctrl-C stops the draws and raises ``KeyboardInterrupt``."""
        # Any count is checked by the library, with the memory it would take.
        n = _integer(n, "n", 1, _U64, f"from 1 to {_dinarflow.MAX_DRAWS:,}")
        seed = _seed(seed)
        sampler = _choice(sampler, "sampler", ("random", "lhs"))
        metrics, until = _texts(metrics, "metrics"), _texts(until, "until")
        with _WORDS:
            native, columns = self._native.mc(
                n, seed, sampler, metrics, until, bool(forecast_error), bool(by_month)
            )
        self._warn(drawn=True)
        result = McResult(native, columns)
        # The fan chart of a pickled result: this call again, drawn when asked for.
        result._svg_of = functools.partial(
            _mc_svg, self, n, seed=seed, sampler=sampler, metrics=metrics, until=until,
            forecast_error=bool(forecast_error), by_month=bool(by_month),
        )
        result._draws_of = functools.partial(
            _mc_draws, self, n, seed, sampler, metrics, until, bool(forecast_error)
        )
        return result

    def sobol(self, n: int = 4096, *, seed: int = 1, metrics: Union[None, str, Iterable[str]] = None) -> SobolResult:
        """``sobol``: first-order and total Sobol indices of each uncertain
        input, from ``n`` rows of each Saltelli matrix (a power of two).
        Ctrl-C stops it and raises ``KeyboardInterrupt``."""
        top = _dinarflow.SOBOL_MAX_N
        n = _integer(n, "n", 2, top, f"from 2 to {top:,} (the length of the Sobol' sequence)")
        seed = _seed(seed)
        with _WORDS:
            result = SobolResult(self._native.sobol(n, seed, _texts(metrics, "metrics")))
        self._warn(drawn=True)
        return result

    def morris(
        self,
        r: int = 20,
        *,
        levels: int = 4,
        seed: int = 1,
        metrics: Union[None, str, Iterable[str]] = None,
    ) -> MorrisResult:
        """``morris``: Morris elementary-effects screening of the uncertain
        inputs (mu*, mu, sigma of each on each metric), ``r`` trajectories
        of ``inputs + 1`` runs each over grids of ``levels`` levels (even,
        2 to 100): which of many inputs matter, before a Sobol analysis.
        ``metrics`` default to ``parallel_rate``. Ctrl-C stops it and raises
        ``KeyboardInterrupt``."""
        r = _integer(r, "r", 2, _dinarflow.MAX_DRAWS, "at least 2 (sigma needs two trajectories)")
        levels = _integer(levels, "levels", 2, 100, "an even number from 2 to 100")
        if levels % 2:
            raise _refuse(f"levels must be an even number from 2 to 100, not {levels}")
        seed = _seed(seed)
        with _WORDS:
            result = MorrisResult(self._native.morris(r, levels, seed, _texts(metrics, "metrics")))
        self._warn(drawn=True)
        return result

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
        or a DataFrame with those columns (``date`` as text, a ``Period``, a
        ``Timestamp``, a ``datetime.date`` or an ``np.datetime64``).
        ``train_until``: a month, as :meth:`with_horizon` takes one. ``vary``: paths (``PATH``, ``PATH@YYYY-MM``, ``PATH*``),
        ``PATH=LO:HI`` texts, or ``{path: (lo, hi) or None}``. ``loss``:
        ``"pct"``, ``"log"`` or ``"abs"``. The fitted model is
        :attr:`FitResult.model` (``fit --write-model`` writes it as a file;
        here ``FitResult.sets`` are its ``with_set`` values). Ctrl-C stops
        the search and raises ``KeyboardInterrupt``.
        """
        source, text = _observed(observed)
        if isinstance(vary, Mapping):
            varies = _bounded(vary, "vary", "(low, high) bounds or None")
        else:
            varies = _texts(vary, "vary")
        until = None if train_until is None else _period(train_until, "train_until")
        loss = _choice(loss, "loss", ("pct", "log", "abs"))
        with _WORDS:
            native, sets = self._native.fit(source, text, varies, until, loss)
        _warn_of(native)
        fitted = {k: v for k, v in (s.split("=", 1) for s in sets)}
        return FitResult(native, sets, functools.partial(Model.with_set, self, fitted))

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
        beside naive benchmarks; ``rolling=(FROM, TO)`` (or ``"FROM:TO"``)
        ends the window at each month in turn; ``refit`` refits those
        parameters on each window. The model's forecast is drawn ``n`` times
        (seed ``seed``) from its ``[uncertainty]`` for its bands and CRPS
        (``n=0``: a point forecast). Ctrl-C stops it and raises
        ``KeyboardInterrupt``."""
        source, text = _observed(observed)
        until = None if train_until is None else _period(train_until, "train_until")
        n = _integer(n, "n", 0, _dinarflow.MAX_DRAWS, f"from 0 (a point forecast) to {_dinarflow.MAX_DRAWS:,}")
        seed = _seed(seed)
        loss = _choice(loss, "loss", ("pct", "log", "abs"))
        with _WORDS:
            native = self._native.backtest(
                source, text, until, _rolling_pair(rolling), _texts(refit, "refit"), loss, n, seed
            )
        _warn_of(native)
        return BacktestResult(native)


def _warn_of(native: Any) -> None:
    """Raises a report's warnings (what the command line prints as
    "warning: …" on standard error, such as a backtest scored on rows its
    parameters were fitted to) as DinarflowWarning; its notes stay in
    ``notes``."""
    for note in _notes_words(native.notes):
        if note.startswith("warning:"):
            warnings.warn(note, DinarflowWarning, stacklevel=3)


def _mc_svg(model: Model, n: int, **options: Any) -> str:
    """The fan chart of ``model.mc(n, **options)``, for a pickled Monte Carlo
    result (its warnings were given when the result was made)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DinarflowWarning)
        return model.mc(n, **options).svg().text


def _mc_draws(
    model: Model, n: int, seed: int, sampler: str, metrics: list, until: list, forecast_error: bool
) -> str:
    """The file ``mc --draws FILE`` writes for ``model.mc(n, ...)``."""
    with _WORDS:
        return model._native.mc_draws(n, seed, sampler, metrics, until, forecast_error)


def _briefing_html(model: Model, draws: int, seed: int) -> str:
    """``brief --format html`` of ``model`` (a brief's, kept by a pickle)."""
    return model._native.briefing_html(draws, seed)


def _rebuild(file: str, text: str, recipe: Tuple[tuple, ...], notes: Tuple[str, ...]) -> Model:
    """A pickled model made again: its file's text under its name, then
    what was layered on it, in order."""
    native = _dinarflow.NativeModel.from_toml(text, file)
    for step in recipe:
        if step[0] == "horizon":
            native, _ = native.with_horizon(step[1])
        elif step[0] == "set":
            native, _ = native.with_sets(list(step[1]))
        else:
            native, _ = native.with_scenario_text(step[1], step[2])
    return Model(native, notes, recipe)


def _pairs(value: Union[None, str, Sequence[str], Mapping[str, Any]], name: str) -> list:
    """``{path: values}`` as the command line's ``PATH=SPEC`` texts."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [f"{str(p).strip()}={_spec(v)}" for p, v in value.items()]
    return _texts(value, name)
