"""Week-20 timeliness, computed as the DfE publishes it.

Among EHC plans **first issued in a calendar year** (SEN2 ``AssessmentOutcome``
``Y`` with ``AssessmentOutcomeDate`` in the year), a plan is *within 20 weeks*
when it was issued no later than 20 weeks after the request was received
(``ReceivedDate``; sendflow counts ``received + 20 weeks`` as the last
compliant day, the same due date the compliance engine gives the rule
``assessment.final_plan``). The headline figure *excluding exceptions* drops
every plan whose ``Week20`` flag is 1 (an exception under SEND Regulations
2014 reg. 13(3) applied) from both the numerator and the denominator.

For example, the 2024 national figures were 41,448 of 90,392 plans within
20 weeks (45.9 %) and 39,407 of 84,866 excluding exceptions (46.4 %).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sendflow.case import Case
from sendflow.compliance import Status, evaluate
from sendflow.errors import InvalidArgument, MissingExtra
from sendflow.sen2._build import need_types_of
from sendflow.sen2._model import SEN2Return
from sendflow.sen2._periods import period

__all__ = ["Timeliness", "TimelinessFigures", "timeliness"]

UNKNOWN = "unknown"


@dataclass
class TimelinessFigures:
    """Week-20 counts for one group of plans, with the DfE percentages."""

    plans_issued: int = 0
    within_20_weeks: int = 0
    with_exceptions: int = 0
    within_20_weeks_with_exceptions: int = 0
    weeks_20_to_52_excluding_exceptions: int = 0
    over_52_weeks_excluding_exceptions: int = 0

    def add(self, *, within: bool, excepted: bool, days: int | None) -> None:
        """Count one plan issued (``days`` from request to issue, if known)."""
        self.plans_issued += 1
        self.within_20_weeks += within
        if excepted:
            self.with_exceptions += 1
            self.within_20_weeks_with_exceptions += within
        elif not within and days is not None:
            if days <= period("plan_issue_band").days():
                self.weeks_20_to_52_excluding_exceptions += 1
            else:
                self.over_52_weeks_excluding_exceptions += 1

    def _add_figures(self, other: TimelinessFigures) -> None:
        self.plans_issued += other.plans_issued
        self.within_20_weeks += other.within_20_weeks
        self.with_exceptions += other.with_exceptions
        self.within_20_weeks_with_exceptions += other.within_20_weeks_with_exceptions
        self.weeks_20_to_52_excluding_exceptions += other.weeks_20_to_52_excluding_exceptions
        self.over_52_weeks_excluding_exceptions += other.over_52_weeks_excluding_exceptions

    @property
    def plans_issued_excluding_exceptions(self) -> int:
        """Plans issued with no 20-week exception (the headline denominator)."""
        return self.plans_issued - self.with_exceptions

    @property
    def within_20_weeks_excluding_exceptions(self) -> int:
        """Plans within 20 weeks with no exception (the headline numerator)."""
        return self.within_20_weeks - self.within_20_weeks_with_exceptions

    @property
    def percent_within_20_weeks(self) -> float | None:
        """Percentage within 20 weeks, all plans (None if no plans)."""
        return _pct(self.within_20_weeks, self.plans_issued)

    @property
    def percent_within_20_weeks_excluding_exceptions(self) -> float | None:
        """The DfE headline: percentage within 20 weeks, plans with exceptions left out."""
        return _pct(self.within_20_weeks_excluding_exceptions,
                    self.plans_issued_excluding_exceptions)

    def as_dict(self) -> dict[str, Any]:
        """Counts and percentages as a plain dict (JSON-ready)."""
        return {
            "plans_issued": self.plans_issued,
            "within_20_weeks": self.within_20_weeks,
            "with_exceptions": self.with_exceptions,
            "plans_issued_excluding_exceptions": self.plans_issued_excluding_exceptions,
            "within_20_weeks_excluding_exceptions": self.within_20_weeks_excluding_exceptions,
            "weeks_20_to_52_excluding_exceptions": self.weeks_20_to_52_excluding_exceptions,
            "over_52_weeks_excluding_exceptions": self.over_52_weeks_excluding_exceptions,
            "percent_within_20_weeks": self.percent_within_20_weeks,
            "percent_within_20_weeks_excluding_exceptions":
                self.percent_within_20_weeks_excluding_exceptions,
        }


def _pct(num: int, den: int) -> float | None:
    return None if den == 0 else round(100.0 * num / den, 1)


@dataclass
class Timeliness(TimelinessFigures):
    """Week-20 figures for plans first issued in ``year``, with breakdowns.

    ``by_month`` is keyed by the month of issue (1-12), ``by_la`` by LA code
    and ``by_need_type`` by the primary need code (``"unknown"`` when none is
    recorded).
    """

    year: int = 0
    by_month: dict[int, TimelinessFigures] = field(default_factory=dict)
    by_la: dict[str, TimelinessFigures] = field(default_factory=dict)
    by_need_type: dict[str, TimelinessFigures] = field(default_factory=dict)

    def _count(self, *, issued: date, within: bool, excepted: bool, days: int | None,
               la: str, need: str) -> None:
        self.add(within=within, excepted=excepted, days=days)
        for group in (self.by_month.setdefault(issued.month, TimelinessFigures()),
                      self.by_la.setdefault(la, TimelinessFigures()),
                      self.by_need_type.setdefault(need, TimelinessFigures())):
            group.add(within=within, excepted=excepted, days=days)

    @staticmethod
    def merge(a: Timeliness, b: Timeliness) -> Timeliness:
        """Combine figures computed over two parts of a caseload (same year).

        ```python
        >>> t = Timeliness.merge(Timeliness(year=2026, plans_issued=2),
        ...                      Timeliness(year=2026, plans_issued=3))
        >>> t.plans_issued
        5

        ```
        """
        if a.year != b.year:
            raise InvalidArgument("merge: the figures are for different years")
        out = Timeliness(year=a.year)
        for part in (a, b):
            out._add_figures(part)
            for month, figures in part.by_month.items():
                out.by_month.setdefault(month, TimelinessFigures())._add_figures(figures)
            for mine, theirs in ((out.by_la, part.by_la), (out.by_need_type, part.by_need_type)):
                for key, figures in theirs.items():
                    mine.setdefault(key, TimelinessFigures())._add_figures(figures)
        out.by_month = dict(sorted(out.by_month.items()))
        return out

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per group: ``breakdown`` (total, month, la, need_type), ``group`` and figures."""
        yield {"breakdown": "total", "group": str(self.year), **self.as_dict()}
        for month in sorted(self.by_month):
            yield {"breakdown": "month", "group": str(month), **self.by_month[month].as_dict()}
        for name, table in (("la", self.by_la), ("need_type", self.by_need_type)):
            for key in sorted(table):
                yield {"breakdown": name, "group": key, **table[key].as_dict()}

    def to_pandas(self) -> Any:
        """The :meth:`rows` as a pandas DataFrame (extra ``dataframes``)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtra("Timeliness.to_pandas", "dataframes") from None
        return pd.DataFrame(list(self.rows()))

    def to_polars(self) -> Any:
        """The :meth:`rows` as a polars DataFrame (needs polars installed)."""
        try:
            import polars as pl  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise MissingExtra("Timeliness.to_polars", "dataframes") from None
        return pl.DataFrame(list(self.rows()))


def _la_of(case: Case) -> str:
    if case.responsible_la is not None:
        return str(case.responsible_la)
    if case.child is not None and case.child.responsible_la is not None:
        return str(case.child.responsible_la)
    return UNKNOWN


#: The one rule the Week-20 figures read (SEND Regulations 2014 reg. 13(2)).
_WEEK20 = ("assessment.final_plan",)


def _from_case(result: Timeliness, case: Case, year: int) -> None:
    # Cheap filter first: a plan issued in the year, after a request.
    events = case.events
    if not any(e.type == "final_plan_issued" and e.on.year == year for e in events):
        return
    if not any(e.type == "request_received" for e in events):
        return
    report = evaluate(case, as_of=date(year, 12, 31), rules=_WEEK20, findings=False)
    needs = need_types_of(case)
    need = needs[0] if needs else UNKNOWN
    la = _la_of(case)
    for d in report.deadlines:
        if d.rule_id != "assessment.final_plan" or d.met_on is None or d.met_on.year != year:
            continue
        within = d.due is not None and d.met_on <= d.due
        excepted = d.exception is not None or d.status is Status.DISAPPLIED
        days = (d.met_on - d.started_on).days if d.started_on is not None else None
        result._count(issued=d.met_on, within=within, excepted=excepted, days=days,
                      la=la, need=need)


def _from_return(result: Timeliness, ret: SEN2Return, year: int) -> None:
    la = ret.header.lea
    for person in ret.persons:
        for request in person.requests:
            need = UNKNOWN
            for active in request.active_plans:
                primary = [n.sen_type for n in active.needs if n.sen_type_rank == 1]
                if primary:
                    need = primary[0]
            for a in request.assessment:
                issued = a.assessment_outcome_date
                if a.assessment_outcome != "Y" or issued is None or issued.year != year:
                    continue
                received = request.received_date
                if received is None:
                    continue  # not measurable: no received date
                within = issued <= period("plan_issue").last_day(received)
                result._count(issued=issued, within=within, excepted=bool(a.week20),
                              days=(issued - received).days, la=la, need=need)


def timeliness(
    cases: Iterable[Case] | Iterable[SEN2Return] | SEN2Return, *, year: int
) -> Timeliness:
    """Week-20 figures for EHC plans first issued in calendar year ``year``.

    ``cases`` may be :class:`~sendflow.Case` objects (evaluated with the
    compliance engine's ``assessment.final_plan`` rule) or SEN2 returns (one
    or many, e.g. every LA's), whose ``ReceivedDate``, ``AssessmentOutcomeDate``
    and ``Week20`` give the same figures.

    ```python
    >>> from sendflow import Case
    >>> def case(received, issued):
    ...     return Case.model_validate({"responsible_la": "201", "events": [
    ...         {"type": "request_received", "on": received, "made_by": "parent"},
    ...         {"type": "assessment_decision", "on": received, "outcome": "assess"},
    ...         {"type": "draft_plan_issued", "on": issued},
    ...         {"type": "final_plan_issued", "on": issued}]})
    >>> t = timeliness([case("2026-01-05", "2026-05-25"), case("2026-01-05", "2026-05-26")],
    ...                year=2026)
    >>> t.plans_issued, t.within_20_weeks, t.percent_within_20_weeks_excluding_exceptions
    (2, 1, 50.0)

    ```
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 2014 <= year <= 2100:
        raise InvalidArgument("timeliness: year must be a whole number from 2014 to 2100")
    result = Timeliness(year=year)
    items: Iterable[Any] = [cases] if isinstance(cases, SEN2Return) else cases
    for item in items:
        if isinstance(item, SEN2Return):
            _from_return(result, item, year)
        else:
            _from_case(result, item, year)
    return result
