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
from poa_xlsx.model import Base, Clasificacion, Firma, General, Libro, Meta, Origen, Unidad
from poa_xlsx.problems import LibroError, Problem, advertencia, error
from poa_xlsx.text import clean_text, normalize_label, one_line
from poa_xlsx.xlsx.archivo import Book, SheetData, open_workbook
from poa_xlsx.xlsx.parse import column_letter as get_column_letter

GENERAL_SHEETS = ("GENERAL", "DATOS GENERALES")
IGNORED_SHEETS = ("INSTRUCCIONES", "CATALOGOS", "RESUMEN")

# --- header block ---------------------------------------------------------

CLASSIFICATION_LABELS: dict[str, str] = {
    "RAMO": "ramo",
    "PROGRAMA": "programa",
    "PROYECTO": "proyecto",
    "UNIDAD EJECUTORA": "unidad_ejecutora",
    "UNIDAD RESPONSABLE": "unidad_ejecutora",
    "FINALIDAD": "finalidad",
    "FUNCION": "funcion",
    "SUBFUNCION": "subfuncion",
    "EJE DE GOBIERNO": "ejes",
    "EJES DE GOBIERNO": "ejes",
    "LINEAS DE ACCION": "lineas_accion",
    "LINEA DE ACCION": "lineas_accion",
}
REQUIRED_CLASSIFICATION = ("ramo", "programa", "unidad_ejecutora", "finalidad", "funcion", "subfuncion")
REPEATABLE = ("ejes", "lineas_accion")
FIELD_NAMES = {
    "ramo": "RAMO",
    "programa": "PROGRAMA",
    "proyecto": "PROYECTO",
    "unidad_ejecutora": "UNIDAD EJECUTORA",
    "finalidad": "FINALIDAD",
    "funcion": "FUNCIÓN",
    "subfuncion": "SUBFUNCIÓN",
    "ejes": "EJE DE GOBIERNO",
    "lineas_accion": "LÍNEAS DE ACCIÓN",
}
SIGNATURE_LABELS = {"ELABORO": "ELABORÓ", "REVISO": "REVISÓ", "AUTORIZO": "AUTORIZÓ"}
DEFAULT_LEYENDAS = {
    "ELABORÓ": "RESPONSABLE DE LA UNIDAD EJECUTORA",
    "REVISÓ": "RESPONSABLE DEL PROGRAMA",
    "AUTORIZÓ": "RESPONSABLE DEL RAMO",
}

# --- goals table -----------------------------------------------------------

TABLE_FIELDS = {
    "linea_accion": "LÍNEA DE ACCIÓN",
    "numero": "NÚM.",
    "descripcion": "DESCRIPCIÓN DE METAS Y ACCIONES",
    "unidad_medida": "UNIDAD DE MEDIDA",
    "meta_anual": "META ANUAL",
    "observaciones": "OBSERVACIONES",
    **{f"p{q}": f"{name.upper()} P" for q, name in zip(range(1, 5), ("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic"))},
    **{f"a{q}": f"{name.upper()} A" for q, name in zip(range(1, 5), ("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic"))},
}
REQUIRED_COLUMNS = ("descripcion", "unidad_medida", "meta_anual", "p1", "p2", "p3", "p4", "a1", "a2", "a3", "a4")
COMPUTED_LABELS = {
    "AVANCE ABSOLUTO": "avance_absoluto",
    "ACUMULADO RELATIVO": "acumulado_relativo",
    "PROGRAMADO ACUMULADO": "programado_acumulado",
    "AVANCE RELATIVO": "acumulado_relativo",
    "CUMPLIMIENTO": None,
    "CUMPLIMIENTO AL PERIODO": None,
    "ESTATUS": None,
    "SEMAFORO": None,
    "PORCENTAJE": None,
}
_HEADER_TOKENS = {"P", "A", "PROGRAMADO", "ALCANZADO", "PERIODO", "P E R I O D O", "TRIMESTRE"}


def _field_of_label(label: str) -> str | None:
    """Which table field a column's combined label names, if any."""
    if not label:
        return None
    bare = label.rstrip(".").strip()
    if bare in ("L/A", "LA") or bare.startswith("LINEA DE ACCION") or bare.startswith("LINEAS DE ACCION"):
        return "linea_accion"
    if bare in ("NUM", "NO", "NUMERO", "CLAVE", "N", "#"):
        return "numero"
    if bare.startswith("DESCRIPCION") or bare == "METAS Y ACCIONES":
        return "descripcion"
    if bare == "UNIDAD DE MEDIDA":
        return "unidad_medida"
    if bare in ("META ANUAL", "META ANUAL AUTORIZADA", "META ANUAL PROGRAMADA"):
        return "meta_anual"
    if bare.replace(" ", "") in ("OBSERVACIONES", "JUSTIFICACION", "OBSERVACIONES/JUSTIFICACION", "OBSERVACIONESYJUSTIFICACION"):
        return "observaciones"
    match = re.fullmatch(r"([PA])\s*([1-4])", bare)
    if match:
        return f"{match[1].lower()}{match[2]}"
    return _quarter_field(bare)


_QUARTER_PATTERNS = [
    (re.compile(r"ENE(RO)?\s*-\s*MAR(ZO)?"), 1),
    (re.compile(r"ABR(IL)?\s*-\s*JUN(IO)?"), 2),
    (re.compile(r"JUL(IO)?\s*-\s*SEP(TIEMBRE)?"), 3),
    (re.compile(r"OCT(UBRE)?\s*-\s*DIC(IEMBRE)?"), 4),
    (re.compile(r"\bT\s*([1-4])\b"), 0),
    (re.compile(r"\b([1-4])\s*(ER|RO|DO|TO|O|°|º)?\.?\s+TRIMESTRE\b"), 0),
    (re.compile(r"\b(PRIMER|SEGUNDO|TERCER|CUARTO)\s+TRIMESTRE\b"), -1),
]
_WORD_QUARTER = {"PRIMER": 1, "SEGUNDO": 2, "TERCER": 3, "CUARTO": 4}


def _quarter_field(label: str) -> str | None:
    for pattern, quarter in _QUARTER_PATTERNS:
        match = pattern.search(label)
        if not match:
            continue
        if quarter == 0:
            quarter = int(match[1])
        elif quarter == -1:
            quarter = _WORD_QUARTER[match[1]]
        rest = (label[: match.start()] + " " + label[match.end():]).replace("PERIODO", " ").replace("P E R I O D O", " ")
        rest = rest.replace("(", " ").replace(")", " ").replace(".", " ")
        tokens = rest.split()
        if tokens in (["P"], ["PROGRAMADO"], ["PROG"]):
            return f"p{quarter}"
        if tokens in (["A"], ["ALCANZADO"], ["ALC"], ["REAL"], ["REALIZADO"]):
            return f"a{quarter}"
        return None
    return None


def _computed_field(label: str) -> tuple[bool, str | None]:
    for prefix, name in COMPUTED_LABELS.items():
        if label == prefix or label.startswith(prefix + " "):
            return True, name
    return False, None


def _is_header_token(value: object) -> bool:
    label = normalize_label(value)
    if not label:
        return True
    return (
        label in _HEADER_TOKENS
        or _field_of_label(label) is not None
        or _computed_field(label)[0]
        or V.quarter_token(label) is not None
        or any(p.search(label) for p, _ in _QUARTER_PATTERNS)
    )


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
        return Origen(self.name, f"{get_column_letter(col)}{row}")

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
        general_name = next((n for n in names if normalize_label(n) in GENERAL_SHEETS), None)
        unit_names = [
            n
            for n in names
            if n != general_name
            and normalize_label(n) not in GENERAL_SHEETS + IGNORED_SHEETS
            and not n.startswith("_")
            and not book.is_hidden(n)
        ]
        general: General | None = None
        general_ok = False
        if general_name is None:
            reading.add(
                error(
                    "hoja-general-faltante",
                    Origen(names[0] if names else "GENERAL", "A1"),
                    "El libro no tiene hoja GENERAL. Agregue una hoja llamada GENERAL con AYUNTAMIENTO, "
                    "EJERCICIO y TRIMESTRE en la columna A y sus valores en la columna B.",
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
    libro = Libro(path=str(path), general=general, unidades=tuple(unidades)) if general and general_ok else None
    return Lectura(
        libro=libro,
        problems=tuple(reading.problems),
        sheet_names=tuple(names),
        unidades=tuple(unidades),
        general=general,
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
    unidades: list[Unidad] = []
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
        return unidades
    for index, name in enumerate(names[half:], start=half + 1):
        unidades.append(_read_unit(_Sheet(book.sheet(name), reading)))
        if progress:
            progress(index, total)
    return unidades


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


_GENERAL_LABELS = {
    "AYUNTAMIENTO": "ayuntamiento",
    "EJERCICIO": "ejercicio",
    "TRIMESTRE": "trimestre",
    "FECHA": "fecha",
    "BASE DEL PORCENTAJE": "base",
    "TOLERANCIA": "tolerancia",
    "CLAVE DEL FORMATO": "clave_formato",
    "CORREO TESORERIA": "correos",
    "CORREO DE TESORERIA": "correos",
}


def _read_general(
    sheet: _Sheet, trimestre: int | None, base: Base | None, fecha: dt.date | None
) -> tuple[General | None, bool]:
    """GENERAL with defaults for invalid optional values, and whether all of it was valid."""
    found: dict[str, tuple[object, Origen, int]] = {}
    for row in range(1, sheet.max_row + 1):
        key = _GENERAL_LABELS.get(normalize_label(sheet.value(row, 1)))
        if key and key not in found:
            found[key] = (sheet.value(row, 2), sheet.origen(row, 2), row)
    reading = sheet.reading
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
        tolerancia=tolerancia,  # type: ignore[arg-type]
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


def _read_unit(sheet: _Sheet) -> Unidad:
    reading = sheet.reading
    signature_rows = {
        row: SIGNATURE_LABELS[label]
        for row in range(1, sheet.max_row + 1)
        if (label := normalize_label(sheet.rows[row - 1][0] if sheet.rows[row - 1] else None)) in SIGNATURE_LABELS
    }
    table = _find_table(sheet)
    header_end = table.header_top - 1 if table else sheet.max_row
    fields = _read_header_block(sheet, header_end, signature_rows)
    firmas = _read_signatures(sheet, signature_rows)
    metas: tuple[Meta, ...] = ()
    if table is None:
        reading.add(
            error(
                "sin-tabla",
                Origen(sheet.name, "A1"),
                "La hoja no tiene la tabla de metas: no se encontró una fila de encabezado con "
                "DESCRIPCIÓN DE METAS Y ACCIONES, UNIDAD DE MEDIDA y META ANUAL. Copie el encabezado de la plantilla.",
            )
        )
    else:
        metas = _read_goals(sheet, table, signature_rows)
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


def _read_header_block(sheet: _Sheet, last_row: int, signature_rows: dict[int, str]) -> dict:
    reading = sheet.reading
    fields: dict = {}
    seen_rows: dict[str, int] = {}
    last_repeatable: str | None = None
    for row in range(1, last_row + 1):
        label_value = sheet.value(row, 1)
        label = normalize_label(label_value)
        key = CLASSIFICATION_LABELS.get(label)
        clave = V.parse_code(sheet.value(row, 2))
        descripcion = one_line(sheet.value(row, 3))
        if key is None:
            if label or row in signature_rows:
                continue
            if last_repeatable and (clave or descripcion):
                fields[last_repeatable].append(Clasificacion(clave, descripcion, sheet.origen(row, 2)))
            continue
        if key in REPEATABLE:
            last_repeatable = key
            fields.setdefault(key, [])
            if clave or descripcion:
                fields[key].append(Clasificacion(clave, descripcion, sheet.origen(row, 2)))
            continue
        if key in seen_rows:
            continue  # not repeatable: the first one counts
        seen_rows[key] = row
        if key in REQUIRED_CLASSIFICATION:
            if not clave:
                reading.add(
                    error("campo-faltante", sheet.origen(row, 2), f"Falta la clave de {FIELD_NAMES[key]}; escríbala en esta celda (columna B).")
                )
            if not descripcion:
                reading.add(
                    error(
                        "campo-faltante",
                        sheet.origen(row, 3),
                        f"Falta la descripción de {FIELD_NAMES[key]}; escríbala en esta celda (columna C).",
                    )
                )
        if clave or descripcion:
            fields[key] = Clasificacion(clave, descripcion, sheet.origen(row, 2))
    for key in REQUIRED_CLASSIFICATION:
        if key not in seen_rows:
            reading.add(
                error(
                    "campo-faltante",
                    Origen(sheet.name, "A1"),
                    f"Falta la fila {FIELD_NAMES[key]} en el encabezado de la hoja: agréguela arriba de la tabla, "
                    f"con {FIELD_NAMES[key]} en la columna A, la clave en la B y la descripción en la C.",
                )
            )
    return fields


def _read_signatures(sheet: _Sheet, signature_rows: dict[int, str]) -> tuple[Firma, ...]:
    firmas: dict[str, Firma] = {}
    for row, rol in sorted(signature_rows.items()):
        if rol in firmas:
            continue
        nombre = one_line(sheet.value(row, 2))
        cargo = one_line(sheet.value(row, 3))
        leyenda = one_line(sheet.value(row, 4)) or DEFAULT_LEYENDAS[rol]
        if not nombre:
            sheet.reading.add(
                error("firma-faltante", sheet.origen(row, 2), f"Falta el nombre de quien firma {rol}; escríbalo en esta celda (columna B).")
            )
        firmas[rol] = Firma(rol, nombre, cargo, leyenda, sheet.origen(row, 2))
    for rol in SIGNATURE_LABELS.values():
        if rol not in firmas:
            sheet.reading.add(
                error(
                    "firma-faltante",
                    Origen(sheet.name, f"A{sheet.max_row + 1}"),
                    f"Falta la fila de firma {rol}: escriba {rol} en la columna A (debajo de la tabla), el nombre en la B "
                    "y el cargo en la C.",
                )
            )
    return tuple(firmas[r] for r in SIGNATURE_LABELS.values() if r in firmas)


def _find_table(sheet: _Sheet) -> _Table | None:
    """Locate the goals table header by its labels, and its depth (1–3 rows)."""
    width = sheet.width()
    for top in range(1, sheet.max_row + 1):
        cells = sheet.rows[top - 1]
        kinds = set()
        for value in cells:
            if isinstance(value, str):
                label = normalize_label(value)
                kind = _field_of_label(label)
                if kind in ("descripcion", "unidad_medida", "meta_anual", "observaciones", "linea_accion"):
                    kinds.add(kind)
                elif label in ("PERIODO", "P E R I O D O"):
                    kinds.add("periodo")
        if len(kinds) < 2 or not kinds & {"descripcion", "unidad_medida", "meta_anual"}:
            continue
        bottom = top
        while bottom < top + 2 and bottom < sheet.max_row:
            following = sheet.rows[bottom]
            if any(v is not None for v in following) and all(
                v is None or (isinstance(v, str) and _is_header_token(v)) for v in following
            ):
                bottom += 1
            else:
                break
        labels = _column_labels(sheet, top, bottom, width)
        columns: dict[str, int] = {}
        computed: dict[str, int] = {}
        ignored: set[int] = set()
        for col, label in labels.items():
            kind = _field_of_label(label)
            if kind and kind not in columns:
                columns[kind] = col
                continue
            is_computed, name = _computed_field(label)
            if is_computed:
                ignored.add(col)
                if name and name not in computed:
                    computed[name] = col
                continue
            if label and label not in ("PERIODO", "P E R I O D O") and not kind:
                sheet.reading.add(
                    advertencia(
                        "columna-desconocida",
                        sheet.origen(top, col),
                        f"La columna «{one_line(label)}» no se reconoce y se ignora. Si debía ser una columna de la "
                        "tabla, corrija su título como en la plantilla.",
                    )
                )
        return _Table(top, bottom, columns, computed, frozenset(ignored))
    return None


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


def _read_goals(sheet: _Sheet, table: _Table, signature_rows: dict[int, str]) -> tuple[Meta, ...]:
    reading = sheet.reading
    missing = [f for f in REQUIRED_COLUMNS if f not in table.columns]
    for name in missing:
        reading.add(
            error(
                "columna-faltante",
                sheet.origen(table.header_top, 1),
                f"A la tabla le falta la columna {TABLE_FIELDS[name]}. Agréguela al encabezado (fila "
                f"{table.header_top}) con ese título, como en la plantilla.",
            )
        )
    columns = table.columns
    computed_cols = table.ignored
    letters = {name: get_column_letter(col) for name, col in columns.items()}
    # one dict for every goal of the table (never changed): less memory, and pickled once
    meta_columns = letters | {f"computed:{k}": get_column_letter(c) for k, c in table.computed.items()}
    metas: list[Meta] = []
    for row in range(table.header_bottom + 1, sheet.max_row + 1):
        if row in signature_rows:
            break
        if sheet.row_is_blank(row, computed_cols):
            continue

        def text(name: str) -> str:
            return clean_text(sheet.value(row, columns[name])) if name in columns else ""

        ilegibles: set[str] = set()

        def number(name: str) -> tuple[Decimal | None, bool]:
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
