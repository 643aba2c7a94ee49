"""The SAT's e.firma files as issued: a ``.cer`` (DER X.509) with a ``.key`` (DER PKCS#8,
encrypted with the holder's password), or one ``.pfx`` / ``.p12`` (PKCS#12).

The holder's name, RFC and CURP are read from the certificate subject as the
SAT writes them: the name in ``name`` (2.5.4.41) or ``commonName``, the RFC in
``x500UniqueIdentifier`` (2.5.4.45) and the CURP in ``serialNumber`` (2.5.4.5),
each as ``HOLDER / REPRESENTATIVE`` (either half may be empty).

The password is used to decrypt the key and then dropped: it is never stored
in a :class:`Credencial`, logged or written anywhere.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poa_xlsx.firma import FirmaError
from poa_xlsx.firma.asn1_sat import install as _install_asn1_fix

if TYPE_CHECKING:
    from asn1crypto import keys, x509

__all__ = ["Titular", "Credencial", "load_credencial", "read_file", "read_titular", "format_fecha_hora"]

_install_asn1_fix()

OID_NAME = "2.5.4.41"
OID_COMMON_NAME = "2.5.4.3"
OID_UNIQUE_ID = "2.5.4.45"  # the SAT's RFC field
OID_SERIAL_NUMBER = "2.5.4.5"  # the SAT's CURP field


@dataclass(frozen=True)
class Titular:
    """Who a certificate belongs to, as the SAT wrote it."""

    nombre: str
    rfc: str
    curp: str
    rfc_representante: str
    curp_representante: str
    numero_certificado: str  # the SAT's 20-digit certificate number (its serial number read as text)
    valido_desde: dt.datetime
    valido_hasta: dt.datetime
    emisor: str

    def vigencia(self) -> str:
        """``del 16/05/2017 a las 23:29 UTC al 15/05/2021 a las 23:29 UTC``."""
        return f"del {format_fecha_hora(self.valido_desde)} al {format_fecha_hora(self.valido_hasta)}"

    def describe(self) -> str:
        """``NOMBRE (RFC ..., CURP ...)``, leaving out what the certificate does not say."""
        extra = [f"RFC {self.rfc}" if self.rfc else "", f"CURP {self.curp}" if self.curp else ""]
        extra = [e for e in extra if e]
        return f"{self.nombre} ({', '.join(extra)})" if extra else self.nombre

    def como_dict(self) -> dict[str, str]:
        return {
            "nombre": self.nombre,
            "rfc": self.rfc,
            "curp": self.curp,
            "rfc_representante": self.rfc_representante,
            "curp_representante": self.curp_representante,
            "numero_certificado": self.numero_certificado,
            "valido_desde": self.valido_desde.isoformat(),
            "valido_hasta": self.valido_hasta.isoformat(),
            "emisor": self.emisor,
        }


@dataclass(frozen=True)
class Credencial:
    """A loaded e.firma: certificate and private key (asn1crypto objects, as pyHanko takes them)."""

    certificado: x509.Certificate
    clave: keys.PrivateKeyInfo
    titular: Titular
    otros_certificados: tuple[x509.Certificate, ...] = ()  # the chain a .pfx may carry


def format_fecha_hora(when: dt.datetime) -> str:
    when = when.astimezone(dt.timezone.utc)
    return f"{when:%d/%m/%Y} a las {when:%H:%M} UTC"


def _halves(value: str) -> tuple[str, str]:
    holder, _, representative = value.partition("/")
    return holder.strip(), representative.strip()


def read_titular(der: bytes) -> Titular:
    """Holder, RFC, CURP and validity of a DER certificate."""
    from cryptography import x509 as cx

    cert = cx.load_der_x509_certificate(der)

    def attribute(oid: str) -> str:
        for attr in cert.subject:
            if attr.oid.dotted_string == oid:
                value = attr.value
                return value.decode("latin-1") if isinstance(value, bytes) else str(value)
        return ""

    rfc, rfc_rep = _halves(attribute(OID_UNIQUE_ID))
    curp, curp_rep = _halves(attribute(OID_SERIAL_NUMBER))
    serial = f"{cert.serial_number:x}"
    if len(serial) % 2:
        serial = "0" + serial
    try:  # the SAT's certificate number is its serial number's bytes read as digits
        numero = bytes.fromhex(serial).decode("ascii")
        if not numero.isdigit():
            numero = serial
    except (ValueError, UnicodeDecodeError):
        numero = serial
    emisor = next((a.value for a in cert.issuer if a.oid.dotted_string == OID_COMMON_NAME), cert.issuer.rfc4514_string())
    return Titular(
        nombre=(attribute(OID_NAME) or attribute(OID_COMMON_NAME)).strip(),
        rfc=rfc,
        curp=curp,
        rfc_representante=rfc_rep,
        curp_representante=curp_rep,
        numero_certificado=numero,
        valido_desde=cert.not_valid_before_utc,
        valido_hasta=cert.not_valid_after_utc,
        emisor=str(emisor),
    )


def read_file(path: str | os.PathLike[str], what: str) -> bytes:
    """The bytes of ``what`` ("el certificado", "el PDF"...) at ``path``, or a FirmaError in Spanish."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise FirmaError(f"No se encontró {what} «{path}». Revise la ruta y el nombre del archivo.") from None
    except OSError as exc:
        raise FirmaError(f"No se pudo leer {what} «{path}»: {exc.strerror or exc}.") from exc


def _load_certificate(data: bytes, path: str | os.PathLike[str]) -> Any:
    from cryptography import x509 as cx

    try:
        return cx.load_der_x509_certificate(data)
    except ValueError:
        pass
    try:
        return cx.load_pem_x509_certificate(data)
    except ValueError:
        raise FirmaError(
            f"«{path}» no es un certificado de e.firma: se esperaba el archivo .cer que entrega el SAT "
            "(certificado X.509). Revise que no haya elegido el .key en su lugar."
        ) from None


def _encrypted_pkcs8(data: bytes) -> bool:
    """Whether ``data`` (DER or PEM) is an encrypted PKCS#8 private key, whatever its password."""
    from asn1crypto import keys, pem

    try:
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        info = keys.EncryptedPrivateKeyInfo.load(data, strict=True)
        info["encryption_algorithm"].native  # noqa: B018 - parses the algorithm and its parameters
        return bool(info["encrypted_data"].native)
    except (ValueError, TypeError, KeyError):
        return False


def _load_key(data: bytes, password: bytes, path: str | os.PathLike[str]) -> Any:
    from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_private_key

    for loader in (load_der_private_key, load_pem_private_key):
        try:
            return loader(data, password=password)
        except TypeError:
            # a key that is not encrypted, or no password for an encrypted one
            try:
                return loader(data, password=None)
            except (TypeError, ValueError):
                continue
        except ValueError as exc:
            text = str(exc).lower()
            # A wrong password usually fails the decryption's padding check ("Incorrect
            # password"); about once in 300 the padding passes by chance and the garbage
            # fails to parse instead: the file is still an encrypted key, so it is the password.
            if "password" in text or "decrypt" in text or _encrypted_pkcs8(data):
                raise FirmaError(
                    f"La contraseña de la clave privada «{path}» no es correcta. Escríbala de nuevo: es la "
                    "contraseña de su e.firma (la que eligió al tramitarla en el SAT), no la del portal del SAT."
                ) from None
            continue
    raise FirmaError(
        f"«{path}» no es una clave privada de e.firma: se esperaba el archivo .key que entrega el SAT "
        "(PKCS#8 cifrado). Revise que no haya elegido el .cer en su lugar."
    )


def _as_asn1(cert: Any, key: Any) -> tuple[x509.Certificate, keys.PrivateKeyInfo]:
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    der_cert = cert.public_bytes(Encoding.DER)
    der_key = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())  # in memory only
    return x509.Certificate.load(der_cert), keys.PrivateKeyInfo.load(der_key)


def _same_key(cert: Any, key: Any) -> bool:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    fmt = (Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return bool(cert.public_key().public_bytes(*fmt) == key.public_key().public_bytes(*fmt))


def load_credencial(
    *, cer: str | os.PathLike[str] | None = None, key: str | os.PathLike[str] | None = None, pfx: str | os.PathLike[str] | None = None, password: bytes
) -> Credencial:
    """Load an e.firma from ``cer`` + ``key`` or from ``pfx``; raise :class:`FirmaError` with a
    Spanish message when a file is missing or not what it should be, the password is wrong,
    or the key does not belong to the certificate."""
    from cryptography.hazmat.primitives.serialization import Encoding

    extra: list[Any] = []
    if pfx is not None:
        from cryptography.hazmat.primitives.serialization import pkcs12

        data = read_file(pfx, "el archivo .pfx")
        try:
            private_key, certificate, additional = pkcs12.load_key_and_certificates(data, password or None)
        except ValueError:
            raise FirmaError(
                f"No se pudo abrir «{pfx}»: la contraseña no es correcta o el archivo no es un .pfx / .p12 (PKCS#12). "
                "Escriba la contraseña con la que se exportó el archivo."
            ) from None
        if private_key is None or certificate is None:
            raise FirmaError(f"«{pfx}» no contiene un certificado con su clave privada; exporte el .pfx con ambos.")
        extra = list(additional or [])
        source = str(pfx)
    else:
        if cer is None or key is None:
            raise FirmaError("Indique el certificado (.cer) y la clave privada (.key) de su e.firma, o un archivo .pfx con ambos.")
        certificate = _load_certificate(read_file(cer, "el certificado"), cer)
        private_key = _load_key(read_file(key, "la clave privada"), password, key)
        source = str(key)
    if not _same_key(certificate, private_key):
        raise FirmaError(
            f"La clave privada «{source}» no corresponde al certificado «{cer or pfx}»: use el .key que el SAT "
            "entregó junto con ese .cer (tienen el mismo número de certificado en el nombre)."
        )
    titular = read_titular(certificate.public_bytes(Encoding.DER))
    cert_asn1, key_asn1 = _as_asn1(certificate, private_key)
    from asn1crypto import x509

    others = tuple(x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra)
    return Credencial(cert_asn1, key_asn1, titular, others)
