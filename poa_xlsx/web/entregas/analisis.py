"""Checking one uploaded workbook with the library: plain data in, plain data out.

No Django here, so that :func:`analyze` can run in a worker process (spawned,
on Linux and Windows alike) while the server's threads go on serving pages.
"""
from __future__ import annotations

import os
import re
from typing import Any


def normalize_ramo(clave: str | None) -> str:
    """A ramo code as compared everywhere: no spaces, leading zeros of a number dropped ("058" -> "58")."""
    text = re.sub(r"\s+", "", str(clave or ""))
    return str(int(text)) if text.isdigit() else text.upper()


def workbook_ramos(revision: Any) -> set[str]:
    """The ramo codes the workbook's unit sheets say (normalized)."""
    return {normalize_ramo(u.ramo.clave) for u in revision.lectura.unidades if u.ramo is not None and u.ramo.clave}


def status_counts(informe: Any) -> dict[str, dict[str, int]]:
    """Goals per status and per traffic-light colour, over all units."""
    estatus: dict[str, int] = {}
    semaforo: dict[str, int] = {}
    for unidad in informe.unidades:
        for item in unidad.metas:
            estatus[item.cifras.estatus.value] = estatus.get(item.cifras.estatus.value, 0) + 1
            semaforo[item.cifras.semaforo.value] = semaforo.get(item.cifras.semaforo.value, 0) + 1
    return {"estatus": estatus, "semaforo": semaforo}


def analyze(original: str, folder: str, stem: str, ramo: str) -> dict[str, Any]:
    """Check the workbook with the library and, without errors, write its report into ``folder``.

    Returns the version's fields (plain data, so it can run in a worker process) plus
    ``ramos``: the ramo codes the workbook's unit sheets say.
    """
    from poa_xlsx.acciones import Opciones, check_workbook, write_report
    from poa_xlsx.problems import LibroError

    fields: dict[str, Any] = {"ramos": []}
    try:
        revision = check_workbook(original)
    except LibroError as exc:
        fields.update(resultado="ilegible", errores=1, mensaje=exc.mensaje,
                      problemas=[{"codigo": exc.code, "severidad": "error", "hoja": None, "celda": None, "mensaje": exc.mensaje}])
        return fields
    general = revision.lectura.general
    fields.update(
        ramos=sorted(workbook_ramos(revision)),
        resultado="sin-errores" if revision.ok else "con-errores",
        errores=len(revision.errores),
        advertencias=len(revision.advertencias),
        problemas=[p.as_dict() for p in revision.problems],
        ejercicio=general.ejercicio if general else None,
        trimestre=general.trimestre if general else None,
        unidades=len(revision.lectura.unidades),
    )
    if revision.informe is not None and set(fields["ramos"]) <= {ramo}:  # another ramo's book is refused: no report
        # the PDF now (its pages are shown at once); the XLSX on its first download (report_file)
        written = write_report(revision.informe, folder, stem, Opciones(formatos=("pdf",)))
        fields.update(salidas=[os.path.basename(p) for p in written], conteo=status_counts(revision.informe))
    return fields


def verify_signed(path: str, nombre: str, raices: list[str]) -> dict[str, Any]:
    """Verify the signatures of an uploaded signed report with the library, as plain data
    (``poa-render verificar --json``'s object), or ``{"error": message}`` when the file cannot
    be verified at all (damaged, a root certificate that cannot be read, pyHanko missing)."""
    from poa_xlsx.acciones import verificar_reporte
    from poa_xlsx.problems import PoaError

    try:
        return verificar_reporte(path, raices, nombre=nombre).como_dict()
    except PoaError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - pyHanko on a hostile file: said, never a traceback on the page
        import logging

        logging.getLogger("poa.portal").warning("no se pudo verificar %s: %r", path, exc)
        return {"error": f"No se pudieron leer las firmas de «{nombre}»: el PDF está dañado ({type(exc).__name__})."}


def _worker_init() -> None:
    # the workers already use every core: no extra fork per report inside them
    os.environ["POA_PROCESOS"] = "1"
    _exit_with_parent()


def _exit_with_parent(interval: float = 2.0) -> None:
    """End this worker when the server that started it is gone (even killed with SIGKILL),
    so that no orphan keeps running after a restart."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="poa-vigia", daemon=True).start()
