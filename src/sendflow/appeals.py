"""The last day to appeal to the First-tier Tribunal (SEND), with the arithmetic in words.

A parent or young person appealing against a local authority's decision must
make sure the Tribunal *receives* the notice of appeal (the "application
notice") in time. The Tribunal's procedure rules (SI 2008/2699) set the time:

* **rule 20(1)(c)** — within 2 months after the written notice of the
  decision was sent, or within 1 month from the date of issue of the
  mediation certificate if that ends later;
* **rule 12(3)(a)** — in a special educational needs case, if that time ends
  on any day from 25 December to 1 January, or on any day in August, the
  notice is in time if the Tribunal receives it on the first working day after
  1 January or 31 August;
* **rule 12(2)** — otherwise, a time that ends on a day that is not a working
  day runs to the next working day;
* **rule 12(1)** — the act must be done by 5pm on the last day.

"Within 2 months after" a day ends on the corresponding date of the later
month, or on the month's last day when it has no such date
(:func:`sendflow.calendar.add_months`).

What was checked (November 2026): rule 20(1)(c) was read in the revised text
on legislation.gov.uk; rule 12(2) and (3)(a) in a consolidation that tracks
amendments (mentalhealthlaw.co.uk, showing SI 2020/651's change to rule 12(3)
from 21 July 2020, which left the SEN arithmetic unchanged); the HESC rules'
own definition of "working day" (rule 1(3)) was not read, so sendflow's
working-day table is used (weekends, Christmas Day, Good Friday and England
and Wales bank holidays).

One edge is a reading, not settled law: when the period ends on a
non-working day just before August or 25 December (e.g. Saturday 31 July),
rule 12(2) takes it to the next working day, which can be in August or in
the Christmas week; rule 12(3)(a) speaks of the time *ending* in those
periods, and this time ended in July. sendflow keeps the earlier date (the
safe advice to give a family) and says so in the explanation.

```python
>>> from datetime import date
>>> appeal_deadline(date(2026, 10, 1), date(2026, 11, 29))
datetime.date(2027, 1, 4)
>>> result = explain_appeal_deadline(date(2026, 6, 15))
>>> result.period_end, result.adjustment.value, result.deadline
(datetime.date(2026, 8, 15), 'august', datetime.date(2026, 9, 1))
>>> print(result.explain().splitlines()[-1])
Last day to appeal: Tue 1 Sep 2026, by 5pm (r. 12(1)). The Tribunal must receive the notice by then.

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from sendflow import calendar
from sendflow._base import SendflowModel
from sendflow._guard import guard_arguments
from sendflow.errors import RuleDataError
from sendflow.rules import Citation, CitationKind, Period, YearlySpan
from sendflow.rules._registry import nearest_version

if TYPE_CHECKING:
    from sendflow.calendar import BankHolidayCalendar
    from sendflow.rules import Rule

__all__ = [
    "APPEAL_CITATIONS",
    "AppealDeadline",
    "DeadlineAdjustment",
    "appeal_deadline",
    "explain_appeal_deadline",
    "in_rule_12_closed_period",
]

_HESC = "Tribunal Procedure (First-tier Tribunal) (HESC Chamber) Rules 2008"

#: Where the law says it (statute: procedure rules made under the Tribunals,
#: Courts and Enforcement Act 2007).
APPEAL_CITATIONS: tuple[Citation, ...] = (
    Citation(
        title=_HESC,
        provision="r. 20(1)(c)",
        kind=CitationKind.RULES,
        href="https://www.legislation.gov.uk/uksi/2008/2699/rule/20",
        note="Read in the revised text on legislation.gov.uk (November 2026).",
    ),
    Citation(
        title=_HESC,
        provision="r. 12(1)-(3)",
        kind=CitationKind.RULES,
        href="https://www.legislation.gov.uk/uksi/2008/2699/rule/12",
        note=(
            "r. 12(2) and (3)(a) read in a consolidation that tracks amendments "
            "(SI 2020/651 from 21 July 2020); r. 12(1) and the r. 1(3) definition of "
            "'working day' not read (UNVERIFIED)."
        ),
    ),
)


class DeadlineAdjustment(StrEnum):
    """How rule 12 moved the end of the appeal period, if at all."""

    NONE = "none"
    """The period ended on a working day outside August and 25 Dec-1 Jan."""
    CHRISTMAS = "christmas"
    """Ended 25 December-1 January: first working day after 1 January (r. 12(3)(a))."""
    AUGUST = "august"
    """Ended in August: first working day after 31 August (r. 12(3)(a))."""
    NON_WORKING_DAY = "non_working_day"
    """Ended on a weekend or holiday: the next working day (r. 12(2))."""


def in_rule_12_closed_period(d: date) -> bool:
    """Whether ``d`` is one of the days of rule 12(3)(a) (August, and 25 December to
    1 January inclusive, as ``appeal.deadline``'s ``spans`` give them).

    ```python
    >>> in_rule_12_closed_period(date(2026, 12, 25)), in_rule_12_closed_period(date(2027, 1, 2))
    (True, False)

    ```
    """
    return _closed_span(nearest_version("appeal.deadline", d), d) is not None


def _closed_span(rule: Rule, d: date) -> tuple[str, YearlySpan] | None:
    """The named span of ``rule`` that holds ``d``, if any."""
    for name, span in rule.spans.items():
        if span.contains(d):
            return name, span
    return None


def _fmt(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


class AppealDeadline(SendflowModel):
    """The appeal deadline and each step of its arithmetic.

    Build it with :func:`explain_appeal_deadline`; :meth:`explain` puts it in words.
    """

    decision_sent: date = Field(description="Day the written decision notice was sent.")
    certificate_issued: date | None = Field(
        default=None, description="Date of issue on the mediation certificate, if any."
    )
    decision_period_end: date = Field(
        description="The end of the period after the notice (2 months, r. 20(1)(c)(i))."
    )
    certificate_period_end: date | None = Field(
        default=None,
        description="The end of the period from the certificate (1 month, r. 20(1)(c)(ii)).",
    )
    decision_period: Period | None = Field(
        default=None, description="The period after the notice, as the rule data gives it."
    )
    certificate_period: Period | None = Field(
        default=None, description="The period from the certificate, as the rule data gives it."
    )
    period_end: date = Field(description="The later of the two period ends.")
    uses_certificate: bool = Field(description="Whether the certificate's month ends later.")
    adjustment: DeadlineAdjustment
    closed_span: YearlySpan | None = Field(
        default=None, description="The rule 12(3)(a) days the period ended in, if any."
    )
    deadline: date = Field(description="Last day the Tribunal may receive the notice (by 5pm).")
    citations: tuple[Citation, ...] = APPEAL_CITATIONS

    def explain(self) -> str:
        """The arithmetic in plain English, one step a line."""
        after = _words(self.decision_period, "after", "the period after it")
        lines = [
            f"Decision notice sent {_fmt(self.decision_sent)}: {after} is "
            f"{_fmt(self.decision_period_end)} (HESC Rules r. 20(1)(c)(i))."
        ]
        cert, cert_end = self.certificate_issued, self.certificate_period_end
        from_cert = _words(self.certificate_period, "from it", "the period from it")
        basic = f"the {_words(self.decision_period, '', 'basic')} period"
        if cert is None or cert_end is None:
            lines.append(f"No mediation certificate: {basic} applies.")
        elif self.uses_certificate:
            lines.append(
                f"Mediation certificate issued {_fmt(cert)}: {from_cert} is "
                f"{_fmt(cert_end)}, which is later, so it applies (r. 20(1)(c)(ii))."
            )
        else:
            lines.append(
                f"Mediation certificate issued {_fmt(cert)}: {from_cert} is "
                f"{_fmt(cert_end)}, not later, so {basic} applies."
            )
        end = _fmt(self.period_end)
        span = self.closed_span
        match self.adjustment:
            case DeadlineAdjustment.CHRISTMAS | DeadlineAdjustment.AUGUST if span is not None:
                days = span.describe()
                where = f"falls between {days.replace(' to ', ' and ')}" if " to " in days else (
                    f"is in {days}"
                )
                last = date(2000, span.last_month, span.last_day)
                lines.append(
                    f"{end} {where}, so the notice is in time if the Tribunal receives it on "
                    f"the first working day after {last:%-d %B} (r. 12(3)(a))."
                )
            case DeadlineAdjustment.NON_WORKING_DAY:
                lines.append(
                    f"{end} is not a working day, so the time runs to the next working day "
                    "(r. 12(2))."
                )
                if in_rule_12_closed_period(self.deadline):
                    lines.append(
                        "That day is in August or the Christmas week, but the period itself "
                        "ended before them; sendflow keeps the earlier date (rule 12(3)(a) "
                        "speaks of a time that ends in those days)."
                    )
            case DeadlineAdjustment.NONE:
                pass
        lines.append(
            f"Last day to appeal: {_fmt(self.deadline)}, by 5pm (r. 12(1)). "
            "The Tribunal must receive the notice by then."
        )
        return "\n".join(lines)


@guard_arguments
def explain_appeal_deadline(
    decision_sent: date,
    certificate_issued: date | None = None,
    *,
    holidays: BankHolidayCalendar | None = None,
) -> AppealDeadline:
    """The appeal deadline with every step of the arithmetic (see the module docstring).

    Args:
        decision_sent: the day the local authority sent the written decision notice.
        certificate_issued: the date of issue of the mediation certificate, if any.
        holidays: the holiday table for working days (default England and Wales).

    Raises:
        CalendarError: the holiday table does not cover the days needed.

    ```python
    >>> d = explain_appeal_deadline(date(2026, 11, 20), date(2026, 12, 31))
    >>> d.period_end, d.adjustment.value, d.deadline
    (datetime.date(2027, 1, 31), 'non_working_day', datetime.date(2027, 2, 1))

    ```
    """
    rule = nearest_version("appeal.deadline", decision_sent)
    return _appeal_arithmetic(decision_sent, certificate_issued, holidays=holidays, rule=rule)


def _words(period: Period | None, then: str, otherwise: str) -> str:
    """'2 months after' for a period counted ``within`` (``then`` = "after"); with an
    empty ``then``, the adjective: '2-month'."""
    if period is None:
        return otherwise
    if not then:
        unit = period.unit.value.replace("_", " ").rstrip("s")
        return f"{period.amount}-{unit}"
    return f"{period.describe().removeprefix('within ')} {then}"


def _appeal_arithmetic(
    decision_sent: date,
    certificate_issued: date | None,
    *,
    holidays: BankHolidayCalendar | None,
    rule: Rule,
) -> AppealDeadline:
    """:func:`explain_appeal_deadline` with the periods of ``rule`` (``appeal.deadline``,
    or another rule counting the same appeal limit, e.g. ``ceasing.appeal_window``):
    its ``period`` after the notice and its ``periods.after_certificate``."""
    after_certificate = rule.limb("after_certificate")
    decision_end = rule.period.due(decision_sent, holidays=holidays)
    cert_end = (
        None
        if certificate_issued is None
        else after_certificate.due(certificate_issued, holidays=holidays)
    )
    uses_certificate = cert_end is not None and cert_end > decision_end
    end = cert_end if cert_end is not None and uses_certificate else decision_end
    closed = _closed_span(rule, end)
    span: YearlySpan | None = None
    if closed is not None:
        # r. 12(3)(a): the first working day after the span's last day. A span's name is
        # the adjustment it makes (a name that is not one fails here, naming it).
        name, span = closed
        try:
            adjustment = DeadlineAdjustment(name)
        except ValueError:
            raise RuleDataError(
                f"rule {rule.id}", f"spans.{name}", "not a rule 12(3)(a) adjustment"
            ) from None
        deadline = calendar.next_working_day(span.last_day_for(end), holidays=holidays)
    elif not calendar.is_working_day(end, holidays=holidays):
        adjustment = DeadlineAdjustment.NON_WORKING_DAY
        deadline = calendar.next_working_day(end, holidays=holidays)
    else:
        adjustment = DeadlineAdjustment.NONE
        deadline = end
    return AppealDeadline(
        decision_sent=decision_sent,
        certificate_issued=certificate_issued,
        decision_period_end=decision_end,
        certificate_period_end=cert_end,
        period_end=end,
        uses_certificate=uses_certificate,
        adjustment=adjustment,
        closed_span=span,
        deadline=deadline,
        decision_period=rule.period,
        certificate_period=after_certificate,
    )


def appeal_deadline(
    decision_sent: date,
    certificate_issued: date | None = None,
    *,
    holidays: BankHolidayCalendar | None = None,
) -> date:
    """The last day the Tribunal may receive a SEND appeal (by 5pm).

    The later of 2 months after ``decision_sent`` and 1 month after
    ``certificate_issued`` (HESC Rules r. 20(1)(c)), moved under r. 12: an end
    from 25 December to 1 January goes to the first working day after
    1 January, an end in August to the first working day after 31 August, and
    any other non-working day to the next working day.

    ```python
    >>> appeal_deadline(date(2026, 6, 15))          # ends Sat 15 Aug -> Tue 1 Sep
    datetime.date(2026, 9, 1)
    >>> appeal_deadline(date(2027, 12, 31))         # no 31 Feb: last day of February
    datetime.date(2028, 2, 29)

    ```
    """
    return explain_appeal_deadline(decision_sent, certificate_issued, holidays=holidays).deadline
