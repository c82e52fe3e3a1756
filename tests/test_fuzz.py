"""Fuzzing: junk and mutated cases in, only sendflow's or pydantic's errors out, no PII.

Every run feeds at least 10,000 documents (whatever the hypothesis profile):
each hypothesis example brings a generated valid case and a seed with a planted child
(names, date of birth, UPN, ULN, NHS number, postcode) plus a few arbitrary
JSON documents, and a seeded loop mutates them in a batch. Each document goes
to ``Case.model_validate`` or ``Case.model_validate_json`` and, if valid, to
``evaluate``. The only exceptions allowed are ``pydantic.ValidationError``
and ``sendflow.SendflowError``, and no error text may contain planted data.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sendflow import Case, ChildOrYoungPerson, SendflowError, evaluate
from sendflow.testing import strategies as s
from sendflow.workflows import TABLES

TOTAL = 10_000
EXAMPLES = max(1, settings().max_examples)
BATCH = math.ceil(TOTAL / EXAMPLES)
GIVEN, FAMILY, POSTCODE = "Quillonette", "Thistlewaite", "EX4 3SR"
EVENT_TYPES = s.event_types()

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_docs = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def planted_cases(draw: st.DrawFn) -> tuple[Case, tuple[str, ...]]:
    workflow = draw(st.sampled_from(sorted(TABLES)))
    case = draw(s.case_histories(workflow, max_events=8))
    child = draw(s.children(names=False))
    child = ChildOrYoungPerson.model_validate(
        {
            **child.model_dump(mode="json"),
            "given_name": GIVEN,
            "family_name": FAMILY,
            "postcode": POSTCODE,
            "upn": str(draw(s.upns())),
            "uln": str(draw(s.ulns())),
            "nhs_number": str(draw(s.nhs_numbers())),
            "upn_unknown": None,
        }
    )
    planted = (
        GIVEN,
        FAMILY,
        POSTCODE,
        child.date_of_birth.isoformat(),
        str(child.upn),
        str(child.uln),
        str(child.nhs_number),
    )
    return case.model_copy(update={"child": child}), planted


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(paths(v, (*prefix, i)))
    return out


def get(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def mutate(doc: Any, rnd: random.Random, planted: tuple[str, ...], extra: list[Any]) -> Any:
    junk: list[Any] = [
        None, True, 0, -1, 10**20, 1.5, float("nan"), "", "x" * 150, [], {},
        "2026-02-30", "2026-13-01", "26/01/2026", "2026-01-05T10:00:00", "0001-01-01",
        *planted, *EVENT_TYPES, *extra,
    ]
    for _ in range(rnd.randint(1, 3)):
        target = rnd.choice(paths(doc))
        if not target:
            doc = rnd.choice([doc, rnd.choice(junk), [doc], {"events": doc}])
            continue
        parent, key = get(doc, target[:-1]), target[-1]
        value = parent[key]
        op = rnd.randrange(7)
        if op == 0:
            parent[key] = copy.deepcopy(rnd.choice(junk))
        elif op == 1:
            del parent[key]
        elif op == 2 and isinstance(value, dict):
            name = rnd.choice(["extra", "notes", "type", "on", "until", "served_on"])
            value[name] = rnd.choice(junk)
        elif op == 3 and isinstance(value, list) and value:
            rnd.shuffle(value)
            if rnd.random() < 0.5:
                value.append(copy.deepcopy(rnd.choice(value)))
        elif op == 4 and isinstance(value, str):
            try:
                day = date.fromisoformat(value)
                parent[key] = (day + timedelta(days=rnd.randint(-400, 400))).isoformat()
            except (ValueError, OverflowError):
                parent[key] = rnd.choice(planted)
        elif op == 5 and isinstance(value, dict) and "type" in value:
            value["type"] = rnd.choice([*EVENT_TYPES, rnd.choice(planted)])
        elif op == 6 and isinstance(value, dict):
            value[rnd.choice(planted)] = value.pop(rnd.choice(list(value))) if value else 1
        else:
            parent[key] = rnd.choice(planted)
    return doc


def error_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), repr(exc.args)]
    if isinstance(exc, ValidationError):
        # errors() with pydantic's defaults (input included) and json(): what
        # import pipelines and 422 handlers log.
        texts.append(json.dumps(exc.errors(), default=str))
        texts.append(exc.json())
    return texts


def feed(doc: Any, rnd: random.Random, planted: tuple[str, ...]) -> None:
    try:
        if rnd.random() < 0.5:
            case = Case.model_validate(doc)
        else:
            case = Case.model_validate_json(json.dumps(doc, allow_nan=True))
        as_of = date(2014, 9, 1) + timedelta(days=rnd.randrange(365 * 16))
        evaluate(case, as_of=as_of)
    except (ValidationError, SendflowError) as exc:
        check_no_leak(exc, planted)


def check_no_leak(exc: BaseException, planted: tuple[str, ...]) -> None:
    for text in error_texts(exc):
        leaked = [p for p in planted if p in text]
        assert not leaked, f"{type(exc).__name__} echoed planted data: {text[:300]}"


def test_fuzz_case_validation_and_evaluation() -> None:
    fed = 0

    # No shrinking: a batch of mutations shrinks slowly, and the message names the leak.
    @settings(
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.data_too_large, HealthCheck.too_slow],
    )
    @given(planted_cases(), st.lists(json_docs, max_size=3), st.integers(0, 2**32 - 1))
    def run(seed: tuple[Case, tuple[str, ...]], docs: list[Any], rnd_seed: int) -> None:
        nonlocal fed
        case, planted = seed
        rnd = random.Random(rnd_seed)  # the batch's mutations, reproducible from the seed
        valid = case.model_dump(mode="json")
        for doc in docs:
            feed(doc, rnd, planted)
        for _ in range(BATCH):
            source = copy.deepcopy(valid if not docs or rnd.random() < 0.8 else rnd.choice(docs))
            feed(mutate(source, rnd, planted, docs), rnd, planted)
        fed += BATCH + len(docs)

    run()
    assert fed >= TOTAL


@given(json_docs)
def test_arbitrary_json_gives_only_validation_errors(doc: Any) -> None:
    with contextlib.suppress(ValidationError, SendflowError):
        Case.model_validate(doc)


def test_an_unknown_key_named_by_an_identifier_is_not_echoed() -> None:
    upn = "B801200005001"
    with pytest.raises(ValidationError) as info:
        Case.model_validate({upn: {"events": []}})
    for text in error_texts(info.value):
        assert upn not in text


def test_an_unknown_event_type_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as info:
        Case.model_validate({"events": [{"type": "B801200005001", "on": "2026-01-05"}]})
    for text in error_texts(info.value):
        assert "B801200005001" not in text


@pytest.mark.parametrize(
    "event",
    [
        {"type": "request_received", "on": "9999-12-31", "made_by": "parent"},
        {"type": "final_plan_issued", "on": "9999-06-01"},
    ],
)
def test_a_deadline_beyond_year_9999_raises_a_sendflow_error(event: dict[str, str]) -> None:
    case = Case.model_validate({"events": [event]})
    # As of the last day dates hold (as of 2026 the event would not be seen: as_of is a
    # point in time).
    with pytest.raises(SendflowError, match="outside the dates the calendar supports"):
        evaluate(case, as_of=date(9999, 12, 31))
