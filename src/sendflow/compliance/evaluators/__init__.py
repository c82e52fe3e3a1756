"""The evaluator table: every evaluator the rule data may name, and the findings hooks.

A rule's ``evaluator`` (``rules/data/*.toml``) names an entry of
:data:`EVALUATORS`; the registry refuses, when it loads, a name this table does
not hold. Most rules use ``standard`` (a period from a start event, met by
another event) or ``before_anchor`` (notice at least N days before an event);
the rest have an evaluator of their own, in the module named as their process
is named in ``rules/data/`` (``review.toml``'s are in
:mod:`~sendflow.compliance.evaluators.review`); the helpers they share are in the
private ``_common``:

- :mod:`~sendflow.compliance.evaluators.assessment` — findings on an assessment;
- :mod:`~sendflow.compliance.evaluators.review` — annual, after re-assessment and
  early years reviews;
- :mod:`~sendflow.compliance.evaluators.transfer` — transfers between phases;
- :mod:`~sendflow.compliance.evaluators.la_transfer` — moves between authorities;
- :mod:`~sendflow.compliance.evaluators.ceasing` — ceasing a plan;
- :mod:`~sendflow.compliance.evaluators.disagreement` — mediation, appeals and
  Tribunal orders.

The table is written out here, not filled by registration on import: reading it
tells you every evaluator there is. Tests and oracles replace an entry through
``evaluate(..., evaluators={name: fn})``, never by changing this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sendflow.compliance._context import Evaluator, Hook
from sendflow.compliance._standard import before_anchor_fast, standard
from sendflow.compliance.evaluators import (
    assessment,
    ceasing,
    disagreement,
    la_transfer,
    review,
    transfer,
)

__all__ = ["CLOCKED", "EVALUATORS", "FINDINGS", "READS", "START_FIELDS"]


def _table(*parts: Mapping[str, Evaluator]) -> Mapping[str, Evaluator]:
    out: dict[str, Evaluator] = {}
    for part in parts:
        for name, fn in part.items():
            if name in out:
                raise AssertionError(f"evaluator {name!r} is defined twice")
            out[name] = fn
    return MappingProxyType(out)


#: Every evaluator, by the name rule data gives it.
EVALUATORS: Mapping[str, Evaluator] = _table(
    {"standard": standard, "before_anchor": before_anchor_fast},
    assessment.EVALUATORS,
    review.EVALUATORS,
    transfer.EVALUATORS,
    la_transfer.EVALUATORS,
    ceasing.EVALUATORS,
    disagreement.EVALUATORS,
)

#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans (``"periods.since_last_review"``) a version naming it must
#: hold, and may hold no others of (the registry checks both when it loads).
READS: Mapping[str, frozenset[str]] = MappingProxyType(
    {name: frozenset[str]() for name in EVALUATORS}
    | dict(review.READS)
    | dict(transfer.READS)
    | dict(la_transfer.READS)
    | dict(ceasing.READS)
    | dict(disagreement.READS)
)

#: The evaluators that judge each case by the clock of the rule version in force for it
#: (its ``starts``, ``met_by`` and ``closed_by``, read from the data), each with the
#: other clock keys it reads (``per``, ``start_field``, ``while_in``). Every other
#: evaluator knows its events in code, and its rule's clock tells the engine only which
#: event types can start it. So the registry refuses, when it loads, a clock key an
#: evaluator does not read (``per`` or ``while_in`` on any evaluator not listed here),
#: and versions of one rule with different clocks under an evaluator not listed here:
#: either would be accepted and reach nothing.
CLOCKED: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "standard": frozenset({"per", "start_field", "while_in"}),
        "before_anchor": frozenset({"start_field"}),
    }
    | dict(disagreement.CLOCKED)
)

#: The start date field each evaluator outside :data:`CLOCKED` takes in code, where its
#: start events carry one (``appeal_deadline`` counts from a notice's ``sent_on``). The
#: registry holds its rules' ``start_field`` to it: one the code does not read, or none
#: where the code reads one, is refused. The others start from the event's own
#: ``start_date`` (its ``on``, or a date its class names, e.g. ``received_on``).
START_FIELDS: Mapping[str, str] = MappingProxyType(
    dict(disagreement.START_FIELDS) | dict(transfer.START_FIELDS)
)

#: Every findings hook, in the order they run.
FINDINGS: tuple[Hook, ...] = (
    *assessment.FINDINGS,
    *disagreement.FINDINGS,
    *review.FINDINGS,
    *ceasing.FINDINGS,
)
