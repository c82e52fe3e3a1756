"""A faster validator for JSON text of the sendflow models that hold a child's record.

Every line of a caseload holds a child (:class:`~sendflow.people.ChildOrYoungPerson`)
with a needs profile, and needs profiles repeat: a few dozen distinct ones
(need type x rank, a description almost never) across a whole caseload. Built
afresh for every line, a profile is two or three models (about 13,000
instructions a child); remembered, it is a dict look-up.

:func:`json_validator` gives, for a sendflow model class whose core schema
holds a child, the ``validate_json`` of a second ``SchemaValidator`` built
from the same schema with two changes to the child: its ``needs`` is read
as :func:`_profile_schema` (a remembered profile, else the plain profile
schema), and its fields as :func:`_common_fields_first` (only the fields a
caseload gives, else all of them). Nothing else changes, and the model's own
validator (used by
``model_validate``, ``TypeAdapter``, every other path) stays the plain one.

Only :meth:`sendflow._base.SafeModel.model_validate_json` uses it, and only
when called with the JSON text alone: if it refuses the text, the plain
validator validates it again and its result or errors are what the caller
gets. So the errors are the plain path's by construction; the fast path can
only change a result, which
``tests/property/test_fastjson_oracle.py`` holds equal to the plain path's
(arbitrary JSON for ``needs``, every golden case, the hostile fixtures, a
synthetic caseload).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any

from pydantic import ValidationError
from pydantic_core import SchemaValidator, core_schema

__all__ = ["clear", "json_validator", "reads_as_plain"]

#: How many distinct profiles are remembered; each valid key is one of
#: (14 need types x 3 ranks) or a pair of them, about 1,800 at most.
_REMEMBERED_MAX = 4_096

#: A profile's key: ((need type code, rank or None when not given), ...).
_Key = tuple[tuple[str, int | None], ...]


class _RememberedProfiles(dict[_Key, Any]):
    """Validated needs profiles by their key (:data:`_Key`): the need type
    codes and ranks of the JSON object, exactly as given. A hit is a dict
    look-up in C with no Python frame. A miss (``__missing__``) writes the
    key back as JSON text and validates it with the plain NeedsProfile
    validator, whose ValidationError (a ValueError) fails the fast choice, so
    the plain profile schema then reads the input itself. Only valid
    profiles are remembered. Need type codes and ranks are not personal data;
    descriptions (free text) never reach a key: the fast choice refuses them.
    """

    __slots__ = ()

    def __missing__(self, key: _Key) -> Any:
        from sendflow.needs import NeedsProfile

        needs = [{"need_type": t} if r is None else {"need_type": t, "rank": r} for t, r in key]
        profile = NeedsProfile.__pydantic_validator__.validate_json(json.dumps({"needs": needs}))
        if len(self) < _REMEMBERED_MAX:
            self[key] = profile
        return profile


_PROFILES = _RememberedProfiles()


def clear() -> None:
    """Forget every remembered needs profile (and nothing else)."""
    _PROFILES.clear()


def _profile_schema(plain: core_schema.CoreSchema) -> core_schema.CoreSchema:
    """The JSON schema of a needs profile: remembered when it has the common
    shape, else ``plain``.

    The fast choice accepts only ``{"needs": [need, need?]}`` with each need
    ``{"need_type": <a NeedType code>, "rank": 1 or 2}`` (``rank`` may be
    left out): no other key, no description, no other type (literal schemas
    take no coercion: ``"1"``, ``1.0`` and ``true`` are refused). Each need
    becomes a (code, rank) pair by ``itemgetter``, the pairs a tuple, and
    the tuple is looked up in :data:`_PROFILES`: all C callables, no Python
    frame. Whatever it refuses, and any key whose profile the plain validator
    refuses, goes to ``plain`` (a left-to-right union), which reads the same
    input as the model's own validator does.
    """
    from sendflow.needs import NeedRank, NeedType

    need = core_schema.no_info_after_validator_function(
        itemgetter("need_type", "rank"),
        core_schema.typed_dict_schema(
            {
                "need_type": core_schema.typed_dict_field(
                    core_schema.literal_schema([t.value for t in NeedType])
                ),
                "rank": core_schema.typed_dict_field(
                    core_schema.with_default_schema(
                        core_schema.literal_schema([int(r) for r in NeedRank]), default=None
                    ),
                    required=False,
                ),
            },
            extra_behavior="forbid",
        ),
    )
    remembered = core_schema.no_info_after_validator_function(
        _PROFILES.__getitem__,
        core_schema.no_info_after_validator_function(
            itemgetter("needs"),
            core_schema.typed_dict_schema(
                {
                    "needs": core_schema.typed_dict_field(
                        core_schema.tuple_schema(
                            [need], variadic_item_index=0, min_length=1, max_length=2
                        )
                    )
                },
                extra_behavior="forbid",
            ),
        ),
    )
    return core_schema.union_schema([remembered, plain], mode="left_to_right")


#: The fields of a child that a caseload's records give (SEN2 module 1's core;
#: read in the order the model declares them). A child giving no other field is read
#: by :func:`_common_fields_first` without visiting the other 18 one by one.
_COMMON_FIELDS = frozenset(
    {"date_of_birth", "person_id", "upn", "upn_unknown", "responsible_la", "sex",
     "ethnicity", "needs"}
)


def _filler(defaults: dict[str, Any]) -> Callable[[Any], Any]:
    """What turns the common fields' ``(fields, extra, fields set)`` into the
    whole model's: ``defaults`` (every field, in declaration order) updated by
    the fields read. A key already in a dict keeps its place, so the model's
    ``__dict__`` has the plain validator's order; the fields set and extra are
    the common fields' own (the ones given)."""

    def fill(parts: tuple[dict[str, Any], Any, set[str]]) -> tuple[dict[str, Any], Any, set[str]]:
        return (defaults | parts[0], parts[1], parts[2])

    return fill


def _common_fields_first(inner: dict[str, Any]) -> dict[str, Any]:
    """The child's model-fields schema ``inner``, tried first with only
    :data:`_COMMON_FIELDS`, then as it is (a left-to-right union).

    pydantic-core's model-fields validator costs about 450 instructions for
    each field left out (it looks each one up in the JSON object, then sets its
    default), and a caseload's child gives 7 of its 26. The first choice is the
    same model-fields schema holding only the common fields (the same field
    schemas, validators and config, extra keys still forbidden); what it reads
    is completed with every other field's default, the very object the plain
    validator would set (only hashable defaults, which pydantic-core does not
    copy). A child giving any other field fails that choice and is read by the
    second, ``inner`` itself. So the fast choice skips only the look-ups of
    keys the input does not hold. When a field has a default pydantic-core
    would copy, build or validate, ``inner`` is kept as it is.
    """
    fields = inner["fields"]
    defaults: dict[str, Any] = {}
    for name, field in fields.items():
        schema = field["schema"]
        if name in _COMMON_FIELDS:
            defaults[name] = None  # always replaced: read, or set to its default
            continue
        if schema.get("type") != "default" or "default" not in schema or schema.get(
            "validate_default"
        ):
            return inner
        try:
            hash(schema["default"])
        except TypeError:
            return inner
        defaults[name] = schema["default"]
    if not fields.keys() >= _COMMON_FIELDS:
        return inner
    common = {**inner, "fields": {n: f for n, f in fields.items() if n in _COMMON_FIELDS}}
    first = core_schema.no_info_after_validator_function(_filler(defaults), common)
    return core_schema.union_schema([first, inner], mode="left_to_right")  # type: ignore[return-value]


def _with_fast_needs(schema: Any, child: type, models: set[type]) -> Any:
    """``schema`` with every ``child`` model's ``needs`` field read by
    :func:`_profile_schema`; dicts on the way are copied (never changed in
    place), and the class of every model node copied is added to ``models``."""
    if isinstance(schema, list):
        items = [_with_fast_needs(item, child, models) for item in schema]
        return items if any(a is not b for a, b in zip(items, schema, strict=True)) else schema
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "model" and schema.get("cls") is child:
        fields = dict(schema["schema"]["fields"])
        field = dict(fields["needs"])
        default = dict(field["schema"])  # default None
        nullable = dict(default["schema"])  # NeedsProfile | None
        nullable["schema"] = _profile_schema(nullable["schema"])
        default["schema"] = nullable
        field["schema"] = default
        fields["needs"] = field
        models.add(child)
        inner = {**schema["schema"], "fields": fields}
        return {**schema, "schema": _common_fields_first(inner)}
    changed = {key: _with_fast_needs(value, child, models) for key, value in schema.items()}
    if all(changed[key] is schema[key] for key in schema):
        return schema
    if schema.get("type") == "model":
        models.add(schema["cls"])
    return changed


_LOCK = threading.Lock()


#: Needs profiles a child's JSON may hold on which versions of pydantic-core have
#: been seen to read the fast shape and the plain schema differently: a key given
#: twice. At pydantic 2.7.0 (pydantic-core 2.18) ``{"needs": [...], "needs": null}``
#: is refused by the plain schema and was accepted by the fast one. The fast
#: validator is used only where each of these reads as the plain one reads it.
_PROBES = (
    '{"needs":[{"need_type":"SPLD"}],"needs":null}',
    '{"needs":null,"needs":[{"need_type":"SPLD"}]}',
    '{"needs":[{"need_type":"SPLD"}],"needs":[{"need_type":"ASD"}]}',
    '{"needs":[{"need_type":"SPLD","need_type":"ASD"}]}',
    '{"needs":[{"need_type":"SPLD","rank":1,"rank":2}]}',
    '{"needs":[{"need_type":"SPLD","rank":2,"rank":1}]}',
    '{"needs":[{"need_type":"SPLD","rank":1}],"needs":[{"need_type":"SPLD","rank":1,"x":1}]}',
)


#: Whole children read the same way: a key given twice at the child's own level,
#: among the common fields (read by the first choice of
#: :func:`_common_fields_first`) and outside them.
_CHILD_PROBES = (
    '{"date_of_birth":"2012-05-04","sex":"M","sex":"F"}',
    '{"date_of_birth":"2012-05-04","sex":"X","sex":"M"}',
    '{"date_of_birth":"2012-05-04","date_of_birth":"2013-01-01"}',
    '{"date_of_birth":"2012-05-04","upn_unknown":"UN1","upn":"N806533814642","upn":null}',
    '{"date_of_birth":"2012-05-04","looked_after":true,"looked_after":false}',
    '{"date_of_birth":"2012-05-04","person_id":"a","person_id":null,"uln":null}',
)


def _outcome(validate: Callable[[str], Any], text: str) -> Any:
    """What ``validate`` makes of ``text``: its dump, or None when it refuses it."""
    try:
        return validate(text).model_dump()
    except ValidationError:
        return None


@cache
def reads_as_plain() -> bool:
    """Whether this pydantic-core reads every one of :data:`_PROBES` in a child,
    and every one of :data:`_CHILD_PROBES`, through the fast schema as the plain
    one reads it (worked out once). A text
    the fast validator refuses always counts as read alike: the plain validator
    then reads it again (:meth:`sendflow._base.SafeModel.model_validate_json`)."""
    from sendflow.people import ChildOrYoungPerson

    fast = _build(ChildOrYoungPerson)
    if fast is None:
        return False
    plain = ChildOrYoungPerson.__pydantic_validator__.validate_json
    texts = ['{"date_of_birth":"2012-05-04","needs":' + needs + "}" for needs in _PROBES]
    for text in (*texts, *_CHILD_PROBES):
        read = _outcome(fast, text)
        if read is not None and read != _outcome(plain, text):
            return False
    return True


def json_validator(cls: type) -> Callable[[str | bytes | bytearray], Any] | None:
    """The fast ``validate_json`` for ``cls``, or None when its schema holds no
    child (or its validator is not pydantic-core's own, e.g. a plugin's), or
    when this pydantic-core reads one of :data:`_PROBES` differently through the
    two (:func:`reads_as_plain`): then every model reads JSON the plain way.

    pydantic-core reuses a complete model class's own validator for a model
    node of its schema (its "prebuilt" validator); the classes whose nodes
    changed are marked incomplete while the new validator is built, so their
    nodes are built from the changed schema, and marked complete again
    straight after (under a lock; the build runs no Python code of ours).
    """
    if not reads_as_plain():
        return None
    return _build(cls)


def _build(cls: type) -> Callable[[str | bytes | bytearray], Any] | None:
    """:func:`json_validator` without the probes."""
    from sendflow.people import ChildOrYoungPerson

    plain = cls.__dict__.get("__pydantic_validator__")
    if type(plain) is not SchemaValidator or not cls.__dict__.get("__pydantic_complete__"):
        return None
    schema = cls.__dict__["__pydantic_core_schema__"]
    models: set[type] = set()
    fast_schema = _with_fast_needs(schema, ChildOrYoungPerson, models)
    if not models:
        return None
    with _LOCK:
        complete = {model: model.__dict__.get("__pydantic_complete__") for model in models}
        for model in models:
            type.__setattr__(model, "__pydantic_complete__", False)
        try:
            validator = SchemaValidator(fast_schema, schema.get("config"))
        finally:
            for model, was in complete.items():
                type.__setattr__(model, "__pydantic_complete__", was)
    return validator.validate_json
