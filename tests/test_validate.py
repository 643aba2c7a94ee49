"""One workbook per problem code, asserted as (code, sheet, cell); never wording."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from builders import DEFAULT_FIRMAS, DEFAULT_GENERAL, DEFAULT_HEADER, Goal, Unit

from poa_xlsx.lectura.reader import read_workbook
from poa_xlsx.problems import CODES, Severidad
from poa_xlsx.revision.validate import has_errors, validate

S = "201 Promoción"  # the builder's default unit sheet
# Default unit sheet: header block rows 1-9, blank row 10, table header 11-13,
# first goal row 14, then a blank row and the signatures.
# Columns: A L/A, B NÚM., C DESCRIPCIÓN, D UNIDAD, E META ANUAL, F P1, G A1, H P2,
# I A2, J P3, K A3, L P4, M A4, N OBSERVACIONES (or the first extra column).
GOAL = 14

WARNINGS = {
    "columna-desconocida",
    "programado-distinto-meta",
    "alcanzado-en-blanco",
    "valor-ignorado",
    "justificacion-faltante",
    "calculo-discrepante",
    "sin-metas",
    "hoja-vacia",
    "celda-ignorada",
}


def located(problems):
    return [(p.code, p.origen.sheet, p.origen.cell) for p in problems]


def validated(lectura, **kwargs):
    """validate on what the reader gave, as check_workbook calls it; only the problems."""
    return validate(lectura.unidades, lectura.general, leidos=lectura.problems, hojas=lectura.sheet_names,
                    general_valida=lectura.libro is not None, **kwargs).problems


def problems_of(path, **kwargs):
    return validated(read_workbook(str(path)), **kwargs)


def general_without(*labels, **values):
    general = {k: v for k, v in DEFAULT_GENERAL.items() if k not in labels}
    general.update(values)
    return general


def unit(**kwargs):
    return Unit(**kwargs)


def goal(**kwargs):
    return Goal(**kwargs)


# (case id, code, builder arguments, exactly the expected problems)
CASES = [
    ("hoja-general-faltante", "hoja-general-faltante",
     dict(general_sheet="_datos", extra_sheets=()),
     [("hoja-general-faltante", "_datos", "A1")]),
    ("dato-general-faltante-fila", "dato-general-faltante",
     dict(general=general_without("TRIMESTRE")),
     [("dato-general-faltante", "GENERAL", "A8")]),  # 7 rows remain: "add it below"
    ("dato-general-faltante-valor", "dato-general-faltante",
     dict(general=general_without(TRIMESTRE=None)),
     [("dato-general-faltante", "GENERAL", "B3")]),
    ("dato-general-invalido", "dato-general-invalido",
     dict(general=general_without(EJERCICIO="dos mil")),
     [("dato-general-invalido", "GENERAL", "B2")]),
    ("correo-invalido", "correo-invalido",
     dict(general=general_without(**{"CORREO TESORERÍA": "tesoreria@example.org; tesoreria"})),
     [("correo-invalido", "GENERAL", "B8")]),
    ("sin-unidades", "sin-unidades",
     dict(units=[]),
     [("sin-unidades", "GENERAL", "A1")]),
    ("sin-tabla", "sin-tabla",
     dict(units=[unit(table=False)]),
     [("sin-tabla", S, "A1")]),
    ("sin-metas", "sin-metas",
     dict(units=[unit(goals=[])]),
     [("sin-metas", S, f"C{GOAL}")]),
    ("columna-faltante", "columna-faltante",
     dict(units=[unit(drop_columns=("meta",))]),
     [("columna-faltante", S, "A11")]),
    ("columna-desconocida", "columna-desconocida",
     dict(units=[unit(extra_columns=("COLOR",))]),
     [("columna-desconocida", S, "N11")]),
    ("campo-faltante-descripcion", "campo-faltante",
     dict(units=[unit(header=[("RAMO", "59", None), *DEFAULT_HEADER[1:]])]),
     [("campo-faltante", S, "C1")]),
    ("campo-faltante-clave", "campo-faltante",
     dict(units=[unit(header=[("RAMO", "59", "X"), ("PROGRAMA", None, "Y"), *DEFAULT_HEADER[2:]])]),
     [("campo-faltante", S, "B2")]),
    ("campo-faltante-fila", "campo-faltante",
     dict(units=[unit(header=[h for h in DEFAULT_HEADER if h[0] != "FINALIDAD"])]),
     [("campo-faltante", S, "A1")]),
    ("firma-faltante-nombre", "firma-faltante",
     dict(units=[unit(firmas=[("ELABORÓ", None, "COORDINADOR", None), *DEFAULT_FIRMAS[1:]])]),
     [("firma-faltante", S, "B16")]),
    ("firma-faltante-fila", "firma-faltante",
     dict(units=[unit(firmas=DEFAULT_FIRMAS[:2])]),
     [("firma-faltante", S, "A18")]),  # the sheet ends at row 17: "add it below"
    ("hoja-no-es-unidad", "hoja-no-es-unidad",
     dict(extra_sheets=("Notas",)),
     [("hoja-no-es-unidad", "Notas", "A1")]),
    ("hoja-vacia", "hoja-vacia",
     dict(units=[unit(), unit(sheet="Hoja1", header=[], firmas=[], table=False)]),
     [("hoja-vacia", "Hoja1", "A1")]),
    ("libro-no-es-de-captura", "libro-no-es-de-captura",
     dict(general_sheet="_x", extra_sheets=("Hoja1", "Hoja2"), units=[]),
     [("libro-no-es-de-captura", "Hoja1", "A1")]),
    ("campo-fuera-de-lugar", "campo-fuera-de-lugar",
     dict(units=[unit(header=[(None, "RAMO: 59 COMISIÓN", None), *DEFAULT_HEADER[1:]])]),
     [("campo-fuera-de-lugar", S, "B1")]),
    ("fila-despues-de-firmas", "fila-despues-de-firmas",
     dict(units=[unit(firmas=[*DEFAULT_FIRMAS, (None, None, "Otra meta escrita debajo de las firmas", None)])]),
     [("fila-despues-de-firmas", S, "C19")]),
    ("fila-en-encabezado", "fila-en-encabezado",
     dict(units=[unit(header=[*DEFAULT_HEADER, ("3.1.2", "304", "Meta escrita arriba de la tabla", {"E": 10, "F": 5})])]),
     [("fila-en-encabezado", S, "E10")]),
    ("celda-ignorada", "celda-ignorada",
     dict(units=[unit(header=[*DEFAULT_HEADER, ("NOTA", None, None, {"H": 12})])]),
     [("celda-ignorada", S, "H10")]),
    ("unidad-duplicada", "unidad-duplicada",
     dict(units=[unit(sheet="201 A"), unit(sheet="201 B")]),
     [("unidad-duplicada", "201 B", "B3")]),
    ("numero-invalido", "numero-invalido",
     dict(units=[unit(goals=[goal(p=("doce", 33, 19, 8))])]),
     [("numero-invalido", S, f"F{GOAL}")]),
    ("numero-negativo", "numero-negativo",
     dict(units=[unit(goals=[goal(a=(-12, 24, None, None))])]),
     [("numero-negativo", S, f"G{GOAL}")]),
    ("meta-anual-faltante", "meta-anual-faltante",
     dict(units=[unit(goals=[goal(meta=None)])]),
     [("meta-anual-faltante", S, f"E{GOAL}")]),
    ("formula-sin-valor", "formula-sin-valor",
     dict(units=[unit(goals=[goal(a=(12, "=12*2", None, None))])]),
     [("formula-sin-valor", S, f"I{GOAL}")]),
    ("programado-distinto-meta", "programado-distinto-meta",
     dict(units=[unit(goals=[goal(meta=70)])]),
     [("programado-distinto-meta", S, f"E{GOAL}")]),
    ("alcanzado-en-blanco", "alcanzado-en-blanco",  # one blank cell; the other goal has its figure
     dict(units=[unit(goals=[goal(a=(12, None, None, None)), goal(numero="304", a=(12, 24, None, None))])]),
     [("alcanzado-en-blanco", S, f"I{GOAL}")]),
    ("trimestre-sin-capturar", "trimestre-sin-capturar",  # no goal of the unit has the quarter's figure
     dict(units=[unit(goals=[goal(a=(12, None, None, None)), goal(numero="304", a=(12, None, None, None))])]),
     [("trimestre-sin-capturar", S, f"I{GOAL}")]),
    ("fecha-fuera-del-periodo", "fecha-fuera-del-periodo",  # issue #11's case: last year's template date
     dict(general=general_without(EJERCICIO=2025, TRIMESTRE=2, FECHA=dt.date(2026, 9, 30))),
     [("fecha-fuera-del-periodo", "GENERAL", "B4")]),
    ("valor-ignorado", "valor-ignorado",
     dict(units=[unit(goals=[goal(a=(12, 24, 5, None))])]),
     [("valor-ignorado", S, f"K{GOAL}")]),
    ("justificacion-faltante", "justificacion-faltante",
     dict(units=[unit(goals=[goal(obs=None)])]),
     [("justificacion-faltante", S, f"N{GOAL}")]),
    ("justificacion-faltante-sin-columna", "justificacion-faltante",
     dict(units=[unit(goals=[goal(obs=None)], drop_columns=("obs",))]),
     [("justificacion-faltante", S, f"C{GOAL}")]),
    ("calculo-discrepante-avance", "calculo-discrepante",
     dict(units=[unit(extra_columns=("AVANCE ABSOLUTO",), goals=[goal(extra={"AVANCE ABSOLUTO": 40})])]),
     [("calculo-discrepante", S, f"N{GOAL}")]),
    ("calculo-discrepante-relativo", "calculo-discrepante",
     dict(units=[unit(extra_columns=("AVANCE ABSOLUTO", "ACUMULADO RELATIVO"),
                      goals=[goal(extra={"AVANCE ABSOLUTO": 36, "ACUMULADO RELATIVO": 0.6})])]),
     [("calculo-discrepante", S, f"O{GOAL}")]),
]


# Codes only `poa-render importar` gives, about the source it reads: tested in tests/test_importar.py.
IMPORT_ONLY = {"fila-no-importada"}


def test_warnings_are_the_registered_ones():
    from poa_xlsx.problems import ADVERTENCIAS

    assert WARNINGS == ADVERTENCIAS


def test_every_code_has_a_case():
    assert {code for _, code, _, _ in CASES} == set(CODES) - IMPORT_ONLY


def test_the_default_workbook_has_no_problems(make_workbook):
    assert problems_of(make_workbook()) == []


@pytest.mark.parametrize("code, kwargs, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_workbook_per_code(make_workbook, code, kwargs, expected):
    problems = problems_of(make_workbook(**kwargs))
    assert located(problems) == expected
    severity = Severidad.ADVERTENCIA if code in WARNINGS else Severidad.ERROR
    assert [p.severidad for p in problems] == [severity]
    assert all(p.mensaje for p in problems)


def test_matching_declared_figures_give_no_warning(make_workbook):
    # 36 and 50 % are what the tool computes (also as a whole percent, 50)
    for relativo in (0.5, 50, "50%"):
        unit_ = Unit(extra_columns=("AVANCE ABSOLUTO", "ACUMULADO RELATIVO"),
                     goals=[Goal(extra={"AVANCE ABSOLUTO": 36, "ACUMULADO RELATIVO": relativo})])
        assert problems_of(make_workbook(units=[unit_])) == [], relativo


def test_alcanzado_blank_where_nothing_was_programmed_is_fine(make_workbook):
    unit_ = Unit(goals=[Goal(meta=72, p=(12, 0, 52, 8), a=(12, None, None, None), obs=None)])
    assert problems_of(make_workbook(units=[unit_])) == []


def test_unreadable_alcanzado_is_not_also_blank(make_workbook):
    unit_ = Unit(goals=[Goal(a=(12, "veinte", None, None))])
    assert located(problems_of(make_workbook(units=[unit_]))) == [("numero-invalido", S, f"I{GOAL}")]


def test_formula_without_value_in_alcanzado_is_one_problem(make_workbook):
    unit_ = Unit(goals=[Goal(a=("=6+6", 24, None, None))])
    assert located(problems_of(make_workbook(units=[unit_]))) == [("formula-sin-valor", S, f"G{GOAL}")]


@pytest.mark.parametrize("fecha, ok", [
    (dt.date(2023, 3, 31), False),  # the day before the second quarter
    (dt.date(2023, 4, 1), True),  # its first day
    (dt.date(2023, 6, 30), True),
    (dt.date(2023, 12, 31), True),  # six months after its last day
    (dt.date(2024, 1, 1), False),
    (dt.date(2022, 6, 30), False),  # the right quarter of another year
])
def test_fecha_between_the_quarter_and_six_months_after(make_workbook, fecha, ok):
    problems = problems_of(make_workbook(general=general_without(FECHA=fecha)))
    assert located(problems) == ([] if ok else [("fecha-fuera-del-periodo", "GENERAL", "B4")])
    if not ok:
        assert "01/04/2023" in problems[0].mensaje and "31/12/2023" in problems[0].mensaje


def test_fecha_of_the_fourth_quarter_may_be_next_year(make_workbook):
    general = general_without(TRIMESTRE=4, FECHA=dt.date(2024, 6, 30))
    assert problems_of(make_workbook(general=general, units=[unit(goals=[goal(a=(12, 24, 19, 8))])])) == []


def test_blank_fecha_is_the_quarters_last_day(make_workbook):
    lectura = read_workbook(str(make_workbook(general=general_without(EJERCICIO=2025, FECHA=None))))
    assert lectura.libro.general.fecha == dt.date(2025, 6, 30)
    assert validated(lectura) == []


def test_fecha_given_by_the_caller_is_checked_too(make_workbook):
    from poa_xlsx.acciones import check_workbook

    revision = check_workbook(str(make_workbook()), fecha=dt.date(2022, 1, 1))
    assert located(revision.problems) == [("fecha-fuera-del-periodo", "GENERAL", None)]
    assert revision.informe is None
    # --trimestre moves the period: the sheet's FECHA (30/06/2023) is checked against it
    revision = check_workbook(str(make_workbook()), trimestre=1)
    assert located(revision.errores) == []


def test_untouched_quarter_is_one_error_per_unit(make_workbook):
    untouched = [goal(numero=str(n), a=(12, None, None, None)) for n in (1, 2, 3)]
    units = [unit(sheet="101", goals=untouched),
             unit(sheet="102", header=[(l, "102" if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in DEFAULT_HEADER],
                  goals=[goal(numero="1", a=(12, 24, None, None)), goal(numero="2", a=(12, None, None, None))])]
    problems = problems_of(make_workbook(units=units))
    assert located(problems) == [("trimestre-sin-capturar", "101", f"I{GOAL}"),
                                 ("alcanzado-en-blanco", "102", f"I{GOAL + 1}")]
    assert problems[0].es_error and "columna I (ABR-JUN A)" in problems[0].mensaje
    assert "escriba 0 donde no hubo avance" in problems[0].mensaje


def test_untouched_quarter_with_nothing_programmed_is_fine(make_workbook):
    units = [unit(goals=[goal(meta=72, p=(12, 0, 52, 8), a=(12, None, None, None), obs=None),
                         goal(numero="2", meta=72, p=(12, 0, 52, 8), a=(12, None, None, None), obs=None)])]
    assert problems_of(make_workbook(units=units)) == []


def test_untouched_quarter_with_a_zero_is_captured(make_workbook):
    units = [unit(goals=[goal(a=(12, 0, None, None)), goal(numero="2", a=(12, None, None, None))])]
    assert [p.code for p in problems_of(make_workbook(units=units))] == ["alcanzado-en-blanco"]


def test_duplicate_units_with_proyecto(make_workbook):
    with_py = [*DEFAULT_HEADER, ("PROYECTO", "PY10", "UNO")]
    other_py = [*DEFAULT_HEADER, ("PROYECTO", "PY11", "DOS")]
    units = [Unit(sheet="a", header=with_py), Unit(sheet="b", header=other_py), Unit(sheet="c", header=with_py)]
    assert located(problems_of(make_workbook(units=units))) == [("unidad-duplicada", "c", "B3")]


# --- the whole workbook in one run -----------------------------------------------------


def test_all_problems_of_all_sheets_each_once(make_workbook):
    units = [
        Unit(sheet="101", goals=[Goal(numero="1", p=("doce", 33, 19, 8), meta=60), Goal(numero="2", obs=None)]),
        Unit(sheet="102", header=[(l, "102" if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in DEFAULT_HEADER],
             goals=[Goal(meta=None), Goal(a=(12, 24, 7, None))], firmas=DEFAULT_FIRMAS[1:]),
    ]
    problems = problems_of(make_workbook(units=units))
    got = located(problems)
    assert Counter(got) == Counter(set(got)), "a problem was reported twice"
    assert got == [
        ("numero-invalido", "101", f"F{GOAL}"),
        ("justificacion-faltante", "101", f"N{GOAL + 1}"),
        ("meta-anual-faltante", "102", f"E{GOAL}"),
        ("valor-ignorado", "102", f"K{GOAL + 1}"),
        ("firma-faltante", "102", "A19"),
    ]
    assert has_errors(problems)


@pytest.mark.parametrize(
    "broken, where",
    [
        ({"CORREO TESORERÍA": "tesoreria"}, ("correo-invalido", "GENERAL", "B8")),
        ({"FECHA": "30 de febrero"}, ("dato-general-invalido", "GENERAL", "B4")),
        ({"TOLERANCIA": "mucha"}, ("dato-general-invalido", "GENERAL", "B6")),
        ({"BASE DEL PORCENTAJE": "OTRA"}, ("dato-general-invalido", "GENERAL", "B5")),
    ],
    ids=["correo", "fecha", "tolerancia", "base"],
)
def test_an_optional_general_error_hides_no_unit_problem(make_workbook, broken, where):
    units = [
        Unit(sheet="101", goals=[Goal(obs=None), Goal(numero="2", meta=70, a=(12, 24, 3, None))]),
        Unit(sheet="102"),
    ]
    got = located(problems_of(make_workbook(general={**DEFAULT_GENERAL, **broken}, units=units)))
    assert got == [
        where,
        ("justificacion-faltante", "101", f"N{GOAL}"),
        ("programado-distinto-meta", "101", f"E{GOAL + 1}"),
        ("valor-ignorado", "101", f"K{GOAL + 1}"),
        ("unidad-duplicada", "102", "B3"),
    ]


@pytest.mark.parametrize(
    "general, where",
    [
        (general_without("TRIMESTRE"), ("dato-general-faltante", "GENERAL", "A8")),
        (general_without(TRIMESTRE="quinto"), ("dato-general-invalido", "GENERAL", "B3")),
        (general_without(EJERCICIO=None), ("dato-general-faltante", "GENERAL", "B2")),
    ],
    ids=["sin-trimestre", "trimestre-invalido", "sin-ejercicio"],
)
def test_a_required_general_error_hides_no_unit_error(make_workbook, general, where):
    units = [
        Unit(sheet="101", goals=[Goal(p=(12, "x", 19, 8)), Goal(numero="2", meta=70)]),
        Unit(sheet="102"),
    ]
    got = located(problems_of(make_workbook(general=general, units=units)))
    # rules that need the quarter cannot run; the others still do
    assert got == [
        where,
        ("numero-invalido", "101", f"H{GOAL}"),
        ("programado-distinto-meta", "101", f"E{GOAL + 1}"),
        ("unidad-duplicada", "102", "B3"),
    ]


def test_problems_come_in_workbook_order(make_workbook):
    units = [Unit(sheet="z", goals=[Goal(meta=None)]),
             Unit(sheet="a", header=[(l, "9" if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in DEFAULT_HEADER],
                  goals=[Goal(meta=None)])]
    got = located(problems_of(make_workbook(general=general_without(EJERCICIO="x"), units=units)))
    assert [sheet for _, sheet, _ in got] == ["GENERAL", "z", "a"]


# --- --estricto ---------------------------------------------------------------------------


def test_estricto_turns_missing_justification_into_an_error(make_workbook):
    lectura = read_workbook(str(make_workbook(units=[Unit(goals=[Goal(obs=None, meta=70)])])))
    normal = validated(lectura)
    strict = validated(lectura, estricto=True)
    assert located(normal) == located(strict) == [
        ("programado-distinto-meta", S, f"E{GOAL}"),
        ("justificacion-faltante", S, f"N{GOAL}"),
    ]
    assert [p.severidad for p in normal] == [Severidad.ADVERTENCIA, Severidad.ADVERTENCIA]
    assert not has_errors(normal)
    assert strict[1].severidad is Severidad.ERROR
    assert has_errors(strict)


def test_estricto_turns_every_warning_into_an_error(make_workbook):
    # the promise for --estricto: warnings count as errors, not only the justification
    lectura = read_workbook(str(make_workbook(units=[Unit(goals=[Goal(obs=None, meta=70)])])))
    strict = validated(lectura, estricto=True)
    assert strict[0].code == "programado-distinto-meta"
    assert all(p.severidad is Severidad.ERROR for p in strict)


@pytest.mark.parametrize(
    "p, a, needs",
    [
        ((10, 0, 0, 0), (9, None, None, None), False),  # 90 %: cumplida
        ((10, 0, 0, 0), (11, None, None, None), False),  # 110 %: cumplida
        ((10, 0, 0, 0), (12, None, None, None), True),  # rebasada
        ((10, 0, 0, 0), (8, None, None, None), True),  # no alcanzada
        ((0, 10, 0, 0), (None, None, None, None), False),  # sin programación (T = 1)
        ((0, 10, 0, 0), (2, None, None, None), True),  # adelantada
    ],
)
def test_justification_required_by_status(make_workbook, p, a, needs):
    general = {**DEFAULT_GENERAL, "TRIMESTRE": 1}
    path = make_workbook(general=general, units=[Unit(goals=[Goal(meta=10, p=p, a=a, obs=None)])])
    got = located(problems_of(path))
    assert got == ([("justificacion-faltante", S, f"N{GOAL}")] if needs else [])


# --- the model only: no workbook read (issue #13) ----------------------------------------------


def _modelo():
    from decimal import Decimal

    from poa_xlsx.model import Base, Clasificacion, General, Meta, Origen, Unidad

    def meta(row, p, a, obs=""):
        cols = {"meta_anual": "E", "p1": "F", "a1": "G", "p2": "H", "a2": "I", "p3": "J", "a3": "K", "p4": "L",
                "a4": "M", "observaciones": "N", "descripcion": "C"}
        return Meta(sheet="U1", row=row, lineas_accion=(), numero=str(row), descripcion="Reuniones", unidad_medida="Reunión",
                    meta_anual=Decimal(sum(p)), programado=tuple(Decimal(x) for x in p),
                    alcanzado=tuple(None if x is None else Decimal(x) for x in a), observaciones=obs, columns=cols)

    clave = Clasificacion("101", "DIRECCIÓN", Origen("U1", "B3"))
    unidad = Unidad(sheet="U1", ramo=clave, programa=clave, proyecto=None, unidad_ejecutora=clave, finalidad=clave,
                    funcion=clave, subfuncion=clave, ejes=(), lineas_accion=(), firmas=(),
                    metas=(meta(14, (10, 10, 0, 0), (10, 10, None, None)), meta(15, (10, 10, 0, 0), (2, 3, None, None))))
    general = General(ayuntamiento="Mexicali", ejercicio=2023, trimestre=2, fecha=dt.date(2023, 6, 30),
                      base=Base.META_ANUAL, tolerancia=Decimal("0.1"), clave_formato="TMM-F004", correos=(),
                      origenes={"fecha": Origen("GENERAL", "B4")})
    return unidad, general


def test_validate_takes_the_model_and_gives_each_goals_figures():
    from poa_xlsx.model import Libro
    from poa_xlsx.revision.compute import compute_figures, compute_meta, goal_key

    unidad, general = _modelo()
    problems, cifras = validate([unidad], general)
    assert located(problems) == [("justificacion-faltante", "U1", "N15")]  # 5 of 20: no alcanzada, no reason
    assert set(cifras) == {("U1", 14), ("U1", 15)} == {goal_key(m) for m in unidad.metas}
    assert cifras[("U1", 15)] == compute_meta(unidad.metas[1], 2, general.base, general.tolerancia)
    informe = compute_figures(Libro("x.xlsx", general, (unidad,)), known=cifras)
    assert [m.cifras for m in informe.unidades[0].metas] == [cifras[("U1", 14)], cifras[("U1", 15)]]
    # a GENERAL with errors: the rules still run, but its defaults give no figures to reuse
    problems, cifras = validate([unidad], general, general_valida=False)
    assert located(problems) == [("justificacion-faltante", "U1", "N15")] and cifras == {}


def test_problems_in_sheet_order_then_row_then_column():
    from poa_xlsx.model import Origen
    from poa_xlsx.problems import advertencia, error

    unidad, general = _modelo()
    leidos = [
        error("numero-invalido", Origen("U1", "AA14"), "x"),
        error("numero-invalido", Origen("U1", "B14"), "x"),
        advertencia("sin-metas", Origen("Otra", None), "x"),
        error("numero-invalido", Origen("U1", "Z9"), "x"),
        error("dato-general-invalido", Origen("GENERAL", "B2"), "x"),
        error("numero-invalido", Origen("U1", None), "x"),
    ]
    problems, _ = validate([unidad], general, leidos=leidos, hojas=("GENERAL", "U1", "Otra"))
    assert [(p.origen.sheet, p.origen.cell) for p in problems] == [
        ("GENERAL", "B2"), ("U1", None), ("U1", "Z9"), ("U1", "B14"), ("U1", "AA14"), ("U1", "N15"), ("Otra", None),
    ]
