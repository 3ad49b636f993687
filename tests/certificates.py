"""Test certificates made at test time (no key is ever committed): a CA and PKCS#12 signers."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "hemligt lösen"


def _name(cn: str, org: str = "Testkommun") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


class CA:
    """A root CA that issues signer certificates."""

    def __init__(self, cn: str = "Test-CA för beslut"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                                  data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                  crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                     .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
                     .sign(self.key, hashes.SHA256()))

    def pem(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def issue(self, cn: str, *, org: str = "Testkommun", expired: bool = False, signing: bool = True,
              extended_key_usage: list | None = None, rsa_key: bool = False):
        """A signer's key and certificate; ``expired`` ended yesterday; ``signing`` False has no
        digitalSignature or nonRepudiation key usage (only keyEncipherment); ``rsa_key`` for an RSA key
        (pyHanko's dummy timestamp authority signs with RSA only)."""
        key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        start, end = (now - dt.timedelta(days=400), now - dt.timedelta(days=1)) if expired else \
            (now - dt.timedelta(days=1), now + dt.timedelta(days=365))
        builder = (x509.CertificateBuilder().subject_name(_name(cn, org)).issuer_name(self.cert.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=signing, content_commitment=signing,
                                                key_encipherment=not signing, data_encipherment=False, key_agreement=False,
                                                key_cert_sign=False, crl_sign=False, encipher_only=False,
                                                decipher_only=False), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False))
        if extended_key_usage:
            builder = builder.add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=False)
        return key, builder.sign(self.key, hashes.SHA256())

    def p12(self, path: Path, cn: str, passphrase: str = PASSPHRASE, **kwargs) -> Path:
        """A PKCS#12 file for a new signer (with the CA certificate inside)."""
        key, cert = self.issue(cn, **kwargs)
        encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else \
            serialization.NoEncryption()
        path.write_bytes(pkcs12.serialize_key_and_certificates(cn.encode(), key, cert, [self.cert], encryption))
        return path
