"""The DfE SEN2 person-level return: build it from cases, write and read it, check it,
and compute the Week-20 timeliness figures the DfE publishes.

```python
>>> from datetime import date
>>> from sendflow import Case, sen2
>>> case = Case.model_validate({"responsible_la": "201", "events": [
...     {"type": "request_received", "on": "2025-02-03", "made_by": "parent"},
...     {"type": "assessment_decision", "on": "2025-03-10", "outcome": "assess"},
...     {"type": "draft_plan_issued", "on": "2025-05-19"},
...     {"type": "final_plan_issued", "on": "2025-06-16"}]})
>>> sen2.timeliness([case], year=2025).percent_within_20_weeks_excluding_exceptions
100.0
>>> ret = sen2.build_return([case], year=2026, header={"dmo": "Y", "dco": "Y", "dsco": "Y"})
>>> sen2.from_xml(sen2.to_xml(ret)).persons[0].requests == ret.persons[0].requests
True

```
"""

from __future__ import annotations

from sendflow.sen2._build import OPEN_REQUESTS, build_return, need_types_of
from sendflow.sen2._csv import (
    MAX_CELL_CHARS,
    TABLES,
    from_csv,
    read_csv_dir,
    to_csv,
    write_csv_dir,
)
from sendflow.sen2._model import (
    ActivePlan,
    Assessment,
    Code,
    CollectionInfo,
    Header,
    Item,
    ItemSpec,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Refused,
    Request,
    SEN2Error,
    SEN2Return,
    SENNeed,
    census_date,
    code_set,
    collection,
    item_in_collection,
    item_mandatory,
    item_spec,
)
from sendflow.sen2._schema import SchemaFailure, SchemaReport, schema_path, validate_schema
from sendflow.sen2._statistics import FIGURES, Figure, Figures, Statistics, statistics
from sendflow.sen2._timeliness import Timeliness, TimelinessFigures, timeliness
from sendflow.sen2._tocases import NOT_CARRIED, ReturnCases, Unkept, to_cases
from sendflow.sen2._validate import (
    READINGS,
    RULES,
    ValidationFailure,
    ValidationReading,
    ValidationReport,
    ValidationRule,
    phase_transfer_deadlines,
    read_figures,
    validate,
)
from sendflow.sen2._xml import MAX_TEXT_CHARS, MAX_XML_BYTES, from_xml, to_xml

__all__ = [
    "FIGURES",
    "MAX_CELL_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_XML_BYTES",
    "NOT_CARRIED",
    "OPEN_REQUESTS",
    "READINGS",
    "RULES",
    "TABLES",
    "ActivePlan",
    "Assessment",
    "Code",
    "CollectionInfo",
    "Figure",
    "Figures",
    "Header",
    "Item",
    "ItemSpec",
    "NamedPlan",
    "Person",
    "PlacementDetail",
    "PlanDetail",
    "Refused",
    "Request",
    "ReturnCases",
    "SEN2Error",
    "SEN2Return",
    "SENNeed",
    "SchemaFailure",
    "SchemaReport",
    "Statistics",
    "Timeliness",
    "TimelinessFigures",
    "Unkept",
    "ValidationFailure",
    "ValidationReading",
    "ValidationReport",
    "ValidationRule",
    "build_return",
    "census_date",
    "code_set",
    "collection",
    "from_csv",
    "from_xml",
    "item_in_collection",
    "item_mandatory",
    "item_spec",
    "need_types_of",
    "phase_transfer_deadlines",
    "read_csv_dir",
    "read_figures",
    "schema_path",
    "statistics",
    "timeliness",
    "to_cases",
    "to_csv",
    "to_xml",
    "validate",
    "validate_schema",
    "write_csv_dir",
]
