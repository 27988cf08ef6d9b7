"""The exceptions dinarflow raises.

Every error of the library arrives as one of these, with the message the
command line prints (``str(e)``) and, where the problem has a place, the
file, line and column of the first problem and the parameter it concerns.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Optional


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
