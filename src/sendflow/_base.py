"""The one pydantic configuration every sendflow model shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["SendflowModel"]


class SendflowModel(BaseModel):
    """Base of sendflow's models: frozen, strict about unknown fields, and
    never echoing input values in validation errors."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        validate_default=False,
    )
