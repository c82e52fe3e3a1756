"""The appeal deadline: HESC Rules r. 20(1)(c) and r. 12 (SI 2008/2699), worked by hand.

Examples are timescales.md section 4, example 9, plus edges of rule 12.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from sendflow._cli import main
from sendflow.appeals import (
    AppealDeadline,
    DeadlineAdjustment,
    appeal_deadline,
    explain_appeal_deadline,
    in_rule_12_closed_period,
)
from sendflow.calendar import HolidayTable


@pytest.mark.parametrize(
    ("sent", "certificate", "due"),
    [
        # 9(a): 1 Oct -> 1 Dec; certificate 29 Nov -> 29 Dec (later, Christmas) -> Mon 4 Jan 2027
        (date(2026, 10, 1), date(2026, 11, 29), date(2027, 1, 4)),
        # 9(b): certificate 31 Dec -> Sun 31 Jan 2027 -> Mon 1 Feb
        (date(2026, 11, 20), date(2026, 12, 31), date(2027, 2, 1)),
        # 9(c): Sat 15 Aug 2026 -> first working day after 31 Aug (a bank holiday) = Tue 1 Sep
        (date(2026, 6, 15), None, date(2026, 9, 1)),
        # 9(d): 31 Dec 2027 -> last day of February in a leap year
        (date(2027, 12, 31), None, date(2028, 2, 29)),
        # 9(e): plain case
        (date(2026, 3, 13), None, date(2026, 5, 13)),
        # 31 Oct -> 31 Dec (Christmas period) -> Mon 4 Jan 2027
        (date(2026, 10, 31), None, date(2027, 1, 4)),
        # period ending on 1 January itself -> first working day after it
        (date(2026, 11, 1), None, date(2027, 1, 4)),
        # 30 Jun -> Sun 30 Aug (August) -> Tue 1 Sep 2026
        (date(2026, 6, 30), None, date(2026, 9, 1)),
        # certificate not later: 15 Oct -> 15 Nov < 1 Dec
        (date(2026, 10, 1), date(2026, 10, 15), date(2026, 12, 1)),
        # certificate after the 2 months: 20 May -> Sat 20 Jun -> Mon 22 Jun
        (date(2026, 3, 13), date(2026, 5, 20), date(2026, 6, 22)),
        # 2 months ends on 24 Dec 2026 (Thursday, a working day): no move
        (date(2026, 10, 24), None, date(2026, 12, 24)),
    ],
)
def test_worked_examples(sent: date, certificate: date | None, due: date) -> None:
    assert appeal_deadline(sent, certificate) == due


def test_explanation_names_each_step() -> None:
    result = explain_appeal_deadline(date(2026, 10, 1), date(2026, 11, 29))
    assert result.decision_period_end == date(2026, 12, 1)
    assert result.certificate_period_end == date(2026, 12, 29)
    assert result.uses_certificate
    assert result.adjustment is DeadlineAdjustment.CHRISTMAS
    text = result.explain()
    assert "Tue 1 Dec 2026" in text
    assert "Tue 29 Dec 2026, which is later" in text
    assert "first working day after 1 January" in text
    assert text.endswith("The Tribunal must receive the notice by then.")
    assert "Mon 4 Jan 2027, by 5pm" in text


def test_period_ending_saturday_before_august_keeps_the_earlier_date() -> None:
    # 31 May 2027 + 2 months = Sat 31 Jul 2027; r. 12(2) -> Mon 2 Aug 2027. The time
    # ended in July, so r. 12(3)(a) is not applied (the safer, earlier date).
    result = explain_appeal_deadline(date(2027, 5, 31))
    assert result.adjustment is DeadlineAdjustment.NON_WORKING_DAY
    assert result.deadline == date(2027, 8, 2)
    assert "sendflow keeps the earlier date" in result.explain()


def test_period_ending_saturday_24_december() -> None:
    # 24 Oct 2022 + 2 months = Sat 24 Dec 2022; Sun 25, Mon 26 and Tue 27 (substitute
    # Christmas Day) are not working days -> Wed 28 Dec 2022.
    assert appeal_deadline(date(2022, 10, 24)) == date(2022, 12, 28)


def test_custom_holiday_table() -> None:
    # 9(b) again, with a table that makes Mon 1 Feb 2027 a holiday: Tue 2 Feb.
    table = HolidayTable([date(2027, 2, 1)], date(2026, 1, 1), date(2027, 12, 31), source="test")
    assert appeal_deadline(date(2026, 11, 20), date(2026, 12, 31), holidays=table) == date(
        2027, 2, 2
    )


def test_closed_period_predicate() -> None:
    assert in_rule_12_closed_period(date(2026, 8, 1))
    assert in_rule_12_closed_period(date(2026, 12, 25))
    assert in_rule_12_closed_period(date(2027, 1, 1))
    assert not in_rule_12_closed_period(date(2026, 12, 24))
    assert not in_rule_12_closed_period(date(2027, 1, 2))


def test_model_round_trips_and_cites_the_rules() -> None:
    result = explain_appeal_deadline(date(2026, 6, 15))
    again = AppealDeadline.model_validate_json(result.model_dump_json())
    assert again == result
    provisions = {c.provision for c in result.citations}
    assert provisions == {"r. 20(1)(c)", "r. 12(1)-(3)"}
    assert all(c.href.startswith("https://www.legislation.gov.uk/uksi/2008/2699/") for c in
               result.citations)


def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["appeal-deadline", "--decision-sent", "2026-10-01",
                 "--certificate-issued", "2026-11-29"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Last day to appeal: Mon 4 Jan 2027" in out
    assert "r. 20(1)(c)" in out


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["appeal-deadline", "--decision-sent", "2026-06-15", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["deadline"] == "2026-09-01"
    assert data["adjustment"] == "august"
    assert "explanation" in data


def test_cli_rejects_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["appeal-deadline", "--decision-sent", "1 Oct 2026"])
    assert exc.value.code == 2
