"""Which moves between National Curriculum years are a transfer between phases.

``rules/data/transfer.toml``'s ``[transfer_kinds]`` table: one row per kind of
transfer (SEND Regulations 2014 reg. 2(1) "transfer between phases of
education", and reg. 18(2) for a move between post-16 institutions), each with
the years it moves from and to. :func:`sendflow.lifecycle.transfer_kind_for`
reads the rows, first match first; the years are data, not Python.

The table is checked when it loads: no unknown key, each ``kind`` a
:class:`~sendflow.workflows.review.TransferKind` that is a transfer between
phases, and every such kind with a row. A mismatch is a
:class:`~sendflow.errors.RuleDataError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from typing import Any

from pydantic import Field, ValidationError, model_validator

from sendflow._base import SendflowModel
from sendflow.errors import RuleDataError
from sendflow.rules._model import Citation, LegalStatus

__all__ = ["TransferKindRow", "TransferKinds", "YearRange", "load_transfer_kinds"]

#: The kinds a move may be recorded as that are not a transfer between phases of
#: education (reg. 2(1)): they have no row.
NOT_PHASES = frozenset({"into_apprenticeship"})


class YearRange(SendflowModel):
    """National Curriculum years from ``min`` to ``max`` inclusive (a bound left out is open)."""

    min: int | None = None
    max: int | None = None

    @model_validator(mode="after")
    def _check_order(self) -> YearRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is after max")
        return self

    def contains(self, year: int) -> bool:
        """Whether ``year`` is in the range."""
        return (self.min is None or self.min <= year) and (self.max is None or year <= self.max)


class TransferKindRow(SendflowModel):
    """A move from a year in ``from_year`` to one in ``to_year`` is a transfer of ``kind``.

    ``middle_school``: the row holds only where the area has (``True``) or has not
    (``False``) middle schools; left out, it holds in both.
    """

    kind: str
    provision: str = Field(min_length=1, description="The limb of the law, e.g. 'reg. 2(1)(b)'.")
    from_year: YearRange
    to_year: YearRange
    middle_school: bool | None = None

    def matches(self, nc_year_from: int, nc_year_to: int, middle_school: bool) -> bool:
        """Whether a move between these years (in an area with or without middle schools)
        is this row's."""
        return (
            (self.middle_school is None or self.middle_school is middle_school)
            and self.from_year.contains(nc_year_from)
            and self.to_year.contains(nc_year_to)
        )


class TransferKinds(SendflowModel):
    """The whole table, with the law it follows."""

    citations: tuple[Citation, ...] = Field(min_length=1)
    legal_status: LegalStatus
    row: tuple[TransferKindRow, ...] = Field(min_length=1)


def _kinds() -> frozenset[str]:
    # Imported late: sendflow.workflows imports the rules package.
    from sendflow.workflows.review import TransferKind

    return frozenset(k.value for k in TransferKind)


def load_transfer_kinds(name: str, text: str) -> TransferKinds:
    """Parse the ``[transfer_kinds]`` table of file ``name``; :class:`RuleDataError`
    naming file and key for a broken one."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(name, "(file)", f"not valid TOML: {exc}") from None
    raw = data.get("transfer_kinds")
    if not isinstance(raw, dict):
        raise RuleDataError(name, "transfer_kinds", "expected a [transfer_kinds] table")
    try:
        table = TransferKinds.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        # An unknown key first: a misspelt key is also reported as the key missing.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = ".".join(str(p) for p in first["loc"])
        raise RuleDataError(name, f"transfer_kinds.{loc}", first["msg"]) from None
    known = _kinds()
    for i, row in enumerate(table.row):
        if row.kind not in known:
            raise RuleDataError(
                name, f"transfer_kinds.row[{i}].kind", f"no transfer kind {row.kind!r}"
            )
        if row.kind in NOT_PHASES:
            raise RuleDataError(
                name, f"transfer_kinds.row[{i}].kind",
                f"{row.kind!r} is not a transfer between phases of education (reg. 2(1))",
            )
    missing = sorted(known - NOT_PHASES - {row.kind for row in table.row})
    if missing:
        raise RuleDataError(name, "transfer_kinds.row", f"no row for kind {missing[0]!r}")
    return table
