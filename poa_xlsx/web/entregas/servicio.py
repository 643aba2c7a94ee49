"""Receiving a workbook: keep it as a version, check it with the library, write its report.

Callable without a browser (tests, benchmarks, future commands): give it the
user, the file's name and a stream of its bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import shutil
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from poa_xlsx.output import safe_filename
from ..cuentas.models import normalize_ramo
from .models import Version

log = logging.getLogger("poa.portal")
EXTENSIONES = (".xlsx", ".xlsm")
ARCHIVOS = "archivos"


class SubidaRechazada(Exception):
    """The upload is refused and nothing is kept; ``mensaje`` says why and what to do (Spanish)."""

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_name_and_size(nombre: str, tamano: int) -> None:
    ext = os.path.splitext(nombre)[1].lower()
    if ext not in EXTENSIONES:
        raise SubidaRechazada(
            f"«{nombre}» no es un libro de Excel .xlsx o .xlsm. Ábralo en Excel, use Archivo > Guardar como > "
            "«Libro de Excel (.xlsx)» y súbalo de nuevo."
        )
    if tamano == 0:
        raise SubidaRechazada(f"«{nombre}» está vacío (0 bytes). Vuelva a guardarlo desde Excel y súbalo de nuevo.")
    if tamano > settings.POA_MAX_SUBIDA:
        raise SubidaRechazada(f"«{nombre}» pesa {_mb(tamano)} y el máximo es {_mb(settings.POA_MAX_SUBIDA)}. Revise que sea el libro de captura correcto.")


def _new_folder(ramo: str) -> str:
    """A new folder for one version, relative to the portal's folder: archivos/RAMO/AAAA-MM-DD/HHMMSS-xxxxxxxx."""
    now = timezone.localtime()
    rel = os.path.join(ARCHIVOS, safe_filename(ramo, "ramo"), now.strftime("%Y-%m-%d"), f"{now:%H%M%S}-{secrets.token_hex(4)}")
    os.makedirs(os.path.join(settings.POA_CARPETA, rel), exist_ok=False)
    return rel


def workbook_ramos(revision: Any) -> set[str]:
    """The ramo codes the workbook's unit sheets say (normalized)."""
    return {normalize_ramo(u.ramo.clave) for u in revision.lectura.unidades if u.ramo is not None and u.ramo.clave}


def _refusal_for_ramo(found: set[str], ramo: str) -> str:
    ajenos = sorted(found - {ramo})
    if len(found) == 1:
        return (
            f"Este libro es del ramo {ajenos[0]} (así lo dice la celda RAMO de sus hojas de unidad) y su cuenta es del "
            f"ramo {ramo}. Suba el libro de su ramo; si su cuenta debería ser de otro ramo, pida a Tesorería que la corrija."
        )
    return (
        f"Este libro tiene hojas de los ramos {', '.join(sorted(found))} y su cuenta es del ramo {ramo}. "
        f"Cada ramo sube su propio libro: quite las hojas de los ramos {', '.join(ajenos)} y súbalo de nuevo."
    )


def status_counts(informe: Any) -> dict[str, dict[str, int]]:
    """Goals per status and per traffic-light colour, over all units."""
    estatus: dict[str, int] = {}
    semaforo: dict[str, int] = {}
    for unidad in informe.unidades:
        for item in unidad.metas:
            estatus[item.cifras.estatus.value] = estatus.get(item.cifras.estatus.value, 0) + 1
            semaforo[item.cifras.semaforo.value] = semaforo.get(item.cifras.semaforo.value, 0) + 1
    return {"estatus": estatus, "semaforo": semaforo}


def receive_upload(user: Any, ramo: str, nombre: str, chunks: Iterable[bytes], tamano: int, *, periodo: Any = None) -> Version:
    """Keep the uploaded workbook as a new version of ``ramo``, check it, write its report.

    Raises :class:`SubidaRechazada` (nothing kept) for a file that is not a
    workbook of the right size, or whose RAMO is another ramo's.
    """
    from poa_xlsx import check_workbook
    from poa_xlsx.problems import LibroError
    from poa_xlsx.render.reporte import write_report

    ramo = normalize_ramo(ramo)
    nombre = os.path.basename(nombre.replace("\\", "/")) or "libro.xlsx"
    check_name_and_size(nombre, tamano)
    stem, ext = os.path.splitext(nombre)
    safe = safe_filename(stem, "libro") + ext.lower()
    rel = _new_folder(ramo)
    folder = os.path.join(settings.POA_CARPETA, rel)
    try:
        digest = hashlib.sha256()
        size = 0
        tmp = os.path.join(folder, ".subida.tmp")
        with open(tmp, "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > settings.POA_MAX_SUBIDA:
                    raise SubidaRechazada(f"«{nombre}» pesa más de {_mb(settings.POA_MAX_SUBIDA)}, el máximo. Revise que sea el libro de captura correcto.")
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        original = os.path.join(folder, safe)
        os.replace(tmp, original)
        os.chmod(original, 0o440)  # the kept original is read-only: nothing in the portal changes it

        fields: dict[str, Any] = {}
        try:
            revision = check_workbook(original)
        except LibroError as exc:
            fields.update(resultado=Version.Resultado.ILEGIBLE, errores=1, mensaje=exc.mensaje,
                          problemas=[{"codigo": exc.code, "severidad": "error", "hoja": None, "celda": None, "mensaje": exc.mensaje}])
        else:
            found = workbook_ramos(revision)
            if found and found != {ramo}:
                raise SubidaRechazada(_refusal_for_ramo(found, ramo))
            general = revision.lectura.general
            fields.update(
                resultado=Version.Resultado.SIN_ERRORES if revision.ok else Version.Resultado.CON_ERRORES,
                errores=len(revision.errores),
                advertencias=len(revision.advertencias),
                problemas=[p.as_dict() for p in revision.problems],
                ejercicio=general.ejercicio if general else None,
                trimestre=general.trimestre if general else None,
                unidades=len(revision.lectura.unidades),
            )
            if revision.informe is not None:
                written = write_report(revision.informe, folder, stem)
                fields.update(salidas=[os.path.basename(p) for p in written], conteo=status_counts(revision.informe))
        with transaction.atomic():
            version = Version.objects.create(
                ramo=ramo, periodo=periodo, usuario=user, nombre=safe, carpeta=rel,
                sha256=digest.hexdigest(), tamano=size, **fields,
            )
        return version
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a refused or failed upload leaves nothing behind
        raise


def output_path(version: Version, formato: str) -> str | None:
    """The report file of ``version`` in ``formato`` (xlsx, pdf), if it was written."""
    for name in version.salidas:
        if name.lower().endswith("." + formato):
            return version.path(name)
    return None


def marked_path(version: Version) -> str:
    """The marked workbook of ``version``, made on first request and kept beside the original."""
    from poa_xlsx.output import write_atomic
    from poa_xlsx.problems import Problem, Severidad
    from poa_xlsx.model import Origen
    from poa_xlsx.revision.marcar import mark_workbook, marked_name

    target = version.path(marked_name(version.nombre))
    if not os.path.exists(target):
        problems = [
            Problem(p["codigo"], Severidad(p["severidad"]), Origen(p["hoja"], p["celda"]), p["mensaje"])
            for p in version.problemas if p.get("hoja")
        ]
        write_atomic(target, mark_workbook(version.original, problems))
    return target


def page_images(version: Version, resolution: int = 110, limit: int = 40) -> list[str]:
    """PNG images of the report's PDF pages (first ``limit``), rendered once with pdftoppm;
    an empty list when pdftoppm is not installed (the page then embeds the PDF)."""
    import subprocess
    import tempfile

    pdf = output_path(version, "pdf")
    if pdf is None or shutil.which("pdftoppm") is None:
        return []
    pages = version.path("paginas")
    if not os.path.isdir(pages):
        work = tempfile.mkdtemp(prefix=".paginas-", dir=version.path(""))
        try:
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(resolution), "-l", str(limit), pdf, os.path.join(work, "p")],
                check=True, capture_output=True, timeout=120,
            )
            try:
                os.rename(work, pages)
            except OSError:  # another request rendered them at the same time
                shutil.rmtree(work, ignore_errors=True)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("pdftoppm falló con %s: %s", pdf, exc)
            shutil.rmtree(work, ignore_errors=True)
            return []
    return sorted((os.path.join(pages, n) for n in os.listdir(pages) if n.endswith(".png")), key=_page_number)


def _page_number(path: str) -> int:
    digits = "".join(ch for ch in os.path.basename(path) if ch.isdigit())
    return int(digits or 0)


def today() -> dt.date:
    return timezone.localdate()
