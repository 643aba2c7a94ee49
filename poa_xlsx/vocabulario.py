"""The capture format's words, in one place, and the functions that recognise them.

Every label the reader accepts (the GENERAL sheet, the unit's header block,
the goals table, the signatures) and every word the tool prints for them
(quarter names, signature roles, default legends) lives here, so that the
header detector and the column parser of :mod:`poa_xlsx.reader`, the template
writer and the report cannot drift apart.

Functions take labels already normalised by :func:`poa_xlsx.text.normalize_label`
(upper case, no accents, single spaces, no trailing ``:``) unless they say
otherwise. Accepted forms are listed for users in ``docs/formato.md``.
"""
from __future__ import annotations

import functools
import re

from poa_xlsx.text import normalize_label

# --- sheets ---------------------------------------------------------------------

GENERAL_SHEETS = ("GENERAL", "DATOS GENERALES")
# Sheets that are never units: by their exact (normalised) name...
IGNORED_SHEETS = ("INSTRUCCIONES", "CATALOGOS", "RESUMEN", "LEEME", "LEAME", "README")
# ...or by how their name begins: instructions and catalogues other offices add.
IGNORED_SHEET_PREFIXES = ("INSTRUCTIVO", "INSTRUCCION", "DESCRIPCION", "CATALOGO", "LEEME", "LEAME", "LEE ME")


def sheet_kind(name: str) -> str:
    """``"general"``, ``"ignorada"`` (instructions, catalogues, ``_notas``) or ``"unidad"``."""
    label = normalize_label(name)
    if label in GENERAL_SHEETS:
        return "general"
    if name.startswith("_") or label in IGNORED_SHEETS or label.startswith(IGNORED_SHEET_PREFIXES):
        return "ignorada"
    return "unidad"


# --- the GENERAL sheet --------------------------------------------------------------

GENERAL_LABELS: dict[str, str] = {
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

# --- the unit's header block (classification) ------------------------------------------

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
# How each field is named to users, and written in the template (in this order).
FIELD_NAMES: dict[str, str] = {
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

# "7. RAMO", "7) RAMO", "7.- RAMO", "VII. RAMO": a form's numbering before a label
_LEADING_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+)\s*(?:\.-|[.)\-])\s*|^\d+\s+(?=[A-Z])")
# "META ANUAL 2025", "META ANUAL (2025)", "META ANUAL - 2025": a year after a label
_TRAILING_YEAR = re.compile(r"\s*[-/,(]?\s*(?:19|20)\d\d\s*\)?$")


def strip_decorations(label: str) -> str:
    """``label`` without a leading item number (``7. ``) and a trailing year (`` 2025``)."""
    bare = _LEADING_NUMBER.sub("", label, count=1)
    bare = _TRAILING_YEAR.sub("", bare, count=1)
    return bare.strip(" .:-")


def classification_field(label: str) -> str | None:
    """The header-block field a (normalised) label names: ``"ramo"``, ``"ejes"``..."""
    field = CLASSIFICATION_LABELS.get(label)
    if field is None and label:
        field = CLASSIFICATION_LABELS.get(strip_decorations(label))
    return field


# "RAMO: 59 COMISIÓN ...", "UNIDAD EJECUTORA 101 DIRECCIÓN", "PROGRAMA.- 511 GESTIÓN"
_LABEL_WITH_VALUE = re.compile(
    r"^\s*(?:\d+\s*[.)\-]+\s*)?("
    + "|".join(sorted((r"\s+".join(map(re.escape, k.split())) for k in CLASSIFICATION_LABELS), key=len, reverse=True))
    + r")\s*(?P<sep>:|\.-|-|\.|\s)\s*(?P<value>\S.*)$",
    re.DOTALL,
)
# a code: 59, 005, 3.7.1, PY10, 01-2, A.1 (has a digit, no spaces, short)
_CODE = re.compile(r"^(?=[^\s]*\d)[A-Z0-9][A-Z0-9.\-/]{0,14}$")


def split_label_cell(value: object) -> tuple[str, str] | None:
    """A cell holding a header label and its value: (field, value text), else None.

    ``RAMO: 59 COMISIÓN DE DESARROLLO INDUSTRIAL`` gives ``("ramo", "59
    COMISIÓN DE DESARROLLO INDUSTRIAL")``; the value keeps its case and accents.
    Without a ``:`` after the label the value must begin with a code, so that a
    title such as ``PROGRAMA OPERATIVO ANUAL 2023`` is no label.
    """
    if not isinstance(value, str) or len(value) < 5:
        return None
    # match on an accent-free upper copy of the same length, cut the original
    plain = _plain_same_length(value)
    match = _LABEL_WITH_VALUE.match(plain)
    if not match:
        return None
    field = CLASSIFICATION_LABELS.get(" ".join(match[1].split()))
    if field is None:
        return None
    text = " ".join(value[match.start("value"):].split())
    if match["sep"] != ":" and not split_code(text)[0]:
        return None
    return field, text


def split_code(text: str) -> tuple[str, str]:
    """``"59 COMISIÓN ..."`` -> ``("59", "COMISIÓN ...")``; no code -> ``("", text)``.

    Also ``"59 - COMISIÓN"``, ``"59.- COMISIÓN"`` and ``"3.7.1 TURISMO"``. A
    text that is only a code gives ``(code, "")``.
    """
    text = " ".join(text.split())
    head, _, rest = text.partition(" ")
    head_plain = _plain_same_length(head)
    if head_plain.endswith((".-", "-", ":")) and len(head_plain) > 1:
        head, head_plain = head.rstrip(".-:"), head_plain.rstrip(".-:")
    if not _CODE.match(head_plain):
        return "", text
    rest = rest.strip()
    if rest[:2] in (".-", "- ") or rest[:1] in ("-", ":", "–"):
        rest = rest.lstrip(".-:– ").strip()
    return head, rest


def _plain_same_length(text: str) -> str:
    """Upper case without accents, one character per character of ``text``."""
    import unicodedata

    return "".join((unicodedata.normalize("NFKD", ch)[:1] or ch).upper()[:1] for ch in text)


# --- signatures ---------------------------------------------------------------------------

ROLES = ("ELABORÓ", "REVISÓ", "AUTORIZÓ")
ELABORO, REVISO, AUTORIZO = ROLES  # by name, for code that picks one
SIGNATURE_LABELS: dict[str, str] = {
    "ELABORO": "ELABORÓ",
    "ELABORADO POR": "ELABORÓ",
    "REVISO": "REVISÓ",
    "REVISADO POR": "REVISÓ",
    "AUTORIZO": "AUTORIZÓ",
    "AUTORIZADO POR": "AUTORIZÓ",
}
LEYENDAS: dict[str, str] = {
    "ELABORÓ": "RESPONSABLE DE LA UNIDAD EJECUTORA",
    "REVISÓ": "RESPONSABLE DEL PROGRAMA",
    "AUTORIZÓ": "RESPONSABLE DEL RAMO",
}
SIGNATURE_MAX_LENGTH = max(len(k) for k in SIGNATURE_LABELS) + 4  # room for ":" and spaces
SIGNATURE_FIRST_CHARS = frozenset("EeRrAa \t\n")  # a cheap test before signature_role
_SIGNATURE_STARTS = frozenset({"ELA", "REV", "AUT"})
# Titles that begin a person's name on Mexican forms (to tell the name from the cargo).
HONORIFICS = (
    "LIC", "LICDA", "ING", "INGA", "ARQ", "C", "CC", "CP", "C.P", "DR", "DRA", "MTRO", "MTRA", "MAESTRO", "MAESTRA",
    "PROF", "PROFR", "PROFRA", "PROFA", "MC", "M.C", "MVZ", "Q.F.B", "QFB", "T.S", "TS", "ABOG", "ECON", "ENF", "SR", "SRA",
)
_HONORIFIC = re.compile(r"^(?:" + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True)) + r")\.?\s")


# Words that begin a position (cargo), to tell it from a name written without a title.
CARGO_WORDS = frozenset({
    "COORDINADOR", "COORDINADORA", "DIRECTOR", "DIRECTORA", "SUBDIRECTOR", "SUBDIRECTORA", "JEFE", "JEFA",
    "ENCARGADO", "ENCARGADA", "SECRETARIO", "SECRETARIA", "TITULAR", "ADMINISTRADOR", "ADMINISTRADORA",
    "TESORERO", "TESORERA", "PRESIDENTE", "PRESIDENTA", "REGIDOR", "REGIDORA", "SINDICO", "SINDICA", "ANALISTA",
    "AUXILIAR", "ASISTENTE", "GERENTE", "SUPERVISOR", "SUPERVISORA", "RESPONSABLE", "ENLACE", "CONTRALOR",
    "CONTRALORA", "OFICIAL", "DELEGADO", "DELEGADA", "COMISIONADO", "COMISIONADA", "ASESOR", "ASESORA",
})


def looks_like_cargo(label: str) -> bool:
    """A position such as ``COORDINADOR ADMINISTRATIVO`` (normalised label)."""
    return label.split(" ", 1)[0] in CARGO_WORDS


def signature_role(value: object) -> str | None:
    """The role a cell's label names (``ELABORÓ``...), else None. Cheap on non-labels."""
    if not isinstance(value, str) or len(value) > SIGNATURE_MAX_LENGTH:
        return None
    text = value.lstrip()
    if text[:3].upper() not in _SIGNATURE_STARTS:
        return None
    return SIGNATURE_LABELS.get(normalize_label(text))


def is_legend(label: str) -> bool:
    """A signature legend printed above the name (``RESPONSABLE DEL RAMO``...)."""
    return label.startswith("RESPONSABLE ")


def looks_like_name(label: str) -> bool:
    """A person's name with its title: ``LIC. AARÓN ALEXIS ÁLVAREZ MARÍN``."""
    return bool(_HONORIFIC.match(label + " "))


# --- the goals table ----------------------------------------------------------------------

# How each column is named to users (in messages and in the capture template).
QUARTER_NAMES = ("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic")
QUARTER_ORDINALS = ("PRIMER", "SEGUNDO", "TERCER", "CUARTO")
# the quarters in running text (the e-mail): «de enero a marzo»
QUARTER_MONTHS = ("enero a marzo", "abril a junio", "julio a septiembre", "octubre a diciembre")
TABLE_FIELDS: dict[str, str] = {
    "linea_accion": "LÍNEA DE ACCIÓN",
    "numero": "NÚM.",
    "descripcion": "DESCRIPCIÓN DE METAS Y ACCIONES",
    "unidad_medida": "UNIDAD DE MEDIDA",
    "meta_anual": "META ANUAL",
    "observaciones": "OBSERVACIONES",
    **{f"p{q}": f"{name.upper()} P" for q, name in enumerate(QUARTER_NAMES, start=1)},
    **{f"a{q}": f"{name.upper()} A" for q, name in enumerate(QUARTER_NAMES, start=1)},
}
REQUIRED_COLUMNS = ("descripcion", "unidad_medida", "meta_anual", "p1", "p2", "p3", "p4", "a1", "a2", "a3", "a4")
NUMBER_COLUMNS = ("meta_anual", "p1", "p2", "p3", "p4", "a1", "a2", "a3", "a4")
# The fields whose label alone says "this row is the table's header".
HEADER_KEY_FIELDS = ("descripcion", "unidad_medida", "meta_anual")

NUMERO_LABELS = frozenset({"NUM", "NO", "NUMERO", "CLAVE", "N", "#", "N°", "N °", "NO DE META", "NUM DE META",
                           "NUMERO DE META", "NO. DE META", "NUM. DE META", "ID"})
LINEA_LABELS = frozenset({"L/A", "LA"})
META_ANUAL_LABELS = frozenset({"META ANUAL", "META ANUAL AUTORIZADA", "META ANUAL PROGRAMADA", "META ANUAL PROGRAMADA TOTAL",
                               "META TOTAL ANUAL", "META ANUAL TOTAL"})
OBSERVACIONES_LABELS = frozenset({"OBSERVACIONES", "JUSTIFICACION", "OBSERVACIONES/JUSTIFICACION",
                                  "OBSERVACIONESYJUSTIFICACION", "OBSERVACION", "JUSTIFICACIONES"})

# Words that say a quarter column holds what was programmed (P) or achieved (A).
PROGRAMADO_WORDS = frozenset({
    "P", "PROG", "PROGRAMADO", "PROGRAMADA", "PROGRAMADOS", "PROGRAMADAS", "PROGRAMACION",
    "PLANEADO", "PLANEADA", "PLANEADOS", "PLANEADAS", "META", "METAS",
})
ALCANZADO_WORDS = frozenset({
    "A", "ALC", "ALCANZADO", "ALCANZADA", "ALCANZADOS", "ALCANZADAS", "REAL", "REALIZADO", "REALIZADA",
    "REALIZADOS", "REALIZADAS", "EJECUTADO", "EJECUTADA", "EJECUTADOS", "EJECUTADAS", "EJECUCION",
    "LOGRADO", "LOGRADA", "LOGRADOS", "LOGRADAS", "RESULTADO", "RESULTADOS",
})
# Words a header cell may hold besides the quarter and P/A: they add nothing.
_FILLER_WORDS = frozenset({"PERIODO", "TRIMESTRE", "TRIMESTRAL", "DE", "DEL", "LA", "EL", "AL", "EN", "Y"})
HEADER_WORDS = frozenset({"PERIODO", "P E R I O D O", "TRIMESTRE", "TRIMESTRES", "TRIMESTRAL", "AVANCE",
                          "AVANCE TRIMESTRAL", "AVANCE FISICO", "PROGRAMADO VS ALCANZADO"})

# Columns the tool computes itself: their label, and which figure (None: none compared).
COMPUTED_LABELS: dict[str, str | None] = {
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

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_WORD_QUARTER = {"PRIMER": 1, "PRIMERO": 1, "SEGUNDO": 2, "TERCER": 3, "TERCERO": 3, "CUARTO": 4}
_QUARTER = re.compile(
    r"(?P<m1>\bENE(?:RO)?\s*(?:-|/|\bA\b)\s*MAR(?:ZO)?\b)"
    r"|(?P<m2>\bABR(?:IL)?\s*(?:-|/|\bA\b)\s*JUN(?:IO)?\b)"
    r"|(?P<m3>\bJUL(?:IO)?\s*(?:-|/|\bA\b)\s*SEP(?:T(?:IEMBRE)?)?\b)"
    r"|(?P<m4>\bOCT(?:UBRE)?\s*(?:-|/|\bA\b)\s*DIC(?:IEMBRE)?\b)"
    r"|\b[TQ]\s*(?P<tq>[1-4])\b"
    r"|\bTRIMESTRE\s*(?:NO\.?\s*|NUM\.?\s*|N°\s*)?(?P<after>[1-4]|IV|III|II|I)\b"
    r"|\b(?P<before>[1-4]|IV|III|II|I)\s*(?:ER|RO|DO|TO|O|°|º)?\.?\s+TRIMESTRE\b"
    r"|\b(?P<word>PRIMER|PRIMERO|SEGUNDO|TERCER|TERCERO|CUARTO)\s+TRIMESTRE\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PUNCT = re.compile(r"[()\[\].,:;/\-–]")


def quarter_mentions(label: str) -> tuple[set[int], str]:
    """The quarters a label names and what is left of it once they are removed."""
    quarters: set[int] = set()
    pieces: list[str] = []
    last = 0
    for match in _QUARTER.finditer(label):
        kind = match.lastgroup
        if kind is None:
            continue
        token = match[kind]
        if kind.startswith("m"):
            quarters.add(int(kind[1]))
        elif kind == "word":
            quarters.add(_WORD_QUARTER[token])
        else:
            quarters.add(int(token) if token.isdigit() else _ROMAN[token])
        pieces.append(label[last:match.start()])
        last = match.end()
    pieces.append(label[last:])
    return quarters, " ".join(pieces)


def pa_kind(words: str) -> str | None:
    """``"p"`` or ``"a"`` when ``words`` (no quarter in them) say programado or alcanzado."""
    tokens = [t for t in _PUNCT.sub(" ", _YEAR.sub(" ", words)).split() if t not in _FILLER_WORDS]
    if not tokens:
        return None
    if any(t in ALCANZADO_WORDS for t in tokens) and all(t in ALCANZADO_WORDS or t in PROGRAMADO_WORDS for t in tokens):
        return "a"  # "META ALCANZADA": META is the noun, ALCANZADA says which figure
    if all(t in PROGRAMADO_WORDS for t in tokens):
        return "p"
    return None


def quarter_field(label: str) -> str | None:
    """``"p1"``…``"a4"`` for a quarter column's combined label, else None."""
    quarters, rest = quarter_mentions(label)
    if len(quarters) != 1:
        return None
    kind = pa_kind(rest)
    return f"{kind}{quarters.pop()}" if kind else None


_PA_NUMBER = re.compile(r"([PA])\s*([1-4])")


@functools.lru_cache(maxsize=4096)  # the same few labels on every sheet of a workbook
def table_field(label: str) -> str | None:
    """Which table field a column's combined (normalised) label names, if any."""
    if not label:
        return None
    field = _plain_table_field(label)
    if field is None:
        bare = strip_decorations(label)
        if bare and bare != label:
            field = _plain_table_field(bare)
    return field


def _plain_table_field(label: str) -> str | None:
    bare = label.rstrip(".").strip()
    if bare in LINEA_LABELS or bare.startswith(("LINEA DE ACCION", "LINEAS DE ACCION")):
        return "linea_accion"
    if bare in NUMERO_LABELS:
        return "numero"
    if bare.startswith("DESCRIPCION") or bare in ("METAS Y ACCIONES", "META O ACCION", "METAS O ACCIONES"):
        return "descripcion"
    if bare == "UNIDAD DE MEDIDA" or bare == "UNIDAD DE MEDIDA DE LA META":
        return "unidad_medida"
    if bare in META_ANUAL_LABELS:
        return "meta_anual"
    if bare.replace(" ", "") in OBSERVACIONES_LABELS or bare in OBSERVACIONES_LABELS:
        return "observaciones"
    match = _PA_NUMBER.fullmatch(bare)
    if match:
        return f"{match[1].lower()}{match[2]}"
    return quarter_field(bare)


@functools.lru_cache(maxsize=4096)
def computed_field(label: str) -> tuple[bool, str | None]:
    """Whether the label names a column the tool computes, and which figure it holds."""
    for prefix, name in COMPUTED_LABELS.items():
        if label == prefix or label.startswith(prefix + " "):
            return True, name
    bare = strip_decorations(label)
    if bare != label:
        return computed_field(bare)
    return False, None


@functools.lru_cache(maxsize=4096)
def is_header_word(value: object) -> bool:
    """A cell that may stand in a table header's lower rows: any word of the table's vocabulary.

    Every label :func:`table_field` accepts, every P/A word alone
    (``PROGRAMADO``, ``REALIZADO``, ``REAL``...), quarter names, computed
    columns and ``PERIODO``.
    """
    label = normalize_label(value)
    if not label:
        return True
    if label in HEADER_WORDS or pa_kind(label) is not None or table_field(label) is not None or computed_field(label)[0]:
        return True
    quarters, rest = quarter_mentions(label)
    return bool(quarters) and (not rest.strip(" -.()") or pa_kind(rest) is not None or _only_fillers(rest))


def _only_fillers(words: str) -> bool:
    return all(t in _FILLER_WORDS for t in _PUNCT.sub(" ", _YEAR.sub(" ", words)).split())


def is_period_label(label: str) -> bool:
    """``PERIODO`` over the quarter columns (it names no column by itself)."""
    return label in ("PERIODO", "P E R I O D O", "PERIODOS", "TRIMESTRES", "AVANCE TRIMESTRAL")
