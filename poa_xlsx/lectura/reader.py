"""The only module that opens a workbook: path -> model plus located problems.

Implements ``shared/spec/input-workbook.md``: the GENERAL sheet, the unit
sheets' header block, the goals table with one-, two- or three-row headers,
signatures above or below the table, and cell values.

The workbook's cells, merged ranges and formulas without a cached value come
from :mod:`poa_xlsx.xlsxfile` (file checks and limits), which parses the sheet
XML with :mod:`poa_xlsx.xlsxparse`.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import pickle
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from poa_xlsx import parallel
from poa_xlsx import values as V
from poa_xlsx import vocabulario as W
from poa_xlsx.celdas import column_letter
from poa_xlsx.model import Base, Clasificacion, Firma, General, Libro, Meta, Origen, Unidad
from poa_xlsx.problems import LibroError, Problem, advertencia, error
from poa_xlsx.text import clean_text, normalize_label, one_line, shorten
from poa_xlsx.xlsx.archivo import Book, SheetData, open_workbook

# The capture format's words live in vocabulario (one place for the header
# detector, the column parser, the template and the report); the names below
# stay importable from here.
GENERAL_SHEETS = W.GENERAL_SHEETS
IGNORED_SHEETS = W.IGNORED_SHEETS
CLASSIFICATION_LABELS = W.CLASSIFICATION_LABELS
REQUIRED_CLASSIFICATION = W.REQUIRED_CLASSIFICATION
REPEATABLE = W.REPEATABLE
FIELD_NAMES = W.FIELD_NAMES
DEFAULT_LEYENDAS = W.LEYENDAS
TABLE_FIELDS = W.TABLE_FIELDS
REQUIRED_COLUMNS = W.REQUIRED_COLUMNS


@dataclass
class _Reading:
    """Mutable state while one workbook is read."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)


class _Sheet:
    """A sheet's cells by (row, column), 1-based, plus what the XML told."""

    def __init__(self, data: SheetData, reading: _Reading) -> None:
        self.name = data.name
        self.rows = data.rows
        self.merges = data.merges
        self.formulas_sin_valor = data.formulas_sin_valor
        self.percent_cells = data.percent_cells
        self.reading = reading
        self._reported: set[tuple[int, int]] = set()

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int, *, report: bool = True) -> object:
        """The cell's value; a formula without cached value is reported (once) unless ``report`` is false."""
        if row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        if col < 1 or col > len(cells):
            return None
        value = cells[col - 1]
        if report and value is None and (row, col) in self.formulas_sin_valor and (row, col) not in self._reported:
            self._reported.add((row, col))
            self.reading.add(
                error(
                    "formula-sin-valor",
                    self.origen(row, col),
                    "La celda tiene una fórmula sin valor calculado (el archivo lo generó un programa y nunca se "
                    "abrió en Excel). Ábralo en Excel o LibreOffice, guárdelo y vuelva a intentarlo, o escriba el valor.",
                )
            )
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def origen(self, row: int, col: int) -> Origen:
        return Origen(self.name, f"{column_letter(col)}{row}")

    def is_percent(self, row: int, col: int) -> bool:
        return (row, col) in self.percent_cells

    def row_is_blank(self, row: int, ignored: frozenset[int] = frozenset()) -> bool:
        """No value in the row, counting neither the columns in ``ignored`` (1-based)."""
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else ()
        return all(
            v is None or (isinstance(v, str) and not v.strip()) or c in ignored for c, v in enumerate(cells, start=1)
        ) and not any((row, c) in self.formulas_sin_valor and c not in ignored for c in range(1, len(cells) + 1))

    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


# ---------------------------------------------------------------------------
# public entry point


@dataclass(frozen=True)
class Lectura:
    """What reading a workbook gives: the model (when GENERAL allows one) and problems."""

    libro: Libro | None
    problems: tuple[Problem, ...]
    sheet_names: tuple[str, ...] = ()
    # Also when there is no libro because GENERAL has errors, so that the unit
    # sheets' rules can still be checked: every unit sheet read, and GENERAL
    # with defaults in place of invalid optional values (None if AYUNTAMIENTO,
    # EJERCICIO or TRIMESTRE is missing or invalid).
    unidades: tuple[Unidad, ...] = ()
    general: General | None = None


def read_workbook(
    path: str,
    *,
    trimestre: int | None = None,
    base: Base | None = None,
    fecha: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Lectura:
    """Read a capture workbook.

    Raises :class:`~poa_xlsx.problems.LibroError` when the file cannot be read
    at all; every data problem is returned in ``Lectura.problems`` instead.
    ``trimestre``, ``base`` and ``fecha`` override the GENERAL sheet.
    Any other exception while reading is this workbook's problem too (a
    :class:`LibroError` "archivo-danado", the exception chained), so that a
    caller reading several workbooks goes on with the others.
    """
    try:
        return _read_workbook(path, trimestre=trimestre, base=base, fecha=fecha, progress=progress)
    except LibroError:
        raise
    except MemoryError as exc:
        raise LibroError(str(path), "El archivo es demasiado grande para procesarlo.", "archivo-demasiado-grande") from exc
    except Exception as exc:
        detail = " ".join(str(exc).split())[:120]
        raise LibroError(
            str(path),
            f"El archivo está dañado o tiene algo que Excel no escribe, y no se pudo leer ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}). Ábralo en Excel, guárdelo de nuevo como «Libro de Excel (.xlsx)» "
            "y vuelva a intentarlo; si sigue igual, envíelo a quien le da soporte.",
            "archivo-danado",
        ) from exc


def _read_workbook(
    path: str,
    *,
    trimestre: int | None,
    base: Base | None,
    fecha: dt.date | None,
    progress: Callable[[int, int], None] | None,
) -> Lectura:
    reading = _Reading()
    with open_workbook(path) as book:
        names = book.sheet_names
        general_name = next((n for n in names if W.sheet_kind(n) == "general"), None)
        unit_names = [n for n in names if W.sheet_kind(n) == "unidad" and not book.is_hidden(n)]
        general: General | None = None
        general_ok = False
        if general_name is None:
            reading.add(
                error(
                    "hoja-general-faltante",
                    Origen(names[0] if names else "GENERAL", "A1"),
                    "El libro no tiene hoja GENERAL. Agregue una hoja llamada GENERAL con AYUNTAMIENTO, "
                    "EJERCICIO y TRIMESTRE en la columna A y sus valores en la columna B. Si es un reporte TMM-F004 "
                    "hecho a mano, conviértalo en libro de captura con «poa-render importar», como reporte TMM-F004 hecho a "
                    "mano (vea docs/importar.md).",
                )
            )
        else:
            general, general_ok = _read_general(_Sheet(book.sheet(general_name, formats=True), reading), trimestre, base, fecha)
        if not unit_names:
            reading.add(
                error(
                    "sin-unidades",
                    Origen(general_name or (names[0] if names else "GENERAL"), "A1"),
                    "El libro no tiene ninguna hoja de unidad ejecutora. Agregue una hoja por unidad "
                    "(copie una hoja de unidad y cambie sus datos).",
                )
            )
        unidades = _read_units(book, unit_names, reading, progress)
    if unit_names and not unidades:
        _no_sheet_is_a_unit(reading, unit_names)
    libro = Libro(path=str(path), general=general, unidades=tuple(unidades)) if general and general_ok else None
    return Lectura(
        libro=libro,
        problems=tuple(reading.problems),
        sheet_names=tuple(names),
        unidades=tuple(unidades),
        general=general,
    )


def _no_sheet_is_a_unit(reading: _Reading, names: list[str]) -> None:
    """One error for a workbook none of whose sheets looks like a unit, instead of one per sheet."""
    reading.problems = [
        p for p in reading.problems if p.code not in ("hoja-no-es-unidad", "hoja-vacia", "hoja-general-faltante")
    ]
    reading.problems.insert(
        0,
        error(
            "libro-no-es-de-captura",
            Origen(names[0], "A1"),
            "Este libro no parece un libro de captura del TMM-F004: ninguna hoja tiene el encabezado de una unidad "
            "(RAMO, PROGRAMA, UNIDAD EJECUTORA... en la columna A), la tabla de metas (DESCRIPCIÓN DE METAS Y "
            "ACCIONES, UNIDAD DE MEDIDA, META ANUAL y los trimestres con P y A) ni las firmas (ELABORÓ, REVISÓ, "
            "AUTORIZÓ). Cree un libro de captura con «poa-render plantilla» y copie ahí sus datos, o conviértalo "
            "con «poa-render importar», con un mapa que diga dónde está cada dato o como reporte TMM-F004 hecho "
            "a mano (vea docs/importar.md).",
        ),
    )


PARALLEL_MIN_UNITS = 32  # fewer unit sheets are read faster in one process than split between two


def _read_units(
    book: Book, names: list[str], reading: _Reading, progress: Callable[[int, int], None] | None
) -> list[Unidad]:
    """The unit sheets in order; with many of them, the second half read by a forked child.

    Whatever the split, the units, the problems (in order) and any error are
    those of reading every sheet here one after the other: the child's work is
    used only if it read its sheets without error and within MAX_SLOTS counted
    over the whole workbook; otherwise its sheets are read here again.
    """
    total = len(names)
    half = _halfway(book, names) if total >= PARALLEL_MIN_UNITS else total
    forked = parallel.fork_call(lambda: _read_pickled(book, names[half:])) if half < total else None
    if forked is None:
        half = total
    unidades: list[Unidad | None] = []  # None: a sheet that is no unit (reported)
    with forked or contextlib.nullcontext():
        for index, name in enumerate(names[:half], start=1):
            unidades.append(_read_unit(_Sheet(book.sheet(name), reading)))
            if progress:
                progress(index, total)
        data = forked.result() if forked else None
    done = pickle.loads(data) if data else None
    if done is not None and book.add_slots(done[2]):
        units, problems, _slots = done
        unidades += units
        reading.problems += problems
        if progress:
            progress(total, total)
        return [u for u in unidades if u is not None]
    for index, name in enumerate(names[half:], start=half + 1):
        unidades.append(_read_unit(_Sheet(book.sheet(name), reading)))
        if progress:
            progress(index, total)
    return [u for u in unidades if u is not None]


def _halfway(book: Book, names: list[str]) -> int:
    """Where to split ``names`` so that both halves have about as much XML to read."""
    sizes = [book.sheet_size(n) for n in names]
    target, running = sum(sizes) / 2, 0
    for index, size in enumerate(sizes):
        running += size
        if running >= target:
            return max(1, min(index + 1, len(names) - 1))
    return len(names) - 1


def _read_pickled(book: Book, names: list[str]) -> bytes:
    """In the child: (units, problems, slots) of ``names``, pickled; None if any sheet failed."""
    reading = _Reading()
    try:
        with book.reopened() as own:
            units = [_read_unit(_Sheet(own.sheet(name), reading)) for name in names]
            return pickle.dumps((units, reading.problems, own.slots), protocol=pickle.HIGHEST_PROTOCOL)
    except LibroError:
        return pickle.dumps(None)  # read again in order by the parent, which reports it as it should


# ---------------------------------------------------------------------------
# GENERAL


_GENERAL_LABELS = W.GENERAL_LABELS


def _read_general(
    sheet: _Sheet, trimestre: int | None, base: Base | None, fecha: dt.date | None
) -> tuple[General | None, bool]:
    """GENERAL with defaults for invalid optional values, and whether all of it was valid."""
    found: dict[str, tuple[object, Origen, int]] = {}
    reading = sheet.reading
    for row in range(1, sheet.max_row + 1):
        raw_label = sheet.value(row, 1)
        label = normalize_label(raw_label)
        key = _GENERAL_LABELS.get(label)
        if key and key not in found:
            found[key] = (sheet.value(row, 2), sheet.origen(row, 2), row)
            continue
        value = sheet.value(row, 2, report=False)
        if value is None or not (_is_figure(value) or isinstance(value, (dt.date, dt.datetime))):
            continue
        # a figure GENERAL does not read (a repeated or misspelt label) must not go unnoticed
        if key:
            first = found[key]
            if value != first[0]:
                reading.add(
                    advertencia(
                        "celda-ignorada",
                        sheet.origen(row, 2),
                        f"{one_line(raw_label)} aparece otra vez en la fila {row} con otro valor, que no se usa: vale "
                        f"el de la celda {first[1].cell}. Deje un solo renglón {one_line(raw_label)}.",
                    )
                )
        elif label:
            reading.add(
                advertencia(
                    "celda-ignorada",
                    sheet.origen(row, 2),
                    f"La etiqueta «{shorten(one_line(raw_label), 40)}» de la columna A no se reconoce, así que este valor "
                    "no se usa. Si es un dato de la hoja GENERAL, escriba su etiqueta como en la plantilla (EJERCICIO, "
                    "TRIMESTRE, FECHA, TOLERANCIA...).",
                )
            )
    origenes = {k: o for k, (_, o, _) in found.items()}
    ok = True

    def required(key: str, label: str) -> tuple[object, Origen] | None:
        nonlocal ok
        if key not in found:
            ok = False
            reading.add(
                error(
                    "dato-general-faltante",
                    Origen(sheet.name, f"A{sheet.max_row + 1}"),
                    f"Falta el dato {label}. Escriba {label} en la columna A de la hoja GENERAL y su valor en la columna B.",
                )
            )
            return None
        value, origen, row = found[key]
        if value is None:
            ok = False
            if (row, 2) not in sheet.formulas_sin_valor:  # else already reported as formula-sin-valor
                reading.add(error("dato-general-faltante", origen, f"Falta el valor de {label}; escríbalo en esta celda."))
            return None
        return value, origen

    def parse(key: str, parser: Callable[[object], object], value: object, origen: Origen) -> object:
        nonlocal ok
        try:
            return parser(value)
        except V.ValueProblemError as exc:
            ok = False
            reading.add(error(exc.code, origen, exc.mensaje))
            return None

    ayuntamiento = required("ayuntamiento", "AYUNTAMIENTO")
    ejercicio_cell = required("ejercicio", "EJERCICIO")
    ejercicio = parse("ejercicio", V.parse_ejercicio, *ejercicio_cell) if ejercicio_cell else None
    if trimestre is None:
        trimestre_cell = required("trimestre", "TRIMESTRE")
        trimestre = parse("trimestre", V.parse_trimestre, *trimestre_cell) if trimestre_cell else None  # type: ignore[assignment]
    if fecha is None and "fecha" in found and found["fecha"][0] is not None:
        fecha = parse("fecha", V.parse_fecha, found["fecha"][0], found["fecha"][1])  # type: ignore[assignment]
    if base is None:
        base = Base.META_ANUAL
        if "base" in found and found["base"][0] is not None:
            base = parse("base", V.parse_base, found["base"][0], found["base"][1]) or Base.META_ANUAL  # type: ignore[assignment]
    tolerancia = Decimal("0.1")
    if "tolerancia" in found and found["tolerancia"][0] is not None:
        value, origen, row = found["tolerancia"]
        percent = sheet.is_percent(row, 2)
        parsed = parse("tolerancia", lambda v: V.parse_tolerancia(v, percent), value, origen)
        tolerancia = Decimal("0.1") if parsed is None else parsed  # type: ignore[assignment]
    clave = "TMM-F004"
    if "clave_formato" in found and found["clave_formato"][0] is not None:
        clave = one_line(found["clave_formato"][0])
    correos: tuple[str, ...] = ()
    if "correos" in found and found["correos"][0] is not None:
        correos = parse("correos", V.parse_correos, found["correos"][0], found["correos"][1]) or ()  # type: ignore[assignment]
    if ayuntamiento is None or ejercicio is None or trimestre is None:
        return None, False
    if fecha is None:
        fecha = V.last_day_of_quarter(ejercicio, trimestre)  # type: ignore[arg-type]
    return General(
        ayuntamiento=one_line(ayuntamiento[0]),
        ejercicio=ejercicio,  # type: ignore[arg-type]
        trimestre=trimestre,
        fecha=fecha,
        base=base,
        tolerancia=tolerancia,
        clave_formato=clave,
        correos=correos,
        origenes=origenes,
    ), ok


# ---------------------------------------------------------------------------
# unit sheets


@dataclass
class _Table:
    header_top: int
    header_bottom: int
    columns: dict[str, int]  # field -> column number
    computed: dict[str, int]  # computed field -> column number
    ignored: frozenset[int] = frozenset()  # every column the tool computes itself
    labelled: frozenset[int] = frozenset()  # every column whose header has a label (read, computed or warned about)


_STRONG_FIELDS = frozenset({"descripcion", "unidad_medida", "meta_anual", "observaciones", "linea_accion"})
_KEY_FIELDS = frozenset(W.HEADER_KEY_FIELDS)
_FIGURE_TEXT = re.compile(r"^\s*-?\d[\d,. \u00a0]*%?\s*$")


def _is_figure(value: object) -> bool:
    """A number, or text that reads as one: something that could be a goal's figure."""
    if value.__class__ is int or value.__class__ is float:
        return True
    return value.__class__ is str and bool(_FIGURE_TEXT.match(value))  # type: ignore[arg-type,unused-ignore]


def _read_unit(sheet: _Sheet) -> Unidad | None:
    """One unit sheet; None (and one problem) when the sheet is no unit at all."""
    reading = sheet.reading
    start = len(reading.problems)
    labels = _signature_labels(sheet)
    signature_rows = frozenset(row for row, _col, _rol in labels)
    table, near_miss = _find_table(sheet)
    header_end = table.header_top - 1 if table else sheet.max_row
    used: set[tuple[int, int]] = set()  # cells the header block and the signatures read
    fields, header_found = _read_header_block(sheet, header_end, signature_rows, used)
    if table is None and not header_found and not labels:
        del reading.problems[start:]
        reading.add(_not_a_unit(sheet, near_miss))
        return None
    firmas = _read_signatures(sheet, labels, used, table.header_top if table else None)
    metas: tuple[Meta, ...] = ()
    if table is None:
        reading.add(_missing_table(sheet, near_miss))
    else:
        end = next((row for row in sorted(signature_rows) if row > table.header_bottom), None)
        metas = _read_goals(sheet, table, end)
        _check_header_block_rows(sheet, table, used)
        if end is not None:
            _check_rows_after_table(sheet, table, end, used)
    return Unidad(
        sheet=sheet.name,
        ramo=fields.get("ramo"),
        programa=fields.get("programa"),
        proyecto=fields.get("proyecto"),
        unidad_ejecutora=fields.get("unidad_ejecutora"),
        finalidad=fields.get("finalidad"),
        funcion=fields.get("funcion"),
        subfuncion=fields.get("subfuncion"),
        ejes=tuple(fields.get("ejes", ())),
        lineas_accion=tuple(fields.get("lineas_accion", ())),
        firmas=firmas,
        metas=metas,
    )


_EXPECTED = (
    "el encabezado de la unidad (RAMO, PROGRAMA, UNIDAD EJECUTORA, FINALIDAD, FUNCIÓN y SUBFUNCIÓN en la columna A, "
    "con la clave en la B y la descripción en la C), la tabla de metas (DESCRIPCIÓN DE METAS Y ACCIONES, UNIDAD DE "
    "MEDIDA, META ANUAL y cada trimestre con P y A) y las firmas (ELABORÓ, REVISÓ y AUTORIZÓ)"
)


def _not_a_unit(sheet: _Sheet, near_miss: tuple[int, list[str], list[str]] | None) -> Problem:
    if sheet.width() == 0:
        return advertencia(
            "hoja-vacia",
            Origen(sheet.name, "A1"),
            "La hoja está vacía y no se usa. Si no la necesita, bórrela; si es una unidad, copie en ella una hoja "
            "de unidad de la plantilla (poa-render plantilla) y llénela.",
        )
    hint = ""
    if near_miss:
        row, found, missing = near_miss
        hint = (
            f" Encabezado probable de la tabla en la fila {row}: tiene {_join(found)}, pero falta {_join(missing)}."
        )
    return error(
        "hoja-no-es-unidad",
        Origen(sheet.name, "A1"),
        f"Esta hoja no parece una unidad ejecutora del libro de captura: se esperaba {_EXPECTED}.{hint} Si es una "
        "hoja de notas o de catálogos, ponga «_» al inicio de su nombre u ocúltela; si es una unidad, copie el "
        "formato de la plantilla (poa-render plantilla) o conviértala con poa-render importar.",
    )


def _missing_table(sheet: _Sheet, near_miss: tuple[int, list[str], list[str]] | None) -> Problem:
    if near_miss:
        row, found, missing = near_miss
        return error(
            "sin-tabla",
            sheet.origen(row, 1),
            f"No se encontró la tabla de metas. Encabezado probable en la fila {row}: tiene {_join(found)}, pero falta "
            f"{_join(missing)}. Corrija esos títulos como en la plantilla.",
        )
    return error(
        "sin-tabla",
        Origen(sheet.name, "A1"),
        "La hoja no tiene la tabla de metas: no se encontró una fila de encabezado con "
        "DESCRIPCIÓN DE METAS Y ACCIONES, UNIDAD DE MEDIDA y META ANUAL. Copie el encabezado de la plantilla.",
    )


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " y " + names[-1]


# --- header block ------------------------------------------------------------


def _read_header_block(
    sheet: _Sheet, last_row: int, signature_rows: frozenset[int], used: set[tuple[int, int]]
) -> tuple[dict, bool]:
    """The classification fields, and whether any header label was found at all."""
    fields: dict = {}
    seen_rows: dict[str, int] = {}
    last_repeatable: str | None = None
    for row in range(1, last_row + 1):
        raw = sheet.value(row, 1)
        label = normalize_label(raw)
        key = W.classification_field(label) if label else None
        inline: str | None = None
        if key is None and label:
            split = W.split_label_cell(raw)
            if split:
                key, inline = split
        if key is None:
            if label or row in signature_rows:
                continue
            if last_repeatable:
                clave, descripcion = _code_and_description(sheet, row, None)
                if clave or descripcion:
                    used.update(((row, 2), (row, 3)))
                    fields[last_repeatable].append(Clasificacion(clave, descripcion, sheet.origen(row, 2)))
            continue
        used.update(((row, 1), (row, 2), (row, 3)))
        clave, descripcion = _code_and_description(sheet, row, inline)
        origen = sheet.origen(row, 1 if inline is not None and not sheet.value(row, 2) else 2)
        if key in REPEATABLE:
            last_repeatable = key
            fields.setdefault(key, [])
            if clave or descripcion:
                fields[key].append(Clasificacion(clave, descripcion, origen))
            continue
        if key in seen_rows:
            continue  # not repeatable: the first one counts
        seen_rows[key] = row
        if key in REQUIRED_CLASSIFICATION:
            _check_classification(sheet, row, key, raw if inline is not None else None, clave, descripcion)
        if clave or descripcion:
            fields[key] = Clasificacion(clave, descripcion, origen)
    missing = [key for key in REQUIRED_CLASSIFICATION if key not in seen_rows]
    if missing:  # with no header label at all, the caller may replace these by one hoja-no-es-unidad
        _report_missing_fields(sheet, last_row, missing)
    return fields, bool(seen_rows) or "ejes" in fields or "lineas_accion" in fields


def _code_and_description(sheet: _Sheet, row: int, inline: str | None) -> tuple[str, str]:
    """Clave and descripción of a header row: B and C, or one cell with both."""
    b, c = sheet.value(row, 2), sheet.value(row, 3)
    clave, descripcion = V.parse_code(b), one_line(c)
    if inline is not None:
        code, text = W.split_code(inline)
        return code or clave, text or descripcion
    if clave and not descripcion and isinstance(b, str) and " " in clave.strip():
        code, text = W.split_code(clave)
        if code:  # "59 COMISIÓN ..." in B, C empty
            return code, text
    return clave, descripcion


def _check_classification(sheet: _Sheet, row: int, key: str, cell_text: object, clave: str, descripcion: str) -> None:
    reading = sheet.reading
    name = FIELD_NAMES[key]
    if cell_text is not None:
        # "RAMO: 01 PRESIDENCIA" in one cell: say what was missing from it
        what = [w for w, ok in (("la clave", clave), ("la descripción", descripcion)) if not ok]
        if what:
            reading.add(
                error(
                    "campo-faltante",
                    sheet.origen(row, 1),
                    f"La celda dice «{shorten(one_line(cell_text), 50)}»: falta {' y '.join(what)} de {name}. "
                    f"Escríbala como «{name}: 01 DESCRIPCIÓN», o {name} en la columna A, la clave en la B y la "
                    "descripción en la C.",
                )
            )
        return
    if not clave:
        reading.add(
            error("campo-faltante", sheet.origen(row, 2), f"Falta la clave de {name}; escríbala en esta celda (columna B).")
        )
    if not descripcion:
        reading.add(
            error("campo-faltante", sheet.origen(row, 3), f"Falta la descripción de {name}; escríbala en esta celda (columna C).")
        )


def _report_missing_fields(sheet: _Sheet, last_row: int, missing: list[str]) -> None:
    """Missing header rows: each near miss at its cell, the rest in one problem at A1."""
    reading = sheet.reading
    remaining = []
    for key in missing:
        place = _misplaced_label(sheet, last_row, key)
        if place is None:
            remaining.append(key)
            continue
        row, col, text = place
        name = FIELD_NAMES[key]
        reading.add(
            error(
                "campo-fuera-de-lugar",
                sheet.origen(row, col),
                f"La celda dice «{shorten(one_line(text), 50)}», pero {name} se lee en la columna A: escriba {name} "
                f"en la A{row}, la clave en la B{row} y la descripción en la C{row} (o «{name}: CLAVE DESCRIPCIÓN» "
                "en la A).",
            )
        )
    if not remaining:
        return
    names = [FIELD_NAMES[k] for k in remaining]
    filas = "la fila" if len(names) == 1 else "las filas"
    reading.add(
        error(
            "campo-faltante",
            Origen(sheet.name, "A1"),
            f"Falta{'n' if len(names) > 1 else ''} {filas} {_join(names)} en el encabezado de la hoja: "
            f"agrégue{'las' if len(names) > 1 else 'la'} arriba de la tabla, con la etiqueta en la columna A, la "
            "clave en la B y la descripción en la C.",
        )
    )


def _misplaced_label(sheet: _Sheet, last_row: int, key: str) -> tuple[int, int, object] | None:
    """A cell out of column A that holds ``key``'s label (alone or with its value)."""
    for row in range(1, min(last_row, 60) + 1):
        cells = sheet.rows[row - 1]
        for col in range(2, min(len(cells), 30) + 1):
            value = cells[col - 1]
            if not isinstance(value, str) or len(value) > 200:
                continue
            if W.classification_field(normalize_label(value)) == key:
                return row, col, value
            split = W.split_label_cell(value)
            if split and split[0] == key:
                return row, col, value
    return None


def _check_header_block_rows(sheet: _Sheet, table: _Table, used: set[tuple[int, int]]) -> None:
    """Above the table: a row that looks like a goal is an error; a lone figure, a warning."""
    number_cols = sorted(table.columns[f] for f in W.NUMBER_COLUMNS if f in table.columns)
    desc_col = table.columns.get("descripcion")
    for row in range(1, table.header_top):
        cells = sheet.rows[row - 1]
        figures = [c for c in number_cols if c <= len(cells) and (row, c) not in used and _is_figure(cells[c - 1])]
        if not figures:
            continue
        text = cells[desc_col - 1] if desc_col and desc_col <= len(cells) and (row, desc_col) not in used else None
        has_text = isinstance(text, str) and bool(text.strip())
        if len(figures) >= 2 or has_text:
            sheet.reading.add(
                error(
                    "fila-en-encabezado",
                    sheet.origen(row, figures[0]),
                    f"La fila {row} tiene datos de una meta en el encabezado, arriba de la tabla (que empieza en la "
                    f"fila {table.header_top}): muévala dentro de la tabla, debajo de su encabezado, o bórrela.",
                )
            )
        else:
            col = figures[0]
            sheet.reading.add(
                advertencia(
                    "celda-ignorada",
                    sheet.origen(row, col),
                    f"La celda tiene el número {V.describe(cells[col - 1])} arriba de la tabla y no se usa. Si es una "
                    "cifra de una meta, escríbala en su fila dentro de la tabla; si no, bórrela.",
                )
            )


def _check_rows_after_table(sheet: _Sheet, table: _Table, end: int, used: set[tuple[int, int]]) -> None:
    """From the first signature on: a row with a description or any figure is an error at that row."""
    # text where a goal has its description or its figures ("tres") is goal data too
    goal_cols = {table.columns[f] for f in ("descripcion", *W.NUMBER_COLUMNS) if f in table.columns}
    for row in range(end, sheet.max_row + 1):
        for col, value in enumerate(sheet.rows[row - 1], start=1):
            if value is None or (row, col) in used:
                continue
            if _is_figure(value) or (col in goal_cols and isinstance(value, str) and value.strip()):
                sheet.reading.add(
                    error(
                        "fila-despues-de-firmas",
                        sheet.origen(row, col),
                        f"Esta fila tiene datos después de las firmas (la tabla termina en la fila {end - 1}): "
                        "muévala dentro de la tabla, antes de ELABORÓ, o bórrela si no es una meta.",
                    )
                )
                break


# --- signatures --------------------------------------------------------------


def _signature_labels(sheet: _Sheet) -> list[tuple[int, int, str]]:
    """(row, column, role) of every cell that is a signature label, in reading order."""
    found = []
    limit = W.SIGNATURE_MAX_LENGTH
    first = W.SIGNATURE_FIRST_CHARS
    role_of = W.signature_role
    # every cell of the sheet: kept to the cheapest tests, most cells fail the first ones
    for row, cells in enumerate(sheet.rows, start=1):
        for col, value in enumerate(cells, start=1):
            if value.__class__ is str and len(value) <= limit and value[:1] in first:  # type: ignore[arg-type,index,unused-ignore]
                rol = role_of(value)
                if rol:
                    found.append((row, col, rol))
    return found


_RULE = re.compile(r"^[\s_\-–—.]*$")


def _read_signatures(
    sheet: _Sheet, labels: list[tuple[int, int, str]], used: set[tuple[int, int]], table_top: int | None
) -> tuple[Firma, ...]:
    """ELABORÓ, REVISÓ, AUTORIZÓ: one per row (name, cargo, legend to the right of the label)
    or side by side (legend, name and cargo in the rows below each label)."""
    firmas: dict[str, Firma] = {}
    label_cells = {(row, col) for row, col, _ in labels}
    cols_by_row: dict[int, list[int]] = {}
    for row, col, _ in labels:
        cols_by_row.setdefault(row, []).append(col)
    for row, col, rol in labels:
        if rol in firmas:
            continue
        used.add((row, col))
        row_cols = cols_by_row[row]
        after = [c for c in row_cols if c > col]
        right_end = after[0] - 1 if after else col + 3
        beside = [c for c in range(col + 1, min(col + 3, right_end) + 1) if sheet.value(row, c) is not None]
        below = [] if beside else _texts_below(sheet, row, col, row_cols, label_cells, table_top)
        if beside or not below:
            nombre = one_line(sheet.value(row, col + 1)) if col + 1 <= right_end else ""
            cargo = one_line(sheet.value(row, col + 2)) if col + 2 <= right_end else ""
            leyenda = one_line(sheet.value(row, col + 3)) if col + 3 <= right_end else ""
            used.update((row, c) for c in range(col + 1, min(col + 3, right_end) + 1))
            origen = sheet.origen(row, col + 1)
            where = f"en esta celda (a la derecha de {rol})"
        else:
            nombre, cargo, leyenda, origen = _block_signature(sheet, row, below, used)
            where = f"debajo de {rol}"
        if not nombre:
            sheet.reading.add(error("firma-faltante", origen, f"Falta el nombre de quien firma {rol}; escríbalo {where}."))
        firmas[rol] = Firma(rol, nombre, cargo, leyenda or W.LEYENDAS[rol], origen)
    for rol in W.ROLES:
        if rol not in firmas:
            sheet.reading.add(
                error(
                    "firma-faltante",
                    Origen(sheet.name, f"A{sheet.max_row + 1}"),
                    f"Falta la fila de firma {rol}: escriba {rol} en la columna A (debajo de la tabla), el nombre en la B "
                    "y el cargo en la C.",
                )
            )
    return tuple(firmas[r] for r in W.ROLES if r in firmas)


def _texts_below(
    sheet: _Sheet,
    row: int,
    col: int,
    row_cols: list[int],
    label_cells: set[tuple[int, int]],
    table_top: int | None,
) -> list[tuple[int, int, str]]:
    """Texts under a signature label, within its column group, down to the next label."""
    span = _signature_span(sheet, row, col, row_cols)
    last = sheet.max_row if table_top is None or row > table_top else table_top - 1
    texts: list[tuple[int, int, str]] = []
    for r in range(row + 1, min(row + 8, last) + 1):
        if any((r, c) in label_cells for c in span):
            break
        for c in span:
            value = sheet.value(r, c, report=False)
            if isinstance(value, str) and not _RULE.match(value):
                texts.append((r, c, one_line(value)))
            elif isinstance(value, str):
                texts.append((r, c, ""))  # a signature line: read, holds nothing
    return texts


def _signature_span(sheet: _Sheet, row: int, col: int, row_cols: list[int]) -> range:
    """The columns of a signature's group: its label's merge, or up to the next label."""
    for min_row, min_col, max_row, max_col in sheet.merges:
        if min_row <= row <= max_row and min_col <= col <= max_col and max_col > col:
            return range(col, max_col + 1)
    after = [c for c in row_cols if c > col]
    before = [c for c in row_cols if c < col]
    if after:
        return range(col, after[0])
    if before:
        return range(col, col + (col - before[-1]))
    return range(col, col + 4)


def _block_signature(
    sheet: _Sheet, label_row: int, texts: list[tuple[int, int, str]], used: set[tuple[int, int]]
) -> tuple[str, str, str, Origen]:
    """Legend, name and cargo told apart: the legend says RESPONSABLE..., the name has a title."""
    for r, c, _ in texts:
        used.add((r, c))
    lines = [(r, c, t) for r, c, t in texts if t]
    legend_at = next((line for line in lines if W.is_legend(normalize_label(line[2]))), None)
    rest = [line for line in lines if line is not legend_at]
    named = next((line for line in rest if W.looks_like_name(normalize_label(line[2]))), None)
    if named is None:
        named = next((line for line in rest if not W.looks_like_cargo(normalize_label(line[2]))), None)
    cargo = " ".join(t for r, c, t in rest if named is None or (r, c) != named[:2])
    leyenda = legend_at[2] if legend_at else ""
    if named is not None:
        return named[2], cargo, leyenda, sheet.origen(named[0], named[1])
    # where the name should be: the first empty row of the block below the legend
    col = texts[0][1]
    filled = {r for r, _, _ in texts}
    start = legend_at[0] + 1 if legend_at else label_row + 1
    row = next((r for r in range(start, start + 8) if r not in filled), start)
    return "", cargo, leyenda, sheet.origen(row, col)


# --- the goals table ---------------------------------------------------------


def _find_table(sheet: _Sheet) -> tuple[_Table | None, tuple[int, list[str], list[str]] | None]:
    """Locate the goals table header by its labels, and its depth (1–3 rows).

    Without a table, also the most likely header row that was missed: (row,
    labels found, labels missing), for a useful message.
    """
    width = sheet.width()
    best: tuple[int, int, set[str]] | None = None  # (labels found, row, kinds)
    for top in range(1, sheet.max_row + 1):
        cells = sheet.rows[top - 1]
        kinds = set()
        for value in cells:
            if isinstance(value, str):
                label = normalize_label(value)
                kind = W.table_field(label)
                if kind in _STRONG_FIELDS:
                    kinds.add(kind)
                elif W.is_period_label(label) or (kind is not None and kind[0] in "pa" and kind[1:].isdigit()):
                    kinds.add("periodo")
        if len(kinds) < 2 or not kinds & _KEY_FIELDS:
            if kinds & _KEY_FIELDS and (best is None or len(kinds) > best[0]):
                best = (len(kinds), top, kinds)
            continue
        bottom = top
        while bottom < top + 2 and bottom < sheet.max_row:
            following = sheet.rows[bottom]
            if any(v is not None for v in following) and all(
                v is None or (isinstance(v, str) and W.is_header_word(v)) for v in following
            ):
                bottom += 1
            else:
                break
        labels = _column_labels(sheet, top, bottom, width)
        columns: dict[str, int] = {}
        computed: dict[str, int] = {}
        ignored: set[int] = set()
        labelled: set[int] = set()
        for col, label in labels.items():
            if label:
                labelled.add(col)
            kind = W.table_field(label)
            if kind and kind not in columns:
                columns[kind] = col
                continue
            is_computed, name = W.computed_field(label)
            if is_computed:
                ignored.add(col)
                if name and name not in computed:
                    computed[name] = col
                continue
            if label and not W.is_period_label(label) and not kind:
                sheet.reading.add(
                    advertencia(
                        "columna-desconocida",
                        sheet.origen(top, col),
                        f"La columna «{one_line(label)}» no se reconoce y se ignora. Si debía ser una columna de la "
                        "tabla, corrija su título como en la plantilla.",
                    )
                )
        return _Table(top, bottom, columns, computed, frozenset(ignored), frozenset(labelled)), None
    if best is None:
        return None, None
    _count, row, kinds = best
    found = [W.TABLE_FIELDS[k] for k in ("descripcion", "unidad_medida", "meta_anual") if k in kinds]
    missing = [W.TABLE_FIELDS[k] for k in ("descripcion", "unidad_medida", "meta_anual") if k not in kinds]
    if "periodo" in kinds:
        found.append("los trimestres")
    return None, (row, found, missing)


def _column_labels(sheet: _Sheet, top: int, bottom: int, width: int) -> dict[int, str]:
    """Each column's label: its header cells read top to bottom, merges spread."""
    grid: dict[tuple[int, int], object] = {}
    for row in range(top, bottom + 1):
        for col in range(1, width + 1):
            grid[(row, col)] = sheet.value(row, col)
    for min_row, min_col, max_row, max_col in sheet.merges:
        if max_row < top or min_row > bottom:
            continue
        origin = sheet.value(min_row, min_col)
        for row in range(max(min_row, top), min(max_row, bottom) + 1):
            for col in range(min_col, min(max_col, width) + 1):
                grid[(row, col)] = origin
    labels: dict[int, str] = {}
    for col in range(1, width + 1):
        parts: list[str] = []
        for row in range(top, bottom + 1):
            part = normalize_label(grid.get((row, col)))
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        labels[col] = " ".join(parts)
    return labels


def _read_goals(sheet: _Sheet, table: _Table, end: int | None) -> tuple[Meta, ...]:
    reading = sheet.reading
    missing = [f for f in REQUIRED_COLUMNS if f not in table.columns]
    for name in missing:
        reading.add(
            error(
                "columna-faltante",
                sheet.origen(table.header_top, 1),
                f"Encabezado de la tabla en la fila {table.header_top}: falta la columna {TABLE_FIELDS[name]}. "
                "Agréguela con ese título, o corrija el título que no se reconoció, como en la plantilla.",
            )
        )
    columns = table.columns
    computed_cols = table.ignored
    letters = {name: column_letter(col) for name, col in columns.items()}
    # one dict for every goal of the table (never changed): less memory, and pickled once
    meta_columns = letters | {f"computed:{k}": column_letter(c) for k, c in table.computed.items()}
    # columns without a label: a figure there would be lost without a word
    known_end = max(table.labelled, default=0)
    unlabelled = [c for c in range(1, known_end + 1) if c not in table.labelled]
    warned: set[int] = set()
    metas: list[Meta] = []
    last = end - 1 if end is not None else sheet.max_row
    for row in range(table.header_bottom + 1, last + 1):
        cells = sheet.rows[row - 1]
        if len(cells) > known_end or unlabelled:
            _warn_unlabelled(sheet, row, cells, known_end, unlabelled, warned)
        if sheet.row_is_blank(row, computed_cols):
            continue

        def text(name: str, row: int = row) -> str:
            return clean_text(sheet.value(row, columns[name])) if name in columns else ""

        ilegibles: set[str] = set()

        def number(name: str, row: int = row, ilegibles: set[str] = ilegibles) -> tuple[Decimal | None, bool]:
            """The value and whether it was readable."""
            if name not in columns:
                return None, False
            col = columns[name]
            raw = sheet.value(row, col)
            if raw is None and (row, col) in sheet.formulas_sin_valor:
                ilegibles.add(name)  # reported as formula-sin-valor; not also as blank or missing
                return None, False
            try:
                return V.parse_number(raw), True
            except V.ValueProblemError as exc:
                reading.add(error(exc.code, sheet.origen(row, col), exc.mensaje))
                ilegibles.add(name)
                return None, False

        meta_anual, readable = number("meta_anual")
        if meta_anual is None and readable:
            reading.add(
                error(
                    "meta-anual-faltante",
                    sheet.origen(row, columns["meta_anual"]),
                    "La meta no tiene META ANUAL; escriba la cantidad anual autorizada en esta celda.",
                )
            )
        programado = tuple(number(f"p{q}")[0] or Decimal(0) for q in range(1, 5))
        alcanzado = tuple(number(f"a{q}")[0] for q in range(1, 5))
        declarados: dict[str, Decimal] = {}
        for name, col in table.computed.items():
            # ignored columns: a formula there without cached value is no error
            value = V.to_decimal_safe(sheet.value(row, col, report=False))
            if value is not None:
                declarados[name] = value
        linea = text("linea_accion")
        numero = one_line(V.parse_code(sheet.value(row, columns["numero"]))) if "numero" in columns else ""
        metas.append(
            Meta(
                sheet=sheet.name,
                row=row,
                lineas_accion=tuple(p for p in re.split(r"[\s,;]+", linea) if p),
                numero=numero,
                descripcion=text("descripcion"),
                unidad_medida=one_line(text("unidad_medida")),
                meta_anual=meta_anual,
                programado=programado,  # type: ignore[arg-type]
                alcanzado=alcanzado,  # type: ignore[arg-type]
                observaciones=text("observaciones"),
                columns=meta_columns,
                declarados=declarados,
                ilegibles=frozenset(ilegibles),
            )
        )
    if not metas and not missing:
        col = columns.get("descripcion", 1)
        reading.add(
            advertencia(
                "sin-metas",
                sheet.origen(table.header_bottom + 1, col),
                "La tabla no tiene ninguna meta. Escriba una meta por fila, a partir de esta celda.",
            )
        )
    return tuple(metas)


def _warn_unlabelled(
    sheet: _Sheet, row: int, cells: list[object], known_end: int, unlabelled: list[int], warned: set[int]
) -> None:
    """A figure in a goal row's column that has no title is not read: warn once per column."""
    cols = [*unlabelled, *range(known_end + 1, len(cells) + 1)]
    for col in cols:
        if col > len(cells) or col in warned or not _is_figure(cells[col - 1]):
            continue
        warned.add(col)
        sheet.reading.add(
            advertencia(
                "celda-ignorada",
                sheet.origen(row, col),
                f"La columna {column_letter(col)} no tiene título en el encabezado de la tabla, así que su número "
                f"{V.describe(cells[col - 1])} (y los de abajo) no se usa. Si es una cifra de la meta, póngale a la "
                "columna su título como en la plantilla; si no, bórrela.",
            )
        )
