"""Evaluate a caseload partitioned across workers, with Dask (extra ``distributed``).

National volumes fit one machine, but a regional or national analytics team
may hold the caseload as many JSON Lines files (one per LA, or one per day of
extract) on a cluster. :func:`sendflow.evaluate` is a pure function of one
case and a date, so the recipe is a map over partitions and a sum of the
partial results; Dask's bag does the scheduling, whether on local threads or
processes or a ``dask.distributed`` cluster::

    import dask.bag as db
    from sendflow.distributed import tally_partition

    bag = db.read_text("cases/*.jsonl", blocksize="64MiB")     # one partition per block
    partials = bag.map_partitions(tally_partition, as_of=as_of)  # evaluated on the workers
    total = partials.fold(combine_tallies, initial=empty_tally())  # partial sums combined
    total.compute(scheduler="processes")                       # or a distributed Client

:func:`status_counts` and :func:`timeliness` wrap exactly that. Each partition
parses its lines with :meth:`sendflow.Case.model_validate_json`; invalid lines
are counted, never fatal, and never echoed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from sendflow.errors import MissingExtra, SendflowError

__all__ = [
    "Tally",
    "combine_tallies",
    "empty_tally",
    "status_counts",
    "tally_partition",
    "timeliness",
]


@dataclass
class Tally:
    """Partial or total result: cases read, invalid lines, deadlines by (rule, status)."""

    cases: int = 0
    invalid: int = 0
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.cases + other.cases, self.invalid + other.invalid,
                     self.statuses + other.statuses)


def empty_tally() -> Tally:
    """A tally with nothing counted (the fold's starting value)."""
    return Tally()


def combine_tallies(a: Tally, b: Tally) -> Tally:
    """Add two partial tallies.

    ```python
    >>> combine_tallies(Tally(cases=2), Tally(cases=3, invalid=1))
    Tally(cases=5, invalid=1, statuses=Counter())

    ```
    """
    return a + b


def _cases(lines: Iterable[str], tally: Tally) -> Iterable[Any]:
    from sendflow.case import Case

    for line in lines:
        if not line.strip():
            continue
        try:
            yield Case.model_validate_json(line)
        except (ValidationError, SendflowError):
            tally.invalid += 1


def tally_partition(lines: Iterable[str], *, as_of: date) -> list[Tally]:
    """Evaluate one partition's JSON lines; return its tally (as a one-item list for Dask).

    ```python
    >>> from datetime import date
    >>> line = '{"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}'
    >>> t = tally_partition([line, "not json"], as_of=date(2026, 3, 1))[0]
    >>> t.cases, t.invalid, t.statuses[("assessment.decision", "overdue")]
    (1, 1, 1)

    ```
    """
    from sendflow.compliance import evaluate

    tally = Tally()
    for case in _cases(lines, tally):
        tally.cases += 1
        for d in evaluate(case, as_of=as_of).deadlines:
            tally.statuses[(d.rule_id, d.status.value)] += 1
    return [tally]


def _timeliness_partition(lines: Iterable[str], *, year: int) -> list[Any]:
    from sendflow.sen2 import timeliness as _timeliness

    return [_timeliness(_cases(lines, Tally()), year=year)]


def _bag(paths: str | Sequence[str], blocksize: int | str | None) -> Any:
    try:
        import dask.bag as db
    except ImportError:
        raise MissingExtra("sendflow.distributed", "distributed") from None
    read_text: Any = db.read_text
    return read_text(paths, blocksize=blocksize)


def status_counts(
    paths: str | Sequence[str],
    *,
    as_of: date,
    scheduler: str | None = None,
    blocksize: int | str | None = "64MiB",
) -> Tally:
    """Evaluate every case in JSON Lines ``paths`` (globs allowed) across Dask workers.

    Args:
        paths: file path(s) or glob(s) of JSON Lines, one case per line.
        as_of: the evaluation date.
        scheduler: Dask scheduler (``"threads"``, ``"processes"``,
            ``"synchronous"``), or None for Dask's default or an active
            ``dask.distributed.Client``.
        blocksize: bytes per partition (None: one partition per file).

    Raises:
        MissingExtra: dask is not installed (``pip install 'sendflow[distributed]'``).
    """
    bag = _bag(paths, blocksize)
    total = bag.map_partitions(tally_partition, as_of=as_of).fold(
        combine_tallies, initial=empty_tally())
    result: Tally = total.compute(scheduler=scheduler)
    return result


def timeliness(
    paths: str | Sequence[str],
    *,
    year: int,
    scheduler: str | None = None,
    blocksize: int | str | None = "64MiB",
) -> Any:
    """:func:`sendflow.sen2.timeliness` over JSON Lines partitions, merged.

    Returns a :class:`sendflow.sen2.Timeliness` equal to the single-process result.
    """
    from sendflow.sen2 import Timeliness

    bag = _bag(paths, blocksize)
    partials = bag.map_partitions(_timeliness_partition, year=year)
    return partials.fold(Timeliness.merge, initial=Timeliness(year=year)).compute(
        scheduler=scheduler)
