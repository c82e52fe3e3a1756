"""Readings: the law's open questions that sendflow offers as named choices.

Where the words of the law honestly allow more than one reading, the reading is
data (``sendflow/rules/readings.toml``): an id, its choices with the sources
for each, the default and why. :func:`sendflow.evaluate` takes
``readings={"review.completed_by": "meeting"}`` and the report records the
readings it was judged under.

```python
>>> from sendflow.rules import readings, resolve_readings
>>> readings()["review.completed_by"].default
'decision'
>>> resolve_readings({"notice.at_least": "clear_days"})["notice.at_least"]
'clear_days'

```
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, model_validator

from sendflow._base import SendflowModel
from sendflow.errors import InvalidArgument, RuleDataError
from sendflow.rules._model import CitationKind

if TYPE_CHECKING:
    from sendflow._readings_law import ReadingCode

__all__ = [
    "READINGS_FILE",
    "Reading",
    "ReadingChoice",
    "ReadingSource",
    "default_readings",
    "readings",
    "resolve_readings",
]

#: The data file the readings are loaded from (inside the ``sendflow.rules`` package).
READINGS_FILE = "readings.toml"

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_CHOICE = re.compile(r"^[a-z0-9_]+$")


class ReadingSource(SendflowModel):
    """One source supporting a choice: an instrument, a case, the Code or guidance."""

    title: str = Field(min_length=1)
    provision: str = Field(min_length=1)
    kind: CitationKind
    href: str | None = Field(default=None, pattern=r"^https://")
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.title} {self.provision}"


class ReadingChoice(SendflowModel):
    """One way of reading the law, with the sources that support it."""

    id: str = Field(pattern=_CHOICE.pattern)
    meaning: str = Field(min_length=1)
    sources: tuple[ReadingSource, ...] = Field(min_length=1)


class Reading(SendflowModel):
    """A question the law leaves open, and the choices sendflow offers for it."""

    id: str = Field(pattern=_ID.pattern)
    question: str = Field(min_length=1)
    choices: tuple[ReadingChoice, ...] = Field(min_length=2)
    default: str
    default_reason: str = Field(min_length=1)
    rules: tuple[str, ...] = Field(
        min_length=1, description="The rules whose result the choice can change."
    )

    @model_validator(mode="after")
    def _check(self) -> Reading:
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("a choice is listed twice")
        if self.default not in ids:
            raise ValueError("the default is not one of the choices")
        return self

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """The ids of the choices, in the order the data gives them."""
        return tuple(c.id for c in self.choices)

    def choice(self, choice_id: str) -> ReadingChoice:
        """The choice with id ``choice_id``; :class:`~sendflow.InvalidArgument` if none."""
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise InvalidArgument(
            f"reading {self.id!r}: unknown choice; choose one of {', '.join(self.choice_ids)}"
        )


def load_readings(
    name: str,
    text: str,
    rule_ids: frozenset[str] | None = None,
    *,
    evaluators: Mapping[str, frozenset[str]] | None = None,
    code: Mapping[str, ReadingCode] | None = None,
) -> dict[str, Reading]:
    """Parse a readings file; :class:`~sendflow.RuleDataError` names the file and key.

    ``rule_ids``, when given, are the rule ids every reading's ``rules`` must be among.
    ``evaluators`` (rule id -> the evaluators its versions use) and ``code`` (reading
    id -> :class:`~sendflow._readings_law.ReadingCode`), when given, are the joins
    with the code: every reading is implemented, its choices are exactly the ones
    the code implements, and every rule it names uses an evaluator that reads it.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(name, "(file)", f"not valid TOML: {exc}") from None
    unknown_top = set(data) - {"reading"}
    if unknown_top:
        raise RuleDataError(name, "(file)", f"unknown keys {sorted(unknown_top)}")
    raw_list = data.get("reading")
    if not isinstance(raw_list, list) or not raw_list:
        raise RuleDataError(name, "reading", "expected one or more [[reading]] tables")
    out: dict[str, Reading] = {}
    for i, raw in enumerate(raw_list):
        where = f"reading[{i}]"
        if not isinstance(raw, dict):
            raise RuleDataError(name, where, "expected a table")
        reading_id = raw.get("id")
        if isinstance(reading_id, str) and reading_id:
            where = f"reading[{i}] ({reading_id})"
        choices = raw.get("choices")
        if not isinstance(choices, dict) or not choices:
            raise RuleDataError(name, f"{where}.choices", "expected [reading.choices.<id>] tables")
        payload: dict[str, Any] = dict(raw)
        try:
            payload["choices"] = [
                {"id": choice_id, **body} if isinstance(body, dict) else body
                for choice_id, body in choices.items()
            ]
            reading = Reading.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors(include_input=False, include_url=False)[0]
            loc = ".".join(str(p) for p in first["loc"]) or "(root)"
            raise RuleDataError(name, f"{where}.{loc}", first["msg"]) from None
        if reading.id in out:
            raise RuleDataError(name, where, "reading id defined twice")
        if rule_ids is not None:
            for rule_id in reading.rules:
                if rule_id not in rule_ids:
                    raise RuleDataError(name, f"{where}.rules", f"no rule {rule_id!r}")
        if code is not None:
            _check_code(name, where, reading, code, evaluators)
        out[reading.id] = reading
    return out


def _check_code(
    name: str,
    where: str,
    reading: Reading,
    code: Mapping[str, ReadingCode],
    evaluators: Mapping[str, frozenset[str]] | None,
) -> None:
    """The joins between one reading and the code (see :func:`load_readings`)."""
    implemented = code.get(reading.id)
    if implemented is None:
        raise RuleDataError(
            name, f"{where}.id",
            "no code implements this reading (see sendflow._readings_law.READINGS_CODE)",
        )
    for choice_id in sorted(implemented.choices - set(reading.choice_ids)):
        raise RuleDataError(
            name, f"{where}.choices",
            f"the code implements choice {choice_id!r}, which the data does not offer",
        )
    for choice_id in reading.choice_ids:
        if choice_id not in implemented.choices:
            raise RuleDataError(
                name, f"{where}.choices.{choice_id}", "the code does not implement this choice"
            )
    for rule_id in reading.rules if evaluators is not None else ():
        used = evaluators.get(rule_id, frozenset()) if evaluators is not None else frozenset()
        for evaluator in sorted(used - implemented.evaluators):
            raise RuleDataError(
                name, f"{where}.rules",
                f"rule {rule_id!r} uses evaluator {evaluator!r}, which does not read this reading",
            )


@cache
def _readings() -> Mapping[str, Reading]:
    # The registry and the code table are imported here, when the readings first
    # load, not when sendflow.rules is imported (the evaluators import it).
    from sendflow._readings_law import READINGS_CODE
    from sendflow.rules._registry import all_rules

    evaluators = {h.id: frozenset(v.evaluator for v in h.versions) for h in all_rules()}
    text = resources.files("sendflow.rules").joinpath(READINGS_FILE).read_text(encoding="utf-8")
    table = load_readings(
        READINGS_FILE, text, frozenset(evaluators), evaluators=evaluators, code=READINGS_CODE
    )
    return MappingProxyType(dict(sorted(table.items())))


def readings() -> Mapping[str, Reading]:
    """Every reading sendflow offers, by id (read-only).

    ```python
    >>> sorted(readings())
    ['notice.at_least', 'review.completed_by']
    >>> readings()["notice.at_least"].choice_ids
    ('event_day_excluded', 'clear_days')

    ```
    """
    return _readings()


@cache
def default_readings() -> Mapping[str, str]:
    """Each reading's default choice, by reading id (read-only)."""
    return MappingProxyType({r.id: r.default for r in _readings().values()})


def _name(value: object) -> str:
    """A reading id as an error may show it: only something shaped like an id."""
    if isinstance(value, str) and len(value) <= 64 and _ID.match(value):
        return repr(value)
    return "(not a reading id)"


def resolve_readings(given: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """Every reading's choice: the defaults, with ``given`` (reading id -> choice) applied.

    An unknown reading id, or a choice the reading does not offer, raises
    :class:`~sendflow.InvalidArgument` naming the reading (never echoing a value
    that is not shaped like a reading id).

    ```python
    >>> resolve_readings({"review.completed_by": "meeting"})["review.completed_by"]
    'meeting'
    >>> try:
    ...     resolve_readings({"review.completed_by": "hearing"})
    ... except InvalidArgument as exc:
    ...     print(exc)
    reading 'review.completed_by': unknown choice; choose one of decision, meeting

    ```
    """
    defaults = default_readings()
    if not given and (given is None or isinstance(given, Mapping)):
        return defaults
    if not isinstance(given, Mapping):
        raise InvalidArgument(
            "readings: give a mapping of reading id to choice, "
            "e.g. {'review.completed_by': 'meeting'}"
        )
    table = _readings()
    out = dict(defaults)
    for reading_id, choice in given.items():
        reading = table.get(reading_id) if isinstance(reading_id, str) else None
        if reading is None:
            raise InvalidArgument(
                f"readings: unknown reading {_name(reading_id)}; known readings: "
                + ", ".join(table)
            )
        if not isinstance(choice, str) or choice not in reading.choice_ids:
            reading.choice(choice if isinstance(choice, str) else "")  # raises, naming the id
        out[reading_id] = choice
    return MappingProxyType(out)
