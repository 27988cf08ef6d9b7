"""What the model and the results both need at the boundary with the
library: checking an integer argument (draws, a seed) as the command line
checks it, refusing a bad one as the library refuses it, and putting the
library's errors in Python's words. Its own module so that the model
(``_model.py``) and the results (``_results.py``) both use it without
importing each other."""

from __future__ import annotations

from numbers import Integral
from typing import Any, Mapping, Optional

from ._errors import DinarflowError, ModelError, _reword


def _refuse(message: str) -> ModelError:
    """A bad argument, as the library refuses one (exit code 2)."""
    return ModelError(f"error: {message}", problems=[(None, None, None, None, message)], exit_code=2)


_U64 = 2**64 - 1
# `brief --draws`: from 1 to a million (the library's check_draws).
_BRIEF_DRAWS = 1_000_000


def _integer(value: Any, name: str, lo: int, hi: int, allowed: str) -> int:
    """``value`` as an int from ``lo`` to ``hi``: any integer (Python's,
    NumPy's) but no float or bool; refused naming the argument and what is
    allowed."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer ({allowed}), not {type(value).__name__} {value!r}")
    v = int(value)
    if not lo <= v <= hi:
        raise _refuse(f"{name} must be {allowed}, not {v}")
    return v


def _seed(value: Any) -> int:
    return _integer(value, "seed", 0, _U64, f"from 0 to 2**64 - 1 = {_U64}")


class _Words:
    """Around a call of the library: its errors in Python's words (an
    option of the command line named as the argument that gives it)."""

    __slots__ = ("names",)

    def __init__(self, names: Optional[Mapping[str, str]] = None) -> None:
        self.names = names

    def __enter__(self) -> "_Words":
        return self

    def __exit__(self, kind: Any, e: Any, tb: Any) -> bool:
        if isinstance(e, DinarflowError):
            _reword(e, self.names)
        return False


_WORDS = _Words()
