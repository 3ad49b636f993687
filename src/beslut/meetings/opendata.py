"""``meeting.json``: the meeting and its ärenden as open data, with a published JSON Schema."""
from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field


class Links(BaseModel):
    """Files of one ärende in the same edition folder."""

    model_config = ConfigDict(extra="forbid")
    html: str | None = None
    pdf: str | None = None
    bilagor: list[str] = Field(default_factory=list)


class ItemData(BaseModel):
    """One ärende as open data. A confidential one has only nummer, rubrik (the public one) and sekretess."""

    model_config = ConfigDict(extra="forbid")
    nummer: int = Field(description="Ärendets nummer på föredragningslistan.")
    rubrik: str = Field(description="Rubrik; för ett sekretessbelagt ärende den offentliga rubriken.")
    typ: str = Field(description="ärende, information, delegationsbeslut, delgivningar eller övrigt.")
    dnr: str | None = Field(default=None, description="Diarienummer.")
    föredragande: str | None = None
    förslag: list[str] = Field(default_factory=list, description="Förslag till beslut, punkt för punkt (Markdown).")
    sekretess: str | None = Field(default=None, description="OSL-hänvisning när ärendet omfattas av sekretess.")
    länkar: Links = Field(default_factory=Links)


class MeetingData(BaseModel):
    """A sammanträde as open data."""

    model_config = ConfigDict(extra="forbid")
    nämnd: str = Field(description="Nämndens namn.")
    datum: str = Field(description="ÅÅÅÅ-MM-DD.")
    tid: str = Field(description="Start (och slut), TT.MM.")
    plats: str
    utgåva: str = Field(description="intern eller offentlig.")
    kallelse: Links = Field(default_factory=Links)
    handlingar: str | None = Field(default=None, description="PDF med kallelsen och alla handlingar, med bokmärken.")
    ärenden: list[ItemData]


def schema_json() -> str:
    """The JSON Schema of meeting.json, the same bytes every time."""
    schema = MeetingData.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_json(data: MeetingData) -> str:
    return json.dumps(data.model_dump(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
