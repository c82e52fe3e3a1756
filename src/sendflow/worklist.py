"""Worklists: what each partner must do, for whom, by when.

:func:`worklist` evaluates each case (:func:`sendflow.evaluate`, so the same
rules, arithmetic and statuses as the compliance report) and keeps the
**open duties**: every deadline not yet met that is overdue, or due on or
before ``as_of + horizon_days``. Each :class:`WorkItem` says who must act
(:class:`Party`), the due date, the last working day to act, the days left (or,
negative, overdue) and the citation.

Who must act is the rule's actor (:attr:`sendflow.rules.Rule.actor`), made
precise where the law is:

- **advice** (``assessment.advice``, ``reassessment.advice``, SEND Regulations
  2014 regs 6 and 8): the adviser asked, by the kind of advice
  (:data:`ADVICE_PARTY`): the educational psychology service for
  psychological advice, health for medical advice, and so on;
- **reviews**: the notice of the meeting, the advice circulated before it and
  the report after it (``review.invitations``, ``review.advice``,
  ``review.report``) fall to the head teacher or principal who arranges the
  meeting where the child attends a school or other institution (reg. 20),
  and to the local authority otherwise (reg. 21). sendflow reads "attends a
  setting" from the plan: when the latest final or amended plan names a
  setting (``setting_ref``) the party is the school or setting, otherwise the
  local authority, which stays answerable in either case. The compliance
  report counts the advice back from the meeting once it is held; while a
  meeting fixed by the invitations (their ``meeting_date``) is still to come,
  the worklist lists the advice due 2 weeks before it ahead of time
  (``anticipated``), with the same rule and instance;
- a consulted **school or college's reply** (``assessment.setting_response``,
  Code of Practice para. 9.83) falls to that setting.

Group the list with :meth:`Worklist.by_partner`, :meth:`Worklist.by_caseworker`
(from :attr:`sendflow.Case.caseworker`) or :meth:`Worklist.by_case`.

**Consent to share.** :attr:`Worklist.cases` gives, per case, each partner's
open duties and whether a consent to share with that partner is recorded
(:attr:`sendflow.Case.consents`, :class:`~sendflow.partners.ConsentToShare`).
Advice sought, in the case's current assessment, from a partner that no
consent covered on the day of the request is a :class:`WorkFinding`
(``consent_not_recorded``), as is advice still awaited from a partner whose
consent has since been withdrawn (``consent_withdrawn``). This is a record
check, not a statutory time limit: consent is one lawful basis for sharing
among others (UK GDPR art. 6), and sendflow does not decide which applies;
where your authority records consent, the finding shows where it is missing.

```python
>>> from datetime import date
>>> from sendflow import Case
>>> case = Case.model_validate({"reference": "C-1", "caseworker": "CW-07", "events": [
...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
...     {"type": "assessment_decision", "on": "2026-02-16", "outcome": "assess"},
...     {"type": "advice_requested", "on": "2026-02-23", "adviser": "psychological"}]})
>>> wl = worklist([case], as_of=date(2026, 3, 30), horizon_days=28)
>>> for item in wl.items:
...     print(item.due, item.act_by, item.days_left, item.party.value, item.rule_id)
2026-04-06 2026-04-02 7 educational_psychology assessment.advice
2026-04-27 2026-04-27 28 local_authority assessment.no_plan_notice
>>> [f.code for f in wl.findings]
['consent_not_recorded']

```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from pydantic import Field

from sendflow import calendar
from sendflow._base import SendflowModel
from sendflow._readings_law import notice_due
from sendflow.case import Case
from sendflow.compliance import Deadline, Status, evaluate
from sendflow.errors import CalendarError, InvalidArgument, SendflowError
from sendflow.partners import AdviceKind, ContactRole
from sendflow.rules import Citation, LegalStatus
from sendflow.rules import get as rules_get
from sendflow.upcoming import is_open

__all__ = [
    "ADVICE_PARTY",
    "CONSENT_ROLES",
    "CasePartners",
    "CaseWork",
    "PartnerDuties",
    "Party",
    "WorkFinding",
    "WorkItem",
    "Worklist",
    "case_work",
    "worklist",
]


class Party(StrEnum):
    """Who must act on a duty, as a worklist groups it (in this order)."""

    LOCAL_AUTHORITY = "local_authority"
    """The local authority (its SEN team)."""
    SCHOOL_OR_SETTING = "school_or_setting"
    """The school, college or other setting (its head teacher, principal or SENCO)."""
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology"
    """The educational psychology service."""
    HEALTH = "health"
    """The health commissioning body or the health professionals it identifies."""
    SOCIAL_CARE = "social_care"
    """Social care services (children's or adult)."""
    OTHER_ADVISER = "other_adviser"
    """Any other adviser: sensory teacher, preparing for adulthood, youth justice, others."""
    PARENT_OR_YOUNG_PERSON = "parent_or_young_person"
    """The child's parent or the young person (their rights' windows: they owe no duty)."""
    OLD_LOCAL_AUTHORITY = "old_local_authority"
    """The authority a family moved away from (SEND Regulations 2014 reg. 15)."""
    NEW_LOCAL_AUTHORITY = "new_local_authority"
    """The authority a family moved to (reg. 15)."""
    MEDIATION_ADVISER = "mediation_adviser"
    """The mediation adviser (Mediation Regulations: the certificate)."""
    TRIBUNAL = "tribunal"
    """The First-tier Tribunal (SEND)."""

    @property
    def label(self) -> str:
        """A short label, e.g. ``'educational psychology'``."""
        return self.value.replace("_", " ")


ADVICE_PARTY: Mapping[AdviceKind, Party] = MappingProxyType(
    {
        AdviceKind.PARENT_OR_YOUNG_PERSON: Party.PARENT_OR_YOUNG_PERSON,
        AdviceKind.EDUCATIONAL: Party.SCHOOL_OR_SETTING,
        AdviceKind.MEDICAL: Party.HEALTH,
        AdviceKind.PSYCHOLOGICAL: Party.EDUCATIONAL_PSYCHOLOGY,
        AdviceKind.SOCIAL_CARE: Party.SOCIAL_CARE,
        AdviceKind.OTHER: Party.OTHER_ADVISER,
        AdviceKind.PREPARING_FOR_ADULTHOOD: Party.OTHER_ADVISER,
        AdviceKind.REQUESTED_BY_PARENT: Party.OTHER_ADVISER,
        AdviceKind.QUALIFIED_TEACHER_SENSORY: Party.OTHER_ADVISER,
        AdviceKind.YOUTH_JUSTICE: Party.OTHER_ADVISER,
    }
)
"""Who gives each kind of advice (SEND Regulations 2014 reg. 6), as a party: the
parent or young person, the school or setting (educational advice), health (medical),
the educational psychology service (psychological), social care, and any other adviser."""

_SCHOOL_ROLES = (ContactRole.HEAD_TEACHER, ContactRole.SENCO, ContactRole.CLASS_TEACHER,
                 ContactRole.TEACHING_ASSISTANT, ContactRole.SPECIALIST_TEACHER)
_HEALTH_ROLES = (
    ContactRole.DESIGNATED_MEDICAL_OFFICER, ContactRole.DESIGNATED_CLINICAL_OFFICER,
    ContactRole.PAEDIATRICIAN, ContactRole.SPEECH_AND_LANGUAGE_THERAPIST,
    ContactRole.OCCUPATIONAL_THERAPIST, ContactRole.PHYSIOTHERAPIST,
    ContactRole.CAMHS_CLINICIAN, ContactRole.SCHOOL_NURSE, ContactRole.HEALTH_VISITOR,
)

CONSENT_ROLES: Mapping[AdviceKind, frozenset[ContactRole] | None] = MappingProxyType(
    {
        AdviceKind.EDUCATIONAL: frozenset(_SCHOOL_ROLES),
        AdviceKind.MEDICAL: frozenset(_HEALTH_ROLES),
        AdviceKind.PSYCHOLOGICAL: frozenset({ContactRole.EDUCATIONAL_PSYCHOLOGIST}),
        AdviceKind.SOCIAL_CARE: frozenset(
            {ContactRole.SOCIAL_WORKER, ContactRole.DESIGNATED_SOCIAL_CARE_OFFICER}),
        AdviceKind.QUALIFIED_TEACHER_SENSORY: frozenset({ContactRole.SPECIALIST_TEACHER}),
        AdviceKind.PREPARING_FOR_ADULTHOOD: frozenset(
            {ContactRole.CAREERS_ADVISER, ContactRole.SOCIAL_WORKER}),
        AdviceKind.YOUTH_JUSTICE: frozenset({ContactRole.YOUTH_JUSTICE_WORKER}),
        AdviceKind.OTHER: None,
        AdviceKind.REQUESTED_BY_PARENT: None,
    }
)
"""The roles (:class:`~sendflow.partners.ContactRole`) a consent to share must name
to cover advice of each kind: educational advice, any school role; medical advice, any
health role (designated medical or clinical officer, paediatrician, therapists, CAMHS,
school nurse, health visitor); psychological, an educational psychologist; social care, a
social worker or the designated social care officer. ``None`` (other advice, advice the
family asked for): the adviser's role is not known from the record, so any consent in
force counts. Advice from the parent or young person needs no consent."""

#: The roles whose consent covers each party (for the partner view).
_PARTY_ROLES: Mapping[Party, frozenset[ContactRole]] = MappingProxyType(
    {
        Party.SCHOOL_OR_SETTING: frozenset(_SCHOOL_ROLES),
        Party.HEALTH: frozenset(_HEALTH_ROLES),
        Party.EDUCATIONAL_PSYCHOLOGY: frozenset({ContactRole.EDUCATIONAL_PSYCHOLOGIST}),
        Party.SOCIAL_CARE: frozenset(
            {ContactRole.SOCIAL_WORKER, ContactRole.DESIGNATED_SOCIAL_CARE_OFFICER}),
        Party.OTHER_ADVISER: frozenset(ContactRole) - frozenset(
            {*_SCHOOL_ROLES, *_HEALTH_ROLES, ContactRole.EDUCATIONAL_PSYCHOLOGIST,
             ContactRole.CASEWORKER}),
    }
)

_ACTOR_PARTY: Mapping[str, Party] = MappingProxyType(
    {
        "local_authority": Party.LOCAL_AUTHORITY,
        "health_body": Party.HEALTH,
        "parent_or_young_person": Party.PARENT_OR_YOUNG_PERSON,
        "setting": Party.SCHOOL_OR_SETTING,
        "mediation_adviser": Party.MEDIATION_ADVISER,
        "old_local_authority": Party.OLD_LOCAL_AUTHORITY,
        "new_local_authority": Party.NEW_LOCAL_AUTHORITY,
        "tribunal": Party.TRIBUNAL,
        "advice_giver": Party.OTHER_ADVISER,
    }
)
_ADVICE_RULES = frozenset({"assessment.advice", "reassessment.advice"})
_REVIEW_ARRANGER_RULES = frozenset({"review.invitations", "review.advice", "review.report"})
_PLAN_EVENTS = frozenset({"final_plan_issued", "amended_plan_issued"})
#: Events that begin a new round of advice (an assessment or re-assessment).
_ROUND_STARTS = frozenset({"request_received", "reassessment_requested", "la_became_responsible"})
#: Events that end one (a refusal ends it too).
_ROUND_ENDS = frozenset({"final_plan_issued", "amended_plan_issued", "no_plan_notice_sent",
                         "request_withdrawn", "plan_ceased"})


class WorkItem(SendflowModel):
    """One open duty of one case, as listed by :func:`worklist`."""

    case_index: int = Field(description="Position of the case in the input (0-based).")
    reference: str | None = Field(default=None, description="The case's own reference.")
    caseworker: str | None = Field(default=None, description="The case's caseworker code.")
    rule_id: str
    title: str
    key: str | None = Field(default=None, description="Which instance (e.g. the adviser).")
    instance: int = Field(
        default=1, description="Which occurrence of this rule and key within the case (from 1)."
    )
    actor: str = Field(description="The rule's actor (sendflow.rules.Rule.actor).")
    party: Party = Field(description="Who must act (see the module notes).")
    due: date
    act_by: date = Field(
        description="The last working day on or before 'due' (the due date itself when it "
        "is one). Advisory: statutory dates are never moved."
    )
    days_left: int = Field(description="Days from as_of to 'due'; negative when overdue.")
    status: Status = Field(description="pending, overdue or disapplied (never met).")
    legal_status: LegalStatus
    right: bool = Field(
        default=False,
        description="A right's window (the family's), not a duty: it lapses unused.",
    )
    anticipated: bool = Field(
        default=False,
        description="Counted from a meeting date given in advance (the review "
        "invitations' meeting_date) rather than from the meeting: the compliance "
        "report counts it once the meeting is held.",
    )
    citations: tuple[Citation, ...]

    @property
    def latest_working_day(self) -> date:
        """The last working day to act: :attr:`act_by` under the name the public API
        contract gives it (``item.latest_working_day``). Unlike
        :attr:`sendflow.Deadline.latest_working_day` it is never None: it is ``due``
        itself when ``due`` is a working day."""
        return self.act_by

    def citation_text(self) -> str:
        """The citations joined for display."""
        return "; ".join(f"{c.title} {c.provision}" for c in self.citations)


FindingCode = Literal["consent_not_recorded", "consent_withdrawn"]


class WorkFinding(SendflowModel):
    """Something to put right that has no due date (see the module notes on consent)."""

    case_index: int
    reference: str | None = None
    caseworker: str | None = None
    code: FindingCode
    party: Party
    key: str | None = Field(default=None, description="The kind of advice, for advice.")
    on: date = Field(description="The day advice was requested (or consent withdrawn).")
    message: str


class PartnerDuties(SendflowModel):
    """What one partner owes on one case, and whether consent covers them."""

    party: Party
    duties: tuple[WorkItem, ...] = Field(
        default=(), description="Every open duty of this partner, whatever its date."
    )
    advice_requested: tuple[str, ...] = Field(
        default=(), description="Kinds of advice asked of this partner in the current round."
    )
    consent_recorded: bool | None = Field(
        default=None,
        description="Whether a consent to share covering this partner is in force on as_of; "
        "None for the local authority and the family (no consent to share with).",
    )


class CasePartners(SendflowModel):
    """The partner view of one case."""

    case_index: int
    reference: str | None = None
    caseworker: str | None = None
    partners: tuple[PartnerDuties, ...] = Field(
        default=(), description="Every partner owing a duty or asked for advice, in Party order."
    )
    findings: tuple[WorkFinding, ...] = ()

    def partner(self, party: Party | str) -> PartnerDuties | None:
        """One partner's duties on this case, or None."""
        for p in self.partners:
            if p.party == party:
                return p
        return None


class CaseWork(SendflowModel):
    """One case's part of a worklist (see :func:`case_work`)."""

    items: tuple[WorkItem, ...] = Field(description="Open duties within the horizon, sorted.")
    partners: CasePartners


def _item_order(item: WorkItem) -> tuple[date, str, int, str, str, int]:
    return (item.due, item.reference or "", item.case_index, item.rule_id, item.key or "",
            item.instance)


class Worklist(SendflowModel):
    """Open duties of a caseload as of a date (see :func:`worklist`)."""

    as_of: date
    horizon_days: int
    until: date = Field(description="as_of + horizon_days: the last due date listed "
                        "(overdue duties are always listed).")
    items: tuple[WorkItem, ...] = Field(
        default=(), description="Sorted by due date, reference, rule id, key and instance."
    )
    findings: tuple[WorkFinding, ...] = ()
    cases: tuple[CasePartners, ...] = Field(
        default=(), description="The partner view of every case with an open duty or finding."
    )

    def by_partner(self) -> dict[Party, tuple[WorkItem, ...]]:
        """Items grouped by who must act, parties in :class:`Party` order."""
        groups: dict[Party, list[WorkItem]] = {}
        for item in self.items:
            groups.setdefault(item.party, []).append(item)
        return {p: tuple(groups[p]) for p in Party if p in groups}

    def by_caseworker(self) -> dict[str | None, tuple[WorkItem, ...]]:
        """Items grouped by caseworker, in order of the code; cases with none last (``None``)."""
        groups: dict[str | None, list[WorkItem]] = {}
        for item in self.items:
            groups.setdefault(item.caseworker, []).append(item)
        order = sorted((k for k in groups if k is not None), key=str.casefold)
        out: dict[str | None, tuple[WorkItem, ...]] = {k: tuple(groups[k]) for k in order}
        if None in groups:
            out[None] = tuple(groups[None])
        return out

    def by_case(self) -> dict[int, tuple[WorkItem, ...]]:
        """Items grouped by case (by position), the case with the most urgent item first."""
        groups: dict[int, list[WorkItem]] = {}
        for item in self.items:  # already sorted: first seen is most urgent
            groups.setdefault(item.case_index, []).append(item)
        return {k: tuple(v) for k, v in groups.items()}

    def partners_of(self, case_index: int) -> CasePartners | None:
        """The partner view of the case at ``case_index`` (None if it owes nothing)."""
        for c in self.cases:
            if c.case_index == case_index:
                return c
        return None


def _party(deadline: Deadline, actor: str, plan_names_setting: bool) -> Party:
    if deadline.rule_id in _ADVICE_RULES and deadline.key is not None:
        try:
            return ADVICE_PARTY[AdviceKind(deadline.key)]
        except ValueError:
            return Party.OTHER_ADVISER
    if deadline.rule_id in _REVIEW_ARRANGER_RULES:
        return Party.SCHOOL_OR_SETTING if plan_names_setting else Party.LOCAL_AUTHORITY
    return _ACTOR_PARTY.get(actor, Party.LOCAL_AUTHORITY)


def _act_by(d: Deadline, due: date, holidays: Any) -> date:
    if d.latest_working_day is not None:
        return d.latest_working_day
    if holidays is None:
        return due  # the engine fills latest_working_day whenever due is not a working day
    try:
        if calendar.is_working_day(due, holidays=holidays):
            return due
        return calendar.previous_working_day(due, holidays=holidays)
    except CalendarError:
        return due


def _covered(case: Case, roles: frozenset[ContactRole] | None, on: date) -> bool:
    for consent in case.consents:
        if not consent.is_in_force(on):
            continue
        if roles is None or any(r in roles for r in consent.partners):
            return True
    return False


def case_work(
    case: Case,
    *,
    as_of: date,
    horizon_days: int = 28,
    index: int = 0,
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
    consent_findings: bool = True,
) -> CaseWork:
    """One case's open duties and partner view, as :func:`worklist` lists them.

    For a caller reading cases one at a time that handles a case that cannot be
    evaluated itself (the ``worklist`` command counts it as a bad line).
    """
    until = _check(as_of, horizon_days)
    report = evaluate(case, as_of=as_of, holidays=holidays, rules=rules, recorded=recorded,
                      readings=readings)
    events = [e for e in case.events if e.on <= as_of]
    plan_names_setting = False
    for e in events:
        if e.type in _PLAN_EVENTS:
            plan_names_setting = getattr(e, "setting_ref", None) is not None
    owed: list[WorkItem] = []
    seen: dict[tuple[str, str | None], int] = {}
    for d in report.deadlines:
        instance = seen[(d.rule_id, d.key)] = seen.get((d.rule_id, d.key), 0) + 1
        if d.due is None or not is_open(d.status, d.met_on):
            continue
        if d.legal_status is LegalStatus.DERIVED:  # planning dates, not duties
            continue
        rule = d.rule
        actor = rule.actor if rule is not None else "local_authority"
        owed.append(
            WorkItem(
                case_index=index,
                reference=case.reference,
                caseworker=case.caseworker,
                rule_id=d.rule_id,
                title=d.title,
                key=d.key,
                instance=instance,
                actor=actor,
                party=_party(d, actor, plan_names_setting),
                due=d.due,
                act_by=_act_by(d, d.due, holidays),
                days_left=(d.due - as_of).days,
                status=d.status,
                legal_status=d.legal_status,
                right=bool(rule is not None and rule.lapses),
                citations=d.citations,
            )
        )
    owed.extend(_anticipated(case, report, events, as_of, index, seen, plan_names_setting,
                             holidays))
    owed.sort(key=_item_order)
    items = tuple(i for i in owed if i.due <= until)

    asked = _advice_asked(events)
    findings = _consent_findings(case, asked, as_of, index) if consent_findings else []
    by_party: dict[Party, list[WorkItem]] = {}
    for item in owed:
        by_party.setdefault(item.party, []).append(item)
    partners = []
    for party in Party:
        if party not in by_party and party not in asked:
            continue
        roles = _PARTY_ROLES.get(party)
        partners.append(PartnerDuties(
            party=party,
            duties=tuple(by_party.get(party, ())),
            advice_requested=tuple(dict.fromkeys(k.value for k, _, _ in asked.get(party, ()))),
            consent_recorded=None if roles is None else _covered(case, roles, as_of),
        ))
    return CaseWork(
        items=items,
        partners=CasePartners(case_index=index, reference=case.reference,
                              caseworker=case.caseworker, partners=tuple(partners),
                              findings=tuple(findings)),
    )


def _anticipated(
    case: Case,
    report: Any,
    events: list[Any],
    as_of: date,
    index: int,
    seen: Mapping[tuple[str, str | None], int],
    plan_names_setting: bool,
    holidays: Any,
) -> list[WorkItem]:
    """The advice to circulate before a review meeting that is fixed but not yet
    held (regs 20(4), 21(4)): the compliance report counts it back from the
    meeting once it is held; the invitations' ``meeting_date`` gives it ahead."""
    rule_id = "review.advice"
    if report.rules is not None and rule_id not in report.rules:
        return []
    if report.recorded is not None and "review_advice_circulated" not in report.recorded:
        return []  # the system cannot show it done: it would be not_recorded
    invitation = None
    for e in events:
        if e.type == "review_invitations_sent":
            invitation = e
        elif e.type in ("review_meeting_held", "review_advice_circulated"):
            invitation = None  # held, or the advice has gone round
    meeting = getattr(invitation, "meeting_date", None)
    if invitation is None or meeting is None or meeting < as_of:
        return []
    try:
        rule = rules_get(rule_id, on=meeting)
        due = notice_due(rule.period, meeting,
                         reading=report.readings.get("notice.at_least", "event_day_excluded"),
                         holidays=holidays)
    except SendflowError:
        return []
    act_by = due
    try:
        if not calendar.is_working_day(due, holidays=holidays):
            act_by = calendar.previous_working_day(due, holidays=holidays)
    except CalendarError:
        pass
    return [WorkItem(
        case_index=index, reference=case.reference, caseworker=case.caseworker,
        rule_id=rule_id, title=rule.title, key=None,
        instance=seen.get((rule_id, None), 0) + 1, actor=rule.actor,
        party=Party.SCHOOL_OR_SETTING if plan_names_setting else Party.LOCAL_AUTHORITY,
        due=due, act_by=act_by, days_left=(due - as_of).days,
        status=Status.OVERDUE if as_of > due else Status.PENDING,
        legal_status=rule.legal_status, anticipated=True, citations=rule.citations,
    )]


def _advice_asked(events: Iterable[Any]) -> dict[Party, list[tuple[AdviceKind, date, bool]]]:
    """Advice asked of each partner in the current round (an assessment or
    re-assessment not yet ended): (kind, day requested, received since)."""
    asked: dict[Party, list[tuple[AdviceKind, date, bool]]] = {}
    for e in events:
        if (e.type in _ROUND_STARTS or e.type in _ROUND_ENDS
                or getattr(e, "outcome", None) == "refuse"):
            asked = {}
        elif e.type == "advice_requested":
            kind = AdviceKind(getattr(e, "adviser"))  # noqa: B009
            asked.setdefault(ADVICE_PARTY[kind], []).append((kind, e.on, False))
        elif e.type == "advice_received":
            kind = AdviceKind(getattr(e, "adviser"))  # noqa: B009
            requests = asked.get(ADVICE_PARTY[kind], [])
            for i, (k, on, done) in enumerate(requests):
                if k is kind and not done:
                    requests[i] = (k, on, True)
                    break
    return asked


def _consent_findings(
    case: Case, asked: Mapping[Party, list[tuple[AdviceKind, date, bool]]], as_of: date,
    index: int,
) -> list[WorkFinding]:
    findings: list[WorkFinding] = []
    reported: set[AdviceKind] = set()
    for party, requests in asked.items():
        if party is Party.PARENT_OR_YOUNG_PERSON:
            continue
        for kind, on, done in requests:
            if kind in reported:
                continue
            roles = CONSENT_ROLES[kind]
            if not _covered(case, roles, on):
                code: FindingCode = "consent_not_recorded"
                message = (f"{kind.value} advice was requested on {on.isoformat()} from the "
                           f"{party.label} partner with no consent to share recorded for it")
            elif not done and not _covered(case, roles, as_of):
                code = "consent_withdrawn"
                message = (f"{kind.value} advice requested on {on.isoformat()} is still "
                           f"awaited, but no consent to share with the {party.label} partner "
                           f"is in force on {as_of.isoformat()}")
            else:
                continue
            reported.add(kind)
            findings.append(WorkFinding(
                case_index=index, reference=case.reference, caseworker=case.caseworker,
                code=code, party=party, key=kind.value, on=on, message=message))
    return findings


def _check(as_of: date | None, horizon_days: int) -> date:
    if not isinstance(as_of, date):
        raise InvalidArgument(
            "worklist: give as_of, the date the list speaks for (sendflow reads no clock)")
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 0:
        raise InvalidArgument("worklist: horizon_days must be a whole number of days, 0 or more")
    try:
        return calendar.add_days(as_of, horizon_days)
    except OverflowError:
        raise CalendarError("worklist: as_of + horizon_days is past the calendar's end") from None


def worklist(
    cases: Iterable[Case],
    *,
    as_of: date | None = None,
    horizon_days: int = 28,
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
    consent_findings: bool = True,
) -> Worklist:
    """The open duties of a caseload as of ``as_of`` (see the module notes).

    Args:
        cases: the caseload (any iterable of :class:`~sendflow.Case`, read once,
            one case at a time).
        as_of: the date the list speaks for. Required: sendflow reads no clock
            (the ``worklist`` command defaults it to today).
        horizon_days: list duties due up to this many days after ``as_of``
            (default 28: four weeks); overdue duties are always listed.
        holidays: a bank-holiday calendar for working days (due dates and the
            last working day to act).
        rules: only these rule ids or prefixes, as in :func:`~sendflow.evaluate`.
        recorded: what the source system records, as in :func:`~sendflow.evaluate`
            (a date met by an unrecorded event is ``not_recorded``, so not listed).
        readings: readings of the law where it is open, as in
            :func:`~sendflow.evaluate` (e.g. ``{"notice.at_least": "clear_days"}``).
        consent_findings: report advice sought without a consent on record
            (default True). Pass False when your system does not record consents
            (:attr:`sendflow.Case.consents`), or every request would be a finding;
            the partner view still says whether a consent is recorded.

    Returns:
        A :class:`Worklist`: items sorted by due date, reference, rule id, key and
        instance (so the order does not depend on the order of the input when
        every case has its own reference); the findings; the partner view of
        every case that owes something or has a finding.

    Raises:
        InvalidArgument: ``as_of`` missing or ``horizon_days`` not a count.
    """
    until = _check(as_of, horizon_days)
    assert as_of is not None
    items: list[WorkItem] = []
    findings: list[WorkFinding] = []
    views: list[CasePartners] = []
    for index, case in enumerate(cases):
        work = case_work(case, as_of=as_of, horizon_days=horizon_days, index=index,
                         holidays=holidays, rules=rules, recorded=recorded,
                         readings=readings, consent_findings=consent_findings)
        items.extend(work.items)
        findings.extend(work.partners.findings)
        if work.partners.partners or work.partners.findings:
            views.append(work.partners)
    return assemble(items, findings, views, as_of=as_of, horizon_days=horizon_days,
                    until=until)


def assemble(
    items: Iterable[WorkItem],
    findings: Iterable[WorkFinding],
    views: Iterable[CasePartners],
    *,
    as_of: date,
    horizon_days: int,
    until: date | None = None,
) -> Worklist:
    """A :class:`Worklist` from the parts :func:`case_work` gives, sorted."""
    end = until if until is not None else _check(as_of, horizon_days)
    return Worklist(
        as_of=as_of,
        horizon_days=horizon_days,
        until=end,
        items=tuple(sorted(items, key=_item_order)),
        findings=tuple(sorted(findings, key=lambda f: (f.reference or "", f.case_index,
                                                       f.on, f.key or "", f.code))),
        cases=tuple(sorted(views, key=lambda c: (c.reference or "", c.case_index))),
    )
