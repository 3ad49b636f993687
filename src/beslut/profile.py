"""The organisation profile: who the kommun is, its organs, förvaltningar and letterhead.

Nothing specific to one kommun lives in code; it all comes from ``beslut.yaml`` at the root
of a decisions repository.

A profile is trusted less than it looks: it is often copied from another kommun, and its values
reach every document (PDF metadata, letterheads). So loading it also guards against a
diarienummer pattern that backtracks for ever, a logo that is not a sound, modest PNG/JPEG inside
the profile's folder, and a personnummer written into any of its texts.
"""
from __future__ import annotations

import functools
import io
import json
import os
import re
import stat
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import Field, PrivateAttr, ValidationError, field_validator

from .errors import Problem, RecordError
from .locate import PROFILE_FILE
from .models import Model
from .personnummer import find_personnummer
from .schema_errors import problems_from_validation
from .yamlsource import Source, load, os_error_text, strings

#: Longest diarienummer tried against ``dnr_mönster``; a longer one never matches. Real ones are ~15.
MAX_DNR_LENGTH = 200
#: Seconds one diarienummer may take to match before the pattern is called broken.
DNR_TIMEOUT = 0.25
#: Seconds one adversarial probe may take when the profile is loaded, and all probes together.
PROBE_TIMEOUT = 0.05
PROBE_BUDGET = 1.0

#: Largest logo file read, in bytes.
MAX_LOGO_BYTES = 5 * 1024 * 1024
#: Largest logo in pixels per side; 4000×4000 RGBA decodes to 64 MB, a letterhead needs far less.
MAX_LOGO_SIDE = 4000
#: Formats the letterhead engines all understand; Pillow is asked to try no other decoder.
LOGO_FORMATS = ("PNG", "JPEG")


class Organ(Model):
    """A nämnd, styrelse or fullmäktige that decides."""

    namn: str = Field(alias="namn")
    """Name as written at the start of a sentence, e.g. "Social- och omsorgsnämnden"."""
    genitiv: str = Field(alias="genitiv")
    """Genitive as used in "Förslag till ... beslut", e.g. "social- och omsorgsnämndens"."""
    första_paragraf: int | None = Field(None, alias="första_paragraf", ge=1)
    """The § number the organ's protokoll series starts at in this repository (default 1), when no
    earlier meeting file of the year exists beside the meeting."""


class Standardavsnitt(Model):
    """A standard section a record may include by key, with its heading from the profile."""

    rubrik: str = Field(alias="rubrik")
    """Heading printed in the document."""
    obligatorisk: bool = Field(False, alias="obligatorisk")
    """Whether every tjänsteskrivelse must have this section."""


HeaderField = Literal["datum", "dnr", "er_beteckning", "mall_id"]


class Brevhuvud(Model):
    """How the kommun lays out the first page's header (and the pages after it)."""

    fält: list[HeaderField] = Field(default_factory=lambda: list[HeaderField](["datum", "dnr"]))
    """Header fields in print order: datum, dnr, er_beteckning, mall_id."""
    etiketter: dict[HeaderField, str] = Field(default_factory=dict)
    """Label printed before each field's value, e.g. {dnr: Vår beteckning, er_beteckning: Er beteckning}.
    Defaults: datum none, dnr "Dnr", er_beteckning "Er beteckning", mall_id none."""
    dokumenttyp: bool = False
    """Print the kind of document (TJÄNSTESKRIVELSE, UTLÅTANDE …) in the header."""
    handläggare: Literal["en_rad", "rader"] = "en_rad"
    """The handläggare on one line (name, title, phone, e-mail) or one line each."""
    sidnummer: Literal["sidfot", "sidhuvud"] = "sidfot"
    """Where the page number "1 (3)" stands."""
    löpande_sidhuvud: bool = False
    """Pages after the first carry a short header: date and beteckning."""
    mall_id: str | None = None
    """The kommun's template id printed where fält names mall_id, e.g. "LKPG 1001 v2"."""

    def label(self, field: HeaderField) -> str:
        """The label of a header field (profile's own, else the default)."""
        defaults = {"datum": "", "dnr": "Dnr", "er_beteckning": "Er beteckning", "mall_id": ""}
        return self.etiketter.get(field, defaults[field])


class Formuleringar(Model):
    """Fixed wording the documents print: headings and labels, as the kommun writes them."""

    förslag_till_beslut: str = "Förslag till beslut"
    """Heading of the proposal when the record's own nämnd decides."""
    förslag_till_organ: str = "Förslag till {genitiv} beslut"
    """Heading of a proposal to another organ (or several levels); {genitiv} is the organ's genitive."""
    ärende: str = "Ärende"
    """Heading of the summary ("Sammanfattning" in many kommuner)."""
    beslutsunderlag: str = "Beslutsunderlag"
    """Label or heading of the list of documents the decision rests on."""
    beslutsunderlag_som_rubrik: bool = False
    """Print Beslutsunderlag as a heading instead of a bold label."""
    daterad: str = "daterad"
    """Word between a document's title and its date: "Tjänsteskrivelse, daterad 2018-08-28"."""
    skickas_till: str = "Beslutet skickas till"
    """Label before the list of recipients ("Beslut sänds till" …)."""
    bilaga: str = "Bilaga"
    """Word before a bilaga's number: "Bilaga 1"."""


class Vagledning(Model):
    """Writing guidance checked by ``beslut check`` (warnings; errors with --strict). false turns a rule off."""

    förslag_hänvisar: bool = True
    """A förslag point must stand on its own in the protokoll: no "i enlighet med förvaltningens förslag"."""
    förslag_att: bool = True
    """A förslag point does not start with "att" (the old style)."""
    underlag_datum: bool = True
    """Every beslutsunderlag item has a date."""
    egen_tjänsteskrivelse_först: bool = True
    """The record's own tjänsteskrivelse comes first among the beslutsunderlag, with the record's date."""
    standardavsnitt_i_ordning: bool = False
    """Standard sections stand in the order the profile lists them (for kommuner with a fixed order)."""
    hänvisningar: list[str] = Field(default_factory=lambda: [
        "i enlighet med förvaltningens förslag", "enligt förvaltningens förslag", "enligt bilaga",
        "föreliggande förslag", "enligt tjänsteskrivelsen", "i enlighet med tjänsteskrivelsen"])
    """Phrases that make a förslag point lean on another document."""


class Signering(Model):
    """Signed agreements (PAdES): the timestamp authority ``beslut sign`` uses and the roots ``beslut verify`` trusts."""

    tidsstämpelserver: str | None = None
    """URL of an RFC 3161 timestamp authority; when set, ``beslut sign`` makes PAdES B-T signatures (else B-B)."""
    betrodda_rotcertifikat: list[str] = Field(default_factory=list)
    """Root certificates (PEM or DER files, relative to the profile) that ``beslut verify`` trusts."""

    @field_validator("tidsstämpelserver")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"ska vara en webbadress som börjar med https:// eller http://, inte '{value}'")
        return value


class Profile(Model):
    """The organisation a repository of decisions belongs to."""

    kommun: str = Field(alias="kommun")
    """The kommun's name, e.g. "Linköpings kommun"."""
    ort: str = Field(alias="ort")
    """Place name used in the place-and-date line of agreements."""
    sidfot: list[str] = Field(default_factory=list, alias="sidfot")
    """Address lines printed in the footer of every page."""
    logotyp: str | None = Field(None, alias="logotyp")
    """Path (relative to the profile) of a PNG or JPEG logo for the letterhead; optional."""
    dnr_mönster: str = Field(alias="dnr_mönster")
    """Regular expression a diarienummer must match, e.g. '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$'."""
    organ: dict[str, Organ] = Field(alias="organ")
    """Deciding organs by short key (SON, KS, KF …)."""
    förvaltningar: list[str] = Field(alias="förvaltningar")
    """Names of the förvaltningar that write and sign."""
    standardavsnitt: dict[str, Standardavsnitt] = Field(default_factory=dict, alias="standardavsnitt")
    """Standard sections by key (ekonomiska_konsekvenser, jämställdhet, …), in the order a new record lists them."""
    dnr_exempel: str | None = None
    """A valid diarienummer shown when a record's Dnr does not match, e.g. "SON 2024-123"."""
    brevhuvud: Brevhuvud = Field(default_factory=Brevhuvud)
    """The letterhead: header fields, labels, page number, running header."""
    formuleringar: Formuleringar = Field(default_factory=Formuleringar)
    """Headings and labels as the kommun writes them."""
    vägledning: Vagledning = Field(default_factory=Vagledning)
    """Writing guidance checks and their phrases."""
    signering: Signering = Field(default_factory=Signering)
    """Signing agreements: timestamp authority and trusted root certificates."""

    @field_validator("dnr_mönster")
    @classmethod
    def _pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"inte ett giltigt reguljärt uttryck: {regex_error_message(exc)}") from None
        try:
            _compiled(value)
        except regex.error as exc:  # the matcher actually used must accept it too
            raise ValueError(f"inte ett giltigt reguljärt uttryck: {regex_error_message(exc)}") from None
        slow = _first_slow_probe(value)
        if slow is not None:
            raise ValueError(f"mönstret tar för lång tid att pröva (t.ex. mot '{_shorten(slow)}'); det har troligen "
                             "nästlade upprepningar som (a+)+ eller (a|aa)+ – förenkla det")
        return value

    _root: Path = PrivateAttr(default=Path("."))
    _file: Path | None = PrivateAttr(default=None)
    _dnr_where: tuple[int, int] = PrivateAttr(default=(1, 1))

    @property
    def logo(self) -> Path | None:
        """Absolute path of the logo, if the profile names one."""
        return (self._root / self.logotyp).resolve() if self.logotyp else None

    @property
    def trust_roots(self) -> list[Path]:
        """The root certificates ``beslut verify`` trusts, as absolute paths."""
        return [(self._root / name).resolve() for name in self.signering.betrodda_rotcertifikat]

    @property
    def file(self) -> Path | None:
        """The file the profile was read from."""
        return self._file

    @property
    def root(self) -> Path:
        """Folder the profile was read from."""
        return self._root

    def dnr_matches(self, value: str) -> bool:
        """Whether ``value`` matches ``dnr_mönster`` (searched, as ``re.search`` does).

        The load-time probe cannot foresee every input, so each match also runs under a timeout;
        a pattern that still backtracks for ever is reported as a problem of the profile, at the
        line of ``dnr_mönster``, instead of hanging ``beslut check``.
        """
        if len(value) > MAX_DNR_LENGTH:
            return False
        try:
            return _compiled(self.dnr_mönster).search(value, timeout=DNR_TIMEOUT) is not None
        except TimeoutError:
            path = self._file or self._root / PROFILE_FILE
            raise RecordError([Problem(path, *self._dnr_where, "dnr_mönster",
                                       f"mönstret tog över {DNR_TIMEOUT} s att pröva mot '{_shorten(value)}'; det har "
                                       "troligen nästlade upprepningar som (a+)+ eller (a|aa)+ – förenkla det")]) from None


#: What ``re`` and ``regex`` say about a broken pattern, in Swedish (matched on the start of their message).
_REGEX_ERRORS = (
    ("unterminated character set", "en teckenklass '[' stängs inte med ']'"),
    ("missing ), unterminated subpattern", "en grupp '(' stängs inte med ')'"),
    ("missing )", "en grupp '(' stängs inte med ')'"),
    ("unbalanced parenthesis", "')' utan en '(' före"),
    ("nothing to repeat", "'*', '+', '?' eller '{' står där inget finns att upprepa; skriv '\\*' för tecknet självt"),
    ("multiple repeat", "två upprepningar efter varandra (t.ex. '**')"),
    ("bad escape", "okänd escape-sekvens med '\\'"),
    ("bad character range", "teckenintervallet går baklänges (som z-a)"),
    ("min repeat greater than max repeat", "i '{m,n}' är m större än n"),
    ("redefinition of group name", "två grupper har samma namn"),
    ("look-behind requires fixed-width pattern", "en look-behind '(?<=…)' måste ha fast längd"),
    ("unknown group name", "en referens till en grupp som inte finns"),
    ("invalid group reference", "en referens till en grupp som inte finns"),
    ("unknown extension", "okänd konstruktion '(?…)'"),
    ("missing group name", "gruppnamnet saknas i '(?P<…>)'"),
    ("bad character in group name", "otillåtet tecken i ett gruppnamn"),
    ("global flags not at the start", "flaggor som '(?i)' måste stå först i mönstret"),
    ("unknown flag", "okänd flagga i '(?…)'"),
)


def regex_error_message(exc: Exception) -> str:
    """Swedish for a ``re.error`` or ``regex.error``, with the position in the pattern when known."""
    text = str(getattr(exc, "msg", None) or exc)
    what = next((sv for en, sv in _REGEX_ERRORS if text.startswith(en)), "mönstret kan inte tolkas")
    if text.startswith("bad escape") and len(text.split()) > 2:
        what = f"okänd escape-sekvens '{text.split()[2]}'"
    pos = getattr(exc, "pos", None)
    return f"{what} (vid tecken {pos + 1} i mönstret)" if isinstance(pos, int) else what


@functools.lru_cache(maxsize=32)
def _compiled(pattern: str) -> regex.Pattern[str]:
    """The pattern compiled by ``regex`` (which can time out) with ``re``-compatible syntax (V0)."""
    return regex.compile(pattern, flags=regex.VERSION0)


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _first_slow_probe(pattern: str) -> str | None:
    """An input on which ``pattern`` times out, if one of the usual attack shapes finds it.

    Catastrophic backtracking shows on a prefix the pattern accepts, a long run of something a
    repetition accepts, and a final character that makes the match fail. We build such strings
    from a sample the pattern would accept, so that an anchored literal prefix (``^SON (\\d+)+$``)
    does not hide the trap. Best effort: ``Profile.dnr_matches`` keeps a timeout anyway.
    """
    compiled = _compiled(pattern)
    started = time.monotonic()
    for probe in _probes(pattern):
        try:
            compiled.search(probe, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return probe
        if time.monotonic() - started > PROBE_BUDGET:
            return probe  # each probe was barely fast enough; together they show polynomial blow-up
    return None


def _probes(pattern: str) -> Iterator[str]:
    """Strings of ``MAX_DNR_LENGTH`` characters: accepted prefix + pumped unit + a failing end."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]  # the stdlib's own parse tree
        prefixes, units = _sample(list(parsed))
    except Exception:  # noqa: BLE001 - a private API; without it we still probe with plain runs
        prefixes, units = [""], []
    singles = list(dict.fromkeys("Aa1 -./Å" + "".join(prefixes)))
    pumps = list(dict.fromkeys(singles + [u for u in units if 1 < len(u) <= 10]))[:24]
    for prefix in list(dict.fromkeys(prefixes))[:12]:
        for unit in pumps:
            for end in ("!", "\n"):
                room = MAX_DNR_LENGTH - len(prefix) - len(end)
                if room > len(unit):
                    yield prefix + unit * (room // len(unit)) + end


def _sample(items: list[Any]) -> tuple[list[str], list[str]]:
    """Every prefix of one string the top level of a parsed pattern accepts, and repeated units."""
    prefixes: list[str] = [""]
    units: list[str] = []
    text = ""
    for item in items:
        piece = _sample_one(item, units)
        if piece is None:
            break
        text += piece
        prefixes.append(text)
    return prefixes, units


def _sample_one(item: tuple[Any, Any], units: list[str]) -> str | None:
    """One string a parse-tree item accepts (None when we cannot tell); repeated pieces go to ``units``."""
    from re import _constants as c  # type: ignore[attr-defined]
    op, av = item
    if op is c.LITERAL:
        return chr(av)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""
    if op in (c.ANY, c.NOT_LITERAL):
        return "a" if av != ord("a") else "b"
    if op is c.IN:
        return _sample_set(av)
    if op is c.SUBPATTERN:
        return _join(av[-1], units)
    if op is c.BRANCH:
        return _join(av[1][0], units)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        unit = _join(sub, units)
        if unit is None:
            return None
        units.append(unit)
        return unit * min(max(low, 1), 5)
    return None


def _join(items: list[Any], units: list[str]) -> str | None:
    out = ""
    for item in items:
        piece = _sample_one(item, units)
        if piece is None:
            return None
        out += piece
    return out


def _sample_set(members: list[tuple[Any, Any]]) -> str | None:
    from re import _constants as c  # type: ignore[attr-defined]
    categories = {c.CATEGORY_DIGIT: "1", c.CATEGORY_WORD: "a", c.CATEGORY_SPACE: " ",
                  c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_NOT_WORD: " ", c.CATEGORY_NOT_SPACE: "a"}
    if members and members[0][0] is c.NEGATE:
        return None
    for op, av in members:
        if op is c.LITERAL:
            return chr(av)
        if op is c.RANGE:
            return chr(av[0])
        if op is c.CATEGORY and av in categories:
            return categories[av]
    return None


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema for ``beslut.yaml``, for editors (yaml-language-server), with Swedish descriptions and examples."""
    from .schema_sv import PROFILE, apply

    schema = Profile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "beslut: organisationsprofil (beslut.yaml)"
    return apply(schema, PROFILE, top="Profile")


def profile_schema_json() -> str:
    """The profile's JSON Schema as text, the same bytes every time."""
    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load_profile(path: Path) -> Profile:
    """Read and validate a profile; every problem is reported at once."""
    src = load(path)
    if src.problems and src.data is None:
        raise RecordError(src.problems)
    if not isinstance(src.data, dict):
        raise RecordError([src.problem((), "profilen ska vara en mappning av nycklar till värden")])
    # personnummer first and whatever else is wrong: they must never reach PDF metadata or letterheads
    errors = [p for p in src.problems if p.severity == "error"] + _personnummer_problems(src)
    try:
        profile = Profile.model_validate({**src.data})
    except ValidationError as exc:
        raise RecordError(errors + problems_from_validation(exc, src, Profile)) from None
    if profile.logotyp is not None:
        problem = _logo_problem(path, profile.logotyp)
        if problem:
            errors.append(src.problem(("logotyp",), problem))
    if errors:
        raise RecordError(errors)
    profile._root = path.parent.resolve()
    profile._file = path.resolve()
    profile._dnr_where = src.where(("dnr_mönster",))
    return profile


def _personnummer_problems(src: Source) -> list[Problem]:
    """An error for each personnummer or samordningsnummer in any key or text of the profile."""
    out = []
    for loc, text in strings(src.data, (), keys=True):
        for hit in find_personnummer(text):
            # only the birth date is repeated: the message itself ends up in logs and CI output
            masked = hit.text[:-4] + "****"
            out.append(src.problem(loc, f"profilen innehåller ett {hit.kind} ({masked}); profilens värden hamnar i "
                                        "varje dokuments brevhuvud och metadata – ta bort det"))
    return out


def _logo_problem(profile_path: Path, logotyp: str) -> str | None:
    """What is wrong with the logo, or None. Nothing is read until the path and file type are known safe."""
    if not logotyp.strip():
        return "logotyp är tom: ange sökvägen till en PNG- eller JPEG-fil, eller ta bort raden"
    root = profile_path.parent.resolve()
    try:
        logo = (root / logotyp).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return f"logotypen '{logotyp}' kan inte följas (slinga av symboliska länkar?)"
    # before any read: a symlink or '..' must not let a profile read files from elsewhere
    if not logo.is_relative_to(root):
        return "logotypen ska ligga i mappen med beslut.yaml eller under den"
    try:
        info = os.stat(logo)
    except FileNotFoundError:
        return f"logotypen '{logotyp}' finns inte (sökväg relativt {profile_path.name})"
    except OSError as exc:
        return f"logotypen '{logotyp}' kan inte läsas: {os_error_text(exc)}"
    # a FIFO would block the read for ever, a device (/dev/zero) would never end
    if not stat.S_ISREG(info.st_mode):
        return f"logotypen '{logotyp}' är ingen vanlig fil"
    if info.st_size > MAX_LOGO_BYTES:
        return f"logotypen är {info.st_size} byte; högst {MAX_LOGO_BYTES} tillåts"
    data = _read_regular(logo)
    if data is None:
        return f"logotypen '{logotyp}' kan inte läsas som en vanlig fil"
    return _image_problem(data)


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes, if it is (still) a regular file of at most ``MAX_LOGO_BYTES``.

    The file may be swapped between ``stat`` and ``open``: opening non-blocking and checking the
    open descriptor again means a FIFO put there meanwhile cannot hang us.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_LOGO_BYTES:
            return None
        data = fh.read(MAX_LOGO_BYTES + 1)
    return data if len(data) <= MAX_LOGO_BYTES else None


#: Pillow's limits and the warning filters are process-wide: one logo is looked at at a time
#: (``beslut serve`` checks and renders in threads).
_image_lock = threading.Lock()


def _image_problem(data: bytes) -> str | None:
    """Whether ``data`` is a whole PNG or JPEG of at most ``MAX_LOGO_SIDE`` pixels per side."""
    with _image_lock:
        return _image_problem_alone(data)


def _image_problem_alone(data: bytes) -> str | None:
    from PIL import Image, ImageFile  # only a profile with a logo needs Pillow

    bad = "logotypen ska vara en PNG- eller JPEG-bild"
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    # Pillow checks the pixel count from the header, before decoding; restored after so that no
    # other use of Pillow in the process is affected
    Image.MAX_IMAGE_PIXELS = MAX_LOGO_SIDE * MAX_LOGO_SIDE
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as im:
                    width, height = im.size
                    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                        return f"logotypen är {width}×{height} bildpunkter; högst {MAX_LOGO_SIDE}×{MAX_LOGO_SIDE} tillåts"
                    im.verify()  # checksums and structure; the image cannot be used after this
                with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as im:
                    im.load()  # a full decode: verify() does not notice every truncated or corrupt stream
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                return (f"logotypen är större än {MAX_LOGO_SIDE}×{MAX_LOGO_SIDE} bildpunkter "
                        "(eller en dekomprimeringsbomb) och avvisas")
            except Image.UnidentifiedImageError:
                return bad
            except Exception as exc:  # noqa: BLE001 - a hostile file can make a decoder raise nearly anything
                return f"{bad} men filen är trasig eller avkortad ({type(exc).__name__}: {_shorten(str(exc), 60)})"
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved
    return None
