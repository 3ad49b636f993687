"""``beslut verify``: judge every signature of a PDF and what was added after it.

Intact bytes are not enough: an unsigned incremental update after the last signature leaves every
signed byte range valid. Each signature is therefore judged by pyHanko's difference analysis too:
after an earlier signature only further signatures (form filling) may follow; after the last one
nothing but long-term-validation data (DSS, document timestamps). A signature that was in an
earlier revision and is gone now is reported as removed. Trust is checked against the given roots
only; without roots the report says so and the verification fails.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from dataclasses import field as default
from pathlib import Path
from typing import Any

from . import DRAFT, STATUS_KEY, quiet_pyhanko
from .sign import SigningError, open_reader, read_pdf


class VerifyError(SigningError):
    """A PDF that cannot be verified at all (not a PDF, broken, encrypted): exit code 1."""


@dataclass
class SignatureReport:
    """One signature: who, when, in which field, and what holds."""

    field: str
    signer: str
    organisation: str
    signing_time: str | None
    timestamp: str | None
    """Time from a timestamp authority (PAdES B-T), if the signature has one."""
    intact: bool
    """The signed bytes are unchanged and the signature value matches the signer's certificate."""
    trusted: bool | None
    """The signer's certificate chains to a trust root; None when no roots were given."""
    after: str
    """What follows the signature: "inget", "underskrifter" (later parties) or "tillägg utan underskrift"."""
    problems: list[str] = default(default_factory=list)

    def passed(self) -> bool:
        """Whether this signature is intact, trusted (when checked) and followed by nothing unsigned."""
        return not self.problems


@dataclass
class VerifyReport:
    """Every signature of one PDF, its empty fields and what is wrong."""

    file: str
    signatures: list[SignatureReport] = default(default_factory=list)
    empty_fields: list[str] = default(default_factory=list)
    removed: list[str] = default(default_factory=list)
    """Fields signed in an earlier revision whose signature is gone."""
    trust_checked: bool = False
    service_seal: str | None = None
    """Set when one signature by an e-signature service seals the whole document: who sealed it."""
    status: str | None = None
    problems: list[str] = default(default_factory=list)
    """Problems of the document as a whole (each signature's own are in its report)."""

    def failures(self, require_all: bool = False) -> list[str]:
        """Everything that makes the verification fail, as sentences."""
        out = list(self.problems)
        for sig in self.signatures:
            out += [f"{sig.field}: {p}" for p in sig.problems]
        if not self.signatures:
            out.append("PDF:en har inga underskrifter")
        if not self.trust_checked:
            out.append("undertecknarna är inte kontrollerade mot betrodda rotcertifikat (ange --trust CA.pem "
                       "eller signering.betrodda_rotcertifikat i profilen)")
        if require_all and self.empty_fields:
            out.append(f"osignerade fält: {', '.join(self.empty_fields)}")
        return out

    def ok(self, require_all: bool = False) -> bool:
        return not self.failures(require_all)

    def to_data(self, require_all: bool = False) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok(require_all)
        data["failures"] = self.failures(require_all)
        for sig, plain in zip(self.signatures, data["signatures"]):
            plain["ok"] = sig.passed()
        return data


def load_trust_roots(paths: list[Path]) -> list[Any]:
    """Certificates (PEM, possibly several per file, or DER) to trust, as asn1crypto objects."""
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise VerifyError(f"{path}: kan inte läsa rotcertifikatet ({exc.strerror})") from None
        try:
            if pem.detect(data):
                found = [x509.Certificate.load(der) for kind, _h, der in pem.unarmor(data, multiple=True)
                         if kind == "CERTIFICATE"]
                if not found:
                    raise ValueError("inget BEGIN CERTIFICATE-block")
                roots += found
            else:
                cert = x509.Certificate.load(data)
                cert.native  # noqa: B018 - parses the whole certificate now, not later
                roots.append(cert)
        except (ValueError, TypeError) as exc:
            raise VerifyError(f"{path}: är inget certifikat i PEM- eller DER-format ({exc})") from None
    return roots


def verify_pdf(path: Path, trust_roots: list[Any] | None = None) -> VerifyReport:
    """Check every signature of the PDF at ``path`` against ``trust_roots`` (asn1crypto certificates)."""
    quiet_pyhanko()
    data = read_pdf(path)
    reader = open_reader(path, data)
    report = VerifyReport(str(path), trust_checked=bool(trust_roots))
    status = _status(reader)
    report.status = status
    try:
        sigs = sorted(reader.embedded_regular_signatures, key=_signed_end)
    except Exception as exc:  # a broken signature dictionary
        raise VerifyError(f"{path}: signaturerna kan inte läsas ({exc})") from None
    context = _context(trust_roots)
    for i, sig in enumerate(sigs):
        report.signatures.append(_judge(sig, context, last=i == len(sigs) - 1, trust=bool(trust_roots)))
    report.empty_fields = _fields(reader, filled=False)
    report.removed = _removed(reader)
    report.problems += [f"underskriften i fältet '{name}' har tagits bort" for name in report.removed]
    if sigs and len(sigs) == 1:
        report.service_seal = _service_seal(reader, sigs[0], report.signatures[0])
    if sigs and status == DRAFT:
        report.problems.append("PDF:en är byggd från ett utkast (status utkast); ett utkast ska inte skrivas under")
    if not sigs and _has_signature_bytes(data):
        report.problems.append("PDF:en har haft underskrifter som inte längre hänger ihop med dokumentet")
    return report


def _signed_end(sig: Any) -> int:
    """Where a signature's signed bytes end: signatures in the order they were made (a signature
    dictionary changed later would otherwise count as made in the later revision)."""
    try:
        start, length, second, rest = (int(v) for v in sig.sig_object["/ByteRange"])
        return second + rest
    except (KeyError, TypeError, ValueError):
        return int(sig.signed_revision)


def _status(reader: Any) -> str | None:
    try:
        value = reader.trailer_view["/Info"].get(STATUS_KEY)
    except (KeyError, AttributeError, TypeError):
        return None
    return str(value) if value is not None else None


def _context(trust_roots: list[Any] | None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    # never the operating system's list: only what the kommun names is trusted; no network
    return ValidationContext(trust_roots=list(trust_roots or []), allow_fetching=False, revocation_mode="soft-fail")


def _judge(sig: Any, context: Any, last: bool, trust: bool) -> SignatureReport:
    """One signature's report: integrity, trust and what follows it."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    report = SignatureReport(field=str(sig.field_name), signer="", organisation="", signing_time=None, timestamp=None,
                             intact=False, trusted=None, after="okänt")
    try:
        subject = sig.signer_cert.subject.native
        report.signer = str(subject.get("common_name", ""))
        report.organisation = str(subject.get("organization_name", ""))
        report.signing_time = _when(sig.self_reported_timestamp)
    except Exception as exc:  # the signature's own bytes (CMS) are damaged
        report.problems.append(f"underskriften är skadad och kan inte läsas ({exc})")
        return report
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=usage)
    except Exception as exc:  # a signature pyHanko cannot even evaluate
        report.problems.append(f"underskriften kan inte kontrolleras ({exc})")
        return report
    report.intact = bool(status.intact and status.valid)
    report.trusted = bool(status.trusted) if trust else None
    if status.timestamp_validity is not None:
        report.timestamp = _when(status.timestamp_validity.timestamp)
    if not report.intact:
        report.problems.append("innehållet har ändrats efter underskriften (signaturen stämmer inte med de "
                               "signerade byten)")
    if trust and report.intact and not report.trusted:
        report.problems.append(f"undertecknarens certifikat ({report.signer}) kedjar inte till något betrott "
                               "rotcertifikat")
    level = status.modification_level
    covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if covers_all:
        report.after = "inget"
    elif level is not None and level <= ModificationLevel.LTA_UPDATES:
        report.after = "bara arkivdata (DSS, tidsstämplar)"
    elif not last and level is not None and level <= ModificationLevel.FORM_FILLING:
        report.after = "senare parters underskrifter"
    else:
        report.after = "tillägg utan underskrift"
        what = "efter den sista underskriften" if last else "efter underskriften"
        report.problems.append(f"dokumentet har ändrats {what} utan ny underskrift "
                               f"({_level_text(level)})")
    if status.coverage is not None and status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        report.problems.append("underskriften täcker inte hela sin version av filen (filen har skrivits om eller "
                               "byten har flyttats)")
    return report


def _level_text(level: Any) -> str:
    names = {"FORM_FILLING": "formulärvärden", "ANNOTATIONS": "anteckningar", "OTHER": "innehåll, sidor eller "
             "struktur"}
    return "ändrat: " + names.get(getattr(level, "name", ""), "okänt")


def _when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _fields(resolver: Any, filled: bool | None) -> list[str]:
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        return [str(name) for name, _value, _ref in enumerate_sig_fields(resolver, filled_status=filled)]
    except Exception:  # an earlier revision without a form
        return []


def _removed(reader: Any) -> list[str]:
    """Fields that carried a signature in some revision and carry none now."""
    now = set(_fields(reader, filled=True))
    ever: list[str] = []
    for revision in range(reader.xrefs.total_revisions):
        for name in _fields(reader.get_historical_resolver(revision), filled=True):
            if name not in now and name not in ever:
                ever.append(name)
    return ever


def _service_seal(reader: Any, sig: Any, report: SignatureReport) -> str | None:
    """Who sealed the document, when its only signature is an e-signature service's seal: a field
    that was not among the document's own fields when it was built."""
    try:
        original = set(_fields(reader.get_historical_resolver(0), filled=None))
    except Exception:  # the first revision cannot be read: no judgement
        return None
    if report.field in original:
        return None
    who = ", ".join(v for v in (report.signer, report.organisation) if v)
    return who or "okänd tjänst"


def _has_signature_bytes(data: bytes) -> bool:
    return b"/ByteRange" in data


def format_text(report: VerifyReport, require_all: bool = False) -> str:
    """The report as Swedish text, one signature per paragraph, the verdict last."""
    n = len(report.signatures)
    lines = [f"{report.file}: {n} {'underskrift' if n == 1 else 'underskrifter'}, "
             f"{len(report.empty_fields)} tomma signaturfält"]
    for sig in report.signatures:
        who = ", ".join(v for v in (sig.signer, sig.organisation) if v)
        lines.append(f"  {sig.field}: {who}, signerad {sig.signing_time or 'okänd tid'}"
                     + (f" (tidsstämpel {sig.timestamp})" if sig.timestamp else ""))
        trusted = "ej kontrollerad" if sig.trusted is None else ("ja" if sig.trusted else "nej")
        lines.append(f"    oförändrad: {'ja' if sig.intact else 'nej'}; betrodd: {trusted}; därefter: {sig.after}")
    if report.empty_fields:
        lines.append(f"  tomma fält: {', '.join(report.empty_fields)}")
    if report.service_seal:
        lines.append(f"  förseglad av en e-underskriftstjänst ({report.service_seal}): en enda underskrift för hela "
                     "dokumentet; parternas egna underskrifter intygas av tjänsten, inte var för sig i PDF:en")
    if not report.trust_checked:
        lines.append("  OBS: undertecknarna är inte kontrollerade mot betrodda rotcertifikat")
    failures = report.failures(require_all)
    if failures:
        lines += [f"FEL: {f}" for f in failures]
    else:
        lines.append("OK: alla underskrifter är oförändrade och betrodda, inget osignerat har lagts till")
    return "\n".join(lines)


__all__ = ["SignatureReport", "VerifyError", "VerifyReport", "format_text", "load_trust_roots", "verify_pdf"]

