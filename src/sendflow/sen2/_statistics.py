"""Every figure of the DfE's "Education, health and care plans" release, for one LA's return.

:func:`statistics` counts, from a SEN2 return's person records (or from cases,
through the records :func:`~sendflow.sen2.build_return` would write for them),
the figures the DfE publishes for a reporting year: requests and decisions
within 6 weeks, plans issued and the 20-week measures with their bands and
average weeks, annual reviews and their outcomes, phase transfers, plans
ceased by reason, mediation and tribunal flags, personal budgets and direct
payments, residential and work-based placements.

Each figure is defined in ``sen2/data/statistics.toml``: its DfE definition,
sendflow's reading of it in SEN2 items, and whether that reading was
verified against the DfE's files (see :data:`FIGURES`). ``year`` is the
reporting (collection) year, as in :func:`~sendflow.sen2.build_return`:
``year=2026`` is the January 2026 census, so *flows* are activity in
calendar year 2025 and the *stock* is plans active on 15 January 2026.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

from sendflow.case import Case
from sendflow.errors import InvalidArgument, MissingExtra, RuleDataError
from sendflow.sen2._model import (
    ActivePlan,
    NamedPlan,
    Person,
    PlacementDetail,
    Refused,
    Request,
    SEN2Return,
    census_date,
)
from sendflow.sen2._periods import period

__all__ = ["FIGURES", "Figure", "Figures", "Statistics", "statistics"]

Kind = Literal["count", "percent", "average"]
Basis = Literal["flow", "stock"]
UNKNOWN = "unknown"
_FILE = "sen2/data/statistics.toml"


@dataclass(frozen=True)
class Figure:
    """One published figure: its DfE definition and sendflow's reading of it in SEN2 items."""

    name: str
    kind: Kind
    basis: Basis
    dfe: str
    reading: str
    verified: bool
    numerator: str | None = None
    denominator: str | None = None


@cache
def _figures() -> dict[str, Figure]:
    text = resources.files("sendflow.sen2").joinpath("data/statistics.toml").read_text(
        encoding="utf-8")
    raw = tomllib.loads(text)
    out: dict[str, Figure] = {}
    for i, f in enumerate(raw["figure"]):
        try:
            fig = Figure(**f)
        except TypeError:
            raise RuleDataError(_FILE, f"figure[{i}]", "has a missing or unknown key") from None
        if fig.name in out:
            raise RuleDataError(_FILE, f"figure[{i}]", "repeats a figure name")
        if fig.kind != "count" and (fig.numerator is None or fig.denominator is None):
            raise RuleDataError(_FILE, f"figure[{i}]", "needs a numerator and a denominator")
        out[fig.name] = fig
    for fig in out.values():
        for part in (fig.numerator, fig.denominator):
            if part is not None and part not in out:
                raise RuleDataError(_FILE, fig.name, "names a figure that is not defined")
    return out


#: Every figure :func:`statistics` gives, in the order of the data file.
FIGURES: tuple[Figure, ...] = tuple(_figures().values())

#: The counts this module adds to; checked against the data file at import.
_COUNTED = frozenset(f.name for f in FIGURES if f.kind == "count")


class Figures(Mapping[str, float | int | None]):
    """The figures for one group (the whole return, one month, one need type...).

    A mapping from figure name (see :data:`FIGURES`) to its value: counts are
    ``int``, percentages and averages ``float`` rounded to one decimal, or
    ``None`` when their denominator is 0.
    """

    def __init__(self) -> None:
        self._counts: dict[str, float] = dict.fromkeys(_COUNTED, 0)

    def _add(self, name: str, amount: float = 1) -> None:
        if name not in self._counts:
            raise RuleDataError(_FILE, name, "is counted but not defined")
        self._counts[name] += amount

    def __getitem__(self, name: str) -> float | int | None:
        fig = _figures().get(name)
        if fig is None:
            raise KeyError(name)
        if fig.kind == "count":
            value = self._counts[name]
            return round(value, 1) if name.startswith("weeks_to_issue") else int(value)
        num = self._counts[fig.numerator or ""]
        den = self._counts[fig.denominator or ""]
        if den == 0:
            return None
        return round((100.0 if fig.kind == "percent" else 1.0) * num / den, 1)

    def __iter__(self) -> Iterator[str]:
        return iter(_figures())

    def __len__(self) -> int:
        return len(_figures())

    def merge(self, other: Figures) -> None:
        """Add ``other``'s counts to these (figures of two parts of a caseload)."""
        for k, v in other._counts.items():
            self._counts[k] += v

    def as_dict(self) -> dict[str, float | int | None]:
        """Every figure as a plain dict (JSON-ready)."""
        return {k: self[k] for k in self}


@dataclass
class Statistics:
    """The release's figures for one reporting year, in total and broken down.

    ``by_month`` holds the *flow* figures by the month (1-12) of the date each
    is counted at (request received, decision, issue, cease, phase-transfer
    due date); *stock* figures have no month. ``by_need_type`` is keyed by
    the primary SENtype of the request's active plan and ``by_setting_type``
    by the setting of its rank-1 placement (the SENsetting code, or the group
    given for its URN/UKPRN in ``setting_types``, or ``"URN"``/``"UKPRN"``);
    ``"unknown"`` where the return has none.
    """

    year: int
    la: str | None = None
    total: Figures = field(default_factory=Figures)
    by_month: dict[int, Figures] = field(default_factory=dict)
    by_need_type: dict[str, Figures] = field(default_factory=dict)
    by_setting_type: dict[str, Figures] = field(default_factory=dict)
    #: Cases left out because their person record cannot be built (from cases only;
    #: see :attr:`sendflow.sen2.SEN2Return.refused`): by position and item, never value.
    refused: tuple[Refused, ...] = ()

    @property
    def period(self) -> tuple[date, date]:
        """The calendar year of the flows."""
        return date(self.year - 1, 1, 1), date(self.year - 1, 12, 31)

    def __getitem__(self, name: str) -> float | int | None:
        return self.total[name]

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per group: ``breakdown`` (total, month, need_type, setting_type), ``group``
        and the figures."""
        yield {"breakdown": "total", "group": str(self.year), **self.total.as_dict()}
        for month in sorted(self.by_month):
            yield {"breakdown": "month", "group": str(month), **self.by_month[month].as_dict()}
        for name, table in (("need_type", self.by_need_type),
                            ("setting_type", self.by_setting_type)):
            for key in sorted(table):
                yield {"breakdown": name, "group": key, **table[key].as_dict()}

    def to_pandas(self) -> Any:
        """The :meth:`rows` as a pandas DataFrame (extra ``dataframes``)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtra("Statistics.to_pandas", "dataframes") from None
        return pd.DataFrame(list(self.rows()))

    def to_polars(self) -> Any:
        """The :meth:`rows` as a polars DataFrame (extra ``dataframes``)."""
        try:
            import polars as pl  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise MissingExtra("Statistics.to_polars", "dataframes") from None
        return pl.DataFrame(list(self.rows()))


# ------------------------------------------------------------------------ counting
_DP = {"E": "education", "S": "social_care", "H": "health", "I": "integrated"}
_RES = {"A": "residential_38_to_51_weeks", "B": "residential_52_weeks"}
_WBP = {"A": "work_based_apprenticeship", "T": "work_based_traineeship",
        "S": "work_based_supported_internship"}
_OUTCOME = {"A": "review_outcome_amend", "M": "review_outcome_maintain",
            "C": "review_outcome_cease"}


class _Counter:
    def __init__(self, stats: Statistics, start: date, end: date) -> None:
        self.stats, self.start, self.end = stats, start, end

    def in_year(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end

    def add(self, name: str, on: date | None, need: str, setting: str,
            amount: float = 1) -> None:
        s = self.stats
        groups = [s.total, s.by_need_type.setdefault(need, Figures()),
                  s.by_setting_type.setdefault(setting, Figures())]
        if on is not None:
            groups.append(s.by_month.setdefault(on.month, Figures()))
        for g in groups:
            g._add(name, amount)


def _primary(active: ActivePlan | None) -> PlacementDetail | None:
    if active is None or not active.placements:
        return None
    ranked = sorted(active.placements, key=lambda p: p.placement_rank or 9)
    return ranked[0]


def _setting_of(active: ActivePlan | None, setting_types: Mapping[str, str]) -> str:
    p = _primary(active)
    if p is None:
        return UNKNOWN
    if p.sen_setting:
        return p.sen_setting
    for ident, label in ((p.urn, "URN"), (p.ukprn, "UKPRN")):
        if ident:
            return setting_types.get(ident, label)
    return UNKNOWN


def _need_of(active: ActivePlan | None) -> str:
    if active is None:
        return UNKNOWN
    primary = [n.sen_type for n in active.needs if n.sen_type_rank in (1, None)]
    return primary[0] if primary else UNKNOWN


def _plan_of(request: Request) -> NamedPlan | None:
    for a in request.assessment:
        for plan in a.named_plan:
            return plan
    return None


def _count_request(c: _Counter, r: Request, census: date,
                   setting_types: Mapping[str, str]) -> None:
    active = r.active_plans[0] if r.active_plans else None
    need, setting = _need_of(active), _setting_of(active, setting_types)

    def add(name: str, on: date | None, amount: float = 1) -> None:
        c.add(name, on, need, setting, amount)

    received = r.received_date
    if c.in_year(received):
        add("requests", received)
        add("request_mediation", received, bool(r.request_mediation))
        add("request_tribunal", received, bool(r.request_tribunal))
    decided = r.request_outcome_date
    if r.request_outcome in ("Y", "N") and decided is not None and c.in_year(decided):
        add("request_decisions", decided)
        add("requests_assessed" if r.request_outcome == "Y" else "requests_refused", decided)
        if received is not None and decided <= period("request_decision").last_day(received):
            add("request_decisions_within_6_weeks", decided)
    for a in r.assessment:
        done = a.assessment_outcome_date
        if a.assessment_outcome not in ("Y", "N") or done is None or not c.in_year(done):
            continue
        add("assessments_completed", done)
        for flag in ("assessment_mediation", "assessment_tribunal",
                     "other_mediation", "other_tribunal"):
            add(flag, done, bool(getattr(a, flag)))
        if a.assessment_outcome == "N":
            add("assessments_not_issued", done)
            continue
        add("plans_issued", done)
        if received is None:
            continue
        days = (done - received).days
        excepted = bool(a.week20)
        within = done <= period("plan_issue").last_day(received)
        band = ("" if within else "plans_20_to_52_weeks"
                if done <= period("plan_issue_band").last_day(received)
                else "plans_over_52_weeks")
        add("plans_timed", done)
        add("weeks_to_issue_total", done, days / 7)
        add("plans_within_20_weeks", done, within)
        if band:
            add(band, done)
        if excepted:
            add("plans_with_exceptions", done)
        else:
            add("plans_timed_excluding_exceptions", done)
            add("weeks_to_issue_total_excluding_exceptions", done, days / 7)
            add("plans_within_20_weeks_excluding_exceptions", done, within)
            if band:
                add(band + "_excluding_exceptions", done)
    plan = _plan_of(r)
    if plan is not None and c.in_year(plan.cease_date):
        add("plans_ceased", plan.cease_date)
        if plan.cease_reason in {str(i) for i in range(1, 10)}:
            add(f"ceased_reason_{plan.cease_reason}", plan.cease_date)
    if active is None or (plan is not None and plan.cease_date is not None
                          and plan.cease_date <= census):
        return
    _count_active(add, c, active, plan)


def _count_active(add: Any, c: _Counter, active: ActivePlan, plan: NamedPlan | None) -> None:
    add("active_plans", None)
    if plan is not None:
        if plan.pb:
            add("personal_budgets", None)
        if plan.oa:
            add("personal_budgets_organised_arrangements", None)
        if plan.dp in _DP:
            add(f"direct_payments_{_DP[plan.dp or '']}", None)
    place = _primary(active)
    res = (place.res if place is not None else None) or active.res or (
        plan.plan_res if plan is not None else None)
    wbp = (place.wbp if place is not None else None) or active.wbp or (
        plan.plan_wbp if plan is not None else None)
    if res in _RES:
        add(_RES[res or ""], None)
    if wbp in _WBP:
        add(_WBP[wbp or ""], None)
    # Annual reviews (CFA 2014 s. 44(1)): a review falls due in the year on the plan's
    # anniversary there, for every plan made before the year (sendflow's reading).
    start = plan.start_date if plan is not None else None
    if start is not None and start.year < c.start.year:
        interval = period("review_interval")
        anniversary = interval.shifted(start, c.start.year - start.year)
        add("reviews_expected", None)
        last = active.last_review
        if last is not None and c.in_year(last):
            add("reviews_completed", None)
            add(_OUTCOME.get(active.review_outcome or "", "review_outcome_none"), None)
            meeting = active.review_meeting
            if meeting is not None:
                add("review_decisions_timed", None)
                if last <= period("review_decision").last_day(meeting):
                    add("review_decisions_within_4_weeks", None)
        elif last is not None and interval.shifted(anniversary, -1) < last < c.start:
            add("reviews_completed_before_year", None)
        else:
            add("reviews_not_completed", None)
    due = active.phase_transfer_due_date
    if c.in_year(due):
        add("phase_transfers_due", due)
        final = active.phase_transfer_final_date
        if final is not None and due is not None and final <= due:
            add("phase_transfers_final_by_deadline", due)


def _count(stats: Statistics, persons: Iterable[Person], setting_types: Mapping[str, str]) -> None:
    start, end = stats.period
    c = _Counter(stats, start, end)
    census = census_date(stats.year)
    for person in persons:
        for r in person.requests:
            _count_request(c, r, census, setting_types)


def _truncated(case: Case, census: date) -> Case:
    """The case as it stood on the census date (later events are not the year's data)."""
    if all(e.on <= census for e in case.events):
        return case
    data = case.model_dump(mode="json")
    data["events"] = [e.model_dump(mode="json") for e in case.events if e.on <= census]
    return Case.model_validate(data)


def statistics(
    cases_or_return: SEN2Return | Iterable[Case],
    *,
    year: int | None = None,
    setting_types: Mapping[str, str] | None = None,
) -> Statistics:
    """The DfE's published figures for reporting year ``year``, from a return or cases.

    Args:
        cases_or_return: a :class:`~sendflow.sen2.SEN2Return` (``year`` defaults
            to its own) or one LA's cases (``year`` defaults to the collection
            year of :func:`~sendflow.sen2.to_cases`'s cases), which are first cut at the census
            date (events after it are not the year's data) and turned into the
            person records :func:`~sendflow.sen2.build_return` would write
            (no header is needed to count); a case whose record cannot be built
            is not counted and is listed in :attr:`Statistics.refused`.
        year: the reporting year: figures for activity in calendar year
            ``year - 1`` and plans active at the January ``year`` census.
        setting_types: optional URN/UKPRN → setting-type label (e.g. from GIAS
            establishment types) for ``by_setting_type``.

    Raises:
        InvalidArgument: no year for cases, or a year other than the return's
            (a return holds only its own year's data).

    Each figure's DfE definition and sendflow's reading are in :data:`FIGURES`.

    ```python
    >>> from sendflow import Case
    >>> case = Case.model_validate({"responsible_la": "201", "events": [
    ...     {"type": "request_received", "on": "2025-02-03", "made_by": "parent"},
    ...     {"type": "assessment_decision", "on": "2025-03-10", "outcome": "assess"},
    ...     {"type": "draft_plan_issued", "on": "2025-05-19"},
    ...     {"type": "final_plan_issued", "on": "2025-06-16"}]})
    >>> s = statistics([case], year=2026)
    >>> s["requests"], s["percent_request_decisions_within_6_weeks"], s["plans_issued"]
    (1, 100.0, 1)
    >>> s["average_weeks_to_issue"]
    19.0

    ```
    """
    if isinstance(cases_or_return, SEN2Return):
        ret = cases_or_return
        if year is None:
            year = ret.year
        elif year != ret.year:
            raise InvalidArgument("statistics: a return holds only its own collection year")
        la: str | None = ret.header.lea
        persons: Iterable[Person] = ret.persons
        refused = ret.refused
    else:
        from sendflow.sen2._tocases import ReturnCases

        if year is None and isinstance(cases_or_return, ReturnCases):
            year = cases_or_return.year  # the cases of a return: its collection year
        if isinstance(year, bool) or not isinstance(year, int):
            raise InvalidArgument("statistics: year must be given as a whole number for cases")
        from sendflow.sen2._build import _persons

        census = census_date(year)
        cases = [_truncated(c, census) for c in cases_or_return]
        # Counted from the person records the cases give; no return (and so no
        # header, whose DMO/DCO only the LA can supply) is built.
        left_out: list[Refused] = []
        la, persons = _persons(cases, year=year, la=None, refused=left_out)
        refused = tuple(left_out)
    census_date(year)  # an unknown collection year is an error
    stats = Statistics(year=year, la=la, refused=refused)
    _count(stats, persons, setting_types or {})
    stats.by_month = dict(sorted(stats.by_month.items()))
    return stats
