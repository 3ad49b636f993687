"""Shared pieces of the pydantic models: strict keys, Swedish aliases, one docstring per field."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A record part: unknown keys are refused, keys are written as the Swedish alias."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True,
                              str_strip_whitespace=False, use_attribute_docstrings=True)
