"""What the analyses return: the library's reports, with their tidy table
as a pandas DataFrame (exactly the values ``--format csv`` prints; its
months as monthly ``Period`` values, as ``Model.run()`` has them), their
other renderings (the terminal table, Markdown, JSON, SVG) and, where the
command line draws one, a chart that Jupyter shows (``_repr_svg_``).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from html import escape as _escape
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, List, Optional, Sequence, Tuple, TypeVar

import numpy as np
import pandas as pd

from ._arguments import _BRIEF_DRAWS, _WORDS, _integer, _seed
from ._errors import DinarflowError, _notes_words
from ._months import _is_months, _months

if TYPE_CHECKING:  # pragma: no cover
    from ._dinarflow import NativeReport

# The model a fit's results hand back (``Model``; named here without
# importing it, so that results never depend on the model's module).
M = TypeVar("M")


def _frame(columns: Optional[list], exact: bool) -> pd.DataFrame:
    """A DataFrame from the native table's typed columns; a column of
    months (``YYYY-MM`` in the CSV: ``trace``'s ``month``, a rolling
    backtest's ``trained up to``) as monthly periods."""
    if columns is None:
        raise ValueError("this result has no tidy table")
    data: Dict[str, Any] = {}
    for name, kind, values in columns:
        if kind == "decimal":
            data[name] = pd.Series([None if v is None else Decimal(v) for v in values], dtype=object)
        elif kind == "text" and _is_months(values):
            data[name] = pd.Series(_months(values))
        elif kind == "text":
            data[name] = pd.Series(values, dtype=object)
        else:
            data[name] = values
    return pd.DataFrame(data)


def _number(text: Optional[str], exact: bool) -> Any:
    if text is None:
        return None
    return Decimal(text) if exact else float(text)


class SVG:
    """An SVG picture: Jupyter shows it; ``str()`` is its text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_svg_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def save(self, path: str) -> None:
        """Writes the picture to ``path``."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text)


class _Frozen:
    """A report as it pickles: every rendering and both forms of its tidy
    table, kept as they were when pickled, so that a result sent back from
    another process (``multiprocessing``, ``joblib``) shows what it showed
    there without computing anything again. A Monte Carlo fan chart, which
    needs the draws again, is kept as how to draw it (the model and the
    ``mc`` call) and drawn when first asked for."""

    __slots__ = ("renders", "tables", "notes", "chart", "svg_of")

    def __init__(self, native: Any, svg_of: Optional[Callable[[], str]] = None) -> None:
        self.renders: Dict[str, Any] = {}
        self.chart = bool(native.has_chart())
        formats = ["table", "csv", "json", "md"]
        if self.chart and svg_of is None:
            formats.append("svg")
        for fmt in formats:
            try:
                self.renders[fmt] = native.render(fmt)
            except DinarflowError as e:  # a form this report has not: raised again when asked for
                self.renders[fmt] = e
        self.tables = {exact: native.columns(exact) for exact in (False, True)}
        self.notes = list(native.notes)
        self.svg_of = svg_of

    def __getstate__(self) -> tuple:
        return (self.renders, self.tables, self.notes, self.chart, self.svg_of)

    def __setstate__(self, state: tuple) -> None:
        self.renders, self.tables, self.notes, self.chart, self.svg_of = state

    def render(self, fmt: str) -> str:
        if fmt == "svg" and fmt not in self.renders and self.chart and self.svg_of is not None:
            self.renders[fmt] = self.svg_of()
        if fmt not in self.renders:
            raise ValueError(f"this result has no {fmt} form")
        found = self.renders[fmt]
        if isinstance(found, BaseException):
            raise found
        return found

    def has_chart(self) -> bool:
        return self.chart

    def columns(self, exact: bool = False) -> Any:
        return self.tables[bool(exact)]


class Report:
    """A result of one analysis, as the command line would report it.

    ``str(result)`` is the terminal table; :meth:`to_frame` the tidy table of
    ``--format csv`` as a DataFrame; :meth:`to_csv`, :meth:`to_json` and
    :meth:`to_markdown` the command line's own bytes; ``notes`` what it would
    have said on standard error. A result pickles (and copies) as what it
    shows: its tables and renderings, not recomputed.
    """

    def __init__(self, native: "NativeReport") -> None:
        self._native: Any = native
        self._dict: Optional[dict] = None
        # How to draw the chart again (a Monte Carlo fan), for a pickle.
        self._svg_of: Optional[Callable[[], str]] = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if not isinstance(self._native, _Frozen):
            state["_native"] = _Frozen(self._native, self._svg_of)
        return state

    @property
    def notes(self) -> Tuple[str, ...]:
        """What the command line would have written to standard error: notes
        and warnings, each option of the command line named as the Python
        argument that gives it (``--set`` as ``with_set``, ``--horizon
        2025-06`` as ``with_horizon("2025-06")``, ``-n`` as ``n``)."""
        return _notes_words(self._native.notes)

    def to_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """The tidy table ``--format csv`` writes, one column per CSV column;
        a column of months (``YYYY-MM``) holds monthly ``Period`` values,
        as ``Model.run()``'s ``month`` does.

        Numbers are floats (each the double nearest to the exact value the CSV
        prints); with ``exact=True`` they are :class:`decimal.Decimal`, digit
        for digit the CSV's.
        """
        return _frame(self._native.columns(exact), exact)

    def to_csv(self) -> str:
        """``--format csv``, byte for byte."""
        return self._native.render("csv")

    def to_json(self) -> str:
        """``--format json``: every number an exact decimal string."""
        return self._native.render("json")

    def to_markdown(self) -> str:
        """``--format md``."""
        return self._native.render("md")

    def to_dict(self) -> dict:
        """The JSON form as Python objects (numbers stay decimal strings)."""
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return self._dict

    def __str__(self) -> str:
        return self._native.render("table")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>\n{self}"


class _Chart:
    """A result the command line draws (``--format svg``)."""

    _native: "NativeReport"

    def svg(self) -> SVG:
        """``--format svg``: the command line's chart."""
        return SVG(self._native.render("svg"))

    def _repr_svg_(self) -> str:
        return self._native.render("svg")


class SweepResult(_Chart, Report):
    """``sweep``: the model at every value of one parameter (a data table) or
    two (a two-way table)."""

    def to_frame(self, *, exact: bool = False, wide: bool = False) -> pd.DataFrame:
        """Long form as ``--format csv`` (``PATH[,PATH2],metric,value``); with
        ``wide=True``, one row per point and one column per metric."""
        long = super().to_frame(exact=exact)
        if not wide:
            return long
        keys = [c for c in long.columns if c not in ("metric", "value")]
        metrics = list(dict.fromkeys(long["metric"]))
        out = long.pivot_table(index=keys, columns="metric", values="value", aggfunc="first", sort=False)
        out = out[metrics]
        out.columns.name = None
        return out


class TornadoResult(_Chart, Report):
    """``tornado``: each parameter at a low and a high value, sorted by how far
    it swings the metric."""

    @property
    def metric(self) -> str:
        """The metric whose swing is measured."""
        return self.to_dict()["metric"]

    def base(self, *, exact: bool = False) -> Any:
        """The metric with every parameter at base."""
        return _number(self.to_dict().get("base"), exact)


class SolveResult(Report):
    """``solve``: the value of one parameter at which a metric meets a target
    (every such value in :attr:`roots`, the one nearest the base first)."""

    def value(self, *, exact: bool = False) -> Any:
        """The value to pass to ``with_set`` (exact with ``exact=True``)."""
        return _number(self.to_dict()["value"], exact)

    def achieved(self, *, exact: bool = False) -> Any:
        """The metric at that value, exactly what ``run`` gives there."""
        return _number(self.to_dict()["achieved"], exact)

    @property
    def path(self) -> str:
        """The parameter solved for."""
        return self.to_dict()["path"]

    @property
    def roots(self) -> pd.DataFrame:
        """Every value that meets the target: ``value``, ``achieved``,
        ``iterations``."""
        d = self.to_dict()
        roots = d.get("roots") or [
            {"value": d["value"], "achieved": d["achieved"], "iterations": d["iterations"]}
        ]
        return pd.DataFrame(
            {
                "value": [float(r["value"]) for r in roots],
                "achieved": [float(r["achieved"]) for r in roots],
                "iterations": [int(r["iterations"]) for r in roots],
            }
        )


class DiffResult(_Chart, Report):
    """``diff``: two models' summaries side by side, the assumptions that
    differ, and how much of each metric's change each difference explains.
    :meth:`to_frame` is the summary (``metric,a,b,change,change_pct``)."""

    @property
    def differences(self) -> List[dict]:
        """The assumptions that differ, each with both schedules."""
        return self.to_dict().get("differences", [])

    @property
    def attribution(self) -> Optional[dict]:
        """Each metric's change split among the differences (JSON form), or
        ``None`` when the models cannot be mixed month by month."""
        return self.to_dict().get("attribution")


class McResult(_Chart, Report):
    """``mc``: Monte Carlo over the model's ``[uncertainty]``.

    :meth:`to_frame` is ``--format csv`` (``metric,statistic,input,value``,
    rounded as the command line shows them); :attr:`statistics`,
    :attr:`percentiles` and :attr:`drivers` the same numbers as wide tables;
    :attr:`draws` every draw's inputs and metrics, in draw order, as a
    DataFrame over NumPy arrays handed over from the library without a copy
    (read-only: see :attr:`draw_arrays`); :meth:`draws_csv` the file of
    ``mc --draws FILE``, byte for byte. ``_repr_svg_`` draws the fan chart
    (the draws again, month by month, as ``mc --format svg`` does; computed
    on first use).
    """

    def __init__(self, native: "NativeReport", columns: tuple) -> None:
        super().__init__(native)
        inputs, input_arrays, metrics, metric_arrays = columns
        self._arrays: Dict[str, np.ndarray] = {}
        for name, arr in zip(inputs, input_arrays):
            self._arrays[name] = arr
        for name, arr in zip(metrics, metric_arrays):
            self._arrays[name] = arr
        self.inputs: Tuple[str, ...] = tuple(inputs)
        """The uncertain inputs' paths, in order."""
        self.metrics: Tuple[str, ...] = tuple(metrics)
        """The metrics, as named."""
        self._draws: Optional[pd.DataFrame] = None
        # How to write the draws as `mc --draws FILE` does (the model and
        # the `mc` call), set by Model.mc; kept by a pickle.
        self._draws_of: Optional[Callable[[], str]] = None

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_draws"] = None  # made again from the arrays
        return state

    @property
    def n(self) -> int:
        """Draws the statistics are over."""
        return int(self.to_dict()["n"])

    @property
    def draw_arrays(self) -> Dict[str, np.ndarray]:
        """Each input's and metric's draws as a NumPy array (``float64``):
        read-only views of the result's own arrays (not copies), so that
        no edit changes the draws; ``.copy()`` one to change it."""
        out = {}
        for name, arr in self._arrays.items():
            view = arr.view()
            view.flags.writeable = False
            out[name] = view
        return out

    @property
    def draws(self) -> pd.DataFrame:
        """Every draw: a column per input, then per metric; the index is the
        draw number. Each call gives a frame of its own over the result's
        arrays, not a copy of them (pandas' copy-on-write copies a column
        when it is first changed), so that editing it changes neither
        :attr:`draw_arrays` nor a later ``draws``; with a pandas before 3.0
        and copy-on-write off, the frame is a copy."""
        if not _copy_on_write():
            frame = pd.DataFrame({k: v.copy() for k, v in self._arrays.items()})
            frame.index.name = "draw"
            return frame
        if self._draws is None:
            self._draws = pd.DataFrame(self._arrays, copy=False)
            self._draws.index.name = "draw"
        return self._draws.copy(deep=False)

    def draws_csv(self) -> str:
        """The draws file ``mc --draws FILE`` writes for this run, byte for
        byte: a ``draw`` column, each input at its own decimal places, each
        metric at the engine's own scale (``1431.8000``, trailing zeros
        kept; ``draws.to_csv()`` writes the doubles, ``1431.8``). The same
        draws are made again to write it."""
        if self._draws_of is None:
            raise ValueError("this result has no draws file")
        return self._draws_of()

    def save_draws(self, path: "os.PathLike[str] | str") -> None:
        """Writes :meth:`draws_csv` to ``path`` (``mc --draws FILE``)."""
        text = self.draws_csv()
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    @property
    def statistics(self) -> pd.DataFrame:
        """Mean, sd, se, P5 … P95, min and max (rows) of each metric (columns),
        as the command line reports them."""
        f = self.to_frame()
        s = f[f["input"].isna() & (f["statistic"] != "spearman_rho")]
        s = s[~s["statistic"].str.startswith("relative_half_width")]
        out = s.pivot(index="statistic", columns="metric", values="value")
        order = list(dict.fromkeys(s["statistic"]))
        return out.loc[order, list(self.metrics)].rename_axis(columns=None)

    @property
    def percentiles(self) -> pd.DataFrame:
        """P5, P10, P25, P50, P75, P90 and P95 of each metric."""
        s = self.statistics
        return s.loc[[i for i in s.index if i.startswith("p") and i[1:].isdigit()]]

    @property
    def drivers(self) -> pd.DataFrame:
        """Spearman's rank correlation of each input (rows) with each metric
        (columns); NaN where either is constant."""
        f = self.to_frame()
        d = f[f["statistic"] == "spearman_rho"]
        if d.empty:
            return pd.DataFrame(index=list(self.inputs), columns=list(self.metrics), dtype=float)
        out = d.pivot(index="input", columns="metric", values="value")
        return out.reindex(index=list(self.inputs), columns=list(self.metrics)).rename_axis(
            index=None, columns=None
        )


def _copy_on_write() -> bool:
    """Whether pandas copies a shared column when it is first changed
    (always from pandas 3.0; an option before)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    try:
        return pd.get_option("mode.copy_on_write") is True
    except Exception:  # pragma: no cover - a pandas without the option (1.x)
        return False


class SobolResult(_Chart, Report):
    """``sobol``: first-order (S1) and total (ST) Sobol indices of each input
    with bootstrap 95% intervals (``metric,input,S1,S1_conf,ST,ST_conf``)."""


class MorrisResult(_Chart, Report):
    """``morris``: each input's elementary effects on each metric, mu*
    (the mean absolute effect, which ranks them), mu and sigma
    (``metric,input,mu_star,mu,sigma``)."""


class FitResult(_Chart, Report, Generic[M]):
    """``fit``: the estimates, their standard errors, the residuals, and the
    ``with_set`` values that reproduce the fit exactly."""

    def __init__(self, native: "NativeReport", sets: Sequence[str], fitted: Callable[[], M]) -> None:
        super().__init__(native)
        self._sets = tuple(sets)
        # The fitted model, made when asked for by the model that was fitted
        # (which knows how to set values; these results do not).
        self._fitted = fitted

    @property
    def sets(self) -> Tuple[str, ...]:
        """The estimates as ``PATH=VALUE`` (``--set``) texts."""
        return self._sets

    def estimates(self, *, exact: bool = False) -> Dict[str, Any]:
        """Each parameter's estimate (exact with ``exact=True``)."""
        out: Dict[str, Any] = {}
        for s in self._sets:
            key, value = s.split("=", 1)
            out[key] = Decimal(value) if exact else float(value)
        return out

    @property
    def model(self) -> M:
        """The model with the estimates set: its ``run()`` gives the residuals
        reported."""
        return self._fitted()

    @property
    def residuals(self) -> pd.DataFrame:
        """Every fitted observation against the fitted model: ``date`` as
        the observed file gives it (a day, a month or a year, as text),
        ``month`` the model's month it is compared with (a monthly
        ``Period``); ``lo`` and ``hi`` are a row's published range (NaN
        without one), and its ``error_pct`` is measured from the range's
        nearer end (0 inside)."""
        rows = self.to_dict().get("residuals", [])
        columns = ["date", "month", "metric", "model", "observed", "lo", "hi", "error_pct"]
        frame = pd.DataFrame(rows).reindex(columns=columns)
        frame["month"] = _months([None if pd.isna(v) else v for v in frame["month"]])
        for name in frame.columns:
            if name in ("date", "month", "metric"):
                continue
            try:
                frame[name] = pd.to_numeric(frame[name])
            except (TypeError, ValueError):
                pass
        return frame


class BacktestResult(_Chart, Report):
    """``backtest``: the model's forecasts after the training window, scored
    beside a random walk, the training mean and the last premium held."""


class TraceResult(_Chart, Report):
    """``trace``: where the dollars went, from the ledger; ``svg()`` is the
    flow of dollars that ``trace --format svg`` draws."""


class Brief(Report):
    """``brief``: the headline figures (:attr:`figures`), the main results in
    plain sentences (:attr:`sentences`) and every assumption with its source.
    In Jupyter it shows as the HTML briefing (``brief --format html``: charts,
    a tornado and a Monte Carlo fan chart)."""

    def __init__(
        self, native: "NativeReport", briefing_html: Callable[[int, int], str], draws: int = 4000, seed: int = 1
    ) -> None:
        super().__init__(native)
        # The model's HTML briefing for (draws, seed), drawn when asked for.
        self._briefing_html = briefing_html
        self._html: Optional[str] = None
        self.draws = draws
        """The Monte Carlo draws of "How sure" and of the HTML briefing's fan chart."""
        self.seed = seed
        """Their seed."""

    def figures_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """The headline figures: ``figure``, ``value``, ``unit``, ``when`` (the
        month of a peak or a last month, a monthly ``Period``; ``NaT`` for
        a figure over the whole timeline)."""
        figs = self.to_dict()["figures"]
        return pd.DataFrame(
            {
                "figure": [f["label"] for f in figs],
                "value": pd.Series([_number(f["value"], exact) for f in figs], dtype=object if exact else float),
                "unit": [f["unit"] for f in figs],
                "when": _months([f["month"] for f in figs]),
            }
        )

    @property
    def figures(self) -> pd.DataFrame:
        """The headline figures as floats (see :meth:`figures_frame`)."""
        return self.figures_frame()

    @property
    def sentences(self) -> List[str]:
        """The main results in plain sentences."""
        return list(self.to_dict()["sentences"])

    def quarters_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """The path by calendar quarter (``brief``'s "Quarter by quarter"):
        ``quarter`` (a quarterly period, as ``Model.run(by="quarter")``
        has it), ``from`` and ``to`` (its months in the timeline) and a
        column per metric
        (``parallel_rate``, ``premium_pct``, ``cpi_yoy_pct``, ``sales_usd``,
        ``wires_rejected_usd``), floats or, with ``exact``, ``Decimal``;
        empty for a model without a parallel market or within one quarter."""
        rows = self.to_dict().get("quarters") or []
        frame = pd.DataFrame(
            [
                {
                    "quarter": pd.Period(q["quarter"].replace("-", ""), "Q"),
                    "from": pd.Period(q["from"], "M"),
                    "to": pd.Period(q["to"], "M"),
                }
                | {k: _number(v, exact) for k, v in q["values"].items()}
                for q in rows
            ]
        )
        return frame

    @property
    def quarters(self) -> pd.DataFrame:
        """The path by calendar quarter as floats (see :meth:`quarters_frame`)."""
        return self.quarters_frame()

    def how_sure_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """``brief``'s "How sure": a row per metric in the last month
        (``parallel_rate@2024-12``, ``cpi_yoy_pct@2024-12``) with ``p10``,
        ``p50``, ``p90`` over the Monte Carlo draws and ``own_error_pct``,
        the σ of the model's own error on a quote the draws carry (NaN or
        ``None`` where none); empty for a model without ``[uncertainty]``."""
        h = self.to_dict().get("how_sure") or {"bands": []}
        return pd.DataFrame(
            [
                {
                    "metric": b["metric"],
                    "month": pd.Period(b["month"], "M"),
                    "p10": _number(b["p10"], exact),
                    "p50": _number(b["p50"], exact),
                    "p90": _number(b["p90"], exact),
                    "own_error_pct": None if b["own_error_pct"] is None else _number(b["own_error_pct"], exact),
                }
                for b in h["bands"]
            ],
            columns=["metric", "month", "p10", "p50", "p90", "own_error_pct"],
        )

    @property
    def how_sure(self) -> pd.DataFrame:
        """"How sure" as floats (see :meth:`how_sure_frame`)."""
        return self.how_sure_frame()

    def to_frame(self, *, exact: bool = False) -> pd.DataFrame:
        """The headline figures (the briefing has no CSV form)."""
        return self.figures_frame(exact=exact)

    def html(self, draws: Optional[int] = None, seed: Optional[int] = None) -> str:
        """``brief --format html``: the briefing as one self-contained page,
        its fan chart from ``draws`` Monte Carlo draws with ``seed`` (by
        default those of this brief, :attr:`draws` and :attr:`seed`)."""
        draws = self.draws if draws is None else _integer(draws, "draws", 1, _BRIEF_DRAWS, "from 1 to 1,000,000")
        seed = self.seed if seed is None else _seed(seed)
        with _WORDS:
            return self._briefing_html(draws, seed)

    def _repr_html_(self) -> str:
        """The briefing page in an ``<iframe>``: a notebook puts HTML output
        into its own page, where the briefing's styles (``body``, ``table``,
        ``h1`` …) would restyle the notebook; in a frame of its own they
        style the briefing alone. The frame grows to the page's height."""
        if self._html is None:
            page = _escape(self.html(), quote=True)
            self._html = (
                f'<iframe srcdoc="{page}" title="Briefing" '
                'style="width: 100%; height: 900px; border: 1px solid #ddd;" '
                "onload=\"this.style.height = (this.contentDocument.documentElement.scrollHeight + 4) + 'px'\">"
                "</iframe>"
            )
        return self._html

    def to_csv(self) -> str:
        """The briefing has no CSV form (``brief`` writes none): raises
        ``ValueError``; :meth:`to_frame` is the headline figures."""
        raise ValueError("the briefing has no CSV form; Brief.to_frame() is its figures, Model.run() every metric")


def _date_text(value: Any) -> Any:
    """An observation's date as ``fit --observed`` reads it: text as
    given; a ``Period`` at its own precision (a month as ``YYYY-MM``, a day
    as ``YYYY-MM-DD``); a ``Timestamp``, ``datetime.date``/``datetime`` or
    ``np.datetime64`` as its day."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is pd.NaT:
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return value


def _observed(observed: Any) -> Tuple[str, Optional[str]]:
    """A path, or a DataFrame as the CSV text ``fit --observed`` reads."""
    if isinstance(observed, pd.DataFrame):
        df = observed.copy()
        if "date" not in df.columns and (
            df.index.name == "date" or isinstance(df.index, (pd.PeriodIndex, pd.DatetimeIndex))
        ):
            df = df.rename_axis("date").reset_index()
        if "date" in df.columns:
            col = df["date"]
            if isinstance(col.dtype, pd.PeriodDtype):
                df["date"] = col.astype(str)
            elif pd.api.types.is_datetime64_any_dtype(col):
                df["date"] = col.dt.strftime("%Y-%m-%d")
            else:
                df["date"] = [_date_text(v) for v in col]
        return "<DataFrame>", df.to_csv(index=False, lineterminator="\n")
    if not isinstance(observed, (str, os.PathLike)):
        raise TypeError(
            "observed must be a CSV file's path or a DataFrame with columns date, metric, value "
            f"(and optionally lo, hi, weight, source), not {type(observed).__name__}"
        )
    return os.fspath(observed), None


__all__ = [
    "SVG",
    "Report",
    "SweepResult",
    "TornadoResult",
    "SolveResult",
    "DiffResult",
    "McResult",
    "SobolResult",
    "MorrisResult",
    "FitResult",
    "BacktestResult",
    "Brief",
]
