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

- Person (module 1), SENneed (5c) and every placement (5b): ``case.child``
  (``settings_attended``, one :class:`~sendflow.people.SettingAttended` each; the
  rank-1 placement's URN or UKPRN also ``setting_urn`` / ``setting_ukprn``);
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
- CeaseDate: ``plan_ceased``, CeaseReason its ``reason``
  (:class:`~sendflow.workflows.review.CeaseReason`, from ``codes.toml``);
- PlanDetail (at most 2): ``named_settings`` of the plan's ``record_opened``
  (:class:`~sendflow.plan.Placement` each);
- every other item (mediation and tribunal flags, RYA, Exported, PlanRes, PlanWBP, PB,
  OA, DP, TransferLA, ReviewDraft, the phase-transfer dates, Res and WBP of 2023,
  GenderCurrent, and a StartDate, ReviewMeeting or ReviewOutcome the case does not
  judge by): the ``sen2`` record (:class:`~sendflow.returns.SEN2Items`) of the request's
  first event, which the compliance engine never reads.

What a return cannot tell, so is never judged: when a withdrawn request was
withdrawn; the draft plan's date (so the draft-plan deadlines are
``not_recorded``); the review before the one in the year (a plan reviewed in
the year whose making is more than a year before the meeting opens without
``plan_made_on``, so the review's own 12-month deadline is not assessed,
rather than reported from the plan's date as if no review had happened since;
its StartDate is carried in ``sen2``); when a plan was transferred in
(``TransferLA`` has no date, so the reg. 15 deadlines are not judged); phase
transfers (the return gives the deadline, not the move;
:func:`~sendflow.sen2.statistics` counts them) and the draft amended plan
(``ReviewDraft``). Those items are carried, un-judged, in ``sen2``, so
:func:`~sendflow.sen2.build_return` writes them back.

Every item of the model has a home, so :data:`NOT_CARRIED` is empty. What a given
return still cannot carry is listed in :attr:`ReturnCases.unkept` by location,
never by value: a value that is not valid (a code no code set has, a URN of the
wrong shape), an item the year's collection does not have, a record the request's
outcome leaves no place for (an assessment of a request refused, ActivePlans with
no plan), and blanks :func:`~sendflow.sen2.build_return` fills.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from pydantic import ValidationError

from sendflow.calendar import add_months
from sendflow.case import Case
from sendflow.people import SettingAttended
from sendflow.plan import Placement
from sendflow.returns import SEN2Items
from sendflow.sen2._model import (
    ActivePlan,
    Assessment,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Request,
    SEN2Error,
    SEN2Return,
    _Module,
    cease_reason_of,
    census_date,
    item_in_collection,
    item_spec,
)
from sendflow.workflows.opening import PLAN_OPEN_STATES

__all__ = ["NOT_CARRIED", "ReturnCases", "Unkept", "to_cases"]

#: SEN2 items no case carries. Every item of the model now has a home on the case (see
#: the module text and docs/reference/sen2.md, "What carries where"), so the list is
#: empty; what a given return still cannot carry (a value that is not valid, an item its
#: collection year does not have, a module its request's outcome leaves no place for) is
#: listed, by location, in :attr:`ReturnCases.unkept`.
NOT_CARRIED: tuple[str, ...] = ()

#: Where each SEN2 item with no event of its own goes: (model class, SEN2 field, field of
#: :class:`~sendflow.returns.SEN2Items`), checked against both models when this module loads.
_RECORD: tuple[tuple[type[Any], str, str], ...] = (
    (Request, "rya", "rya"),
    (Request, "request_mediation", "request_mediation"),
    (Request, "request_tribunal", "request_tribunal"),
    (Request, "exported", "exported"),
    (Assessment, "assessment_mediation", "assessment_mediation"),
    (Assessment, "assessment_tribunal", "assessment_tribunal"),
    (Assessment, "other_mediation", "other_mediation"),
    (Assessment, "other_tribunal", "other_tribunal"),
    (NamedPlan, "plan_res", "plan_res"),
    (NamedPlan, "plan_wbp", "plan_wbp"),
    (NamedPlan, "pb", "pb"),
    (NamedPlan, "oa", "oa"),
    (NamedPlan, "dp", "dp"),
    (ActivePlan, "transfer_la", "transfer_la"),
    (ActivePlan, "res", "res"),
    (ActivePlan, "wbp", "wbp"),
    (ActivePlan, "review_draft", "review_draft"),
    (ActivePlan, "phase_transfer_due_date", "phase_transfer_due_date"),
    (ActivePlan, "phase_transfer_final_date", "phase_transfer_final_date"),
)


def _check_record_table() -> None:
    """The join between the SEN2 model, :class:`SEN2Items` and the table above."""
    sources = SEN2Items.ITEMS
    if set(sources) != set(SEN2Items.model_fields):
        raise SEN2Error("sendflow.returns.SEN2Items.ITEMS must name every field once")
    for cls, field, home in _RECORD:
        xml = {i.field: i.xml for i in cls.ITEMS}.get(field)
        if xml is None or sources.get(home) != (cls.__name__, xml):
            raise SEN2Error(f"sen2._tocases: {cls.__name__}.{field} and SEN2Items.{home} "
                            "name different SEN2 items")
    for module, xml in sources.values():
        item_spec(module, xml)  # raises if the SEN2 model has no such item


_check_record_table()


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
        #: Per model class: the items (field, element) the year's collection does not have.
        self._off: dict[type[_Module], tuple[tuple[str, str], ...]] = {}
        # What the request being read carries besides its events (reset per request).
        self.items: dict[str, Any] = {}
        self.where_of: dict[str, str] = {}
        self.named: tuple[Placement, ...] | None = None
        self.attended: tuple[SettingAttended, ...] = ()
        self.cease_reason: str | None = None
        self.h_assessment = False

    def note(self, where: str, reason: str, left_out: bool = False) -> None:
        self.unkept.append(Unkept(where, reason, left_out))

    def off_year(self, module: _Module, where: str) -> frozenset[str]:
        """Note each item ``module`` holds that the year's collection does not have; the
        fields of those items (not carried)."""
        cls = type(module)
        off = self._off.get(cls)
        if off is None:
            off = tuple((i.field, i.xml) for i in cls.ITEMS
                        if not item_in_collection(cls.__name__, i.xml, self.year))
            self._off[cls] = off
        given = frozenset(f for f, _ in off if getattr(module, f) is not None)
        for field, xml in off:
            if field in given:
                self.note(f"{where}.{xml}", f"is not an item of the {self.year} collection: "
                          "not carried")
        return given

    def keep(self, home: str, value: Any, where: str) -> None:
        """Carry ``value`` in the request's :class:`SEN2Items` field ``home``."""
        self.items[home] = value
        self.where_of[home] = where

    # ------------------------------------------------------------ module 1
    def child(self, p: Person, where: str) -> dict[str, Any] | None:
        if p.birth_date is None:
            self.note(f"{where}.PersonBirthDate", "is blank: the person's items are not "
                      "carried (a child record needs the date of birth)")
            return None
        sex = p.sex if self.year >= 2024 else _SEX_2023.get(p.gender_current or "")
        data: dict[str, Any] = {
            "date_of_birth": p.birth_date, "person_id": p.person_id,
            "family_name": p.surname, "given_name": p.forename, "sex": sex,
            "ethnicity": p.ethnicity, "postcode": p.postcode, "upn": p.upn, "uln": p.uln,
            "upn_unknown": p.upn_unknown,
        }
        return {k: v for k, v in data.items() if v is not None}

    def person_items(self, p: Person, where: str) -> dict[str, tuple[Any, str]]:
        """The person's items that go in each request's :class:`SEN2Items`."""
        off = self.off_year(p, where)
        if p.gender_current is not None and "gender_current" not in off:
            return {"gender_current": (p.gender_current, f"{where}.GenderCurrent")}
        return {}

    def placed(self, child: dict[str, Any], act: ActivePlan | None, where: str) -> None:
        if self.attended:
            child["settings_attended"] = self.attended
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
    def events(self, r: Request, born: date | None, where: str,
               person: dict[str, tuple[Any, str]]) -> list[dict[str, Any]]:
        self.items, self.where_of = {}, {}
        for home, (value, at) in person.items():
            self.keep(home, value, at)
        self.named, self.attended, self.cease_reason = None, (), None
        events = self._events(r, born, where)
        if not events:
            return events
        first = events[0]
        opened = first["type"] == "record_opened"
        if opened and first.get("request_received_on") and self.made_by is not None:
            first["request_made_by"] = self.made_by  # who made the request, as recorded
        if self.named is not None:
            if opened and first["state"] in PLAN_OPEN_STATES:
                first["named_settings"] = self.named
            elif self.named:
                self.note(f"{where}.Assessment[0].NamedPlan[0].PlanDetail",
                          "not carried: the request has no plan to name settings in")
        record = self.record()
        if record is not None:
            first["sen2"] = record
        return events

    def record(self) -> SEN2Items | None:
        """The request's :class:`SEN2Items`: each item that does not validate is noted and
        left out."""
        items = self.items
        for _ in range(len(items)):
            if not items:
                return None
            try:
                return SEN2Items.model_validate(items)
            except ValidationError as exc:
                loc = exc.errors(include_input=False, include_url=False)[0]["loc"]
                field = str(loc[0]) if loc else ""
                if field not in items:  # pragma: no cover - every field is optional
                    raise
                self.note(self.where_of[field], "is not valid: not carried")
                del items[field]
        return None

    def _events(self, r: Request, born: date | None, where: str) -> list[dict[str, Any]]:
        rec, dec, ro = r.received_date, r.request_outcome_date, r.request_outcome
        a = r.assessment[0] if r.assessment else None
        ao = a.assessment_outcome if a is not None else None
        ad = a.assessment_outcome_date if a is not None else None
        plan = a.named_plan[0] if a is not None and a.named_plan else None
        act = r.active_plans[0] if r.active_plans else None
        self._read_items(r, act, where)
        made_by = _MADE_BY.get(r.request_source or "", "other")
        if r.request_source is None and self.year >= 2025 and ro != "H":
            self.note(f"{where}.RequestSource", "is blank: the request is read as made by "
                      "'other' (code 5)")
        if r.request_source == "1":
            made_by = "young_person" if born and rec and _age(born, rec) >= 16 else "parent"
        self.made_by = made_by if r.request_source is not None else None
        self.h_assessment = ao == "H"
        if ro == "H" and rec is None and r.request_source is not None:
            self.note(f"{where}.RequestSource", "not carried: a request with no ReceivedDate "
                      "has no request to say who made")
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
        if a is not None and ao == "Y" and ad is not None and a.week20 is None:
            self.note(f"{where}.Assessment[0].Week20", "is blank: given back as 0 (no "
                      "exception)")
        if a is not None and ao != "Y" and a.week20 is not None and ro in ("Y", "H"):
            self.note(f"{where}.Assessment[0].Week20", "not carried: only a plan issued in "
                      "the year (AssessmentOutcome Y) has a Week20 the case judges")
        if ro in ("A", "W", "N"):
            self._no_place(a, "Assessment[0]", f"outcome {ro}", where)
            self._no_place(act, "ActivePlans[0]", f"outcome {ro}", where)
        if ro == "A":
            return [request]
        if ro == "W":
            return [request, {"type": "request_withdrawn", "on": rec}]
        if ro == "N":
            return [request, {"type": "assessment_decision", "on": dec, "outcome": "refuse"}]
        if not has_plan:
            self._no_place(act, "ActivePlans[0]", "no plan", where)
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
        # The plan's making: for Y the issue date (AssessmentOutcomeDate), else StartDate.
        made = ad if ao == "Y" and ad is not None else (
            plan.start_date if plan is not None else None)
        return [*self._plan(anchors, made, plan, act, where), *exception]

    def _no_place(self, module: Any, at: str, why: str, where: str) -> None:
        """Note a module the request's outcome leaves no place for in the return."""
        if module is not None and _holds(module):
            self.note(f"{where}.{at}", f"not carried: a request with {why} has no such "
                      "record in the return build_return writes")

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
        if plan is not None and plan.cease_date is not None and last is not None \
                and last > plan.cease_date:
            # A review decided after the plan ceased cannot be in the plan's history; leave
            # out that one date (listed), not the whole request with its plan and cease.
            self.note(f"{where}.ActivePlans[0].LastReview",
                      "is after the plan's CeaseDate: not carried")
            last = None
        if act is None and made is not None and made < add_months(ref, -12):
            # No ActivePlans record, so no LastReview: the plan's reviews cannot be in the
            # return, and a review clock from the plan's date would report them as missed.
            # StartDate is carried in SEN2Items.plan_start_date, not judged.
            made = None
        if (last is not None and meeting is not None and outcome in _REVIEW_OUTCOME
                and meeting <= last and last >= self.start and self.year >= 2024):
            # The review in the year, with its meeting: judged (decision within 4 weeks).
            # The review before it is not in the return: a plan made more than a year
            # before the meeting opens without plan_made_on (see the module text).
            if made is not None and made < add_months(meeting, -12):
                made = None  # carried in SEN2Items.plan_start_date, not judged
            opened = self._opened(meeting, "plan_issued", {**anchors, "plan_made_on": made})
            tail = [{"type": "review_meeting_held", "on": meeting},
                    {"type": "review_decision", "on": last,
                     "outcome": _REVIEW_OUTCOME[outcome or ""]}]
        else:
            # A meeting or outcome the review is not judged by (no outcome, or the decision
            # not in the year): carried, not judged.
            at = f"{where}.ActivePlans[0]"
            if meeting is not None and self.year >= 2024:
                self.keep("review_meeting", meeting, f"{at}.ReviewMeeting")
            if outcome is not None and self.year >= 2024:
                self.keep("review_outcome", outcome, f"{at}.ReviewOutcome")
            state = "plan_maintained" if last is not None else "plan_issued"
            dates = [d for d in (*anchors.values(), made, last) if d is not None]
            on = max(dates) if dates else self.start
            opened = self._opened(on, state, {**anchors, "plan_made_on": made,
                                              "last_review_on": last})
        if plan is not None and plan.cease_date is not None:
            ceased: dict[str, Any] = {"type": "plan_ceased", "on": plan.cease_date}
            if self.cease_reason is not None:
                ceased["reason"] = self.cease_reason
            tail.append(ceased)
        elif plan is not None and plan.cease_reason is not None:
            self.note(f"{where}.Assessment[0].NamedPlan[0].CeaseReason",
                      "not carried: CeaseDate is blank, so the plan has not ceased")
        if (plan is not None and made is not None and made >= self.start
                and self.h_assessment):
            # H though the plan's date is in the year (a plan transferred in): say so, or the
            # plan would come back as issued in the year (Y).
            self.keep("assessment_historical", True, f"{where}.Assessment[0].AssessmentOutcome")
        start = plan.start_date if plan is not None else None
        if start is not None and start != made:
            self.keep("plan_start_date", start, f"{where}.Assessment[0].NamedPlan[0].StartDate")
        elif start is None and made is not None and plan is not None:
            self.note(f"{where}.Assessment[0].NamedPlan[0].StartDate",
                      "is blank: given back as the plan's issue date")
        return [opened, *tail]

    def _read_items(self, r: Request, act: ActivePlan | None, where: str) -> None:
        """Read the request's items with no event of their own into the request's homes:
        :class:`SEN2Items` (:attr:`items`), the named settings, the settings attended and the
        cease reason; note each that is not valid or not in the year's collection."""
        modules: list[tuple[_Module, str]] = [(r, where)]
        for a in r.assessment:  # at most one (the schema's maxOccurs)
            modules.append((a, f"{where}.Assessment[0]"))
            for plan in a.named_plan:
                at = f"{where}.Assessment[0].NamedPlan[0]"
                modules.append((plan, at))
                named: list[Placement] = []
                for k, detail in enumerate(plan.plan_detail):
                    self.off_year(detail, f"{at}.PlanDetail[{k}]")
                    try:
                        named.append(Placement.model_validate(_named(detail)))
                    except ValidationError:
                        self.note(f"{at}.PlanDetail[{k}]", "is not valid (a setting named in "
                                  "a plan has a URN, a UKPRN or a SENSetting code, and codes "
                                  "from the code sets): not carried")
                self.named = tuple(named)
                if plan.cease_reason is not None:
                    self.cease_reason = cease_reason_of(plan.cease_reason)
                    if self.cease_reason is None:
                        self.note(f"{at}.CeaseReason", "is not valid: not carried")
        if act is not None:
            at = f"{where}.ActivePlans[0]"
            modules.append((act, at))
            attended: list[SettingAttended] = []
            for k, placed in enumerate(act.placements):
                off = self.off_year(placed, f"{at}.PlacementDetail[{k}]")
                try:
                    attended.append(SettingAttended.model_validate(_attended(placed, off)))
                except ValidationError:
                    self.note(f"{at}.PlacementDetail[{k}]", "is not valid: not carried")
            self.attended = tuple(attended)
            for k, need in enumerate(act.needs):
                self.off_year(need, f"{at}.SENneed[{k}]")
        for module, at in modules:
            off = self.off_year(module, at)
            for field, home, xml in _HOMES.get(type(module), ()):
                value = getattr(module, field)
                if value is not None and field not in off:
                    self.keep(home, value, f"{at}.{xml}")


#: Per SEN2 model class: (field, SEN2Items field, element) of its items kept in SEN2Items.
_HOMES: dict[type[Any], tuple[tuple[str, str, str], ...]] = {}
for _cls, _field, _home in _RECORD:
    _xml = {i.field: i.xml for i in _cls.ITEMS}[_field]
    _HOMES[_cls] = (*_HOMES.get(_cls, ()), (_field, _home, _xml))


def _named(detail: PlanDetail) -> dict[str, Any]:
    """A setting named in the plan (:class:`~sendflow.plan.Placement`) from PlanDetail."""
    data = {"urn": detail.urn, "ukprn": detail.ukprn, "sen2_setting": detail.sen_setting,
            "setting_name": detail.sen_setting_other, "rank": detail.placement_rank,
            "sen_unit": detail.sen_unit_indicator,
            "resourced_provision": detail.resourced_provision_indicator}
    return {k: v for k, v in data.items() if v is not None}


def _attended(placed: PlacementDetail, off: frozenset[str]) -> dict[str, Any]:
    """A setting attended (:class:`~sendflow.people.SettingAttended`) from PlacementDetail,
    leaving out the items ``off`` the year's collection."""
    data = {"urn": placed.urn, "ukprn": placed.ukprn, "sen2_setting": placed.sen_setting,
            "setting_other": placed.sen_setting_other, "rank": placed.placement_rank,
            "entry_on": placed.entry_date, "leaving_on": placed.leaving_date,
            "sen_unit": placed.sen_unit_indicator,
            "resourced_provision": placed.resourced_provision_indicator,
            "residential": placed.res, "work_based": placed.wbp,
            "attendance_pattern": placed.attendance_pattern}
    return {k: v for k, v in data.items() if v is not None and _ATTENDED.get(k) not in off}


#: SettingAttended fields by the PlacementDetail field they come from, where they differ
#: only in the year's collection (the others are in every year).
_ATTENDED = {"residential": "res", "work_based": "wbp", "attendance_pattern": "attendance_pattern"}


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
        items = reader.person_items(person, where)
        for j, r in enumerate(person.requests):
            rw = f"{where}.Requests[{j}]"
            events = reader.events(r, person.birth_date, rw, items)
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
                msg = msg.split(" (allowed next", 1)[0]  # the event list says nothing here
                reader.note(rw, f"the request's dates do not make a valid history ({msg})"[:300],
                            left_out=True)
                continue
            cases.append(case)
            locations.append(rw)
    return ReturnCases(cases, locations, reader.unkept, ret.year)
