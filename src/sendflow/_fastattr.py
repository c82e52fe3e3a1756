"""Plain attribute reads for sendflow's own models.

pydantic's ``BaseModel`` defines ``__getattr__``, which serves private
attributes and extra fields. CPython gives every class whose MRO holds a
``__getattr__`` a hooked attribute lookup: each read of a field (``event.on``,
``deadline.status``) first looks the hook's two methods up on the type, and the
interpreter cannot specialise the read as it does for a plain class. On a
national caseload these reads are about a tenth of the full report's
instructions (``docs/performance.md``, *Attribute reads*).

sendflow's own models need nothing from the hook: they forbid extra fields,
and their few private attributes get a read-only descriptor here, so the
generic lookup finds them where pydantic's ``__getattr__`` would have. For such
a class :func:`plain_attributes` puts CPython's generic lookup
(``PyObject_GenericGetAttr``, what a class without ``__getattr__`` has) back in
the type's attribute slot. A read then gives the same value, or the same
``AttributeError``, as before (``tests/unit/test_fastattr.py`` holds reports,
dumps and errors equal with the hook put back).

The slot is found and checked once, on throwaway probe classes, before any
sendflow class is touched; on anything that is not CPython, or when a check
fails, or when the environment variable ``SENDFLOW_PLAIN_GETATTR`` is ``0``,
nothing is changed and the models keep pydantic's hook. Only classes defined
in sendflow's own modules are changed: a user's subclass keeps the hook (it may
add extra fields or its own ``__getattr__``).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

__all__ = ["ENV", "enabled", "hooked", "is_plain", "plain_attributes"]

#: Set to ``0`` to keep pydantic's ``__getattr__`` hook on every model (the plain path).
ENV = "SENDFLOW_PLAIN_GETATTR"

_PYDANTIC_GETATTR = BaseModel.__dict__.get("__getattr__")
_OBJECT_GETATTRIBUTE = object.__dict__["__getattribute__"]
#: The classes changed so far, with the slot value each had (to put it back in tests).
_CHANGED: dict[type[BaseModel], int] = {}


class _PrivateRead:
    """A private attribute read through the generic lookup, as pydantic's
    ``__getattr__`` reads it: the value in the instance's private store, or
    ``AttributeError`` when it has none. At class level it is pydantic's own
    ``ModelPrivateAttr``. Writes still go through pydantic's ``__setattr__``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return owner.__private_attributes__[self.name]
        private = obj.__pydantic_private__
        try:
            return private[self.name]
        except (KeyError, TypeError):
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute {self.name!r}"
            ) from None


def _word(obj: object, offset: int) -> int:
    value: int | None = ctypes.c_void_p.from_address(id(obj) + offset).value
    return value or 0


def _set_word(obj: object, offset: int, value: int) -> None:
    ctypes.c_void_p.from_address(id(obj) + offset).value = value


def _find_slot() -> tuple[int, int] | None:
    """``(offset of tp_getattro in a type object, PyObject_GenericGetAttr)``,
    each checked on probe classes, or None where that cannot be done safely."""
    if sys.implementation.name != "cpython" or os.environ.get(ENV, "1") == "0":
        return None
    try:
        generic = ctypes.cast(ctypes.pythonapi.PyObject_GenericGetAttr, ctypes.c_void_p).value
        modified = ctypes.pythonapi.PyType_Modified
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not CPython's C API
        return None
    if not generic:  # pragma: no cover
        return None
    modified.argtypes = [ctypes.py_object]
    modified.restype = None
    # PyTypeObject: the object header, then tp_name .. tp_str, then tp_getattro.
    header = 2 if hasattr(sys, "getobjects") else 0  # Py_TRACE_REFS builds: two more words
    offset = (header + 18) * ctypes.sizeof(ctypes.c_void_p)

    class Plain:
        pass

    class Hooked:
        def __getattr__(self, name: str) -> str:
            return "hooked"

    if not (_word(object, offset) == _word(Plain, offset) == generic != _word(Hooked, offset)):
        return None  # pragma: no cover - a layout this module does not know
    _set_word(Hooked, offset, generic)
    modified(Hooked)
    probe = Hooked()
    probe.field = 1  # type: ignore[attr-defined]
    try:
        missing = getattr(probe, "missing", None)
    except Exception:  # pragma: no cover - anything unexpected: leave the models alone
        return None
    if missing is not None or probe.field != 1:
        return None  # pragma: no cover
    return offset, generic


_SLOT = _find_slot()


def enabled() -> bool:
    """Whether sendflow's models read their attributes the plain way in this process."""
    return _SLOT is not None


def _resolved(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None  # pragma: no cover - object defines __getattribute__


def plain_attributes(cls: type[BaseModel]) -> bool:
    """Give ``cls`` the generic attribute lookup, when that changes nothing it
    reads: a sendflow model whose ``__getattr__`` is pydantic's, whose
    ``__getattribute__`` is object's, and which has no extra fields. Whether
    it was changed."""
    if _SLOT is None or _PYDANTIC_GETATTR is None:
        return False
    if not cls.__module__.startswith("sendflow."):
        return False
    if (
        _resolved(cls, "__getattr__") is not _PYDANTIC_GETATTR
        or _resolved(cls, "__getattribute__") is not _OBJECT_GETATTRIBUTE
        or cls.model_config.get("extra") == "allow"
    ):
        return False
    for name in cls.__private_attributes__:
        if not isinstance(cls.__dict__.get(name), _PrivateRead):
            type.__setattr__(cls, name, _PrivateRead(name))
    offset, generic = _SLOT
    _CHANGED.setdefault(cls, _word(cls, offset))
    _set_word(cls, offset, generic)
    ctypes.pythonapi.PyType_Modified(cls)
    return True


def is_plain(cls: type) -> bool:
    """Whether ``cls`` reads its attributes the plain way."""
    return _SLOT is not None and _word(cls, _SLOT[0]) == _SLOT[1]


@contextmanager
def hooked() -> Iterator[None]:
    """Every changed class with pydantic's hook back, for the ``with`` block
    (the oracle tests compare what the models read both ways)."""
    if _SLOT is None:
        yield
        return
    offset, generic = _SLOT
    for cls, original in _CHANGED.items():
        _set_word(cls, offset, original)
        ctypes.pythonapi.PyType_Modified(cls)
    try:
        yield
    finally:
        for cls in _CHANGED:
            _set_word(cls, offset, generic)
            ctypes.pythonapi.PyType_Modified(cls)
