"""Oracle for reading JSON with remembered needs profiles (``sendflow._fastjson``).

``Case.model_validate_json`` and ``ChildOrYoungPerson.model_validate_json`` read
the child's ``needs`` through a second validator that remembers profiles by their
need type codes and ranks; whatever it refuses, the model's own (plain) validator
validates again. Here arbitrary JSON for ``needs`` (valid and invalid: wrong
types, extra keys, descriptions, ranks 0/3/"1"/1.0/true, unknown codes, 0 to 3
needs, a key given twice), the hostile JSON Lines fixtures, every golden case
as JSON and a synthetic caseload go through both, which must give the same
model (equal, same dump, repr and fields set at every level) or the same errors
(type, loc, msg).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from tests.reference.golden import jsonable

from sendflow import Case, _fastjson
from sendflow._base import sanitise_validation_error
from sendflow.compliance._plan import clear_caches
from sendflow.needs import NeedRank, NeedsProfile, NeedType
from sendflow.people import ChildOrYoungPerson

HOSTILE = Path(__file__).parent.parent / "fixtures" / "hostile"

_CHILD = {"date_of_birth": "2012-05-04", "responsible_la": "806", "upn": "N806533814642"}
_EVENTS = [{"type": "final_plan_issued", "on": "2015-04-18"}]

#: Whether this pydantic-core takes the fast reader (``_fastjson.reads_as_plain``);
#: at pydantic 2.7.0 it reads a key given twice differently, and every model then
#: reads JSON the plain way, so there is nothing remembered to test.
needs_fast = pytest.mark.skipif(
    not _fastjson.reads_as_plain(), reason="this pydantic-core reads JSON the plain way only")


def _plain(cls: type[BaseModel], text: str | bytes) -> Any:
    """What the model's own validator gives: the model, or the sanitised errors."""
    try:
        return cls.__pydantic_validator__.validate_json(text)
    except ValidationError as exc:
        return sanitise_validation_error(exc)


def _fast(cls: type[BaseModel], text: str | bytes) -> Any:
    try:
        return cls.model_validate_json(text)
    except ValidationError as exc:
        return exc


def _fields_sets(model: Any) -> Any:
    """Every model's fields set, nested as the model is."""
    if isinstance(model, BaseModel):
        return (
            type(model).__name__,
            sorted(model.model_fields_set),
            [_fields_sets(getattr(model, name)) for name in type(model).model_fields],
        )
    if isinstance(model, tuple):
        return [_fields_sets(item) for item in model]
    return None


def _errors(exc: ValidationError) -> list[tuple[str, Any, str]]:
    return [(e["type"], e["loc"], e["msg"]) for e in exc.errors()]


def _assert_same(cls: type[BaseModel], text: str | bytes) -> Any:
    plain, fast = _plain(cls, text), _fast(cls, text)
    if isinstance(plain, ValidationError):
        assert isinstance(fast, ValidationError), "fast path accepted what plain refuses"
        assert _errors(fast) == _errors(plain)
        assert str(fast) == str(plain)
        return None
    assert not isinstance(fast, ValidationError), _errors(fast)
    assert type(fast) is type(plain)
    assert fast == plain
    assert fast.model_dump() == plain.model_dump()
    assert fast.model_dump_json() == plain.model_dump_json()
    assert repr(fast) == repr(plain)
    assert _fields_sets(fast) == _fields_sets(plain)
    return fast


def _obj(pairs: list[tuple[str, str]]) -> str:
    """A JSON object from (key, JSON text) pairs, a key possibly given twice."""
    return "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in pairs) + "}"


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 5), st.floats(allow_nan=False),
    st.sampled_from([1.0, 2.0, 1e400, -0.0]), st.text(max_size=6),
    st.sampled_from(["1", "2", "ASD", "asd", " ASD"]),
)
_ANY_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
).map(lambda v: json.dumps(v))

_CODES = st.sampled_from([t.value for t in NeedType] + ["XYZ", "asd", "", "ASD "])
_RANKS = st.sampled_from(["1", "2", "0", "3", '"1"', "1.0", "2.0", "true", "false", "null",
                          "-1", "1e0", "[1]"])
_NEED_KEYS = st.sampled_from(["need_type", "rank", "description", "area", "Rank"])


@st.composite
def _need(draw: st.DrawFn) -> str:
    """A need as JSON text: usually near the common shape, sometimes anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_ANY_JSON)
    pairs: list[tuple[str, str]] = []
    if draw(st.integers(0, 9)):
        pairs.append(("need_type", json.dumps(draw(_CODES))))
    if draw(st.integers(0, 3)):
        pairs.append(("rank", draw(_RANKS)))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 4)) == 0 else 0):
        key = draw(_NEED_KEYS)
        value = json.dumps(draw(st.text(max_size=5))) if key == "description" else draw(_RANKS)
        pairs.append((key, value))
    if draw(st.booleans()):
        pairs = draw(st.permutations(pairs))
    return _obj(pairs)


@st.composite
def _needs(draw: st.DrawFn) -> str:
    """A ``needs`` value as JSON text: a profile near the common shape, or anything."""
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(_ANY_JSON)
    if kind == 1:
        return "null"
    items = draw(st.lists(_need(), min_size=0, max_size=3))
    pairs = [("needs", "[" + ",".join(items) + "]")]
    if kind == 2:
        pairs.append((draw(st.sampled_from(["needs", "extra", "primary"])), draw(_ANY_JSON)))
    if kind == 3:
        pairs = [("needs", draw(_ANY_JSON)), *pairs]  # given twice: the last one counts
    return _obj(pairs)


def _child_text(needs: str | None) -> str:
    pairs = [(k, json.dumps(v)) for k, v in _CHILD.items()]
    if needs is not None:
        pairs.append(("needs", needs))
    return _obj(pairs)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(needs=_needs())
def test_needs_of_any_json_read_as_the_plain_validator_reads_them(needs: str) -> None:
    child = _child_text(needs)
    _assert_same(ChildOrYoungPerson, child)
    case = _obj([("reference", '"R1"'), ("child", child), ("events", json.dumps(_EVENTS))])
    _assert_same(Case, case)


@needs_fast
def test_every_valid_profile_of_one_or_two_needs_matches_and_is_remembered() -> None:
    clear_caches()
    codes = [t.value for t in NeedType]
    ranks: list[int | None] = [int(r) for r in NeedRank] + [None]
    seen = 0
    for first in codes:
        for r1 in ranks:
            one = {"need_type": first} if r1 is None else {"need_type": first, "rank": r1}
            profiles = [[one]] + [
                [one, {"need_type": second, "rank": 2}] for second in codes[:3]
            ]
            for needs in profiles:
                text = _child_text(json.dumps({"needs": needs}))
                child = _assert_same(ChildOrYoungPerson, text)
                if child is not None:
                    seen += 1
                    again = ChildOrYoungPerson.model_validate_json(text)
                    assert again.needs is child.needs  # remembered, one shared value
    assert seen > 14
    keys = list(_fastjson._PROFILES)
    assert keys and all(t in codes and r in (1, 2, None) for key in keys for t, r in key)
    clear_caches()
    assert not _fastjson._PROFILES


@needs_fast
def test_a_shared_profile_cannot_be_changed() -> None:
    text = _child_text('{"needs":[{"need_type":"ASD","rank":1}]}')
    a, b = (ChildOrYoungPerson.model_validate_json(text) for _ in range(2))
    assert a.needs is b.needs
    profile = a.needs
    assert profile is not None
    with pytest.raises(ValidationError) as field_error:
        profile.needs = ()  # type: ignore[misc]
    frozen = _errors(field_error.value)
    assert frozen == [("frozen_instance", (), "Instance is frozen")]
    need = profile.needs[0]
    # Private names and pydantic's own slots too: a write would show on every child.
    for target, name in [(profile, "_note"), (need, "_note"), (need, "rank"),
                         (profile, "__pydantic_fields_set__"), (profile, "__dict__")]:
        with pytest.raises(ValidationError) as exc:
            setattr(target, name, None)
        assert _errors(exc.value) == frozen
        title = type(target).__name__
        assert str(exc.value) == str(field_error.value).replace("NeedsProfile", title)
        with pytest.raises(ValidationError) as exc:
            delattr(target, name)
        assert _errors(exc.value) == frozen
    assert b.needs == NeedsProfile.of(NeedType.ASD)
    assert b.needs.model_fields_set == {"needs"}
    assert b.needs.needs[0].model_fields_set == {"need_type", "rank"}
    assert not hasattr(b.needs, "_note")
    # Copies are new values, free of the shared one.
    assert profile.model_copy(update={"needs": ()}).needs == ()
    assert profile.needs == (need,)


def test_descriptions_are_read_by_the_plain_path_and_never_remembered() -> None:
    clear_caches()
    text = _child_text('{"needs":[{"need_type":"ASD","rank":1,"description":"Testperson"}]}')
    child = _assert_same(ChildOrYoungPerson, text)
    assert child.needs.needs[0].description == "Testperson"
    assert "Testperson" not in repr(list(_fastjson._PROFILES))
    assert not _fastjson._PROFILES


@needs_fast
def test_the_remembered_profiles_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_caches()
    monkeypatch.setattr(_fastjson, "_REMEMBERED_MAX", 2)
    for code in ("ASD", "SEMH", "HI", "VI"):
        text = _child_text(json.dumps({"needs": [{"need_type": code, "rank": 1}]}))
        assert _assert_same(ChildOrYoungPerson, text) is not None
    assert len(_fastjson._PROFILES) == 2
    clear_caches()


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("cases_*.jsonl")), ids=lambda p: p.name)
def test_hostile_json_lines_read_as_the_plain_validator_reads_them(path: Path) -> None:
    raw = path.read_bytes()
    lines = [line for line in raw.splitlines() if line.strip()]
    assert lines
    for line in lines:
        _assert_same(Case, line)
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        for line in text.splitlines():
            if line.strip():
                _assert_same(Case, line)


def test_a_synthetic_caseload_reads_as_the_plain_validator_reads_it() -> None:
    import io

    from sendflow.synth import write_jsonl

    out = io.StringIO()
    write_jsonl(400, out, seed=19)
    lines = out.getvalue().splitlines()
    assert len(lines) == 400
    for line in lines:
        assert _assert_same(Case, line) is not None


GOLDEN = sorted((Path(__file__).parent.parent / "golden").rglob("*.toml"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_cases_as_json_read_as_the_plain_validator_reads_them(path: Path) -> None:
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    payload = {k: jsonable(data[k]) for k in ("events", "child", "responsible_la") if k in data}
    if "child" not in payload:  # every case gets a child, with a profile of its own
        payload["child"] = {"date_of_birth": "2012-05-04",
                            "needs": {"needs": [{"need_type": "SLCN", "rank": 1}]}}
    assert _assert_same(Case, json.dumps(payload)) is not None, path.name


@pytest.mark.parametrize("needs", _fastjson._PROBES)
def test_each_probe_reads_as_the_plain_validator_reads_it(needs: str) -> None:
    # Written out, not through json.dumps: each probe gives a key twice.
    child = _child_text(needs)
    _assert_same(ChildOrYoungPerson, child)
    _assert_same(Case, '{"events":[],"child":' + child + "}")


def test_a_pydantic_core_reading_a_probe_otherwise_reads_json_the_plain_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fastjson, "reads_as_plain", lambda: False)
    assert _fastjson.json_validator(Case) is None
    assert _fastjson.json_validator(ChildOrYoungPerson) is None


# ---------------------------------------------------------------- the child's own fields
# A child giving only the common fields (``_fastjson._COMMON_FIELDS``) is read by
# model-fields of those alone, completed with every other field's default.

#: Values near what each field accepts, as JSON text: valid, invalid, other types.
_CHILD_VALUES: dict[str, list[str]] = {
    "date_of_birth": ['"2012-05-04"', '"2012-02-30"', '"2012-05-04T00:00:00"', "20120504", "null"],
    "person_id": ['"SYN1"', '""', json.dumps("x" * 101), "1", "null", '"\\ud800"'],
    "upn": ['"N806533814642"', '"n806533814642"', '"A806533814642"', '"N80653381464"',
            '"H801200001001"', "806533814642", "null"],
    "uln": ['"9276308686"', '"9276308687"', "null"],
    "nhs_number": ['"9434765919"', "null"],
    "upn_unknown": ['"UN1"', '"UN10"', '"UN4"', "null", "1"],
    "responsible_la": ['"806"', '"909"', '"900"', '" 806"', "806", "null"],
    "sex": ['"M"', '"F"', '"U"', '"m"', '"X"', "null"],
    "ethnicity": ['"WBRI"', '"ABRI"', '"wbri"', '"XXXX"', "null"],
    "postcode": ['"sw1a 1aa"', '"nope"', "null"],
    "looked_after": ["true", "false", '"true"', "1", "null"],
    "previously_looked_after": ["true", "false"],
    "child_in_need": ["true", "0"],
    "settings_attended": ["[]", '[{"urn":"100001","rank":1}]', "null"],
    "parents_or_carers": ["[]", "null"],
    "needs": ['{"needs":[{"need_type":"ASD","rank":1}]}', '{"needs":[{"need_type":"HI"}]}',
              "null", '{"needs":[]}'],
}
_CHILD_KEYS = [*_CHILD_VALUES, "given_name", "Extra", "N806533814642", "needs_"]


@st.composite
def _child(draw: st.DrawFn) -> str:
    """A child as JSON text: usually the common fields (some left out), sometimes
    others too, unknown keys, a key given twice, or any JSON for a value."""
    pairs: list[tuple[str, str]] = []
    for key in ("date_of_birth", "person_id", "responsible_la", "sex", "ethnicity", "upn",
                "upn_unknown", "needs"):
        if draw(st.integers(0, 5)):
            values = _CHILD_VALUES[key]
            # Mostly the first (valid) value, so whole children are often valid.
            value = values[0] if draw(st.integers(0, 2)) else draw(st.sampled_from(values))
            pairs.append((key, value))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
        key = draw(st.sampled_from(_CHILD_KEYS))
        values = _CHILD_VALUES.get(key, ['"x"'])
        pairs.append((key, draw(_ANY_JSON) if draw(st.integers(0, 4)) == 0
                      else draw(st.sampled_from(values))))
    if draw(st.booleans()):
        pairs = draw(st.permutations(pairs))
    return _obj(pairs)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(child=_child())
def test_children_of_any_fields_read_as_the_plain_validator_reads_them(child: str) -> None:
    _assert_same(ChildOrYoungPerson, child)
    _assert_same(Case, _obj([("reference", '"R1"'), ("child", child), ("events", "[]")]))


def test_a_child_of_the_common_fields_has_the_plain_validators_dict() -> None:
    # Every default is the plain validator's own object, in declaration order.
    text = ('{"upn":"N806533814642","date_of_birth":"2010-11-03","sex":"M","ethnicity":"WBRI",'
            '"person_id":"SYN2","responsible_la":"806",'
            '"needs":{"needs":[{"need_type":"ASD","rank":1}]}}')
    fast = ChildOrYoungPerson.model_validate_json(text)
    plain = ChildOrYoungPerson.__pydantic_validator__.validate_json(text)
    assert list(fast.__dict__) == list(plain.__dict__) == list(ChildOrYoungPerson.model_fields)
    assert all(fast.__dict__[k] is plain.__dict__[k]
               for k, info in ChildOrYoungPerson.model_fields.items() if not info.is_required()
               and k not in ("upn", "responsible_la", "person_id", "sex", "ethnicity", "needs"))
    assert fast.model_fields_set == plain.model_fields_set
    assert _assert_same(ChildOrYoungPerson, text) is not None


@pytest.mark.parametrize("child", _fastjson._CHILD_PROBES)
def test_each_child_probe_reads_as_the_plain_validator_reads_it(child: str) -> None:
    _assert_same(ChildOrYoungPerson, child)
    _assert_same(Case, '{"events":[],"child":' + child + "}")


def test_a_child_field_with_a_copied_default_keeps_the_plain_schema() -> None:
    inner = ChildOrYoungPerson.__pydantic_core_schema__["schema"]
    assert _fastjson._common_fields_first(inner)["type"] == "union"
    fields = dict(inner["fields"])
    field = dict(fields["looked_after"])
    field["schema"] = {**field["schema"], "default": []}  # unhashable: pydantic-core copies it
    fields["looked_after"] = field
    changed = {**inner, "fields": fields}
    assert _fastjson._common_fields_first(changed) is changed
