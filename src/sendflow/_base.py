"""The one pydantic configuration every sendflow model shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, Self, TypeVar, overload

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from sendflow._fastattr import plain_attributes

__all__ = [
    "SafeModel",
    "SafeTypeAdapter",
    "SendflowModel",
    "describe_key",
    "redact_validation_error",
    "sanitise_validation_error",
]

T = TypeVar("T")

#: What an unknown key is called in error locations: the key itself may be
#: personal data (a document keyed by a UPN), so it never reaches the message.
UNKNOWN_FIELD = "<unknown field>"

#: Keys shown by name in errors although they are not a field of the model at
#: hand: lower-case ASCII words joined by underscores, at most 40 characters.
#: No UPN, ULN, NHS number, postcode, date, e-mail address or capitalised name
#: has that shape. Anything else is shown as :data:`UNKNOWN_FIELD` unless it is
#: the name of a field of some sendflow model.
SAFE_KEY = re.compile(r"[a-z]+(?:_[a-z]+)*")
_SAFE_KEY_MAX = 40

_known: tuple[int, frozenset[str]] = (-1, frozenset())


def _field_names() -> frozenset[str]:
    """Every field name (and alias) of every sendflow model (and of every
    :class:`SafeModel` of the user's) defined so far: names written in code."""
    global _known
    models: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [SafeModel]
    while todo:
        cls = todo.pop()
        models.append(cls)
        todo.extend(cls.__subclasses__())
    if _known[0] == len(models):
        return _known[1]
    names: set[str] = set()
    for cls in models:
        names.add(cls.__name__)  # a union's member, in a location
        for name, info in cls.model_fields.items():
            names.add(name)
            if isinstance(info.alias, str):
                names.add(info.alias)
    _known = (len(models), frozenset(names))
    return _known[1]


def describe_key(key: object) -> str:
    """How an error may name ``key``: the key itself when it is a field name of
    a sendflow model or has the :data:`SAFE_KEY` shape, else ``<unknown field>``."""
    if isinstance(key, str) and (
        (len(key) <= _SAFE_KEY_MAX and SAFE_KEY.fullmatch(key)) or key in _field_names()
    ):
        return key
    return UNKNOWN_FIELD


#: Location parts pydantic writes itself (a dict key's own error is at
#: ``(..., key, "[key]")``).
_PYDANTIC_LOC_PARTS = frozenset({"[key]"})


def _safe_loc_part(part: str | int) -> str | int:
    """A location part as an error may show it: list indexes, field names and
    event types as they are; a dict key that may be data as ``<unknown field>``."""
    if isinstance(part, int) or part in _PYDANTIC_LOC_PARTS:
        return part
    return describe_key(part)


#: Error types whose pydantic message or location quotes the input, and the
#: message sendflow gives instead.
_ECHOING = {
    "extra_forbidden": "Extra inputs are not permitted",
    "union_tag_invalid": "'type' is not a known event type",
    "frozen_instance": "Instance is frozen",
}


def sanitise_validation_error(exc: ValidationError) -> ValidationError:
    """``exc`` with every unknown key's name replaced in error locations.

    pydantic puts a forbidden extra key's name into ``loc``; sendflow's rule is
    that errors never echo input, and a key can be input too.
    """
    details = exc.errors(include_input=False, include_url=False, include_context=False)
    # Always rebuilt, with no input at all: pydantic's own error keeps the input
    # in errors() and json() whatever hide_input_in_errors says.
    rebuilt: list[InitErrorDetails] = []
    for d in details:
        # Every part of the location is checked, not only an unknown key's: a
        # dict's keys (``states``, ``readings``) are input too.
        loc = tuple(_safe_loc_part(part) for part in d["loc"])
        msg = _ECHOING.get(d["type"], d["msg"])
        if d["type"] == "frozen_instance":
            loc = ()
        template = msg.replace("{", "(").replace("}", ")")
        rebuilt.append(
            {"type": PydanticCustomError(d["type"], template), "loc": loc, "input": None}
        )
    return ValidationError.from_exception_data(exc.title, rebuilt, hide_input=True)


def redact_validation_error(exc: ValidationError) -> ValidationError:
    """``exc`` rebuilt with no input anywhere: for errors of your own models
    that cannot derive from :class:`SafeModel`, before you log or return them.

    Every error's location and type are kept; its ``input`` is ``None``; an
    error whose pydantic message quotes the input gets a fixed message; a key
    in a location is named only when it is a field name of a sendflow model (or
    of a :class:`SafeModel`) or is lower-case ASCII words joined by
    underscores, else shown as ``<unknown field>``. See *Privacy and safety*
    in the documentation.

    ```python
    >>> from pydantic import BaseModel, ValidationError
    >>> from sendflow import redact_validation_error
    >>> class Row(BaseModel):
    ...     name: int
    >>> try:
    ...     Row(name="Quinteroxa")
    ... except ValidationError as exc:
    ...     safe = redact_validation_error(exc)
    >>> "Quinteroxa" in str(safe) + repr(safe.errors()) + safe.json()
    False
    >>> safe.errors()[0]["loc"], safe.errors()[0]["input"]
    (('name',), None)

    ```

    Added in 0.2.
    """
    return sanitise_validation_error(exc)


class SafeModel(BaseModel):
    """A base for your own models that keeps sendflow's rule: no validation
    error they raise holds the input (in ``str``, ``repr``, ``errors()`` or
    ``json()``), whatever fields they hold, sendflow's models and identifier
    types included. Unlike sendflow's own models, it is neither frozen nor
    strict about unknown keys: set ``model_config`` for that as you wish.
    The example is on the *Privacy and safety* page of the documentation.

    Added in 0.2.
    """

    model_config = ConfigDict(hide_input_in_errors=True)

    def __init__(self, /, **data: Any) -> None:
        """Validate keyword arguments; errors never name unknown keys or values."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    # Mark this __init__ as pydantic's own kind: validation of nested models and
    # JSON then stays in pydantic-core instead of calling back into Python for
    # every instance (which would double the cost of reading a caseload).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        """Private attributes may be set; fields are frozen, and the error never
        shows the value that was offered."""
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    def __delattr__(self, name: str) -> None:
        """Fields cannot be deleted; the error never shows their values."""
        try:
            super().__delattr__(name)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    @classmethod
    def model_validate_strings(cls, *args: Any, **kwargs: Any) -> Self:
        """Validate string data; errors never name unknown keys or values."""
        try:
            return super().model_validate_strings(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    @classmethod
    def model_validate(cls, *args: Any, **kwargs: Any) -> Self:
        """Validate a Python object; errors never name unknown keys or values."""
        try:
            return super().model_validate(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    @classmethod
    def model_validate_json(cls, *args: Any, **kwargs: Any) -> Self:
        """Validate JSON text; errors never name unknown keys or values."""
        try:
            if len(args) == 1 and not kwargs:
                fast = _FAST_JSON.get(cls)
                if fast is not None:
                    # A model holding a child reads its needs profile as a
                    # remembered value (sendflow._fastjson). Whatever the fast
                    # validator refuses, the plain one validates again: its
                    # result or its errors are the answer.
                    try:
                        out: Self = fast(args[0])
                        return out
                    except ValidationError:
                        pass
                # What pydantic does with no options, without its frames: this
                # is the first call for every line of a caseload.
                out = cls.__pydantic_validator__.validate_json(args[0])
                return out
            return super().model_validate_json(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None


#: The fast ``validate_json`` of each sendflow model that has one (see
#: :func:`sendflow._fastjson.json_validator`), worked out on its first use.
_FAST_JSON: dict[type, Callable[[Any], Any]] = {}


class _FirstJson:
    """Stands in :data:`_FAST_JSON` for a model until its first JSON text:
    then works out the model's fast validator (or that it has none, and
    leaves the table), and validates with it."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[BaseModel]) -> None:
        self.cls = cls

    def __call__(self, data: Any) -> Any:
        from sendflow._fastjson import json_validator

        cls = self.cls
        if not cls.__dict__.get("__pydantic_complete__"):
            return cls.__pydantic_validator__.validate_json(data)  # not yet: next time
        fast = json_validator(cls)
        if fast is None:
            _FAST_JSON.pop(cls, None)
            return cls.__pydantic_validator__.validate_json(data)
        _FAST_JSON[cls] = fast
        return fast(data)


class SendflowModel(SafeModel):
    """Base of sendflow's models: frozen, strict about unknown fields, and
    never echoing input values (or unknown keys) in validation errors."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
        # Any length limit makes pydantic-core check that text is valid Unicode, so a
        # lone surrogate (which UTF-8 cannot encode, and model_dump_json would then
        # fail on) is refused when the model is validated (issue 17). It is not a
        # real limit, and it is not written into the JSON Schema.
        str_max_length=1_000_000_000,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Each sendflow model reads its attributes without pydantic's
        ``__getattr__`` hook, which it does not need (:mod:`sendflow._fastattr`)."""
        super().__pydantic_init_subclass__(**kwargs)
        plain_attributes(cls)
        _FAST_JSON[cls] = _FirstJson(cls)


class SafeTypeAdapter(Generic[T]):
    """A pydantic ``TypeAdapter`` whose validation errors hold no input: use it
    for sendflow's types (``SafeTypeAdapter(sendflow.Event)``,
    ``SafeTypeAdapter(list[sendflow.UPN])``) and your own in place of
    ``TypeAdapter``. (A bare ``TypeAdapter`` of a sendflow model or of
    ``Event`` keeps the input in ``errors()`` and ``json()``; one of an
    identifier type does not, but its neighbours in your type may.)

    ```python
    >>> from pydantic import ValidationError
    >>> from sendflow import SafeTypeAdapter, Event
    >>> try:
    ...     SafeTypeAdapter(Event).validate_python(
    ...         {"type": "request_withdrawn", "on": "Quinteroxa"})
    ... except ValidationError as exc:
    ...     "Quinteroxa" in str(exc) + repr(exc.errors()) + exc.json()
    False

    ```

    It takes the arguments of ``TypeAdapter`` and has its ``validate_python``,
    ``validate_json``, ``validate_strings``, ``dump_python``, ``dump_json`` and
    ``json_schema``; the pydantic adapter itself is :attr:`adapter`.

    Added in 0.2.
    """

    __slots__ = ("adapter",)

    @overload
    def __init__(self, type: type[T], *, config: ConfigDict | None = None) -> None: ...

    @overload
    def __init__(self, type: Any, *, config: ConfigDict | None = None) -> None: ...

    def __init__(self, type: Any, *, config: ConfigDict | None = None) -> None:
        """Build the pydantic ``TypeAdapter`` of ``type``."""
        self.adapter: TypeAdapter[T] = TypeAdapter(type, config=config)


    def validate_python(self, *args: Any, **kwargs: Any) -> T:
        """``TypeAdapter.validate_python``; its errors hold no input."""
        try:
            return self.adapter.validate_python(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    def validate_json(self, *args: Any, **kwargs: Any) -> T:
        """``TypeAdapter.validate_json``; its errors hold no input."""
        try:
            return self.adapter.validate_json(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    def validate_strings(self, *args: Any, **kwargs: Any) -> T:
        """``TypeAdapter.validate_strings``; its errors hold no input."""
        try:
            return self.adapter.validate_strings(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None

    def dump_python(self, instance: T, /, **kwargs: Any) -> Any:
        """``TypeAdapter.dump_python``."""
        return self.adapter.dump_python(instance, **kwargs)

    def dump_json(self, instance: T, /, **kwargs: Any) -> bytes:
        """``TypeAdapter.dump_json``."""
        return self.adapter.dump_json(instance, **kwargs)

    def json_schema(self, **kwargs: Any) -> dict[str, Any]:
        """``TypeAdapter.json_schema``."""
        return self.adapter.json_schema(**kwargs)
