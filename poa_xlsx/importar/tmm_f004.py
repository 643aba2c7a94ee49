"""Import the TMM-F004 report itself, made by hand in Excel, into a capture workbook.

Each sheet of the hand-made form is one unit: title lines, the header block
(``RAMO: 59 COMISIÓN ...`` and its kin), the table with its computed columns
(ignored: the tool computes them), and the signatures side by side. The
tolerant reader of :mod:`poa_xlsx.lectura` reads all of that; what the form
has instead of a GENERAL sheet (the ayuntamiento and the year in its title,
FECHA in a cell) is found here, and the goal number written at the start of
the description (``100.- GESTIONAR ...``) goes to its own column.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re

from poa_xlsx import values as V
from poa_xlsx.celdas import column_letter
from poa_xlsx.importar.resultado import Importado, ImportarError, sheet_names
from poa_xlsx.lectura.reader import read_workbook
from poa_xlsx.model import Base, General, Meta, Origen
from poa_xlsx.text import normalize_label, one_line
from poa_xlsx.xlsx.archivo import open_workbook

_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*(?:\.-|\.|-|\))(?!\d)\s*(\S.*)$", re.DOTALL)
_EJERCICIO = re.compile(r"\bPROGRAMA OPERATIVO ANUAL\s+((?:19|20)\d\d)\b")
TITLE_ROWS = 20  # the title lines and FECHA are near the top of each sheet
REPORT_DELAY = dt.timedelta(days=45)  # a report is dated at its quarter's end or some weeks after


@dataclasses.dataclass
class _Found:
    ayuntamiento: tuple[str, Origen] | None = None
    ejercicio: tuple[int, Origen] | None = None
    fechas: list[tuple[dt.date, Origen]] = dataclasses.field(default_factory=list)


def import_tmm_f004(
    path: str | os.PathLike[str],
    *,
    ejercicio: int | None = None,
    trimestre: int | None = None,
    ayuntamiento: str | None = None,
    fecha: dt.date | None = None,
) -> Importado:
    """Read a hand-made TMM-F004 workbook. Raises :class:`ImportarError` when the period cannot be told."""
    path = os.fspath(path)
    lectura = read_workbook(path)
    problems = [p for p in lectura.problems if p.code != "hoja-general-faltante"]
    found = _titles(path, [u.sheet for u in lectura.unidades])
    notas: list[str] = []
    deducidos: list[str] = []
    g = lectura.general
    if fecha is None:
        if g is not None and "fecha" in g.origenes:
            fecha = g.fecha
        elif found.fechas:
            fecha, where = max(found.fechas, key=lambda f: f[0])
            notas.append(f"FECHA {fecha:%d/%m/%Y}, de la celda {where}.")
    if trimestre is None:
        if g is not None:
            trimestre = g.trimestre
        elif fecha is not None:
            trimestre = ((fecha - REPORT_DELAY).month - 1) // 3 + 1
            notas.append(f"Trimestre {trimestre}, deducido de la FECHA del reporte; si es otro, indique el trimestre.")
            deducidos.append("trimestre")
    if ejercicio is None:
        if g is not None:
            ejercicio = g.ejercicio
        elif found.ejercicio:
            ejercicio = found.ejercicio[0]
            notas.append(f"Ejercicio {ejercicio}, del título (celda {found.ejercicio[1]}).")
        elif fecha is not None:
            ejercicio = (fecha - REPORT_DELAY).year
            notas.append(f"Ejercicio {ejercicio}, deducido de la FECHA del reporte; si es otro, indique el ejercicio.")
            deducidos.append("ejercicio")
    if ayuntamiento is None:
        ayuntamiento = g.ayuntamiento if g is not None else (found.ayuntamiento[0] if found.ayuntamiento else "")
    if not lectura.unidades:
        raise ImportarError(
            f"«{path}» no tiene ninguna hoja con la forma del reporte TMM-F004 (encabezado con RAMO, PROGRAMA, "
            "UNIDAD EJECUTORA...; tabla de metas; firmas). Si es otro formato, impórtelo con un mapa que diga "
            "dónde está cada dato (vea docs/importar.md).",
            ajustes=("mapa",),
        )
    if trimestre is None or ejercicio is None:
        falta = " ni ".join(w for w, v in (("el trimestre", trimestre), ("el ejercicio", ejercicio)) if v is None)
        raise ImportarError(
            f"No se encontró {falta} del reporte «{path}» (ni una FECHA ni «PROGRAMA OPERATIVO ANUAL AAAA» en el "
            "título). Indique el trimestre (1 a 4) y el ejercicio, por ejemplo 2 y 2023.",
            ajustes=("trimestre", "ejercicio"),
        )
    if not 2000 <= ejercicio <= 2100:
        raise ImportarError(f"El ejercicio {ejercicio} no es válido; indique el ejercicio, un año entre 2000 y 2100.",
                            ajustes=("ejercicio",))
    general = General(
        ayuntamiento=one_line(ayuntamiento),
        ejercicio=ejercicio,
        trimestre=trimestre,
        fecha=fecha or V.last_day_of_quarter(ejercicio, trimestre),
        base=g.base if g is not None else Base.META_ANUAL,
        tolerancia=g.tolerancia if g is not None else V.parse_tolerancia("10%"),
        clave_formato=g.clave_formato if g is not None else "TMM-F004",
        correos=g.correos if g is not None else (),
    )
    names = sheet_names([u.sheet for u in lectura.unidades])
    unidades = tuple(
        dataclasses.replace(u, sheet=name, metas=tuple(_goal(m, trimestre) for m in u.metas))
        for u, name in zip(lectura.unidades, names, strict=True)
    )
    return Importado(general, unidades, tuple(problems), (), tuple(notas), tuple(deducidos))


def _goal(meta: Meta, trimestre: int) -> Meta:
    """The goal as the capture format wants it: its number in NÚM., no alcanzado 0 after the quarter."""
    numero, descripcion = meta.numero, meta.descripcion
    if not numero:
        match = _NUMBERED.match(descripcion)
        if match:
            numero, descripcion = match[1], match[2].strip()
    alcanzado = tuple(a if q < trimestre or a else None for q, a in enumerate(meta.alcanzado))
    return dataclasses.replace(meta, numero=numero, descripcion=descripcion, alcanzado=alcanzado)  # type: ignore[arg-type]


def _titles(path: str, sheets: list[str]) -> _Found:
    """The ayuntamiento, the year and FECHA from the top rows of the unit sheets."""
    found = _Found()
    with open_workbook(path) as book:
        for name in sheets:
            rows = book.sheet(name).rows[:TITLE_ROWS]
            for r, cells in enumerate(rows, start=1):
                for c, value in enumerate(cells, start=1):
                    if value is None:
                        continue
                    where = Origen(name, f"{column_letter(c)}{r}")
                    label = normalize_label(value) if isinstance(value, str) else ""
                    for line in str(value).splitlines() if isinstance(value, str) else ():
                        plain = normalize_label(line)
                        if found.ayuntamiento is None and "AYUNTAMIENTO" in plain and plain != "AYUNTAMIENTO":
                            found.ayuntamiento = (" ".join(line.split()), where)
                        year = _EJERCICIO.search(plain)
                        if year and found.ejercicio is None:
                            found.ejercicio = (int(year[1]), where)
                    if label.startswith("FECHA"):
                        _fecha(label, value, cells, r, c, where, found)
    return found


def _fecha(label: str, value: object, cells: list[object], row: int, col: int, where: Origen, found: _Found) -> None:
    """``FECHA: 30-jun.-23`` in one cell, or FECHA with the date in a cell to its right."""
    rest = str(value).split(":", 1)[1].strip() if ":" in str(value) else ""
    candidates: list[tuple[object, Origen]] = []
    if rest:
        candidates.append((rest, where))
    elif label.rstrip(":").strip() == "FECHA":
        for c in range(col + 1, min(col + 4, len(cells)) + 1):
            if cells[c - 1] is not None:
                candidates.append((cells[c - 1], Origen(where.sheet, f"{column_letter(c)}{row}")))
                break
    for candidate, origen in candidates:
        try:
            found.fechas.append((V.parse_fecha(candidate), origen))
        except V.ValueProblemError:
            continue
