"""Special educational needs: the Code of Practice's broad areas and the DfE need codes.

The SEND Code of Practice (paras 6.28–6.35) describes four broad areas of need,
:class:`AreaOfNeed`. The DfE's finer type-of-need codes, :class:`NeedType`,
are used in the school census and in the SEN2 return (module 5c); which codes
may be used on a date, and where, is effective-dated data in
``sendflow/data/need_types.toml``, read with :func:`need_types`.

A child's needs are a :class:`NeedsProfile`: exactly one primary need and at
most one secondary need, as the school census and SEN2 record them.

```python
>>> from datetime import date
>>> profile = NeedsProfile.of(NeedType.ASD, NeedType.SLCN)
>>> profile.primary.need_type, profile.primary.area
(<NeedType.ASD: 'ASD'>, <AreaOfNeed.COMMUNICATION_AND_INTERACTION: 'communication_and_interaction'>)
>>> profile.check_codes(on=date(2026, 1, 15), collection="sen2")

```
"""

from __future__ import annotations

import tomllib
from datetime import date
from enum import IntEnum, StrEnum
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from sendflow._base import SendflowModel
from sendflow.errors import RuleDataError, UnknownCode

__all__ = [
    "AREA_CITATIONS",
    "AreaOfNeed",
    "Collection",
    "Need",
    "NeedRank",
    "NeedSource",
    "NeedType",
    "NeedTypeInfo",
    "NeedsProfile",
    "area_of",
    "need_types",
]

_COP = "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"

Collection = Literal["school_census", "sen2"]
"""Where a need code may be returned: the school census or the SEN2 return."""


class AreaOfNeed(StrEnum):
    """The four broad areas of need in the SEND Code of Practice (paras 6.28–6.35).

    ```python
    >>> AreaOfNeed("sensory_and_or_physical").name
    'SENSORY_AND_OR_PHYSICAL'

    ```
    """

    COMMUNICATION_AND_INTERACTION = "communication_and_interaction"
    """Code of Practice paras 6.28–6.29 (including speech, language and autism)."""
    COGNITION_AND_LEARNING = "cognition_and_learning"
    """Code of Practice paras 6.30–6.31 (MLD, SLD, PMLD and specific learning difficulties)."""
    SOCIAL_EMOTIONAL_MENTAL_HEALTH = "social_emotional_mental_health"
    """Code of Practice paras 6.32–6.33."""
    SENSORY_AND_OR_PHYSICAL = "sensory_and_or_physical"
    """Code of Practice paras 6.34–6.35 (vision, hearing, multi-sensory, physical)."""


#: Paragraph references for each broad area (Code of Practice, guidance not statute).
AREA_CITATIONS: dict[AreaOfNeed, str] = {
    AreaOfNeed.COMMUNICATION_AND_INTERACTION: "para 6.28-6.29",
    AreaOfNeed.COGNITION_AND_LEARNING: "para 6.30-6.31",
    AreaOfNeed.SOCIAL_EMOTIONAL_MENTAL_HEALTH: "para 6.32-6.33",
    AreaOfNeed.SENSORY_AND_OR_PHYSICAL: "para 6.34-6.35",
}


class NeedType(StrEnum):
    """A DfE type-of-need code (school census and SEN2 ``SENtype``).

    The value is the DfE code itself. Whether a code may be used on a given
    date, and in which return, is data: see :func:`need_types`.

    ```python
    >>> NeedType("SEMH").description
    'Social, emotional and mental health'
    >>> NeedType.NSA.is_sen2_code
    False

    ```
    """

    SPLD = "SPLD"
    MLD = "MLD"
    SLD = "SLD"
    PMLD = "PMLD"
    SEMH = "SEMH"
    SLCN = "SLCN"
    HI = "HI"
    VI = "VI"
    MSI = "MSI"
    PD = "PD"
    ASD = "ASD"
    DS = "DS"
    OTH = "OTH"
    NSA = "NSA"

    @property
    def description(self) -> str:
        """The DfE description of this code."""
        return _by_code()[self].description

    @property
    def area(self) -> AreaOfNeed | None:
        """The broad area of need this code usually falls under, if any."""
        return _by_code()[self].area

    @property
    def is_sen2_code(self) -> bool:
        """Whether this code can ever be returned in SEN2 (NSA cannot)."""
        return "sen2" in _by_code()[self].collections


class NeedSource(SendflowModel):
    """A publication that lists need codes."""

    id: str
    title: str
    href: str = Field(pattern=r"^https://")
    kind: Literal["guidance", "code_of_practice"]


class NeedTypeInfo(SendflowModel):
    """One need code as dated, sourced data (a row of ``need_types.toml``)."""

    code: NeedType
    description: str
    area: AreaOfNeed | None = None
    collections: tuple[Collection, ...]
    effective_from: date
    effective_to: date | None = None
    source: NeedSource
    note: str | None = None

    def in_force(self, on: date) -> bool:
        """Whether the code may be used on ``on`` (``effective_to`` is inclusive)."""
        if on < self.effective_from:
            return False
        return self.effective_to is None or on <= self.effective_to


_DATA_FILE = "data/need_types.toml"


@cache
def _load() -> tuple[NeedTypeInfo, ...]:
    text = resources.files("sendflow").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
        sources = {s["id"]: NeedSource.model_validate(s) for s in raw["source"]}
        rows: list[NeedTypeInfo] = []
        for i, row in enumerate(raw["need_type"]):
            fields = dict(row)
            key = fields.pop("source", None)
            if key not in sources:
                raise RuleDataError(_DATA_FILE, f"need_type[{i}].source", "unknown source id")
            rows.append(NeedTypeInfo.model_validate({**fields, "source": sources[key]}))
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        if isinstance(exc, RuleDataError):
            raise
        raise RuleDataError(_DATA_FILE, "-", f"cannot be read ({type(exc).__name__})") from exc
    missing = set(NeedType) - {r.code for r in rows}
    if missing:
        raise RuleDataError(_DATA_FILE, "need_type", "a NeedType member has no data row")
    return tuple(rows)


@cache
def _by_code() -> dict[NeedType, NeedTypeInfo]:
    # The latest row per code gives its description and area.
    out: dict[NeedType, NeedTypeInfo] = {}
    for row in sorted(_load(), key=lambda r: r.effective_from):
        out[row.code] = row
    return out


def need_types(on: date, collection: Collection | None = None) -> tuple[NeedTypeInfo, ...]:
    """Return the need codes in force on ``on``, optionally only those one return uses.

    ```python
    >>> from datetime import date
    >>> [t.code.value for t in need_types(date(2024, 1, 18), "sen2")][-2:]
    ['ASD', 'OTH']
    >>> NeedType.DS in {t.code for t in need_types(date(2025, 1, 16), "sen2")}
    True
    >>> NeedType.NSA in {t.code for t in need_types(date(2025, 1, 16), "sen2")}
    False

    ```
    """
    return tuple(
        row
        for row in _load()
        if row.in_force(on) and (collection is None or collection in row.collections)
    )


def area_of(need_type: NeedType) -> AreaOfNeed | None:
    """Return the broad area of need a code falls under (None for DS, OTH, NSA).

    ```python
    >>> area_of(NeedType.SPLD)
    <AreaOfNeed.COGNITION_AND_LEARNING: 'cognition_and_learning'>
    >>> area_of(NeedType.OTH) is None
    True

    ```
    """
    return need_type.area


_M = TypeVar("_M", bound=SendflowModel)


def _unwritable(cls: type[_M]) -> type[_M]:
    """Make ``cls`` refuse to set or delete any attribute, private names
    included: one needs profile read from JSON is shared by every child with
    the same needs (``sendflow._fastjson``), so a write on one would show on
    all. The error is the one a frozen field gives."""

    def __setattr__(self: _M, name: str, value: Any) -> None:
        raise _frozen(type(self).__name__)

    def __delattr__(self: _M, name: str) -> None:
        raise _frozen(type(self).__name__)

    type.__setattr__(cls, "__setattr__", __setattr__)
    type.__setattr__(cls, "__delattr__", __delattr__)
    return cls


def _frozen(title: str) -> ValidationError:
    return ValidationError.from_exception_data(
        title,
        [{"type": PydanticCustomError("frozen_instance", "Instance is frozen"), "loc": (),
          "input": None}],
        hide_input=True,
    )


class NeedRank(IntEnum):
    """Rank of a need, as SEN2 ``SENtypeRank`` and the school census record it."""

    PRIMARY = 1
    SECONDARY = 2


@_unwritable
class Need(SendflowModel):
    """One identified need: its DfE code, its rank and an optional description.

    ```python
    >>> Need(need_type=NeedType.HI).rank
    <NeedRank.PRIMARY: 1>

    ```
    """

    need_type: NeedType
    rank: NeedRank = NeedRank.PRIMARY
    description: str | None = Field(default=None, repr=False)

    @property
    def area(self) -> AreaOfNeed | None:
        """The broad area of need of :attr:`need_type`."""
        return self.need_type.area


#: Read as a module constant: an enum member read from its class
#: (``NeedRank.PRIMARY``) costs about ten times a module global, on every child read.
_PRIMARY = NeedRank.PRIMARY


@_unwritable
class NeedsProfile(SendflowModel):
    """A child's recorded needs: exactly one primary, at most one secondary, no repeats.

    Children with the same needs read from JSON share one profile, so no
    attribute of a profile (or of its needs) can be set, private names included.

    ```python
    >>> NeedsProfile.of(NeedType.SEMH).secondary is None
    True
    >>> NeedsProfile.of(NeedType.SEMH, NeedType.SEMH)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for NeedsProfile
      Value error, needs: the same need type appears twice ...

    ```
    """

    needs: tuple[Need, ...] = Field(min_length=1, max_length=2)

    @model_validator(mode="after")
    def _one_primary(self) -> NeedsProfile:
        needs = self.needs
        if len(needs) == 1 and needs[0].rank is _PRIMARY:
            return self  # the common case, checked without building lists
        ranks = [n.rank for n in needs]
        if ranks.count(NeedRank.PRIMARY) != 1:
            raise ValueError("needs: exactly one need must have rank 1 (primary)")
        if ranks.count(NeedRank.SECONDARY) > 1:
            raise ValueError("needs: at most one need may have rank 2 (secondary)")
        types = [n.need_type for n in self.needs]
        if len(set(types)) != len(types):
            raise ValueError("needs: the same need type appears twice")
        return self

    @classmethod
    def of(cls, primary: NeedType, secondary: NeedType | None = None) -> NeedsProfile:
        """Build a profile from a primary and an optional secondary code."""
        needs = [Need(need_type=primary, rank=NeedRank.PRIMARY)]
        if secondary is not None:
            needs.append(Need(need_type=secondary, rank=NeedRank.SECONDARY))
        return cls(needs=tuple(needs))

    @property
    def primary(self) -> Need:
        """The primary (rank 1) need."""
        return next(n for n in self.needs if n.rank is NeedRank.PRIMARY)

    @property
    def secondary(self) -> Need | None:
        """The secondary (rank 2) need, if one is recorded."""
        return next((n for n in self.needs if n.rank is NeedRank.SECONDARY), None)

    @property
    def areas(self) -> frozenset[AreaOfNeed]:
        """The broad areas of need the recorded codes fall under."""
        return frozenset(a for n in self.needs if (a := n.area) is not None)

    def check_codes(self, on: date, collection: Collection) -> None:
        """Raise :class:`~sendflow.errors.UnknownCode` if a code is not usable on ``on``.

        ```python
        >>> from datetime import date
        >>> NeedsProfile.of(NeedType.NSA).check_codes(date(2026, 1, 15), "sen2")
        Traceback (most recent call last):
        ...
        sendflow.errors.UnknownCode: need type needs[0]: code not in force for sen2 on that date

        ```
        """
        allowed = {t.code for t in need_types(on, collection)}
        for i, need in enumerate(self.needs):
            if need.need_type not in allowed:
                raise UnknownCode(
                    "need type",
                    f"needs[{i}]: code not in force for {collection} on that date",
                )
