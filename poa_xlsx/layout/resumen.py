"""Summary -> one description of the RESUMEN page(s), read by both renderers.

:func:`layout_resumen` turns a :class:`~poa_xlsx.resumen.Resumen` (one ramo
or the whole Ayuntamiento) into a :class:`PaginaResumen`: a sequence of
blocks (paragraphs, tables, charts) that the XLSX draws on the ``RESUMEN``
sheet and the PDF on its first page(s). Nothing here knows about openpyxl or
reportlab. Decisions are documented in docs/resumen.md.

Every table is laid on one grid of columns (:data:`REJILLA`): each table
column spans one or more grid columns, so tables with different columns share
one sheet in the XLSX (merged cells) and the PDF gets the same proportions.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Sequence, Union

from poa_xlsx.formatting import format_cantidad, format_fecha, plural, titulo_trimestre
from poa_xlsx.layout.base import Celda, Columna, Encabezado
from poa_xlsx.model import Clasificacion, General
from poa_xlsx.revision.compute import Estatus, Semaforo, round_half_up
from poa_xlsx.revision.resumen import (
    Conteo,
    FilaUnidad,
    MetaAtencion,
    Resumen,
    ResumenRamo,
    texto_faltantes,
)

#: Column widths (character units) of the grid every summary table is laid on.
REJILLA: tuple[float, ...] = (7, 9, 9, 42, 10, 11, 11, 9.5, 9.5, 12, 12, 10)
#: At most this many bars in one chart; more units make several charts.
MAX_BARRAS = 30
#: The attention list in the opening paragraph names at most this many goals.
MAX_METAS_EN_TEXTO = 40

ESTATUS_TEXTO = {
    Estatus.REBASADA: "rebasada",
    Estatus.ADELANTADA: "adelantada",
    Estatus.NO_ALCANZADA: "no alcanzada",
    Estatus.CUMPLIDA: "cumplida",
    Estatus.SIN_PROGRAMACION: "sin programación",
}


# --------------------------------------------------------------------------- the description


@dataclass(frozen=True)
class Parrafo:
    """A line or paragraph across the page.

    ``estilo``: "seccion" (bold heading, kept with what follows), "texto" or
    "nota" (smaller). ``semaforo`` puts a square of that colour before it.
    """

    texto: str
    estilo: str = "texto"
    semaforo: Semaforo | None = None


@dataclass(frozen=True)
class FilaResumen:
    """One body row; ``total`` rows are printed bold on grey."""

    celdas: tuple[Celda, ...]
    total: bool = False


@dataclass(frozen=True)
class TablaResumen:
    """A table with a repeated header. ``spans[i]`` is how many grid columns
    (:data:`REJILLA`) column ``i`` takes; ``columnas[i].width`` is their sum.
    The same attributes as a unit page's table (``columnas``, ``encabezado``,
    ``encabezado_filas``, ``filas``), so the PDF lays it out the same way."""

    nombre: str  # "ramos", "unidades" or "atencion"
    columnas: tuple[Columna, ...]
    spans: tuple[int, ...]
    encabezado: tuple[Encabezado, ...]
    encabezado_filas: int
    filas: tuple[FilaResumen, ...]


@dataclass(frozen=True)
class SerieGrafica:
    """One stacked series: its name, colour and one value per bar.

    ``columna`` is the column of the preceding table that holds the values
    (the XLSX chart reads them from those cells)."""

    nombre: str
    semaforo: Semaforo
    valores: tuple[int, ...]
    columna: int


@dataclass(frozen=True)
class Grafica:
    """A stacked bar chart of goals by status, one bar per table row.

    The bars are rows ``desde`` to ``desde + len(categorias) - 1`` of the
    preceding table's body; the labels are its column ``columna_categorias``."""

    titulo: str
    categorias: tuple[str, ...]
    series: tuple[SerieGrafica, ...]
    columna_categorias: int
    desde: int = 0
    eje: str = "Número de metas"

    #: Points, as printed: a title line, the axis with its labels and title, the legend.
    MARCO: ClassVar[tuple[float, float, float]] = (13.0, 16.0, 13.0)

    @property
    def paso(self) -> float:
        """Points per bar, as printed (closer bars when there are many)."""
        return 13.0 if len(self.categorias) <= 15 else 10.5

    @property
    def alto(self) -> float:
        """The chart's printed height in points (the PDF draws it so; the XLSX sizes its chart from it)."""
        return sum(self.MARCO) + len(self.categorias) * self.paso


@dataclass(frozen=True)
class Leyenda:
    """What each semáforo colour means, a coloured square before each meaning."""

    items: tuple[tuple[Semaforo, str], ...]


Bloque = Union[Parrafo, TablaResumen, Grafica, Leyenda]


@dataclass(frozen=True)
class PaginaResumen:
    """The summary: titles, then blocks in reading order."""

    titulos: tuple[str, ...]
    clave_formato: str
    fecha: str
    rejilla: tuple[float, ...]
    bloques: tuple[Bloque, ...]
    pie: str = "RESUMEN"  # printed at the left of the footer, as a unit's key is
    #: Where each printed page after the first starts: (block, table row); see layout.base.Salto.
    saltos: tuple[tuple[int, int], ...] = ()

    def tablas(self, nombre: str) -> list[TablaResumen]:
        return [b for b in self.bloques if isinstance(b, TablaResumen) and b.nombre == nombre]

    @property
    def graficas(self) -> list[Grafica]:
        return [b for b in self.bloques if isinstance(b, Grafica)]


# --------------------------------------------------------------------------- columns and headers

# (key, span, align) of the per-unit table; the ramos table merges the first four.
_UNIT_COLS = (
    ("ramo", 1, "center"),
    ("programa", 1, "center"),
    ("proyecto", 1, "center"),
    ("unidad", 1, "left"),
)
_COUNT_COLS = (
    ("metas", 1, "right"),
    ("cumplidas", 1, "right"),
    ("rebasadas", 1, "right"),
    ("no_alcanzadas_amarillo", 1, "right"),
    ("no_alcanzadas_rojo", 1, "right"),
    ("sin_programacion", 1, "right"),
    ("proporcion", 1, "right"),
    ("semaforo", 1, "center"),
)

#: The chart's series: (name, colour, column key), in stacking order.
SERIES = (
    ("Cumplidas", Semaforo.VERDE, "cumplidas"),
    ("Rebasadas o adelantadas", Semaforo.NARANJA, "rebasadas"),
    ("No alcanzadas, 50 % o más", Semaforo.AMARILLO, "no_alcanzadas_amarillo"),
    ("No alcanzadas, menos de 50 %", Semaforo.ROJO, "no_alcanzadas_rojo"),
    ("Sin programación", Semaforo.GRIS, "sin_programacion"),
)


def _columns(spec: Sequence[tuple[str, int, str]]) -> tuple[tuple[Columna, ...], tuple[int, ...]]:
    cols, spans, start = [], [], 0
    for key, span, align in spec:
        cols.append(Columna(key, float(sum(REJILLA[start:start + span])), align))
        spans.append(span)
        start += span
    if start != len(REJILLA):
        raise AssertionError(f"table spans {start} grid columns, the grid has {len(REJILLA)}")
    return tuple(cols), tuple(spans)


def _count_header(first: int, etiqueta_total: str = "TOTAL") -> list[Encabezado]:
    return [
        Encabezado("METAS AL TRIMESTRE", 0, first, colspan=6),
        Encabezado(etiqueta_total, 1, first, rowspan=2),
        Encabezado("CUMPLIDAS", 1, first + 1, rowspan=2),
        Encabezado("REBASADAS", 1, first + 2, rowspan=2),
        Encabezado("NO ALCANZADAS", 1, first + 3, colspan=2),
        Encabezado("50 % O MÁS", 2, first + 3),
        Encabezado("MENOS DE 50 %", 2, first + 4),
        Encabezado("SIN PROGRAMACIÓN", 1, first + 5, rowspan=2),
        Encabezado("% CUMPLIDAS DE LAS PROGRAMADAS", 0, first + 6, rowspan=3),
        Encabezado("SEMÁFORO", 0, first + 7, rowspan=3),
    ]


# --------------------------------------------------------------------------- cells


def _texto(text: str, kind: str = "texto") -> Celda:
    return Celda(text, text, kind)


def _numero(n: int) -> Celda:
    return Celda(format_cantidad(Decimal(n)), Decimal(n), "cantidad")


def porcentaje_cumplidas(conteo: Conteo) -> int | None:
    """Share of the programmed goals that were cumplidas, whole percent half up; None = N/A."""
    share = conteo.proporcion_cumplidas
    return None if share is None else round_half_up(share * 100)


def _proporcion(conteo: Conteo) -> Celda:
    pct = porcentaje_cumplidas(conteo)
    if pct is None:
        return Celda("N/A", "N/A", "porcentaje")
    return Celda(f"{pct}%", Decimal(pct) / 100, "porcentaje")


def _rojas(atencion: Sequence[MetaAtencion], hoja: str | None = None) -> int:
    return sum(1 for a in atencion if a.semaforo is Semaforo.ROJO and (hoja is None or a.hoja == hoja))


def _count_cells(conteo: Conteo, rojas: int, semaforo: Semaforo) -> list[Celda]:
    return [
        _numero(conteo.metas),
        _numero(conteo.cumplidas),
        _numero(conteo.rebasadas),
        _numero(conteo.no_alcanzadas - rojas),
        _numero(rojas),
        _numero(conteo.sin_programacion),
        _proporcion(conteo),
        Celda("", None, "semaforo", semaforo),
    ]


def clave_unidad(fila: FilaUnidad) -> str:
    """The unit's key within its ramo: ``003``, ``002-PY10`` (the hoja when it has none)."""
    parts = [c.clave for c in (fila.unidad, fila.proyecto) if c and c.clave]
    return "-".join(parts) or fila.hoja


def etiqueta_unidad(fila: FilaUnidad) -> str:
    """``002-PY10 COORDINACIÓN DE DIRECTORES``: unique within the ramo, used in the table and chart."""
    descripcion = fila.unidad.descripcion if fila.unidad else ""
    return " ".join(x for x in (clave_unidad(fila), descripcion) if x)


def etiqueta_ramo(ramo: Clasificacion | None, libro: str = "") -> str:
    if ramo is None:
        return libro or "RAMO SIN CLAVE"
    return " ".join(x for x in (ramo.clave, ramo.descripcion) if x)


# --------------------------------------------------------------------------- tables


def _tabla_unidades(ramo: ResumenRamo) -> TablaResumen:
    cols, spans = _columns(_UNIT_COLS + _COUNT_COLS)
    header = [
        Encabezado("RAMO", 0, 0, rowspan=3),
        Encabezado("PROGRAMA", 0, 1, rowspan=3),
        Encabezado("PROYECTO", 0, 2, rowspan=3),
        Encabezado("UNIDAD EJECUTORA", 0, 3, rowspan=3),
        *_count_header(4),
    ]
    filas = []
    # red goals per sheet, counted once: a ramo with many units must not rescan its list per unit
    rojas = Counter(a.hoja for a in ramo.atencion if a.semaforo is Semaforo.ROJO)
    for f in ramo.filas:
        filas.append(
            FilaResumen(
                (
                    _texto(f.ramo.clave if f.ramo else "", "codigo"),
                    _texto(f.programa.clave if f.programa else "", "codigo"),
                    _texto(f.proyecto.clave if f.proyecto else "", "codigo"),
                    _texto(etiqueta_unidad(f)),
                    *_count_cells(f.conteo, rojas[f.hoja], f.semaforo),
                )
            )
        )
    total_text = "TOTAL DEL RAMO"
    filas.append(
        FilaResumen(
            (
                _texto(ramo.ramo.clave if ramo.ramo else "", "codigo"),
                _texto("", "codigo"),
                _texto("", "codigo"),
                _texto(total_text),
                *_count_cells(ramo.total, _rojas(ramo.atencion), ramo.semaforo),
            ),
            total=True,
        )
    )
    return TablaResumen("unidades", cols, spans, tuple(header), 3, tuple(filas))


def _tabla_ramos(resumen: Resumen, periodos: Sequence[General] | None = None) -> TablaResumen:
    """One row per ramo; with ``periodos`` (workbooks of different periods) each row says its own."""
    cols, spans = _columns((("ramo", 4, "left"),) + _COUNT_COLS)
    header = [Encabezado("RAMO" + (" (PERIODO)" if periodos else ""), 0, 0, rowspan=3), *_count_header(1)]
    filas = []
    for index, r in enumerate(resumen.ramos):
        etiqueta = etiqueta_ramo(r.ramo, r.libro)
        if periodos:
            etiqueta += f" ({titulo_trimestre(periodos[index].trimestre, periodos[index].ejercicio)})"
        filas.append(FilaResumen((_texto(etiqueta), *_count_cells(r.total, _rojas(r.atencion), r.semaforo))))
    rojas = sum(_rojas(r.atencion) for r in resumen.ramos)
    filas.append(FilaResumen((_texto("TOTAL DEL AYUNTAMIENTO"), *_count_cells(resumen.total, rojas, resumen.semaforo)), total=True))
    return TablaResumen("ramos", cols, spans, tuple(header), 3, tuple(filas))


def _tabla_atencion(ramos: Sequence[ResumenRamo], con_ramo: bool) -> TablaResumen:
    spec: list[tuple[str, int, str]] = []
    if con_ramo:
        spec += [("ramo", 1, "center"), ("unidad", 1, "center")]
    else:
        spec += [("unidad", 2, "center")]
    spec += [
        ("numero", 1, "center"),
        ("descripcion", 1, "left"),
        ("acumulado_relativo", 1, "right"),
        ("semaforo", 1, "center"),
        ("estatus", 1, "center"),
        ("justificacion", 5, "left"),
    ]
    cols, spans = _columns(spec)
    titles = {
        "ramo": "RAMO",
        "unidad": "UNIDAD",
        "numero": "NÚM.",
        "descripcion": "DESCRIPCIÓN DE LA META",
        "acumulado_relativo": "ACUMULADO RELATIVO",
        "semaforo": "SEMÁFORO",
        "estatus": "ESTATUS",
        "justificacion": "JUSTIFICACIÓN (OBSERVACIONES DEL LIBRO)",
    }
    header = tuple(Encabezado(titles[c.key], 0, i) for i, c in enumerate(cols))
    filas = []
    for ramo in ramos:
        claves = {f.hoja: clave_unidad(f) for f in ramo.filas}
        for a in ramo.atencion:
            values = {
                "ramo": _texto(a.ramo, "codigo"),
                "unidad": _texto(claves.get(a.hoja, a.unidad), "codigo"),
                "numero": _texto(a.numero, "codigo"),
                "descripcion": _texto(a.descripcion),
                "acumulado_relativo": _porcentaje_texto(a.porcentaje),
                "semaforo": Celda("", None, "semaforo", a.semaforo),
                "estatus": _texto(ESTATUS_TEXTO[a.estatus], "codigo"),
                "justificacion": _texto(a.justificacion or "(sin justificación)", "observaciones"),
            }
            filas.append(FilaResumen(tuple(values[c.key] for c in cols)))
    return TablaResumen("atencion", cols, spans, header, 1, tuple(filas))


def _porcentaje_texto(text: str) -> Celda:
    """ACUMULADO RELATIVO as the unit page prints it ("38%", "N/A"), typed for the XLSX."""
    if text.endswith("%") and text[:-1].lstrip("-").isdigit():
        return Celda(text, Decimal(int(text[:-1])) / 100, "porcentaje")
    return Celda(text, text, "porcentaje")


def _graficas(tabla: TablaResumen, categoria: str, titulo: str) -> list[Grafica]:
    """One chart per :data:`MAX_BARRAS` rows of ``tabla`` (its total row left out)."""
    index = {c.key: i for i, c in enumerate(tabla.columnas)}
    body = [f for f in tabla.filas if not f.total]
    charts = []
    chunks = [body[i:i + MAX_BARRAS] for i in range(0, len(body), MAX_BARRAS)] or [[]]
    for n, chunk in enumerate(chunks):
        if not chunk:
            break
        series = tuple(
            SerieGrafica(nombre, semaforo, tuple(int(f.celdas[index[key]].value) for f in chunk), index[key])  # type: ignore[arg-type]
            for nombre, semaforo, key in SERIES
        )
        suffix = f" ({n + 1} de {len(chunks)})" if len(chunks) > 1 else ""
        charts.append(
            Grafica(
                titulo + suffix,
                tuple(f.celdas[index[categoria]].text for f in chunk),
                series,
                index[categoria],
                desde=n * MAX_BARRAS,
            )
        )
    return charts


# --------------------------------------------------------------------------- texts


def _pct(n: int, d: int) -> str:
    return f"{round_half_up(Fraction(n, d) * 100)} %"


def _balance(conteo: Conteo, rojas: int) -> str:
    """``De las 19 metas programadas al trimestre se cumplieron 14 (74 %); 2 rebasadas ...``"""
    if conteo.metas == 0:
        return "No hay metas registradas."
    partes = [
        plural(conteo.rebasadas, "rebasada o adelantada", "rebasadas o adelantadas"),
        plural(conteo.no_alcanzadas, "no alcanzada", "no alcanzadas")
        + (f" ({rojas} con menos de 50 %)" if rojas else ""),
        f"{conteo.sin_programacion} sin programación",
    ]
    if conteo.programadas == 0:
        return f"Ninguna meta tenía programación al trimestre; {', '.join(partes[:-1])}."
    if conteo.programadas == 1:
        cumplidas = "se cumplió" if conteo.cumplidas else "no se cumplió"
        inicio = f"De la única meta programada al trimestre {cumplidas} ({_pct(conteo.cumplidas, 1)})"
    else:
        verbo = "se cumplió" if conteo.cumplidas == 1 else "se cumplieron"
        inicio = (
            f"De las {conteo.programadas} metas programadas al trimestre {verbo} {conteo.cumplidas} "
            f"({_pct(conteo.cumplidas, conteo.programadas)})"
        )
    return f"{inicio}; {', '.join(partes[:-1])} y {partes[-1]}."


def _atencion_texto(ramos: Sequence[ResumenRamo], consolidado: bool) -> str:
    metas = [a for r in ramos for a in r.atencion]
    if not metas:
        return "Ninguna meta está en rojo ni en naranja: no hay metas que requieran atención."
    rojas = sum(1 for a in metas if a.semaforo is Semaforo.ROJO)
    naranjas = len(metas) - rojas
    partes = []
    if rojas:
        partes.append(f"{rojas} en rojo (no alcanzadas, menos de 50 %)")
    if naranjas:
        partes.append(f"{naranjas} en naranja (rebasadas o adelantadas)")
    inicio = ("Requiere atención 1 meta" if len(metas) == 1 else f"Requieren atención {len(metas)} metas") + ": " + " y ".join(partes)
    if consolidado:
        por_ramo = [f"{r.ramo.clave if r.ramo else r.libro} ({len(r.atencion)})" for r in ramos if r.atencion]
        detalle = "Por ramo: " + ", ".join(por_ramo) + "."
    else:
        groups: dict[str, list[str]] = {}
        shown = 0
        for r in ramos:
            claves = {f.hoja: clave_unidad(f) for f in r.filas}
            for a in r.atencion[: MAX_METAS_EN_TEXTO - shown]:
                groups.setdefault(claves.get(a.hoja, a.unidad), []).append(a.numero or "s/n")
                shown += 1
        detalle = "Por unidad: " + "; ".join(f"{k} ({', '.join(v)})" for k, v in groups.items())
        detalle += ", entre otras." if len(metas) > shown else "."
    return f"{inicio}. {detalle} Su justificación está en la lista al final de este resumen."


def _leyenda(tolerancias: set[Decimal]) -> tuple[tuple[Semaforo, str], ...]:
    if len(tolerancias) == 1:
        low = format_cantidad(100 - next(iter(tolerancias)) * 100)
        verde, amarillo = f"{low} % o más de las metas programadas, cumplidas", f"50 % a menos de {low} %"
    else:
        verde = "cumplidas al menos 100 % menos la tolerancia de su libro"
        amarillo = "50 % o más, sin llegar a verde"
    return (
        (Semaforo.VERDE, verde),
        (Semaforo.AMARILLO, amarillo),
        (Semaforo.ROJO, "menos de 50 %"),
        (Semaforo.GRIS, "sin metas programadas al periodo"),
    )


NOTA = (
    "Semáforo de cada unidad, ramo y total: proporción de sus metas programadas al periodo (todas menos las "
    "«sin programación») que se cumplieron. REBASADAS incluye las adelantadas (avance sin programación al periodo). "
    "NO ALCANZADAS se divide en amarillo (50 % o más de lo programado) y rojo (menos de 50 %)."
)


# --------------------------------------------------------------------------- the page


def _periodo(g: General) -> tuple[int, int]:
    return g.ejercicio, g.trimestre


def layout_resumen(resumen: Resumen, generales: Sequence[General], faltantes: Sequence[tuple[str, str]] = ()) -> PaginaResumen:
    """The summary page of ``resumen``; ``generales`` are the GENERAL data of
    each summarised workbook, in the same order as ``resumen.ramos``.

    One ramo: its units table with the ramo's total, the chart per unit and
    the goals that need attention. Several (the Ayuntamiento): a table and a
    chart per ramo first, then the same per ramo, then one attention list.
    ``faltantes`` (code, name) are the expected ramos that did not report: named
    right after the titles. Workbooks of different periods: no book's period,
    date or ayuntamiento heads the page as the whole's; each ramo shows its own.
    """
    if len(generales) != len(resumen.ramos) or not generales:
        raise ValueError("one General per summarised workbook")
    g = generales[0]
    periodos = list(dict.fromkeys(_periodo(x) for x in generales))
    mezclados = len(periodos) > 1
    consolidado = len(resumen.ramos) > 1
    if mezclados:
        periodo_titulo = "VARIOS PERIODOS: " + ", ".join(titulo_trimestre(t, e) for e, t in periodos)
    else:
        periodo_titulo = titulo_trimestre(g.trimestre, g.ejercicio)
    ayuntamientos = list(dict.fromkeys(x.ayuntamiento for x in generales))
    titulos = (
        ayuntamientos[0] if len(ayuntamientos) == 1 else "VARIOS AYUNTAMIENTOS: " + "; ".join(ayuntamientos),
        f"PROGRAMA OPERATIVO ANUAL {g.ejercicio}" if len({x.ejercicio for x in generales}) == 1 else "PROGRAMA OPERATIVO ANUAL",
        "AVANCE FÍSICO PROGRAMÁTICO — RESUMEN" + (" DEL AYUNTAMIENTO" if consolidado else ""),
        periodo_titulo,
    )
    leyenda = _leyenda({x.tolerancia for x in generales})
    bloques: list[Bloque] = []
    unidades = sum(len(r.filas) for r in resumen.ramos)
    if faltantes:
        bloques.append(Parrafo(texto_faltantes(faltantes).upper(), "seccion", Semaforo.ROJO))
        bloques.append(Parrafo("Ramos que se esperaban en este resumen y no entregaron su libro; sus metas no están "
                               "en las cuentas.", "nota"))
    if consolidado:
        rojas = sum(_rojas(r.atencion) for r in resumen.ramos)
        bloques.append(Parrafo(f"AYUNTAMIENTO: SEMÁFORO {resumen.semaforo.value.upper()}", "seccion", resumen.semaforo))
        bloques.append(
            Parrafo(
                f"{plural(len(resumen.ramos), 'ramo')}, {plural(unidades, 'unidad', 'unidades')} y "
                f"{plural(resumen.total.metas, 'meta')}. {_balance(resumen.total, rojas)}"
            )
        )
        bloques.append(Parrafo(_atencion_texto(resumen.ramos, True)))
        tabla = _tabla_ramos(resumen, generales if mezclados else None)
        bloques.append(tabla)
        bloques.append(Parrafo(NOTA, "nota"))
        bloques.append(Leyenda(leyenda))
        bloques += _graficas(tabla, "ramo", "METAS POR ESTATUS, POR RAMO")
    for ramo, general in zip(resumen.ramos, generales, strict=True):
        nombre = etiqueta_ramo(ramo.ramo, ramo.libro)
        encabezado = f"RAMO {nombre}" if ramo.ramo else nombre
        if mezclados:
            encabezado += f" — {titulo_trimestre(general.trimestre, general.ejercicio)}, FECHA {format_fecha(general.fecha)}"
        bloques.append(Parrafo(f"{encabezado}: SEMÁFORO {ramo.semaforo.value.upper()}", "seccion", ramo.semaforo))
        texto = f"{plural(len(ramo.filas), 'unidad', 'unidades')} y {plural(ramo.total.metas, 'meta')}. {_balance(ramo.total, _rojas(ramo.atencion))}"
        bloques.append(Parrafo(texto))
        if not consolidado:
            bloques.append(Parrafo(_atencion_texto([ramo], False)))
        tabla = _tabla_unidades(ramo)
        bloques.append(tabla)
        if not consolidado:
            bloques.append(Parrafo(NOTA, "nota"))
            bloques.append(Leyenda(leyenda))
        bloques += _graficas(tabla, "unidad", "METAS POR ESTATUS, POR UNIDAD" + (f" — RAMO {nombre}" if consolidado else ""))
    bloques.append(Parrafo("METAS QUE REQUIEREN ATENCIÓN (SEMÁFORO ROJO O NARANJA)", "seccion"))
    atencion = _tabla_atencion(resumen.ramos, consolidado)
    if atencion.filas:
        bloques.append(atencion)
    else:
        bloques.append(Parrafo("Ninguna meta está en rojo ni en naranja este trimestre."))
    return PaginaResumen(
        titulos=titulos,
        clave_formato=g.clave_formato,
        fecha=format_fecha(g.fecha) if len({x.fecha for x in generales}) == 1 or not mezclados else "LA DE CADA RAMO",
        rejilla=REJILLA,
        bloques=tuple(bloques),
    )
