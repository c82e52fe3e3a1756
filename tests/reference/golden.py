"""Golden cases (TOML) written as JSON: the one helper the tests that read them as JSON share."""

from __future__ import annotations

from datetime import date
from typing import Any


def jsonable(value: Any) -> Any:
    """A TOML value of a golden case as a JSON value: dates as ISO text, tables and
    arrays converted item by item, anything else as it is."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
