"""Shared pieces of the pydantic models: strict keys, Swedish aliases, one docstring per field.

The field docstrings are for developers; pydantic does not read them (``use_attribute_docstrings``
would read every model's source at import, 50–70 ms of each command's start). What an editor
shows is the Swedish text of ``schema_sv``.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A record part: unknown keys are refused, keys are written as the Swedish alias."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True,
                              str_strip_whitespace=False, use_attribute_docstrings=False, defer_build=True)
