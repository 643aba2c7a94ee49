"""The reader: labels and synonyms, sheets, header block, table layouts, cells."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from builders import DEFAULT_FIRMAS, DEFAULT_GENERAL, DEFAULT_HEADER, Goal, Unit, cache_formula_values
from openpyxl import load_workbook

from poa_xlsx.lectura.reader import DEFAULT_LEYENDAS, read_workbook
from poa_xlsx.model import Base


def located(problems):
    return {(p.code, p.origen.sheet, p.origen.cell) for p in problems}


def read(path, **kwargs):
    return read_workbook(str(path), **kwargs)


def only_unit(lectura):
    assert lectura.libro is not None, [str(p) for p in lectura.problems]
    (unidad,) = lectura.libro.unidades
    return unidad


def edit(path, func):
    """Change a saved workbook with openpyxl (full mode keeps merges) and save it."""
    wb = load_workbook(path)
    func(wb)
    wb.save(path)
    return path


def header_with(**labels):
    """DEFAULT_HEADER with some column-A labels replaced: header_with(RAMO="ramo:")."""
    return [(labels.get(label, label), clave, desc) for label, clave, desc in DEFAULT_HEADER]


# --- a plain workbook ------------------------------------------------------------


def test_default_workbook_reads_cleanly(make_workbook):
    lectura = read(make_workbook())
    assert lectura.problems == ()
    g = lectura.libro.general
    assert g.ayuntamiento == DEFAULT_GENERAL["AYUNTAMIENTO"]
    assert (g.ejercicio, g.trimestre, g.fecha) == (2023, 2, dt.date(2023, 6, 30))
    assert g.base is Base.META_ANUAL and g.tolerancia == Decimal("0.1")
    assert g.clave_formato == "TMM-F004" and g.correos == ("tesoreria@example.org",)
    u = only_unit(lectura)
    assert u.sheet == "201 Promoción"
    assert (u.ramo.clave, u.programa.clave, u.unidad_ejecutora.clave) == ("59", "592", "201")
    assert (u.finalidad.clave, u.funcion.clave, u.subfuncion.clave) == ("3", "4", "2")
    assert u.proyecto is None
    assert u.ramo.descripcion == "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"
    (m,) = u.metas
    assert m.numero == "303" and m.lineas_accion == ("3.1.2",)
    assert m.unidad_medida == "REUNIÓN" and m.meta_anual == 72
    assert m.programado == (12, 33, 19, 8)
    assert m.alcanzado == (12, 24, None, None)
    assert m.observaciones.startswith("Este trimestre")
    assert m.origen("meta_anual").cell == f"E{m.row}"


def test_input_file_is_not_modified(make_workbook):
    path = make_workbook()
    before = path.read_bytes()
    read(path)
    assert path.read_bytes() == before


# --- GENERAL sheet ---------------------------------------------------------------


@pytest.mark.parametrize("sheet_name", ["GENERAL", "DATOS GENERALES", "Datos generales", "general"])
def test_general_sheet_names(make_workbook, sheet_name):
    lectura = read(make_workbook(general_sheet=sheet_name))
    assert lectura.problems == ()
    assert lectura.libro.general.ejercicio == 2023
    assert [u.sheet for u in lectura.libro.unidades] == ["201 Promoción"]


@pytest.mark.parametrize(
    "labels",
    [
        {"AYUNTAMIENTO": "ayuntamiento", "EJERCICIO": "Ejercicio:", "TRIMESTRE": "  TRIMESTRE  ", "FECHA": "fecha",
         "BASE DEL PORCENTAJE": "Base del porcentaje:", "TOLERANCIA": "Tolerancia", "CLAVE DEL FORMATO": "CLAVE  DEL\nFORMATO",
         "CORREO TESORERÍA": "correo tesoreria:"},
        {"CORREO TESORERÍA": "CORREO DE TESORERÍA"},
        {"CORREO TESORERÍA": "Correo de\nTesoreria :"},
        {"BASE DEL PORCENTAJE": "BASE  DEL  PORCENTAJE", "EJERCICIO": "EJERCICIO\n"},
    ],
)
def test_general_labels_match_loosely(make_workbook, labels):
    values = {**DEFAULT_GENERAL, "BASE DEL PORCENTAJE": "PROGRAMADO AL PERIODO", "CLAVE DEL FORMATO": "TMM-F004-X",
              "CORREO TESORERÍA": "a@b.mx; c@d.mx"}
    general = {labels.get(k, k): v for k, v in values.items()}
    lectura = read(make_workbook(general=general))
    assert lectura.problems == ()
    g = lectura.libro.general
    assert (g.ejercicio, g.trimestre, g.base) == (2023, 2, Base.PROGRAMADO)
    assert g.clave_formato == "TMM-F004-X"
    assert g.correos == ("a@b.mx", "c@d.mx")


def test_general_defaults(make_workbook):
    general = {"AYUNTAMIENTO": "XXV AYUNTAMIENTO", "EJERCICIO": 2024, "TRIMESTRE": "PRIMER TRIMESTRE"}
    lectura = read(make_workbook(general=general))
    assert lectura.problems == ()
    g = lectura.libro.general
    assert g.trimestre == 1
    assert g.fecha == dt.date(2024, 3, 31)  # last day of the quarter
    assert g.base is Base.META_ANUAL
    assert g.tolerancia == Decimal("0.1")
    assert g.clave_formato == "TMM-F004"
    assert g.correos == ()


@pytest.mark.parametrize("raw, expected", [("31/03/2024", dt.date(2024, 3, 31)), ("30-jun.-23", dt.date(2023, 6, 30)),
                                           (dt.datetime(2023, 6, 29), dt.date(2023, 6, 29))])
def test_general_fecha(make_workbook, raw, expected):
    lectura = read(make_workbook(general={**DEFAULT_GENERAL, "FECHA": raw}))
    assert lectura.problems == ()
    assert lectura.libro.general.fecha == expected


def test_general_overrides(make_workbook):
    lectura = read(make_workbook(), trimestre=3, base=Base.PROGRAMADO, fecha=dt.date(2023, 10, 5))
    g = lectura.libro.general
    assert (g.trimestre, g.base, g.fecha) == (3, Base.PROGRAMADO, dt.date(2023, 10, 5))


@pytest.mark.parametrize("number_format, value, expected", [("0%", 0.15, Decimal("0.15")), ("0.00%", 0.1, Decimal("0.1")),
                                                           ("General", 5, Decimal("0.05"))])
def test_general_tolerancia_cells(make_workbook, number_format, value, expected):
    path = make_workbook(general={**DEFAULT_GENERAL, "TOLERANCIA": value})

    def fmt(wb):
        wb["GENERAL"]["B6"].number_format = number_format

    lectura = read(edit(path, fmt))
    assert lectura.problems == ()
    assert lectura.libro.general.tolerancia == expected


def test_general_percent_formatted_tolerancia_is_read_as_displayed(make_workbook):
    # 5 in a percent cell shows 500 %: out of range, not 5 %
    path = make_workbook(general={**DEFAULT_GENERAL, "TOLERANCIA": 5})

    def fmt(wb):
        wb["GENERAL"]["B6"].number_format = "0%"

    lectura = read(edit(path, fmt))
    assert located(lectura.problems) == {("dato-general-invalido", "GENERAL", "B6")}


def test_general_cells_located_with_leading_blank_rows(tmp_path):
    from builders import write_unit
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "GENERAL"
    ws["A3"], ws["B3"] = "AYUNTAMIENTO", "XXIV AYUNTAMIENTO"
    ws["A5"], ws["B5"] = "EJERCICIO", "dos mil"
    ws["A6"], ws["B6"] = "TRIMESTRE", 1
    write_unit(wb.create_sheet("101"), Unit(goals=[Goal(a=(12, None, None, None))]))
    wb.save(tmp_path / "l.xlsx")
    lectura = read(tmp_path / "l.xlsx")
    assert ("dato-general-invalido", "GENERAL", "B5") in located(lectura.problems)


# --- sheets ------------------------------------------------------------------------


def test_ignored_sheets(make_workbook):
    ignored = ("INSTRUCCIONES", "CATÁLOGOS", "Catalogos", "RESUMEN", "_x", "_notas")
    path = make_workbook(extra_sheets=ignored, units=[Unit(sheet="101"), Unit(sheet="oculta", header=header_with())])

    def hide(wb):
        wb["oculta"].sheet_state = "hidden"

    lectura = read(edit(path, hide))
    assert [u.sheet for u in lectura.libro.unidades] == ["101"]
    assert lectura.problems == ()  # neither the text sheets nor the hidden copy were read as units


def test_sheet_order_is_report_order(make_workbook):
    names = ["Z 300", "A 100", "M 200"]
    units = [Unit(sheet=n, header=[(l, n.split()[1] if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in DEFAULT_HEADER])
             for n in names]
    lectura = read(make_workbook(units=units))
    assert lectura.problems == ()
    assert [u.sheet for u in lectura.libro.unidades] == names
    assert [u.unidad_ejecutora.clave for u in lectura.libro.unidades] == ["300", "100", "200"]


# --- header block --------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [
        {"RAMO": "ramo", "PROGRAMA": "Programa:", "UNIDAD EJECUTORA": "UNIDAD RESPONSABLE", "FINALIDAD": " finalidad ",
         "FUNCIÓN": "FUNCION", "SUBFUNCIÓN": "subfunción:", "EJE DE GOBIERNO": "EJES DE GOBIERNO",
         "LÍNEAS DE ACCIÓN": "LÍNEA DE ACCIÓN"},
        {"UNIDAD EJECUTORA": "Unidad\nEjecutora", "FUNCIÓN": "Función :", "SUBFUNCIÓN": "SUBFUNCION",
         "EJE DE GOBIERNO": "eje  de  gobierno", "LÍNEAS DE ACCIÓN": "lineas de accion:"},
        {"UNIDAD EJECUTORA": "unidad responsable:", "LÍNEAS DE ACCIÓN": "LINEAS  DE\nACCION"},
    ],
)
def test_header_labels_and_synonyms(make_workbook, labels):
    lectura = read(make_workbook(units=[Unit(header=header_with(**labels))]))
    assert lectura.problems == ()
    u = only_unit(lectura)
    assert u.unidad_ejecutora.clave == "201" and u.funcion.clave == "4" and u.subfuncion.clave == "2"
    assert [e.clave for e in u.ejes] == ["3"]
    assert [la.clave for la in u.lineas_accion] == ["3.1.2", "2.3.1"]


def test_repeatable_fields(make_workbook):
    header = [
        *DEFAULT_HEADER[:6],
        ("PROYECTO", "PY10", "EVALUACIÓN DEL DESEMPEÑO"),
        ("EJES DE GOBIERNO", "1", "MEXICALI SEGURO"),
        ("", "2", "MEXICALI INCLUYENTE"),
        ("", None, "MEXICALI CRECE"),  # description only still adds an entry
        ("LÍNEA DE ACCIÓN", "4.3.3", "A"),
        ("", "4.6.1", "B"),
        ("", "5.1", None),
    ]
    u = only_unit(read(make_workbook(units=[Unit(header=header)])))
    assert [(e.clave, e.descripcion) for e in u.ejes] == [("1", "MEXICALI SEGURO"), ("2", "MEXICALI INCLUYENTE"), ("", "MEXICALI CRECE")]
    assert [la.clave for la in u.lineas_accion] == ["4.3.3", "4.6.1", "5.1"]
    assert [la.origen.cell for la in u.lineas_accion] == ["B11", "B12", "B13"]
    assert u.proyecto.clave == "PY10"
    assert u.clave == "59-201-PY10"


def test_codes_are_text(make_workbook):
    header = [
        ("RAMO", "01", "PRESIDENCIA"),
        ("PROGRAMA", "005", "X"),
        ("PROYECTO", "PY10", "Y"),
        ("UNIDAD EJECUTORA", 5.0, "Z"),  # Excel stored it as a number
        ("FINALIDAD", 1, "F"),
        ("FUNCIÓN", "3.7", "F"),
        ("SUBFUNCIÓN", "3.7.1", "S"),
        ("LÍNEAS DE ACCIÓN", "8.5.2", "L"),
    ]
    goals = [Goal(numero="2.3", la="01.2"), Goal(numero=100, la="3.7.1"), Goal(numero="005", la="PY10")]
    u = only_unit(read(make_workbook(units=[Unit(header=header, goals=goals)])))
    assert [u.ramo.clave, u.programa.clave, u.proyecto.clave, u.unidad_ejecutora.clave] == ["01", "005", "PY10", "5"]
    assert [u.finalidad.clave, u.funcion.clave, u.subfuncion.clave] == ["1", "3.7", "3.7.1"]
    assert [m.numero for m in u.metas] == ["2.3", "100", "005"]
    assert [m.lineas_accion for m in u.metas] == [("01.2",), ("3.7.1",), ("PY10",)]


@pytest.mark.parametrize("cell", ["4.3.3 4.6.1", "4.3.3,4.6.1", "4.3.3, 4.6.1", "4.3.3\n4.6.1", "4.3.3;4.6.1", " 4.3.3  \n 4.6.1 "])
def test_several_lineas_de_accion_in_one_cell(make_workbook, cell):
    u = only_unit(read(make_workbook(units=[Unit(goals=[Goal(la=cell)])])))
    assert u.metas[0].lineas_accion == ("4.3.3", "4.6.1")


# --- signatures --------------------------------------------------------------------


@pytest.mark.parametrize("above", [False, True])
def test_signatures_with_default_legends(make_workbook, above):
    u = only_unit(read(make_workbook(units=[Unit(signatures_above=above)])))
    assert [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u.firmas] == [
        (rol, nombre, cargo, DEFAULT_LEYENDAS[rol]) for (_, nombre, cargo, _), rol in zip(DEFAULT_FIRMAS, ("ELABORÓ", "REVISÓ", "AUTORIZÓ"))
    ]
    assert DEFAULT_LEYENDAS == {
        "ELABORÓ": "RESPONSABLE DE LA UNIDAD EJECUTORA",
        "REVISÓ": "RESPONSABLE DEL PROGRAMA",
        "AUTORIZÓ": "RESPONSABLE DEL RAMO",
    }
    assert len(u.metas) == 1


@pytest.mark.parametrize("above", [False, True])
def test_signature_labels_legends_and_order(make_workbook, above):
    firmas = [
        ("autorizó:", "C. TRES", "DIRECTOR", "RESPONSABLE DE LA META"),
        ("Elaboró", "C. UNO", None, None),
        ("REVISO", "C. DOS", "JEFE", "RESPONSABLE DE LA UNIDAD EJECUTIVA"),
    ]
    path = make_workbook(units=[Unit(firmas=firmas, signatures_above=above)])
    lectura = read(path)
    assert lectura.problems == ()
    u = only_unit(lectura)
    assert [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u.firmas] == [
        ("ELABORÓ", "C. UNO", "", "RESPONSABLE DE LA UNIDAD EJECUTORA"),
        ("REVISÓ", "C. DOS", "JEFE", "RESPONSABLE DE LA UNIDAD EJECUTIVA"),
        ("AUTORIZÓ", "C. TRES", "DIRECTOR", "RESPONSABLE DE LA META"),
    ]
    assert u.firma("ELABORÓ").origen.cell.startswith("B")


# --- the goals table -----------------------------------------------------------------


def comparable(unidad):
    """A unit without row numbers (header depth moves the table and what follows)."""
    return (
        replace(unidad, metas=(), firmas=()),
        tuple((f.rol, f.nombre, f.cargo, f.leyenda) for f in unidad.firmas),
        tuple(replace(m, row=0) for m in unidad.metas),
        tuple(sorted(k for k in m.columns) for m in unidad.metas),
        tuple({k: v for k, v in m.columns.items()} for m in unidad.metas),
    )


GOALS = [
    Goal(),
    Goal(numero="304", la="3.1.2 2.3.1", meta="1,234", p=(300, "400", 534, None), a=("3 506", 0, None, None), obs=None),
    Goal(numero="305", meta=10.5, p=(2.5, 3, 5, None), a=(2.5, None, None, None), obs="texto\ncon dos líneas"),
]


def test_three_header_layouts_give_identical_models(make_workbook):
    models = []
    for layout in ("one", "two", "three"):
        lectura = read(make_workbook(units=[Unit(layout=layout, goals=GOALS)]))
        assert [p for p in lectura.problems if p.es_error] == [], layout
        models.append(comparable(only_unit(lectura)))
    assert models[0] == models[1] == models[2]
    metas = models[0][2]
    assert metas[1].meta_anual == 1234 and metas[1].programado == (300, 400, 534, 0)
    assert metas[1].alcanzado == (3506, 0, None, None)
    assert metas[2].meta_anual == Decimal("10.5") and metas[2].programado[0] == Decimal("2.5")
    assert metas[2].observaciones == "texto\ncon dos líneas"
    assert metas[1].observaciones == ""


LA_LABELS = ["L/A", "LÍNEA DE ACCIÓN", "LÍNEA DE ACCIÓN P.M.D.", "línea de acción:", "LINEA DE\nACCION"]
NUM_LABELS = ["NÚM.", "NO.", "NÚMERO", "CLAVE", "num", "No"]
DESC_LABELS = ["DESCRIPCIÓN", "DESCRIPCIÓN DE METAS Y ACCIONES", "METAS Y ACCIONES", "Descripción de\nmetas y acciones:"]
UM_LABELS = ["UNIDAD DE MEDIDA", "unidad\nde medida"]
META_LABELS = ["META ANUAL", "META ANUAL AUTORIZADA", "Meta  anual:", "META\nANUAL AUTORIZADA"]
OBS_LABELS = ["OBSERVACIONES", "JUSTIFICACIÓN", "justificacion:"]


def _check_standard_table(u):
    (m,) = u.metas
    assert m.numero == "303" and m.lineas_accion == ("3.1.2",)
    assert m.descripcion.startswith("Promover") and m.unidad_medida == "REUNIÓN"
    assert m.meta_anual == 72
    assert m.programado == (12, 33, 19, 8)
    assert m.alcanzado == (12, 24, None, None)
    assert m.observaciones.startswith("Este trimestre")


@pytest.mark.parametrize("layout", ["one", "two", "three"])
@pytest.mark.parametrize("index", range(6))
def test_table_label_synonyms(make_workbook, layout, index):
    labels = {
        "la": LA_LABELS[index % len(LA_LABELS)],
        "numero": NUM_LABELS[index % len(NUM_LABELS)],
        "descripcion": DESC_LABELS[index % len(DESC_LABELS)],
        "unidad": UM_LABELS[index % len(UM_LABELS)],
        "meta": META_LABELS[index % len(META_LABELS)],
        "obs": OBS_LABELS[index % len(OBS_LABELS)],
    }
    lectura = read(make_workbook(units=[Unit(layout=layout, labels=labels)]))
    assert lectura.problems == ()
    _check_standard_table(only_unit(lectura))


@pytest.mark.parametrize(
    "quarters",
    [
        ("ENE-MAR", "ABR-JUN", "JUL-SEP", "OCT-DIC"),
        ("Ene - Mar", "abr-jun", "JUL - SEP", "oct-dic"),
        ("T1", "T2", "T3", "T4"),
        ("1ER TRIMESTRE", "2DO TRIMESTRE", "3ER TRIMESTRE", "4TO TRIMESTRE"),
        ("1er trimestre", "2do trimestre", "3er trimestre", "4to trimestre"),
    ],
)
@pytest.mark.parametrize("pa", [("P", "A"), ("PROGRAMADO", "ALCANZADO"), ("p", "a")])
@pytest.mark.parametrize("layout", ["two", "three"])
def test_quarter_names_in_multirow_headers(make_workbook, quarters, pa, layout):
    lectura = read(make_workbook(units=[Unit(layout=layout, quarter_labels=quarters, pa_labels=pa)]))
    assert lectura.problems == ()
    _check_standard_table(only_unit(lectura))


@pytest.mark.parametrize(
    "style",
    [
        lambda q, k: f"{k}{q}",
        lambda q, k: f"{k.lower()}{q}",
        lambda q, k: f"{('ENE-MAR', 'ABR-JUN', 'JUL-SEP', 'OCT-DIC')[q - 1]} {k}",
        lambda q, k: f"T{q} {'PROGRAMADO' if k == 'P' else 'ALCANZADO'}",
        lambda q, k: f"{q}{('ER', 'DO', 'ER', 'TO')[q - 1]} TRIMESTRE\n{k}",
    ],
    ids=["P1", "p1", "ENE-MAR P", "T1 PROGRAMADO", "1ER TRIMESTRE P"],
)
def test_quarter_columns_in_one_row_header(make_workbook, style):
    labels = {f"{k.lower()}{q}": style(q, k) for q in range(1, 5) for k in "PA"}
    lectura = read(make_workbook(units=[Unit(layout="one", labels=labels)]))
    assert lectura.problems == ()
    _check_standard_table(only_unit(lectura))


def test_table_columns_found_by_label_not_position(make_workbook):
    # an unknown column before OBSERVACIONES shifts it right; computed columns are ignored
    unit = Unit(extra_columns=("AVANCE ABSOLUTO", "ACUMULADO RELATIVO"),
                goals=[Goal(extra={"AVANCE ABSOLUTO": 36, "ACUMULADO RELATIVO": 0.5})])
    lectura = read(make_workbook(units=[unit]))
    assert lectura.problems == ()
    m = only_unit(lectura).metas[0]
    assert m.origen("observaciones").cell == f"P{m.row}"
    assert m.declarados == {"avance_absoluto": 36, "acumulado_relativo": Decimal("0.5")}


def test_blank_rows_are_skipped(make_workbook):
    blank = Goal(numero=None, descripcion=None, unidad=None, meta=None, p=(None,) * 4, a=(None,) * 4, la=None, obs=None)
    goals = [Goal(numero="1"), blank, blank, Goal(numero="2", meta=10, p=(5, 5, 0, 0), a=("tres", 5, None, None))]
    path = make_workbook(units=[Unit(goals=goals)])
    lectura = read(path)
    u = only_unit(lectura)
    first = u.metas[0].row
    assert [(m.numero, m.row) for m in u.metas] == [("1", first), ("2", first + 3)]
    # cells of the rows after the gap are still located right
    assert located(lectura.problems) == {("numero-invalido", "201 Promoción", f"G{first + 3}")}


def test_data_rows_end_at_signature_label(make_workbook):
    path = make_workbook(units=[Unit(goals=[Goal(numero="1"), Goal(numero="2")])])

    def note_after_signatures(wb):
        ws = wb["201 Promoción"]
        ws.cell(ws.max_row + 2, 1, "Nota: cifras preliminares al cierre del trimestre")

    lectura = read(edit(path, note_after_signatures))
    assert lectura.problems == ()  # a note in column A holds no goal data
    assert [m.numero for m in only_unit(lectura).metas] == ["1", "2"]


def test_data_rows_end_at_signature_right_below_the_table(make_workbook, tmp_path):
    path = make_workbook(units=[Unit(goals=[Goal(numero="1")])])

    def move_signatures_up(wb):
        ws = wb["201 Promoción"]
        first_goal = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "1")
        for r in range(first_goal + 1, ws.max_row + 1):
            for c in range(1, 5):
                ws.cell(r, c).value = None
        for i, (label, nombre, cargo, _) in enumerate(DEFAULT_FIRMAS, start=1):
            ws.cell(first_goal + i, 1, label)
            ws.cell(first_goal + i, 2, nombre)
            ws.cell(first_goal + i, 3, cargo)

    lectura = read(edit(path, move_signatures_up))
    assert lectura.problems == ()
    u = only_unit(lectura)
    assert [m.numero for m in u.metas] == ["1"]
    assert [f.nombre for f in u.firmas] == [n for _, n, _, _ in DEFAULT_FIRMAS]


# --- formulas -----------------------------------------------------------------------------


def test_formula_cells_with_cached_values_are_read(make_workbook):
    unit = Unit(goals=[Goal(meta="=F14+H14+J14+L14", p=(12, "=10+23", 19, 8))])
    path = make_workbook(units=[unit])
    row = 14  # 9 header rows, a blank row, three header rows, then the goal
    cache_formula_values(path, "201 Promoción", {f"E{row}": 72, f"H{row}": 33})
    lectura = read(path)
    assert lectura.problems == ()
    m = only_unit(lectura).metas[0]
    assert m.row == row
    assert m.meta_anual == 72 and m.programado == (12, 33, 19, 8)


def test_formula_without_cached_value_is_located(make_workbook):
    unit = Unit(goals=[Goal(meta="=F14+H14+J14+L14")])
    lectura = read(make_workbook(units=[unit]))
    # one problem for that cell: not also "meta anual faltante"
    assert located(lectura.problems) == {("formula-sin-valor", "201 Promoción", "E14")}
    assert only_unit(lectura).metas[0].meta_anual is None


def test_formula_without_cached_value_in_general(make_workbook):
    lectura = read(make_workbook(general={**DEFAULT_GENERAL, "TRIMESTRE": "=1+1"}))
    assert located(lectura.problems) == {("formula-sin-valor", "GENERAL", "B3")}


def test_formula_without_value_in_an_ignored_computed_column_is_not_an_error(make_workbook):
    unit = Unit(extra_columns=("AVANCE ABSOLUTO",), goals=[Goal(extra={"AVANCE ABSOLUTO": "=G14+I14"})])
    lectura = read(make_workbook(units=[unit]))
    assert [p for p in lectura.problems if p.es_error] == []


# --- odd cell values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code",
    [("#DIV/0!", "numero-invalido"), ("#N/A", "numero-invalido"), (dt.datetime(2024, 3, 31), "numero-invalido"),
     (True, "numero-invalido"), ("12 reuniones", "numero-invalido"), (-1.5, "numero-negativo"), ("-3", "numero-negativo")],
)
def test_bad_number_cells_are_located(make_workbook, value, code):
    lectura = read(make_workbook(units=[Unit(goals=[Goal(p=(12, value, 19, 8))])]))
    assert located(lectura.problems) == {(code, "201 Promoción", "H14")}
    assert "p2" in only_unit(lectura).metas[0].ilegibles


def test_excel_error_cells_are_located(make_workbook):
    path = make_workbook()

    def put_errors(wb):
        ws = wb["201 Promoción"]
        ws["F14"] = "#DIV/0!"  # openpyxl stores these as error cells (t="e")
        assert ws["F14"].data_type == "e"

    lectura = read(edit(path, put_errors))
    assert located(lectura.problems) == {("numero-invalido", "201 Promoción", "F14")}


# --- robustness: any workbook gives figures or located problems, never a crash ----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.problems import CODES  # noqa: E402

cell = st.one_of(
    st.none(),
    st.integers(min_value=-10**6, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e300),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x17F, blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["1,234", "3 506", "ENE-MAR", "T2", "10%", "#N/A", "=1+1", "=A1*", "ELABORÓ", "META ANUAL", " ", "\n"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2110, 1, 1)),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(goal_cells=st.lists(cell, min_size=14, max_size=14), general_cells=st.lists(cell, min_size=4, max_size=4))
def test_any_cell_values_give_figures_or_located_problems(tmp_path_factory, goal_cells, general_cells):
    la, numero, desc, um, meta, *pa, obs = goal_cells
    goal = Goal(la=la, numero=numero, descripcion=desc, unidad=um, meta=meta, p=tuple(pa[0::2]), a=tuple(pa[1::2]), obs=obs)
    general = {**DEFAULT_GENERAL, **dict(zip(("TRIMESTRE", "FECHA", "TOLERANCIA", "BASE DEL PORCENTAJE"), general_cells))}
    from builders import build_workbook

    path = build_workbook(tmp_path_factory.mktemp("h") / "l.xlsx", general=general, units=[Unit(goals=[Goal(), goal])])
    revision = check_workbook(str(path))
    names = set(revision.lectura.sheet_names)
    for p in revision.problems:
        assert p.code in CODES and p.mensaje
        assert p.origen.sheet in names
        assert p.origen.cell and p.origen.cell[0].isalpha()
    assert (revision.informe is not None) == (not revision.errores)


def test_row_with_only_computed_columns_is_not_a_goal(make_workbook):
    # template rows often pre-fill AVANCE ABSOLUTO / ACUMULADO RELATIVO; such a row is no goal
    unit = Unit(extra_columns=("AVANCE ABSOLUTO", "ACUMULADO RELATIVO"),
                goals=[Goal(), Goal(numero=None, descripcion=None, unidad=None, meta=None, p=(None,) * 4,
                                a=(None,) * 4, la=None, obs=None,
                                extra={"AVANCE ABSOLUTO": 0, "ACUMULADO RELATIVO": 0})])
    lectura = read_workbook(str(make_workbook(units=[unit])))
    assert len(lectura.libro.unidades[0].metas) == 1
    assert not [p for p in lectura.problems if p.es_error]


def test_observaciones_slash_justificacion_label_without_spaces(make_workbook):
    unit = Unit(labels={"obs": "OBSERVACIONES/JUSTIFICACIÓN"})
    lectura = read_workbook(str(make_workbook(units=[unit])))
    assert lectura.libro.unidades[0].metas[0].observaciones.startswith("Este trimestre")


# --- issue #11: nothing read silently past the table's end, one vocabulary ----------------------

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"


def test_goal_after_the_signatures_is_an_error(tmp_path):
    import shutil

    from poa_xlsx.acciones import check_workbook

    path = tmp_path / "turismo.xlsx"
    shutil.copy(EXAMPLES / "2024-turismo-T1.xlsx", path)
    wb = load_workbook(path)
    ws = wb.worksheets[-1]
    autorizo = next(r for r in range(1, ws.max_row + 1) if normalize(ws.cell(r, 1).value) == "AUTORIZO")
    row = autorizo + 3
    for col, value in enumerate(["3.2.2", "106", "UNA META MÁS, ESCRITA DEBAJO DE LAS FIRMAS", "REUNIÓN", 4, 1, 1, 1, None, 1, None, 1],
                                start=1):
        if value is not None:
            ws.cell(row, col, value)
    wb.save(path)
    revision = check_workbook(str(path))
    assert ("fila-despues-de-firmas", ws.title, f"A{row}") in located(revision.problems)
    assert revision.informe is None  # nothing is generated


def normalize(value):
    from poa_xlsx.text import normalize_label

    return normalize_label(value)


@pytest.mark.parametrize(
    "cells, cell",
    [
        ({"C": "Meta escrita debajo de las firmas"}, "C"),  # a description alone
        ({"K": 7}, "K"),  # any figure, in any column
        ({"Z": "1,234"}, "Z"),  # also as text
        ({"E": "tres"}, "E"),  # text where a figure goes
    ],
)
def test_rows_after_the_signatures_with_goal_data_are_errors(make_workbook, cells, cell):
    path = make_workbook()

    def add(wb):
        ws = wb["201 Promoción"]
        for letter, value in cells.items():
            ws[f"{letter}21"] = value

    lectura = read(edit(path, add))
    assert located(lectura.problems) == {("fila-despues-de-firmas", "201 Promoción", f"{cell}21")}
    assert lectura.libro is not None and len(only_unit(lectura).metas) == 1


def test_rows_with_only_spaces_stay_blank(make_workbook):
    path = make_workbook(units=[Unit(goals=[Goal(numero="1"), Goal(numero="2")])])

    def spaces(wb):
        ws = wb["201 Promoción"]
        for letter in "ACEFN":
            ws[f"{letter}16"] = "   "  # a blank-looking row inside the table
            ws[f"{letter}23"] = " \n "  # and after the signatures
        ws["C10"] = "  "  # and between the header block and the table

    lectura = read(edit(path, spaces))
    assert lectura.problems == ()
    assert [m.numero for m in only_unit(lectura).metas] == ["1", "2"]


def test_goal_row_in_the_header_block_is_an_error(make_workbook):
    header = [*DEFAULT_HEADER[:8], ("3.1.2", "300", "Meta escrita en el encabezado", {"D": "EMPRESA", "E": 15, "F": 4, "G": 7}),
              DEFAULT_HEADER[8]]
    lectura = read(make_workbook(units=[Unit(header=header)]))
    assert ("fila-en-encabezado", "201 Promoción", "E9") in located(lectura.problems)


def test_figure_in_a_column_without_title_is_a_warning(make_workbook):
    path = make_workbook(units=[Unit(goals=[Goal(), Goal(numero="304")])])

    def untitled(wb):
        ws = wb["201 Promoción"]
        ws["P14"], ws["P15"] = 5, 6  # after OBSERVACIONES, no title above

    lectura = read(edit(path, untitled))
    assert located(lectura.problems) == {("celda-ignorada", "201 Promoción", "P14")}  # once per column


@pytest.mark.parametrize("pa", [("PROGRAMADO", "REALIZADO"), ("PROG", "ALC"), ("P", "REAL"), ("PROGRAMADA", "EJECUTADA")])
@pytest.mark.parametrize("layout", ["two", "three"])
def test_programado_realizado_row_is_the_header_s_last_row(make_workbook, pa, layout):
    lectura = read(make_workbook(units=[Unit(layout=layout, pa_labels=pa)]))
    assert lectura.problems == ()
    _check_standard_table(only_unit(lectura))


# --- issue #18: tolerated forms read to the same figures --------------------------------------------


def _same_as_default(make_workbook, **unit_kwargs):
    reference = comparable(only_unit(read(make_workbook(units=[Unit(goals=GOALS)]))))
    lectura = read(make_workbook(units=[Unit(goals=GOALS, **unit_kwargs)]))
    assert lectura.problems == (), [str(p) for p in lectura.problems]
    got = comparable(only_unit(lectura))
    assert got[2] == reference[2] and got[1] == reference[1]  # same goals and figures, same signatures
    return only_unit(lectura)


def _clasificacion(u):
    fields = ("ramo", "programa", "unidad_ejecutora", "finalidad", "funcion", "subfuncion")
    return [(getattr(u, f).clave, getattr(u, f).descripcion) for f in fields] + [
        ("ejes",) + tuple((e.clave, e.descripcion) for e in u.ejes),
        ("lineas",) + tuple((e.clave, e.descripcion) for e in u.lineas_accion),
    ]


@pytest.mark.parametrize(
    "header",
    [
        # label, code and description in one cell, as the 2023 report is laid out
        [(f"{label}: {clave} {desc}" if label else None, None if label else clave, None if label else desc)
         for label, clave, desc in DEFAULT_HEADER],
        # code and description in one cell (B)
        [(label, f"{clave} {desc}", None) for label, clave, desc in DEFAULT_HEADER],
        # numbered labels and "RAMO.- 59 ..."
        [(f"{i}. {label}" if label else None, clave, desc) for i, (label, clave, desc) in enumerate(DEFAULT_HEADER, 1)],
        [(f"{label}.- {clave} - {desc}" if label else None, None if label else clave, None if label else desc)
         for label, clave, desc in DEFAULT_HEADER],
    ],
    ids=["label-code-description", "code-description", "numbered", "dash"],
)
def test_header_block_in_one_cell(make_workbook, header):
    reference = _clasificacion(only_unit(read(make_workbook())))
    u = _same_as_default(make_workbook, header=header)
    assert _clasificacion(u) == reference


@pytest.mark.parametrize(
    "labels",
    [
        {"unidad": "7. UNIDAD DE MEDIDA", "meta": "META ANUAL 2025", "numero": "N°", "descripcion": "3. DESCRIPCIÓN"},
        {"unidad": "4) Unidad de medida", "meta": "Meta anual (2024)", "numero": "Nº", "la": "1. LÍNEA DE ACCIÓN"},
    ],
)
def test_numbered_labels_and_years(make_workbook, labels):
    _same_as_default(make_workbook, labels=labels)


@pytest.mark.parametrize(
    "quarters",
    [
        ("TRIMESTRE 1", "TRIMESTRE 2", "TRIMESTRE 3", "TRIMESTRE 4"),
        ("(Q1) TRIMESTRE 1", "(Q2) TRIMESTRE 2", "(Q3) TRIMESTRE 3", "(Q4) TRIMESTRE 4"),
        ("Trimestre I - 2025", "Trimestre II - 2025", "Trimestre III - 2025", "Trimestre IV - 2025"),
        ("Q1", "Q2", "Q3", "Q4"),
        ("T1. 2025", "T2. 2025", "T3. 2025", "T4. 2025"),
        ("I TRIMESTRE", "II TRIMESTRE", "III TRIMESTRE", "IV TRIMESTRE"),
        ("Enero-Marzo", "Abril-Junio", "Julio-Septiembre", "Octubre-Diciembre"),
    ],
)
@pytest.mark.parametrize(
    "pa",
    [("PROGRAMADA", "ALCANZADA"), ("PROGRAMADAS", "ALCANZADAS"), ("PLANEADO", "REALIZADO"), ("PLANEADA", "EJECUTADA"),
     ("META", "EJECUCIÓN"), ("META", "LOGRADO"), ("PROGRAMADO", "RESULTADO"), ("META PROGRAMADA", "META ALCANZADA")],
)
def test_quarter_headers_and_pa_words(make_workbook, quarters, pa):
    _same_as_default(make_workbook, layout="two", quarter_labels=quarters, pa_labels=pa)


@pytest.mark.parametrize(
    "style",
    [lambda q, k: f"TRIMESTRE {q} {'PROGRAMADO' if k == 'P' else 'REALIZADO'}",
     lambda q, k: f"Q{q} {'META' if k == 'P' else 'LOGRADA'}",
     lambda q, k: f"{'Programada' if k == 'P' else 'Ejecutada'} trimestre {('I', 'II', 'III', 'IV')[q - 1]} 2025"],
)
def test_quarter_columns_in_one_row_header_other_words(make_workbook, style):
    labels = {f"{k.lower()}{q}": style(q, k) for q in range(1, 5) for k in "PA"}
    _same_as_default(make_workbook, layout="one", labels=labels)


def only_unit_any(lectura):
    (unidad,) = lectura.unidades
    return unidad


def _side_by_side(order=("legend", "name", "cargo")):
    """Rewrite the signatures as the printed form has them: three column groups under the table."""

    def rewrite(wb):
        ws = wb["201 Promoción"]
        first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "ELABORÓ")
        for r in range(first, ws.max_row + 1):
            for c in range(1, 5):
                ws.cell(r, c).value = None
        legends = ("RESPONSABLE DE LA UNIDAD EJECUTORA", "RESPONSABLE DEL PROGRAMA", "RESPONSABLE DEL RAMO")
        for (label, nombre, cargo, _), legend, col in zip(DEFAULT_FIRMAS, legends, (1, 6, 11)):
            ws.cell(first, col, label)
            ws.merge_cells(start_row=first, start_column=col, end_row=first, end_column=col + 3)
            texts = {"legend": legend, "name": nombre, "cargo": cargo}
            ws.cell(first + 2, col, "_" * 30)
            for offset, key in enumerate(order, start=3):
                ws.cell(first + offset, col, texts[key])
                ws.merge_cells(start_row=first + offset, start_column=col, end_row=first + offset, end_column=col + 3)

    return rewrite


@pytest.mark.parametrize("order", [("legend", "name", "cargo"), ("cargo", "name", "legend"), ("legend", "cargo", "name")])
def test_signatures_side_by_side_under_the_table(make_workbook, order):
    path = make_workbook(units=[Unit(goals=GOALS)])
    reference = only_unit(read(path))
    lectura = read(edit(path, _side_by_side(order)))
    assert lectura.problems == ()
    u = only_unit(lectura)
    assert [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u.firmas] == [
        (f.rol, f.nombre, f.cargo, f.leyenda) for f in reference.firmas
    ]
    assert u.metas == reference.metas


def test_side_by_side_signature_without_name(make_workbook):
    path = make_workbook()

    def no_name(wb):
        _side_by_side()(wb)
        ws = wb["201 Promoción"]
        ws["F20"] = None  # REVISÓ's name (row 16 label, 18 line, 19 legend, 20 name, 21 cargo)

    lectura = read(edit(path, no_name))
    assert located(lectura.problems) == {("firma-faltante", "201 Promoción", "F20")}
    assert only_unit_any(lectura).firma("REVISÓ").cargo.startswith("ENCARGADO")
    assert all(p.origen.cell != "A1" for p in lectura.problems)


@pytest.mark.parametrize("name", ["INSTRUCTIVO", "Instructivo de llenado", "LÉEME", "Leeme", "DESCRIPCIÓN DE CAMPOS",
                                  "CATÁLOGO", "Catálogo de unidades"])
def test_instruction_sheets_are_not_units(make_workbook, name):
    lectura = read(make_workbook(extra_sheets=(name,)))
    assert lectura.problems == ()
    assert [u.sheet for u in lectura.libro.unidades] == ["201 Promoción"]


# --- issue #18: failing usefully ------------------------------------------------------------------------


def _foreign_sheet(ws):
    """A follow-up sheet from another office: no field of the capture format."""
    ws.append(["PLAN DE ACCIÓN 2024 - SEGUIMIENTO"])
    ws.append(["Objetivo", "Actividad", "Indicador", "Responsable", "Avance %"])
    for i in range(5):
        ws.append([f"Objetivo {i}", f"Actividad {i}", "Número de eventos", "Secretaría", 0.5])


def test_a_sheet_that_is_no_unit_gets_one_error(make_workbook):
    path = make_workbook()

    def foreign(wb):
        _foreign_sheet(wb.create_sheet("Seguimiento"))

    lectura = read(edit(path, foreign))
    assert located(lectura.problems) == {("hoja-no-es-unidad", "Seguimiento", "A1")}
    (problem,) = lectura.problems
    assert "RAMO" in problem.mensaje and "META ANUAL" in problem.mensaje and "ELABORÓ" in problem.mensaje


def test_a_workbook_without_units_gets_one_error(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    _foreign_sheet(wb.active)
    wb.active.title = "POA 2024"
    _foreign_sheet(wb.create_sheet("Hoja2"))
    wb.save(tmp_path / "ajeno.xlsx")
    lectura = read(tmp_path / "ajeno.xlsx")
    assert located(lectura.problems) == {("libro-no-es-de-captura", "POA 2024", "A1")}
    (problem,) = lectura.problems
    assert "poa-render plantilla" in problem.mensaje and "poa-render importar" in problem.mensaje


def test_label_with_value_that_cannot_be_split_is_named(make_workbook):
    header = [("RAMO: PRESIDENCIA MUNICIPAL", None, None), *DEFAULT_HEADER[1:]]
    lectura = read(make_workbook(units=[Unit(header=header)]))
    assert located(lectura.problems) == {("campo-faltante", "201 Promoción", "A1")}
    (problem,) = lectura.problems
    assert "RAMO: PRESIDENCIA" in problem.mensaje and "clave" in problem.mensaje


def test_label_out_of_column_a_is_named(make_workbook):
    header = [(None, None, None, {"D": "RAMO: 01 PRESIDENCIA"}), *DEFAULT_HEADER[1:]]
    lectura = read(make_workbook(units=[Unit(header=header)]))
    assert located(lectura.problems) == {("campo-fuera-de-lugar", "201 Promoción", "D1")}


def test_probable_header_row_missing_columns_is_named(make_workbook):
    labels = {"unidad": "U. MED.", "meta": "CANTIDAD ANUAL", "la": "EJE", "obs": "NOTAS",
              **{f"{k}{q}": f"MES {k}{q}" for q in range(1, 5) for k in "pa"}}
    lectura = read(make_workbook(units=[Unit(labels=labels, layout="one")]))
    (problem,) = [p for p in lectura.problems if p.es_error]
    assert (problem.code, problem.origen.cell) == ("sin-tabla", "A11")
    assert "fila 11" in problem.mensaje and "UNIDAD DE MEDIDA" in problem.mensaje and "META ANUAL" in problem.mensaje


def test_header_row_missing_one_column_names_it(make_workbook):
    lectura = read(make_workbook(units=[Unit(labels={"unidad": "U. DE MEDIDA"})]))
    (problem,) = [p for p in lectura.problems if p.code == "columna-faltante"]
    assert problem.origen.cell == "A11" and "fila 11" in problem.mensaje and "UNIDAD DE MEDIDA" in problem.mensaje
    assert ("columna-desconocida", "201 Promoción", "D11") in located(lectura.problems)


@pytest.mark.parametrize(
    "extra, cell",
    [({"TOLERANCIA %": 5}, "B9"),  # a misspelt label: its figure would change the report
     ({"TRIMESTRE": 3}, "B9")],  # a second TRIMESTRE: the first one counts
)
def test_figures_general_does_not_read_are_warned(make_workbook, extra, cell):
    path = make_workbook()

    def add(wb):
        ws = wb["GENERAL"]
        for label, value in extra.items():
            ws["A9"], ws["B9"] = label, value

    lectura = read(edit(path, add))
    assert located(lectura.problems) == {("celda-ignorada", "GENERAL", cell)}


def test_general_texts_it_does_not_read_are_fine(make_workbook):
    path = make_workbook()

    def add(wb):
        ws = wb["GENERAL"]
        ws["A9"], ws["B9"] = "NOTA", "Capturado por la coordinación administrativa"

    assert read(edit(path, add)).problems == ()
