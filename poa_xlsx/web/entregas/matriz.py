"""The matrix of a period: every expected ramo with its state, figures and change (no browser needed)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..periodos.models import Periodo, Ramo
from .firmados import latest_by_version, matrix_state
from .models import Envio, ReporteFirmado, Version

ESTADOS = ("sin enviar", "con errores", "enviado", "devuelto", "aprobado")


@dataclass
class Fila:
    ramo: str
    nombre: str
    estado: str
    ultima: dt.datetime | None
    cierre: dt.date
    envio: Envio | None
    version: Version | None  # the version the figures come from
    semaforo: dict[str, int] = field(default_factory=dict)
    cumplidas_pct: int | None = None
    rojas: int | None = None
    cambio_cumplidas: int | None = None  # percentage points against the previous quarter
    cambio_rojas: int | None = None
    firmado: ReporteFirmado | None = None  # the latest signed PDF of the version's report
    firmas_clave: str = ""  # completo, parcial, invalido, sin-pdf; "" without a report
    firmas: str = ""  # the same in words: "Faltan firmas: 3 de 9"


def previous_period(periodo: Periodo) -> Periodo | None:
    ejercicio, trimestre = (periodo.ejercicio, periodo.trimestre - 1) if periodo.trimestre > 1 else (periodo.ejercicio - 1, 4)
    return Periodo.objects.filter(ejercicio=ejercicio, trimestre=trimestre).first()


def _figures(version: Version | None) -> tuple[dict[str, int], int | None, int | None]:
    if version is None or not version.conteo:
        return {}, None, None
    semaforo = dict(version.conteo.get("semaforo", {}))
    estatus = version.conteo.get("estatus", {})
    total = sum(estatus.values()) - estatus.get("sin programación", 0)
    cumplidas = round(100 * estatus.get("cumplida", 0) / total) if total else None
    return semaforo, cumplidas, semaforo.get("rojo", 0)


def build_matrix(periodo: Periodo) -> list[Fila]:
    esperados = {r.clave: r.nombre for r in Ramo.objects.filter(activo=True)}
    versiones: dict[str, Version] = {}
    for v in Version.objects.filter(periodo=periodo).order_by("subido", "id"):
        versiones[v.ramo] = v  # the last one wins
    envios = {e.ramo: e for e in Envio.objects.filter(periodo=periodo).select_related("version")}
    anterior = previous_period(periodo)
    envios_antes = {e.ramo: e for e in Envio.objects.filter(periodo=anterior).select_related("version")} if anterior else {}
    filas = []
    for ramo in sorted(set(esperados) | set(versiones) | set(envios), key=lambda r: (0, int(r), "") if r.isdigit() else (1, 0, r)):
        envio, ultima_version = envios.get(ramo), versiones.get(ramo)
        if envio is not None:
            estado = envio.estado
        elif ultima_version is not None and not ultima_version.ok:
            estado = "con errores"
        else:
            estado = "sin enviar"
        momentos = [t for t in (envio.actualizado if envio else None, ultima_version.subido if ultima_version else None) if t]
        fuente = envio.version if envio else (ultima_version if ultima_version and ultima_version.ok else None)
        semaforo, cumplidas, rojas = _figures(fuente)
        antes = envios_antes.get(ramo)
        _, cumplidas_antes, rojas_antes = _figures(antes.version if antes else None)
        filas.append(Fila(
            ramo=ramo, nombre=esperados.get(ramo, ""), estado=estado, ultima=max(momentos) if momentos else None,
            cierre=periodo.deadline_for(ramo), envio=envio, version=fuente, semaforo=semaforo,
            cumplidas_pct=cumplidas, rojas=rojas,
            cambio_cumplidas=(cumplidas - cumplidas_antes) if cumplidas is not None and cumplidas_antes is not None else None,
            cambio_rojas=(rojas - rojas_antes) if rojas is not None and rojas_antes is not None else None,
        ))
    ultimos = latest_by_version(f.version for f in filas if f.version is not None)
    for f in filas:
        f.firmado = ultimos.get(f.version.pk) if f.version is not None else None
        f.firmas_clave, f.firmas = matrix_state(f.version, f.firmado)
    return filas


def counts_line(filas: list[Fila]) -> dict[str, Any]:
    enviaron = [f for f in filas if f.estado in ("enviado", "aprobado")]
    faltan = [f.ramo for f in filas if f.estado not in ("enviado", "aprobado")]
    por_estado = {e: sum(1 for f in filas if f.estado == e) for e in ESTADOS}
    texto = f"{len(enviaron)} de {len(filas)} ramos enviaron"
    texto += f"; faltan: {', '.join(faltan)}." if faltan else "."
    envios = [f for f in filas if f.envio is not None]
    firmados = sum(1 for f in envios if f.firmas_clave == "completo")
    firmas = f"{firmados} de {len(envios)} envío{'s' if len(envios) != 1 else ''} con el reporte firmado por completo." if envios else ""
    return {"texto": texto, "por_estado": por_estado, "enviaron": len(enviaron), "total": len(filas), "faltan": faltan,
            "firmas": firmas}
