"""The one pydantic configuration every sendflow model shares."""

from __future__ import annotations

import re
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["SendflowModel", "describe_key", "sanitise_validation_error"]

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
    """Every field name (and alias) of every sendflow model defined so far."""
    global _known
    models: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [SendflowModel]
    while todo:
        cls = todo.pop()
        models.append(cls)
        todo.extend(cls.__subclasses__())
    if _known[0] == len(models):
        return _known[1]
    names: set[str] = set()
    for cls in models:
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
        loc = tuple(d["loc"])
        msg = _ECHOING.get(d["type"], d["msg"])
        if d["type"] in ("extra_forbidden", "frozen_instance"):
            loc = (*loc[:-1], describe_key(loc[-1])) if d["type"] == "extra_forbidden" else ()
        template = msg.replace("{", "(").replace("}", ")")
        rebuilt.append(
            {"type": PydanticCustomError(d["type"], template), "loc": loc, "input": None}
        )
    return ValidationError.from_exception_data(exc.title, rebuilt, hide_input=True)


class SendflowModel(BaseModel):
    """Base of sendflow's models: frozen, strict about unknown fields, and
    never echoing input values (or unknown keys) in validation errors."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
    )

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
                # What pydantic does with no options, without its frames: this
                # is the first call for every line of a caseload.
                out: Self = cls.__pydantic_validator__.validate_json(args[0])
                return out
            return super().model_validate_json(*args, **kwargs)
        except ValidationError as exc:
            raise sanitise_validation_error(exc) from None
