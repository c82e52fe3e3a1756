"""Worklists by partner, caseworker and case (issue 18 point 1), worked by hand.

The caseload, as of Mon 30 Mar 2026 with the default 28-day horizon (duties due
by Mon 27 Apr 2026, and every overdue duty):

- A-1 (caseworker CW-02): request Mon 5 Jan 2026. Advice asked on Mon 23 Feb of
  the educational psychologist and of health; health's arrived on 10 Mar. The
  psychological advice is due within 6 weeks of the request for it (reg. 8):
  Mon 6 Apr 2026, Easter Monday, so the last working day to act is Thu 2 Apr
  (Good Friday is 3 Apr). The no-plan notice is due 16 weeks after the request
  (reg. 10(1)): Mon 27 Apr, 28 days left, the last day of the horizon; the
  final plan (20 weeks, reg. 13(2): Mon 25 May) is beyond it. Consent to share
  covers a paediatrician (health) only: the psychological advice was sought
  without one, a finding.
- B-7 (CW-01): plan made Thu 20 Mar 2025 naming a school (URN-100); the review
  meeting was held Mon 23 Mar 2026, after the annual review fell due (12 months
  beginning with 20 Mar 2025: Thu 19 Mar 2026, s. 44(1)), so that is 11 days
  overdue. The report is due 2 weeks after the meeting (reg. 20(7)-(9)): Mon
  6 Apr (act by Thu 2 Apr), the school's duty as the plan names one. The
  decision (and, under Devon, the proposed amendments) is due 4 weeks after the
  meeting (reg. 20(10)): Mon 20 Apr.
- C-3 (no caseworker): request Mon 3 Nov 2025, so the final plan was due Mon
  23 Mar 2026 (20 weeks): 7 days overdue. The school consulted on Mon 16 Mar
  should reply within 15 days (Code of Practice para. 9.83): Tue 31 Mar.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from sendflow import Case, Party, worklist
from sendflow._cli import main
from sendflow.errors import InvalidArgument

A = {"reference": "A-1", "caseworker": "CW-02",
     "consents": [{"given_by": "parent", "given_on": "2026-02-20",
                   "partners": ["paediatrician"], "scope": "EHC needs assessment"}],
     "events": [
         {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
         {"type": "assessment_decision", "on": "2026-02-16", "outcome": "assess"},
         {"type": "advice_requested", "on": "2026-02-23", "adviser": "psychological"},
         {"type": "advice_requested", "on": "2026-02-23", "adviser": "medical"},
         {"type": "advice_received", "on": "2026-03-10", "adviser": "medical"}]}
B = {"reference": "B-7", "caseworker": "CW-01", "events": [
    {"type": "final_plan_issued", "on": "2025-03-20", "setting_ref": "URN-100"},
    {"type": "review_invitations_sent", "on": "2026-03-02", "meeting_date": "2026-03-23"},
    {"type": "review_advice_circulated", "on": "2026-03-09"},
    {"type": "review_meeting_held", "on": "2026-03-23"}]}
C = {"reference": "C-3",
     "consents": [{"given_by": "parent", "given_on": "2025-12-01",
                   "partners": ["educational_psychologist"], "scope": "EHC needs assessment"}],
     "events": [
         {"type": "request_received", "on": "2025-11-03", "made_by": "school_or_setting"},
         {"type": "assessment_decision", "on": "2025-12-15", "outcome": "assess"},
         {"type": "advice_requested", "on": "2025-12-16", "adviser": "psychological"},
         {"type": "advice_received", "on": "2026-01-20", "adviser": "psychological"},
         {"type": "draft_plan_issued", "on": "2026-03-09"},
         {"type": "setting_consulted", "on": "2026-03-16", "setting_ref": "URN-200"}]}
AS_OF = date(2026, 3, 30)

EXPECTED = [
    # reference, rule, key, party, due, act by, days left, status
    ("B-7", "review.annual", None, "local_authority", date(2026, 3, 19), date(2026, 3, 19),
     -11, "overdue"),
    ("C-3", "assessment.final_plan", None, "local_authority", date(2026, 3, 23),
     date(2026, 3, 23), -7, "overdue"),
    ("C-3", "assessment.setting_response", "URN-200", "school_or_setting", date(2026, 3, 31),
     date(2026, 3, 31), 1, "pending"),
    ("A-1", "assessment.advice", "psychological", "educational_psychology", date(2026, 4, 6),
     date(2026, 4, 2), 7, "pending"),
    ("B-7", "review.report", None, "school_or_setting", date(2026, 4, 6), date(2026, 4, 2), 7,
     "pending"),
    ("B-7", "review.amendment_notice", None, "local_authority", date(2026, 4, 20),
     date(2026, 4, 20), 21, "pending"),
    ("B-7", "review.decision", None, "local_authority", date(2026, 4, 20), date(2026, 4, 20),
     21, "pending"),
    ("A-1", "assessment.no_plan_notice", None, "local_authority", date(2026, 4, 27),
     date(2026, 4, 27), 28, "pending"),
]


def _cases(*data: dict[str, object]) -> list[Case]:
    return [Case.model_validate(d) for d in data]


def _rows(items: object) -> list[tuple[object, ...]]:
    return [(i.reference, i.rule_id, i.key, i.party.value, i.due, i.act_by, i.days_left,
             i.status.value) for i in items]  # type: ignore[attr-defined]


def test_items_sorted_by_due_date_with_who_acts_and_when() -> None:
    wl = worklist(_cases(A, B, C), as_of=AS_OF)
    assert wl.until == date(2026, 4, 27)
    assert _rows(wl.items) == EXPECTED
    advice = wl.items[3]
    assert advice.actor == "advice_giver" and advice.caseworker == "CW-02"
    assert advice.citations[0].provision.startswith("reg. 8")


def test_order_does_not_depend_on_the_input_order() -> None:
    forward = worklist(_cases(A, B, C), as_of=AS_OF)
    backward = worklist(_cases(C, B, A), as_of=AS_OF)
    assert _rows(backward.items) == _rows(forward.items)
    assert [f.reference for f in backward.findings] == [f.reference for f in forward.findings]


def test_grouped_by_partner_in_party_order() -> None:
    groups = worklist(_cases(A, B, C), as_of=AS_OF).by_partner()
    assert list(groups) == [Party.LOCAL_AUTHORITY, Party.SCHOOL_OR_SETTING,
                            Party.EDUCATIONAL_PSYCHOLOGY]
    assert [(i.reference, i.rule_id) for i in groups[Party.SCHOOL_OR_SETTING]] == [
        ("C-3", "assessment.setting_response"), ("B-7", "review.report")]
    assert [i.rule_id for i in groups[Party.LOCAL_AUTHORITY]] == [
        "review.annual", "assessment.final_plan", "review.amendment_notice",
        "review.decision", "assessment.no_plan_notice"]


def test_grouped_by_caseworker_unassigned_last() -> None:
    groups = worklist(_cases(A, B, C), as_of=AS_OF).by_caseworker()
    assert list(groups) == ["CW-01", "CW-02", None]
    assert [i.rule_id for i in groups["CW-02"]] == ["assessment.advice",
                                                    "assessment.no_plan_notice"]
    assert [i.reference for i in groups[None]] == ["C-3", "C-3"]


def test_grouped_by_case_most_urgent_first() -> None:
    wl = worklist(_cases(A, B, C), as_of=AS_OF)
    groups = wl.by_case()
    assert [groups[k][0].reference for k in groups] == ["B-7", "C-3", "A-1"]
    assert [len(v) for v in groups.values()] == [4, 2, 2]


def test_horizon() -> None:
    # Horizon 0: only what is overdue or due today (nothing is due on 30 Mar).
    assert [i.rule_id for i in worklist(_cases(A, B, C), as_of=AS_OF, horizon_days=0).items] \
        == ["review.annual", "assessment.final_plan"]
    # 56 days (to Mon 25 May): A-1's final plan, due that day, comes in.
    wide = worklist(_cases(A), as_of=AS_OF, horizon_days=56)
    assert [(i.rule_id, i.due) for i in wide.items][-1] == ("assessment.final_plan",
                                                           date(2026, 5, 25))
    # Spring bank holiday: act by Fri 22 May.
    assert wide.items[-1].act_by == date(2026, 5, 22)


def test_review_duties_fall_to_the_la_when_no_setting_is_named() -> None:
    unnamed = {**B, "events": [{"type": "final_plan_issued", "on": "2025-03-20"},
                               *B["events"][1:]]}  # type: ignore[misc]
    (case,) = _cases(unnamed)
    report = [i for i in worklist([case], as_of=AS_OF).items if i.rule_id == "review.report"]
    assert [i.party for i in report] == [Party.LOCAL_AUTHORITY]


def test_missing_consent_is_a_finding() -> None:
    wl = worklist(_cases(A, B, C), as_of=AS_OF)
    (finding,) = wl.findings
    assert (finding.reference, finding.code, finding.party, finding.key, finding.on) == (
        "A-1", "consent_not_recorded", Party.EDUCATIONAL_PSYCHOLOGY, "psychological",
        date(2026, 2, 23))
    view = wl.partners_of(0)
    assert view is not None
    assert [(p.party.value, [d.rule_id for d in p.duties], p.advice_requested,
             p.consent_recorded) for p in view.partners] == [
        ("local_authority", ["assessment.no_plan_notice", "assessment.final_plan"], (), None),
        ("educational_psychology", ["assessment.advice"], ("psychological",), False),
        ("health", [], ("medical",), True),
    ]
    c3 = wl.partners_of(2)
    assert c3 is not None and c3.partner("educational_psychology") is not None
    assert c3.partner(Party.EDUCATIONAL_PSYCHOLOGY).consent_recorded is True  # type: ignore[union-attr]


def test_consent_given_after_the_request_does_not_cover_it() -> None:
    late = {**A, "consents": [{"given_by": "parent", "given_on": "2026-03-01",
                               "partners": ["educational_psychologist", "paediatrician"],
                               "scope": "EHC needs assessment"}]}
    codes = [(f.code, f.key) for f in worklist(_cases(late), as_of=AS_OF).findings]
    # Findings in order of case, day asked, then kind.
    assert codes == [("consent_not_recorded", "medical"),
                     ("consent_not_recorded", "psychological")]


def test_consent_withdrawn_while_advice_is_awaited() -> None:
    withdrawn = {**A, "consents": [{"given_by": "parent", "given_on": "2026-02-01",
                                    "withdrawn_on": "2026-03-20",
                                    "partners": ["educational_psychologist", "paediatrician"],
                                    "scope": "EHC needs assessment"}]}
    # The medical advice arrived before the withdrawal: nothing to say about it.
    assert [(f.code, f.key) for f in worklist(_cases(withdrawn), as_of=AS_OF).findings] == [
        ("consent_withdrawn", "psychological")]


def test_no_consent_finding_for_the_family_or_a_finished_assessment() -> None:
    family = {"reference": "F-1", "events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-16", "outcome": "assess"},
        {"type": "advice_requested", "on": "2026-02-23", "adviser": "parent_or_young_person"}]}
    assert worklist(_cases(family), as_of=AS_OF).findings == ()
    done = {**A, "events": [*A["events"], {"type": "advice_received", "on": "2026-03-20",  # type: ignore[list-item]
                                           "adviser": "psychological"},
                            {"type": "draft_plan_issued", "on": "2026-04-13"},
                            {"type": "final_plan_issued", "on": "2026-05-11"}]}
    # Before the final plan the finding stands; once the assessment ends it goes.
    assert len(worklist(_cases(done), as_of=date(2026, 5, 1)).findings) == 1
    assert worklist(_cases(done), as_of=date(2026, 5, 12)).findings == ()


def test_any_consent_covers_advice_from_an_unnamed_role() -> None:
    other = {"reference": "O-1",
             "consents": [{"given_by": "young_person", "given_on": "2026-01-05",
                           "partners": ["speech_and_language_therapist"], "scope": "assessment"}],
             "events": [
                 {"type": "request_received", "on": "2026-01-05", "made_by": "young_person"},
                 {"type": "assessment_decision", "on": "2026-02-16", "outcome": "assess"},
                 {"type": "advice_requested", "on": "2026-02-23", "adviser": "other"}]}
    assert worklist(_cases(other), as_of=AS_OF).findings == ()
    assert len(worklist(_cases({**other, "consents": []}), as_of=AS_OF).findings) == 1


def test_met_late_and_not_recorded_are_not_open() -> None:
    # C-3's decision (due Mon 15 Dec 2025, 6 weeks) was made on time, A-1's
    # (due Mon 16 Feb) on the day: neither is listed. With a system that does not
    # record final plans, C-3's overdue final plan is not_recorded, so not listed.
    wl = worklist(_cases(C), as_of=AS_OF, recorded=["request_received", "assessment_decision",
                                                    "advice_requested", "advice_received",
                                                    "draft_plan_issued", "setting_consulted",
                                                    "setting_response_received"])
    assert [i.rule_id for i in wl.items] == ["assessment.setting_response"]
    assert [i.rule_id for i in worklist(_cases(C), as_of=AS_OF,
                                        rules=["assessment.final_plan"]).items] == [
        "assessment.final_plan"]


@pytest.mark.parametrize("kwargs", [{}, {"as_of": "2026-03-30"},
                                    {"as_of": AS_OF, "horizon_days": -1},
                                    {"as_of": AS_OF, "horizon_days": True},
                                    {"as_of": AS_OF, "horizon_days": 2.5}])
def test_bad_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        worklist([], **kwargs)  # type: ignore[arg-type]


def test_caseworker_is_a_code_never_echoed() -> None:
    with pytest.raises(ValidationError) as info:
        Case.model_validate({"caseworker": "Jane\nSmith", "events": []})
    assert "Jane" not in str(info.value) and "Jane" not in json.dumps(info.value.errors())
    assert Case.model_validate({"caseworker": "north team/CW 07", "events": []}).caseworker


# ------------------------------------------------------------------------ CLI
def _write(tmp_path: Path, *cases: dict[str, object]) -> str:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    return str(path)


def test_cli_json_grouped_by_caseworker(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, A, B, C)
    assert main(["worklist", path, "--as-of", "2026-03-30", "--by", "caseworker",
                 "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["group"], r["kind"], r.get("rule_id") or r["code"]) for r in rows] == [
        ("CW-01", "duty", "review.annual"), ("CW-01", "duty", "review.report"),
        ("CW-01", "duty", "review.amendment_notice"), ("CW-01", "duty", "review.decision"),
        ("CW-02", "duty", "assessment.advice"), ("CW-02", "duty", "assessment.no_plan_notice"),
        ("CW-02", "finding", "consent_not_recorded"),
        (None, "duty", "assessment.final_plan"),
        (None, "duty", "assessment.setting_response"),
    ]
    assert rows[0]["line"] == 2 and rows[0]["days_left"] == -11
    # By case, each case's duties and findings are followed by its partner view.
    assert main(["worklist", path, "--as-of", "2026-03-30", "--by", "case",
                 "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["group"], r["kind"]) for r in rows if r["kind"] != "duty"] == [
        ("B-7", "partners"), ("C-3", "partners"), ("A-1", "finding"), ("A-1", "partners")]
    (a1,) = [r for r in rows if r["kind"] == "partners" and r["group"] == "A-1"]
    assert [(p["party"], p["consent_recorded"]) for p in a1["partners"]] == [
        ("local_authority", None), ("educational_psychology", False), ("health", True)]


def test_cli_text_by_partner_and_case(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, A, B, C)
    assert main(["worklist", path, "--as-of", "2026-03-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worklist as of Mon 30 Mar 2026: 8 open duties")
    assert out.index("== local authority ==") < out.index("== school or setting ==") \
        < out.index("== educational psychology ==")
    assert "Mon 6 Apr 2026 (act by Thu 2 Apr 2026)  7 days left  A-1" in out
    assert "11 days overdue  B-7  review.annual" in out
    assert main(["worklist", path, "--as-of", "2026-03-30", "--by", "case"]) == 0
    out = capsys.readouterr().out
    assert out.index("== B-7 (caseworker CW-01) ==") < out.index("== C-3 ==") \
        < out.index("== A-1 (caseworker CW-02) ==")
    assert ("partner educational psychology: 1 open duty; advice asked: psychological; "
            "no consent to share recorded") in out


def test_cli_csv_defends_against_formulas(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, {**C, "reference": "=HYPERLINK(1)"})
    assert main(["worklist", path, "--as-of", "2026-03-30", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group,line,reference,caseworker,party,rule_id")
    assert all(",'=HYPERLINK(1)," in line for line in lines[1:])


def test_cli_bad_lines_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(A) + "\n{oops\n", encoding="utf-8")
    assert main(["worklist", str(path), "--as-of", "2026-03-30"]) == 1
    assert "line 2: invalid case" in capsys.readouterr().err
    assert main(["worklist", str(path), "--horizon", "-1"]) == 2
    assert main(["worklist", str(path), "--remind", "7d"]) == 2
    assert main(["worklist", str(path), "--rules", "no.such"]) == 2
    assert main(["worklist", str(tmp_path / "missing.jsonl")]) == 3


def test_cli_ics_feed_is_stable_under_permutation(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    icalendar = pytest.importorskip("icalendar")
    assert main(["worklist", _write(tmp_path, A, B, C), "--as-of", "2026-03-30",
                 "--format", "ics", "--remind", "2d"]) == 0
    forward = capsysbinary.readouterr().out
    assert main(["worklist", _write(tmp_path, C, A, B), "--as-of", "2026-03-30",
                 "--format", "ics", "--remind", "2d"]) == 0
    assert capsysbinary.readouterr().out == forward
    events = icalendar.Calendar.from_ical(forward).walk("VEVENT")
    assert len(events) == len(EXPECTED)
    assert {str(e["categories"].cats[0]) for e in events} == {
        "local authority", "school or setting", "educational psychology"}
    # The same date has the same UID in the worklist feed as in `upcoming`.
    assert main(["upcoming", _write(tmp_path, A), "--from", "2026-04-06", "--to", "2026-04-06",
                 "--as-of", "2026-03-30", "--format", "ics", "--rules", "assessment.advice",
                 "--open-only"]) == 0
    (up,) = icalendar.Calendar.from_ical(capsysbinary.readouterr().out).walk("VEVENT")
    assert str(up["uid"]) in {str(e["uid"]) for e in events}


# ------------------------------------------- advice before a meeting still to come
SCHEDULED = {"reference": "B-9", "caseworker": "CW-01", "events": [
    {"type": "final_plan_issued", "on": "2025-05-20", "setting_ref": "URN-100"},
    {"type": "review_invitations_sent", "on": "2026-03-16", "meeting_date": "2026-04-14"}]}


def test_advice_before_a_fixed_meeting_is_listed_ahead() -> None:
    # The invitations fix the meeting for Tue 14 Apr 2026: the advice must go
    # round at least 2 weeks before it (reg. 20(4)), by Tue 31 Mar; the plan
    # names a school, so the school's duty. The compliance report only counts it
    # once the meeting is held.
    (case,) = _cases(SCHEDULED)
    (item,) = [i for i in worklist([case], as_of=AS_OF).items if i.rule_id == "review.advice"]
    assert (item.due, item.days_left, item.party, item.status.value, item.anticipated,
            item.instance) == (date(2026, 3, 31), 1, Party.SCHOOL_OR_SETTING, "pending", True, 1)
    assert item.citations[0].provision == "reg. 20(4)"
    # Clear days: neither the day of sending nor the meeting day counts: Mon 30 Mar.
    (clear,) = [i for i in worklist([case], as_of=AS_OF,
                                    readings={"notice.at_least": "clear_days"}).items
                if i.rule_id == "review.advice"]
    assert clear.due == date(2026, 3, 30)
    # On Wed 1 Apr, not yet circulated: a day overdue.
    (late,) = [i for i in worklist([case], as_of=date(2026, 4, 1)).items
               if i.rule_id == "review.advice"]
    assert (late.status.value, late.days_left) == ("overdue", -1)


def test_anticipated_advice_goes_once_circulated_or_held() -> None:
    circulated = {**SCHEDULED, "events": [*SCHEDULED["events"],  # type: ignore[misc]
                                          {"type": "review_advice_circulated", "on": "2026-03-25"}]}
    assert not [i for i in worklist(_cases(circulated), as_of=AS_OF).items
                if i.rule_id == "review.advice"]
    assert not [i for i in worklist(_cases(SCHEDULED), as_of=AS_OF, rules=["review.annual"]).items
                if i.rule_id == "review.advice"]
    assert not [i for i in worklist(_cases(SCHEDULED), as_of=AS_OF, recorded="minimal").items
                if i.rule_id == "review.advice"]


def test_anticipated_advice_keeps_its_uid_once_the_meeting_is_held() -> None:
    from sendflow.export.ical import worklist_events

    (before,) = [e for e in worklist_events(worklist(_cases(SCHEDULED), as_of=AS_OF))
                 if "Circulate" in e.summary]
    held = {**SCHEDULED, "events": [*SCHEDULED["events"],  # type: ignore[misc]
                                    {"type": "review_meeting_held", "on": "2026-04-14"}]}
    # Held on the day, the advice never circulated: the report now counts it,
    # due Tue 31 Mar and overdue; the calendar event is the same one.
    from sendflow import upcoming
    from sendflow.export.ical import upcoming_events

    (advice,) = upcoming(_cases(held), between=(date(2026, 3, 1), date(2026, 4, 30)),
                         as_of=date(2026, 4, 15), rules=["review.advice"])
    assert (advice.due, advice.status.value, advice.instance) == (date(2026, 3, 31),
                                                                  "overdue", 1)
    assert upcoming_events([advice])[0].uid == before.uid


def test_cli_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SCHEDULED)
    argv = ["worklist", path, "--as-of", "2026-03-30", "--format", "json",
            "--rules", "review.advice"]
    assert main([*argv, "--reading", "notice.at_least=clear_days"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["due"], row["anticipated"]) == ("2026-03-30", True)
    assert main([*argv, "--reading", "notice.at_least"]) == 2
    assert main([*argv, "--reading", "notice.at_least=sometimes"]) == 2
    assert "--reading" in capsys.readouterr().err


def test_consent_findings_can_be_left_out(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert worklist(_cases(A), as_of=AS_OF, consent_findings=False).findings == ()
    view = worklist(_cases(A), as_of=AS_OF, consent_findings=False).partners_of(0)
    assert view is not None
    assert view.partner(Party.EDUCATIONAL_PSYCHOLOGY).consent_recorded is False  # type: ignore[union-attr]
    assert main(["worklist", _write(tmp_path, A), "--as-of", "2026-03-30", "--format", "json",
                 "--no-consent-findings"]) == 0
    kinds = {json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()}
    assert kinds == {"duty"}


def test_cli_text_marks_a_rights_window(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Draft served Mon 23 Mar 2026: the family has 15 days beginning with that
    # day to make representations (reg. 13(1)(a)), to Mon 6 Apr (act by Thu 2 Apr).
    path = _write(tmp_path, {"reference": "D-1", "events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-16", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "2026-03-23"}]})
    assert main(["worklist", path, "--as-of", "2026-03-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worklist as of Mon 30 Mar 2026: 1 open duty ")
    assert "== parent or young person ==" in out
    assert ("Mon 6 Apr 2026 (act by Thu 2 Apr 2026)  7 days left  D-1  "
            "assessment.draft_representations (a right's window, not a duty)") in out


def test_cli_reads_a_flat_table(capsys: pytest.CaptureFixture[str]) -> None:
    # The example export, through the flat layout: the same duties as the Python
    # API on the imported cases with the layout's recording profile; the two
    # skipped rows make the exit code 1, as for check.
    from sendflow.tabular import FLAT_RECORDED, read_table

    root = Path(__file__).resolve().parents[2]
    table = root / "docs" / "examples" / "caseload-export.csv"
    code = main(["worklist", str(table), "--layout", "flat", "--as-of", "2026-11-16",
                 "--format", "json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    imported = read_table(table, layout="flat")
    expected = worklist(imported.cases, as_of=date(2026, 11, 16), recorded=FLAT_RECORDED)
    assert code == 1
    assert sorted((r["reference"], r["rule_id"], r["due"]) for r in rows if r["kind"] == "duty") \
        == sorted((i.reference, i.rule_id, i.due.isoformat()) for i in expected.items)
    assert expected.items
    assert main(["upcoming", str(table), "--layout", "flat", "--from", "2026-01-01",
                 "--to", "2026-12-31", "--as-of", "2026-11-16", "--format", "json"]) == 1
    assert capsys.readouterr().out
    assert main(["worklist", str(table), "--layout", "nope.toml"]) == 2


def test_cli_text_escapes_control_characters(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # A reference holding a line break or a terminal escape cannot forge a line.
    path = _write(tmp_path, {**C, "reference": "C-3\nline 9: forged\x1b[2J"})
    for by in ("partner", "case"):
        assert main(["worklist", path, "--as-of", "2026-03-30", "--by", by]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\nline 9: forged" not in out
        assert "C-3\\nline 9: forged\\x1b[2J" in out


@pytest.mark.parametrize(("as_of", "horizon", "fails"), [
    (date.max, 0, True), (date.max, 1, True), (date(9999, 12, 1), 28, True),
    (date(9999, 12, 1), 10**6, True), (date.min, 5, False)])
def test_extreme_dates_raise_only_library_errors(as_of: date, horizon: int,
                                                 fails: bool) -> None:
    # A case at the end of the calendar: its 20-week date does not exist, and
    # as_of + horizon may not either. Either is a CalendarError, never a bare
    # OverflowError; before the case's first event there is nothing to do.
    from sendflow.errors import CalendarError
    from sendflow.export.ical import parse_reminders, to_ics, worklist_events

    (case,) = _cases({"reference": "X", "events": [
        {"type": "request_received", "on": "9999-11-01", "made_by": "parent"},
        {"type": "assessment_decision", "on": "9999-11-20", "outcome": "assess"},
        {"type": "advice_requested", "on": "9999-11-21", "adviser": "psychological"}]})
    if fails:
        with pytest.raises(CalendarError):
            worklist([case], as_of=as_of, horizon_days=horizon)
        return
    wl = worklist([case], as_of=as_of, horizon_days=horizon)
    assert wl.items == ()
    assert b"BEGIN:VCALENDAR" in to_ics(worklist_events(wl, reminders=parse_reminders("9999w")),
                                        name="n", as_of=as_of)


def test_items_carry_the_contract_name_latest_working_day() -> None:
    # design.md: each item has .reference .rule_id .key .actor .due .latest_working_day .status.
    # Request Mon 5 Jan 2026 -> decision due Mon 16 Feb (a working day: itself).
    event = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}
    case = Case.model_validate({"reference": "C-1", "events": [event]})
    items = worklist([case], as_of=date(2026, 2, 10)).items
    (item,) = [i for i in items if i.rule_id == "assessment.decision"]
    assert (item.reference, item.key, item.actor, item.status) == (
        "C-1",
        None,
        "local_authority",
        "pending",
    )
    assert item.due == item.latest_working_day == item.act_by == date(2026, 2, 16)
