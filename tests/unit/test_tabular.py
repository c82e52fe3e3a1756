"""sendflow.tabular: flat tables into cases, with a data-quality report."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from sendflow import Case
from sendflow.tabular import (
    FLAT_COLUMNS,
    MappingError,
    TableError,
    load_mapping,
    parse_date,
    read_rows,
    read_table,
    to_flat,
)

HEAD = ",".join(FLAT_COLUMNS)


def _csv(*rows: dict[str, str]) -> io.StringIO:
    lines = [HEAD] + [",".join(r.get(c, "") for c in FLAT_COLUMNS) for r in rows]
    return io.StringIO("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2025-03-05", "iso", date(2025, 3, 5)),
        ("2025-03-05 00:00:00", "iso", date(2025, 3, 5)),
        ("05/03/2025", "dd/mm/yyyy", date(2025, 3, 5)),
        ("5/3/2025", "dd/mm/yyyy", date(2025, 3, 5)),
        ("5/3/25", "d/m/yy", date(2025, 3, 5)),
        ("05-03-2025", "dd-mm-yyyy", date(2025, 3, 5)),
        ("5-3-25", "d-m-yy", date(2025, 3, 5)),
        ("05.03.2025", "dd.mm.yyyy", date(2025, 3, 5)),
        ("5 Mar 2025", "d mon yyyy", date(2025, 3, 5)),
        ("05-MAR-2025", "d mon yyyy", date(2025, 3, 5)),
        ("03/05/2025", "mm/dd/yyyy", date(2025, 3, 5)),
        ("3/5/25", "m/d/yy", date(2025, 3, 5)),
        ("45721", "excel", date(2025, 3, 5)),  # Excel 1900 system: 45721 = 5 March 2025
        ("45721.5", "excel", date(2025, 3, 5)),
        ("61", "excel", date(1900, 3, 1)),
    ],
)
def test_every_date_format(text: str, fmt: str, expected: date) -> None:
    assert parse_date(text, [fmt]) == expected


def test_day_first_and_two_digit_window() -> None:
    flat = load_mapping("flat")
    assert parse_date("03/04/2025", flat.date_formats) == date(2025, 4, 3)  # 3 April
    assert parse_date("1/2/69", ["d/m/yy"]) == date(2069, 2, 1)
    assert parse_date("1/2/70", ["d/m/yy"]) == date(1970, 2, 1)
    assert parse_date("1/2/50", ["d/m/yy"], two_digit_years_from=1950) == date(1950, 2, 1)
    with pytest.raises(MappingError, match="two different dates"):
        load_mapping({"base": "flat", "date_formats": ["dd/mm/yyyy", "mm/dd/yyyy"]})
    with pytest.raises(ValueError, match="Excel's serial"):
        parse_date("60", ["excel"])


def test_mapping_is_strict_and_names_the_key() -> None:
    with pytest.raises(MappingError, match="colums: unknown key"):
        load_mapping({"colums": {}})
    with pytest.raises(MappingError, match=r"columns\.request_dat: unknown field"):
        load_mapping({"columns": {"request_dat": "x"}})
    with pytest.raises(MappingError, match=r"values\.decision\.Maybe: must be one of"):
        load_mapping({"base": "flat", "values": {"decision": {"Maybe": "perhaps"}}})
    with pytest.raises(MappingError, match="same code"):
        load_mapping({"base": "flat", "values": {"decision": {"Yes": "assess", " yes": "refuse"}}})
    with pytest.raises(MappingError, match="date_formats: unknown date format"):
        load_mapping({"base": "flat", "date_formats": ["yyyymmdd"]})


def test_toml_mapping_renames_columns_and_codes(tmp_path: Path) -> None:
    mapping = tmp_path / "system.toml"
    mapping.write_text(
        'base = "flat"\n[columns]\nrequest_date = "Date Received"\nperson_id = "Child ID"\n'
        '[values.request_source]\n"Health visitor" = "health_professional"\n',
        encoding="utf-8",
    )
    table = io.StringIO("Child ID,Date Received,request_source\nP1, 05/01/2026 ,HEALTH VISITOR\n")
    result = read_table(table, layout=mapping)
    assert result.records[0]["events"] == [
        {"type": "request_received", "on": "2026-01-05", "made_by": "health_professional"}
    ]
    with pytest.raises(TableError, match="no column headed"):
        read_table(io.StringIO("person_id,request_date\nP1,2026-01-05\n"), layout=mapping)


PLANTED = "Z9Q8X7-PLANTED"


@pytest.mark.parametrize(
    ("row", "column", "skipped"),
    [
        ({"request_date": PLANTED}, "request_date", True),
        ({"request_date": "31/02/2026"}, "request_date", True),
        ({"request_date": "05/01/2013"}, "request_date", True),  # before Part 3
        ({"request_date": "05/01/2026", "decision_date": "01/01/2026", "decision": "yes"},
         "decision_date", True),
        ({"request_date": "05/01/2026", "decision_date": "10/02/2026", "decision": PLANTED},
         "decision", True),
        ({"request_date": "05/01/2026", "decision_date": "10/02/2026", "decision": "no",
          "final_date": "01/05/2026"}, "decision", True),
        ({"request_date": "05/01/2026", "withdrawn_date": "01/02/2026",
          "decision_date": "10/01/2026", "decision": "yes", "draft_date": "01/02/2026",
          "final_date": "01/03/2026"}, "withdrawn_date", True),
        ({"decision_date": "10/02/2026", "decision": "yes"}, "decision_date", True),
        ({"request_date": "05/01/2026", "upn": PLANTED}, "upn", False),
        ({"request_date": "05/01/2026", "date_of_birth": PLANTED}, "date_of_birth", False),
        ({"request_date": "05/01/2026", "request_source": PLANTED}, "request_source", False),
        ({"plan_start_date": "01/03/2021", "transfer_date": "01/09/2026",
          "transferred_from_la": PLANTED}, "transferred_from_la", False),
    ],
)
def test_each_bad_row_kind_names_row_and_column_never_the_value(
    row: dict[str, str], column: str, skipped: bool
) -> None:
    good = {"person_id": "OK1", "request_date": "05/01/2026"}
    result = read_table(_csv(good, {"person_id": "P2", **row}))
    issues = [i for i in result.quality.issues if i.row == 3]
    assert issues, result.quality.summary()
    assert any(i.column == column for i in issues), [i.describe() for i in issues]
    assert (result.quality.rows_skipped == 1) is skipped
    assert any(c.state == "awaiting_decision" for c in result.cases)  # the good row stays
    for text in (str(result.quality), repr(result.quality), result.quality.to_json(),
                 result.quality.summary(), json.dumps(result.quality.model_dump(mode="json"))):
        assert PLANTED not in text
        assert PLANTED.lower() not in text.lower()


def test_grouping_several_requests_of_one_child() -> None:
    result = read_table(_csv(
        {"case_id": "C1", "person_id": "P1", "request_date": "05/01/2025",
         "request_source": "Mum", "decision_date": "10/02/2025", "decision": "No"},
        {"case_id": "C7", "person_id": "P1", "request_date": "01/09/2025",
         "request_source": "School", "decision_date": "06/10/2025", "decision": "Assess"},
        {"case_id": "C2", "person_id": "P2", "request_date": "01/09/2025"},
    ))
    assert len(result.cases) == 2
    first = result.cases[0]
    assert first.reference == "C1" and first.state == "assessing"
    assert [e.type for e in first.events] == ["request_received", "assessment_decision",
                                              "request_received", "assessment_decision"]
    assert result.case_rows[0] == (2, 3)


def test_duplicates_dropped_and_same_request_merged() -> None:
    row = {"person_id": "P1", "request_date": "05/01/2026", "request_source": "parent"}
    iso = {**row, "request_date": "2026-01-05"}
    more = {**row, "decision_date": "10/02/2026", "decision": "yes"}
    result = read_table(_csv(row, iso, row, more))
    q = result.quality
    assert q.duplicates_dropped == 2 and q.rows_merged == 1
    assert [e.type for e in result.cases[0].events] == ["request_received",
                                                        "assessment_decision"]
    assert q.rows_read == q.rows_imported + q.rows_skipped + q.duplicates_dropped + q.rows_blank
    clash = read_table(_csv(more, {**more, "decision": "no"}))
    assert clash.quality.rows_skipped == 1
    assert "differs in decision" in clash.quality.errors[0].problem


def test_plan_rows_become_record_opened_cases() -> None:
    result = read_table(_csv(
        {"person_id": "L1", "plan_start_date": "14/03/2019", "last_review_date": "02/03/2026"},
        {"person_id": "T1", "plan_start_date": "01/06/2022", "last_review_date": "20/05/2026",
         "transferred_from_la": "886", "transfer_date": "01/09/2026"},
        {"person_id": "N1", "final_date": "01/02/2026"},
    ))
    events = [r["events"][0] for r in result.records]
    assert events[0] == {"type": "record_opened", "on": "2026-03-02", "state": "plan_maintained",
                         "plan_made_on": "2019-03-14", "last_review_on": "2026-03-02"}
    assert events[1]["on"] == "2026-09-01" and events[1]["transferred_from_la"] == "886"
    assert events[2] == {"type": "record_opened", "on": "2026-02-01", "state": "plan_issued",
                         "plan_made_on": "2026-02-01"}
    assert len(result.cases) == 3, result.quality.summary()


def test_bom_encodings_delimiters_and_junk(tmp_path: Path) -> None:
    text = "\ufeffPerson ID;Request Date;UPN\nP1; 05/01/2026 ;n/a\n;;\nP2;06/01/2026;\n"
    for encoding in ("utf-8", "utf-16", "cp1252"):
        path = tmp_path / f"x-{encoding}.csv"
        path.write_bytes(text.encode(encoding) if encoding != "cp1252"
                         else text.replace("\ufeff", "").encode(encoding))
        result = read_table(path)
        assert len(result.cases) == 2, encoding
        assert result.quality.rows_blank == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes("person_id,request_date,notes\nP1,05/01/2026,caf\xe9\n".encode("cp1252"))
    result = read_table(latin)
    assert any("Windows-1252" in i.problem for i in result.quality.issues)
    assert result.quality.ignored_columns == ("notes",)


def test_round_trip_keeps_every_anchor() -> None:
    rows = [
        {"case_id": "A", "person_id": "P1", "date_of_birth": "01/02/2015",
         "upn": "B801200005001", "request_date": "05/01/2025", "request_source": "Mum",
         "decision_date": "10/02/2025", "decision": "yes", "draft_date": "01/04/2025",
         "final_date": "20/05/2025", "last_review_date": "12/05/2026"},
        {"case_id": "B", "person_id": "P2", "request_date": "05/01/2025",
         "decision_date": "10/02/2025", "decision": "no"},
        {"case_id": "B", "person_id": "P2", "request_date": "01/09/2025",
         "withdrawn_date": "01/10/2025"},
        {"case_id": "C", "plan_start_date": "01/06/2022", "last_review_date": "20/05/2026",
         "transferred_from_la": "886", "transfer_date": "01/09/2026"},
        {"case_id": "D", "plan_start_date": "14/03/2019", "last_review_date": "02/03/2026",
         "ceased_date": "01/07/2026"},
        {"case_id": "E", "request_date": "05/01/2026", "final_date": "01/05/2026"},
        {"case_id": "F", "request_date": "05/01/2026", "decision_date": "10/02/2026",
         "decision": "yes", "final_date": "01/05/2026"},
        {"case_id": "G", "request_date": "05/01/2026", "draft_date": "01/04/2026"},
    ]
    first = read_table(_csv(*rows))
    assert len(first.cases) == 7, first.quality.summary()
    states = {c.reference: c.state for c in first.cases}
    assert states["F"] == "plan_issued" and states["G"] == "draft_issued"
    opened = {c.reference: c.events[0] for c in first.cases}
    assert opened["F"].type == "record_opened"
    assert opened["F"].model_dump(mode="json", exclude_none=True)["decision_on"] == "2026-02-10"
    again = read_rows(list(FLAT_COLUMNS), [[r[c] for c in FLAT_COLUMNS]
                                           for r in to_flat(first.cases)])
    assert [c.model_dump(mode="json") for c in again.cases] == [
        c.model_dump(mode="json") for c in first.cases
    ]


def test_excel_and_frames(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Requests"
    ws.append(["person_id", "request_date", "decision_date", "decision"])
    ws.append(["P1", date(2026, 1, 5), 46062, "Yes"])  # 46062 = 10 February 2026
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = read_table(path, sheet="Requests")
    assert result.cases[0].state == "assessing"
    with pytest.raises(TableError, match="no sheet"):
        read_table(path, sheet="Missing")
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"person_id": ["P1", None], "request_date": ["05/01/2026", None]})
    assert len(read_table(frame).cases) == 1
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"person_id": ["P1"], "request_date": [date(2026, 1, 5)]})
    assert read_table(frame).cases[0].events[0].on == date(2026, 1, 5)


def test_cases_validate_as_json_lines() -> None:
    result = read_table(_csv({"person_id": "P1", "request_date": "05/01/2026"}))
    line = result.cases[0].model_dump_json()
    assert Case.model_validate_json(line) == result.cases[0]


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "caseload-export.csv"


def test_cli_import_and_check_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sendflow._cli import main

    report = tmp_path / "quality.json"
    code = main(["import", str(EXAMPLE), "--layout", "flat", "--quality-report", str(report)])
    out, err = capsys.readouterr()
    assert code == 1  # two rows of the example are skipped
    lines = out.splitlines()
    assert len(lines) == 22
    assert all(Case.model_validate_json(line) for line in lines)
    assert "2 skipped" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows_read"] == 32 and data["duplicates_dropped"] == 4
    code = main(["check", str(EXAMPLE), "--layout", "flat", "--as-of", "2026-11-16"])
    out, err = capsys.readouterr()
    overdue = sorted(line.split()[2] for line in out.splitlines() if " overdue (due" in line
                     and line.startswith("line"))
    assert overdue == ["C1005:", "C1008:", "C1012:", "C1019:"]
    assert code == 1
    assert main(["import", str(EXAMPLE), "--layout", str(tmp_path / "none.toml")]) == 2
    assert "none.toml" in capsys.readouterr().err


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def _flat_rows(draw: st.DrawFn) -> dict[str, str]:
    day = st.integers(min_value=0, max_value=120)
    start = date(2020, 1, 6).toordinal() + draw(st.integers(0, 1500))
    d = [date.fromordinal(start)]
    for _ in range(4):
        d.append(date.fromordinal(d[-1].toordinal() + draw(day)))
    kind = draw(st.sampled_from(["refused", "assessing", "draft", "final", "reviewed",
                                 "withdrawn", "legacy", "transfer", "nodecision"]))
    f = "%d/%m/%Y"
    row = {"case_id": f"C{draw(st.integers(1, 9))}", "request_date": d[0].strftime(f),
           "request_source": draw(st.sampled_from(["Mum", "School", "GP", ""]))}
    if kind in ("refused", "assessing", "draft", "final", "reviewed"):
        row |= {"decision_date": d[1].strftime(f),
                "decision": "No" if kind == "refused" else "Yes"}
    if kind in ("draft", "final", "reviewed", "nodecision"):
        row["draft_date"] = d[2].strftime(f)
    if kind in ("final", "reviewed", "nodecision"):
        row["final_date"] = d[3].strftime(f)
    if kind == "reviewed":
        row["last_review_date"] = d[4].strftime(f)
    if kind == "withdrawn":
        row["withdrawn_date"] = d[1].strftime(f)
    if kind in ("legacy", "transfer"):
        row = {"case_id": row["case_id"], "plan_start_date": d[0].strftime(f),
               "last_review_date": d[2].strftime(f)}
        if kind == "transfer":
            row |= {"transferred_from_la": "886", "transfer_date": d[3].strftime(f)}
    return row


@given(st.lists(_flat_rows(), min_size=1, max_size=6))
def test_round_trip_property(rows: list[dict[str, str]]) -> None:
    first = read_table(_csv(*rows))
    flat = to_flat(first.cases)
    again = read_rows(list(FLAT_COLUMNS), [[r[c] for c in FLAT_COLUMNS] for r in flat])
    assert [c.model_dump(mode="json") for c in again.cases] == [
        c.model_dump(mode="json") for c in first.cases
    ]
    q = first.quality
    assert q.rows_read == q.rows_imported + q.rows_skipped + q.duplicates_dropped + q.rows_blank
