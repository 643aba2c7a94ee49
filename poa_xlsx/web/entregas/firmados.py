"""The signed PDF of a version's report: receiving it, and saying what its signatures are worth.

The file must be the portal's own report of that version with signatures added:
each e.firma signature (``poa-render firmar``, Adobe Reader, Foxit) is an
incremental update that keeps the signed bytes as they were, so the report's
bytes are the signed file's first bytes. The library verifies it
(``acciones.verificar_reporte``, in a worker process when there are); every
upload is kept beside the version's files with who, when and what was found.
Callable without a browser: give it the user, the version, the file's name and
a stream of its bytes.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .analisis import verify_signed
from .models import ReporteFirmado, Version
from .servicio import SubidaRechazada, _mb, output_path, report_file, run_in_workers, save_chunks

CARPETA = "firmados"  # inside the version's folder
E = ReporteFirmado.Estado
RAICES = (".cer", ".crt", ".pem", ".der")
PASOS = (
    "Descargue el reporte en PDF de esta versión (botón «Descargar el reporte en PDF» de esta página), "
    "fírmelo con la e.firma (poa-render firmar, Adobe Reader o Foxit) y suba ese archivo firmado."
)


def _fecha(momento: dt.datetime) -> str:
    return f"{timezone.localtime(momento):%d/%m/%Y %H:%M}"


def trusted_roots() -> list[str]:
    """The root certificate files of POA_FIRMA_RAICES (a folder stands for its certificates)."""
    files: list[str] = []
    for entry in settings.POA_FIRMA_RAICES:
        if os.path.isdir(entry):
            found = sorted(os.path.join(entry, n) for n in os.listdir(entry) if n.lower().endswith(RAICES))
            if not found:
                raise SubidaRechazada(
                    f"El portal no puede verificar firmas: la carpeta de certificados raíz «{entry}» de su configuración "
                    "(POA_FIRMA_RAICES) no tiene ningún certificado (.cer, .crt, .pem). Avise al administrador del portal; "
                    "el PDF no se guardó."
                )
            files += found
        elif os.path.isfile(entry):
            files.append(entry)
        else:
            raise SubidaRechazada(
                f"El portal no puede verificar firmas: no encuentra el certificado raíz «{entry}» de su configuración "
                "(POA_FIRMA_RAICES). Avise al administrador del portal; el PDF no se guardó."
            )
    return files


def _other_version(data: bytes, version: Version) -> Version | None:
    """The ramo's other version whose report ``data`` is (signed), if any: to name it."""
    otras = Version.objects.filter(ramo=version.ramo, resultado=Version.Resultado.SIN_ERRORES).exclude(pk=version.pk)
    for otra in otras.order_by("-subido", "-id")[:50]:
        path = output_path(otra, "pdf")
        if path is None or not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            if data.startswith(handle.read()):
                return otra
    return None


def check_is_this_report(data: bytes, reporte: bytes, nombre: str, version: Version) -> None:
    """Refuse (Spanish, saying what to do) a file that is not this version's report with
    signatures added."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise SubidaRechazada(f"«{nombre}» no es un PDF. Suba el reporte firmado en PDF (el archivo .pdf que resultó de firmar). {PASOS}")
    if data.startswith(reporte):
        if len(data) == len(reporte):
            raise SubidaRechazada(f"«{nombre}» es el reporte de esta versión sin ninguna firma. Fírmelo con la e.firma y suba el archivo firmado.")
        return
    if b"/Encrypt" in data:
        raise SubidaRechazada(
            f"«{nombre}» está protegido con contraseña (cifrado) y un reporte firmado no debe estarlo. {PASOS} "
            "No le ponga contraseña ni restricciones."
        )
    esta = f"versión del {_fecha(version.subido)}, libro «{version.nombre}», ramo {version.ramo}"
    if version.ejercicio:
        esta += f", ejercicio {version.ejercicio} trimestre {version.trimestre}"
    otra = _other_version(data, version)
    if otra is not None:
        raise SubidaRechazada(
            f"«{nombre}» es el reporte de otra versión (la del {_fecha(otra.subido)}, libro «{otra.nombre}»), no el de esta "
            f"({esta}). Súbalo en la página de aquella versión; para esta versión, descargue su reporte en PDF "
            "(botón «Descargar el reporte en PDF» de esta página), fírmelo y suba ese archivo firmado."
        )
    raise SubidaRechazada(
        f"«{nombre}» no es el reporte de esta versión ({esta}): un PDF firmado debe ser exactamente el reporte que da "
        f"el portal para esta versión, con las firmas agregadas al final. {PASOS} Si firma en Adobe o Foxit, firme y "
        "guarde el mismo archivo: no use «Imprimir a PDF», «Optimizar» ni otra conversión."
    )


def state_of(verificacion: dict[str, Any]) -> str:
    """completo: every field signed and valid (nothing changed after the last signature,
    which verificar reports on that signature); invalido: some signature is not valid;
    parcial: the signatures present are valid and some fields are still unsigned."""
    campos = verificacion.get("campos", [])
    firmados = [c for c in campos if c.get("firmado")]
    if any(not c.get("valida") for c in firmados):
        return E.INVALIDO
    if campos and len(firmados) == len(campos):
        return E.COMPLETO
    return E.PARCIAL


def receive_signed(user: Any, version: Version, nombre: str, chunks: Iterable[bytes], tamano: int) -> ReporteFirmado:
    """Keep the uploaded signed report of ``version`` with what verifying it found.

    Raises :class:`SubidaRechazada` (nothing kept) for a file that is not a PDF, is too
    big, is not this version's report with signatures added, has no signature, or
    cannot be verified at all.
    """
    nombre = os.path.basename(nombre.replace("\\", "/")) or "reporte_firmado.pdf"
    if not version.ok:
        raise SubidaRechazada(
            "Esta versión tiene errores y no tiene reporte que firmar. Corrija el libro, súbalo y firme el reporte "
            "de la versión sin errores."
        )
    if tamano == 0:
        raise SubidaRechazada(f"«{nombre}» está vacío (0 bytes). {PASOS}")
    if tamano > settings.POA_MAX_SUBIDA:
        raise SubidaRechazada(f"«{nombre}» pesa {_mb(tamano)} y el máximo es {_mb(settings.POA_MAX_SUBIDA)}. Revise que sea el reporte firmado.")
    roots = trusted_roots()
    reporte_path = report_file(version, "pdf")
    if reporte_path is None:
        raise SubidaRechazada("Esta versión no tiene reporte en PDF. Suba el libro de nuevo.")
    with open(reporte_path, "rb") as handle:
        reporte = handle.read()

    os.makedirs(version.path(CARPETA), exist_ok=True)
    rel = os.path.join(CARPETA, f"{timezone.localtime():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.pdf")
    final = version.path(rel)
    tmp = final + ".tmp"
    try:
        sha256, size = save_chunks(chunks, tmp, nombre, "el reporte firmado")
        with open(tmp, "rb") as handle:
            check_is_this_report(handle.read(), reporte, nombre, version)
        verificacion = run_in_workers(verify_signed, tmp, nombre, roots)
        if "error" in verificacion:
            raise SubidaRechazada(f"{verificacion['error']} No se guardó. {PASOS}")
        if not verificacion.get("firmas"):
            raise SubidaRechazada(f"«{nombre}» no tiene ninguna firma. Fírmelo con la e.firma y suba el archivo firmado.")
        verificacion["documento"] = nombre
        os.replace(tmp, final)
        os.chmod(final, 0o440)  # kept as it came: nothing in the portal changes it
        with transaction.atomic():
            return ReporteFirmado.objects.create(
                version=version, ramo=version.ramo, usuario=user, nombre=nombre, archivo=rel,
                sha256=sha256, tamano=size, estado=state_of(verificacion),
                campos=len(verificacion["campos"]), firmas=verificacion["firmas"],
                firmas_validas=verificacion["firmas_validas"], con_raices=bool(verificacion.get("raices")),
                verificacion=verificacion,
            )
    except BaseException:
        for path in (tmp, final):  # a refused or failed upload leaves nothing behind
            if os.path.exists(path):
                os.chmod(path, 0o640)
                os.remove(path)
        raise


# --------------------------------------------------------------------------- what the pages show


def latest(version: Version) -> ReporteFirmado | None:
    return version.firmados.order_by("-subido", "-id").first()


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _problems(campo: dict[str, Any]) -> list[str]:
    """The field's problems without the "ROL de UNIDAD: " each starts with (the row says it)."""
    prefix = f"{campo.get('rol')} de {campo.get('unidad')}: "
    return [p.removeprefix(prefix) for p in campo.get("problemas", [])]


def summary(firmado: ReporteFirmado) -> str:
    """"3 de 3 firmas válidas: ...", "1 de 3 firmas válidas; faltan 2 firmas.", "Una firma no es válida: ..."."""
    campos = firmado.verificacion.get("campos", [])
    malas = [c for c in campos if c.get("firmado") and not c.get("valida")]
    if malas:
        problemas = "; ".join(p for c in malas for p in c.get("problemas", [])) or "sin detalle"
        inicio = "Una firma no es válida" if len(malas) == 1 else f"{len(malas)} firmas no son válidas"
        return f"{inicio}: {problemas}"
    validas, total = firmado.firmas_validas, firmado.campos
    if firmado.completo:
        return f"{validas} de {total} firmas válidas: el reporte está firmado por completo."
    faltan = total - firmado.firmas
    return f"{validas} de {total} firmas válidas; {'falta' if faltan == 1 else 'faltan'} {_plural(faltan, 'firma', 'firmas')}."


def chain_note(firmado: ReporteFirmado) -> str:
    if firmado.con_raices:
        return "Los certificados se comprobaron contra las autoridades certificadoras de confianza del portal."
    return (
        "Cadena no verificada: el portal no tiene configurados los certificados raíz del SAT, así que no se comprobó "
        "quién emitió cada certificado (sí que el documento no cambió y que el certificado estaba vigente)."
    )


@dataclass(frozen=True)
class FilaFirma:
    """One signature field as the table shows it."""

    unidad: str
    papel: str
    impreso: str  # the name printed in the block
    firmante: str
    rfc: str
    fecha: dt.datetime | None
    sello_tiempo: bool
    estado: str  # valida, sin-firmar, invalida
    texto: str
    detalle: str


def rows(firmado: ReporteFirmado) -> list[FilaFirma]:
    filas = []
    for c in firmado.verificacion.get("campos", []):
        titular = c.get("titular") or {}
        fecha = dt.datetime.fromisoformat(c["fecha_firma"]) if c.get("fecha_firma") else None
        if not c.get("firmado"):
            estado, texto, detalle = "sin-firmar", "Sin firmar", ""
        elif c.get("valida"):  # what "valid" means, and whether the chain was checked, is said once above the table
            estado, texto, detalle = "valida", "Válida", ""
        else:
            estado, texto, detalle = "invalida", "No válida", " ".join(_problems(c))
        filas.append(FilaFirma(
            unidad=c.get("unidad", ""), papel=c.get("rol", ""), impreso=c.get("nombre_impreso", ""),
            firmante=titular.get("nombre", ""), rfc=titular.get("rfc", ""), fecha=fecha,
            sello_tiempo=bool(c.get("sello_tiempo")), estado=estado, texto=texto, detalle=detalle,
        ))
    return filas


def page_context(version: Version, puede_subir: bool) -> dict[str, Any]:
    """What the signatures section of a version's or a submission's page needs."""
    ultimo = latest(version) if version.ok else None
    return {
        "ultimo": ultimo,
        "filas": rows(ultimo) if ultimo else [],
        "resumen": summary(ultimo) if ultimo else "",
        "cadena": chain_note(ultimo) if ultimo else "",
        "subidos": list(version.firmados.select_related("usuario").order_by("-subido", "-id")) if version.ok else [],
        "puede_subir": puede_subir and version.ok,
    }


# The matrix: per submission, whether its report is signed (words, never colour alone).
SIN_PDF = "sin-pdf"
MATRIZ = {E.COMPLETO: "Firmado", E.PARCIAL: "Faltan firmas", E.INVALIDO: "Firma no válida", SIN_PDF: "Sin PDF firmado"}
FILTROS = [(E.COMPLETO, "firmado por completo"), (E.PARCIAL, "faltan firmas"), (E.INVALIDO, "firma no válida"), (SIN_PDF, "sin PDF firmado")]


def matrix_state(version: Version | None, firmado: ReporteFirmado | None) -> tuple[str, str]:
    """(key, words) for the matrix: ``("parcial", "Faltan firmas: 3 de 9")``; ("", "") without a report."""
    if version is None or not version.ok:
        return "", ""
    if firmado is None:
        return SIN_PDF, MATRIZ[SIN_PDF]
    if firmado.estado == E.INVALIDO:
        return E.INVALIDO, MATRIZ[E.INVALIDO]
    return firmado.estado, f"{MATRIZ[firmado.estado]}: {firmado.firmas_validas} de {firmado.campos}"


def latest_by_version(versiones: Iterable[Version]) -> dict[int, ReporteFirmado]:
    """The latest signed PDF of each version (one query)."""
    found: dict[int, ReporteFirmado] = {}
    ids = [v.pk for v in versiones]
    for f in ReporteFirmado.objects.filter(version_id__in=ids).order_by("subido", "id"):
        found[f.version_id] = f  # the last one wins
    return found
