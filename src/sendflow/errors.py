"""Errors raised by sendflow.

Every error sendflow raises itself derives from :class:`SendflowError`::

    SendflowError(Exception)
    ├── InvalidIdentifier(SendflowError, ValueError)   .scheme
    │   ├── InvalidFormat
    │   │   └── InvalidLength
    │   ├── InvalidChecksum
    │   └── UnknownCode
    ├── InvalidEvent(SendflowError, ValueError)         .index
    │   └── InvalidTransition                           .process .state .event .index .allowed
    ├── RuleNotFound(SendflowError, LookupError)        .rule_id .on
    ├── RuleDataError(SendflowError)                    .file .key
    ├── CalendarError(SendflowError, ValueError)        date outside the supported range
    ├── InvalidArgument(SendflowError, ValueError)      a function was given a value it cannot use
    └── MissingExtra(SendflowError, ImportError)        .extra

Messages say *where* (event index, rule id, field, file) and *what* check
failed. They never contain the offending value: an identifier, a name or a
date of birth never reaches ``str(error)``, ``repr(error)`` or ``error.args``.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "CalendarError",
    "InvalidArgument",
    "InvalidChecksum",
    "InvalidEvent",
    "InvalidFormat",
    "InvalidIdentifier",
    "InvalidLength",
    "InvalidTransition",
    "MissingExtra",
    "RuleDataError",
    "RuleNotFound",
    "SendflowError",
    "UnknownCode",
]


class SendflowError(Exception):
    """Base class of every error sendflow raises."""


class InvalidIdentifier(SendflowError, ValueError):
    """An identifier (UPN, ULN, NHS number, LA code, URN, LAESTAB) is invalid.

    The message names the scheme and the check that failed, never the value.
    """

    reason = "is not valid"

    def __init__(self, scheme: str, detail: str | None = None) -> None:
        self.scheme = scheme
        self.detail = detail
        message = f"{scheme} {detail or self.reason}"
        super().__init__(message)


class InvalidFormat(InvalidIdentifier):
    """The identifier has characters that its scheme does not allow."""

    reason = "has characters in places its format does not allow"


class InvalidLength(InvalidFormat):
    """The identifier has the wrong number of characters."""

    reason = "has the wrong length"


class InvalidChecksum(InvalidIdentifier):
    """The identifier's check character does not match the rest."""

    reason = "check character does not match"


class UnknownCode(InvalidIdentifier):
    """A code is well formed but is not in the code list (e.g. an LA code)."""

    reason = "is not in the code list"


class InvalidEvent(SendflowError, ValueError):
    """An event is malformed or out of date order in a case's event log."""

    def __init__(self, message: str, *, index: int | None = None) -> None:
        self.index = index
        where = f"event #{index}: " if index is not None else ""
        super().__init__(f"{where}{message}")


class InvalidTransition(InvalidEvent):
    """An event is not allowed in the case's current state.

    Attributes:
        process: the workflow whose table rejected the event.
        state: the state the case was in.
        event: the rejected event's ``type``.
        index: the position the event would have had in the log.
        reason: why, beyond "no row allows it" (e.g. ``it is dated before the
            previous event``), or None.
        allowed: the event types that may come next (any region), sorted;
            the message lists them. Event types are not personal data.
    """

    def __init__(
        self,
        *,
        process: str,
        state: str,
        event: str,
        index: int | None = None,
        reason: str | None = None,
        allowed: tuple[str, ...] | None = None,
    ) -> None:
        self.process = process
        self.state = state
        self.event = event
        self.reason = reason
        self.allowed: tuple[str, ...] = tuple(allowed or ())
        why = f": {reason}" if reason else ""
        if allowed is None:
            nxt = ""
        elif self.allowed:
            nxt = f" (allowed next: {', '.join(self.allowed)})"
        else:
            nxt = " (no event is allowed next)"
        message = f"{process}: {event!r} is not allowed in state {state!r}{why}{nxt}"
        super().__init__(message, index=index)
        self.index = index


class RuleNotFound(SendflowError, LookupError):
    """No rule has that id, or none of its versions is in force on that date."""

    def __init__(self, rule_id: str, on: date | None = None) -> None:
        self.rule_id = rule_id
        self.on = on
        if on is None:
            message = f"no rule with id {rule_id!r}"
        else:
            message = f"rule {rule_id!r} is not in force on {on.isoformat()}"
        super().__init__(message)


class RuleDataError(SendflowError):
    """A rule data file is broken; the message names the file and key path."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        super().__init__(f"{file}: {key}: {problem}")


class CalendarError(SendflowError, ValueError):
    """A date is outside the range the statutory calendar supports."""


class InvalidArgument(SendflowError, ValueError):
    """A function was given an argument it cannot use (the message names which)."""


class MissingExtra(SendflowError, ImportError):
    """An optional feature needs an extra that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional extra {extra!r}: install sendflow with it, "
            f"e.g. pip install './sendflow[{extra}]' from a clone (sendflow is not on PyPI)"
        )
