"""Rules over the model: model -> list of problems, one small check per rule.

Problems found while reading (unreadable numbers, missing columns...) come
from the reader; :func:`validate` adds the rules that relate values to each
other and returns all of them, in workbook order, each once.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

from poa_xlsx.celdas import split_cell
from poa_xlsx.model import General, Meta, Origen, Unidad
from poa_xlsx.problems import Problem, Severidad, advertencia, error
from poa_xlsx.revision.compute import Cifras, CifrasPorMeta, GoalKey, compute_meta, goal_key, round_half_up
from poa_xlsx.text import shorten
from poa_xlsx.vocabulario import QUARTER_NAMES


def _fmt(number: Decimal) -> str:
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def check_programado_vs_meta(meta: Meta, general: General, cifras: Cifras) -> Iterator[Problem]:
    if meta.meta_anual is None:
        return
    total = sum(meta.programado, Decimal(0))
    if total != meta.meta_anual:
        yield advertencia(
            "programado-distinto-meta",
            meta.origen("meta_anual"),
            f"Lo programado en los cuatro trimestres suma {_fmt(total)} y la META ANUAL es {_fmt(meta.meta_anual)}. "
            "Revise que coincidan.",
        )


def check_alcanzado_en_blanco(meta: Meta, general: General, cifras: Cifras) -> Iterator[Problem]:
    for q in range(general.trimestre):
        name = f"a{q + 1}"
        if meta.alcanzado[q] is None and meta.programado[q] > 0 and name in meta.columns and name not in meta.ilegibles:
            yield advertencia(
                "alcanzado-en-blanco",
                meta.origen(f"a{q + 1}"),
                f"El alcanzado de {QUARTER_NAMES[q]} está en blanco y se tomó como 0, pero se programaron "
                f"{_fmt(meta.programado[q])}. Escriba lo alcanzado (0 si no hubo avance).",
            )


def check_valor_ignorado(meta: Meta, general: General, cifras: Cifras) -> Iterator[Problem]:
    for q in range(general.trimestre, 4):
        value = meta.alcanzado[q]
        if value:
            yield advertencia(
                "valor-ignorado",
                meta.origen(f"a{q + 1}"),
                f"Hay un alcanzado de {_fmt(value)} en {QUARTER_NAMES[q]}, trimestre posterior al reportado "
                f"({general.trimestre}); se ignora. Bórrelo o revise el TRIMESTRE de la hoja GENERAL.",
            )


def check_justificacion(meta: Meta, general: General, cifras: Cifras) -> Iterator[Problem]:
    if cifras.requiere_justificacion and not meta.observaciones.strip():
        where = meta.origen("observaciones") if "observaciones" in meta.columns else meta.origen("descripcion")
        yield advertencia(
            "justificacion-faltante",
            where,
            f"La meta {meta.numero or shorten(meta.descripcion, 30)} quedó como «{cifras.estatus.value}» "
            f"({cifras.frase}) y requiere una justificación: explique en OBSERVACIONES por qué.",
        )


def check_calculo_declarado(meta: Meta, general: General, cifras: Cifras) -> Iterator[Problem]:
    declared = meta.declarados.get("avance_absoluto")
    if declared is not None and declared != cifras.avance_absoluto:
        yield advertencia(
            "calculo-discrepante",
            meta.origen("computed:avance_absoluto"),
            f"La celda dice {_fmt(declared)} pero el AVANCE ABSOLUTO calculado es {_fmt(cifras.avance_absoluto)}; "
            "el reporte usa el calculado.",
        )
    declared = meta.declarados.get("acumulado_relativo")
    pct = cifras.porcentaje
    if declared is not None and pct is not None:
        as_fraction = round_half_up(Fraction(declared) * 100)
        as_percent = round_half_up(Fraction(declared))
        if pct not in (as_fraction, as_percent):
            yield advertencia(
                "calculo-discrepante",
                meta.origen("computed:acumulado_relativo"),
                f"La celda dice {as_fraction}% pero el ACUMULADO RELATIVO calculado es {pct}%; el reporte usa el calculado.",
            )


META_CHECKS: tuple[Callable[[Meta, General, Cifras], Iterable[Problem]], ...] = (
    check_programado_vs_meta,
    check_alcanzado_en_blanco,
    check_valor_ignorado,
    check_justificacion,
    check_calculo_declarado,
)


# FECHA may come some months after the quarter (a late report), never before it.
FECHA_MESES_DESPUES = 6


def periodo_de_fecha(ejercicio: int, trimestre: int) -> tuple[dt.date, dt.date]:
    """The dates a report of this quarter may carry: from the quarter's first day
    to the last day of the sixth month after the quarter ends."""
    first = dt.date(ejercicio, 3 * trimestre - 2, 1)
    month = 3 * trimestre + FECHA_MESES_DESPUES
    year, month = ejercicio + (month - 1) // 12, (month - 1) % 12 + 1
    return first, dt.date(year, month, calendar.monthrange(year, month)[1])


def check_fecha(general: General, *, indicada: bool = False) -> Iterator[Problem]:
    """FECHA between the quarter's first day and six months after its last day.

    ``indicada``: the date was given when the check was run (it overrides GENERAL's
    FECHA), so the problem is not located at the FECHA cell.
    """
    first, last = periodo_de_fecha(general.ejercicio, general.trimestre)
    if first <= general.fecha <= last:
        return
    celda = general.origenes.get("fecha")
    sheet = celda.sheet if celda else next((o.sheet for o in general.origenes.values()), "GENERAL")
    origen = Origen(sheet, None) if indicada or celda is None else celda
    quien = "La fecha indicada al ejecutar el comando" if indicada else "La FECHA"
    fin = dt.date(general.ejercicio, 3 * general.trimestre, calendar.monthrange(general.ejercicio, 3 * general.trimestre)[1])
    cuando = "es anterior al trimestre" if general.fecha < first else f"es de más de {FECHA_MESES_DESPUES} meses después del trimestre"
    yield error(
        "fecha-fuera-del-periodo",
        origen,
        f"{quien} {general.fecha:%d/%m/%Y} {cuando} que se reporta (ejercicio {general.ejercicio}, trimestre "
        f"{general.trimestre}, {QUARTER_NAMES[general.trimestre - 1]}). Escriba una fecha del {first:%d/%m/%Y} al "
        f"{last:%d/%m/%Y}, o déjela en blanco para usar el último día del trimestre ({fin:%d/%m/%Y}); si el "
        "ejercicio o el trimestre son los equivocados, corríjalos.",
    )


def check_trimestre_capturado(unidad: Unidad, general: General) -> Iterator[Problem]:
    """Every ALCANZADO of the reported quarter blank in a unit with something programmed
    then: the quarter was not captured (a workbook from ``plantilla --desde`` left as it came)."""
    q = general.trimestre - 1
    name = f"a{q + 1}"
    metas = [m for m in unidad.metas if name in m.columns]
    if not metas or any(m.alcanzado[q] is not None or name in m.ilegibles for m in metas):
        return
    programado = sum((m.programado[q] for m in metas), Decimal(0))
    if programado <= 0:
        return
    first = metas[0]
    column = first.columns[name]
    yield error(
        "trimestre-sin-capturar",
        first.origen(name),
        f"No se capturó lo alcanzado en el trimestre {general.trimestre}: la columna {column} "
        f"({QUARTER_NAMES[q].upper()} A) está en blanco en todas las metas de la hoja, y se programaron "
        f"{_fmt(programado)} en total. Escriba lo alcanzado de cada meta; escriba 0 donde no hubo avance.",
    )


def check_unidades_duplicadas(unidades: Iterable[Unidad]) -> Iterator[Problem]:
    seen: dict[tuple[str, str, str], Unidad] = {}
    for unidad in unidades:
        if unidad.ramo is None or unidad.unidad_ejecutora is None:
            continue
        key = (unidad.ramo.clave, unidad.unidad_ejecutora.clave, unidad.proyecto.clave if unidad.proyecto else "")
        first = seen.setdefault(key, unidad)
        if first is not unidad:
            proyecto = f", proyecto {key[2]}" if key[2] else ""
            yield error(
                "unidad-duplicada",
                unidad.unidad_ejecutora.origen,
                f"Esta hoja repite la unidad de la hoja «{first.sheet}» (ramo {key[0]}, unidad {key[1]}{proyecto}). "
                "Junte sus metas en una sola hoja o corrija la clave.",
            )


class Validacion(NamedTuple):
    """What :func:`validate` finds: every problem, and the figures it computed on the way."""

    problems: list[Problem]
    # each readable goal's figures with GENERAL's quarter, base and tolerance, for
    # compute_figures to reuse (empty when GENERAL has errors: its defaults are not the workbook's)
    cifras: CifrasPorMeta


def validate(
    unidades: Sequence[Unidad],
    general: General | None,
    *,
    leidos: Iterable[Problem] = (),
    hojas: Sequence[str] = (),
    general_valida: bool = True,
    estricto: bool = False,
    fecha_indicada: bool = False,
) -> Validacion:
    """Every problem of the workbook, each once, the reader's and the rules' alike.

    ``unidades`` and ``general`` are what was read (``general`` None when its
    quarter could not be known, and then only the rules that need none run);
    ``leidos``, the problems found while reading; ``hojas``, the workbook's sheet
    names in order, which orders the problems (then row, then column).
    ``general_valida``: GENERAL had no errors, so its FECHA is checked and the
    figures computed here are the workbook's. With ``estricto`` every warning
    counts as an error (the spec's case is a missing justification; the command
    line promises all warnings). ``fecha_indicada``: the report's date was given
    by the caller, not read from GENERAL.
    """
    problems = list(leidos)
    cifras: dict[GoalKey, Cifras] = {}
    problems.extend(check_unidades_duplicadas(unidades))
    if general is not None and general_valida:  # a valid GENERAL: its FECHA against its period
        problems.extend(check_fecha(general, indicada=fecha_indicada))
    if general is not None:
        problems.extend(_meta_problems(general, unidades, cifras if general_valida else None))
    else:  # no quarter: only the rules that need none
        for unidad in unidades:
            for meta in unidad.metas:
                if not meta.ilegibles:
                    problems.extend(check_programado_vs_meta(meta, None, None))  # type: ignore[arg-type]
    if estricto:
        problems = [Problem(p.code, Severidad.ERROR, p.origen, p.mensaje) for p in problems]
    return Validacion(sort_problems(_unique(problems), hojas), cifras)


def sort_problems(problems: Iterable[Problem], sheet_names: Iterable[str] = ()) -> list[Problem]:
    """Problems in workbook order: by sheet, then row, then column (a whole sheet's first)."""
    order = {name: i for i, name in enumerate(sheet_names)}
    places: dict[str | None, tuple[int, int]] = {}  # cell -> (row, column): many problems share a cell or a row

    def key(p: Problem) -> tuple[int, int, int]:
        place = places.get(p.origen.cell)
        if place is None:
            try:
                place = split_cell(p.origen.cell or "")
            except ValueError:
                place = (0, 0)
            places[p.origen.cell] = place
        return order.get(p.origen.sheet, len(order)), place[0], place[1]

    return sorted(problems, key=key)


def _meta_problems(g: General, unidades: Iterable[Unidad], computed: dict[GoalKey, Cifras] | None) -> Iterator[Problem]:
    for unidad in unidades:
        sin_capturar = list(check_trimestre_capturado(unidad, g))
        yield from sin_capturar
        for meta in unidad.metas:
            if meta.ilegibles:
                continue  # its figures would be wrong; the unreadable cell is reported already
            cifras = compute_meta(meta, g.trimestre, g.base, g.tolerancia)
            if computed is not None:
                computed[goal_key(meta)] = cifras
            for check in META_CHECKS:
                for problem in check(meta, g, cifras):
                    # the quarter's blank cells are one error for the unit, not a warning each; and
                    # until it is captured, its statuses (so their justifications) mean nothing
                    if not (sin_capturar and (problem.code == "justificacion-faltante" or (
                            problem.code == "alcanzado-en-blanco" and problem.origen == meta.origen(f"a{g.trimestre}")))):
                        yield problem


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str | None, str]] = set()
    result = []
    for p in problems:
        key = (p.code, p.origen.sheet, p.origen.cell, p.mensaje)  # strings hash in C; an Origen in Python
        if key not in seen:
            seen.add(key)
            result.append(p)
    return result


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.es_error for p in problems)
