"""dinarflow for Python: Iraq's oil dollars through an exact double-entry
ledger, from oil revenue to the CBI's account at the New York Fed, the cash
airlift, the CBI dollar auction, the parallel market and prices.

Every number comes from the dinarflow library (Rust, exact decimals); this
package hands its results over as pandas DataFrames::

    import dinarflow as dfl
    m = dfl.Model.default()
    m.run()                                                  # tidy: month, metric, value
    m.with_set({"auction.rejection_rate@2023-07": 0.4}).run(wide=True)
    m.tornado("parallel_rate")                               # a chart in Jupyter
    m.mc(10_000, seed=1).percentiles

Errors are :class:`ModelError` (bad input, with the file, line and column)
and :class:`ComputationError`; see ``docs/python.md`` in the repository.
"""

from ._dinarflow import version as _version
from ._errors import ComputationError, DinarflowError, DinarflowWarning, InternalError, ModelError, Problem
from ._model import Model
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
)

__version__: str = _version()

__all__ = [
    "Model",
    "Report",
    "Brief",
    "SweepResult",
    "TornadoResult",
    "SolveResult",
    "DiffResult",
    "McResult",
    "SobolResult",
    "MorrisResult",
    "FitResult",
    "BacktestResult",
    "TraceResult",
    "SVG",
    "DinarflowError",
    "ModelError",
    "ComputationError",
    "InternalError",
    "DinarflowWarning",
    "Problem",
    "__version__",
]
