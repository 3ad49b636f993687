"""``beslut new``: a valid draft with every section present and a comment on each."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import UsageError
from .kinds import get_kind
from .output import write_atomic
from .profile import Profile


def new_record(kind: str, target: Path, profile: Profile) -> str:
    """Write the scaffold for ``kind`` to ``target``, filled in from ``profile``; returns the action.

    The draft names the profile's first organ and förvaltning and lists every standard section:
    required ones with a placeholder text, the others commented out, ready to use.
    """
    found = get_kind(kind)
    if found is None or found.scaffold is None:
        raise UsageError(f"ingen mall för '{kind}'")
    text = resources.files("beslut").joinpath("scaffolds", found.scaffold).read_text(encoding="utf-8")
    organ = next(iter(profile.organ))
    sections = []
    for key, section in profile.standardavsnitt.items():
        prefix = "" if section.obligatorisk else "# "
        note = "krävs" if section.obligatorisk else "valfritt"
        sections.append(f"  {prefix}- standard: {key}    # {section.rubrik} ({note})\n"
                        f"  {prefix}  text: |\n  {prefix}    …\n")
    values = {"nämnd": organ, "förvaltning": profile.förvaltningar[0] if profile.förvaltningar else "",
              "dnr_prefix": organ, "dnr_mönster": profile.dnr_mönster, "organ": ", ".join(profile.organ),
              "standardavsnitt": "".join(sections)}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return write_atomic(target, text.encode("utf-8"))
