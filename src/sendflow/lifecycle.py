"""Age and phase helpers for the life of an EHC plan.

- :func:`plan_latest_end`: the last day a plan may be maintained, from the
  young person's date of birth (Children and Families Act 2014 s. 46; SEND
  Regulations 2014 reg. 46).
- :func:`transfer_kind_for`: which kind of phase transfer a move between two
  National Curriculum years is (reg. 2(1), "transfer between phases of education").
- :func:`phase_transfer_due`: the reg. 18 date by which the plan must be
  reviewed and amended before a transfer.

National Curriculum year and phase on a date are in :mod:`sendflow.calendar`
(``national_curriculum_year``, ``phase_of_education``) and on
:class:`~sendflow.ChildOrYoungPerson` (``national_curriculum_year(on)``, ``phase_on(on)``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from sendflow import calendar
from sendflow._guard import guard_arguments
from sendflow.rules import _registry
from sendflow.rules._registry import history, nearest_version
from sendflow.workflows.review import TransferKind

if TYPE_CHECKING:
    from sendflow.rules import Period, Rule

__all__ = [
    "SettingKind",
    "TransferKind",
    "phase_transfer_due",
    "plan_latest_end",
    "transfer_kind_for",
]

#: Where the young person is learning in the academic year they turn 25 (reg. 46(1)).
SettingKind = Literal["further_education", "apprenticeship", "other"]


@guard_arguments
def plan_latest_end(
    date_of_birth: date,
    *,
    setting: SettingKind = "further_education",
    course_end: date | None = None,
) -> date:
    """The last day a plan may be maintained: the end of the academic year in which
    the young person turns 25 (CFA 2014 s. 46, SEND Regulations 2014 reg. 46(1)).

    - ``further_education`` (a further education sector college; the default):
      the academic year ends on 31 July, so the first 31 July on or after the
      25th birthday.
    - ``apprenticeship`` or ``other``: the scheduled end of the apprenticeship,
      course or training (``course_end``), or the day before the 26th birthday
      if that is earlier. Without ``course_end`` the day before the 26th
      birthday (the outer limit) is returned.

    A 29 February birthday falls on 1 March in common years
    (:func:`sendflow.calendar.birthday_in_year`).

    ```python
    >>> plan_latest_end(date(2010, 3, 14))          # turns 25 on 14 Mar 2035
    datetime.date(2035, 7, 31)
    >>> plan_latest_end(date(2010, 8, 15))          # turns 25 on 15 Aug 2035
    datetime.date(2036, 7, 31)
    >>> plan_latest_end(date(2010, 3, 14), setting="apprenticeship", course_end=date(2036, 6, 30))
    datetime.date(2036, 3, 13)

    ```
    """
    rule = _rule_on("ceasing.age_25", date_of_birth)
    return _latest_end(rule, date_of_birth, setting, course_end)


def _latest_end(
    rule: Rule, date_of_birth: date, setting: SettingKind, course_end: date | None
) -> date:
    """:func:`plan_latest_end` by the ages and periods of ``rule`` (``ceasing.age_25``)."""
    turns = calendar.birthday_in_year(date_of_birth, date_of_birth.year + rule.age("turns"))
    if setting == "further_education":
        # The academic year of a further education college ends before 1 August.
        year_end = rule.limb("further_education")
        end = _year_end(year_end, turns)
        if end < turns:  # the birthday falls after the year's end: the next year's
            end = _year_end(year_end, date(turns.year + 1, 1, 1))
        return rule.period.due(end)
    outer = calendar.birthday_in_year(date_of_birth, date_of_birth.year + rule.age("outer_limit"))
    day_before_outer = calendar.add_days(outer, -1)
    if course_end is None:
        return rule.period.due(day_before_outer)
    return rule.period.due(min(course_end, day_before_outer))


#: The end of the academic year by (month, day, year), for a fixed-date limb: it runs
#: for every case with a plan. Holds only those dates (no date of birth).
_YEAR_ENDS: dict[tuple[int, int, int], date] = {}


def _year_end(limb: Period, on: date) -> date:
    """``limb.due(on)``, looked up when the limb is a fixed date in the year."""
    month, day = limb.fixed_month, limb.fixed_day
    if month is None or day is None:
        return limb.due(on)
    key = (month, day, on.year)
    end = _YEAR_ENDS.get(key)
    if end is None:
        end = limb.due(on)
        if len(_YEAR_ENDS) < 1_000:
            _YEAR_ENDS[key] = end
    return end


def _rule_on(rule_id: str, on: date) -> Rule:
    return nearest_version(rule_id, on)


def transfer_kind_for(
    nc_year_from: int, nc_year_to: int, *, middle_school: bool = False
) -> TransferKind | None:
    """The kind of phase transfer between two National Curriculum years, if any.

    Nursery and earlier are negative, Reception is 0 (see
    :func:`sendflow.calendar.national_curriculum_year`). ``middle_school``
    says the area has middle schools: then a move into a middle school counts
    as ``primary_to_secondary`` (reg. 2(1)(c), primary to middle) and a move
    from a middle school into Year 8 or 9 as ``middle_to_secondary``.
    ``None`` means the move is not a transfer between phases in reg. 2(1).
    The years of each kind are data: ``rules/data/transfer.toml``'s
    ``[transfer_kinds]`` table, with the limb of the law each row follows
    (the first row that matches decides).

    ```python
    >>> transfer_kind_for(6, 7)
    <TransferKind.PRIMARY_TO_SECONDARY: 'primary_to_secondary'>
    >>> transfer_kind_for(11, 12).value, transfer_kind_for(-1, 0).value
    ('secondary_to_post16', 'into_school')
    >>> transfer_kind_for(4, 5) is None
    True

    ```
    """
    if nc_year_to <= nc_year_from:  # a move back or within a year is no transfer
        return None
    for row in _registry.transfer_kinds().row:
        if row.matches(nc_year_from, nc_year_to, middle_school):
            return TransferKind(row.kind)
    return None


@guard_arguments
def phase_transfer_due(kind: TransferKind | str, transfer_date: date) -> date | None:
    """The last day to review and amend the plan before a phase transfer (reg. 18).

    Before 15 February in the calendar year of the transfer (reg. 18(1)(b)),
    before 31 March for secondary school to a post-16 institution (18(1)(a)),
    at least five months before a move between post-16 institutions
    (18(2)). "Before" excludes the day itself; the Code of Practice's "by"
    would be one day later. A move into an apprenticeship is not a transfer
    between phases (``None``), nor is a secondary to post-16 move on
    1 September 2015 under reg. 18(1) (reg. 18(3) gave 30 May 2015 instead).

    ```python
    >>> phase_transfer_due("primary_to_secondary", date(2026, 9, 1))
    datetime.date(2026, 2, 14)
    >>> phase_transfer_due("secondary_to_post16", date(2027, 9, 1))
    datetime.date(2027, 3, 30)
    >>> phase_transfer_due("post16_to_post16", date(2027, 1, 4))
    datetime.date(2026, 8, 4)

    ```
    """
    kind = TransferKind(kind)
    found = _phase_limb(kind, transfer_date)
    return None if found is None else found[1].due(transfer_date)


def _transitional_rule(kind: TransferKind, transfer_date: date) -> Rule | None:
    """``transfer.phase_2015`` if it governs this transfer (reg. 18(3)): in force on the
    transfer date and matching its clock (the kind and transfer date its data names)."""
    rule = history("transfer.phase_2015").on(transfer_date)
    if rule is None:
        return None
    fields = {"kind": kind.value, "transfer_date": transfer_date}
    for match in rule.clock.starts:
        if all(fields.get(name) == value for name, value in match.where.items()):
            return rule
    return None


def _phase_limb(kind: TransferKind, transfer_date: date) -> tuple[Rule, Period] | None:
    """The rule and the limb of reg. 18 that date a transfer of ``kind`` on
    ``transfer_date``, all from the rule data; ``None`` for a move into an
    apprenticeship, which is not a transfer between phases (reg. 2(1)).

    Secondary to post-16 and post-16 to post-16 have their own limbs
    (``transfer.phase``'s ``periods``); every other kind takes the rule's period.
    """
    if kind is TransferKind.INTO_APPRENTICESHIP:
        return None
    special = _transitional_rule(kind, transfer_date)
    if special is not None:
        return special, special.period
    rule = _rule_on("transfer.phase", transfer_date)
    return rule, _kind_limb(rule, kind)


def _kind_limb(rule: Rule, kind: TransferKind) -> Period:
    """The limb of ``transfer.phase`` (``rule``) for a transfer of ``kind``."""
    if kind in (TransferKind.SECONDARY_TO_POST16, TransferKind.POST16_TO_POST16):
        return rule.limb(kind.value)
    return rule.period
