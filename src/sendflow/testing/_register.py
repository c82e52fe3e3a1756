"""The type registrations the hypothesis plugin performs (kept apart so tests can call it)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sendflow.case import Case
from sendflow.identifiers import LAESTAB, ULN, UPN, URN, LACode, NHSNumber
from sendflow.needs import NeedsProfile
from sendflow.people import ChildOrYoungPerson
from sendflow.testing import strategies as s
from sendflow.workflows import EVENT_CLASSES

__all__ = ["register_all"]


def register_all() -> None:
    """Register a strategy with hypothesis for each sendflow type users generate.

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
    for cls, strategy in types.items():
        st.register_type_strategy(cls, strategy)
