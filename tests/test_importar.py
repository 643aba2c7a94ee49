"""poa-render importar: maps, flat and per-sheet sources, the hand-made TMM-F004; every failure located."""
from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from poa_xlsx.acciones import check_workbook, import_workbook
from poa_xlsx.importar.mapa import MapaError, load_mapa, parse_mapa
from poa_xlsx.importar.plano import import_with_map
from poa_xlsx.importar.tmm_f004 import import_tmm_f004

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "importar"
_spec = importlib.util.spec_from_file_location("build_importar", EXAMPLES / "build_importar.py")
assert _spec and _spec.loader
build_importar = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_importar)


def located(problems):
    return {(p.code, p.origen.sheet, p.origen.cell) for p in problems}


def figures(informe):
    return {
        u.unidad.sheet: {m.meta.numero: (str(m.cifras.avance_absoluto), m.cifras.porcentaje_texto) for m in u.metas}
        for u in informe.unidades
    }


# --- the shipped examples: built in code, imported, validated, same figures ----------------------------


@pytest.mark.parametrize("name", sorted(build_importar.EXAMPLES))
def test_example_sources_import_into_valid_workbooks_with_the_same_figures(tmp_path, name):
    build, mapa, expected = build_importar.EXAMPLES[name]
    source = build(tmp_path / name)
    hecho = import_workbook(str(source), str(tmp_path / "captura.xlsx"), mapa=str(EXAMPLES / mapa) if mapa else None)
    assert hecho.importado.bloqueantes == []
    assert hecho.path is not None
    revision = check_workbook(hecho.path)
    assert revision.errores == [], [str(p) for p in revision.errores]
    assert figures(revision.informe) == expected


def _contents(path):
    """Every sheet's values and merges (the bytes depend on whether openpyxl found lxml)."""
    wb = load_workbook(path)
    return {ws.title: ([[c.value for c in row] for row in ws.iter_rows()], sorted(map(str, ws.merged_cells.ranges)))
            for ws in wb.worksheets}


@pytest.mark.parametrize("name", sorted(build_importar.EXAMPLES))
def test_shipped_example_sources_are_the_built_ones(tmp_path, name):
    build, _mapa, _expected = build_importar.EXAMPLES[name]
    assert _contents(build(tmp_path / name)) == _contents(EXAMPLES / name), "run examples/importar/build_importar.py"


def test_hand_made_form_keeps_what_the_report_needs(tmp_path):
    source = build_importar.build_a_mano(tmp_path / "a_mano.xlsx")
    importado = import_tmm_f004(str(source))
    g = importado.general
    assert (g.ayuntamiento, g.ejercicio, g.trimestre, g.fecha) == (
        "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA", 2023, 2, dt.date(2023, 6, 30))
    u = importado.unidades[0]
    assert (u.ramo.clave, u.ramo.descripcion) == ("59", "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI")
    assert [(c.clave, c.descripcion) for c in u.lineas_accion] == [("4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PÚBLICOS")]
    assert [m.numero for m in u.metas] == ["100", "101", "102", "103"]
    assert u.metas[1].descripcion == "Seguimiento al gasto de servicios personales."
    assert [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u.firmas] == [
        (rol, nombre, cargo, leyenda) for rol, leyenda, nombre, cargo in build_importar.FIRMAS_2023
    ]
    assert importado.problems == ()


def test_hand_made_form_period_from_options(tmp_path):
    source = build_importar.build_a_mano(tmp_path / "a_mano.xlsx")
    importado = import_tmm_f004(str(source), ejercicio=2023, trimestre=3)
    assert (importado.general.trimestre, importado.general.fecha) == (3, dt.date(2023, 6, 30))


def test_cli_importar_tmm_f004_then_validar(run, tmp_path):
    source = build_importar.build_a_mano(tmp_path / "VIEJO.xlsx")
    before = source.read_bytes()
    result = run("importar", "--tmm-f004", source, "-o", tmp_path / "LIBRO.xlsx")
    assert result.exit_code == 0, result.output
    assert "Libro de captura escrito" in result.stdout and "2 unidades y 6 metas" in result.stdout
    assert "Trimestre 2, deducido de la FECHA" in result.stderr
    assert "para indicar otro, use --trimestre N" in result.stderr  # the library names no option; the command does
    assert source.read_bytes() == before
    assert run("validar", tmp_path / "LIBRO.xlsx").exit_code == 0


def test_cli_importar_with_a_map(run, tmp_path):
    source = build_importar.build_mensual(tmp_path / "ORIGEN.xlsx")
    result = run("importar", source, "--mapa", EXAMPLES / "mensual.toml", "-o", tmp_path / "LIBRO.xlsx")
    assert result.exit_code == 0, result.output
    assert "Filas omitidas por el mapa" in result.stderr  # the TOTAL row: listed, not dropped silently
    wb = load_workbook(tmp_path / "LIBRO.xlsx")
    assert wb.sheetnames == ["INSTRUCCIONES", "GENERAL", "101 Dirección General", "201 Promoción Turística"]
    again = run("importar", source, "--mapa", EXAMPLES / "mensual.toml", "-o", tmp_path / "LIBRO.xlsx")
    assert again.exit_code == 1 and "Ya existe" in again.stderr


def test_cli_importar_needs_a_map_or_the_form(run, tmp_path):
    result = run("importar", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "--mapa" in result.stderr


def test_output_never_replaces_the_source(run, tmp_path):
    source = build_importar.build_a_mano(tmp_path / "VIEJO.xlsx")
    before = source.read_bytes()
    result = run("importar", "--tmm-f004", source, "-o", source, "--sobrescribir")
    assert result.exit_code == 1 and "origen" in result.stderr
    assert source.read_bytes() == before


# --- maps: every failure names what is wrong --------------------------------------------------------------


def _map_text(**replace):
    text = (EXAMPLES / "mensual.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _write(tmp_path, text, name="mapa.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_map_naming_a_column_the_source_lacks(tmp_path):
    source = build_importar.build_mensual(tmp_path / "o.xlsx")
    mapa = load_mapa(_write(tmp_path, _map_text(**{'meta_anual = "Meta anual"': 'meta_anual = "Meta del año"'})))
    with pytest.raises(MapaError) as caught:
        import_with_map(str(source), mapa)
    assert "columnas.meta_anual" in str(caught.value) and "Meta del año" in str(caught.value)
    assert "«Meta anual»" in str(caught.value)  # the titles it has


def test_map_naming_a_sheet_the_source_lacks(tmp_path):
    source = build_importar.build_mensual(tmp_path / "o.xlsx")
    mapa = load_mapa(_write(tmp_path, _map_text(**{'hoja = "Seguimiento 2025"': 'hoja = "POA"'})))
    with pytest.raises(MapaError, match="«POA»"):
        import_with_map(str(source), mapa)


@pytest.mark.parametrize(
    "change, key",
    [
        ({'descripcion = "Actividad"': 'descripcon = "Actividad"'}, "columnas.descripcon"),  # a typo
        ({'ejercicio = 2025': ''}, "general.ejercicio"),
        ({'trimestre = 2': 'trimestre = 7'}, "TRIMESTRE"),
        ({'columna = "Dependencia"': ''}, "[unidad]"),
        ({'programado = ["Prog. Ene", "Prog. Feb", "Prog. Mar",': 'programado = ["Prog. Feb", "Prog. Mar",'}, "columnas.programado"),
        ({'elaboro = ["LIC. NANCY': 'elabora = ["LIC. NANCY'}, "firmas.elabora"),
    ],
)
def test_bad_maps_are_refused_naming_the_key(tmp_path, change, key):
    with pytest.raises(MapaError) as caught:
        load_mapa(_write(tmp_path, _map_text(**change)))
    assert key in str(caught.value)


def test_map_that_is_not_toml(tmp_path):
    with pytest.raises(MapaError, match="TOML"):
        load_mapa(_write(tmp_path, "[origen\nhoja = 1"))


def test_map_by_column_letters(tmp_path):
    source = build_importar.build_mensual(tmp_path / "o.xlsx")
    letters = {"numero": "B", "linea_accion": "C", "descripcion": "D", "unidad_medida": "E", "meta_anual": "F",
               "observaciones": "AE"}
    data = {
        "origen": {"fila_titulos": 3, "omitir": ["TOTAL"], "columnas_por": "letra"},
        "general": {"ejercicio": 2025, "trimestre": 2, "ayuntamiento": "X"},
        "unidad": {"columna": "A"},
        "columnas": {**letters, "programado": [["G", "H", "I"], ["J", "K", "L"], ["M", "N", "O"], ["P", "Q", "R"]],
                     "alcanzado": [["S", "T", "U"], ["V", "W", "X"], ["Y", "Z", "AA"], ["AB", "AC", "AD"]]},
    }
    by_letter = import_with_map(str(source), parse_mapa(data))
    by_title = import_with_map(str(source), load_mapa(EXAMPLES / "mensual.toml"))
    assert [m for u in by_letter.unidades for m in u.metas] == [m for u in by_title.unidades for m in u.metas]


# --- source rows that cannot be placed are reported, never dropped ------------------------------------------


def _edited_source(tmp_path, func):
    source = build_importar.build_mensual(tmp_path / "o.xlsx")
    wb = load_workbook(source)
    func(wb["Seguimiento 2025"])
    wb.save(source)
    return source


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda ws: ws.cell(5, 1).__setattr__("value", None), ("fila-no-importada", "Seguimiento 2025", "A5")),
        (lambda ws: ws.cell(6, 4).__setattr__("value", None), ("fila-no-importada", "Seguimiento 2025", "D6")),
        (lambda ws: ws.cell(4, 8).__setattr__("value", "dos"), ("numero-invalido", "Seguimiento 2025", "H4")),
        (lambda ws: ws.cell(7, 20).__setattr__("value", -1), ("numero-negativo", "Seguimiento 2025", "T7")),
        (lambda ws: ws.append(["Eje 2: Turismo sostenible"]), ("fila-no-importada", "Seguimiento 2025", "D10")),
    ],
    ids=["sin-unidad", "sin-descripcion", "numero-invalido", "numero-negativo", "titulo-suelto"],
)
def test_rows_that_cannot_be_placed_are_reported_and_nothing_is_written(tmp_path, edit, expected):
    source = _edited_source(tmp_path, edit)
    hecho = import_workbook(str(source), str(tmp_path / "captura.xlsx"), mapa=str(EXAMPLES / "mensual.toml"))
    assert expected in located(hecho.importado.problems)
    assert hecho.path is None and not (tmp_path / "captura.xlsx").exists()


def test_cli_reports_rows_that_cannot_be_placed(run, tmp_path):
    source = _edited_source(tmp_path, lambda ws: ws.cell(5, 1).__setattr__("value", None))
    result = run("importar", source, "--mapa", EXAMPLES / "mensual.toml", "-o", tmp_path / "captura.xlsx")
    assert result.exit_code == 1
    assert "A5" in result.stderr and "fila-no-importada" in result.stderr and "no se escribió" in result.stderr
    assert not (tmp_path / "captura.xlsx").exists()


def test_quarters_after_the_reported_one_keep_only_nonzero_figures(tmp_path):
    source = _edited_source(tmp_path, lambda ws: ws.cell(4, 25).__setattr__("value", 3))  # "Real Jul" of goal 100
    importado = import_with_map(str(source), load_mapa(EXAMPLES / "mensual.toml"))
    first = importado.unidades[0].metas[0]
    assert first.alcanzado == (Decimal(1), Decimal(1), Decimal(3), None)  # kept: validar warns it is ignored
    hecho = import_workbook(str(source), str(tmp_path / "c.xlsx"), mapa=str(EXAMPLES / "mensual.toml"))
    assert "valor-ignorado" in {p.code for p in hecho.revision.problems}


def test_a_source_that_is_no_hand_made_form(tmp_path):
    from poa_xlsx.importar import ImportarError

    wb = Workbook()
    wb.active.append(["Objetivo", "Actividad", "Avance %"])
    wb.save(tmp_path / "ajeno.xlsx")
    with pytest.raises(ImportarError, match="impórtelo con un mapa") as raised:
        import_tmm_f004(str(tmp_path / "ajeno.xlsx"))
    assert raised.value.ajustes == ("mapa",) and "--" not in str(raised.value)


def test_hand_made_form_without_period_asks_for_it(tmp_path):
    from poa_xlsx.importar import ImportarError

    source = build_importar.build_a_mano(tmp_path / "a_mano.xlsx")
    wb = load_workbook(source)
    for ws in wb.worksheets:
        ws["A2"], ws["L8"], ws["M8"] = "PROGRAMA OPERATIVO ANUAL", None, None
    wb.save(source)
    with pytest.raises(ImportarError, match="Indique el trimestre") as raised:
        import_tmm_f004(str(source))
    assert raised.value.ajustes == ("trimestre", "ejercicio") and "--" not in str(raised.value)
    shutil.copy(source, tmp_path / "b.xlsx")
    assert import_tmm_f004(str(tmp_path / "b.xlsx"), ejercicio=2023, trimestre=2).general.fecha == dt.date(2023, 6, 30)


def test_cli_names_the_options_the_library_asks_for_in_words(run, tmp_path):
    source = build_importar.build_a_mano(tmp_path / "a_mano.xlsx")
    wb = load_workbook(source)
    for ws in wb.worksheets:
        ws["A2"], ws["L8"], ws["M8"] = "PROGRAMA OPERATIVO ANUAL", None, None
    wb.save(source)
    result = run("importar", "--tmm-f004", source, "-o", tmp_path / "LIBRO.xlsx")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "Indique el trimestre" in result.stderr and "Opciones: --trimestre N, --ejercicio AAAA." in result.stderr
    assert not (tmp_path / "LIBRO.xlsx").exists()
