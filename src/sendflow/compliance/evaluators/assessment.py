"""Findings for the assessment workflow: observations that are not deadlines."""

from __future__ import annotations

from sendflow.compliance._engine import EvaluationContext, Finding, register_findings
from sendflow.partners import AdviceKind
from sendflow.rules._registry import history
from sendflow.workflows.assessment import (
    AdviceRequested,
    DraftPlanIssued,
    FinalPlanIssued,
    RepresentationsReceived,
    RequestReceived,
)

__all__ = ["REQUIRED_ADVICE"]

#: Advice reg. 6(1)(a)-(e) of SI 2014/1530 requires in every assessment.
REQUIRED_ADVICE: tuple[AdviceKind, ...] = (
    AdviceKind.PARENT_OR_YOUNG_PERSON,
    AdviceKind.EDUCATIONAL,
    AdviceKind.MEDICAL,
    AdviceKind.PSYCHOLOGICAL,
    AdviceKind.SOCIAL_CARE,
)


@register_findings(needs={"draft_plan_issued"})
def _assessment_findings(ctx: EvaluationContext) -> list[Finding]:
    out: list[Finding] = []
    draft: DraftPlanIssued | None = None
    represented = False
    requested: set[AdviceKind] = set()
    for index, event in enumerate(ctx.events):
        if isinstance(event, RequestReceived):
            requested = set()
            draft = None
        elif isinstance(event, AdviceRequested):
            requested.add(event.adviser)
        elif isinstance(event, DraftPlanIssued):
            missing = [k.value for k in REQUIRED_ADVICE if k not in requested]
            if missing and draft is None:
                out.append(
                    Finding(
                        code="required_advice_not_sought",
                        message=(
                            "draft plan issued without a recorded request for "
                            f"{', '.join(missing)} advice (SEND Regulations 2014 reg. 6(1))"
                        ),
                        rule_id="assessment.advice",
                        event_index=index,
                        on=event.on,
                    )
                )
            draft, represented = event, False
        elif isinstance(event, RepresentationsReceived):
            represented = True
        elif isinstance(event, FinalPlanIssued) and draft is not None:
            # The representation period of the rule in force on the draft's day.
            window = history("assessment.draft_representations").on(draft.start_date)
            period = None if window is None else window.period
            window_end = None if period is None else period.due(
                draft.start_date, holidays=ctx.holidays
            )
            if period is not None and window_end is not None and (
                event.on <= window_end and not represented
            ):
                out.append(
                    Finding(
                        code="final_before_representation_period_ended",
                        message=(
                            f"final plan issued before the representation period "
                            f"({period.describe()} the draft) ended "
                            f"({window_end.isoformat()}) and no representations were "
                            "recorded (SEND Regulations 2014 reg. 13(1)(a))"
                        ),
                        rule_id="assessment.draft_representations",
                        event_index=index,
                        on=event.on,
                    )
                )
            draft = None
    return out
