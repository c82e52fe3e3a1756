"""Partners in an EHC needs assessment: the advice the law requires, and who gives it.

The Special Educational Needs and Disability Regulations 2014 (SI 2014/1530),
regulation 6, list the advice and information a local authority must seek when
it carries out an education, health and care (EHC) needs assessment.
:class:`AdviceKind` names each kind; :data:`ADVICE_SOURCES` maps each kind to
the provision that requires it and, in plain English, who usually gives it.

This module imports nothing from sendflow except the model base and errors, so
the workflow modules can import it freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from pydantic import Field, model_validator

from sendflow._base import SendflowModel

__all__ = [
    "ADVICE_SOURCES",
    "AdviceContribution",
    "AdviceKind",
    "AdviceSource",
    "ConsentToShare",
    "ContactRole",
    "ParticipationMethod",
    "ParticipationRecord",
    "Partner",
    "ViewsOf",
]

_REG6 = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/6"
_SEND_REGS = "Special Educational Needs and Disability Regulations 2014"


class AdviceKind(StrEnum):
    """A kind of advice and information sought for an EHC needs assessment.

    Each member corresponds to a paragraph of regulation 6 of the SEND
    Regulations 2014 (see :data:`ADVICE_SOURCES` for the citation of each).

    ```python
    >>> AdviceKind("psychological")
    <AdviceKind.PSYCHOLOGICAL: 'psychological'>
    >>> ADVICE_SOURCES[AdviceKind.PSYCHOLOGICAL].provision
    'reg. 6(1)(d)'

    ```
    """

    PARENT_OR_YOUNG_PERSON = "parent_or_young_person"
    """Reg. 6(1)(a): from the child's parent or the young person."""
    EDUCATIONAL = "educational"
    """Reg. 6(1)(b): from the head, principal or manager of the setting attended."""
    MEDICAL = "medical"
    """Reg. 6(1)(c): from a health care professional the health commissioner identifies."""
    PSYCHOLOGICAL = "psychological"
    """Reg. 6(1)(d): from an educational psychologist."""
    SOCIAL_CARE = "social_care"
    """Reg. 6(1)(e): in relation to social care."""
    OTHER = "other"
    """Reg. 6(1)(f): from anyone else the local authority thinks appropriate."""
    PREPARING_FOR_ADULTHOOD = "preparing_for_adulthood"
    """Reg. 6(1)(g): in or beyond year 9, on preparing for adulthood and independent living."""
    REQUESTED_BY_PARENT = "requested_by_parent"
    """Reg. 6(1)(h): from anyone the parent or young person reasonably asks the LA to consult."""
    QUALIFIED_TEACHER_SENSORY = "qualified_teacher_sensory"
    """Reg. 6(2)–(3): a teacher qualified to teach pupils with vision and/or hearing impairment."""
    YOUTH_JUSTICE = "youth_justice"
    """Reg. 6(1)(f) in practice: the youth offending team, where relevant."""


class AdviceSource(SendflowModel):
    """Where the duty to seek one kind of advice comes from, and who gives it.

    ```python
    >>> src = ADVICE_SOURCES[AdviceKind.MEDICAL]
    >>> src.provision, src.kind
    ('reg. 6(1)(c)', 'regulations')

    ```
    """

    title: str
    provision: str
    href: str
    kind: Literal["act", "regulations", "code_of_practice", "guidance"] = "regulations"
    who_gives: str
    notes: str | None = None


def _reg6(provision: str, who_gives: str, notes: str | None = None) -> AdviceSource:
    return AdviceSource(
        title=_SEND_REGS, provision=provision, href=_REG6, who_gives=who_gives, notes=notes
    )


ADVICE_SOURCES: Mapping[AdviceKind, AdviceSource] = MappingProxyType(
    {
        AdviceKind.PARENT_OR_YOUNG_PERSON: _reg6(
            "reg. 6(1)(a)",
            "The child's parent, or the young person themselves.",
        ),
        AdviceKind.EDUCATIONAL: _reg6(
            "reg. 6(1)(b)",
            "Usually the head teacher, principal or manager of the nursery, school or college "
            "the child or young person attends; otherwise someone with experience of teaching "
            "children or young people with SEN, or whoever is responsible for their education.",
        ),
        AdviceKind.MEDICAL: _reg6(
            "reg. 6(1)(c)",
            "A health care professional (a doctor, nurse, therapist and so on) identified by the "
            "health body responsible for commissioning the child or young person's health care.",
        ),
        AdviceKind.PSYCHOLOGICAL: _reg6(
            "reg. 6(1)(d)",
            "An educational psychologist, usually employed or engaged by the local authority.",
        ),
        AdviceKind.SOCIAL_CARE: _reg6(
            "reg. 6(1)(e)",
            "The local authority's social care services (children's or adult social care).",
        ),
        AdviceKind.OTHER: _reg6(
            "reg. 6(1)(f)",
            "Anyone else the local authority thinks appropriate, for example a speech and "
            "language therapist or a specialist teacher.",
        ),
        AdviceKind.PREPARING_FOR_ADULTHOOD: _reg6(
            "reg. 6(1)(g)",
            "Whoever can advise on preparing for adulthood and independent living (for example "
            "careers, post-16 or adult services); required when the child or young person is in "
            "or beyond year 9.",
        ),
        AdviceKind.REQUESTED_BY_PARENT: _reg6(
            "reg. 6(1)(h)",
            "Any person the parent or young person reasonably asks the local authority to seek "
            "advice from.",
        ),
        AdviceKind.QUALIFIED_TEACHER_SENSORY: _reg6(
            "reg. 6(2)–(3)",
            "A teacher qualified to teach pupils or students with a vision impairment, a hearing "
            "impairment, or both; the educational advice must be given after consulting them "
            "where the child or young person appears to have such an impairment.",
        ),
        AdviceKind.YOUTH_JUSTICE: _reg6(
            "reg. 6(1)(f)",
            "The youth offending team, where the young person is involved with youth justice.",
            notes="Not named in reg. 6; sought as 'any other person the local authority thinks "
            "appropriate'. Detained persons are covered by SI 2015/62.",
        ),
    }
)


class ContactRole(StrEnum):
    """The role a professional (or other contact) plays around a child or young person.

    ```python
    >>> ContactRole("senco").label
    'SENCO'

    ```
    """

    SENCO = "senco"
    """Special educational needs co-ordinator of a school or setting (CFA 2014 s. 67)."""
    HEAD_TEACHER = "head_teacher"
    """Head teacher, principal or manager of the setting; gives the educational advice."""
    CLASS_TEACHER = "class_teacher"
    TEACHING_ASSISTANT = "teaching_assistant"
    SPECIALIST_TEACHER = "specialist_teacher"
    """For example a qualified teacher of the deaf or of children with vision impairment."""
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist"
    CASEWORKER = "caseworker"
    """The local authority's SEN caseworker or EHC plan co-ordinator."""
    KEY_WORKER = "key_worker"
    """A single point of contact who helps the family through the process."""
    DESIGNATED_MEDICAL_OFFICER = "designated_medical_officer"
    DESIGNATED_CLINICAL_OFFICER = "designated_clinical_officer"
    DESIGNATED_SOCIAL_CARE_OFFICER = "designated_social_care_officer"
    PAEDIATRICIAN = "paediatrician"
    SPEECH_AND_LANGUAGE_THERAPIST = "speech_and_language_therapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    PHYSIOTHERAPIST = "physiotherapist"
    CAMHS_CLINICIAN = "camhs_clinician"
    """Children and young people's mental health services."""
    SCHOOL_NURSE = "school_nurse"
    HEALTH_VISITOR = "health_visitor"
    SOCIAL_WORKER = "social_worker"
    VIRTUAL_SCHOOL_HEAD = "virtual_school_head"
    """Promotes the education of looked-after and previously looked-after children."""
    YOUTH_JUSTICE_WORKER = "youth_justice_worker"
    CAREERS_ADVISER = "careers_adviser"
    SENDIASS_ADVISER = "sendiass_adviser"
    """The impartial information, advice and support service (CFA 2014 s. 32)."""
    INDEPENDENT_SUPPORTER = "independent_supporter"
    ADVOCATE = "advocate"
    OTHER = "other"

    @property
    def label(self) -> str:
        """A short human-readable label."""
        return _ROLE_LABELS.get(self, self.value.replace("_", " ").capitalize())


_ROLE_LABELS: dict[ContactRole, str] = {
    ContactRole.SENCO: "SENCO",
    ContactRole.CAMHS_CLINICIAN: "CAMHS clinician",
    ContactRole.SENDIASS_ADVISER: "SENDIASS adviser",
}


class Partner(SendflowModel):
    """A person or service taking part in a child's support, by role.

    The name is optional and never shown in ``repr``.

    ```python
    >>> p = Partner(role=ContactRole.EDUCATIONAL_PSYCHOLOGIST, organisation="LA EP service",
    ...             name="A. Example")
    >>> "A. Example" in repr(p)
    False

    ```
    """

    role: ContactRole
    organisation: str | None = None
    name: str | None = Field(default=None, repr=False)
    email: str | None = Field(default=None, repr=False)
    phone: str | None = Field(default=None, repr=False)


ConsentGivenBy = Literal["parent", "young_person"]


class ConsentToShare(SendflowModel):
    """Consent to share information with named partners.

    Given by the parent or, once they are over compulsory school age, the young
    person. In force from ``given_on`` until the day before ``withdrawn_on``.

    ```python
    >>> from datetime import date
    >>> c = ConsentToShare(given_by="parent", given_on=date(2026, 1, 5),
    ...                    partners=(ContactRole.EDUCATIONAL_PSYCHOLOGIST,),
    ...                    scope="EHC needs assessment", withdrawn_on=date(2026, 3, 1))
    >>> c.is_in_force(date(2026, 2, 28)), c.is_in_force(date(2026, 3, 1))
    (True, False)

    ```
    """

    given_by: ConsentGivenBy
    given_on: date
    partners: tuple[ContactRole, ...] = Field(min_length=1)
    scope: str = Field(min_length=1)
    withdrawn_on: date | None = None

    @model_validator(mode="after")
    def _withdrawn_after_given(self) -> ConsentToShare:
        if self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise ValueError("withdrawn_on: must not be before given_on")
        return self

    def is_in_force(self, on: date) -> bool:
        """Whether the consent covers ``on``."""
        if on < self.given_on:
            return False
        return self.withdrawn_on is None or on < self.withdrawn_on

    def covers(self, role: ContactRole, on: date) -> bool:
        """Whether information may be shared with ``role`` on ``on`` under this consent.

        ```python
        >>> from datetime import date
        >>> c = ConsentToShare(given_by="young_person", given_on=date(2026, 1, 5),
        ...                    partners=(ContactRole.SOCIAL_WORKER,), scope="assessment")
        >>> c.covers(ContactRole.SOCIAL_WORKER, date(2026, 2, 1))
        True
        >>> c.covers(ContactRole.SENCO, date(2026, 2, 1))
        False

        ```
        """
        return role in self.partners and self.is_in_force(on)


class ViewsOf(StrEnum):
    """Whose views a participation record holds (CFA 2014 s. 19)."""

    CHILD = "child"
    PARENT = "parent"
    YOUNG_PERSON = "young_person"


class ParticipationMethod(StrEnum):
    """How views were gathered."""

    MEETING = "meeting"
    CONVERSATION = "conversation"
    QUESTIONNAIRE = "questionnaire"
    ONE_PAGE_PROFILE = "one_page_profile"
    ADVOCATE = "advocate"
    OBSERVATION = "observation"
    DRAWING_OR_ACTIVITY = "drawing_or_activity"
    ALTERNATIVE_COMMUNICATION = "alternative_communication"
    """Symbols, signing, communication aids or other augmentative means."""
    WRITTEN_SUBMISSION = "written_submission"
    OTHER = "other"


class ParticipationRecord(SendflowModel):
    """A record that a child's, parent's or young person's views were gathered, and how.

    Section 19 of the Children and Families Act 2014 requires regard to their
    views, wishes and feelings and to their participating as fully as possible.
    The summary is free text and hidden from ``repr``.

    ```python
    >>> from datetime import date
    >>> r = ParticipationRecord(views_of=ViewsOf.CHILD, gathered_on=date(2026, 2, 2),
    ...                         methods=(ParticipationMethod.ONE_PAGE_PROFILE,))
    >>> r.views_of.value
    'child'

    ```
    """

    views_of: ViewsOf
    gathered_on: date
    methods: tuple[ParticipationMethod, ...] = Field(min_length=1)
    gathered_by: ContactRole | None = None
    supported_by: ContactRole | None = None
    summary: str | None = Field(default=None, repr=False)


class AdviceContribution(SendflowModel):
    """One piece of advice sought for an EHC needs assessment (SEND Regs 2014 reg. 6).

    ```python
    >>> from datetime import date
    >>> a = AdviceContribution(kind=AdviceKind.PSYCHOLOGICAL,
    ...                        from_role=ContactRole.EDUCATIONAL_PSYCHOLOGIST,
    ...                        requested_on=date(2026, 2, 16))
    >>> a.is_received(date(2026, 3, 1)), a.source.provision
    (False, 'reg. 6(1)(d)')

    ```
    """

    kind: AdviceKind
    from_role: ContactRole
    organisation: str | None = None
    requested_on: date
    received_on: date | None = None
    previously_provided: bool = False
    """Reg. 6(4): advice given earlier that everyone agrees is sufficient, so not sought again."""

    @model_validator(mode="after")
    def _received_after_requested(self) -> AdviceContribution:
        if self.received_on is not None and self.received_on < self.requested_on:
            raise ValueError("received_on: must not be before requested_on")
        return self

    @property
    def source(self) -> AdviceSource:
        """The provision that requires this kind of advice."""
        return ADVICE_SOURCES[self.kind]

    def is_received(self, as_of: date) -> bool:
        """Whether the advice had arrived by ``as_of``."""
        return self.received_on is not None and self.received_on <= as_of
