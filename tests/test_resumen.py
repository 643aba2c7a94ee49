"""The summary (RESUMEN), the open-data CSV and ``poa-render resumen`` (issue #6).

Counts are checked against compute's own statuses; the XLSX is reloaded with
openpyxl (cells, chart series, colours and the cells they point at); the PDF
with pdfplumber (text, and the chart's coloured bars as rectangles).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
from builders import DEFAULT_HEADER, Goal, Unit
from openpyxl import load_workbook

from poa_xlsx.acciones import check_workbook
from poa_xlsx.layout.base import SEMAFORO_COLORES
from poa_xlsx.layout.reporte import reporte_resumen
from poa_xlsx.layout.resumen import MAX_BARRAS, SERIES, Grafica, Parrafo, TablaResumen, layout_resumen
from poa_xlsx.render.datos import COLUMNS, render_csv
from poa_xlsx.render.pdf.documento import render_pdf
from poa_xlsx.render.reporte import Opciones, build_reporte, output_names
from poa_xlsx.render.xlsx.base import sheet_names
from poa_xlsx.render.xlsx.documento import render_xlsx
from poa_xlsx.revision.compute import Estatus, Semaforo
from poa_xlsx.revision.resumen import build_resumen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = ("2018-presidencia-T1", "2023-cdi-T2", "2024-turismo-T1")
COUNT_KEYS = ("metas", "cumplidas", "rebasadas", "no_alcanzadas_amarillo", "no_alcanzadas_rojo", "sin_programacion")


@pytest.fixture(scope="module")
def informes():
    return {name: check_workbook(str(EXAMPLES / f"{name}.xlsx")).informe for name in NAMES}


@pytest.fixture(scope="module")
def reportes(informes):
    return {name: build_reporte(informe, Opciones()) for name, informe in informes.items()}


@pytest.fixture(scope="module")
def xlsx(reportes):
    return {name: render_xlsx(rep) for name, rep in reportes.items()}


@pytest.fixture(scope="module")
def pdfs(reportes):
    return {name: render_pdf(rep) for name, rep in reportes.items()}


def expected_counts(unidad) -> dict[str, int]:
    """Counts straight from compute's statuses and semáforos, as the summary must show them."""
    estatus = [m.cifras.estatus for m in unidad.metas]
    semaforos = [m.cifras.semaforo for m in unidad.metas]
    return {
        "metas": len(estatus),
        "cumplidas": estatus.count(Estatus.CUMPLIDA),
        "rebasadas": estatus.count(Estatus.REBASADA) + estatus.count(Estatus.ADELANTADA),
        "no_alcanzadas_amarillo": semaforos.count(Semaforo.AMARILLO),
        "no_alcanzadas_rojo": semaforos.count(Semaforo.ROJO),
        "sin_programacion": estatus.count(Estatus.SIN_PROGRAMACION),
    }


def share(counts: dict[str, int]) -> int | None:
    programadas = counts["metas"] - counts["sin_programacion"]
    if programadas == 0:
        return None
    value = Fraction(counts["cumplidas"] * 100, programadas)
    return int(value) + (1 if value - int(value) >= Fraction(1, 2) else 0)


def expected_semaforo(counts: dict[str, int], tolerancia: Decimal) -> Semaforo:
    programadas = counts["metas"] - counts["sin_programacion"]
    if programadas == 0:
        return Semaforo.GRIS
    ratio = Fraction(counts["cumplidas"], programadas)
    if ratio >= 1 - Fraction(tolerancia):
        return Semaforo.VERDE
    return Semaforo.AMARILLO if ratio >= Fraction(1, 2) else Semaforo.ROJO


def total(rows: list[dict[str, int]]) -> dict[str, int]:
    return {k: sum(r[k] for r in rows) for k in COUNT_KEYS}


def table_counts(tabla: TablaResumen) -> list[dict[str, int]]:
    index = {c.key: i for i, c in enumerate(tabla.columnas)}
    return [{k: int(f.celdas[index[k]].value) for k in COUNT_KEYS} for f in tabla.filas]


# --------------------------------------------------------------------------- counts and totals


@pytest.mark.parametrize("name", NAMES)
def test_counts_and_totals_match_the_computation(name, informes, reportes):
    informe = informes[name]
    pagina = reportes[name].resumen
    (tabla,) = pagina.tablas("unidades")
    expected = [expected_counts(u) for u in informe.unidades]
    expected.append(total(expected))
    assert table_counts(tabla) == expected
    # every goal is counted once
    assert all(r["metas"] == sum(r[k] for k in COUNT_KEYS[1:]) for r in expected)
    index = {c.key: i for i, c in enumerate(tabla.columnas)}
    tolerancia = informe.general.tolerancia
    for fila, counts in zip(tabla.filas, expected):
        pct = share(counts)
        assert fila.celdas[index["proporcion"]].text == ("N/A" if pct is None else f"{pct}%")
        assert fila.celdas[index["semaforo"]].semaforo is expected_semaforo(counts, tolerancia)
    assert [f.total for f in tabla.filas] == [False] * len(informe.unidades) + [True]


def test_known_figures_of_the_examples(reportes):
    """Hand-checked against the printed reports: 2023 CDI has 20 goals, 14 cumplidas of 19 programmed."""
    (tabla,) = reportes["2023-cdi-T2"].resumen.tablas("unidades")
    last = tabla.filas[-1]
    assert [c.text for c in last.celdas[4:11]] == ["20", "14", "2", "2", "1", "1", "74%"]
    assert last.celdas[11].semaforo is Semaforo.AMARILLO
    (tabla,) = reportes["2024-turismo-T1"].resumen.tablas("unidades")
    assert [c.text for c in tabla.filas[-1].celdas[4:11]] == ["33", "24", "0", "0", "0", "9", "100%"]


@pytest.mark.parametrize("name", NAMES)
def test_attention_list_is_every_rojo_and_naranja_goal_with_its_justification(name, informes, reportes):
    informe = informes[name]
    expected = [
        (m.meta.numero, m.cifras.porcentaje_texto, m.cifras.semaforo, m.meta.observaciones)
        for u in informe.unidades
        for m in u.metas
        if m.cifras.semaforo in (Semaforo.ROJO, Semaforo.NARANJA)
    ]
    tablas = reportes[name].resumen.tablas("atencion")
    if not expected:
        assert tablas == []
        assert any("Ninguna meta" in b.texto for b in reportes[name].resumen.bloques if isinstance(b, Parrafo))
        return
    (tabla,) = tablas
    index = {c.key: i for i, c in enumerate(tabla.columnas)}
    got = [
        (f.celdas[index["numero"]].text, f.celdas[index["acumulado_relativo"]].text, f.celdas[index["semaforo"]].semaforo, f.celdas[index["justificacion"]].text)
        for f in tabla.filas
    ]
    assert got == expected


def test_rojo_and_naranja_named_in_the_opening_paragraph(reportes):
    textos = [b.texto for b in reportes["2023-cdi-T2"].resumen.bloques if isinstance(b, Parrafo)]
    assert textos[0] == "RAMO 59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI: SEMÁFORO AMARILLO"
    assert "De las 19 metas programadas al trimestre se cumplieron 14 (74 %)" in textos[1]
    assert "Requieren atención 3 metas: 1 en rojo" in textos[2] and "101 (102, 103); 201 (300)" in textos[2]


def test_unit_key_includes_the_project(reportes):
    (tabla,) = reportes["2018-presidencia-T1"].resumen.tablas("unidades")
    unidades = [f.celdas[3].text for f in tabla.filas]
    assert "002-PY10 COORDINACIÓN DE DIRECTORES" in unidades and "002 COORDINACIÓN DE DIRECTORES" in unidades
    assert len(set(unidades)) == len(unidades)


def test_sin_resumen_and_per_unit_files_have_no_summary(informes):
    informe = informes["2023-cdi-T2"]
    assert build_reporte(informe, Opciones(resumen=False)).resumen is None
    reporte = build_reporte(informe, Opciones(por_unidad=True))
    files = output_names("cdi", reporte, Opciones(por_unidad=True))
    assert files[0][1].resumen is not None
    assert all(rep.resumen is None for _name, rep, _fmt in files[2:])


# --------------------------------------------------------------------------- XLSX


def _cells(ws, ref: str) -> list:
    sheet, cells = ref.rsplit("!", 1)
    assert sheet.strip("'") == ws.title
    return [c[0].value for c in ws[cells.replace("$", "")]]


@pytest.mark.parametrize("name", NAMES)
def test_xlsx_resumen_first_sheet_with_counts(name, informes, xlsx):
    wb = load_workbook(io.BytesIO(xlsx[name]))
    assert wb.sheetnames[0] == "RESUMEN"
    assert wb.sheetnames[1:] == [u.unidad.sheet for u in informes[name].unidades]
    ws = wb["RESUMEN"]
    rows = [[v for v in row] for row in ws.iter_rows(values_only=True)]
    expected = [expected_counts(u) for u in informes[name].unidades]
    expected.append(total(expected))
    labels = [r[3] for r in rows if r[3] and (re.match(r"^\w+(-\w+)? ", str(r[3])) or r[3] == "TOTAL DEL RAMO")]
    body = [r for r in rows if r[3] in labels and isinstance(r[4], int)]
    assert [dict(zip(COUNT_KEYS, r[4:10])) for r in body] == expected
    assert body[-1][3] == "TOTAL DEL RAMO" and ws.cell(rows.index(body[-1]) + 1, 4).font.b
    # percent typed as a number with a percent format, semáforo as a fill
    first = rows.index(body[0]) + 1
    pct = ws.cell(first, 11)
    assert pct.number_format == "0%" and isinstance(pct.value, (int, float))
    sem = ws.cell(first, 12)
    assert sem.fill.fgColor.rgb[-6:] in set(SEMAFORO_COLORES.values())


def test_chart_series_are_the_statuses_in_semaforo_colours():
    assert [(key, semaforo) for _n, semaforo, key in SERIES] == [
        ("cumplidas", Semaforo.VERDE),
        ("rebasadas", Semaforo.NARANJA),
        ("no_alcanzadas_amarillo", Semaforo.AMARILLO),
        ("no_alcanzadas_rojo", Semaforo.ROJO),
        ("sin_programacion", Semaforo.GRIS),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_xlsx_native_chart_reads_the_table(name, informes, xlsx, reportes):
    wb = load_workbook(io.BytesIO(xlsx[name]))
    ws = wb["RESUMEN"]
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and chart.type == "bar" and chart.grouping == "stacked"
    assert len(chart.series) == len(SERIES) == 5
    colours = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert colours == [SEMAFORO_COLORES[semaforo] for _n, semaforo, _k in SERIES]
    assert [s.tx.v for s in chart.series] == [n for n, _s, _k in SERIES]
    # the series point at the table's count cells, which hold the computed figures
    expected = [expected_counts(u) for u in informes[name].unidades]
    for serie, (_n, _s, key) in zip(chart.series, SERIES):
        assert _cells(ws, serie.val.numRef.f) == [e[key] for e in expected]
    categories = _cells(ws, chart.series[0].cat.strRef.f)
    (grafica,) = reportes[name].resumen.graficas
    assert categories == list(grafica.categorias)


def test_xlsx_chart_parts_in_the_package(xlsx):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx["2023-cdi-T2"])) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/drawings/drawing1.xml" in names
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "<drawing " in sheet1 and "drawing1.xml" in rels
    assert "<sheetData><row" in sheet1  # the injected grid is there too


def test_xlsx_user_text_stays_text_in_the_summary(informes):
    informe = informes["2023-cdi-T2"]
    u = informe.unidades[0]
    metas = tuple(replace(m, meta=replace(m.meta, observaciones="=HYPERLINK(\"http://x\")")) for m in u.metas)
    informe = replace(informe, unidades=(replace(u, metas=metas),) + informe.unidades[1:])
    wb = load_workbook(io.BytesIO(render_xlsx(build_reporte(informe, Opciones()))))
    values = [c for row in wb["RESUMEN"].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert values and all(c.data_type == "s" for c in values)


def test_sheet_names_never_take_resumen():
    from poa_xlsx.layout.unidad import PaginaUnidad

    pagina = PaginaUnidad("Resumen", "", (), (), "", "", (), (), 0, (), (), ())
    assert sheet_names([pagina], taken=("RESUMEN",)) == ["Resumen (2)"]


# --------------------------------------------------------------------------- PDF


def _bars(page) -> dict[str, list[float]]:
    """Widths of the chart's bar segments by colour: filled, outlined in white."""
    out: dict[str, list[float]] = {}
    for r in page.rects:
        fill, stroke = r.get("non_stroking_color"), r.get("stroking_color")
        if not isinstance(fill, tuple) or len(fill) != 3 or not isinstance(stroke, tuple):
            continue
        if tuple(round(x, 2) for x in stroke) not in ((1.0,), (1.0, 1.0, 1.0)):
            continue
        hex_ = "".join(f"{round(x * 255):02X}" for x in fill)
        out.setdefault(hex_, []).append(r["width"])
    return out


@pytest.mark.parametrize("name", NAMES)
def test_pdf_page_one_has_the_summary_table_and_footer(name, informes, pdfs):
    with pdfplumber.open(io.BytesIO(pdfs[name])) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    first = texts[0]
    assert "AVANCE FÍSICO PROGRAMÁTICO — RESUMEN" in first and "SEMÁFORO" in first
    assert "TOTAL DEL RAMO" in first and "METAS POR ESTATUS, POR UNIDAD" in first
    expected = [expected_counts(u) for u in informes[name].unidades]
    tot = total(expected)
    line = next(l for l in first.splitlines() if "TOTAL DEL RAMO" in l)
    assert line.split()[-7:] == [str(tot[k]) for k in COUNT_KEYS] + [f"{share(tot)}%"]
    n = len(texts)
    assert first.strip().splitlines()[-1] == f"RESUMEN Hoja 1 de {n}"
    # the units follow on their own pages, with their keys in the footer
    unit_first = next(i for i, t in enumerate(texts) if not t.strip().splitlines()[-1].startswith("RESUMEN"))
    assert texts[unit_first].strip().splitlines()[-1] == f"{informes[name].unidades[0].unidad.clave} Hoja {unit_first + 1} de {n}"
    assert "METAS QUE REQUIEREN ATENCIÓN" in "\n".join(texts[:unit_first])


@pytest.mark.parametrize("name", NAMES)
def test_pdf_chart_is_drawn_in_semaforo_colours(name, informes, pdfs):
    with pdfplumber.open(io.BytesIO(pdfs[name])) as pdf:
        bars = _bars(pdf.pages[0])
    expected = [expected_counts(u) for u in informes[name].unidades]
    unit_width = None
    for _nombre, semaforo, key in SERIES:
        values = [e[key] for e in expected if e[key]]
        widths = bars.get(SEMAFORO_COLORES[semaforo], [])
        assert len(widths) == len(values), (semaforo, widths, values)
        for w, v in zip(sorted(widths), sorted(values)):
            unit_width = unit_width or w / v
            assert w / v == pytest.approx(unit_width, rel=1e-3)  # one scale for every segment
    assert set(bars) <= set(SEMAFORO_COLORES.values())


def test_pdf_is_reproducible_with_the_summary(reportes, pdfs):
    assert render_pdf(reportes["2023-cdi-T2"]) == pdfs["2023-cdi-T2"]
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from poa_xlsx.acciones import check_workbook\n"
        "from poa_xlsx.render.reporte import Opciones, build_reporte\n"
        "from poa_xlsx.render.pdf.documento import render_pdf\n"
        "import hashlib\n"
        "r = build_reporte(check_workbook(%r).informe, Opciones())\n"
        "print(hashlib.sha256(render_pdf(r)).hexdigest())\n"
    ) % (str(ROOT), str(EXAMPLES / "2023-cdi-T2.xlsx"))
    import hashlib

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert out.stdout.strip() == hashlib.sha256(pdfs["2023-cdi-T2"]).hexdigest()


def test_many_units_make_several_charts_and_long_text_renders(make_workbook):
    units = []
    for i in range(MAX_BARRAS + 5):
        header = [(l, f"{100 + i}" if l == "UNIDAD EJECUTORA" else c, ("X" * 3000) if l == "UNIDAD EJECUTORA" else d) for l, c, d in DEFAULT_HEADER]
        units.append(Unit(sheet=f"U{i}", header=header, goals=[Goal(numero=str(i))]))
    informe = check_workbook(str(make_workbook(units=units))).informe
    reporte = build_reporte(informe, Opciones())
    graficas = reporte.resumen.graficas
    assert [len(g.categorias) for g in graficas] == [MAX_BARRAS, 5]
    assert [g.desde for g in graficas] == [0, MAX_BARRAS]
    wb = load_workbook(io.BytesIO(render_xlsx(reporte)))
    charts = wb["RESUMEN"]._charts
    assert len(charts) == 2
    assert [len(_cells(wb["RESUMEN"], c.series[0].val.numRef.f)) for c in charts] == [MAX_BARRAS, 5]
    with pdfplumber.open(io.BytesIO(render_pdf(reporte))) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    summary = "\n".join(t for t in texts if t.strip().splitlines()[-1].startswith("RESUMEN"))
    assert "METAS POR ESTATUS, POR UNIDAD (1 de 2)" in summary and "METAS POR ESTATUS, POR UNIDAD (2 de 2)" in summary


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("name", NAMES)
def test_csv_reloads_to_the_computed_figures(name, informes):
    informe = informes[name]
    data = render_csv([informe])
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(COLUMNS)
    metas = [(u, m) for u in informe.unidades for m in u.metas]
    assert len(rows) == len(metas)
    g = informe.general
    for row, (u, item) in zip(rows, metas):
        meta, cifras = item.meta, item.cifras
        assert row["libro"] == f"{name}.xlsx"
        assert (row["hoja"], int(row["fila"])) == (meta.sheet, meta.row)
        assert (int(row["ejercicio"]), int(row["trimestre"])) == (g.ejercicio, g.trimestre)
        assert row["numero"] == meta.numero and row["descripcion"] == meta.descripcion
        assert row["unidad_ejecutora"] == u.unidad.unidad_ejecutora.clave
        assert Decimal(row["programado_acumulado"]) == cifras.programado_acumulado
        assert Decimal(row["avance_absoluto"]) == cifras.avance_absoluto
        assert [Decimal(row[f"p{q}"]) for q in range(1, 5)] == list(meta.programado)
        if cifras.acumulado_relativo is None:
            assert row["acumulado_relativo"] == "" and row["acumulado_relativo_porcentaje"] == "N/A"
        else:
            assert abs(Fraction(row["acumulado_relativo"]) - cifras.acumulado_relativo) < Fraction(1, 10**6)
            assert row["acumulado_relativo_porcentaje"] == f"{cifras.porcentaje}%"
        assert row["estatus"] == cifras.estatus.value and row["semaforo"] == cifras.semaforo.value
        assert row["justificacion"] == meta.observaciones


# --------------------------------------------------------------------------- CLI


def same_quarter_copies(tmp_path: Path) -> list[Path]:
    """The three examples, made T1 2024 by rewriting GENERAL."""
    paths = []
    for name in NAMES:
        wb = load_workbook(EXAMPLES / f"{name}.xlsx")
        ws = wb["GENERAL"]
        for row in ws.iter_rows(min_col=1, max_col=2):
            label = str(row[0].value or "").upper()
            if label == "EJERCICIO":
                row[1].value = 2024
            elif label == "TRIMESTRE":
                row[1].value = 1
            elif label == "FECHA":
                row[1].value = dt.datetime(2024, 3, 31)
        path = tmp_path / f"{name}-2024-T1.xlsx"
        wb.save(path)
        paths.append(path)
    return paths


def test_consolidation_of_different_quarters_is_refused(run, tmp_path):
    out = tmp_path / "salida" / "ayuntamiento"
    result = run("resumen", *(EXAMPLES / f"{n}.xlsx" for n in NAMES), "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "periodos distintos" in result.stderr
    for name, periodo in zip(NAMES, ("primer trimestre 2018", "segundo trimestre 2023", "primer trimestre 2024")):
        assert f"{name}.xlsx: {periodo}" in result.stderr
    assert "--mezclar-periodos" in result.stderr
    assert not (tmp_path / "salida").exists()
    # the same quarter number is not enough: the years differ too
    again = run("resumen", "--trimestre", "1", *(EXAMPLES / f"{n}.xlsx" for n in NAMES), "-o", out)
    assert again.exit_code == 1 and "periodos distintos" in again.stderr


def test_consolidation_of_the_same_quarter_is_accepted(run, tmp_path, informes):
    libros = same_quarter_copies(tmp_path)
    out = tmp_path / "salida" / "ayuntamiento.xlsx"
    csv_path = tmp_path / "salida" / "datos.csv"
    result = run("resumen", *libros, "-o", out, "--datos", csv_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [str(tmp_path / "salida" / "ayuntamiento.xlsx"), str(tmp_path / "salida" / "ayuntamiento.pdf"), str(csv_path)]
    assert lines[3].startswith("3 ramos, 16 unidades, 85 metas:")

    wb = load_workbook(tmp_path / "salida" / "ayuntamiento.xlsx")
    assert wb.sheetnames == ["RESUMEN"]
    ws = wb["RESUMEN"]
    values = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    for ramo in ("01 PRESIDENCIA", "59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI", "TOTAL DEL AYUNTAMIENTO"):
        assert ramo in values
    assert "PRIMER TRIMESTRE 2024" in values
    assert len(ws._charts) == 4  # by ramo, then one per ramo
    assert sum(1 for v in values if v == "TOTAL DEL RAMO") == 3

    with pdfplumber.open(tmp_path / "salida" / "ayuntamiento.pdf") as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert pdf.pages[0].extract_text().strip().splitlines()[-1] == f"RESUMEN Hoja 1 de {len(pdf.pages)}"
    assert "METAS POR ESTATUS, POR RAMO" in text and "METAS QUE REQUIEREN ATENCIÓN" in text
    assert "TOTAL DEL AYUNTAMIENTO" in text

    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    assert len(rows) == 85
    assert {r["libro"] for r in rows} == {p.name for p in libros}


def test_mezclar_periodos_accepts_and_names_each_ramos_period(run, tmp_path):
    out = tmp_path / "mezcla"
    result = run("resumen", *(EXAMPLES / f"{n}.xlsx" for n in NAMES), "-o", out, "--mezclar-periodos", "--formato", "xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{out}.xlsx"
    assert not Path(f"{out}.pdf").exists()
    values = [v for row in load_workbook(f"{out}.xlsx")["RESUMEN"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(v.startswith("VARIOS PERIODOS:") for v in values)
    # each ramo with its own period and date (issue #11: no book's period or date stands for the whole)
    assert any("RAMO 01 PRESIDENCIA — PRIMER TRIMESTRE 2018, FECHA 9-abr-18: SEMÁFORO AMARILLO" in v
               for v in values)


def test_resumen_with_a_bad_workbook_writes_nothing(run, tmp_path, make_workbook):
    bad = make_workbook(name="malo.xlsx", units=[Unit(goals=[Goal(meta="setenta")])])
    good = make_workbook(name="bueno.xlsx")
    out = tmp_path / "o" / "r"
    result = run("resumen", good, bad, "-o", out, "--datos", tmp_path / "o" / "d.csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "[numero-invalido]" in result.stderr and "malo.xlsx" in result.stderr
    assert "No se escribió el resumen" in result.stderr
    assert not (tmp_path / "o").exists()


def test_resumen_usage_errors(run, tmp_path, make_workbook):
    good = make_workbook(name="bueno.xlsx")
    assert run("resumen").exit_code == 2
    twice = run("resumen", good, good, "-o", tmp_path / "r")
    assert twice.exit_code == 2 and "más de una vez" in twice.stderr
    missing = run("resumen", tmp_path / "no-existe.xlsx", "-o", tmp_path / "r")
    assert missing.exit_code == 1 and "no-existe.xlsx" in missing.stderr


def test_resumen_default_name_and_extension_handling(run, tmp_path, make_workbook, monkeypatch):
    good = make_workbook(name="bueno.xlsx")
    monkeypatch.chdir(tmp_path)
    result = run("resumen", good)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["resumen_2023_T2.xlsx", "resumen_2023_T2.pdf"]
    result = run("resumen", good, "-o", "otro.PDF", "--formato", "pdf")
    assert result.stdout.splitlines()[0] == "otro.pdf" and (tmp_path / "otro.pdf").exists()


def test_generar_puts_the_summary_first_unless_sin_resumen(run, tmp_path, make_workbook):
    good = make_workbook(name="bueno.xlsx")
    result = run(good, "-o", tmp_path / "a")
    assert result.exit_code == 0, result.stderr
    xlsx = next(p for p in result.stdout.splitlines() if p.endswith(".xlsx"))
    assert load_workbook(xlsx).sheetnames == ["RESUMEN", "201 Promoción"]
    plain = run(good, "-o", tmp_path / "b", "--sin-resumen")
    assert plain.exit_code == 0
    xlsx = next(p for p in plain.stdout.splitlines() if p.endswith(".xlsx"))
    pdf = next(p for p in plain.stdout.splitlines() if p.endswith(".pdf"))
    assert load_workbook(xlsx).sheetnames == ["201 Promoción"]
    with pdfplumber.open(pdf) as doc:
        assert "RESUMEN" not in doc.pages[0].extract_text()


def test_generar_datos_one_csv_for_several_workbooks(run, tmp_path, make_workbook):
    a = make_workbook(name="a.xlsx")
    b = make_workbook(name="b.xlsx", units=[Unit(goals=[Goal(numero="1"), Goal(numero="2")])])
    csv_path = tmp_path / "datos.csv"
    result = run(a, b, "--formato", "xlsx", "-o", tmp_path / "o", "--datos", csv_path)
    assert result.exit_code == 0, result.stderr
    assert str(csv_path) in result.stdout.splitlines()
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    assert [(r["libro"], r["numero"]) for r in rows] == [("a.xlsx", "303"), ("b.xlsx", "1"), ("b.xlsx", "2")]


def test_generar_datos_not_written_when_a_workbook_fails(run, tmp_path, make_workbook):
    good = make_workbook(name="bueno.xlsx")
    bad = make_workbook(name="malo.xlsx", units=[Unit(goals=[Goal(meta="setenta")])])
    csv_path = tmp_path / "datos.csv"
    result = run(good, bad, "--formato", "xlsx", "-o", tmp_path / "o", "--datos", csv_path)
    assert result.exit_code == 1
    assert not csv_path.exists()
    assert "No se escribió" in result.stderr and str(csv_path) in result.stderr


def test_help_lists_the_new_command_and_options(run):
    assert "resumen" in run("--help").stdout
    generar = run("generar", "--help").stdout
    assert "--sin-resumen" in generar and "--datos" in generar
    resumen = run("resumen", "--help").stdout
    assert "--mezclar-periodos" in resumen and "--datos" in resumen and "--sin-resumen" not in resumen
    enviar = run("enviar", "--help").stdout
    assert "--sin-resumen" in enviar and "--datos" not in enviar


# --------------------------------------------------------------------------- layout details


def test_layout_of_one_ramo_orders_the_blocks(reportes):
    bloques = reportes["2018-presidencia-T1"].resumen.bloques
    kinds = [type(b).__name__ for b in bloques]
    assert kinds == ["Parrafo", "Parrafo", "Parrafo", "TablaResumen", "Parrafo", "Leyenda", "Grafica", "Parrafo", "TablaResumen"]
    assert bloques[0].semaforo is Semaforo.AMARILLO


def test_layout_resumen_needs_one_general_per_workbook(informes):
    informe = informes["2023-cdi-T2"]
    with pytest.raises(ValueError):
        layout_resumen(build_resumen([informe]), [])


def test_reporte_resumen_has_no_unit_pages(informes):
    sel = [informes["2023-cdi-T2"], informes["2024-turismo-T1"]]
    reporte = reporte_resumen(build_resumen(sel), [i.general for i in sel])
    assert reporte.paginas == () and reporte.resumen is not None
    (ramos,) = reporte.resumen.tablas("ramos")
    assert [f.celdas[0].text for f in ramos.filas] == [  # of two periods: each row says its own (issue #11)
        "59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI (SEGUNDO TRIMESTRE 2023)",
        "58 COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA (PRIMER TRIMESTRE 2024)",
        "TOTAL DEL AYUNTAMIENTO",
    ]
    assert table_counts(ramos)[-1] == total(table_counts(ramos)[:-1])
    assert isinstance(reporte.resumen.bloques[-1], TablaResumen) and reporte.resumen.bloques[-1].nombre == "atencion"
    assert all(isinstance(g, Grafica) for g in reporte.resumen.graficas)
