"""Load the rule data files once and answer look-ups by id and date."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from pydantic import ValidationError

from sendflow.errors import RuleDataError, RuleNotFound
from sendflow.rules._joins import check_clocks, check_version, check_workflow_rows
from sendflow.rules._model import Rule
from sendflow.rules._phases import TransferKinds, load_transfer_kinds

__all__ = [
    "RuleHistory",
    "all_rules",
    "check_process",
    "get",
    "history",
    "in_force",
    "load_file",
    "load_files",
    "rule_ids",
    "transfer_kinds",
]

#: Keys a ``[[rule.version]]`` table may set; anything else belongs to the rule.
_VERSION_KEYS = frozenset(
    {
        "effective_from",
        "effective_to",
        "citations",
        "legal_status",
        "period",
        "periods",
        "ages",
        "spans",
        "exceptions",
        "notes",
        "duty",
        "clock",
        "lapses",
        "evaluator",
        "period_of",
    }
)
_RULE_KEYS = frozenset(
    {
        "id",
        "title",
        "duty",
        "actor",
        "process",
        "clock",
        "period",
        "periods",
        "ages",
        "spans",
        "exceptions",
        "citations",
        "legal_status",
        "evaluator",
        "lapses",
        "notes",
        "period_of",
        "version",
    }
)
#: What a rule takes from the rule its ``period_of`` names (and may not set itself).
_BORROWED_KEYS = ("period", "periods", "spans")
_BORROWS = re.compile(r"(?m)^[ \t]*(?:[a-z_]+\.)?period_of[ \t]*=")
#: Top-level tables a data file may hold besides ``[[rule]]``, by file.
_FILE_TABLES: Mapping[str, frozenset[str]] = {"transfer.toml": frozenset({"transfer_kinds"})}


@dataclass(frozen=True)
class RuleHistory:
    """Every version of one rule, oldest first."""

    id: str
    versions: tuple[Rule, ...]
    _spans: tuple[tuple[date, date, Rule], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # (first day, last day, version): looked up for every deadline of a caseload.
        spans = tuple((v.effective_from, v.effective_to or date.max, v) for v in self.versions)
        object.__setattr__(self, "_spans", spans)

    def on(self, when: date) -> Rule | None:
        """The version in force on ``when``, if any."""
        for first, last, version in self._spans:
            if first <= when <= last:
                return version
        return None


def _error_location(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors(include_input=False, include_url=False)[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(root)"
    return loc, first["msg"]


def load_file(
    name: str, text: str, *, lender: Mapping[str, RuleHistory] | None = None
) -> list[RuleHistory]:
    """Parse one rule data file; raise :class:`RuleDataError` naming file and key.

    Besides its shape, each version's joins with the code are checked (its
    evaluator, its clock's event types and fields, its states: see
    :mod:`sendflow.rules._joins`). A version with ``period_of`` takes its
    ``period``, ``periods`` and ``spans`` from that rule in ``lender`` (by default
    the shipped registry), which must hold it, in force for the whole version.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(name, "(file)", f"not valid TOML: {exc}") from None
    unknown_tables = set(data) - {"rule"} - _FILE_TABLES.get(name, frozenset())
    if unknown_tables:
        raise RuleDataError(name, sorted(unknown_tables)[0], "not a table a rule file may hold")
    rules = data.get("rule")
    if not isinstance(rules, list):
        raise RuleDataError(name, "rule", "expected one or more [[rule]] tables")
    out: list[RuleHistory] = []
    for i, raw in enumerate(rules):
        where = f"rule[{i}]"
        if not isinstance(raw, dict):
            raise RuleDataError(name, where, "expected a table")
        rule_id = raw.get("id", "")
        where = f"rule[{i}] ({rule_id})" if rule_id else where
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise RuleDataError(name, where, f"unknown keys {sorted(unknown)}")
        versions = raw.get("version")
        if not isinstance(versions, list) or not versions:
            raise RuleDataError(
                name, f"{where}.version", "a rule needs at least one [[rule.version]]"
            )
        base = {k: v for k, v in raw.items() if k != "version"}
        built: list[Rule] = []
        placed: list[tuple[str, Rule]] = []
        for j, ver in enumerate(versions):
            vwhere = f"{where}.version[{j}]"
            unknown = set(ver) - _VERSION_KEYS
            if unknown:
                raise RuleDataError(name, vwhere, f"unknown keys {sorted(unknown)}")
            merged: dict[str, Any] = {**base, **ver}
            if "period_of" in merged:
                merged = _borrow(name, vwhere, merged, lender)
            try:
                version = Rule.model_validate(merged)
            except ValidationError as exc:
                loc, msg = _error_location(exc)
                raise RuleDataError(name, f"{vwhere}.{loc}", msg) from None
            check_version(name, vwhere, version)  # every name it gives the code exists
            built.append(version)
            placed.append((vwhere, version))
        check_clocks(name, placed)  # a version's own clock only where it is read
        built.sort(key=lambda r: r.effective_from)
        for earlier, later in pairwise(built):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise RuleDataError(
                    name,
                    f"{where}.version",
                    "versions overlap: each must end before the next starts",
                )
        for version in built:
            if version.effective_to is not None and version.effective_to < version.effective_from:
                raise RuleDataError(
                    name, f"{where}.version", "effective_to is before effective_from"
                )
        out.append(RuleHistory(id=built[0].id, versions=tuple(built)))
    return out


def _borrow(
    name: str, where: str, merged: dict[str, Any], lender: Mapping[str, RuleHistory] | None
) -> dict[str, Any]:
    """``merged`` (one version's data, with ``period_of``) with the period, periods and
    spans of the rule ``period_of`` names, so the law's numbers have one home."""
    for key in _BORROWED_KEYS:
        if key in merged:
            raise RuleDataError(
                name, f"{where}.{key}",
                "the rule takes its numbers from period_of: the law has one home",
            )
    target = merged["period_of"]
    table = _registry() if lender is None else lender
    hist = table.get(target) if isinstance(target, str) else None
    if hist is None:
        raise RuleDataError(name, f"{where}.period_of", f"no rule {target!r} to take it from")
    if any(v.period_of is not None for v in hist.versions):
        raise RuleDataError(
            name, f"{where}.period_of", f"rule {target!r} takes its own numbers from another"
        )
    first = merged.get("effective_from")
    last = merged.get("effective_to")
    source = hist.on(first) if isinstance(first, date) else None
    if (
        source is None
        or not isinstance(first, date)
        or (last is not None and not isinstance(last, date))
        or not _covers(hist, first, last)
    ):
        raise RuleDataError(
            name, f"{where}.period_of",
            f"rule {target!r} is not in force for the whole of this version",
        )
    borrowed = {"period": source.period, "periods": source.periods, "spans": source.spans}
    return {**merged, **borrowed}


def _covers(hist: RuleHistory, first: date, last: date | None) -> bool:
    """Whether ``hist``'s versions are in force, with no gap, from ``first`` to ``last``
    (open: to the end of time)."""
    from sendflow.calendar import add_days

    day = first
    for version in hist.versions:
        end = version.effective_to
        if end is not None and end < day:
            continue
        if version.effective_from > day:
            return False
        if end is None or (last is not None and end >= last):
            return True
        day = add_days(end, 1)
    return False


def check_process(name: str, items: list[RuleHistory]) -> None:
    """Each rule data file holds one process, and is named by it (``review.toml``)."""
    process = name.removesuffix(".toml")
    for item in items:
        for version in item.versions:
            if version.process != process:
                raise RuleDataError(
                    name,
                    f"{item.id}.process",
                    f"process {version.process!r} belongs in {version.process}.toml",
                )


def load_files(files: Iterable[tuple[str, str]]) -> dict[str, RuleHistory]:
    """Every rule of the data files ``(name, text)``, by id, checked as the registry is:
    files whose rules take their numbers from another rule (``period_of``) load after
    the others, and lend from them."""
    first: list[tuple[str, str]] = []
    later: list[tuple[str, str]] = []
    for name, text in files:
        (later if _BORROWS.search(text) else first).append((name, text))
    table: dict[str, RuleHistory] = {}
    for name, text in (*first, *later):
        items = load_file(name, text, lender=table)
        check_process(name, items)
        for item in items:
            if item.id in table:
                raise RuleDataError(name, item.id, "rule id defined twice")
            table[item.id] = item
    return dict(sorted(table.items()))


def _data_files() -> list[tuple[str, str]]:
    folder = resources.files("sendflow.rules").joinpath("data")
    return [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda p: p.name)
        if entry.name.endswith(".toml")
    ]


@cache
def _registry() -> Mapping[str, RuleHistory]:
    table = load_files(_data_files())
    _check_workflows()
    transfer_kinds()  # the transfer table in transfer.toml is checked with the rules
    return table


@cache
def transfer_kinds() -> TransferKinds:
    """``transfer.toml``'s table of the kinds of transfer between phases, by
    National Curriculum year (read by :func:`sendflow.lifecycle.transfer_kind_for`)."""
    text = resources.files("sendflow.rules").joinpath("data/transfer.toml").read_text(
        encoding="utf-8"
    )
    return load_transfer_kinds("transfer.toml", text)


def _check_workflows() -> None:
    """Each row of every workflow table names an event that has a class."""
    from sendflow.workflows import REGIONS, TABLES

    tables = {**TABLES, **REGIONS}
    check_workflow_rows(
        (name, ((t.source, t.event) for t in table.transitions)) for name, table in tables.items()
    )


def rule_ids() -> tuple[str, ...]:
    """Every rule id the registry knows, sorted.

    ```python
    >>> "assessment.final_plan" in rule_ids()
    True

    ```
    """
    return tuple(_registry())


def history(rule_id: str) -> RuleHistory:
    """Every version of a rule; :class:`RuleNotFound` if the id is unknown."""
    try:
        return _registry()[rule_id]
    except KeyError:
        raise RuleNotFound(rule_id) from None


def get(rule_id: str, *, on: date) -> Rule:
    """The version of ``rule_id`` in force on ``on``.

    ```python
    >>> from datetime import date
    >>> rule = get("assessment.final_plan", on=date(2026, 1, 5))
    >>> rule.period.describe()
    'within 20 weeks'
    >>> rule.citations[0].provision
    'reg. 13(2)'

    ```

    Raises:
        RuleNotFound: no rule has that id, or no version is in force on ``on``.
    """
    version = history(rule_id).on(on)
    if version is None:
        raise RuleNotFound(rule_id, on)
    return version


def in_force(*, on: date) -> list[Rule]:
    """Every rule version in force on ``on``, sorted by id.

    ```python
    >>> from datetime import date
    >>> ids = [r.id for r in in_force(on=date(2026, 1, 5))]
    >>> "assessment.decision" in ids
    True

    ```
    """
    out = []
    for item in _registry().values():
        version = item.on(on)
        if version is not None:
            out.append(version)
    return out


def all_rules() -> Iterator[RuleHistory]:
    """Every rule's history, sorted by id."""
    yield from _registry().values()


def nearest_version(rule_id: str, on: date) -> Rule:
    """The version of ``rule_id`` in force on ``on``, or the nearest one: the first
    version for an earlier date, the latest for a later one.

    For helpers that answer for any date (``sendflow.appeal_deadline``,
    ``sendflow.lifecycle.plan_latest_end``); the compliance engine judges only the
    dates a version covers.
    """
    hist = history(rule_id)
    version = hist.on(on)
    if version is not None:
        return version
    return hist.versions[0] if on < hist.versions[0].effective_from else hist.versions[-1]
