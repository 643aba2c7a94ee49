"""Figures (spec §5–6), status partition, rounding, and OBSERVACIONES through the template."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poa_xlsx.formatting import format_cantidad
from poa_xlsx.layout.textos import PlantillaError, Plantillas, starts_with_phrase
from poa_xlsx.model import Base, Meta
from poa_xlsx.revision.compute import FRASES, Estatus, Semaforo, classify, compute_meta, round_half_up


def D(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def make_meta(meta_anual, p=(), a=(), observaciones="", numero="1") -> Meta:
    p = tuple(p) + (None,) * (4 - len(p))
    a = tuple(a) + (None,) * (4 - len(a))
    return Meta(
        sheet="101",
        row=14,
        lineas_accion=(),
        numero=numero,
        descripcion="Meta de prueba",
        unidad_medida="PIEZA",
        meta_anual=D(meta_anual),
        programado=tuple(D(v) or Decimal(0) for v in p),
        alcanzado=tuple(D(v) for v in a),
        observaciones=observaciones,
    )


TEN = Decimal("0.1")

# --- spec §6, every row ----------------------------------------------------------------

WORKED = [
    # seed, meta anual, (P1, P2), (A1, A2), T, base, avance, relativo, estatus, semáforo, C
    ("2018 2.3 PETICIÓN ATENDIDA", 20000, (6000, 4500), (3506, None), 1, Base.META_ANUAL, "3,506", "18%",
     Estatus.NO_ALCANZADA, Semaforo.AMARILLO, Fraction(3506, 6000)),
    ("2018 2.6 GESTIÓN", 8, (2, 2), (3, None), 1, Base.META_ANUAL, "3", "38%",
     Estatus.REBASADA, Semaforo.NARANJA, Fraction(3, 2)),
    ("2023 303 REUNIÓN", 72, (12, 33), (12, 24), 2, Base.META_ANUAL, "36", "50%",
     Estatus.NO_ALCANZADA, Semaforo.AMARILLO, Fraction(4, 5)),
    ("2023 300 EMPRESA", 15, (4, 5), (7, 9), 2, Base.META_ANUAL, "16", "107%",
     Estatus.REBASADA, Semaforo.NARANJA, Fraction(16, 9)),
    ("2024 101 NÓMINA", 30, (7, 7), (7, None), 1, Base.PROGRAMADO, "7", "100%",
     Estatus.CUMPLIDA, Semaforo.VERDE, Fraction(1)),
    ("2024 100 INFORME", 2, (None, 1), (None, None), 1, Base.PROGRAMADO, "0", "N/A",
     Estatus.SIN_PROGRAMACION, Semaforo.GRIS, None),
]


@pytest.mark.parametrize("seed, meta, p, a, t, base, avance, relativo, estatus, semaforo, c", WORKED, ids=[w[0] for w in WORKED])
def test_worked_examples(seed, meta, p, a, t, base, avance, relativo, estatus, semaforo, c):
    cifras = compute_meta(make_meta(meta, p, a), t, base, TEN)
    assert format_cantidad(cifras.avance_absoluto) == avance
    assert cifras.porcentaje_texto == relativo
    assert (cifras.estatus, cifras.semaforo) == (estatus, semaforo)
    assert cifras.cumplimiento == c
    assert cifras.requiere_justificacion is (estatus not in (Estatus.CUMPLIDA, Estatus.SIN_PROGRAMACION))


def test_percent_examples_of_the_spec():
    assert round_half_up(Fraction(75, 2)) == 38  # 37.5 % -> 38 %
    assert round_half_up(Fraction(25, 2)) == 13  # 12.5 % -> 13 %
    assert round_half_up(Fraction(249, 20)) == 12  # 12.45 % -> 12 %, no double rounding
    assert round_half_up(Fraction(0)) == 0


def test_base_programado_uses_the_quarter_sum():
    meta = make_meta(72, (12, 33, 19, 8), (12, 24))
    cifras = compute_meta(meta, 2, Base.PROGRAMADO, TEN)
    assert cifras.base == 45 and cifras.porcentaje == 80


def test_decimals_are_exact():
    # 0.1 + 0.2 summed as binary floats would not be 0.3
    meta = make_meta("0.3", ("0.1", "0.2"), ("0.1", "0.2"))
    cifras = compute_meta(meta, 2, Base.META_ANUAL, TEN)
    assert cifras.avance_absoluto == Decimal("0.3")
    assert cifras.acumulado_relativo == 1 and cifras.estatus is Estatus.CUMPLIDA


# --- rounding ------------------------------------------------------------------------------


def reference_round(value: Fraction) -> int:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.fractions(min_value=-10**9, max_value=10**9, max_denominator=10**6))
def test_round_half_up_matches_decimal_reference(value):
    assert round_half_up(value) == reference_round(value)


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from([2, 4, 8, 10, 20, 200]))
def test_round_half_up_on_halves(whole, denominator):
    value = Fraction(whole) + Fraction(denominator // 2, denominator)  # exactly .5
    assert round_half_up(value) == whole + 1 == reference_round(value)


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
)
def test_percentage_is_rounded_once_from_the_exact_ratio(avance, base):
    meta = make_meta(base, (base,), (avance,))
    cifras = compute_meta(meta, 1, Base.META_ANUAL, TEN)
    with localcontext() as ctx:
        ctx.prec = 80
        expected = int((avance * 100 / base).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert cifras.porcentaje == expected
    assert cifras.porcentaje_texto == f"{expected}%"


# --- status partition --------------------------------------------------------------------------

ROWS = [  # the spec table, in order: (predicate on (programado, avance, t), estatus, semáforo)
    (lambda p, a, t: p == 0 and a == 0, Estatus.SIN_PROGRAMACION, Semaforo.GRIS),
    (lambda p, a, t: p == 0 and a > 0, Estatus.ADELANTADA, Semaforo.NARANJA),
    (lambda p, a, t: p > 0 and 1 - t <= a / p <= 1 + t, Estatus.CUMPLIDA, Semaforo.VERDE),
    (lambda p, a, t: p > 0 and a / p > 1 + t, Estatus.REBASADA, Semaforo.NARANJA),
    (lambda p, a, t: p > 0 and Fraction(1, 2) <= a / p < 1 - t, Estatus.NO_ALCANZADA, Semaforo.AMARILLO),
    (lambda p, a, t: p > 0 and a / p < Fraction(1, 2), Estatus.NO_ALCANZADA, Semaforo.ROJO),
]

quantity = st.fractions(min_value=0, max_value=10**6, max_denominator=100)


@given(quantity, quantity, st.fractions(min_value=0, max_value=Fraction(1, 2), max_denominator=100))
def test_status_partition_is_exact_and_follows_the_table(programado, avance, tolerancia):
    matching = [(e, s) for rule, e, s in ROWS if rule(programado, avance, tolerancia)]
    assert len(matching) == 1  # with t <= 50 % the table's rows do not overlap
    assert classify(programado, avance, tolerancia) == matching[0]


@given(quantity, quantity, st.fractions(min_value=Fraction(1, 2), max_value=Fraction(99, 100), max_denominator=100))
def test_status_with_a_large_tolerance_takes_the_first_row_that_applies(programado, avance, tolerancia):
    first = next((e, s) for rule, e, s in ROWS if rule(programado, avance, tolerancia))
    assert classify(programado, avance, tolerancia) == first


@given(st.fractions(min_value=Fraction(1, 100), max_value=10**4, max_denominator=100),
       st.fractions(min_value=0, max_value=Fraction(1, 2), max_denominator=100))
def test_status_boundaries(programado, t):
    def at(c):
        return classify(programado, programado * c, t)

    tiny = Fraction(1, 10**9)
    assert at(1 - t) == at(1 + t) == at(Fraction(1)) == (Estatus.CUMPLIDA, Semaforo.VERDE)
    assert at(1 + t + tiny) == (Estatus.REBASADA, Semaforo.NARANJA)
    if 1 - t > Fraction(1, 2):
        assert at(1 - t - tiny) == (Estatus.NO_ALCANZADA, Semaforo.AMARILLO)
        assert at(Fraction(1, 2)) == (Estatus.NO_ALCANZADA, Semaforo.AMARILLO)
    assert at(Fraction(1, 2) - tiny) == (Estatus.NO_ALCANZADA, Semaforo.ROJO)
    assert at(Fraction(0)) == (Estatus.NO_ALCANZADA, Semaforo.ROJO)


@pytest.mark.parametrize(
    "avance, estatus, semaforo",
    [
        ("9", Estatus.CUMPLIDA, Semaforo.VERDE),  # C = 90 % = 100 - t
        ("11", Estatus.CUMPLIDA, Semaforo.VERDE),  # C = 110 % = 100 + t
        ("11.01", Estatus.REBASADA, Semaforo.NARANJA),
        ("8.99", Estatus.NO_ALCANZADA, Semaforo.AMARILLO),
        ("5", Estatus.NO_ALCANZADA, Semaforo.AMARILLO),  # C = 50 %
        ("4.99", Estatus.NO_ALCANZADA, Semaforo.ROJO),
        ("0", Estatus.NO_ALCANZADA, Semaforo.ROJO),
    ],
)
def test_status_table_boundaries_with_default_tolerance(avance, estatus, semaforo):
    cifras = compute_meta(make_meta(40, (10, 10, 10, 10), (avance,)), 1, Base.META_ANUAL, TEN)
    assert (cifras.estatus, cifras.semaforo) == (estatus, semaforo)


def test_zero_tolerance_only_exact_is_cumplida():
    meta = make_meta(10, (10,), ("9.99",))
    assert compute_meta(meta, 1, Base.META_ANUAL, Decimal(0)).estatus is Estatus.NO_ALCANZADA
    meta = make_meta(10, (10,), ("10",))
    assert compute_meta(meta, 1, Base.META_ANUAL, Decimal(0)).estatus is Estatus.CUMPLIDA


# --- sums -------------------------------------------------------------------------------------

amount = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))


@given(
    st.lists(amount, min_size=4, max_size=4),
    st.lists(amount, min_size=4, max_size=4),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=1, allow_nan=False, allow_infinity=False)),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(list(Base)),
)
def test_sums_and_base(p, a, meta_anual, trimestre, base):
    meta = make_meta(meta_anual, p, a)
    cifras = compute_meta(meta, trimestre, base, TEN)
    programado = sum((v or 0 for v in p[:trimestre]), Decimal(0))
    avance = sum((v or 0 for v in a[:trimestre]), Decimal(0))  # blank = 0; later quarters ignored
    assert cifras.programado_acumulado == programado
    assert cifras.avance_absoluto == avance
    denominator = (meta_anual or Decimal(0)) if base is Base.META_ANUAL else programado
    assert cifras.base == denominator
    if denominator == 0:
        assert cifras.acumulado_relativo is None and cifras.porcentaje is None
        assert cifras.porcentaje_texto == "N/A"
    else:
        assert cifras.acumulado_relativo == Fraction(avance) / Fraction(denominator)
        assert cifras.porcentaje_texto == f"{cifras.porcentaje}%"
    assert cifras.cumplimiento == (None if programado == 0 else Fraction(avance) / Fraction(programado))


def test_alcanzado_after_the_quarter_is_ignored():
    meta = make_meta(40, (10, 10, 10, 10), (10, 10, 10, 10))
    assert compute_meta(meta, 2, Base.META_ANUAL, TEN).avance_absoluto == 20


@pytest.mark.parametrize("base", list(Base))
def test_zero_base_is_na(base):
    meta = make_meta(0, (0, 0, 0, 0), (0,))
    cifras = compute_meta(meta, 1, base, TEN)
    assert cifras.porcentaje_texto == "N/A"
    meta = make_meta(None, (0, 5), (3,))  # meta anual blank (an error elsewhere)
    assert compute_meta(meta, 1, Base.META_ANUAL, TEN).porcentaje_texto == "N/A"


# --- OBSERVACIONES through the template --------------------------------------------------------

NO_ALCANZADA = make_meta(72, (12, 33), (12, 24))  # T = 2: C = 80 %
CUMPLIDA = make_meta(30, (7, 7), (7,))  # T = 1: C = 100 %
REBASADA = make_meta(8, (2, 2), (3,))  # T = 1: C = 150 %
SIN_PROG = make_meta(2, (None, 1), ())  # T = 1


def observaciones(meta, texto, trimestre, carpeta=None):
    from dataclasses import replace

    meta = replace(meta, observaciones=texto)
    cifras = compute_meta(meta, trimestre, Base.META_ANUAL, TEN)
    return Plantillas(carpeta).observaciones(meta, cifras)


@pytest.mark.parametrize(
    "meta, t, texto, expected",
    [
        (NO_ALCANZADA, 2, "Faltó presupuesto.", "NO SE ALCANZÓ LA META. Faltó presupuesto."),
        (NO_ALCANZADA, 2, "", "NO SE ALCANZÓ LA META"),
        (NO_ALCANZADA, 2, "  Faltó presupuesto.  ", "NO SE ALCANZÓ LA META. Faltó presupuesto."),
        (NO_ALCANZADA, 2, "NO SE ALCANZÓ LA META, faltó presupuesto.", "NO SE ALCANZÓ LA META, faltó presupuesto."),
        (NO_ALCANZADA, 2, "No se alcanzo la meta por lluvias.", "No se alcanzo la meta por lluvias."),
        (NO_ALCANZADA, 2, "no  se  alcanzó\nla meta.", "no  se  alcanzó\nla meta."),
        (NO_ALCANZADA, 2, "Por lluvias no se alcanzó la meta.", "NO SE ALCANZÓ LA META. Por lluvias no se alcanzó la meta."),
        (CUMPLIDA, 1, "", "SE CUMPLIÓ SATISFACTORIAMENTE."),
        (CUMPLIDA, 1, "Se entregó a tiempo.", "SE CUMPLIÓ SATISFACTORIAMENTE. Se entregó a tiempo."),
        (CUMPLIDA, 1, "Se cumplió satisfactoriamente", "Se cumplió satisfactoriamente"),
        (CUMPLIDA, 1, "SE CUMPLIÓ SATISFACTORIAMENTE. Con apoyo.", "SE CUMPLIÓ SATISFACTORIAMENTE. Con apoyo."),
        (REBASADA, 1, "Hubo más solicitudes.", "SE REBASÓ LA META. Hubo más solicitudes."),
        (REBASADA, 1, "se rebaso la meta por la demanda", "se rebaso la meta por la demanda"),
        (SIN_PROG, 1, "", ""),
        (SIN_PROG, 1, "Se programó para abril.", "Se programó para abril."),
    ],
)
def test_observaciones_composition(meta, t, texto, expected):
    assert observaciones(meta, texto, t) == expected


def test_starts_with_phrase_ignores_accents_case_and_spaces():
    assert starts_with_phrase("no se alcanzo  la meta", "NO SE ALCANZÓ LA META")
    assert starts_with_phrase("Se cumplió satisfactoriamente.", FRASES[Estatus.CUMPLIDA])
    assert not starts_with_phrase("La meta no se alcanzó", "NO SE ALCANZÓ LA META")
    assert not starts_with_phrase("", "NO SE ALCANZÓ LA META")


def test_user_template_folder_overrides_the_shipped_one(tmp_path):
    (tmp_path / "observaciones.txt.j2").write_text("[{{ estatus }}|{{ semaforo }}] {{ frase }} / {{ texto }}", encoding="utf-8")
    got = observaciones(NO_ALCANZADA, "Faltó presupuesto.", 2, carpeta=tmp_path)
    assert got == "[no alcanzada|amarillo] NO SE ALCANZÓ LA META / Faltó presupuesto."


def test_user_template_folder_without_the_file_falls_back(tmp_path):
    (tmp_path / "otra.txt.j2").write_text("x", encoding="utf-8")
    assert observaciones(NO_ALCANZADA, "", 2, carpeta=tmp_path) == "NO SE ALCANZÓ LA META"


def test_unknown_variable_in_user_template_raises(tmp_path):
    (tmp_path / "observaciones.txt.j2").write_text("{{ frase }} {{ variable_que_no_existe }}", encoding="utf-8")
    with pytest.raises(PlantillaError):
        observaciones(NO_ALCANZADA, "x", 2, carpeta=tmp_path)


def test_broken_user_template_raises(tmp_path):
    (tmp_path / "observaciones.txt.j2").write_text("{% if frase %}sin cerrar", encoding="utf-8")
    with pytest.raises(PlantillaError):
        observaciones(NO_ALCANZADA, "x", 2, carpeta=tmp_path)


def test_missing_template_folder_raises(tmp_path):
    with pytest.raises(PlantillaError):
        Plantillas(tmp_path / "no-existe")


# --- figures computed once: validate's are reused by compute_figures (issue #8) --------------


def test_check_workbook_figures_equal_a_fresh_computation():
    from pathlib import Path

    from poa_xlsx.acciones import check_workbook
    from poa_xlsx.revision.compute import compute_figures

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "examples").glob("*.xlsx")):
        revision = check_workbook(str(path))
        assert revision.informe == compute_figures(revision.lectura.libro), path.name


def test_compute_figures_uses_the_known_figures():
    from pathlib import Path

    from poa_xlsx.lectura.reader import read_workbook
    from poa_xlsx.revision.compute import compute_figures, goal_key

    libro = read_workbook(str(Path(__file__).resolve().parent.parent / "examples" / "2023-cdi-T2.xlsx")).libro
    first, second = libro.unidades[0].metas[:2]
    sentinel = compute_meta(first, 4, Base.PROGRAMADO, TEN)  # figures no quarter of the workbook gives
    informe = compute_figures(libro, known={goal_key(first): sentinel})
    assert informe.unidades[0].metas[0].cifras is sentinel
    g = libro.general
    assert informe.unidades[0].metas[1].cifras == compute_meta(second, g.trimestre, g.base, g.tolerancia)


@given(st.text(alphabet=st.sampled_from(list("seSEcumplióÓ ÁáN. \n\t:a\u0301\u00a0xyz")), max_size=120),
       st.sampled_from([f for f in FRASES.values() if f]))
def test_starts_with_phrase_reads_only_the_beginning_but_answers_as_the_whole(texto, frase):
    from poa_xlsx.text import normalize_label

    for text in (texto, frase + texto, frase.lower() + "  \n " + texto, " " * 60 + frase + texto):
        assert starts_with_phrase(text, frase) == normalize_label(text).startswith(normalize_label(frase).rstrip("."))
