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
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from sendflow._base import SendflowModel

__all__ = [
    "ADVICE_SOURCES",
    "AdviceKind",
    "AdviceSource",
]

_REG6 = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/6"
_SEND_REGS = "Special Educational Needs and Disability Regulations 2014"


class AdviceKind(StrEnum):
    """A kind of advice and information sought for an EHC needs assessment.

    Each member corresponds to a paragraph of regulation 6 of the SEND
    Regulations 2014 (see :data:`ADVICE_SOURCES` for the citation of each).

    >>> AdviceKind("psychological")
    <AdviceKind.PSYCHOLOGICAL: 'psychological'>
    >>> ADVICE_SOURCES[AdviceKind.PSYCHOLOGICAL].provision
    'reg. 6(1)(d)'
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

    >>> src = ADVICE_SOURCES[AdviceKind.MEDICAL]
    >>> src.provision, src.kind
    ('reg. 6(1)(c)', 'regulations')
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
