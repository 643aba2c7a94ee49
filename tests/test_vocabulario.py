"""The capture format's words: one vocabulary for the header detector and the column parser."""
from __future__ import annotations

import pytest

from poa_xlsx import vocabulario as W
from poa_xlsx.text import normalize_label

# every column label the parser accepts, in the forms users write them
ACCEPTED_LABELS = [
    "L/A", "LÍNEA DE ACCIÓN", "LÍNEA DE ACCIÓN P.M.D.", "NÚM.", "NO.", "NÚMERO", "CLAVE", "N°", "Nº", "#",
    "DESCRIPCIÓN", "DESCRIPCIÓN DE METAS Y ACCIONES", "METAS Y ACCIONES", "UNIDAD DE MEDIDA", "7. UNIDAD DE MEDIDA",
    "META ANUAL", "META ANUAL AUTORIZADA", "META ANUAL 2025", "OBSERVACIONES", "JUSTIFICACIÓN",
    "OBSERVACIONES/JUSTIFICACIÓN", "P1", "A4", "ENE-MAR P", "T1 PROGRAMADO", "1ER TRIMESTRE A", "TRIMESTRE 1 PROG",
    "(Q1) TRIMESTRE 1 ALC", "Trimestre I - 2025 REAL", "Q2 REALIZADO", "T3. 2025 EJECUTADO", "IV TRIMESTRE LOGRADO",
    "SEGUNDO TRIMESTRE RESULTADO", "Enero-Marzo PLANEADO", "Q4 META", "T2 EJECUCIÓN", "T1 ALCANZADAS",
]


@pytest.mark.parametrize("label", ACCEPTED_LABELS)
def test_every_label_the_parser_accepts_is_a_header_word(label):
    assert W.table_field(normalize_label(label)) is not None
    assert W.is_header_word(label)


@pytest.mark.parametrize("word", sorted(W.PROGRAMADO_WORDS | W.ALCANZADO_WORDS))
def test_every_pa_word_alone_is_a_header_word(word):
    assert W.is_header_word(word)  # "PROGRAMADO | REALIZADO" under the quarter names is a header row


@pytest.mark.parametrize("word", sorted(W.PROGRAMADO_WORDS | W.ALCANZADO_WORDS))
@pytest.mark.parametrize("quarter", ["ENE-MAR", "T1", "TRIMESTRE 1", "Q1", "TRIMESTRE I - 2025", "1ER TRIMESTRE"])
def test_every_pa_word_with_a_quarter_names_its_column(word, quarter):
    kind = "a" if word in W.ALCANZADO_WORDS else "p"
    assert W.table_field(normalize_label(f"{quarter} {word}")) == f"{kind}1"


@pytest.mark.parametrize(
    "label, field",
    [("TRIMESTRE 2 PROGRAMADA", "p2"), ("(Q3) TRIMESTRE 3 ALCANZADA", "a3"), ("Trimestre IV - 2025 P", "p4"),
     ("Q2 A", "a2"), ("T4. 2025 META", "p4"), ("META ALCANZADA T3", "a3"), ("III TRIMESTRE REALIZADA", "a3")],
)
def test_quarter_headers(label, field):
    assert W.table_field(normalize_label(label)) == field


@pytest.mark.parametrize(
    "label",
    ["Q1 TRIMESTRE 2 P",  # two quarters: no column
     "T1 AVANCE ABSOLUTO", "ENE-MAR", "TRIMESTRE 1", "OBJETIVO", "INDICADOR", "RESPONSABLE", "META"],
)
def test_labels_that_name_no_column(label):
    assert W.table_field(normalize_label(label)) is None


@pytest.mark.parametrize("value", ["hola", "12", "Promover el desarrollo", "REUNIÓN", "3.1.2"])
def test_data_is_no_header_word(value):
    assert not W.is_header_word(value)


@pytest.mark.parametrize(
    "text, expected",
    [("RAMO: 59 COMISIÓN DE DESARROLLO INDUSTRIAL", ("ramo", "59 COMISIÓN DE DESARROLLO INDUSTRIAL")),
     ("Unidad Ejecutora: 101 Dirección", ("unidad_ejecutora", "101 Dirección")),
     ("1. PROGRAMA: 511 GESTIÓN", ("programa", "511 GESTIÓN")),
     ("LÍNEAS DE ACCIÓN 4.6.1 MESURA", ("lineas_accion", "4.6.1 MESURA")),
     ("RAMO: PRESIDENCIA", ("ramo", "PRESIDENCIA")),  # no code: the reader names what is missing
     ("PROGRAMA OPERATIVO ANUAL 2023", None),  # a title, not a label
     ("RAMO", None)],
)
def test_label_and_value_in_one_cell(text, expected):
    assert W.split_label_cell(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("59 COMISIÓN", ("59", "COMISIÓN")), ("59.- COMISIÓN", ("59", "COMISIÓN")), ("3.7.1 TURISMO", ("3.7.1", "TURISMO")),
     ("PY10 EVALUACIÓN", ("PY10", "EVALUACIÓN")), ("005 - X", ("005", "X")), ("COMISIÓN", ("", "COMISIÓN")),
     ("59", ("59", ""))],
)
def test_code_and_description(text, expected):
    assert W.split_code(text) == expected


@pytest.mark.parametrize("label, field", [("7. RAMO", "ramo"), ("UNIDAD RESPONSABLE", "unidad_ejecutora"),
                                         ("III. FUNCION", "funcion"), ("LINEA DE ACCION", "lineas_accion")])
def test_classification_labels(label, field):
    assert W.classification_field(label) == field


@pytest.mark.parametrize("value, role", [("ELABORÓ", "ELABORÓ"), ("Elaboró:", "ELABORÓ"), ("elaborado por", "ELABORÓ"),
                                         ("REVISO", "REVISÓ"), ("Autorizó", "AUTORIZÓ"), ("REVISIÓN", None),
                                         ("AUTORIZACIÓN DEL GASTO", None), (12, None)])
def test_signature_roles(value, role):
    assert W.signature_role(value) == role


def test_roles_and_legends():
    assert W.ROLES == ("ELABORÓ", "REVISÓ", "AUTORIZÓ")
    assert set(W.LEYENDAS) == set(W.ROLES) == set(W.SIGNATURE_LABELS.values())
    assert len(W.QUARTER_NAMES) == 4


@pytest.mark.parametrize(
    "name, kind",
    [("GENERAL", "general"), ("Datos generales", "general"), ("INSTRUCCIONES", "ignorada"),
     ("INSTRUCTIVO DE LLENADO", "ignorada"), ("LÉEME", "ignorada"), ("Descripción de campos", "ignorada"),
     ("CATÁLOGO DE UNIDADES", "ignorada"), ("RESUMEN", "ignorada"), ("_notas", "ignorada"), ("201 Promoción", "unidad")],
)
def test_sheet_kinds(name, kind):
    assert W.sheet_kind(name) == kind


def test_reader_uses_the_vocabulary():
    # one vocabulary: the reader's names are the vocabulary's objects, not copies that could drift
    from poa_xlsx.lectura import reader

    assert reader.CLASSIFICATION_LABELS is W.CLASSIFICATION_LABELS
    assert reader.DEFAULT_LEYENDAS is W.LEYENDAS
    assert reader.TABLE_FIELDS is W.TABLE_FIELDS
