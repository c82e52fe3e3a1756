"""The type registrations the hypothesis plugin performs (kept apart so tests can call it)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

from hypothesis import strategies as st

from sendflow.case import Case
from sendflow.identifiers import LAESTAB, ULN, UPN, URN, LACode, NHSNumber
from sendflow.needs import NeedsProfile
from sendflow.people import ChildOrYoungPerson
from sendflow.testing import strategies as s
from sendflow.workflows import EVENT_CLASSES

__all__ = ["exported_models", "register_all"]


def _public_modules() -> list[str]:
    import sendflow

    names = ["sendflow"]
    for info in pkgutil.walk_packages(sendflow.__path__, "sendflow."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or parts[0] == "testing":
            continue
        names.append(info.name)
    return names


def exported_models() -> dict[type[Any], str]:
    """Every pydantic model a public sendflow module exports (``__all__``), with
    where it is exported from first. Modules that need an extra that is not
    installed are skipped.
    """
    from pydantic import BaseModel

    out: dict[type[Any], str] = {}
    for name in _public_modules():
        try:
            module = importlib.import_module(name)
        except ImportError:  # an optional extra (MissingExtra is an ImportError)
            continue
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr, None)
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj not in out:
                out[obj] = f"{name}.{attr}"
    return out


def register_all() -> None:
    """Register a strategy with hypothesis for each sendflow type users generate.

    Identifiers, children, needs, events and cases get their own strategies;
    every other model sendflow exports gets ``models``
    (an EHC plan ``ehc_plans``), so
    ``st.from_type`` works for each of them.

    ```python
    >>> from hypothesis import find, strategies as st
    >>> from sendflow.identifiers import is_valid_upn
    >>> register_all()
    >>> is_valid_upn(find(st.from_type(UPN), lambda upn: True))
    True

    ```
    """
    types: dict[type[Any], st.SearchStrategy[Any]] = {
        UPN: s.upns(),
        ULN: s.ulns(),
        NHSNumber: s.nhs_numbers(),
        LACode: s.la_codes(),
        URN: s.urns(),
        LAESTAB: s.laestabs(),
        ChildOrYoungPerson: s.children(),
        NeedsProfile: s.needs(),
        Case: s.case_histories(),
    }
    for cls in EVENT_CLASSES:
        kind = cls.model_fields["type"].default
        if isinstance(kind, str):
            types[cls] = s.events(kind)
    for cls in exported_models():
        if cls not in types:
            types[cls] = st.deferred(lambda cls=cls: s.models(cls))  # type: ignore[misc]
    for cls, strategy in types.items():
        st.register_type_strategy(cls, strategy)
