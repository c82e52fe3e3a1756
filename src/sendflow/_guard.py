"""Turn the standard library's errors from bad arguments into sendflow's (private)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sendflow.errors import CalendarError, InvalidArgument, SendflowError

__all__ = ["guard_arguments"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def guard_arguments(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``fn`` raising only sendflow errors for bad arguments: dates run past what
    Python can hold give :class:`CalendarError`, wrong types and unknown names
    :class:`InvalidArgument`. The messages never quote the argument."""
    name = fn.__qualname__

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if any(isinstance(a, bool) for a in (*args, *kwargs.values())):
            raise InvalidArgument(f"{name}: a boolean is not a date, a count or a name")
        try:
            return fn(*args, **kwargs)
        except SendflowError:
            raise
        except OverflowError:
            raise CalendarError(f"{name}: a date is outside the supported range") from None
        except ValueError as exc:
            if "out of range" in str(exc):
                raise CalendarError(f"{name}: a date is outside the supported range") from None
            raise InvalidArgument(f"{name}: an argument has a value it cannot use") from None
        except (TypeError, AttributeError):
            raise InvalidArgument(f"{name}: an argument has the wrong type") from None

    return wrapper
