"""Build an LA's SEN2 return from sendflow cases for a collection year.

The activity period is the calendar year before the census; a request is
returned if anything happened to it in the period or if it led to a plan
active on the census date. Outcomes are coded from the events:

- request: ``Y``/``N`` from ``assessment_decision`` in the period, ``H`` if the
  decision came before it, ``W`` if withdrawn undecided, otherwise ``A``;
- assessment: ``Y`` with the issue date from ``final_plan_issued`` (``Y`` with
  no date once a draft plan shows the LA decided to issue), ``N`` from
  ``no_plan_notice_sent``, ``W`` if withdrawn, otherwise ``A``; ``H`` when the
  plan was issued before the period;
- ``Week20`` from the compliance engine: the ``assessment.final_plan``
  deadline of that request carries an exception (met or disapplied);
- a case whose history starts with ``final_plan_issued`` (a plan made before
  sendflow knew the case) gives an ``H`` request with no received date;
- a case that opens part-way (``record_opened``) gives its items from the
  anchors: ``ReceivedDate`` from ``request_received_on``, the outcome date
  from ``decision_on``, ``StartDate`` from ``plan_made_on``, ``LastReview``
  from ``last_review_on``;
- the plan active on the census date (not ceased before the period) gets
  module 5a with the last review's decision date (``LastReview``), meeting
  and outcome, the settings the child attends (5b: ``child.settings_attended``,
  else the current setting) and need types (5c, when the person model records
  them); ``plan_ceased`` gives ``CeaseDate`` and, with its ``reason``,
  ``CeaseReason``; the settings named in the plan (4b) are the plan event's
  ``named_settings``, else the child's current setting;
- the items no event dates come from the request's first event's ``sen2``
  record (:class:`~sendflow.returns.SEN2Items`), each only in the collections
  that have it;
- consecutive cases of one person (same key and items, as
  :func:`~sendflow.sen2.to_cases` gives one case per request) make one
  person record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from sendflow.case import Case
from sendflow.compliance import evaluate
from sendflow.returns import SEN2Items
from sendflow.sen2._model import (
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Refused,
    Request,
    SEN2Error,
    SEN2Return,
    SENNeed,
    _Module,
    cease_reason_code,
    census_date,
    code_set,
    item_in_collection,
    item_mandatory,
    item_spec,
)
from sendflow.sen2._tocases import _HOMES
from sendflow.sen2._xml import _first_error

__all__ = ["OPEN_REQUESTS", "build_return", "need_types_of"]

#: The choices for a request received before the period and still open when it began,
#: with nothing dated in the period (``build_return(..., open_requests=...)``): the SEN2
#: guide's rule for records carried from earlier years was not found (sen2.md s. 1,
#: UNVERIFIED), so which requests a return holds is a named choice.
#: ``"returned"`` (the default): the request was ongoing in the period and is returned
#: (``A``, or ``H`` with its assessment ``A``). ``"left_out"``: only a request with an
#: event in the period, or whose plan is active on the census date, is returned.
OPEN_REQUESTS = ("returned", "left_out")


def _carries_open(choice: object) -> bool:
    """Whether build_return's ``open_requests`` returns open requests (an unknown choice
    is an error)."""
    if not isinstance(choice, str) or choice not in OPEN_REQUESTS:
        raise SEN2Error("build_return: open_requests must be one of " + ", ".join(
            repr(c) for c in OPEN_REQUESTS))
    return choice == "returned"


def need_types_of(case: Case) -> tuple[str, ...]:
    """The case's need codes, primary first (empty when none are recorded).

    Read from ``case.child.needs`` (a :class:`~sendflow.needs.NeedsProfile`)
    when the person model has it.
    """
    profile: Any = getattr(case.child, "needs", None) if case.child is not None else None
    if profile is None:
        return ()
    needs = getattr(profile, "needs", profile)
    ranked = sorted(needs, key=lambda n: int(getattr(n, "rank", 1)))
    return tuple(str(getattr(n.need_type, "value", n.need_type)) for n in ranked)


def _split_requests(case: Case) -> list[list[Any]]:
    """The case's events grouped per request (a leading plan is its own group)."""
    groups: list[list[Any]] = []
    for event in case.events:
        if event.type == "request_received" or not groups:
            groups.append([event])
        else:
            groups[-1].append(event)
    return groups


def _first(events: list[Any], kind: str, **where: Any) -> Any:
    for e in events:
        if e.type == kind and all(getattr(e, k, None) == v for k, v in where.items()):
            return e
    return None


def _person(case: Case, year: int, index: int) -> Person:
    child = case.child
    pid = (child.person_id if child is not None else None) or case.reference or f"P{index + 1}"
    items = _items(case.events[0]) if case.events else None
    recorded = (items.gender_current if items is not None
                and item_in_collection("Person", "GenderCurrent", year) else None)
    if child is None:
        return Person(person_id=pid, gender_current=recorded)
    sex = child.sex.value if child.sex is not None else None
    return Person(
        person_id=pid,
        surname=child.family_name,
        forename=child.given_name,
        birth_date=child.date_of_birth,
        gender_current=recorded or (
            _GENDER_CURRENT.get(sex, "0") if year <= 2023 and sex else None),
        sex=sex if year >= 2024 else None,
        ethnicity=child.ethnicity.value if child.ethnicity is not None else None,
        postcode=child.postcode,
        upn=str(child.upn) if child.upn is not None else None,
        uln=str(child.uln) if child.uln is not None else None,
        upn_unknown=child.upn_unknown.value if child.upn_unknown is not None else None,
    )


#: GenderCurrent (2023 collection only) from the Sex letter.
_GENDER_CURRENT = {"M": "1", "F": "2"}


def _items(event: Any) -> SEN2Items | None:
    """The SEN2 items a request's first event carries, if any."""
    return getattr(event, "sen2", None)


def _from_items(items: SEN2Items | None, cls: type[_Module], year: int) -> dict[str, Any]:
    """The values of ``items`` that belong in module ``cls`` of the ``year`` collection."""
    if items is None:
        return {}
    out: dict[str, Any] = {}
    for field, home, xml in _HOMES.get(cls, ()):
        value = getattr(items, home)
        if value is not None and item_in_collection(cls.__name__, xml, year):
            out[field] = value
    return out


def _historical(items: SEN2Items | None) -> bool:
    """Whether the return gave the plan's assessment as H though the plan is dated in the
    year (:attr:`~sendflow.returns.SEN2Items.assessment_historical`)."""
    return items is not None and bool(items.assessment_historical)


def _plan_detail(named: Any) -> PlanDetail:
    """SEN2 PlanDetail from a setting named in the plan (:class:`~sendflow.plan.Placement`):
    a type of setting with no URN, UKPRN or SEN2 code is ``OTH`` (``OLA`` for education
    otherwise than at school), as the SEN2 guide says to return a plan naming a type only."""
    code = named.sen2_setting
    if code is None and named.urn is None and named.ukprn is None and named.setting_type:
        code = "OLA" if named.setting_type == "education_otherwise_than_at_school" else "OTH"
    return PlanDetail(urn=str(named.urn) if named.urn is not None else None, ukprn=named.ukprn,
                      sen_setting=code, sen_setting_other=named.setting_name,
                      placement_rank=named.rank, sen_unit_indicator=named.sen_unit,
                      resourced_provision_indicator=named.resourced_provision)


def _plan_details(case: Case, named: Any) -> tuple[PlanDetail, ...]:
    """Module 4b: the plan's named settings when the plan event records them, else the
    child's current setting (URN or UKPRN) as the one setting named."""
    if named is None:
        return _setting(case, PlanDetail)
    return tuple(_plan_detail(n) for n in named)


def _placements(case: Case, year: int) -> tuple[PlacementDetail, ...]:
    """Module 5b: every setting the child attends (``child.settings_attended``), else the
    child's current setting as the rank-1 placement."""
    child = case.child
    if child is None or not child.settings_attended:
        return _setting(case, PlacementDetail)
    out = []
    for s in child.settings_attended:
        data = {"urn": str(s.urn) if s.urn is not None else None, "ukprn": s.ukprn,
                "sen_setting": s.sen2_setting, "sen_setting_other": s.setting_other,
                "placement_rank": s.rank, "entry_date": s.entry_on, "leaving_date": s.leaving_on,
                "sen_unit_indicator": s.sen_unit,
                "resourced_provision_indicator": s.resourced_provision, "res": s.residential,
                "wbp": s.work_based, "attendance_pattern": s.attendance_pattern}
        out.append(PlacementDetail(**{k: v for k, v in data.items() if v is not None and (
            k not in _PLACEMENT_BY_YEAR or item_in_collection("PlacementDetail",
                                                              _PLACEMENT_BY_YEAR[k], year))}))
    return tuple(out)


#: PlacementDetail items only some collections have (field -> element).
_PLACEMENT_BY_YEAR = {"res": "Res", "wbp": "WBP", "attendance_pattern": "AttendancePattern"}


def _setting(case: Case, cls: type[Any], **extra: Any) -> tuple[Any, ...]:
    child = case.child
    if child is None:
        return ()
    if child.setting_urn is not None:
        return (cls(urn=str(child.setting_urn), placement_rank=1, **extra),)
    if child.setting_ukprn is not None:
        return (cls(ukprn=child.setting_ukprn, placement_rank=1, **extra),)
    return ()


#: RequestSource (item 2.2, 2025 onwards; see code set RequestSource) by who
#: made the request (RequestReceived.made_by).
_REQUEST_SOURCE = {
    "parent": "1",
    "young_person": "1",
    "school_or_setting": "2",
    "health_professional": "3",
    "social_care_professional": "4",
    "other": "5",
}


def _request(
    case: Case, events: list[Any], start: date, end: date, census: date, week20: bool | None,
    active: bool, carry_open: bool,
) -> Request | None:
    first = events[0]
    if first.type == "record_opened":
        return _opened_request(case, events, start, end, census, week20, active, carry_open)
    upto = [e for e in events if e.on <= end or e.type == "exception_recorded"]
    final = _first(upto, "final_plan_issued")
    ceased = _first(upto, "plan_ceased")
    if ceased is not None and ceased.on < start:
        active = False  # ended before the period: not a plan of this return
    if first.type == "final_plan_issued":
        received = None
        request_outcome, outcome_date = "H", None
    else:
        received = first.on
        if received > end:
            return None
        decision = _first(upto, "assessment_decision")
        withdrawn = _first(upto, "request_withdrawn")
        if decision is not None and decision.on < start:
            request_outcome, outcome_date = "H", None
        elif decision is not None:
            request_outcome = "Y" if decision.outcome == "assess" else "N"
            outcome_date = decision.on
        elif withdrawn is not None:
            request_outcome, outcome_date = "W", None
        else:
            request_outcome, outcome_date = "A", None
    touched = any(start <= e.on <= end for e in events if e.type != "exception_recorded")
    # A request still open when the period began (no decision not to assess, no
    # withdrawal, no notice of no plan and no plan before it) was ongoing in the period:
    # it is returned although nothing happened to it in the year (outcome A, or H with
    # its assessment not completed), as a record opened in such a state is.
    pending = carry_open and received is not None and received < start and not any(
        e.on < start and (e.type in _CLOSING or (
            e.type == "assessment_decision" and e.outcome == "refuse"))
        for e in events)
    if not touched and not active and not pending:
        return None
    items = _items(first)
    year = census.year
    assessments: tuple[Assessment, ...] = ()
    if request_outcome in ("Y", "H"):
        assessments = (_assessment(case, upto, start, week20, items, year),)
    actives: tuple[ActivePlan, ...] = ()
    if active and final is not None:
        actives = (_active_plan(case, upto, year, None, items),)
    source = None
    if first.type == "request_received" and item_in_collection(
        "Request", "RequestSource", year
    ):
        source = _REQUEST_SOURCE[first.made_by]
    return Request(
        received_date=received,
        request_source=source,
        request_outcome=request_outcome,
        request_outcome_date=outcome_date,
        assessment=assessments,
        active_plans=actives,
        **_from_items(items, Request, year),
    )


def _named_plan(case: Case, made: date | None, named: Any, ceased: Any,
                items: SEN2Items | None, year: int) -> NamedPlan:
    """Module 4a: the plan made on ``made``, its named settings, its ceasing and the plan
    items the request's :class:`~sendflow.returns.SEN2Items` holds."""
    reason = getattr(ceased, "reason", None)
    start = items.plan_start_date if items is not None and items.plan_start_date else made
    return NamedPlan(start_date=start, plan_detail=_plan_details(case, named),
                     cease_date=ceased.on if ceased is not None else None,
                     cease_reason=cease_reason_code(reason) if reason is not None else None,
                     **_from_items(items, NamedPlan, year))


def _assessment(case: Case, upto: list[Any], start: date, week20: bool | None,
                items: SEN2Items | None, year: int) -> Assessment:
    flags = _from_items(items, Assessment, year)
    final = _first(upto, "final_plan_issued")
    if final is not None:
        ceased = _first(upto, "plan_ceased")
        plan = _named_plan(case, final.on, final.named_settings, ceased, items, year)
        if final.on < start or _historical(items):
            return Assessment(assessment_outcome="H", named_plan=(plan,), **flags)
        return Assessment(assessment_outcome="Y", assessment_outcome_date=final.on,
                          week20=week20, named_plan=(plan,), **flags)
    no_plan = _first(upto, "no_plan_notice_sent")
    if no_plan is not None:
        return Assessment(assessment_outcome="N", assessment_outcome_date=no_plan.on, **flags)
    if _first(upto, "request_withdrawn") is not None:
        return Assessment(assessment_outcome="W", **flags)
    if _first(upto, "draft_plan_issued") is not None:
        return Assessment(assessment_outcome="Y", **flags)
    return Assessment(assessment_outcome="A", **flags)


#: ReviewOutcome (5.5) by the review decision's outcome.
_REVIEW_OUTCOME = {"amend": "A", "maintain": "M", "cease": "C"}
_PLAN_STATES = ("plan_issued", "plan_maintained")
_OPEN_STATES = ("awaiting_decision", "assessing", "draft_issued")
#: Events that close a request before any plan is in force (with a refusal to assess).
_CLOSING = frozenset({"request_withdrawn", "no_plan_notice_sent", "final_plan_issued"})


def _active_plan(case: Case, upto: list[Any], year: int, opening: Any,
                 items: SEN2Items | None) -> ActivePlan:
    """Module 5a for the plan of a request: review items from the events (or the
    opening's ``last_review_on``; a meeting and outcome not judged from the request's
    :class:`~sendflow.returns.SEN2Items`), the items that record holds, the settings the
    child attends (5b) and need types (5c)."""
    decisions = [e for e in upto if e.type == "review_decision"]
    last = decisions[-1] if decisions else None
    meeting = None
    if last is not None:
        meeting = next((e.on for e in reversed(upto)
                        if e.type == "review_meeting_held" and e.on <= last.on), None)
    last_review = last.on if last is not None else (
        opening.last_review_on if opening is not None else None)
    in_year = item_in_collection
    needs = need_types_of(case)
    outcome = _REVIEW_OUTCOME[last.outcome] if last is not None else None
    if items is not None:
        meeting = meeting if meeting is not None else items.review_meeting
        outcome = outcome if outcome is not None else items.review_outcome
    return ActivePlan(
        review_meeting=meeting if in_year("ActivePlan", "ReviewMeeting", year) else None,
        review_outcome=outcome if in_year("ActivePlan", "ReviewOutcome", year) else None,
        last_review=last_review,
        placements=_placements(case, year),
        needs=tuple(SENNeed(sen_type=t, sen_type_rank=i + 1) for i, t in enumerate(needs)),
        **_from_items(items, ActivePlan, year),
    )


def _has_plan(events: list[Any], census: date) -> bool:
    """Whether the request's plan was made by the census date."""
    first = events[0]
    if first.type == "record_opened":
        return first.state in _PLAN_STATES and first.on <= census
    return _first([e for e in events if e.on <= census], "final_plan_issued") is not None


def _week20_key(first: Any) -> date | None:
    """The date the request's 20-week clock starts from (the engine's ``started_on``)."""
    if first.type == "request_received":
        return first.on  # type: ignore[no-any-return]
    if first.type == "record_opened":
        return first.request_received_on  # type: ignore[no-any-return]
    return None


def _opened_request(
    case: Case, events: list[Any], start: date, end: date, census: date, week20: bool | None,
    active: bool, carry_open: bool,
) -> Request | None:
    """A request whose record opens part-way (``record_opened``): the anchors give its items.

    The request outcome is ``Y``/``N`` from ``decision_on`` in the period, ``H`` if
    it is before the period or not given once the state is past the decision, ``W``
    if withdrawn undecided, otherwise ``A``; the plan's ``StartDate`` is
    ``plan_made_on`` (``H`` before the period, or when the opening does not date it).
    """
    o = events[0]
    rec = o.request_received_on
    if rec is not None and rec > end:
        return None
    upto = [e for e in events[1:] if e.on <= end or e.type == "exception_recorded"]
    withdrawn = _first(upto, "request_withdrawn")
    ceased = _first(upto, "plan_ceased")
    state = o.state
    if o.decision_on is not None:
        if o.decision_on < start:
            request_outcome, outcome_date = "H", None
        else:
            request_outcome = "N" if state == "assessment_refused" else "Y"
            outcome_date = o.decision_on
    elif state == "awaiting_decision":
        request_outcome, outcome_date = ("W" if withdrawn is not None else "A"), None
    else:
        request_outcome, outcome_date = "H", None
    dates = [d for d in (rec, o.decision_on, o.plan_made_on, o.last_review_on, o.on) if d]
    touched = any(start <= d <= end for d in dates) or any(
        start <= e.on <= end for e in upto if e.type != "exception_recorded")
    is_plan = state in _PLAN_STATES
    if ceased is not None and ceased.on < start:
        active = False
    still_open = carry_open and state in _OPEN_STATES and withdrawn is None
    if not (touched or (active and is_plan) or still_open):
        return None
    year = census.year
    items = o.sen2
    flags = _from_items(items, Assessment, year)
    assessments: tuple[Assessment, ...] = ()
    if request_outcome in ("Y", "H"):
        made = o.plan_made_on
        if is_plan:
            plan = _named_plan(case, made, o.named_settings, ceased, items, year)
            if made is None or made < start or _historical(items):
                assessment = Assessment(assessment_outcome="H", named_plan=(plan,), **flags)
            else:
                assessment = Assessment(assessment_outcome="Y", assessment_outcome_date=made,
                                        week20=bool(week20), named_plan=(plan,), **flags)
        elif state == "plan_refused":
            assessment = Assessment(assessment_outcome="N", assessment_outcome_date=o.on,
                                    **flags)
        elif withdrawn is not None:
            assessment = Assessment(assessment_outcome="W", **flags)
        elif state == "draft_issued":
            assessment = Assessment(assessment_outcome="Y", **flags)
        else:
            assessment = Assessment(assessment_outcome="A", **flags)
        assessments = (assessment,)
    actives: tuple[ActivePlan, ...] = ()
    if active and is_plan:
        actives = (_active_plan(case, upto, year, o, items),)
    source = None
    if o.request_made_by is not None and item_in_collection(
            "Request", "RequestSource", year):
        source = _REQUEST_SOURCE[o.request_made_by]
    return Request(
        received_date=rec,
        request_source=source,
        request_outcome=request_outcome,
        request_outcome_date=outcome_date,
        assessment=assessments,
        active_plans=actives,
        **_from_items(items, Request, year),
    )


def _merged(persons: list[Person]) -> tuple[Person, ...]:
    """Consecutive records of one person (same key and items: one case per request of the
    same child, as :func:`~sendflow.sen2.to_cases` gives them) as one person record."""
    out: list[Person] = []
    for p in persons:
        if out and out[-1].model_copy(update={"requests": ()}) == p.model_copy(
                update={"requests": ()}):
            out[-1] = out[-1].model_copy(update={"requests": out[-1].requests + p.requests})
        else:
            out.append(p)
    return tuple(out)


def _week20_flags(case: Case, end: date) -> dict[date, bool]:
    """For each request date: whether a 20-week exception applied (as the engine finds)."""
    report = evaluate(case, as_of=end, rules=("assessment.final_plan",), findings=False)
    return {
        d.started_on: d.exception is not None
        for d in report.deadlines
        if d.rule_id == "assessment.final_plan" and d.started_on is not None
    }


def _refusal(exc: ValidationError, index: int, module: type[_Module]) -> Refused:
    """What is wrong with a case's record, by item, never by value."""
    err = exc.errors(include_input=False, include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    names = {i.field: i.xml for i in module.ITEMS}
    item = names.get(loc[0]) if loc else None
    reason = str(err["msg"])
    return Refused(case_index=index, item=f"{module.__name__}.{item or 'record'}",
                   reason=reason[:200])


def _persons(
    cases: Iterable[Case], *, year: int, la: str | None, refused: list[Refused] | None = None,
    carry_open: bool = True,
) -> tuple[str | None, tuple[Person, ...]]:
    """The person records (modules 1-5c) of the ``year`` return, and the LA's code.

    The LA's code is ``la``, else the first case's ``responsible_la``; cases for
    another LA are left out. No header is built: :func:`build_return` adds the
    one the LA supplies, and :func:`~sendflow.sen2.statistics` counts from the
    records alone. A case whose record cannot be built (e.g. a name longer than
    the model allows) is left out and, if ``refused`` is given, appended to it.
    """
    census = census_date(year)
    start, end = date(year - 1, 1, 1), date(year - 1, 12, 31)
    persons: list[Person] = []
    code = la
    for index, case in enumerate(cases):
        case_la = str(case.responsible_la) if case.responsible_la is not None else None
        if case_la is None and case.child is not None and case.child.responsible_la is not None:
            case_la = str(case.child.responsible_la)
        if code is None:
            code = case_la
        elif case_la is not None and case_la != code:
            continue
        groups = _split_requests(case)
        if not groups:
            continue
        flags = _week20_flags(case, census)
        # The plan active on the census date: the last plan issued by then.
        active_index = None
        for i, group in enumerate(groups):
            if _has_plan(group, census):
                active_index = i
        requests = []
        module: type[_Module] = Request
        try:
            for i, group in enumerate(groups):
                key = _week20_key(group[0])
                week20 = flags.get(key) if key is not None else None
                req = _request(case, group, start, end, census, week20, i == active_index,
                               carry_open)
                if req is not None:
                    requests.append(req)
            if requests:
                module = Person
                persons.append(_person(case, year, len(persons)).model_copy(
                    update={"requests": tuple(requests)}))
        except ValidationError as exc:
            if refused is not None:
                refused.append(_refusal(exc, index, module))
    return code, _merged(persons)


def build_return(
    cases: Iterable[Case],
    *,
    year: int,
    la: str | None = None,
    release: str | None = None,
    header: Mapping[str, object] | None = None,
    open_requests: str = "returned",
) -> SEN2Return:
    """Build the ``year`` SEN2 return (census in January of ``year``) from cases.

    Args:
        cases: one LA's cases (each with ``child`` for module 1).
        year: the collection year, e.g. 2026 for the January 2026 census
            (activity in calendar year 2025).
        la: the returning LA's code; cases for other LAs are skipped.
            Default: the ``responsible_la`` of the first case that has one.
        release: the software release written in the header.
        header: what the LA supplies for the header: ``dmo``, ``dco`` and ``dsco``
            (designated medical, clinical and social care officer in post: ``Y``,
            ``N`` or ``R`` recruiting), ``software_code``, ``release``, ``serial_no``
            (written as three digits) and ``date_time`` (when the file was made: a
            :class:`~datetime.datetime` or an ISO date-time text; sendflow never reads
            the clock).
        open_requests: a request received before the period, still open when the
            period began and with nothing dated in it: ``"returned"`` (the default;
            returned as ``A``, or ``H`` with its assessment ``A``) or ``"left_out"``.
            The SEN2 guide's rule for records carried from earlier years could not be
            read, so this is a choice (:data:`OPEN_REQUESTS`).

    A case whose person record cannot be built (a name longer than 100 characters, a
    postcode longer than 10…) does not stop the return: it is left out and listed in
    ``ret.refused`` (:class:`~sendflow.sen2.Refused`: the case's position and the item,
    never the value). Check ``ret.refused`` before submitting.

    Raises:
        SEN2Error: no LA code could be found; ``open_requests`` is not one of
            :data:`OPEN_REQUESTS`; a header key is unknown; a 2026 or
            later return lacks ``DMO``, ``DCO`` or ``DSCO``, or one is not ``Y``, ``N`` or
            ``R``; the message names the item. (``DSCO`` given for a collection
            before 2025 is kept on the header but not written: those years have no such
            item, and :func:`~sendflow.sen2.validate` reports it.)

    ```python
    >>> from sendflow import Case
    >>> case = Case.model_validate({"responsible_la": "201", "events": [
    ...     {"type": "request_received", "on": "2025-02-03", "made_by": "parent"},
    ...     {"type": "assessment_decision", "on": "2025-03-10", "outcome": "assess"},
    ...     {"type": "draft_plan_issued", "on": "2025-05-19"},
    ...     {"type": "final_plan_issued", "on": "2025-06-16"}]})
    >>> ret = build_return([case], year=2026, header={"dmo": "Y", "dco": "Y", "dsco": "R"})
    >>> a = ret.persons[0].requests[0].assessment[0]
    >>> a.assessment_outcome, a.assessment_outcome_date, a.week20
    ('Y', datetime.date(2025, 6, 16), False)

    ```
    """
    census = census_date(year)
    carry_open = _carries_open(open_requests)
    refused: list[Refused] = []
    code, persons = _persons(cases, year=year, la=la, refused=refused, carry_open=carry_open)
    if code is None:
        raise SEN2Error("build_return: no LA code given and no case has responsible_la")
    supplied = dict(header or {})
    unknown = set(supplied) - _HEADER_KEYS
    if unknown:
        raise SEN2Error("build_return: header takes only " + ", ".join(sorted(_HEADER_KEYS)))
    if release is not None:
        supplied.setdefault("release", release)
    stamp = supplied.get("date_time")
    if isinstance(stamp, datetime):
        supplied["date_time"] = stamp.replace(microsecond=0).isoformat()
    elif stamp is not None:
        try:
            if not isinstance(stamp, str) or "T" not in stamp:
                raise ValueError
            datetime.fromisoformat(stamp)
        except ValueError:
            raise SEN2Error("build_return: Header.DateTime must be an ISO date and time, "
                            "e.g. 2026-02-20T09:30:00") from None
    officers = code_set("YesNoRecruiting", year)
    for key in ("dmo", "dco", "dsco"):
        given = supplied.get(key)
        if given is None:
            continue
        if not isinstance(given, str) or given not in officers:
            raise SEN2Error(f"build_return: Header.{key.upper()} must be one of "
                            f"{', '.join(sorted(officers))} (yes, no, recruiting)")
    if year >= _HEADER_REQUIRED_FROM:
        for key in ("dmo", "dco", "dsco"):
            if supplied.get(key) is None and item_mandatory("Header", key.upper(), year):
                first = item_spec("Header", key.upper()).mandatory_from
                raise SEN2Error(f"build_return: Header.{key.upper()} is required (Y, N or R); "
                                f"the schemas require it from the {first} collection")
    try:
        head = Header.model_validate({**supplied, "year": year, "reference_date": census,
                                      "lea": code})
    except ValidationError as exc:
        raise SEN2Error(f"build_return: Header: {_first_error(exc)}") from None
    return SEN2Return(header=head, persons=persons, refused=tuple(refused))


#: Header items the LA supplies to :func:`build_return`.
_HEADER_KEYS = frozenset({"dmo", "dco", "dsco", "software_code", "release", "serial_no",
                          "date_time"})
#: From this collection build_return refuses a return without the mandatory header items
#: the LA supplies (DMO and DCO, and DSCO from 2026; sen2.md s. 0). The reference schemas
#: require DMO and DCO from 2023, but returns for the collections already closed are built
#: for analysis too (statistics, round trips), so the builder does not force them there;
#: such a return is not schema-valid (``validate_schema`` says so).
_HEADER_REQUIRED_FROM = 2026
