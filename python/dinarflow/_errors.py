"""The exceptions and the warning dinarflow raises.

Every error of the library arrives as one of these, with the message the
command line prints (``str(e)``, an option of the command line named as
the Python argument that gives it) and, where the problem has a place,
the file, line and column of the first problem and the parameter it
concerns.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, NamedTuple, Optional, Tuple


class Problem(NamedTuple):
    """One problem: where it is and what is wrong."""

    path: Optional[str]
    """The file it is in (a model, scenario or observed-series file), or ``None``."""
    line: Optional[int]
    """1-based line in that file, or ``None``."""
    column: Optional[int]
    """1-based column (in characters), or ``None``."""
    parameter: Optional[str]
    """The parameter path it concerns (``auction.rejection_rate``), or ``None``."""
    message: str
    """What is wrong, with what is allowed and, where there is one, the fix."""


class DinarflowError(Exception):
    """Base class of dinarflow's errors.

    Attributes:
        message: the complete message, as ``dinarflow`` prints it.
        path: the file of the first located problem (or the file that could not
            be read), else ``None``.
        line, column: 1-based place of that problem in ``path``, else ``None``.
        parameter: the parameter path concerned (for a ``with_set`` key that
            fails, the key), else ``None``.
        problems: every problem found, each a :class:`Problem`.
        exit_code: the exit code the command line gives for it (2: bad input,
            1: a computation that failed).
    """

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        parameter: Optional[str] = None,
        problems: Iterable[tuple] = (),
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.parameter = parameter
        self.problems = tuple(Problem(*p) for p in problems)
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class ModelError(DinarflowError, ValueError):
    """Bad input: a model, scenario or observed file that is missing or has
    problems, a parameter path that names nothing, a value out of range, an
    option the analysis cannot take (exit code 2 on the command line)."""


class ComputationError(DinarflowError, ArithmeticError):
    """A computation that failed: numbers too large to compute exactly, a
    goal-seek target never reached (exit code 1 on the command line)."""


class InternalError(DinarflowError, RuntimeError):
    """A bug in dinarflow (a panic in the library), caught at the boundary
    so that the interpreter goes on."""


class DinarflowWarning(UserWarning):
    """A model that computes, but on values worth a second look: a value
    outside its plausible range, a distribution centred away from its base
    value (what ``dinarflow check`` warns about), or a quarter or year
    that the timeline holds only part of. Raised with :func:`warnings.warn`
    by the methods whose command would say it on standard error; filter it
    as any warning (``warnings.simplefilter("ignore", DinarflowWarning)``)."""


# The command line's options as the Python arguments that give them; a
# method names its own where they differ (``tornado``'s ``--metric`` is
# ``metric``).
_ARGUMENTS = {
    "-n": "n",
    "-r": "r",
    "--draws": "draws",
    "--seed": "seed",
    "--sampler": "sampler",
    "--metric": "metrics",
    "--until": "until",
    "--by": "by",
    "--by-month": "by_month",
    "--no-forecast-error": "forecast_error=False",
    "--vary": "vary",
    "--scale": "scale",
    "--param": "params",
    "--swing": "swing",
    "--target": "target",
    "--between": "between",
    "--tolerance": "tolerance",
    "--observed": "observed",
    "--train-until": "train_until",
    "--rolling": "rolling",
    "--refit": "refit",
    "--loss": "loss",
    "--levels": "levels",
    "--month": "month",
    "--postings": "postings",
    "--set": "with_set",
    "--scenario": "with_scenario",
}

_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[nr])(?![\w-])")
# The month as given, up to the colon or space after it ("--horizon soon:").
_HORIZON = re.compile(r"(?<![\w-])--horizon ([^\s:]+)")
# A line of a quoted model file ("12 | rate = 4"), or the gutter and carets
# under it ("   |        ^"): the user's own text, kept as written.
_SNIPPET = re.compile(r"^\s*\d*\s*\|")


def _python_words(text: str, names: Optional[Mapping[str, str]] = None) -> str:
    """``text`` with each option of the command line named as the Python
    argument that gives it (``--draws`` → ``draws``, ``--horizon
    2030-01`` → ``with_horizon("2030-01")``), except in the lines that quote
    a file, which keep its text and the caret under it."""
    table = dict(_ARGUMENTS, **(names or {}))

    def line(text: str) -> str:
        if _SNIPPET.match(text):
            return text
        text = _HORIZON.sub(lambda m: f'with_horizon("{m.group(1)}")', text)
        return _OPTION.sub(lambda m: table.get(m.group(1), m.group(1)), text)

    return "".join(line(part) for part in text.splitlines(keepends=True))


# In a note, a command to try (`--metric custody_balance_usd:min`, see
# `dinarflow backtest`) as the Python call that does it.
_NOTE_METRIC = re.compile(r"`--metric ([^`\s]+)`")
_NOTE_COMMAND = re.compile(
    r"`dinarflow (run|brief|trace|explain|sweep|tornado|solve|diff|mc|sobol|morris|fit|backtest)`"
)


def _notes_words(notes: Iterable[str]) -> Tuple[str, ...]:
    """Notes and warnings of the library (what the command line says on
    standard error) in Python's words, as errors are put: each option named
    as the argument that gives it (``--set`` → ``with_set``, ``--horizon
    2025-06`` → ``with_horizon("2025-06")``, ``-n`` → ``n``), a command to
    try as the method (```dinarflow backtest``` → ```Model.backtest```)."""
    out = []
    for note in notes:
        note = _NOTE_METRIC.sub(lambda m: f'`metrics="{m.group(1)}"`', note)
        note = _NOTE_COMMAND.sub(lambda m: f"`Model.{m.group(1)}`", note)
        out.append(_python_words(note))
    return tuple(out)


def _reword(e: DinarflowError, names: Optional[Mapping[str, str]] = None) -> None:
    """Rewrites ``e``'s message and its problems' in Python's words."""
    e.message = _python_words(e.message, names)
    e.args = (e.message,)
    e.problems = tuple(p._replace(message=_python_words(p.message, names)) for p in e.problems)
