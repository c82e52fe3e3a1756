"""The SEN2 person-level data model (collections 2023 onwards) and its dated code sets.

Modules follow the DfE's structure (reference: ``sen2.md`` section 2)::

    SEN2Return ─ Header
               └ Person ─ Request ─┬ Assessment ─ NamedPlan ─ PlanDetail
                                   └ ActivePlan ─┬ PlacementDetail
                                                 └ SENNeed

Codes are kept as the strings the return holds, so a return with a wrong code
can still be read and :func:`~sendflow.sen2.validate` can report every
failure; the code sets themselves are data (``sen2/data/codes.toml``), each
code with the collections it may be used in. Which collections have each item,
and from which collection an item is mandatory (``mandatory_from``), is data too
(``sen2/data/collections.toml``, read by :func:`item_spec`); how many of each
child module one parent may hold (at most 2 ``PlanDetail``, at most 2
``SENneed``…) is each module's ``MAX_OCCURS``, checked when a module is built.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from sendflow._base import SendflowModel
from sendflow.errors import RuleDataError, SendflowError
from sendflow.rules import Citation

__all__ = [
    "ActivePlan",
    "Assessment",
    "Code",
    "CollectionInfo",
    "Header",
    "Item",
    "ItemSpec",
    "NamedPlan",
    "Person",
    "PlacementDetail",
    "PlanDetail",
    "Refused",
    "Request",
    "SEN2Error",
    "SEN2Return",
    "SENNeed",
    "cease_reason_code",
    "cease_reason_of",
    "census_date",
    "code_set",
    "collection",
    "item_in_collection",
    "item_mandatory",
    "item_spec",
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
    #: The code set (:func:`code_set`) the item's value comes from, if any.
    codes: str | None = None

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
    #: The most child elements of one tag a module may hold (absent = no limit), as the
    #: schemas' ``maxOccurs`` (sen2.md s. 0).
    MAX_OCCURS: ClassVar[dict[str, int]] = {}

    @model_validator(mode="after")
    def _cardinality(self) -> _Module:
        for field, tag, _cls in self.CHILDREN:
            most = self.MAX_OCCURS.get(tag)
            if most is not None and len(getattr(self, field)) > most:
                raise ValueError(f"{tag}: at most {most} in one {self.XML or type(self).__name__}")
        return self

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

    ITEMS = (Item("sen_type", "SENtype", codes="SENtype"),
             Item("sen_type_rank", "SENtypeRank", "int", codes="SENtypeRank"))
    XML = "SENneed"


_SETTING_ITEMS = (
    Item("urn", "URN"),
    Item("ukprn", "UKPRN"),
    Item("sen_setting", "SENSetting", aliases=("SENsetting",), codes="SENsetting"),
    Item("sen_setting_other", "SENSettingOther", aliases=("SENsettingOther",)),
    Item("placement_rank", "PlacementRank", "int", codes="PlacementRank"),
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
        Item("res", "Res", aliases=("RES",), codes="PlanRes"),
        Item("wbp", "WBP", aliases=("WPB",), codes="WBP"),
        Item("attendance_pattern", "AttendancePattern", codes="AttendancePattern"),
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
        Item("review_outcome", "ReviewOutcome", codes="ReviewOutcome"),
        Item("review_draft", "ReviewDraft", "date"),
        Item("phase_transfer_due_date", "PhaseTransferDueDate", "date"),
        Item("phase_transfer_final_date", "PhaseTransferFinalDate", "date"),
        Item("last_review", "LastReview", "date"),
        Item("res", "Res", aliases=("RES",), codes="PlanRes"),
        Item("wbp", "WBP", aliases=("WPB",), codes="WBP"),
    )
    CHILDREN = (("placements", "PlacementDetail", PlacementDetail), ("needs", "SENneed", SENNeed))
    XML = "ActivePlans"
    MAX_OCCURS = {"SENneed": 2}  # noqa: RUF012 - a class constant
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
        Item("plan_res", "PlanRes", codes="PlanRes"),
        Item("plan_wbp", "PlanWBP", aliases=("PlanWPB",), codes="WBP"),
        Item("pb", "PB", "flag"),
        Item("oa", "OA", "flag"),
        Item("dp", "DP", codes="DP"),
        Item("cease_date", "CeaseDate", "date"),
        Item("cease_reason", "CeaseReason", codes="CeaseReason"),
    )
    CHILDREN = (("plan_detail", "PlanDetail", PlanDetail),)
    XML = "NamedPlan"
    MAX_OCCURS = {"PlanDetail": 2}  # noqa: RUF012 - a class constant
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
        Item("assessment_outcome", "AssessmentOutcome", codes="AssessmentOutcome"),
        Item("assessment_outcome_date", "AssessmentOutcomeDate", "date"),
        Item("assessment_mediation", "AssessmentMediation", "flag"),
        Item("assessment_tribunal", "AssessmentTribunal", "flag"),
        Item("other_mediation", "OtherMediation", "flag"),
        Item("other_tribunal", "OtherTribunal", "flag"),
        Item("week20", "Week20", "flag"),
    )
    CHILDREN = (("named_plan", "NamedPlan", NamedPlan),)
    XML = "Assessment"
    MAX_OCCURS = {"NamedPlan": 1}  # noqa: RUF012 - a class constant


class Request(_Module):
    """Module 2: a request for an EHC needs assessment."""

    received_date: date | None = None
    request_source: str | None = Field(default=None, max_length=10)
    rya: bool | None = None
    request_outcome_date: date | None = None
    request_outcome: str = Field(max_length=2)
    request_mediation: bool | None = None
    request_tribunal: bool | None = None
    #: The LA code the child or young person moved to before the assessment was completed
    #: (CBDS N00216, sen2.md s. 0), not a 1/0 flag.
    exported: str | None = Field(default=None, max_length=3)
    assessment: tuple[Assessment, ...] = ()
    active_plans: tuple[ActivePlan, ...] = ()

    ITEMS = (
        Item("received_date", "ReceivedDate", "date"),
        Item("request_source", "RequestSource", codes="RequestSource"),
        Item("rya", "RYA", "flag"),
        Item("request_outcome_date", "RequestOutcomeDate", "date"),
        Item("request_outcome", "RequestOutcome", codes="RequestOutcome"),
        Item("request_mediation", "RequestMediation", "flag"),
        Item("request_tribunal", "RequestTribunal", "flag"),
        Item("exported", "Exported"),
    )
    CHILDREN = (("assessment", "Assessment", Assessment),
                ("active_plans", "ActivePlans", ActivePlan))
    XML = "Requests"
    MAX_OCCURS = {"Assessment": 1, "ActivePlans": 1}  # noqa: RUF012 - a class constant


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
        Item("gender_current", "GenderCurrent", codes="GenderCurrent"),
        Item("sex", "Sex", codes="Sex"),
        Item("ethnicity", "Ethnicity", codes="Ethnicity"),
        Item("postcode", "PostCode", aliases=("Postcode",)),
        Item("upn", "UPN"),
        Item("uln", "UniqueLearnerNumber"),
        Item("upn_unknown", "UPNunknown", codes="UPNunknown"),
    )
    CHILDREN = (("requests", "Requests", Request),)
    XML = "Person"


class Header(_Module):
    """Module 0: the return's header."""

    collection: str = Field(default="SEN2", max_length=10)
    year: int
    reference_date: date
    source_level: str = Field(default="L", max_length=2)
    lea: str = Field(max_length=3)
    software_code: str = Field(default="sendflow", max_length=100)
    release: str | None = Field(default=None, max_length=100)
    serial_no: int | None = Field(default=None, ge=0, le=999)
    date_time: str | None = Field(default=None, max_length=40)
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
        Item("dmo", "DMO", codes="YesNoRecruiting"),
        Item("dco", "DCO", codes="YesNoRecruiting"),
        Item("dsco", "DSCO", codes="YesNoRecruiting"),
    )
    XML = "Header"


class Refused(SendflowModel):
    """A case :func:`~sendflow.sen2.build_return` left out of the return, and why.

    ``case_index`` is the case's position (from 0) in the cases given; ``item`` the SEN2
    item that could not be built (e.g. ``Person.Surname``); ``reason`` what is wrong with
    it. Neither ever holds the value itself.
    """

    case_index: int = Field(ge=0)
    item: str = Field(max_length=100)
    reason: str = Field(max_length=200)

    def __str__(self) -> str:
        return f"case #{self.case_index}: {self.item}: {self.reason}"


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
    #: Cases :func:`~sendflow.sen2.build_return` could not turn into a person record (for
    #: example a name longer than the model allows): each names the case's position and
    #: the item, never the value. Not part of the return: ``to_xml``/``to_csv`` do not
    #: write it, so a return read back has none.
    refused: tuple[Refused, ...] = ()

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
    #: The sendflow value this code is written for, where an event carries it (CeaseReason:
    #: the ``reason`` of ``plan_ceased``, :class:`~sendflow.workflows.review.CeaseReason`).
    reason: str | None = None
    #: The provision the code rests on, where the data gives one.
    law: Citation | None = None

    def in_collection(self, year: int) -> bool:
        """Whether the code may be returned in the ``year`` collection."""
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class CollectionInfo:
    """A SEN2 collection: year, census date and template version.

    ``assumed_as``: the earlier collection whose items, codes and schema sendflow uses
    for this one because none of its own has been published (``evidence`` says what was
    searched and found); ``None`` when the collection's own documents were used.
    """

    year: int
    census_date: date
    template: str
    notes: str | None = None
    assumed_as: int | None = None
    evidence: str | None = None


_COLLECTION_KEYS = frozenset(
    {"year", "census_date", "template", "notes", "assumed_as", "evidence"})


def _read(name: str) -> dict[str, Any]:
    text = resources.files("sendflow.sen2").joinpath(f"data/{name}").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"sen2/data/{name}", "-", "is not valid TOML") from exc


@cache
def _collections() -> dict[int, CollectionInfo]:
    raw = _read("collections.toml")
    out: dict[int, CollectionInfo] = {}
    for i, c in enumerate(raw["collection"]):
        if set(c) - _COLLECTION_KEYS:
            raise RuleDataError("sen2/data/collections.toml", f"collection[{i}]",
                                "has an unknown key")
        info = CollectionInfo(c["year"], c["census_date"], c["template"], c.get("notes"),
                              c.get("assumed_as"), c.get("evidence"))
        if info.assumed_as is not None and (info.assumed_as not in out
                                            or info.evidence is None):
            raise RuleDataError("sen2/data/collections.toml", f"collection[{i}].assumed_as",
                                "must name an earlier collection, with its evidence")
        out[info.year] = info
    return out


@dataclass(frozen=True)
class ItemSpec:
    """When a SEN2 item exists and when it must be given, by collection year.

    ``first``/``last``: the first and last collection that has the item (``None`` = no
    limit). ``mandatory_from``: the first collection in which the item must be given
    (``None`` = never mandatory); ``condition`` says when, if it is mandatory only for some
    records (``None`` = for every record of its module). ``verified`` is false where the
    year rests on a single or indirect source (``note`` says which).
    """

    name: str
    first: int | None = None
    last: int | None = None
    mandatory_from: int | None = None
    condition: str | None = None
    verified: bool = True
    note: str | None = None

    def in_collection(self, year: int) -> bool:
        """Whether the ``year`` collection has the item."""
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )

    def mandatory(self, year: int) -> bool:
        """Whether the item must be given in the ``year`` collection (when ``condition`` holds)."""
        return self.in_collection(year) and (
            self.mandatory_from is not None and year >= self.mandatory_from
        )


def _modules() -> dict[str, type[_Module]]:
    return {cls.__name__: cls for cls in (Header, Person, Request, Assessment, NamedPlan,
                                          PlanDetail, ActivePlan, PlacementDetail, SENNeed)}


_SPEC_KEYS = frozenset(
    {"name", "first", "last", "mandatory_from", "condition", "verified", "note"})


@cache
def _item_specs() -> dict[str, ItemSpec]:
    raw = _read("collections.toml")
    modules = _modules()
    out: dict[str, ItemSpec] = {}
    for i, entry in enumerate(raw.get("item", ())):
        key = f"item[{i}]"
        name = entry.get("name")
        if not isinstance(name, str) or "." not in name:
            raise RuleDataError("sen2/data/collections.toml", key, "needs a name Module.Item")
        module, xml = name.split(".", 1)
        cls = modules.get(module)
        if cls is None or xml not in {it.xml for it in cls.ITEMS}:
            raise RuleDataError("sen2/data/collections.toml", name,
                                "names no item of sendflow's SEN2 model")
        if set(entry) - _SPEC_KEYS:
            raise RuleDataError("sen2/data/collections.toml", name, "has an unknown key")
        if name in out:
            raise RuleDataError("sen2/data/collections.toml", name, "is given twice")
        out[name] = ItemSpec(name, entry.get("first"), entry.get("last"),
                             entry.get("mandatory_from"), entry.get("condition"),
                             entry.get("verified", True), entry.get("note"))
    return out


def _law(name: str, raw: dict[str, Any]) -> Citation | None:
    law = raw.get("law")
    if law is None:
        return None
    try:
        return Citation.model_validate(law)
    except ValueError:
        raise RuleDataError("sen2/data/codes.toml", f"{name}.{raw.get('code')}.law",
                            "is not a citation (title, provision, kind, href)") from None


def _check_reasons(codes: tuple[Code, ...]) -> None:
    """The join of code set CeaseReason with :class:`~sendflow.workflows.review.CeaseReason`:
    each code names one reason, each reason has one code, and each code cites its law."""
    from sendflow.workflows.review import CeaseReason

    seen: dict[str, str] = {}
    for c in codes:
        where = f"CeaseReason.{c.code}"
        if c.reason is None or c.reason not in {r.value for r in CeaseReason}:
            raise RuleDataError("sen2/data/codes.toml", where,
                                "reason names no sendflow CeaseReason")
        if c.reason in seen:
            raise RuleDataError("sen2/data/codes.toml", where, "reason is given twice")
        if c.law is None:
            raise RuleDataError("sen2/data/codes.toml", where, "has no law (a citation)")
        seen[c.reason] = c.code
    missing = [r.value for r in CeaseReason if r.value not in seen]
    if missing:
        raise RuleDataError("sen2/data/codes.toml", "CeaseReason",
                            "has no code for reason " + ", ".join(missing))


def cease_reason_code(reason: str) -> str:
    """The SEN2 CeaseReason code of a ``plan_ceased`` reason.

    ```python
    >>> cease_reason_code("transferred_to_another_la")
    '5'

    ```
    """
    return _cease_codes()[0][reason]


def cease_reason_of(code: str) -> str | None:
    """The ``plan_ceased`` reason a SEN2 CeaseReason code stands for (``None``: no such code).

    ```python
    >>> cease_reason_of("8")
    'died'

    ```
    """
    return _cease_codes()[1].get(code)


@cache
def _cease_codes() -> tuple[dict[str, str], dict[str, str]]:
    codes = _code_sets()["CeaseReason"]
    return ({c.reason: c.code for c in codes if c.reason},
            {c.code: c.reason for c in codes if c.reason})


@cache
def _code_sets() -> dict[str, tuple[Code, ...]]:
    raw = _read("codes.toml")
    out: dict[str, tuple[Code, ...]] = {}
    for i, cs in enumerate(raw["code_set"]):
        try:
            out[cs["name"]] = tuple(
                Code(c["code"], c["meaning"], c.get("first"), c.get("last"), c.get("query", False),
                     c.get("reason"), _law(cs["name"], c))
                for c in cs["codes"]
            )
        except KeyError as exc:
            raise RuleDataError("sen2/data/codes.toml", f"code_set[{i}]", "missing key") from exc
    _check_reasons(out.get("CeaseReason", ()))
    # The join between the model and the data: every item's code set must exist.
    for cls in _modules().values():
        for item in cls.ITEMS:
            if item.codes is not None and item.codes != "SENtype" and item.codes not in out:
                raise RuleDataError("sen2/data/codes.toml", item.codes,
                                    f"code set of {cls.__name__}.{item.xml} is missing")
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


def item_spec(module: str, xml: str) -> ItemSpec:
    """When item ``xml`` of ``module`` exists and when it is mandatory (see :class:`ItemSpec`).

    ```python
    >>> item_spec("Request", "RequestSource").mandatory_from
    2026
    >>> item_spec("Person", "Surname").mandatory(2023)
    True

    ```

    Raises:
        SEN2Error: the module has no such item.
    """
    cls = _modules().get(module)
    if cls is None or xml not in {i.xml for i in cls.ITEMS}:
        raise SEN2Error(f"no SEN2 item {module}.{xml} in sendflow's model")
    return _item_specs().get(f"{module}.{xml}", ItemSpec(f"{module}.{xml}"))


def item_in_collection(module: str, xml: str, year: int) -> bool:
    """Whether module ``module`` has item ``xml`` in the ``year`` collection.

    ```python
    >>> item_in_collection("Person", "Sex", 2023), item_in_collection("Person", "Sex", 2024)
    (False, True)

    ```
    """
    spec = _item_specs().get(f"{module}.{xml}")
    return spec is None or spec.in_collection(year)


def item_mandatory(module: str, xml: str, year: int) -> bool:
    """Whether item ``xml`` of ``module`` must be given in the ``year`` collection.

    Items mandatory only for some records carry a ``condition`` (see :func:`item_spec`).

    ```python
    >>> item_mandatory("Header", "DSCO", 2025), item_mandatory("Header", "DSCO", 2026)
    (False, True)

    ```
    """
    spec = _item_specs().get(f"{module}.{xml}")
    return spec is not None and spec.mandatory(year)
