"""A test certification authority and e.firma holders in the SAT's own formats.

Made in code with ``cryptography`` (nothing is stored): the CA's and each
holder's subject carry the RFC in ``x500UniqueIdentifier`` and the CURP in
``serialNumber`` as PrintableStrings, ``RFC / `` and ``CURP / `` exactly as in
``shared/sat/FIEL_AAA010101AAA.cer``; the certificate is written as DER
(``.cer``) and the key as DER PKCS#8 encrypted with PBES2 (``.key``), as the
SAT issues them.  A TSA certificate (id-kp-timeStamping) for RFC 3161 tests.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "Contraseña de prueba 1"

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _printable(oid: x509.ObjectIdentifier, value: str) -> x509.NameAttribute:
    return x509.NameAttribute(oid, value, _type=_ASN1Type.PrintableString)


def sat_subject(nombre: str, rfc: str, curp: str) -> x509.Name:
    """A subject as the SAT writes it for a natural person (persona física)."""
    return x509.Name(
        [
            _printable(NameOID.COMMON_NAME, nombre),
            _printable(x509.ObjectIdentifier("2.5.4.41"), nombre),  # name
            _printable(NameOID.ORGANIZATION_NAME, nombre),
            _printable(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "firma@example.org"),
            _printable(NameOID.X500_UNIQUE_IDENTIFIER, f"{rfc} / "),
            _printable(NameOID.SERIAL_NUMBER, f"{curp} / "),
        ]
    )


@dataclass
class Holder:
    nombre: str
    rfc: str
    curp: str
    cer: Path
    key: Path
    cert: x509.Certificate
    private_key: rsa.RSAPrivateKey


class TestCA:
    """A root CA ("AC de pruebas") whose own name also carries an RFC as the SAT's does."""

    __test__ = False  # not a pytest test class

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.name = x509.Name(
            [
                _printable(NameOID.COMMON_NAME, "AC de pruebas del Ayuntamiento"),
                _printable(NameOID.ORGANIZATION_NAME, "Pruebas poa-xlsx"),
                _printable(NameOID.COUNTRY_NAME, "MX"),
                _printable(NameOID.X500_UNIQUE_IDENTIFIER, "SAT970701NN3"),
            ]
        )
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=3650))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.cer = folder / "AC_pruebas.cer"
        self.cer.write_bytes(self.cert.public_bytes(Encoding.DER))

    def _issue(self, subject: x509.Name, public_key, not_before: dt.datetime, not_after: dt.datetime, *, tsa: bool = False) -> x509.Certificate:
        # the SAT's certificate number: 20 digits, the serial's bytes read as text
        serial = int.from_bytes(f"3000100000030{x509.random_serial_number() % 10**7:07d}".encode(), "big")
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.name)
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        if tsa:
            builder = builder.add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        else:  # as the SAT's: digital signature and non-repudiation; e-mail protection and client auth
            builder = builder.add_extension(
                x509.KeyUsage(True, True, True, False, True, False, False, False, False), critical=True
            ).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
        return builder.sign(self.key, hashes.SHA256())

    def holder(
        self, nombre: str, rfc: str, curp: str, *, password: str = PASSWORD,
        not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
    ) -> Holder:
        """A holder's ``RFC.cer`` and ``RFC.key`` (DER PKCS#8, PBES2-encrypted with ``password``)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = self._issue(
            sat_subject(nombre, rfc, curp), key.public_key(),
            not_before or NOW - dt.timedelta(days=30), not_after or NOW + dt.timedelta(days=4 * 365),
        )
        cer, keyfile = self.folder / f"{rfc}.cer", self.folder / f"{rfc}.key"
        cer.write_bytes(cert.public_bytes(Encoding.DER))
        keyfile.write_bytes(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, BestAvailableEncryption(password.encode())))
        return Holder(nombre, rfc, curp, cer, keyfile, cert, key)

    def pfx(self, holder: Holder, password: str = PASSWORD) -> Path:
        path = self.folder / f"{holder.rfc}.pfx"
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                holder.rfc.encode(), holder.private_key, holder.cert, [self.cert], BestAvailableEncryption(password.encode())
            )
        )
        return path

    def tsa(self) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([_printable(NameOID.COMMON_NAME, "TSA de pruebas"), _printable(NameOID.COUNTRY_NAME, "MX")])
        cert = self._issue(subject, key.public_key(), NOW - dt.timedelta(days=30), NOW + dt.timedelta(days=365), tsa=True)
        return cert, key


def key_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
