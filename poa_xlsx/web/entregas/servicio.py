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
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from poa_xlsx.output import safe_filename

from ..periodos.servicio import find_period
from .analisis import _worker_init, analyze, normalize_ramo
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


_pool: Any = None
_pool_lock = threading.Lock()


def run_analysis(original: str, folder: str, stem: str, ramo: str) -> dict[str, Any]:
    """:func:`analyze`, in the worker processes when there are (see :func:`run_in_workers`)."""
    return run_in_workers(analyze, original, folder, stem, ramo)


def run_in_workers(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``function(*args)`` (Django-free, plain data in and out: analisis.py), in a pool of
    worker processes when POA_TRABAJADORES > 0 (``servir`` sets it to the number of cores:
    the server's threads share one core for Python code, the workers use them all), else
    in this thread."""
    global _pool
    workers = int(getattr(settings, "POA_TRABAJADORES", 0) or 0)
    if workers <= 0:
        return function(*args)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init)
            log.info("libros revisados en %d procesos de trabajo", workers)
        pool = _pool
    try:
        return dict(pool.submit(function, *args).result())
    except BrokenProcessPool:
        log.warning("un proceso de trabajo terminó de golpe; se repite %s%r en este proceso", function.__name__, args)
        with _pool_lock:
            if _pool is pool:
                _pool = None
        return function(*args)


def shutdown_pool() -> None:
    """Stop the worker processes (the server calls this when it stops)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def save_chunks(chunks: Iterable[bytes], path: str, nombre: str, que: str) -> tuple[str, int]:
    """Write an upload to ``path`` (synced to disk) and return its SHA-256 and size; an
    upload over the size limit is refused as soon as it passes it. ``que`` names what the
    file should be, for the message ("el libro de captura correcto")."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > settings.POA_MAX_SUBIDA:
                raise SubidaRechazada(f"«{nombre}» pesa más de {_mb(settings.POA_MAX_SUBIDA)}, el máximo. Revise que sea {que}.")
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest(), size


def receive_upload(user: Any, ramo: str, nombre: str, chunks: Iterable[bytes], tamano: int, *, periodo: Any = None) -> Version:
    """Keep the uploaded workbook as a new version of ``ramo``, check it, write its report.

    Raises :class:`SubidaRechazada` (nothing kept) for a file that is not a
    workbook of the right size, or whose RAMO is another ramo's.
    """
    ramo = normalize_ramo(ramo)
    nombre = os.path.basename(nombre.replace("\\", "/")) or "libro.xlsx"
    check_name_and_size(nombre, tamano)
    stem, ext = os.path.splitext(nombre)
    safe = safe_filename(stem, "libro") + ext.lower()
    rel = _new_folder(ramo)
    folder = os.path.join(settings.POA_CARPETA, rel)
    try:
        tmp = os.path.join(folder, ".subida.tmp")
        sha256, size = save_chunks(chunks, tmp, nombre, "el libro de captura correcto")
        original = os.path.join(folder, safe)
        os.replace(tmp, original)
        os.chmod(original, 0o440)  # the kept original is read-only: nothing in the portal changes it

        fields = run_analysis(original, folder, stem, ramo)
        found = set(fields.pop("ramos"))
        if found and found != {ramo}:
            raise SubidaRechazada(_refusal_for_ramo(found, ramo))
        if periodo is None:
            periodo = find_period(fields.get("ejercicio"), fields.get("trimestre"))
        refusal = periodo.refusal(ramo, today()) if periodo is not None else None
        if refusal is not None:
            raise SubidaRechazada(refusal)
        with transaction.atomic():
            version = Version.objects.create(
                ramo=ramo, periodo=periodo, usuario=user, nombre=safe, carpeta=rel,
                sha256=sha256, tamano=size, **fields,
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


def report_file(version: Version, formato: str) -> str | None:
    """The report file in ``formato``, written now if it was not yet (the XLSX is made on
    its first download, to keep uploads at the deadline quick); None without a report."""
    path = output_path(version, formato)
    if path is not None or not version.ok or formato not in ("xlsx", "pdf"):
        return path
    from poa_xlsx.acciones import Opciones, check_workbook, write_report

    revision = check_workbook(version.original)
    if revision.informe is None:
        return None
    stem = os.path.splitext(version.nombre)[0]
    written = write_report(revision.informe, version.path(""), stem, Opciones(formatos=(formato,)))
    name = os.path.basename(written[0])
    Version.objects.filter(pk=version.pk).update(salidas=sorted({*version.salidas, name}))
    version.salidas = sorted({*version.salidas, name})
    return written[0]


def marked_path(version: Version) -> str:
    """The marked workbook of ``version``, made on first request and kept beside the original."""
    from poa_xlsx.model import Origen
    from poa_xlsx.output import write_atomic
    from poa_xlsx.problems import Problem, Severidad
    from poa_xlsx.revision.marcar import mark_workbook, marked_name

    target = version.path(marked_name(version.nombre))
    if not os.path.exists(target):
        problems = [
            Problem(p["codigo"], Severidad(p["severidad"]), Origen(p["hoja"], p["celda"]), p["mensaje"])
            for p in version.problemas if p.get("hoja")
        ]
        write_atomic(target, mark_workbook(version.original, problems))
    return target


MAX_PAGINAS = 60  # pages shown as images; the PDF download has them all


def page_count(version: Version) -> int:
    """Pages of the report's PDF that the page shows as images (0 without pdftoppm or PDF)."""
    import re

    pdf = output_path(version, "pdf")
    if pdf is None or shutil.which("pdftoppm") is None:
        return 0
    with open(pdf, "rb") as handle:
        # reportlab writes each page as its own object: "/Type /Page" (not "/Pages")
        count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", handle.read()))
    return min(count, MAX_PAGINAS)


def page_image(version: Version, numero: int, resolution: int = 110) -> str | None:
    """The PNG of page ``numero`` of the report, rendered with pdftoppm on first request
    and kept beside the version's files; None if there is no such page."""
    import subprocess
    import tempfile

    if not 1 <= numero <= page_count(version):
        return None
    pdf = output_path(version, "pdf")
    assert pdf is not None
    folder = version.path("paginas")
    target = os.path.join(folder, f"{numero}.png")
    if os.path.exists(target):
        return target
    os.makedirs(folder, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".pagina-", dir=folder)
    try:
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", "-r", str(resolution), "-f", str(numero), "-l", str(numero), pdf, os.path.join(work, "p")],
            check=True, capture_output=True, timeout=120,
        )
        os.replace(os.path.join(work, "p.png"), target)  # atomic: a request at the same time gets a whole file
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("pdftoppm falló con %s, página %s: %s", pdf, numero, exc)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def today() -> dt.date:
    return timezone.localdate()
