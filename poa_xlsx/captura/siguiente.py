"""Next quarter's capture workbook, or a new year's, from the previous one.

:func:`make_next_quarter` reads a previous workbook through
:func:`poa_xlsx.lectura.reader.read_workbook` and writes the same units,
goals, programado, alcanzado and signatures in the template's layout, with
TRIMESTRE advanced by one (or, with a new ``ejercicio``, a new year's
workbook at TRIMESTRE 1). :func:`make_libro` writes a workbook holding a read
or imported book exactly as it is. The rules of what is carried over live
here; the workbook itself is written by :mod:`.plantilla`.
"""
from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from poa_xlsx.captura.plantilla import (
    CLASSIFICATION_ROWS,
    GeneralData,
    GoalData,
    Plantilla,
    PlantillaCapturaError,
    UnitData,
    check_general,
    write_capture_workbook,
)
from poa_xlsx.model import General, Meta, Unidad
from poa_xlsx.vocabulario import LEYENDAS, QUARTER_NAMES, ROLES

# Reader problems after which a value cannot be carried over as it was typed.
BLOCKING_CODES = frozenset({"numero-invalido", "numero-negativo", "formula-sin-valor", "sin-tabla", "columna-faltante",
                            # data the reader found outside the table, or a sheet it could not read as a unit:
                            # the new workbook would lose it (issue #11)
                            "fila-despues-de-firmas", "fila-en-encabezado", "hoja-no-es-unidad",
                            "libro-no-es-de-captura"})


def make_next_quarter(
    path: str | os.PathLike[str],
    *,
    ejercicio: int | None = None,
    ayuntamiento: str | None = None,
) -> Plantilla:
    """Next quarter's capture workbook from the previous one at ``path``.

    Units, classification, goals, programado, alcanzado up to the previous
    TRIMESTRE and signatures are carried over; TRIMESTRE goes up by one and
    FECHA is left blank (the new quarter's last day); alcanzado from the new quarter
    on is blank. The previous OBSERVACIONES are not carried over as text
    (they justified the previous quarter) but kept as a note on the cell.

    With an ``ejercicio`` later than the workbook's, the result is a new
    year's workbook at TRIMESTRE 1: same units, classification, goals and
    signatures, with META ANUAL, programado, alcanzado and observaciones blank
    (last year's figures are kept as notes on the META ANUAL cells).

    The file at ``path`` is only read. Raises :class:`PlantillaCapturaError`
    when it has errors that would lose data, or when it is of the fourth
    quarter and no new ``ejercicio`` is given.
    """
    from poa_xlsx.lectura.reader import read_workbook

    path = os.fspath(path)
    lectura = read_workbook(path)
    libro = lectura.libro
    blocking = [p for p in lectura.problems if p.es_error and (libro is None or p.code in BLOCKING_CODES)]
    if libro is None or blocking:
        shown = blocking[:5] or [p for p in lectura.problems if p.es_error][:5]
        lines = "\n".join(f"  {p}" for p in shown)
        more = len(blocking) - len(shown)
        raise PlantillaCapturaError(
            f"No se puede preparar el trimestre siguiente a partir de «{path}» porque tiene errores que "
            f"impiden leerlo completo:\n{lines}"
            + (f"\n  ... y {more} más." if more > 0 else "")
            + f"\nCorríjalos (véalos todos con: poa-render validar {path}) y vuelva a intentarlo."
        )
    g = libro.general
    new_year = ejercicio is not None and ejercicio != g.ejercicio
    if new_year:
        assert ejercicio is not None
        if ejercicio < g.ejercicio:
            raise PlantillaCapturaError(
                f"El libro «{path}» es del ejercicio {g.ejercicio}; el ejercicio nuevo debe ser posterior "
                f"(por ejemplo {g.ejercicio + 1}).",
                ejercicio_nuevo=g.ejercicio + 1,
            )
        check_general(ejercicio, 1)
        new_ejercicio, new_trimestre = ejercicio, 1
    else:
        if g.trimestre == 4:
            raise PlantillaCapturaError(
                f"El libro «{path}» es del cuarto trimestre de {g.ejercicio}: no hay trimestre siguiente en ese "
                f"ejercicio. Para empezar el ejercicio {g.ejercicio + 1} con las mismas unidades, metas y firmas, "
                f"indique el ejercicio nuevo, por ejemplo {g.ejercicio + 1}.",
                ejercicio_nuevo=g.ejercicio + 1,
            )
        new_ejercicio, new_trimestre = g.ejercicio, g.trimestre + 1
    general = GeneralData(
        ayuntamiento=(ayuntamiento if ayuntamiento is not None else g.ayuntamiento).strip(),
        ejercicio=new_ejercicio,
        trimestre=new_trimestre,
        base=g.base.etiqueta,
        tolerancia=g.tolerancia,
        clave_formato=g.clave_formato,
        correos="; ".join(g.correos),
    )
    units = [_unit_data(u, g.trimestre, g.ejercicio, new_year) for u in libro.unidades]
    data = write_capture_workbook(general, units)
    return Plantilla(data, new_ejercicio, new_trimestre, len(units), sum(len(u.metas) for u in units))


def next_quarter(path: str | os.PathLike[str], **kwargs: Any) -> bytes:
    """The bytes of :func:`make_next_quarter`'s workbook."""
    return make_next_quarter(path, **kwargs).data


def make_libro(general: General, unidades: list[Unidad]) -> Plantilla:
    """A capture workbook holding exactly these units and goals, as they are.

    For workbooks imported from another layout: programado, alcanzado and
    OBSERVACIONES are written as given (nothing dropped, nothing moved to a
    note); the reader and ``validar`` then judge them like any capture workbook.
    """
    check_general(general.ejercicio, general.trimestre)
    data = GeneralData(
        ayuntamiento=general.ayuntamiento,
        ejercicio=general.ejercicio,
        trimestre=general.trimestre,
        fecha=general.fecha,
        base=general.base.etiqueta,
        tolerancia=general.tolerancia,
        clave_formato=general.clave_formato,
        correos="; ".join(general.correos),
    )
    units = []
    for unidad in unidades:
        unit = _unit_data(unidad, general.trimestre, general.ejercicio, new_year=False)
        unit.metas = [
            GoalData(
                linea_accion=" ".join(m.lineas_accion),
                numero=m.numero,
                descripcion=m.descripcion,
                unidad_medida=m.unidad_medida,
                meta_anual=m.meta_anual,
                programado=tuple(m.programado),
                alcanzado=tuple(m.alcanzado),
                observaciones=m.observaciones,
            )
            for m in unidad.metas
        ]
        units.append(unit)
    return Plantilla(write_capture_workbook(data, units), general.ejercicio, general.trimestre, len(units),
                     sum(len(u.metas) for u in units))


def _fmt(number: Decimal | None) -> str:
    if number is None:
        return "en blanco"
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unit_data(unidad: Unidad, trimestre: int, ejercicio: int, new_year: bool) -> UnitData:
    clasificacion = {}
    for name, _label, _required in CLASSIFICATION_ROWS:
        value = getattr(unidad, name)
        if value is not None:
            clasificacion[name] = (value.clave, value.descripcion)
    firmas = {rol: ("", "", LEYENDAS[rol]) for rol in ROLES}
    for firma in unidad.firmas:
        firmas[firma.rol] = (firma.nombre, firma.cargo, firma.leyenda)
    return UnitData(
        sheet=unidad.sheet,
        clasificacion=clasificacion,
        ejes=[(c.clave, c.descripcion) for c in unidad.ejes],
        lineas=[(c.clave, c.descripcion) for c in unidad.lineas_accion],
        metas=[_goal_data(m, trimestre, ejercicio, new_year) for m in unidad.metas],
        firmas=firmas,
    )


def _goal_data(meta: Meta, trimestre: int, ejercicio: int, new_year: bool) -> GoalData:
    goal = GoalData(
        linea_accion=" ".join(meta.lineas_accion),
        numero=meta.numero,
        descripcion=meta.descripcion,
        unidad_medida=meta.unidad_medida,
    )
    if new_year:
        plan = " / ".join(_fmt(p) for p in meta.programado)
        goal.notes["meta_anual"] = (
            f"En {ejercicio}: META ANUAL {_fmt(meta.meta_anual)}; programado por trimestre {plan}. "
            "Escriba la meta y lo programado autorizados para el ejercicio nuevo."
        )
        return goal
    goal.meta_anual = meta.meta_anual
    # A blank P and a 0 mean the same (spec 4.3); blank keeps the sheet as people type it.
    goal.programado = tuple(p if p else None for p in meta.programado)
    # Alcanzado after the reported quarter was ignored (and warned about): it starts blank.
    goal.alcanzado = tuple(a if q < trimestre else None for q, a in enumerate(meta.alcanzado))
    if meta.observaciones:
        goal.notes["observaciones"] = (
            f"Observación del trimestre anterior ({QUARTER_NAMES[trimestre - 1]} {ejercicio}), por si sigue "
            f"valiendo:\n{meta.observaciones}"
        )
    return goal
