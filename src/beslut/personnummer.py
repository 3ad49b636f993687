"""Find Swedish personnummer and samordningsnummer in text (Luhn checksum and date verified).

What counts as a hit (the rule, chosen to miss no real number and to leave ordinary numbers alone):

* Only ASCII digits ``0-9`` are digits. Other scripts' digits (Arabic-Indic, full-width …) are
  neither part of a number nor a boundary, so ``٠19121212-1212`` is still found.
* The number is 6+4 digits (``YYMMDD`` + ``NNNN``) or 8+4 (``YYYYMMDD`` + ``NNNN``, century 19 or
  20), with no ASCII digit directly before or after. The date part and the last four may be
  separated by up to three characters of ``-`` ``+`` ``_`` space, tab, en/em dash, minus sign (U+2212),
  other dashes, no-break space (U+00A0), narrow no-break space (U+202F) and other spaces, or be
  written together. No other grouping counts: ``1 212 121 212`` or ``121 212 1212`` is a sum, not a
  personnummer, even when it passes the checksum by chance. A line break does not separate.
* Soft hyphens and invisible zero-width/direction characters are ignored wherever they stand
  (``1212\\u00ad12-1212`` is found); the hit's ``text`` is the original span including them.
* The last ten digits must pass the Luhn checksum and ``YYMMDD`` must be a real date (with the
  century given; else in the 2000s or 1900s). A day of 61–91 is a samordningsnummer (day + 60).

So Dnr ``SON 2020-377``, dates ``2020-09-21``, amounts ``8 410 000``, phone numbers ``013-20 60 00``
and organisationsnummer (month 20 or more) are never hits. A ten-digit run such as a mobile number
written without spaces is a hit only if it is a valid date and passes the checksum.

:func:`screen` adds what a reader sees once Markdown is rendered (entities decoded, emphasis
joined, link targets) to what the raw text holds.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .markdown import plain_text
from .yamlsource import INVISIBLE

_SEP = "-+_ \t\u2010-\u2015\u2212\ufe58\ufe63\uff0d\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# century optional; separator optional; day may be +60 (samordningsnummer)
_PATTERN = re.compile(
    rf"(?<![0-9])((?:19|20)?)([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})([{_SEP}]{{0,3}})([0-9]{{4}})(?![0-9])")
# ignored wherever they stand: soft hyphen and invisible zero-width/direction characters
_IGNORED = re.compile(f"\u00ad|{INVISIBLE.pattern}")


@dataclass(frozen=True)
class Hit:
    """One number found in text."""

    text: str
    kind: str  # "personnummer" or "samordningsnummer"
    digits10: str


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def find_personnummer(text: str) -> Iterator[Hit]:
    """Every checksum- and date-valid personnummer or samordningsnummer in ``text`` (rule: module docstring)."""
    # match on the text without ignored characters; ``where`` maps each kept index back
    where: list[int] | None = None
    clean = text
    if _IGNORED.search(text):
        where = [i for i, ch in enumerate(text) if not _IGNORED.match(ch)]
        clean = "".join(text[i] for i in where)
    for m in _PATTERN.finditer(clean):
        century, yy, mm, dd, _sep, tail = m.groups()
        digits10 = yy + mm + dd + tail
        if not _luhn_ok(digits10):
            continue
        day = int(dd)
        kind = "personnummer"
        if day > 60:
            kind, day = "samordningsnummer", day - 60
        year = int((century or "20") + yy)
        for y in (year, year - 100) if not century else (year,):
            try:
                dt.date(y, int(mm), day)
                break
            except ValueError:
                continue
        else:
            continue
        span = m.group(0) if where is None else text[where[m.start()]:where[m.end() - 1] + 1]
        yield Hit(span, kind, digits10)


#: What Markdown takes out of a text, as far as digits go: punctuation (emphasis, escapes, code
#: marks) and white space (line breaks, indentation). Letters it removes only inside entities,
#: links and HTML, which begin with ``&``, ``[`` or ``<``.
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_NUMBER_SHAPE = re.compile(r"[0-9]{6} ?[0-9]{4}")


def _rendering_may_join(text: str) -> bool:
    """Whether rendering ``text`` could make a number that the text as written does not hold.

    Rendering joins digits only by removing what stands between them: punctuation and white
    space, or an entity, a link or HTML. Without ``&``, ``[`` and ``<``, every number the
    rendering could show has its ten digits with at most white space between date and tail
    once punctuation is taken out and white space squeezed: a text without that shape needs no
    rendering. Most texts do not have it, and parsing the Markdown was half of ``beslut check``.
    """
    if "&" in text or "[" in text or "<" in text:
        return True
    return _NUMBER_SHAPE.search(_SPACE.sub(" ", _PUNCTUATION.sub("", text))) is not None


def screen(text: str, markdown: bool = True) -> list[Hit]:
    """Numbers in ``text`` as written and, with ``markdown``, as a reader sees it rendered.

    The rendered view (:func:`beslut.markdown.plain_text`) decodes entities (``&#45;``), joins text
    split by emphasis (``1212**12**-1212``) and adds every link target, autolink and image source.
    One hit per number (by its last ten digits), in order of first appearance: raw text first.
    """
    # a number needs ten ASCII digits in the source, however it is written: an entity for a digit
    # (&#49;, &#x31;) holds two, so fewer than ten means nothing to find, rendered or not
    if sum(map(text.count, "0123456789")) < 10:
        return []
    hits = list(find_personnummer(text))
    if markdown and _rendering_may_join(text):
        hits += find_personnummer(plain_text(text))
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.digits10 not in seen:
            seen.add(hit.digits10)
            out.append(hit)
    return out
