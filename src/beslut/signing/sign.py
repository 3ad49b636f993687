"""``beslut sign``: a PAdES baseline signature in one empty field, as an incremental update.

The signed bytes of earlier signers are left exactly as they were (pyHanko appends a revision),
so a party that signs later keeps the earlier signatures valid. The document's metadata (XMP and
the information dictionary) is left as it is: pyHanko would otherwise rewrite the XMP and the
modification date and break PDF/A. The field gets a visible appearance (signer, date, "Signerat
digitalt") drawn with an embedded font, as PDF/A asks. B-B by default; B-T when a timestamp
authority is given. Nothing is written unless the whole signature succeeded, and then atomically.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BeslutError, UsageError
from ..manifest import is_signed
from ..output import write_atomic
from . import DRAFT, STATUS_KEY, quiet_pyhanko

#: The fonts of the visible signature (bundled, embedded in the PDF: PDF/A needs embedded fonts).
FONTS = Path(__file__).resolve().parent.parent / "fonts"
#: The typst layout of the visible signature.
STAMP_TEMPLATE = Path(__file__).resolve().parent / "signatur.typ"
#: The words under the signer's name and the time.
STAMP_LABEL = "Signerat digitalt"


class SigningError(BeslutError):
    """A PDF could not be signed: bad input, a certificate that cannot sign, a draft (exit code 1)."""


@dataclass(frozen=True)
class Credentials:
    """A signer's key and certificate: from a PKCS#12 file or a PKCS#11 token (smart card)."""

    signer: Any  # pyhanko.sign.signers.Signer
    name: str  # the certificate's common name


@dataclass(frozen=True)
class SignResult:
    """What ``sign_pdf`` did: the field it signed, who signed, where the output went."""

    field: str
    signer: str
    output: Path
    timestamped: bool


def load_pkcs12(path: Path, passphrase: bytes | None, now: dt.datetime | None = None) -> Credentials:
    """A signer from a PKCS#12 file; refuses a wrong passphrase, an expired or not yet valid
    certificate and one whose key usage does not allow signing."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: kan inte läsa certifikatfilen ({exc.strerror})") from None
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        raise SigningError(f"{path}: fel lösenord, eller ingen PKCS#12-fil (.p12/.pfx); kontrollera "
                           "BESLUT_P12_PASSPHRASE") from None
    if key is None or cert is None:
        raise SigningError(f"{path}: PKCS#12-filen saknar nyckel eller certifikat")
    check_certificate(cert, str(path), now)
    signer = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    return Credentials(signer, common_name(cert))


def load_pkcs11(module: Path, token: str, key_label: str | None, pin: str | None) -> Credentials:
    """A signer on a smart card or other PKCS#11 token (needs pyHanko's ``pkcs11`` extra)."""
    try:
        from pyhanko.sign import pkcs11
    except ImportError:
        raise UsageError("PKCS#11 kräver paketet python-pkcs11: pip install 'pyhanko[pkcs11]'") from None
    try:
        from pyhanko.config.pkcs11 import TokenCriteria

        session = pkcs11.open_pkcs11_session(str(module), token_criteria=TokenCriteria(label=token), user_pin=pin)
        # the card signs the digest (CKM_ECDSA, CKM_RSA_PKCS): every card and SoftHSM has these
        signer = pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=key_label, use_raw_mechanism=True)
        cert = signer.signing_cert
    except Exception as exc:  # the token's library reports its own errors
        raise SigningError(f"{module}: kan inte använda token '{token}': {_token_error(exc, token)}") from None
    check_certificate(cert.dump(), f"token '{token}'", None)
    return Credentials(signer, cert.subject.native.get("common_name", ""))


def _token_error(exc: Exception, token: str) -> str:
    """A PKCS#11 failure in Swedish where it is a common one, else as the library put it."""
    name = type(exc).__name__
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return "fel PIN-kod (BESLUT_PKCS11_PIN)"
    if name == "PinLocked":
        return "PIN-koden är låst"
    if "No token matching" in str(exc):
        return f"hittar inget kort (token) med etiketten '{token}'"
    return str(exc) or name


def check_certificate(cert: Any, where: str, now: dt.datetime | None) -> None:
    """Refuse a certificate that is expired, not yet valid or not for signing (key usage)."""
    from cryptography import x509

    if isinstance(cert, bytes):
        cert = x509.load_der_x509_certificate(cert)
    now = now or dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(f"{where}: certifikatet för {common_name(cert)} gick ut "
                           f"{cert.not_valid_after_utc:%Y-%m-%d}; använd ett giltigt certifikat")
    if cert.not_valid_before_utc > now:
        raise SigningError(f"{where}: certifikatet för {common_name(cert)} gäller först från "
                           f"{cert.not_valid_before_utc:%Y-%m-%d}")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError(f"{where}: certifikatet för {common_name(cert)} får inte användas för underskrifter "
                           "(nyckelanvändningen saknar digitalSignature och nonRepudiation)")


def common_name(cert: Any) -> str:
    """The subject's common name (CN) of a cryptography certificate."""
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def sign_pdf(source: Path, output: Path, credentials: Credentials, field: str | None = None,
             timestamper: Any = None) -> SignResult:
    """Sign ``source`` into ``field`` (default the first empty signature field) and write ``output``.

    ``timestamper`` (a pyHanko ``TimeStamper``) makes the signature PAdES B-T, else B-B.
    ``source`` is never changed; ``output`` is written whole or not at all.
    """
    if output.resolve() == source.resolve():
        raise UsageError(f"{output}: skriv den signerade PDF:en till en annan fil än {source} (--out)")
    if is_signed(output):
        raise UsageError(f"{output}: finns redan och bär underskrifter; den skrivs inte över (välj ett annat namn "
                         "med --out)")
    quiet_pyhanko()
    data = read_pdf(source)
    reader = open_reader(source, data)
    try:
        target = choose_field(source, reader, field)
        size = field_size(reader, target)
    except BeslutError:
        raise
    except Exception as exc:  # a damaged form or page tree
        raise SigningError(f"{source}: PDF:en är trasig och kan inte läsas ({exc})") from None
    signed = _sign(data, target, size, credentials, timestamper, source)
    write_atomic(output, signed)
    return SignResult(target, credentials.name, output, timestamper is not None)


def read_pdf(path: Path) -> bytes:
    """A PDF's bytes, or a clear error."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path}: är en mapp, ingen PDF") from None
    except OSError as exc:
        raise UsageError(f"{path}: kan inte läsa filen ({exc.strerror})") from None
    if not data.startswith(b"%PDF-"):
        raise SigningError(f"{path}: är ingen PDF (börjar inte med %PDF-)")
    return data


def open_reader(path: Path, data: bytes) -> Any:
    """pyHanko's reader over ``data``; refuses an encrypted or broken PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        _ = reader.root["/Pages"]
    except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise SigningError(f"{path}: PDF:en är trasig och kan inte läsas ({exc})") from None
    if encrypted:
        raise SigningError(f"{path}: PDF:en är krypterad; signera den okrypterade PDF:en som beslut byggde")
    return reader


def document_status(reader: Any) -> str | None:
    """The status beslut recorded in the PDF (utkast or slutlig), or None for another PDF."""
    try:
        info = reader.trailer_view["/Info"]
        value = info.get(STATUS_KEY)
    except (KeyError, AttributeError, TypeError):
        return None
    return str(value) if value is not None else None


def choose_field(path: Path, reader: Any, field: str | None) -> str:
    """The field to sign: ``field`` if it exists and is empty, else the first empty one."""
    from pyhanko.sign.fields import enumerate_sig_fields

    if document_status(reader) == DRAFT:
        raise SigningError(f"{path}: är byggd från ett utkast (status utkast) och kan inte signeras; sätt status "
                           "beslutad, fyll i platshållarna och bygg igen")
    fields = [(name, value is not None) for name, value, _ref in enumerate_sig_fields(reader)]
    if field is not None:
        signed = dict(fields)
        if field not in signed:
            names = ", ".join(n for n, _ in fields) or "inga"
            raise SigningError(f"{path}: har inget signaturfält '{field}' (fälten: {names})")
        if signed[field]:
            raise SigningError(f"{path}: signaturfältet '{field}' är redan signerat")
        return field
    empty = [name for name, filled in fields if not filled]
    if not empty:
        what = "alla signaturfält är redan signerade" if fields else "PDF:en har inga signaturfält"
        raise SigningError(f"{path}: inget ledigt signaturfält ({what})")
    return empty[0]


def appearance_pdf(name: str, when: dt.datetime, size: tuple[float, float]) -> bytes:
    """A one-page PDF of the field's size showing the signer, the time and "Signerat digitalt"
    (typst, with the bundled font: embedded and with a correct Unicode mapping, as PDF/A and
    PDF/UA ask). pyHanko imports the page as the field's appearance."""
    import typst

    data = json.dumps({"name": name, "when": when.strftime("%Y-%m-%d %H:%M %Z").strip(), "label": STAMP_LABEL,
                       "width": round(size[0], 2), "height": round(size[1], 2)}, ensure_ascii=False)
    pdf = typst.compile(str(STAMP_TEMPLATE), sys_inputs={"stamp": data}, font_paths=[str(FONTS)],
                        ignore_system_fonts=True, pdf_tags=False)
    assert isinstance(pdf, bytes)
    return pdf


def field_size(reader: Any, field: str) -> tuple[float, float]:
    """Width and height of a signature field's widget (a default for an invisible field)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    for _name, _value, ref in enumerate_sig_fields(reader, with_name=field):
        rect = ref.get_object().get("/Rect")
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            if abs(x2 - x1) > 1 and abs(y2 - y1) > 1:
                return abs(x2 - x1), abs(y2 - y1)
    return 200.0, 34.0


def _sign(data: bytes, field: str, size: tuple[float, float], credentials: Credentials, timestamper: Any,
          source: Path) -> bytes:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    class _KeepMetadata(IncrementalPdfFileWriter):
        """Leaves XMP and the information dictionary alone: they stay consistent, PDF/A holds."""

        def _update_meta(self) -> None:
            return None

    if not data.endswith(b"\n"):  # a PDF that ends at %%EOF: the update must start on a line of its own
        data += b"\n"
    try:
        writer = _KeepMetadata(io.BytesIO(data), strict=False)
        meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", name=credentials.name)
        out = io.BytesIO()
        with tempfile.TemporaryDirectory(prefix=".beslut-") as tmp:
            stamp = Path(tmp) / "stamp.pdf"
            stamp.write_bytes(appearance_pdf(credentials.name, dt.datetime.now().astimezone(), size))
            full_box = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MIN,
                                                  y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins(),
                                                  inner_content_scaling=layout.InnerScaling.NO_SCALING)
            style = StaticStampStyle.from_pdf_file(str(stamp), border_width=0, background_layout=full_box)
            pdf_signer = signers.PdfSigner(meta, signer=credentials.signer, timestamper=timestamper, stamp_style=style)
            pdf_signer.sign_pdf(writer, output=out)
    except BeslutError:
        raise
    except Exception as exc:  # pyHanko, the token or the timestamp authority
        raise SigningError(f"{source}: kunde inte signera fältet '{field}': {exc}") from None
    return out.getvalue()


__all__ = ["Credentials", "SignResult", "SigningError", "check_certificate", "choose_field", "common_name",
           "load_pkcs11", "load_pkcs12", "open_reader", "read_pdf", "sign_pdf"]

