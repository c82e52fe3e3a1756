"""The periods the DfE's figures are measured against, from ``sen2/data/statistics.toml``.

A figure that measures a statutory time limit (decisions within 6 weeks, plans within
20 weeks, review decisions within 4 weeks, reviews every 12 months) names the rule whose
period it is, so the number has one home: the rule data, with its citation. A period
only the DfE's statistics define (the 52-week band) gives its weeks and the DfE source.

Checked when the file loads: every period the code measures (:data:`MEASURED`) is
defined and every one defined is measured, each names a ``rule`` or ``weeks`` (not
both), and no key is unknown. The rules they name are checked when first used (that
loads the rule registry): each exists, and its period has the ``unit`` given. A
mismatch is a :class:`~sendflow.errors.RuleDataError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sendflow.calendar import add_months, add_weeks
from sendflow.errors import RuleDataError, RuleNotFound
from sendflow.rules import PeriodUnit
from sendflow.rules._registry import history, nearest_version

__all__ = ["MEASURED", "MeasuredPeriod", "check_periods", "load_periods", "period"]

FILE = "sen2/data/statistics.toml"

#: The periods sendflow.sen2's code measures, each one defined in the data file.
MEASURED = frozenset(
    {"request_decision", "plan_issue", "plan_issue_band", "review_decision", "review_interval"}
)
#: Any day: a period of weeks is as long from every start.
_ANY_DAY = date(2001, 1, 1)
_KEYS = frozenset({"name", "rule", "weeks", "unit", "dfe", "source", "verified"})


@dataclass(frozen=True)
class MeasuredPeriod:
    """One period a figure is measured against: a rule's period, or the DfE's weeks."""

    name: str
    dfe: str
    source: str
    verified: bool
    rule: str | None = None
    weeks: int | None = None
    unit: str | None = None

    def last_day(self, start: date) -> date:
        """The last day within the period for a clock started on ``start``: the rule's
        due date (its version in force on ``start``), or ``start`` plus the weeks."""
        if self.rule is not None:
            return nearest_version(self.rule, start).period.due(start)
        assert self.weeks is not None
        return add_weeks(start, self.weeks)

    def days(self) -> int:
        """The period's length in days, for a period of the DfE's weeks (the same from
        any start)."""
        assert self.weeks is not None
        return (add_weeks(_ANY_DAY, self.weeks) - _ANY_DAY).days

    def months(self, on: date) -> int:
        """The rule's period in months (a ``unit = "months"`` period), in force on ``on``."""
        assert self.rule is not None
        assert self.unit == PeriodUnit.MONTHS
        return nearest_version(self.rule, on).period.amount

    def shifted(self, start: date, periods: int) -> date:
        """``start`` moved by ``periods`` whole periods of months (negative: back)."""
        return add_months(start, self.months(start) * periods)


def load_periods(name: str, text: str) -> dict[str, MeasuredPeriod]:
    """The ``[[period]]`` tables of a statistics file; :class:`RuleDataError` naming
    file and key for an unknown key, a period not measured or one missing."""
    raw: dict[str, Any] = tomllib.loads(text)
    out: dict[str, MeasuredPeriod] = {}
    for i, item in enumerate(raw.get("period", [])):
        where = f"period[{i}]"
        unknown = set(item) - _KEYS
        if unknown:
            raise RuleDataError(name, f"{where}.{sorted(unknown)[0]}", "unknown key")
        try:
            measured = MeasuredPeriod(**item)
        except TypeError:
            raise RuleDataError(name, where, "has a missing key") from None
        if measured.name not in MEASURED:
            raise RuleDataError(name, f"{where}.name", "no figure is measured against it")
        if measured.name in out:
            raise RuleDataError(name, f"{where}.name", "repeats a period name")
        if (measured.rule is None) == (measured.weeks is None):
            raise RuleDataError(name, where, "give either rule or weeks")
        if measured.weeks is not None and (
            isinstance(measured.weeks, bool) or not isinstance(measured.weeks, int)
            or measured.weeks < 1
        ):
            raise RuleDataError(name, f"{where}.weeks", "a whole number of weeks, at least 1")
        if measured.unit is not None and measured.unit not in set(PeriodUnit):
            raise RuleDataError(name, f"{where}.unit", "not a period unit")
        out[measured.name] = measured
    for missing in sorted(MEASURED - set(out)):
        raise RuleDataError(name, f"period ({missing})", "measured by the code, not defined")
    return out


def check_periods(name: str, periods: dict[str, MeasuredPeriod]) -> None:
    """Each period naming a rule names one that exists, with a period of its ``unit``."""
    for item in periods.values():
        if item.rule is None:
            continue
        try:
            hist = history(item.rule)
        except RuleNotFound:
            raise RuleDataError(name, f"{item.name}.rule", f"no rule {item.rule!r}") from None
        if item.unit is not None:
            for version in hist.versions:
                if version.period.unit != item.unit:
                    raise RuleDataError(
                        name, f"{item.name}.unit",
                        f"rule {item.rule!r} counts in {version.period.unit.value}",
                    )


@cache
def _periods() -> dict[str, MeasuredPeriod]:
    text = resources.files("sendflow.sen2").joinpath("data/statistics.toml").read_text(
        encoding="utf-8")
    periods = load_periods(FILE, text)
    check_periods(FILE, periods)
    return periods


def period(name: str) -> MeasuredPeriod:
    """The period ``name`` (one of :data:`MEASURED`), checked with its rule."""
    return _periods()[name]
