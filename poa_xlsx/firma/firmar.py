"""Sign the report's empty signature fields with an e.firma (pyHanko, PAdES).

Each field is signed in its own incremental update (PAdES baseline B-B; B-T
when a time-stamp authority is given), so the three people of a unit can sign
in turn and every earlier signature stays valid.  The visible stamp is drawn
with the report's own embedded DejaVu font, so a signed report is still
PDF/A-2b.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any, Sequence

from poa_xlsx.firma import FirmaError, require_pyhanko
from poa_xlsx.firma.credencial import Credencial, format_fecha_hora
from poa_xlsx.firma.nombres import ROLES, CampoReporte, parse_field_name, same_person

__all__ = ["list_fields", "choose_fields", "sign_pdf", "check_vigencia"]

def _reader(data: bytes, nombre: str) -> Any:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise FirmaError(f"«{nombre}» no es un PDF. Indique el reporte en PDF que generó poa-render.")
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise FirmaError(f"No se pudo leer el PDF «{nombre}»: está dañado o incompleto ({exc}).") from exc


def list_fields(reader: Any) -> list[tuple[CampoReporte, bool]]:
    """Every signature field of the document, and whether it is already signed."""
    from pyhanko.sign.fields import enumerate_sig_fields

    fields = []
    for name, value, ref in enumerate_sig_fields(reader):
        field = ref.get_object()
        ayuda = str(field.get("/TU", "")) if "/TU" in field else ""
        fields.append((parse_field_name(name, ayuda), value is not None))
    return fields


def check_vigencia(credencial: Credencial, ahora: dt.datetime) -> None:
    """Refuse a certificate that is expired or not yet valid, naming its validity dates."""
    t = credencial.titular
    if ahora > t.valido_hasta:
        raise FirmaError(
            f"El certificado de {t.describe()} venció el {format_fecha_hora(t.valido_hasta)}: es válido "
            f"{t.vigencia()}. No se firmó nada. Renueve su e.firma en el SAT y firme con el certificado nuevo."
        )
    if ahora < t.valido_desde:
        raise FirmaError(
            f"El certificado de {t.describe()} todavía no es válido: es válido {t.vigencia()}. "
            "No se firmó nada. Revise la fecha y hora de este equipo."
        )


def _lista(campos: Sequence[CampoReporte]) -> str:
    return "; ".join(f"{c.rol} de {c.clave}: {c.nombre_impreso or '(sin nombre)'}" for c in campos)


def choose_fields(
    fields: Sequence[tuple[CampoReporte, bool]], nombre: str, *, como: str | None = None, unidad: str | None = None, documento: str = ""
) -> list[CampoReporte]:
    """The empty fields this holder signs: the printed name must be the holder's;
    ``como`` (elaboro, reviso, autorizo) and ``unidad`` narrow the choice."""
    if not fields:
        raise FirmaError(
            f"«{documento}» no tiene campos de firma. Genere el PDF de nuevo con poa-render (esta versión "
            "agrega un campo sobre cada bloque ELABORÓ, REVISÓ y AUTORIZÓ) y fírmelo."
        )
    candidates = [c for c, signed in fields if not signed]
    if como:
        candidates = [c for c in candidates if c.rol_clave == como.lower()]
    if unidad:
        candidates = [c for c in candidates if c.es_de_unidad(unidad)]
    chosen = [c for c in candidates if same_person(c.nombre_impreso, nombre)]
    if chosen:
        return chosen
    papel = ROLES.get(como.upper(), como) if como else ""
    filtro = " y ".join(x for x in (f"papel {papel}" if como else "", f"unidad {unidad}" if unidad else "") if x)
    todos = [c for c, _signed in fields]
    firmados = [c for c, signed in fields if signed and same_person(c.nombre_impreso, nombre)]
    if firmados and not candidates:
        raise FirmaError(
            f"{nombre} ya firmó todos sus bloques en «{documento}» ({_lista(firmados)}). No se escribió nada."
        )
    if filtro and not candidates:
        raise FirmaError(
            f"Ningún campo sin firmar de «{documento}» corresponde a {filtro}. Campos del documento: {_lista(todos)}. "
            "No se escribió nada."
        )
    raise FirmaError(
        f"El titular del certificado, {nombre}, no aparece en ningún bloque de firma sin firmar de «{documento}»"
        + (f" ({filtro})" if filtro else "")
        + f". Nombres en el documento: {_lista(candidates or todos)}. "
        "Firme el reporte de su unidad, o corrija el nombre en el libro de captura y genere el PDF de nuevo. No se escribió nada."
    )


def _same_producer(writer: Any) -> None:
    """PDF/A wants the Info dictionary's Producer equal to the XMP's pdf:Producer; pyHanko
    appends its name to the first but replaces the second with it, so start both from its name."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is not None:
        info = info_ref.get_object()
        info["/Producer"] = generic.TextStringObject(VENDOR)


def _timestamper(url: str) -> Any:
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=20)


def sign_pdf(
    data: bytes,
    credencial: Credencial,
    campos: Sequence[CampoReporte],
    *,
    sello_tiempo: str | None = None,
) -> bytes:
    """``data`` with each of ``campos`` signed, one incremental update per field."""
    require_pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from poa_xlsx.firma.apariencia import stamp_style

    t = credencial.titular
    signer = signers.SimpleSigner(
        signing_cert=credencial.certificado,
        signing_key=credencial.clave,
        cert_registry=SimpleCertificateStore.from_certs([credencial.certificado, *credencial.otros_certificados]),
    )
    timestamper = _timestamper(sello_tiempo) if sello_tiempo else None
    for campo in campos:
        meta = signers.PdfSignatureMetadata(
            field_name=campo.nombre,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=t.nombre,
            reason=f"{campo.rol} el reporte TMM-F004 de la unidad {campo.clave}",
            location="México",
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=stamp_style())
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        _same_producer(writer)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(
                writer, existing_fields_only=True, output=out,
                appearance_text_params={"nombre": t.nombre, "rfc": t.rfc or t.rfc_representante or "—"},
            )
        except TimestampRequestError as exc:
            raise FirmaError(
                f"No se obtuvo el sello de tiempo de «{sello_tiempo}»: {exc}. Revise la dirección y la conexión, "
                "o firme sin sello de tiempo. No se escribió nada."
            ) from exc
        data = out.getvalue()
    return data
