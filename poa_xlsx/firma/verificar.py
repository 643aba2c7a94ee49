"""Verify every signature field of a report: who signed, when, and whether it still holds.

For each field, signed or not: role, unit, the name printed in the block; for
a signed one, the holder's name, RFC and CURP as the SAT puts them in the
certificate, the signing time (the time stamp's when there is one), whether
the signed bytes are intact, whether anything other than later signatures
changed after it (pyHanko's difference analysis), whether the certificate was
valid at that time and chains to the given root(s)
(pyhanko-certvalidator), and whether the holder is the person printed in the
block.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from poa_xlsx.firma import FirmaError, require_pyhanko
from poa_xlsx.firma.credencial import Titular, format_fecha_hora, read_titular
from poa_xlsx.firma.firmar import _reader, list_fields
from poa_xlsx.firma.nombres import CampoReporte, same_person

__all__ = ["ResultadoCampo", "Verificacion", "verify_pdf", "load_roots"]


@dataclass
class ResultadoCampo:
    campo: CampoReporte
    firmado: bool
    titular: Titular | None = None
    fecha_firma: dt.datetime | None = None
    sello_tiempo: bool = False  # the date comes from an RFC 3161 time stamp
    integra: bool | None = None  # the signed bytes are those signed, and the signature is the holder's
    sin_cambios: bool | None = None  # after it, nothing but later signatures changed
    vigente: bool | None = None  # the certificate was valid at the signing time
    confiable: bool | None = None  # chains to a given root (None: no root given)
    coincide: bool | None = None  # the holder is the person printed in the block
    problemas: list[str] = field(default_factory=list)

    @property
    def valida(self) -> bool:
        return self.firmado and not self.problemas

    def como_dict(self) -> dict[str, Any]:
        return {
            "campo": self.campo.nombre,
            "unidad": self.campo.clave,
            "rol": self.campo.rol,
            "nombre_impreso": self.campo.nombre_impreso,
            "firmado": self.firmado,
            "valida": self.valida if self.firmado else None,
            "titular": self.titular.como_dict() if self.titular else None,
            "fecha_firma": self.fecha_firma.isoformat() if self.fecha_firma else None,
            "sello_tiempo": self.sello_tiempo,
            "integra": self.integra,
            "sin_cambios_posteriores": self.sin_cambios,
            "certificado_vigente": self.vigente,
            "cadena_confiable": self.confiable,
            "titular_coincide": self.coincide,
            "problemas": list(self.problemas),
        }


@dataclass
class Verificacion:
    documento: str
    campos: list[ResultadoCampo]
    con_raices: bool

    @property
    def firmados(self) -> list[ResultadoCampo]:
        return [c for c in self.campos if c.firmado]

    @property
    def sin_firmar(self) -> list[ResultadoCampo]:
        return [c for c in self.campos if not c.firmado]

    @property
    def ok(self) -> bool:
        """Every signature valid and nothing but signatures changed (unsigned fields allowed)."""
        return all(c.valida for c in self.firmados)

    def como_dict(self) -> dict[str, Any]:
        return {
            "documento": self.documento,
            "ok": self.ok,
            "firmas": len(self.firmados),
            "firmas_validas": sum(c.valida for c in self.firmados),
            "sin_firmar": len(self.sin_firmar),
            "raices": self.con_raices,
            "campos": [c.como_dict() for c in self.campos],
        }


def load_roots(paths: Sequence[str | os.PathLike[str]]) -> list[Any]:
    """Root certificates (DER .cer or PEM) as asn1crypto objects."""
    from asn1crypto import pem, x509

    from poa_xlsx.firma.asn1_sat import install

    install()
    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise FirmaError(f"No se pudo leer el certificado raíz «{path}»: {exc.strerror or exc}.") from exc
        try:
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
            else:
                cert = x509.Certificate.load(data)
                cert.native  # noqa: B018 - parse it all now, so a bad file is named here
                roots.append(cert)
        except (ValueError, TypeError) as exc:
            raise FirmaError(f"«{path}» no es un certificado raíz (.cer DER o PEM): {exc}.") from exc
    return roots


def _signing_time(status: Any) -> tuple[dt.datetime | None, bool]:
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and ts.intact and ts.valid and ts.timestamp is not None:
        return ts.timestamp, True
    return getattr(status, "signer_reported_dt", None), False


def _check(resultado: ResultadoCampo, emb: Any, roots: list[Any]) -> None:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    campo = resultado.campo
    problemas = resultado.problemas
    cert = emb.signer_cert
    resultado.titular = titular = read_titular(cert.dump())
    resultado.coincide = same_person(campo.nombre_impreso, titular.nombre) if campo.nombre_impreso else None
    # first pass without roots, for the time; then trust at that time
    status = validate_pdf_signature(emb, ValidationContext(trust_roots=[], allow_fetching=False))
    when, stamped = _signing_time(status)
    resultado.fecha_firma, resultado.sello_tiempo = when, stamped
    if roots:
        # offline: no CRL or OCSP is fetched ("soft-fail"); the chain is judged at the signing time
        signer_ctx = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=when)
        ts_ctx = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(emb, signer_validation_context=signer_ctx, ts_validation_context=ts_ctx)
        resultado.confiable = bool(status.trusted)
    resultado.integra = bool(status.intact and status.valid)
    level = status.modification_level
    covers_all = status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
    resultado.sin_cambios = bool(
        status.docmdp_ok and covers_all and level is not None and level <= ModificationLevel.FORM_FILLING
    )
    if when is not None:
        resultado.vigente = titular.valido_desde <= when <= titular.valido_hasta
    quien = f"{campo.rol} de {campo.clave}"
    if not status.intact:
        problemas.append(f"{quien}: el contenido firmado cambió después de firmar (los bytes ya no son los que se firmaron).")
    elif not status.valid:
        problemas.append(f"{quien}: la firma no corresponde al certificado (firma criptográfica inválida).")
    if not resultado.sin_cambios:
        problemas.append(
            f"{quien}: después de esta firma el documento se modificó con algo distinto de otras firmas"
            f" ({_nivel(level)})."
        )
    if resultado.vigente is False:
        problemas.append(
            f"{quien}: el certificado no estaba vigente al firmar ({format_fecha_hora(when) if when else '?'}); es válido {titular.vigencia()}."
        )
    if roots and not resultado.confiable and resultado.integra:
        problemas.append(
            f"{quien}: el certificado de {titular.nombre} no se pudo validar con la(s) raíz(ces) indicada(s)"
            f" ({_motivo(status)})."
        )
    if resultado.coincide is False:
        problemas.append(
            f"{quien}: firmó {titular.nombre}, pero el bloque dice {campo.nombre_impreso}."
        )


def _nivel(level: Any) -> str:
    names = {
        "NONE": "sin cambios", "LTA_UPDATES": "sellos de tiempo", "FORM_FILLING": "campos llenados",
        "ANNOTATIONS": "anotaciones agregadas o cambiadas", "OTHER": "contenido cambiado",
    }
    return names.get(getattr(level, "name", ""), "cambio no reconocido")


def _motivo(status: Any) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    if indic is None:
        return "sin detalle"
    motivos = {
        "NO_CERTIFICATE_CHAIN_FOUND": "no lo emitió ninguna de esas autoridades",
        "OUT_OF_BOUNDS_NO_POE": "el certificado estaba vencido o aún no era válido",
        "OUT_OF_BOUNDS_NOT_REVOKED": "el certificado estaba vencido o aún no era válido",
        "REVOKED_NO_POE": "el certificado está revocado",
        "CHAIN_CONSTRAINTS_FAILURE": "la cadena de certificados no cumple sus restricciones",
        "SIG_CONSTRAINTS_FAILURE": "el uso del certificado no permite firmar",
    }
    return motivos.get(indic.name, indic.name)


def verify_pdf(data: bytes, *, raices: Sequence[Any] = (), documento: str = "") -> Verificacion:
    """Check every signature field of ``data``; never raises for a bad signature, only for
    a file that is not a readable PDF (:class:`FirmaError`)."""
    require_pyhanko()
    from pyhanko.sign.diff_analysis import ModificationLevel  # noqa: F401 - import errors surface here, not as a bad signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: F401

    from poa_xlsx.firma.asn1_sat import install

    install()
    reader = _reader(data, documento)
    try:
        fields = list_fields(reader)
        firmas = {emb.field_name: emb for emb in reader.embedded_signatures}
    except Exception as exc:  # a damaged structure: said in Spanish, with pyHanko's words
        raise FirmaError(f"No se pudieron leer las firmas de «{documento}»: el PDF está dañado ({exc}).") from exc
    resultados = []
    for campo, signed in fields:
        resultado = ResultadoCampo(campo, signed)
        emb = firmas.get(campo.nombre)
        if signed and emb is not None:
            try:
                _check(resultado, emb, list(raices))
            except Exception as exc:  # what pyHanko cannot even evaluate is a failed signature
                resultado.integra = False
                resultado.problemas.append(
                    f"{campo.rol} de {campo.clave}: la firma no se pudo validar; el PDF cambió después de firmar "
                    f"o está dañado ({type(exc).__name__}: {exc})."
                )
        elif signed:
            resultado.problemas.append(f"{campo.rol} de {campo.clave}: el campo dice estar firmado pero no se encontró su firma.")
        resultados.append(resultado)
    return Verificacion(documento, resultados, bool(raices))


def read_pdf(path: str | os.PathLike[str]) -> bytes:
    from poa_xlsx.firma.credencial import read_file

    return read_file(path, "el PDF")
