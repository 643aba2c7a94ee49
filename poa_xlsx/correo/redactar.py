"""The e-mail's wording: subject and body from the Jinja2 templates users may adapt.

:func:`correo_context` lists everything the templates may use (docs/correo.md).
"""
from __future__ import annotations

from typing import Any, Sequence

from poa_xlsx.correo.mensaje import Adjunto, MailError
from poa_xlsx.formatting import format_fecha, plural
from poa_xlsx.layout.textos import Plantillas, default_plantillas
from poa_xlsx.revision.compute import Estatus, Informe
from poa_xlsx.vocabulario import ELABORO, QUARTER_MONTHS, QUARTER_ORDINALS

ASUNTO = "correo_asunto.txt.j2"
CUERPO = "correo_cuerpo.txt.j2"

TRIMESTRES = tuple(f"{ordinal.lower()} trimestre" for ordinal in QUARTER_ORDINALS)  # «segundo trimestre»
PERIODOS = QUARTER_MONTHS
# display order of statuses in the e-mail: the good news first, then what needs attention
ORDEN_ESTATUS = (Estatus.CUMPLIDA, Estatus.REBASADA, Estatus.ADELANTADA, Estatus.NO_ALCANZADA, Estatus.SIN_PROGRAMACION)
ESTATUS_PLURAL = {
    Estatus.CUMPLIDA: "cumplidas",
    Estatus.REBASADA: "rebasadas",
    Estatus.ADELANTADA: "adelantadas",
    Estatus.NO_ALCANZADA: "no alcanzadas",
    Estatus.SIN_PROGRAMACION: "sin programación",
}


def _conteo(counts: dict[Estatus, int]) -> list[dict[str, Any]]:
    rows = []
    for estatus in ORDEN_ESTATUS:
        n = counts.get(estatus, 0)
        adjetivo = estatus.value if n == 1 else ESTATUS_PLURAL[estatus]
        rows.append(
            {
                "estatus": estatus.value,
                "cantidad": n,
                "etiqueta": ESTATUS_PLURAL[estatus],
                "texto": f"{plural(n, 'meta')} {adjetivo}",
                "corto": f"{n} {adjetivo}",
            }
        )
    return rows


def _firma(firma: Any) -> dict[str, str] | None:
    return None if firma is None else {"nombre": firma.nombre, "cargo": firma.cargo}


def correo_context(informe: Informe, adjuntos: Sequence[Adjunto]) -> dict[str, Any]:
    """Everything the subject and body templates may use (listed in docs/correo.md)."""
    g = informe.general
    ramos: list[dict[str, str]] = []
    unidades = []
    firmas: list[dict[str, str]] = []
    total = {e: 0 for e in Estatus}
    for u in informe.unidades:
        unidad = u.unidad
        if unidad.ramo and all(r["clave"] != unidad.ramo.clave for r in ramos):
            ramos.append({"clave": unidad.ramo.clave, "descripcion": unidad.ramo.descripcion})
        counts = u.conteo()
        for estatus, n in counts.items():
            total[estatus] += n
        elaboro = _firma(unidad.firma(ELABORO))
        if elaboro and elaboro["nombre"] not in [f["nombre"] for f in firmas]:
            firmas.append(elaboro)
        ue = unidad.unidad_ejecutora
        conteo = _conteo(counts)
        unidades.append(
            {
                "clave": unidad.clave,
                "descripcion": ue.descripcion if ue else unidad.sheet,
                "unidad_ejecutora": {"clave": ue.clave, "descripcion": ue.descripcion} if ue else None,
                "proyecto": {"clave": unidad.proyecto.clave, "descripcion": unidad.proyecto.descripcion} if unidad.proyecto else None,
                "hoja": unidad.sheet,
                "metas": len(u.metas),
                "metas_texto": plural(len(u.metas), "meta"),
                "conteo": conteo,
                "conteo_texto": ", ".join(c["corto"] for c in conteo if c["cantidad"]),
                "elaboro": elaboro,
            }
        )
    if not ramos:
        ramo_texto = ""
    elif len(ramos) == 1:
        ramo_texto = f"Ramo {ramos[0]['clave']} {ramos[0]['descripcion']}"
    else:
        nombres = [f"{r['clave']} {r['descripcion']}" for r in ramos]
        ramo_texto = "Ramos " + ", ".join(nombres[:-1]) + " y " + nombres[-1]
    total_metas = sum(total.values())
    return {
        "ayuntamiento": g.ayuntamiento,
        "ejercicio": g.ejercicio,
        "trimestre": g.trimestre,
        "trimestre_texto": TRIMESTRES[g.trimestre - 1],
        "periodo": PERIODOS[g.trimestre - 1],
        "fecha": format_fecha(g.fecha),
        "fecha_larga": f"{g.fecha:%d/%m/%Y}",
        "clave_formato": g.clave_formato,
        "base": g.base.etiqueta,
        "ramo": ramos[0] if ramos else None,
        "ramos": ramos,
        "ramo_texto": ramo_texto,
        "unidades": unidades,
        "conteo": _conteo(total),
        "total_metas": total_metas,
        "total_metas_texto": plural(total_metas, "meta"),
        "adjuntos": [{"nombre": a.nombre, "tamano": a.tamano, "bytes": len(a.datos)} for a in adjuntos],
        # The e-mail is signed by whoever prepared the report: the ELABORÓ of the
        # first unit. When units were prepared by different people, the body
        # names each unit's ELABORÓ so Tesorería knows whom to ask.
        "firma": firmas[0] if firmas else None,
        "firmas": firmas,
        "firmas_distintas": len(firmas) > 1,
    }


def _tidy(text: str) -> str:
    """Template output as a clean body: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return "\n".join(tidy) + "\n"


def redactar(informe: Informe, adjuntos: Sequence[Adjunto], plantillas: str | None = None) -> tuple[str, str]:
    """Subject (one line) and body of the e-mail, from the templates."""
    motor = Plantillas(plantillas) if plantillas else default_plantillas()
    context = correo_context(informe, adjuntos)
    asunto = " ".join(motor.render(ASUNTO, **context).split())
    if not asunto:
        raise MailError(f"La plantilla «{ASUNTO}» produjo un asunto vacío; revísela.")
    cuerpo = _tidy(motor.render(CUERPO, **context))
    return asunto, cuerpo
