"""Items a DfE SEN2 return holds that are not dates of a statutory step.

A SEN2 return records, beside the dates sendflow judges deadlines by, items that
are bookkeeping of the return itself (the mediation and tribunal flags with no
date, ``RYA``, ``Exported``), codes that summarise a plan (``PlanRes``,
``PlanWBP``, ``PB``, ``OA``, ``DP``) and dates that a return gives without the
history a deadline needs (``TransferLA`` with no transfer date, ``ReviewDraft``,
the phase-transfer dates). :class:`SEN2Items` holds them on a case, so
:func:`sendflow.sen2.build_return` writes them back: it is the ``sen2`` field of
the event that starts a request (``request_received`` or ``record_opened``).

The compliance engine never reads it: nothing in it starts, meets or stops a
clock. Codes are checked against the SEN2 code sets (``sen2/data/codes.toml``),
any collection year; whether a code or an item belongs to one year's collection
is for :func:`sendflow.sen2.validate` (and :func:`~sendflow.sen2.build_return`
writes an item only in the collections that have it).

```python
>>> from datetime import date
>>> items = SEN2Items(request_mediation=True, transfer_la="202", plan_res="B")
>>> items.request_mediation, items.plan_res
(True, 'B')
>>> SEN2Items(plan_res="Z")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for SEN2Items
plan_res
  Value error, not a code of the SEN2 code set PlanRes ...

```

Added in 0.9.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from sendflow._base import SendflowModel

__all__ = ["PlacementRank", "SEN2Items", "SEN2SettingCode", "check_sen2_code"]

#: An LA code as SEN2 writes another LA (``TransferLA``, ``Exported``): three digits, or
#: ``XXX`` when it is unknown or outside the UK.
_OTHER_LA = r"^([0-9]{3}|XXX)$"


@cache
def _codes(name: str) -> frozenset[str]:
    # Imported here: sendflow.sen2 imports the case model, which imports this module.
    from sendflow.sen2._model import _collections, code_set

    return frozenset(c for year in _collections() for c in code_set(name, year))


def check_sen2_code(name: str, value: str | None) -> str | None:
    """``value`` if it is a code of the SEN2 code set ``name`` in some collection year.

    Raises:
        ValueError: it is not (the message names the code set, never the value).

    ```python
    >>> check_sen2_code("DP", "I")
    'I'

    ```
    """
    if value is not None and value not in _codes(name):
        raise ValueError(f"not a code of the SEN2 code set {name} (sen2/data/codes.toml)")
    return value


def _setting_code(value: str) -> str:
    check_sen2_code("SENsetting", value)
    return value


def _rank_code(value: int) -> int:
    check_sen2_code("PlacementRank", str(value))
    return value


#: A setting's SEN2 code (code set SENsetting), as a setting attended and a placement
#: named in a plan both hold it.
SEN2SettingCode = Annotated[str, AfterValidator(_setting_code)]
#: A SEN2 PlacementRank (1 the main setting, 2 a second), checked against its code set.
PlacementRank = Annotated[int, AfterValidator(_rank_code)]


class SEN2Items(SendflowModel):
    """The SEN2 items of one request that no event of the case dates or codes.

    Each field is the SEN2 item named in :attr:`ITEMS` (module and element), as the
    return holds it; ``None`` where the return leaves it blank. Flags are ``True``
    for ``1``. The compliance engine does not read this record.
    """

    gender_current: str | None = Field(
        default=None, description="Person GenderCurrent (2023 collection): 0 not known, "
        "1 male, 2 female, 9 not specified. Sex (2024 on) is the child's sex.")
    rya: bool | None = Field(
        default=None, description="Request RYA: the request was made while in relevant "
        "youth accommodation.")
    request_mediation: bool | None = Field(
        default=None, description="Request RequestMediation: the decision whether to "
        "assess went to mediation.")
    request_tribunal: bool | None = Field(
        default=None, description="Request RequestTribunal: the decision whether to "
        "assess was appealed to the tribunal.")
    exported: str | None = Field(
        default=None, pattern=_OTHER_LA, description="Request Exported: the LA the child "
        "or young person moved to before the assessment was completed (XXX: unknown).")
    assessment_historical: bool | None = Field(
        default=None, description="Assessment AssessmentOutcome H for a plan whose StartDate "
        "is in the year (e.g. a plan transferred in): the decision to issue came before the "
        "period, though the plan's date is in it. Only True is given.")
    assessment_mediation: bool | None = Field(
        default=None, description="Assessment AssessmentMediation.")
    assessment_tribunal: bool | None = Field(
        default=None, description="Assessment AssessmentTribunal.")
    other_mediation: bool | None = Field(default=None, description="Assessment OtherMediation.")
    other_tribunal: bool | None = Field(default=None, description="Assessment OtherTribunal.")
    plan_start_date: date | None = Field(
        default=None, description="NamedPlan StartDate, when it is not the plan's making "
        "the case judges by (plan_made_on): a plan reviewed in the year but made more than "
        "12 months before, a plan with no ActivePlans record, or a StartDate other than "
        "the issue date.")
    plan_res: str | None = Field(
        default=None, description="NamedPlan PlanRes: residential provision named in the "
        "plan (code set PlanRes).")
    plan_wbp: str | None = Field(
        default=None, description="NamedPlan PlanWBP: work-based learning named in the plan "
        "(code set WBP).")
    pb: bool | None = Field(default=None, description="NamedPlan PB: a personal budget.")
    oa: bool | None = Field(
        default=None, description="NamedPlan OA: the personal budget is held as organised "
        "arrangements.")
    dp: str | None = Field(
        default=None, description="NamedPlan DP: direct payments (code set DP).")
    transfer_la: str | None = Field(
        default=None, pattern=_OTHER_LA, description="ActivePlans TransferLA: the LA the "
        "plan was transferred in from in the year (the return does not date the transfer).")
    res: str | None = Field(
        default=None, description="ActivePlans Res (2023 collection; on PlacementDetail "
        "from 2024): residential placement (code set PlanRes).")
    wbp: str | None = Field(
        default=None, description="ActivePlans WBP (2023 collection; on PlacementDetail "
        "from 2024): work-based placement (code set WBP).")
    review_meeting: date | None = Field(
        default=None, description="ActivePlans ReviewMeeting, when the case does not judge "
        "the review by it (no review outcome, or the decision not in the year).")
    review_outcome: str | None = Field(
        default=None, description="ActivePlans ReviewOutcome, when the case does not judge "
        "the review by it (code set ReviewOutcome).")
    review_draft: date | None = Field(
        default=None, description="ActivePlans ReviewDraft: the draft amended plan was "
        "issued after the review.")
    phase_transfer_due_date: date | None = Field(
        default=None, description="ActivePlans PhaseTransferDueDate.")
    phase_transfer_final_date: date | None = Field(
        default=None, description="ActivePlans PhaseTransferFinalDate.")

    #: Each field's SEN2 item: (module, element) as :mod:`sendflow.sen2` names them.
    ITEMS: ClassVar[dict[str, tuple[str, str]]] = {
        "gender_current": ("Person", "GenderCurrent"),
        "rya": ("Request", "RYA"),
        "request_mediation": ("Request", "RequestMediation"),
        "request_tribunal": ("Request", "RequestTribunal"),
        "exported": ("Request", "Exported"),
        "assessment_historical": ("Assessment", "AssessmentOutcome"),
        "assessment_mediation": ("Assessment", "AssessmentMediation"),
        "assessment_tribunal": ("Assessment", "AssessmentTribunal"),
        "other_mediation": ("Assessment", "OtherMediation"),
        "other_tribunal": ("Assessment", "OtherTribunal"),
        "plan_start_date": ("NamedPlan", "StartDate"),
        "plan_res": ("NamedPlan", "PlanRes"),
        "plan_wbp": ("NamedPlan", "PlanWBP"),
        "pb": ("NamedPlan", "PB"),
        "oa": ("NamedPlan", "OA"),
        "dp": ("NamedPlan", "DP"),
        "transfer_la": ("ActivePlan", "TransferLA"),
        "res": ("ActivePlan", "Res"),
        "wbp": ("ActivePlan", "WBP"),
        "review_meeting": ("ActivePlan", "ReviewMeeting"),
        "review_outcome": ("ActivePlan", "ReviewOutcome"),
        "review_draft": ("ActivePlan", "ReviewDraft"),
        "phase_transfer_due_date": ("ActivePlan", "PhaseTransferDueDate"),
        "phase_transfer_final_date": ("ActivePlan", "PhaseTransferFinalDate"),
    }
    #: The code set of each coded field.
    CODES: ClassVar[dict[str, str]] = {
        "gender_current": "GenderCurrent", "plan_res": "PlanRes", "plan_wbp": "WBP",
        "dp": "DP", "res": "PlanRes", "wbp": "WBP", "review_outcome": "ReviewOutcome",
    }

    @field_validator("gender_current", "plan_res", "plan_wbp", "dp", "res", "wbp",
                     "review_outcome")
    @classmethod
    def _coded(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_sen2_code(cls.CODES[str(info.field_name)], value)
