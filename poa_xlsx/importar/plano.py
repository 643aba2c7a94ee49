"""Import with a map: one goal per row, on a flat sheet (unit in a column) or one unit per sheet.

The source is read with the package's own safe parser (:mod:`poa_xlsx.xlsx`).
Every row with data ends up as a goal, or as a located problem saying why it
could not be placed, or in the list of rows the map said to skip: never
dropped without a word.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from poa_xlsx import values as V
from poa_xlsx import vocabulario as W
from poa_xlsx.celdas import column_letter
from poa_xlsx.importar.mapa import Mapa, MapaError, UnidadMapa, Valor
from poa_xlsx.importar.resultado import Importado, ImportarError, sheet_names
from poa_xlsx.model import Clasificacion, Firma, General, Meta, Origen, Unidad
from poa_xlsx.problems import Problem, advertencia, error
from poa_xlsx.text import clean_text, normalize_label, one_line
from poa_xlsx.xlsx.archivo import SheetData, open_workbook

_LETTERS = re.compile(r"^[A-Z]{1,3}$")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


@dataclass
class _Acc:
    """One unit while its rows are read."""

    name: str
    sheet: str  # source sheet
    metas: list[Meta] = field(default_factory=list)
    clasificacion: dict[str, Valor | list[Valor]] = field(default_factory=dict)
    origenes: dict[str, Origen] = field(default_factory=dict)


class _Columns:
    """The map's column references resolved against one source sheet."""

    def __init__(self, mapa: Mapa, data: SheetData) -> None:
        self.mapa = mapa
        self.sheet = data.name
        cells = data.rows[mapa.fila_titulos - 1] if len(data.rows) >= mapa.fila_titulos else []
        self.titles: dict[str, list[int]] = {}
        self.shown: list[str] = []  # as written, for messages
        for col, value in enumerate(cells, start=1):
            label = normalize_label(value)
            if label:
                self.titles.setdefault(label, []).append(col)
                self.shown.append(one_line(value))

    def find(self, key: str, ref: str) -> int:
        """The column number of ``ref`` (a title, or a letter with ``columnas_por = "letra"``)."""
        if self.mapa.por_letra:
            if not _LETTERS.match(ref.upper()):
                raise MapaError(
                    f"En el mapa «{self.mapa.path}», {key} = «{ref}» no es una letra de columna (A, B, ... AA); "
                    "con columnas_por = \"letra\" todas las columnas se nombran por su letra."
                )
            return column_number(ref)
        cols = self.titles.get(normalize_label(ref))
        if not cols:
            shown = ", ".join(f"«{t}»" for t in self.shown[:40]) or "ninguno"
            raise MapaError(
                f"El mapa «{self.mapa.path}» dice {key} = «{ref}», pero la hoja «{self.sheet}» no tiene esa columna "
                f"en la fila {self.mapa.fila_titulos} (la fila de títulos). Títulos encontrados: {shown}. Corrija el "
                "mapa, o indique otra fila con [origen] fila_titulos."
            )
        if len(cols) > 1:
            letters = " y ".join(column_letter(c) for c in cols)
            raise MapaError(
                f"El mapa «{self.mapa.path}» dice {key} = «{ref}», pero ese título está en las columnas {letters} de la "
                f"hoja «{self.sheet}». Cambie uno de los títulos, o nombre las columnas por su letra "
                "([origen] columnas_por = \"letra\")."
            )
        return cols[0]


def import_with_map(path: str | os.PathLike[str], mapa: Mapa) -> Importado:
    """Read ``path`` as ``mapa`` describes it. Raises :class:`MapaError` for a map that does not fit the source."""
    path = os.fspath(path)
    problems: list[Problem] = []
    omitidas: list[Origen] = []
    units: dict[str, _Acc] = {}
    with open_workbook(path) as book:
        visible = [n for n in book.sheet_names if not book.is_hidden(n)]
        if mapa.por_hoja:
            names = list(mapa.hojas) or [n for n in visible if W.sheet_kind(n) == "unidad"]
        else:
            names = [mapa.hoja] if mapa.hoja else visible[:1]
        for name in names:
            if name not in book.sheet_names:
                raise MapaError(
                    f"El mapa «{mapa.path}» nombra la hoja «{name}», que el libro «{path}» no tiene. Sus hojas son: "
                    + ", ".join(f"«{n}»" for n in book.sheet_names) + "."
                )
        for name in names:
            _read_sheet(book.sheet(name), mapa, units, problems, omitidas)
    if not units and not problems:
        raise ImportarError(
            f"No se encontró ninguna meta en «{path}» con el mapa «{mapa.path}»: revise [origen] fila_titulos y "
            "primera_fila, y las columnas del mapa."
        )
    general = General(
        ayuntamiento=mapa.ayuntamiento,
        ejercicio=mapa.ejercicio,
        trimestre=mapa.trimestre,
        fecha=mapa.fecha or V.last_day_of_quarter(mapa.ejercicio, mapa.trimestre),
        base=mapa.base,
        tolerancia=mapa.tolerancia,
        clave_formato=mapa.clave_formato,
        correos=mapa.correos,
    )
    notas = [
        f"La unidad «{name}» del mapa no tiene ninguna fila en el origen; no se creó su hoja."
        for name in mapa.unidades
        if name not in {normalize_label(u) for u in units}
    ]
    return Importado(general, _units(mapa, list(units.values())), tuple(problems), tuple(omitidas), tuple(notas))


def _read_sheet(data: SheetData, mapa: Mapa, units: dict[str, _Acc], problems: list[Problem], omitidas: list[Origen]) -> None:
    cols = _Columns(mapa, data)
    goal = {key: cols.find(f"columnas.{key}", ref) for key, ref in mapa.columnas.items()}
    quarters = {
        kind: [[cols.find(f"columnas.{kind}", ref) for ref in refs] for refs in spec]
        for kind, spec in (("p", mapa.programado), ("a", mapa.alcanzado))
    }
    clasif_cols = {key: cols.find(f"columnas.{key}", ref) for key, ref in mapa.clasificacion_columnas.items()}
    unit_col = cols.find("unidad.columna", mapa.columna_unidad) if mapa.columna_unidad else None
    sheet_unit = one_line(_cell(data, mapa.celda_unidad)) if mapa.celda_unidad else data.name
    used_cols = set(goal.values()) | {c for spec in quarters.values() for q in spec for c in q} | set(clasif_cols.values())
    if unit_col:
        used_cols.add(unit_col)
    first = mapa.primera_fila or mapa.fila_titulos + 1
    last = min(mapa.ultima_fila or len(data.rows), len(data.rows))

    def origen(row: int, col: int) -> Origen:
        return Origen(data.name, f"{column_letter(col)}{row}")

    for row in range(first, last + 1):
        cells = data.rows[row - 1]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        descripcion = clean_text(_at(cells, goal["descripcion"]))
        first_text = next((normalize_label(v) for v in cells if isinstance(v, str) and v.strip()), "")
        if mapa.omitir and any(normalize_label(descripcion).startswith(t) or first_text.startswith(t) for t in mapa.omitir):
            omitidas.append(origen(row, 1))
            continue
        unit = one_line(_at(cells, unit_col)) if unit_col else sheet_unit
        why = []
        if not unit:
            why.append(f"no dice a qué unidad pertenece (la columna {column_letter(unit_col or 1)} está vacía)")
        if not descripcion:
            why.append(f"no tiene descripción (columna {column_letter(goal['descripcion'])})")
        if why:
            where = unit_col if not unit and unit_col else goal["descripcion"]
            extra = [c for c in range(1, len(cells) + 1) if c not in used_cols and cells[c - 1] is not None]
            hint = (" Si no es una meta (un título o un total), agregue el texto con que empieza a [origen] omitir "
                    "en el mapa." if descripcion or extra or not unit else "")
            problems.append(
                error("fila-no-importada", origen(row, where), f"La fila {row} no se importó: {' y '.join(why)}.{hint}")
            )
            continue
        before = len(problems)
        meta_anual = _number(data.name, row, cells, goal["meta_anual"], problems)
        sums: dict[str, list[Decimal | None]] = {}
        for kind, spec in quarters.items():
            sums[kind] = []
            for cols_q in spec:
                values = [_number(data.name, row, cells, c, problems) for c in cols_q]
                present = [v for v in values if v is not None]
                sums[kind].append(sum(present, Decimal(0)) if present else None)
        if len(problems) > before:
            continue  # reported at each unreadable cell; the row is not placed
        alcanzado = [a if q < mapa.trimestre or a else None for q, a in enumerate(sums["a"])]
        acc = units.get(unit)
        if acc is None:
            acc = units[unit] = _Acc(unit, data.name)
            for key, col in clasif_cols.items():
                value = _at(cells, col)
                if value is not None:
                    parsed = _valor(value)
                    acc.clasificacion[key] = [parsed] if key in ("ejes", "lineas_accion") else parsed
                    acc.origenes[key] = origen(row, col)
            for key, cell in mapa.celdas.items():
                value = _cell(data, cell)
                if value is not None:
                    parsed = _valor(value)
                    acc.clasificacion[key] = [parsed] if key in ("ejes", "lineas_accion") else parsed
                    acc.origenes[key] = Origen(data.name, cell)
        linea = clean_text(_at(cells, goal["linea_accion"])) if "linea_accion" in goal else ""
        acc.metas.append(
            Meta(
                sheet=data.name,
                row=row,
                lineas_accion=tuple(p for p in re.split(r"[\s,;]+", linea) if p),
                numero=one_line(V.parse_code(_at(cells, goal["numero"]))) if "numero" in goal else "",
                descripcion=descripcion,
                unidad_medida=one_line(_at(cells, goal["unidad_medida"])),
                meta_anual=meta_anual,
                programado=tuple(p or Decimal(0) for p in sums["p"]),  # type: ignore[arg-type]
                alcanzado=tuple(alcanzado),  # type: ignore[arg-type]
                observaciones=clean_text(_at(cells, goal["observaciones"])) if "observaciones" in goal else "",
            )
        )
        ignored = [c for c in range(1, len(cells) + 1) if c not in used_cols and isinstance(cells[c - 1], (int, float))
                   and not isinstance(cells[c - 1], bool)]
        if ignored and row == first:
            letters = ", ".join(column_letter(c) for c in ignored[:8])
            problems.append(
                advertencia(
                    "celda-ignorada",
                    origen(row, ignored[0]),
                    f"Las columnas {letters} tienen números y el mapa no las usa; si alguna es una cifra de las metas, "
                    "agréguela al mapa.",
                )
            )


def _number(sheet: str, row: int, cells: list[object], col: int, problems: list[Problem]) -> Decimal | None:
    """A quantity of the source, or None; an unreadable one is reported at its cell."""
    try:
        return V.parse_number(_at(cells, col))
    except V.ValueProblemError as exc:
        problems.append(error(exc.code, Origen(sheet, f"{column_letter(col)}{row}"), exc.mensaje + " (en el libro de origen)"))
        return None


def _at(cells: list[object], col: int | None) -> object:
    if col is None or col > len(cells):
        return None
    value = cells[col - 1]
    return None if isinstance(value, str) and not value.strip() else value


def _cell(data: SheetData, ref: str) -> object:
    match = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref.strip().upper())
    if not match:
        raise MapaError(f"«{ref}» no es una celda (como B3).")
    row = int(match[2])
    return _at(data.rows[row - 1], column_number(match[1])) if row <= len(data.rows) else None


def _valor(value: object) -> Valor:
    if isinstance(value, str):
        return W.split_code(value)
    return V.parse_code(value), ""


def _units(mapa: Mapa, accs: list[_Acc]) -> tuple[Unidad, ...]:
    specs = [mapa.unidades.get(normalize_label(a.name), UnidadMapa()) for a in accs]
    wanted = [spec.hoja or _sheet_title(acc, spec) for acc, spec in zip(accs, specs, strict=True)]
    unidades = []
    for acc, spec, sheet in zip(accs, specs, sheet_names(wanted), strict=True):
        values = {**mapa.clasificacion, **acc.clasificacion, **spec.clasificacion}
        one = _one_value(values, acc)
        many = _many_values(values, acc)

        firmas = {**mapa.firmas, **spec.firmas}
        unidades.append(
            Unidad(
                sheet=sheet,
                ramo=one("ramo"),
                programa=one("programa"),
                proyecto=one("proyecto"),
                unidad_ejecutora=one("unidad_ejecutora"),
                finalidad=one("finalidad"),
                funcion=one("funcion"),
                subfuncion=one("subfuncion"),
                ejes=many("ejes"),
                lineas_accion=many("lineas_accion"),
                firmas=tuple(Firma(rol, *firmas[rol], Origen(acc.sheet)) for rol in W.ROLES if rol in firmas),
                metas=tuple(acc.metas),
            )
        )
    return tuple(unidades)


def _one_value(values: dict[str, Valor | list[Valor]], acc: _Acc) -> Callable[[str], Clasificacion | None]:
    def one(key: str) -> Clasificacion | None:
        value = values.get(key)
        if not value or isinstance(value, list):
            return None
        return Clasificacion(value[0], value[1], acc.origenes.get(key, Origen(acc.sheet)))

    return one


def _many_values(values: dict[str, Valor | list[Valor]], acc: _Acc) -> Callable[[str], tuple[Clasificacion, ...]]:
    def many(key: str) -> tuple[Clasificacion, ...]:
        value = values.get(key) or []
        items = value if isinstance(value, list) else [value]
        return tuple(Clasificacion(c, d, acc.origenes.get(key, Origen(acc.sheet))) for c, d in items)

    return many


def _sheet_title(acc: _Acc, spec: UnidadMapa) -> str:
    """``101 DIRECCIÓN GENERAL``-like names: the unit's code, then its name."""
    ue = spec.clasificacion.get("unidad_ejecutora") or acc.clasificacion.get("unidad_ejecutora")
    if ue and not isinstance(ue, list) and ue[0] and not acc.name.startswith(ue[0]):
        return f"{ue[0]} {acc.name}"
    return acc.name
