"""Cases from a SEN2 return, so an LA can check its statutory deadlines on data it holds.

:func:`to_cases` turns each request of a return (XML or Blade CSV) into a
:class:`~sendflow.case.Case` whose events are the dates the return holds,
and nothing else. Where the return lacks the history before a date, the case
opens part-way with ``record_opened`` and the return's dates as anchors
(:mod:`sendflow.workflows.opening`). Evaluate the cases with
:attr:`ReturnCases.recorded` (``sendflow.recording.SEN2`` less the events a
return does not date), so that a deadline met by a step the return cannot
hold (a draft plan, a review invitation, an amended plan) is
``not_recorded``, never overdue. :attr:`ReturnCases.as_of` is the census
date, the day the return describes.

Which item becomes which event (sendflow's readings where the return is
silent are marked *reading*):

- Person (module 1), SENneed (5c) and the rank-1 placement's URN or UKPRN
  (5b): ``case.child``;
- ReceivedDate and RequestSource: ``request_received`` (``made_by``: 1 the
  parent, or the young person from 16; 2-5 as coded), or the anchors
  ``request_received_on`` and ``request_made_by`` of ``record_opened``;
- RequestOutcome Y / N with its date: ``assessment_decision`` assess /
  refuse; A: the request alone (the decision is awaited);
- RequestOutcome W, AssessmentOutcome W: ``request_withdrawn`` dated the day
  of the request or of the decision (*reading*: the return gives no date, so
  no deadline is judged on a withdrawn request);
- AssessmentOutcome N with its date: ``no_plan_notice_sent``;
- AssessmentOutcome Y with its date (the plan issued): ``record_opened`` in
  ``plan_issued`` with the request, decision and plan dates as anchors (the
  draft plan's date is not in the return); Y with no date: ``record_opened``
  in ``draft_issued`` on the census date;
- RequestOutcome / AssessmentOutcome H: ``record_opened`` in a plan state,
  StartDate as ``plan_made_on``;
- Week20 = 1: ``exception_recorded`` against ``assessment.final_plan`` from
  the request's date (*reading*: the return does not say which ground of
  reg. 13(3) applied; recorded as exceptional personal circumstances,
  reg. 10(4)(c));
- LastReview with ReviewMeeting and ReviewOutcome in the year (2024 on):
  ``review_meeting_held`` and ``review_decision`` (amend / maintain /
  cease), the record opening on the meeting day; LastReview otherwise: the
  anchor ``last_review_on``;
- CeaseDate: ``plan_ceased``.

What a return cannot tell, so is never judged: when a withdrawn request was
withdrawn; the draft plan's date (so the draft-plan deadlines are
``not_recorded``); the review before the one in the year (a plan reviewed in
the year whose making is more than a year before the meeting opens without
``plan_made_on``, so the review's own 12-month deadline is not assessed,
rather than reported from the plan's date as if no review had happened since);
when a plan was transferred in (``TransferLA`` has no date, so the reg. 15
deadlines are not judged); phase transfers (the return gives the deadline,
not the move; :func:`~sendflow.sen2.statistics` counts them) and the
draft amended plan (``ReviewDraft``). Those items, when given, are listed in
:attr:`ReturnCases.unkept` by location. Items that are not dates of a
statutory step are not carried by cases at all (:data:`NOT_CARRIED`); each
one a record holds is listed in :attr:`ReturnCases.unkept` by location too
(made from the same table), so nothing a round trip would drop goes unsaid.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from pydantic import ValidationError

from sendflow.calendar import add_months
from sendflow.case import Case
from sendflow.sen2._model import ActivePlan, Person, Request, SEN2Return, census_date

__all__ = ["NOT_CARRIED", "ReturnCases", "Unkept", "to_cases"]

@dataclass(frozen=True)
class _Lost:
    """One row of the table of items no case carries: module, SEN2 item, model field."""

    module: str
    item: str
    field: str
    #: When only some values are lost, the words that say which (the test is :meth:`lost`).
    only: str = ""

    def lost(self, module: Any, carried: bool) -> bool:
        """Whether this module's value for the item is not carried (``carried``: whether
        the module is the placement the case's setting is read from)."""
        value = getattr(module, self.field)
        if value is None:
            return False
        if self.field == "placement_rank":
            return bool(value != 1)
        if self.field == "ukprn":
            return module.urn is not None or not carried
        if self.field == "gender_current":
            return value not in _SEX_2023 or not carried
        return True

    @property
    def name(self) -> str:
        return f"{self.module}.{self.item}" + (f" ({self.only})" if self.only else "")


#: The one table of SEN2 items no case carries (they are not dates of a statutory step,
#: or the case model has no place for them): :func:`to_cases` lists each one a record
#: holds in :attr:`ReturnCases.unkept`, and :data:`NOT_CARRIED` names them.
_LOST: tuple[_Lost, ...] = (
    _Lost("Person", "GenderCurrent", "gender_current", "0 and 9; any from 2024"),
    _Lost("Request", "RYA", "rya"),
    _Lost("Request", "RequestMediation", "request_mediation"),
    _Lost("Request", "RequestTribunal", "request_tribunal"),
    _Lost("Request", "Exported", "exported"),
    _Lost("Assessment", "AssessmentMediation", "assessment_mediation"),
    _Lost("Assessment", "AssessmentTribunal", "assessment_tribunal"),
    _Lost("Assessment", "OtherMediation", "other_mediation"),
    _Lost("Assessment", "OtherTribunal", "other_tribunal"),
    _Lost("NamedPlan", "PlanRes", "plan_res"),
    _Lost("NamedPlan", "PlanWBP", "plan_wbp"),
    _Lost("NamedPlan", "PB", "pb"),
    _Lost("NamedPlan", "OA", "oa"),
    _Lost("NamedPlan", "DP", "dp"),
    _Lost("NamedPlan", "CeaseReason", "cease_reason"),
    _Lost("PlanDetail", "SENSetting", "sen_setting"),
    _Lost("PlanDetail", "SENSettingOther", "sen_setting_other"),
    _Lost("PlanDetail", "PlacementRank", "placement_rank", "other than 1"),
    _Lost("PlanDetail", "SENunitIndicator", "sen_unit_indicator"),
    _Lost("PlanDetail", "ResourcedProvisionIndicator", "resourced_provision_indicator"),
    _Lost("ActivePlans", "Res", "res"),
    _Lost("ActivePlans", "WBP", "wbp"),
    _Lost("PlacementDetail", "UKPRN", "ukprn", "beside a URN"),
    _Lost("PlacementDetail", "SENSetting", "sen_setting"),
    _Lost("PlacementDetail", "SENSettingOther", "sen_setting_other"),
    _Lost("PlacementDetail", "PlacementRank", "placement_rank", "other than 1"),
    _Lost("PlacementDetail", "EntryDate", "entry_date"),
    _Lost("PlacementDetail", "LeavingDate", "leaving_date"),
    _Lost("PlacementDetail", "AttendancePattern", "attendance_pattern"),
    _Lost("PlacementDetail", "SENunitIndicator", "sen_unit_indicator"),
    _Lost("PlacementDetail", "ResourcedProvisionIndicator", "resourced_provision_indicator"),
    _Lost("PlacementDetail", "Res", "res"),
    _Lost("PlacementDetail", "WBP", "wbp"),
)

#: SEN2 items no case carries: counted by :func:`~sendflow.sen2.statistics` from the
#: return itself, never judged by the compliance engine. Each one a record holds is
#: listed, by location, in :attr:`ReturnCases.unkept` (made from the same table).
NOT_CARRIED: tuple[str, ...] = (
    *(row.name for row in _LOST),
    "PlanDetail (the second)",
    "PlacementDetail (all but the rank-1 one with a URN or UKPRN)",
)
_NOT_CARRIED_REASON = "not carried (no case holds it; see sen2.NOT_CARRIED)"


@dataclass(frozen=True)
class Unkept:
    """An item of the return that :func:`to_cases` could not carry, by location.

    ``location`` is a path such as ``Person[3].Requests[0].ActivePlans[0].TransferLA``;
    ``reason`` says why. Neither ever holds the item's value.
    """

    location: str
    reason: str
    #: Whether the whole request was left out (no case made from it).
    left_out: bool = False

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class ReturnCases(Sequence[Case]):
    """The cases of a SEN2 return: one per request, in the return's order.

    A sequence of :class:`~sendflow.case.Case`; :attr:`locations` gives each
    case's request (``Person[i].Requests[j]``), :attr:`unkept` what could not
    be carried, :attr:`as_of` the census date to evaluate them on.
    """

    def __init__(self, cases: Sequence[Case], locations: Sequence[str],
                 unkept: Sequence[Unkept], year: int) -> None:
        self._cases = tuple(cases)
        self.locations: tuple[str, ...] = tuple(locations)
        self.unkept: tuple[Unkept, ...] = tuple(unkept)
        self.year = year

    @property
    def recorded(self) -> frozenset[str]:
        """What to evaluate the cases with: :data:`sendflow.recording.SEN2` less the events
        no case from a return holds (the return does not date a transfer in, a phase
        transfer or an amended plan), so the deadlines they would meet are
        ``not_recorded``, never overdue."""
        from sendflow import recording

        return recording.SEN2 - _NEVER_FROM_A_RETURN

    @property
    def as_of(self) -> date:
        """The census date of the return's collection: the day the return describes."""
        return census_date(self.year)

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Case]: ...
    def __getitem__(self, index: int | slice) -> Case | Sequence[Case]:
        return self._cases[index]

    def __len__(self) -> int:
        return len(self._cases)

    def __iter__(self) -> Iterator[Case]:
        return iter(self._cases)

    def __repr__(self) -> str:
        return (f"ReturnCases(year={self.year}, cases={len(self._cases)}, "
                f"unkept={len(self.unkept)})")


#: Events of the SEN2 profile that :func:`to_cases` never gives (see ReturnCases.recorded).
_NEVER_FROM_A_RETURN = frozenset({"plan_transferred", "phase_transfer_scheduled",
                                  "amended_plan_issued"})
_MADE_BY = {"2": "school_or_setting", "3": "health_professional",
            "4": "social_care_professional", "5": "other"}
_REVIEW_OUTCOME = {"A": "amend", "M": "maintain", "C": "cease"}
_SEX_2023 = {"1": "M", "2": "F"}
#: Week20 = 1 gives no ground; sendflow records reg. 10(4)(c) (see the module text).
_WEEK20_GROUND = "exceptional_personal_circumstances"


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Reader:
    def __init__(self, ret: SEN2Return) -> None:
        self.year = ret.year
        self.census = census_date(ret.year)
        self.start = date(ret.year - 1, 1, 1)
        self.unkept: list[Unkept] = []
        self.made_by: str | None = None

    def note(self, where: str, reason: str, left_out: bool = False) -> None:
        self.unkept.append(Unkept(where, reason, left_out))

    def lost(self, module_name: str, module: Any, where: str, carried: bool = True) -> None:
        """Note each item of ``module`` in the table of items no case carries."""
        for row in _LOST:
            if row.module == module_name and row.lost(module, carried):
                self.note(f"{where}.{row.item}", _NOT_CARRIED_REASON)

    # ------------------------------------------------------------ module 1
    def child(self, p: Person, where: str) -> dict[str, Any] | None:
        if p.birth_date is None:
            self.note(f"{where}.PersonBirthDate", "is blank: the person's items are not "
                      "carried (a child record needs the date of birth)")
            return None
        self.lost("Person", p, where, carried=self.year < 2024)
        sex = p.sex if self.year >= 2024 else _SEX_2023.get(p.gender_current or "")
        data: dict[str, Any] = {
            "date_of_birth": p.birth_date, "person_id": p.person_id,
            "family_name": p.surname, "given_name": p.forename, "sex": sex,
            "ethnicity": p.ethnicity, "postcode": p.postcode, "upn": p.upn, "uln": p.uln,
            "upn_unknown": p.upn_unknown,
        }
        return {k: v for k, v in data.items() if v is not None}

    def placed(self, child: dict[str, Any], act: ActivePlan | None, where: str) -> None:
        if act is None:
            return
        if act.needs:
            child["needs"] = {"needs": [{"need_type": n.sen_type, "rank": n.sen_type_rank or 1}
                                        for n in act.needs]}
        kept = _placement_kept(act)
        if kept is not None:
            first = act.placements[kept]
            if first.urn:
                child["setting_urn"] = first.urn
            else:
                child["setting_ukprn"] = first.ukprn

    def checked_child(self, child: dict[str, Any], where: str) -> dict[str, Any] | None:
        """The child's items that validate; each that does not is left out and noted."""
        from sendflow.people import ChildOrYoungPerson

        names = {"family_name": "Surname", "given_name": "Forename", "sex": "Sex",
                 "ethnicity": "Ethnicity", "postcode": "PostCode", "upn": "UPN",
                 "uln": "UniqueLearnerNumber", "upn_unknown": "UPNunknown",
                 "needs": "SENneed", "setting_urn": "PlacementDetail.URN",
                 "setting_ukprn": "PlacementDetail.UKPRN", "person_id": "PersonID"}
        for _ in range(len(child)):
            try:
                ChildOrYoungPerson.model_validate(child)
            except ValidationError as exc:
                loc = exc.errors(include_input=False, include_url=False)[0]["loc"]
                field = str(loc[0]) if loc else ""
                if field not in child or field == "date_of_birth":
                    self.note(where, "the person's items do not make a valid child record")
                    return None
                self.note(f"{where}.{names.get(field, field)}", "is not valid: not carried")
                del child[field]
                continue
            return child
        return None

    # ---------------------------------------------------------- modules 2-5
    def events(self, r: Request, born: date | None, where: str) -> list[dict[str, Any]]:
        events = self._events(r, born, where)
        first = events[0] if events else {}
        if (first.get("type") == "record_opened" and first.get("request_received_on")
                and self.made_by is not None):
            first["request_made_by"] = self.made_by  # who made the request, as recorded
        return events

    def _events(self, r: Request, born: date | None, where: str) -> list[dict[str, Any]]:
        rec, dec, ro = r.received_date, r.request_outcome_date, r.request_outcome
        a = r.assessment[0] if r.assessment else None
        ao = a.assessment_outcome if a is not None else None
        ad = a.assessment_outcome_date if a is not None else None
        plan = a.named_plan[0] if a is not None and a.named_plan else None
        act = r.active_plans[0] if r.active_plans else None
        self._unkept_items(r, act, where)
        made_by = _MADE_BY.get(r.request_source or "", "other")
        if r.request_source is None and self.year >= 2025 and ro != "H":
            self.note(f"{where}.RequestSource", "is blank: the request is read as made by "
                      "'other' (code 5)")
        if r.request_source == "1":
            made_by = "young_person" if born and rec and _age(born, rec) >= 16 else "parent"
        self.made_by = made_by if r.request_source is not None else None
        request = {"type": "request_received", "on": rec, "made_by": made_by}
        exception = ([{"type": "exception_recorded", "on": rec, "ground": _WEEK20_GROUND,
                       "rules": ["assessment.final_plan"]}]
                     if a is not None and a.week20 and rec is not None else [])
        has_plan = ao == "H" or plan is not None or (ao == "Y" and ad is not None)
        if ro in ("Y", "N") and dec is None:
            self.note(f"{where}.RequestOutcomeDate", "is blank: the decision is not judged")
            ro = "A"
        if ro != "H" and rec is None:
            self.note(where, "ReceivedDate is blank: the request cannot become a case",
                      left_out=True)
            return []
        if ro == "A":
            return [request]
        if ro == "W":
            return [request, {"type": "request_withdrawn", "on": rec}]
        if ro == "N":
            return [request, {"type": "assessment_decision", "on": dec, "outcome": "refuse"}]
        anchors: dict[str, Any] = {"request_received_on": rec}
        if ro == "Y":
            decided = {"type": "assessment_decision", "on": dec, "outcome": "assess"}
            anchors["decision_on"] = dec
            if not has_plan:
                if ao == "N" and ad is not None:
                    return [request, decided, {"type": "no_plan_notice_sent", "on": ad}]
                if ao == "W":
                    return [request, decided, {"type": "request_withdrawn", "on": dec}]
                if ao == "Y":
                    return [self._opened(self.census, "draft_issued", anchors)]
                return [request, decided]
        else:  # H: the decision was made before the period; its date is not returned
            if not has_plan:
                if ao == "N" and ad is not None:
                    return [self._opened(ad, "plan_refused", anchors)]
                if ao == "W":
                    on = max(rec, self.start) if rec is not None else self.start
                    return [self._opened(on, "assessing", anchors),
                            {"type": "request_withdrawn", "on": on}]
                state = "draft_issued" if ao == "Y" else "assessing"
                return [self._opened(self.census, state, anchors)]
        made = plan.start_date if plan is not None and plan.start_date else (
            ad if ao == "Y" else None)
        return [*self._plan(anchors, made, plan, act, where), *exception]

    def _opened(self, on: date, state: str, anchors: dict[str, Any]) -> dict[str, Any]:
        given = {k: v for k, v in anchors.items() if v is not None}
        return {"type": "record_opened", "on": on, "state": state, **given}

    def _plan(self, anchors: dict[str, Any], made: date | None, plan: Any,
              act: ActivePlan | None, where: str) -> list[dict[str, Any]]:
        last = act.last_review if act is not None else None
        meeting = act.review_meeting if act is not None else None
        outcome = act.review_outcome if act is not None else None
        tail: list[dict[str, Any]] = []
        ref = plan.cease_date if plan is not None and plan.cease_date else self.census
        if act is None and made is not None and made < add_months(ref, -12):
            # No ActivePlans record, so no LastReview: the plan's reviews cannot be in the
            # return, and a review clock from the plan's date would report them as missed.
            self.note(f"{where}.Assessment[0].NamedPlan[0].StartDate",
                      "not carried: the plan has no ActivePlans record, so the return "
                      "cannot date its reviews")
            made = None
        if (last is not None and meeting is not None and outcome in _REVIEW_OUTCOME
                and meeting <= last and last >= self.start and self.year >= 2024):
            # The review in the year, with its meeting: judged (decision within 4 weeks).
            # The review before it is not in the return: a plan made more than a year
            # before the meeting opens without plan_made_on (see the module text).
            if made is not None and made < add_months(meeting, -12):
                self.note(f"{where}.Assessment[0].NamedPlan[0].StartDate",
                          "not carried: the plan was reviewed before the review in the "
                          "year, and the return does not date that review")
                made = None
            opened = self._opened(meeting, "plan_issued", {**anchors, "plan_made_on": made})
            tail = [{"type": "review_meeting_held", "on": meeting},
                    {"type": "review_decision", "on": last,
                     "outcome": _REVIEW_OUTCOME[outcome or ""]}]
        else:
            if meeting is not None or outcome is not None:
                self.note(f"{where}.ActivePlans[0].ReviewMeeting",
                          "not carried: the review is read from LastReview alone (no meeting "
                          "or outcome in the year to judge it by)")
            state = "plan_maintained" if last is not None else "plan_issued"
            dates = [d for d in (*anchors.values(), made, last) if d is not None]
            on = max(dates) if dates else self.start
            opened = self._opened(on, state, {**anchors, "plan_made_on": made,
                                              "last_review_on": last})
        if plan is not None and plan.cease_date is not None:
            tail.append({"type": "plan_ceased", "on": plan.cease_date})
        return [opened, *tail]

    def _unkept_items(self, r: Request, act: ActivePlan | None, where: str) -> None:
        self.lost("Request", r, where)
        for a in r.assessment:  # at most one (the schema's maxOccurs)
            self.lost("Assessment", a, f"{where}.Assessment[0]")
            for plan in a.named_plan:
                at = f"{where}.Assessment[0].NamedPlan[0]"
                self.lost("NamedPlan", plan, at)
                for k, detail in enumerate(plan.plan_detail):
                    if k == 0:
                        self.lost("PlanDetail", detail, f"{at}.PlanDetail[0]")
                    elif _holds(detail):
                        self.note(f"{at}.PlanDetail[{k}]", _NOT_CARRIED_REASON)
        if act is None:
            return
        at = f"{where}.ActivePlans[0]"
        self.lost("ActivePlans", act, at)
        if act.transfer_la is not None:
            self.note(f"{at}.TransferLA", "not carried: the return does not date the transfer, "
                      "so the deadlines that run from it (reg. 15) are not judged")
        for item, value in (("ReviewDraft", act.review_draft),
                            ("PhaseTransferDueDate", act.phase_transfer_due_date),
                            ("PhaseTransferFinalDate", act.phase_transfer_final_date)):
            if value is not None:
                self.note(f"{at}.{item}", "not carried (counted by sen2.statistics, not judged)")
        kept = _placement_kept(act)
        for k, placed in enumerate(act.placements):
            if k == kept:
                self.lost("PlacementDetail", placed, f"{at}.PlacementDetail[{k}]")
            elif _holds(placed):
                self.note(f"{at}.PlacementDetail[{k}]", "not carried: a case holds only the "
                          "rank-1 placement's URN or UKPRN")


def _holds(module: Any) -> bool:
    """Whether a module holds a value for any item."""
    return any(v is not None and v != () for v in module.model_dump().values())


def _placement_kept(act: ActivePlan) -> int | None:
    """The index of the placement whose URN or UKPRN the case's child carries, if any."""
    if not act.placements:
        return None
    k = min(range(len(act.placements)), key=lambda i: act.placements[i].placement_rank or 9)
    first = act.placements[k]
    return k if first.urn or first.ukprn else None


def to_cases(ret: SEN2Return) -> ReturnCases:
    """The cases a SEN2 return holds: one per request, to check statutory deadlines on.

    Evaluate them as of the census date with what a SEN2 return records::

        cases = sen2.to_cases(ret)
        reports = [evaluate(c, as_of=cases.as_of, recorded=cases.recorded) for c in cases]

    (:attr:`ReturnCases.recorded` is :data:`sendflow.recording.SEN2` less the
    events a return does not date.)

    Never raises on a request it cannot carry: the request is left out and
    listed in :attr:`ReturnCases.unkept` with its location (never a value),
    as is every item it carries only in part. Each case's ``reference`` is
    the person's key, so :func:`~sendflow.sen2.build_return` puts the
    requests of one person back in one person record.

    ```python
    >>> from datetime import date
    >>> from sendflow import evaluate
    >>> from sendflow.sen2 import Header, Person, Request, SEN2Return
    >>> ret = SEN2Return(
    ...     header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"),
    ...     persons=(Person(person_id="P1", birth_date=date(2015, 3, 1), requests=(
    ...         Request(received_date=date(2025, 10, 6), request_outcome="A"),)),))
    >>> cases = to_cases(ret)
    >>> report = evaluate(cases[0], as_of=cases.as_of, recorded=cases.recorded)
    >>> d = next(d for d in report.deadlines if d.rule_id == "assessment.decision")
    >>> d.due, d.status.value
    (datetime.date(2025, 11, 17), 'overdue')

    ```
    """
    reader = _Reader(ret)
    cases: list[Case] = []
    locations: list[str] = []
    la = ret.header.lea
    for i, person in enumerate(ret.persons):
        where = f"Person[{i}]"
        base = reader.child(person, where)
        if base is not None:
            base = reader.checked_child(base, where)
        for j, r in enumerate(person.requests):
            rw = f"{where}.Requests[{j}]"
            events = reader.events(r, person.birth_date, rw)
            if not events:
                continue
            child = None
            if base is not None:
                data = dict(base)
                reader.placed(data, r.active_plans[0] if r.active_plans else None, rw)
                child = reader.checked_child(data, rw)
            try:
                case = Case.model_validate({"reference": person.person_id,
                                            "responsible_la": la, "child": child,
                                            "events": events})
            except ValidationError as exc:
                msg = exc.errors(include_input=False, include_url=False)[0]["msg"]
                reader.note(rw, f"the request's dates do not make a valid history ({msg})"[:300],
                            left_out=True)
                continue
            cases.append(case)
            locations.append(rw)
    return ReturnCases(cases, locations, reader.unkept, ret.year)
