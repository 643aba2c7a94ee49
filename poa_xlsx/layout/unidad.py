"""Figures -> the description of one unit's pages (titles, classification, goals table, legend, signatures).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from poa_xlsx.formatting import format_cantidad, format_fecha, titulo_trimestre
from poa_xlsx.layout.textos import Plantillas, default_plantillas
from poa_xlsx.model import Unidad
from poa_xlsx.revision.compute import (
    Cifras,
    Informe,
    MetaCalculada,
    Semaforo,
    UnidadCalculada,
)
from poa_xlsx.vocabulario import QUARTER_NAMES

if TYPE_CHECKING:
    pass
from poa_xlsx.layout.base import Celda, Columna, Encabezado, Salto, leyenda_semaforo


@dataclass(frozen=True)
class FilaMeta:
    numero: str
    celdas: tuple[Celda, ...]
    origen: str  # "'hoja'!A14": where the goal came from


@dataclass(frozen=True)
class LineaClasificacion:
    etiqueta: str
    clave: str
    descripcion: str


@dataclass(frozen=True)
class BloqueFirma:
    rol: str  # ELABORÓ, REVISÓ, AUTORIZÓ
    leyenda: str
    nombre: str
    cargo: str
    campo: str = ""  # the PDF's signature field over the block: UE-58-58102.ELABORO (nombre_campo)


def nombre_campo(clave: str, rol: str) -> str:
    """The full name of a block's signature field: ``UE-<unit key>.<ROLE>``, no accents.

    A period separates a field's parent from its child in PDF, so the unit key
    keeps none; spaces and other signs become hyphens.
    """

    def plain(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")

    return f"UE-{plain(clave) or 'unidad'}.{plain(rol).upper() or 'FIRMA'}"


@dataclass(frozen=True)
class PaginaUnidad:
    """Everything printed for one unit (one sheet of the XLSX, one section of the PDF)."""

    hoja: str  # the capture sheet it came from
    clave: str  # unit key for footers and file names: 58-101, 01-002-PY10
    titulos: tuple[str, ...]
    clasificacion: tuple[LineaClasificacion, ...]
    clave_formato: str
    fecha: str
    columnas: tuple[Columna, ...]
    encabezado: tuple[Encabezado, ...]
    encabezado_filas: int
    filas: tuple[FilaMeta, ...]
    leyenda: tuple[tuple[Semaforo, str], ...]
    firmas: tuple[BloqueFirma, ...]
    #: Where each printed page after the first starts (see layout.base.Salto);
    #: empty until the report is paginated.
    saltos: tuple[Salto, ...] = ()


def _columns(semaforo: bool) -> tuple[Columna, ...]:
    cols = [
        Columna("linea_accion", 9),
        Columna("descripcion", 46, "left"),
        Columna("unidad_medida", 13),
        Columna("meta_anual", 9, "right"),
    ]
    for q in range(1, 5):
        cols += [Columna(f"p{q}", 6.5, "right"), Columna(f"a{q}", 6.5, "right")]
    cols += [Columna("avance_absoluto", 9.5, "right"), Columna("acumulado_relativo", 9.5, "right")]
    if semaforo:
        cols.append(Columna("semaforo", 2.5))
    cols.append(Columna("observaciones", 40, "left"))
    return tuple(cols)


def _header(columns: tuple[Columna, ...]) -> tuple[Encabezado, ...]:
    """The form's three header rows: labels spanning rows, PERIODO over quarters over P/A."""
    index = {c.key: i for i, c in enumerate(columns)}
    cells = [
        Encabezado("LÍNEA DE ACCIÓN P.M.D.", 0, index["linea_accion"], rowspan=3),
        Encabezado("DESCRIPCIÓN DE METAS Y ACCIONES", 0, index["descripcion"], rowspan=3),
        Encabezado("UNIDAD DE MEDIDA", 0, index["unidad_medida"], rowspan=3),
        Encabezado("META ANUAL AUTORIZADA", 0, index["meta_anual"], rowspan=3),
        Encabezado("PERIODO", 0, index["p1"], colspan=8),
    ]
    for q in range(1, 5):
        cells.append(Encabezado(QUARTER_NAMES[q - 1], 1, index[f"p{q}"], colspan=2))
        cells.append(Encabezado("P", 2, index[f"p{q}"]))
        cells.append(Encabezado("A", 2, index[f"a{q}"]))
    cells.append(Encabezado("AVANCE ABSOLUTO", 0, index["avance_absoluto"], rowspan=3))
    span = 2 if "semaforo" in index else 1
    cells.append(Encabezado("ACUMULADO RELATIVO", 0, index["acumulado_relativo"], rowspan=3, colspan=span))
    cells.append(Encabezado("OBSERVACIONES", 0, index["observaciones"], rowspan=3))
    return tuple(cells)


def _cantidad(value: Decimal | None) -> Celda:
    if value is None:
        return Celda("", None, "cantidad")
    return Celda(format_cantidad(value), value, "cantidad")


def _porcentaje(cifras: Cifras) -> Celda:
    pct = cifras.porcentaje
    if pct is None:
        return Celda("N/A", "N/A", "porcentaje")
    return Celda(f"{pct}%", Decimal(pct) / 100, "porcentaje")


def descripcion_con_numero(numero: str, descripcion: str) -> str:
    """``100.- GESTIONAR ...`` as the form prints it, unless the text already starts so."""
    if not numero:
        return descripcion
    stripped = descripcion.lstrip()
    if stripped.startswith(numero) and stripped[len(numero): len(numero) + 1] in (".", "-", " ", ")"):
        return descripcion
    return f"{numero}.- {descripcion}"


def _fila(item: MetaCalculada, trimestre: int, columns: tuple[Columna, ...], plantillas: Plantillas) -> FilaMeta:
    meta, cifras = item.meta, item.cifras
    values: dict[str, Celda] = {
        "linea_accion": Celda("\n".join(meta.lineas_accion), " ".join(meta.lineas_accion), "codigo"),
        "descripcion": Celda(descripcion_con_numero(meta.numero, meta.descripcion), None, "texto"),
        "unidad_medida": Celda(meta.unidad_medida, None, "codigo"),
        "meta_anual": _cantidad(meta.meta_anual),
        "avance_absoluto": _cantidad(cifras.avance_absoluto),
        "acumulado_relativo": _porcentaje(cifras),
        "semaforo": Celda("", None, "semaforo", cifras.semaforo),
        "observaciones": Celda(plantillas.observaciones(meta, cifras), None, "observaciones"),
    }
    for q in range(1, 5):
        values[f"p{q}"] = _cantidad(meta.programado[q - 1])
        reported = meta.alcanzado[q - 1] if q <= trimestre else None
        if q <= trimestre and reported is None:
            reported = Decimal(0)
        values[f"a{q}"] = _cantidad(reported)
    celdas = []
    for col in columns:
        cell = values[col.key]
        if cell.value is None and cell.kind in ("texto", "codigo", "observaciones"):
            cell = Celda(cell.text, cell.text, cell.kind, cell.semaforo)
        celdas.append(cell)
    return FilaMeta(meta.numero, tuple(celdas), f"'{meta.sheet}'!A{meta.row}")


def _clasificacion(unidad: Unidad) -> tuple[LineaClasificacion, ...]:
    lines = []
    for etiqueta, value in (
        ("RAMO", unidad.ramo),
        ("PROGRAMA", unidad.programa),
        ("PROYECTO", unidad.proyecto),
        ("UNIDAD EJECUTORA", unidad.unidad_ejecutora),
        ("FINALIDAD", unidad.finalidad),
        ("FUNCIÓN", unidad.funcion),
        ("SUBFUNCIÓN", unidad.subfuncion),
    ):
        if value is not None:
            lines.append(LineaClasificacion(etiqueta, value.clave, value.descripcion))
    for etiqueta, values in (("EJE DE GOBIERNO", unidad.ejes), ("LÍNEAS DE ACCIÓN", unidad.lineas_accion)):
        for i, value in enumerate(values):
            lines.append(LineaClasificacion(etiqueta if i == 0 else "", value.clave, value.descripcion))
    return tuple(lines)


def layout_unidad(informe: Informe, unidad: UnidadCalculada, *, semaforo: bool = True, plantillas: Plantillas | None = None) -> PaginaUnidad:
    """The page description of one unit."""
    g = informe.general
    plantillas = plantillas or default_plantillas()
    columns = _columns(semaforo)
    u = unidad.unidad
    return PaginaUnidad(
        hoja=u.sheet,
        clave=u.clave,
        titulos=(
            g.ayuntamiento,
            f"PROGRAMA OPERATIVO ANUAL {g.ejercicio}",
            "AVANCE FÍSICO PROGRAMÁTICO",
            titulo_trimestre(g.trimestre, g.ejercicio),
        ),
        clasificacion=_clasificacion(u),
        clave_formato=g.clave_formato,
        fecha=format_fecha(g.fecha),
        columnas=columns,
        encabezado=_header(columns),
        encabezado_filas=3,
        filas=tuple(_fila(item, g.trimestre, columns, plantillas) for item in unidad.metas),
        leyenda=leyenda_semaforo(g.tolerancia) if semaforo else (),
        firmas=tuple(BloqueFirma(f.rol, f.leyenda, f.nombre, f.cargo, nombre_campo(u.clave, f.rol)) for f in u.firmas),
    )
