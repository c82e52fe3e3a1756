"""The SEN2 person-level data model (collections 2023 onwards) and its dated code sets.

Modules follow the DfE's structure (reference: ``sen2.md`` section 2)::

    SEN2Return ─ Header
               └ Person ─ Request ─┬ Assessment ─ NamedPlan ─ PlanDetail
                                   └ ActivePlan ─┬ PlacementDetail
                                                 └ SENNeed

Codes are kept as the strings the return holds, so a return with a wrong code
can still be read and :func:`~sendflow.sen2.validate` can report every
failure; the code sets themselves are data (``sen2/data/codes.toml``), each
code with the collections it may be used in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal

from pydantic import Field

from sendflow._base import SendflowModel
from sendflow.errors import RuleDataError, SendflowError

__all__ = [
    "ActivePlan",
    "Assessment",
    "Code",
    "CollectionInfo",
    "Header",
    "Item",
    "NamedPlan",
    "Person",
    "PlacementDetail",
    "PlanDetail",
    "Request",
    "SEN2Error",
    "SEN2Return",
    "SENNeed",
    "census_date",
    "code_set",
    "collection",
    "item_in_collection",
]

Kind = Literal["str", "date", "flag", "int", "serial"]


class SEN2Error(SendflowError, ValueError):
    """A SEN2 file or return cannot be read or built; the message says where."""


@dataclass(frozen=True)
class Item:
    """One SEN2 data item: model field, XML element, Blade CSV column and kind."""

    field: str
    xml: str
    kind: Kind = "str"
    #: Other spellings seen in real files, accepted on read, never written.
    aliases: tuple[str, ...] = ()

    @property
    def csv(self) -> str:
        """The Blade CSV column name (the XML name in lower case)."""
        return self.xml.lower()


class _Module(SendflowModel):
    """Base of the SEN2 modules: the items each has, in return order."""

    ITEMS: ClassVar[tuple[Item, ...]] = ()
    #: (field, XML element, model class) of the child modules.
    CHILDREN: ClassVar[tuple[tuple[str, str, type[_Module]], ...]] = ()
    XML: ClassVar[str] = ""
    #: XML order of items and child elements (the schemas use ``xs:sequence``), keyed by
    #: the first collection it applies to; empty = items, then children.
    ORDER: ClassVar[dict[int, tuple[str, ...]]] = {}

    @classmethod
    def xml_order(cls, year: int) -> tuple[str, ...]:
        """Item and child element names in the order the ``year`` schema requires."""
        fits = [y for y in cls.ORDER if y <= year]
        if fits:
            return cls.ORDER[max(fits)]
        return (*(i.xml for i in cls.ITEMS), *(tag for _, tag, _ in cls.CHILDREN))


class SENNeed(_Module):
    """Module 5c: one type of need (rank 1 primary, 2 secondary)."""

    sen_type: str = Field(max_length=10)
    sen_type_rank: int | None = None

    ITEMS = (Item("sen_type", "SENtype"), Item("sen_type_rank", "SENtypeRank", "int"))
    XML = "SENneed"


_SETTING_ITEMS = (
    Item("urn", "URN"),
    Item("ukprn", "UKPRN"),
    Item("sen_setting", "SENSetting", aliases=("SENsetting",)),
    Item("sen_setting_other", "SENSettingOther", aliases=("SENsettingOther",)),
    Item("placement_rank", "PlacementRank", "int"),
    Item("sen_unit_indicator", "SENunitIndicator", "flag", aliases=("SENUnitIndicator",)),
    Item("resourced_provision_indicator", "ResourcedProvisionIndicator", "flag"),
)


class _Setting(_Module):
    urn: str | None = Field(default=None, max_length=20)
    ukprn: str | None = Field(default=None, max_length=20)
    sen_setting: str | None = Field(default=None, max_length=10)
    sen_setting_other: str | None = Field(default=None, max_length=200)
    placement_rank: int | None = None
    sen_unit_indicator: bool | None = None
    resourced_provision_indicator: bool | None = None


class PlanDetail(_Setting):
    """Module 4b: a setting named in the plan (section I)."""

    ITEMS = _SETTING_ITEMS
    XML = "PlanDetail"


class PlacementDetail(_Setting):
    """Module 5b: a setting actually attended."""

    entry_date: date | None = None
    leaving_date: date | None = None
    res: str | None = Field(default=None, max_length=10)
    wbp: str | None = Field(default=None, max_length=10)
    attendance_pattern: str | None = Field(default=None, max_length=10)

    ITEMS = (
        *_SETTING_ITEMS,
        Item("entry_date", "EntryDate", "date"),
        Item("leaving_date", "LeavingDate", "date"),
        Item("res", "Res", aliases=("RES",)),
        Item("wbp", "WBP"),
        Item("attendance_pattern", "AttendancePattern"),
    )
    XML = "PlacementDetail"
    ORDER = {  # noqa: RUF012 - a class constant
        2023: ("URN", "UKPRN", "SENSetting", "SENSettingOther", "PlacementRank", "EntryDate",
               "LeavingDate", "AttendancePattern", "SENunitIndicator",
               "ResourcedProvisionIndicator"),
        2024: ("URN", "UKPRN", "SENSetting", "SENSettingOther", "PlacementRank", "EntryDate",
               "LeavingDate", "SENunitIndicator", "ResourcedProvisionIndicator", "Res", "WBP"),
    }


class ActivePlan(_Module):
    """Module 5a: a plan active in the period (reviews, transfers), with placements and needs."""

    transfer_la: str | None = Field(default=None, max_length=3)
    review_meeting: date | None = None
    review_outcome: str | None = Field(default=None, max_length=10)
    review_draft: date | None = None
    phase_transfer_due_date: date | None = None
    phase_transfer_final_date: date | None = None
    last_review: date | None = None
    res: str | None = Field(default=None, max_length=10)
    wbp: str | None = Field(default=None, max_length=10)
    placements: tuple[PlacementDetail, ...] = ()
    needs: tuple[SENNeed, ...] = ()

    ITEMS = (
        Item("transfer_la", "TransferLA"),
        Item("review_meeting", "ReviewMeeting", "date"),
        Item("review_outcome", "ReviewOutcome"),
        Item("review_draft", "ReviewDraft", "date"),
        Item("phase_transfer_due_date", "PhaseTransferDueDate", "date"),
        Item("phase_transfer_final_date", "PhaseTransferFinalDate", "date"),
        Item("last_review", "LastReview", "date"),
        Item("res", "Res", aliases=("RES",)),
        Item("wbp", "WBP"),
    )
    CHILDREN = (("placements", "PlacementDetail", PlacementDetail), ("needs", "SENneed", SENNeed))
    XML = "ActivePlans"
    ORDER = {  # noqa: RUF012 - a class constant
        2023: ("TransferLA", "PlacementDetail", "Res", "WBP", "SENneed", "LastReview"),
        2024: ("TransferLA", "PlacementDetail", "SENneed", "ReviewMeeting", "ReviewOutcome",
               "LastReview"),
        2025: ("TransferLA", "PlacementDetail", "SENneed", "ReviewMeeting", "LastReview",
               "ReviewOutcome", "ReviewDraft", "PhaseTransferDueDate", "PhaseTransferFinalDate"),
        2026: ("TransferLA", "PlacementDetail", "SENneed", "ReviewMeeting", "ReviewOutcome",
               "ReviewDraft", "PhaseTransferDueDate", "PhaseTransferFinalDate", "LastReview"),
    }


class NamedPlan(_Module):
    """Module 4a: the EHC plan that followed an assessment."""

    start_date: date | None = None
    plan_res: str | None = Field(default=None, max_length=10)
    plan_wbp: str | None = Field(default=None, max_length=10)
    pb: bool | None = None
    oa: bool | None = None
    dp: str | None = Field(default=None, max_length=10)
    cease_date: date | None = None
    cease_reason: str | None = Field(default=None, max_length=2)
    plan_detail: tuple[PlanDetail, ...] = ()

    ITEMS = (
        Item("start_date", "StartDate", "date"),
        Item("plan_res", "PlanRes"),
        Item("plan_wbp", "PlanWBP"),
        Item("pb", "PB", "flag"),
        Item("oa", "OA", "flag"),
        Item("dp", "DP"),
        Item("cease_date", "CeaseDate", "date"),
        Item("cease_reason", "CeaseReason"),
    )
    CHILDREN = (("plan_detail", "PlanDetail", PlanDetail),)
    XML = "NamedPlan"
    ORDER = {  # noqa: RUF012 - a class constant
        2023: ("StartDate", "PlanDetail", "PlanRes", "PlanWBP", "PB", "OA", "DP", "CeaseDate",
               "CeaseReason"),
    }


class Assessment(_Module):
    """Module 3: the EHC needs assessment that followed a request."""

    assessment_outcome: str = Field(max_length=2)
    assessment_outcome_date: date | None = None
    assessment_mediation: bool | None = None
    assessment_tribunal: bool | None = None
    other_mediation: bool | None = None
    other_tribunal: bool | None = None
    week20: bool | None = Field(default=None, description="20-week exceptions apply.")
    named_plan: tuple[NamedPlan, ...] = ()

    ITEMS = (
        Item("assessment_outcome", "AssessmentOutcome"),
        Item("assessment_outcome_date", "AssessmentOutcomeDate", "date"),
        Item("assessment_mediation", "AssessmentMediation", "flag"),
        Item("assessment_tribunal", "AssessmentTribunal", "flag"),
        Item("other_mediation", "OtherMediation", "flag"),
        Item("other_tribunal", "OtherTribunal", "flag"),
        Item("week20", "Week20", "flag"),
    )
    CHILDREN = (("named_plan", "NamedPlan", NamedPlan),)
    XML = "Assessment"


class Request(_Module):
    """Module 2: a request for an EHC needs assessment."""

    received_date: date | None = None
    request_source: str | None = Field(default=None, max_length=10)
    rya: bool | None = None
    request_outcome_date: date | None = None
    request_outcome: str = Field(max_length=2)
    request_mediation: bool | None = None
    request_tribunal: bool | None = None
    exported: bool | None = None
    assessment: tuple[Assessment, ...] = ()
    active_plans: tuple[ActivePlan, ...] = ()

    ITEMS = (
        Item("received_date", "ReceivedDate", "date"),
        Item("request_source", "RequestSource"),
        Item("rya", "RYA", "flag"),
        Item("request_outcome_date", "RequestOutcomeDate", "date"),
        Item("request_outcome", "RequestOutcome"),
        Item("request_mediation", "RequestMediation", "flag"),
        Item("request_tribunal", "RequestTribunal", "flag"),
        Item("exported", "Exported", "flag"),
    )
    CHILDREN = (("assessment", "Assessment", Assessment),
                ("active_plans", "ActivePlans", ActivePlan))
    XML = "Requests"


class Person(_Module):
    """Module 1: a child or young person. Personal items are hidden from ``repr``."""

    person_id: str = Field(max_length=100, repr=False)
    surname: str | None = Field(default=None, max_length=100, repr=False)
    forename: str | None = Field(default=None, max_length=100, repr=False)
    birth_date: date | None = Field(default=None, repr=False)
    gender_current: str | None = Field(default=None, max_length=2)
    sex: str | None = Field(default=None, max_length=2)
    ethnicity: str | None = Field(default=None, max_length=4)
    postcode: str | None = Field(default=None, max_length=10, repr=False)
    upn: str | None = Field(default=None, max_length=20, repr=False)
    uln: str | None = Field(default=None, max_length=20, repr=False)
    upn_unknown: str | None = Field(default=None, max_length=4)
    requests: tuple[Request, ...] = ()

    ITEMS = (
        # Not an XML element (the XML has no person key): a reader numbers the persons.
        Item("person_id", "PersonID"),
        Item("surname", "Surname"),
        Item("forename", "Forename"),
        Item("birth_date", "PersonBirthDate", "date"),
        Item("gender_current", "GenderCurrent"),
        Item("sex", "Sex"),
        Item("ethnicity", "Ethnicity"),
        Item("postcode", "PostCode", aliases=("Postcode",)),
        Item("upn", "UPN"),
        Item("uln", "UniqueLearnerNumber"),
        Item("upn_unknown", "UPNunknown"),
    )
    CHILDREN = (("requests", "Requests", Request),)
    XML = "Person"


class Header(_Module):
    """Module 0: the return's header."""

    collection: str = "SEN2"
    year: int
    reference_date: date
    source_level: str = "L"
    lea: str = Field(max_length=3)
    software_code: str = "sendflow"
    release: str | None = None
    serial_no: int | None = Field(default=None, ge=0, le=999)
    date_time: str | None = None
    dmo: str | None = Field(default=None, max_length=10)
    dco: str | None = Field(default=None, max_length=10)
    dsco: str | None = Field(default=None, max_length=10)

    ITEMS = (
        Item("collection", "Collection"),
        Item("year", "Year", "int"),
        Item("reference_date", "ReferenceDate", "date"),
        Item("source_level", "SourceLevel"),
        Item("lea", "LEA"),
        Item("software_code", "SoftwareCode"),
        Item("release", "Release"),
        Item("serial_no", "SerialNo", "serial"),
        Item("date_time", "DateTime"),
        Item("dmo", "DMO"),
        Item("dco", "DCO"),
        Item("dsco", "DSCO"),
    )
    XML = "Header"


class SEN2Return(SendflowModel):
    """One LA's SEN2 person-level return for one collection.

    ```python
    >>> from datetime import date
    >>> r = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"))
    >>> r.header.lea, len(r.persons)
    ('201', 0)

    ```
    """

    header: Header
    persons: tuple[Person, ...] = ()

    @property
    def year(self) -> int:
        """The collection year (the January of the census)."""
        return self.header.year

    @property
    def period(self) -> tuple[date, date]:
        """The activity period: the calendar year before the census."""
        y = self.header.year - 1
        return date(y, 1, 1), date(y, 12, 31)


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Code:
    """One code of a SEN2 code set, with the collections that may use it."""

    code: str
    meaning: str
    first: int | None = None
    last: int | None = None
    query: bool = False

    def in_collection(self, year: int) -> bool:
        """Whether the code may be returned in the ``year`` collection."""
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class CollectionInfo:
    """A SEN2 collection: year, census date and template version."""

    year: int
    census_date: date
    template: str
    notes: str | None = None


def _read(name: str) -> dict[str, Any]:
    text = resources.files("sendflow.sen2").joinpath(f"data/{name}").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"sen2/data/{name}", "-", "is not valid TOML") from exc


@cache
def _collections() -> dict[int, CollectionInfo]:
    raw = _read("collections.toml")
    return {
        c["year"]: CollectionInfo(c["year"], c["census_date"], c["template"], c.get("notes"))
        for c in raw["collection"]
    }


@cache
def _item_years() -> dict[str, tuple[int | None, int | None]]:
    raw = _read("collections.toml")
    return {i["name"]: (i.get("first"), i.get("last")) for i in raw["item"]}


@cache
def _code_sets() -> dict[str, tuple[Code, ...]]:
    raw = _read("codes.toml")
    out: dict[str, tuple[Code, ...]] = {}
    for i, cs in enumerate(raw["code_set"]):
        try:
            out[cs["name"]] = tuple(
                Code(c["code"], c["meaning"], c.get("first"), c.get("last"), c.get("query", False))
                for c in cs["codes"]
            )
        except KeyError as exc:
            raise RuleDataError("sen2/data/codes.toml", f"code_set[{i}]", "missing key") from exc
    return out


def collection(year: int) -> CollectionInfo:
    """The SEN2 collection for ``year`` (2023 onwards).

    ```python
    >>> collection(2026).census_date
    datetime.date(2026, 1, 15)

    ```
    """
    try:
        return _collections()[year]
    except KeyError:
        raise SEN2Error(f"no SEN2 person-level collection for {year} in sendflow's data") from None


def census_date(year: int) -> date:
    """The SEN2 census (reference) date of the ``year`` collection.

    ```python
    >>> census_date(2021 + 4)
    datetime.date(2025, 1, 16)

    ```
    """
    return collection(year).census_date


def code_set(name: str, year: int) -> dict[str, Code]:
    """The codes of set ``name`` that may be returned in the ``year`` collection.

    ``SENtype`` is read from sendflow's need-type data (DS from 2025).

    ```python
    >>> sorted(code_set("RequestOutcome", 2026))
    ['A', 'H', 'N', 'W', 'Y']
    >>> "DS" in code_set("SENtype", 2024), "DS" in code_set("SENtype", 2025)
    (False, True)

    ```
    """
    if name == "SENtype":
        from sendflow.needs import need_types

        on = census_date(year)
        return {t.code.value: Code(t.code.value, t.description) for t in need_types(on, "sen2")}
    try:
        codes = _code_sets()[name]
    except KeyError:
        raise SEN2Error(f"no SEN2 code set named {name!r}") from None
    return {c.code: c for c in codes if c.in_collection(year)}


def item_in_collection(module: str, xml: str, year: int) -> bool:
    """Whether module ``module`` has item ``xml`` in the ``year`` collection.

    ```python
    >>> item_in_collection("Person", "Sex", 2023), item_in_collection("Person", "Sex", 2024)
    (False, True)

    ```
    """
    first, last = _item_years().get(f"{module}.{xml}", (None, None))
    return (first is None or year >= first) and (last is None or year <= last)
