"""One table of national figures, shared by ``sendflow.synth`` and the strategies.

The DfE's "Education, health and care plans" statistics (reporting year 2025,
calendar-year 2024 flows, national rows; figures as recorded in the project's
SEN2 reference, section 8) calibrate both the fast synthetic caseload
(``sendflow.synth.synthesise``) and the hypothesis strategy
``sendflow.testing.strategies.case_histories``, so the two describe the same
country. Shares the DfE does not publish are sendflow's own assumptions and are
named as such in ``ASSUMPTIONS``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = [
    "AGE_AT_REQUEST",
    "ASSUMPTIONS",
    "NATIONAL_2024",
    "NEED_SHARES",
    "SHARES",
    "SOURCE",
]

SOURCE: Final = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "education-health-and-care-plans"
)

#: Counts and shares as the DfE publishes them (England, calendar year 2024;
#: stock in January 2025).
NATIONAL_2024: dict[str, float] = {
    "plans_in_force_jan_2025": 638_745,
    "requests": 154_489,
    "requests_assessed": 101_045,
    "requests_refused": 38_889,
    "requests_assessed_share": 0.654,
    "requests_refused_share": 0.252,
    "decisions_within_6_weeks_share": 0.848,
    "assessments_completed": 105_340,
    "assessments_ending_in_plan": 98_547,
    "assessments_ending_in_plan_share": 0.936,
    "new_plans": 97_747,
    "within_20_weeks_excl_exceptions": 0.464,
    "within_20_weeks_incl_exceptions": 0.459,
    "weeks_20_to_52_excl_exceptions": 0.462,
    "over_52_weeks_excl_exceptions": 0.073,
    "plans_in_timeliness_measure": 90_392,
    "plans_without_exceptions": 84_866,
    "annual_reviews_expected": 524_654,
    "review_decisions_amend": 219_538,
    "review_decisions_maintain": 135_264,
    "review_decisions_cease": 4_087,
    "review_decisions_within_4_weeks_share": 0.444,
}

_N = NATIONAL_2024
_DECISIONS = (
    _N["review_decisions_amend"] + _N["review_decisions_maintain"] + _N["review_decisions_cease"]
)

#: The shares both generators draw from (derived from ``NATIONAL_2024``
#: where the DfE publishes the figure; see ``ASSUMPTIONS`` for the rest).
SHARES: MappingProxyType[str, float] = MappingProxyType({
    # Of requests: refused 25.2 %, assessed 65.4 %; the rest (9.4 %) withdrawn
    # or not yet decided when counted.
    "request_refused": _N["requests_refused_share"],
    "request_assessed": _N["requests_assessed_share"],
    "decision_within_6_weeks": _N["decisions_within_6_weeks_share"],
    # Of completed assessments: 93.6 % end in a plan.
    "assessment_plan": _N["assessments_ending_in_plan_share"],
    # Of plans in the timeliness measure, those with a 20-week exception:
    # (90,392 - 84,866) / 90,392 = 6.1 %.
    "plan_exception": 1 - _N["plans_without_exceptions"] / _N["plans_in_timeliness_measure"],
    # Of annual review decisions: amend 61.2 %, maintain 37.7 %, cease 1.1 %.
    "review_amend": _N["review_decisions_amend"] / _DECISIONS,
    "review_maintain": _N["review_decisions_maintain"] / _DECISIONS,
    "review_cease": _N["review_decisions_cease"] / _DECISIONS,
    # Of reviews expected in the year, those with a decision: 68.4 %.
    "review_completed": _DECISIONS / _N["annual_reviews_expected"],
    "review_decision_within_4_weeks": _N["review_decisions_within_4_weeks_share"],
    # Stock against flow: plans in force in January 2025 against three years of
    # requests at the 2024 rate, 638,745 / (638,745 + 3 x 154,489) = 58 %;
    # rounded to 0.6 in sendflow.synth.
    "stock_plan": _N["plans_in_force_jan_2025"]
    / (_N["plans_in_force_jan_2025"] + 3 * _N["requests"]),
    # Who asked for the assessment: sendflow's assumption (see ASSUMPTIONS).
    "made_by_parent": 0.62,
    "made_by_school_or_setting": 0.30,
    "made_by_other": 0.05,
    "made_by_young_person": 0.03,
})

#: Shares in ``SHARES`` the DfE does not publish, and why sendflow chose them.
ASSUMPTIONS: MappingProxyType[str, str] = MappingProxyType({
    "made_by_parent": (
        "SEN2 records who made the request (RequestSource) only from 2025 and the DfE has "
        "published no split; sendflow assumes parents ask most often, schools and settings "
        "next and young people least, as LAs report."
    ),
    "made_by_school_or_setting": "as made_by_parent",
    "made_by_other": "as made_by_parent (health, social care and others)",
    "made_by_young_person": "as made_by_parent (young people over compulsory school age)",
    "age_at_request": "AGE_AT_REQUEST is shaped by hand, not published as such",
    "need_shares": "NEED_SHARES beyond the four needs the DfE headlines",
    "stock_plan": (
        "the share of a caseload that is plans made before the period depends on how many "
        "years of requests it holds; three years are assumed"
    ),
})

#: Primary need, January 2025: ASD 31.5 %, SLCN 21.3 %, SEMH 20.7 %, MLD 10.6 %
#: (DfE); the rest spread over the other SEN2 codes (sendflow's assumption).
#: ``DS`` is in the SEN2 code list from the 2025 collection.
NEED_SHARES: tuple[tuple[str, float], ...] = (
    ("ASD", 0.315), ("SLCN", 0.213), ("SEMH", 0.207), ("MLD", 0.106), ("SLD", 0.040),
    ("SPLD", 0.035), ("PD", 0.026), ("HI", 0.015), ("PMLD", 0.014), ("OTH", 0.013),
    ("VI", 0.007), ("DS", 0.007), ("MSI", 0.002),
)

#: Age at request (whole years) and weights: most requests are for young
#: children (sendflow's assumption, shaped on the DfE's plans by age).
AGE_AT_REQUEST: tuple[tuple[int, float], ...] = (
    (1, 0.02), (2, 0.07), (3, 0.12), (4, 0.13), (5, 0.11), (6, 0.09), (7, 0.08), (8, 0.07),
    (9, 0.06), (10, 0.05), (11, 0.05), (12, 0.04), (13, 0.03), (14, 0.03), (15, 0.02),
    (16, 0.01), (17, 0.01), (18, 0.005), (19, 0.005),
)
