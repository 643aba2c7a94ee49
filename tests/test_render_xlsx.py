"""render_xlsx: reload the bytes with openpyxl and check cells, merges, styles and print setup."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.layout.base import SEMAFORO_COLORES, Celda  # noqa: E402
from poa_xlsx.layout.reporte import Reporte, layout_report  # noqa: E402
from poa_xlsx.layout.unidad import PaginaUnidad  # noqa: E402
from poa_xlsx.render.xlsx.base import MAX_ROW_HEIGHT, Impresion, count_lines, print_scale, sheet_names  # noqa: E402
from poa_xlsx.render.xlsx.documento import render_xlsx  # noqa: E402
from poa_xlsx.revision.compute import Semaforo  # noqa: E402

EXAMPLES = ROOT / "examples"


def _report(name: str) -> Reporte:
    return layout_report(check_workbook(str(EXAMPLES / name)).informe)


@pytest.fixture(scope="module")
def presidencia() -> Reporte:
    return _report("2018-presidencia-T1.xlsx")


@pytest.fixture(scope="module")
def cdi() -> Reporte:
    return _report("2023-cdi-T2.xlsx")


@pytest.fixture(scope="module")
def turismo() -> Reporte:
    return _report("2024-turismo-T1.xlsx")


def _load(data: bytes, **kwargs):
    return load_workbook(BytesIO(data), **kwargs)


def _col(pagina: PaginaUnidad, key: str) -> int:
    """1-based column of a layout column."""
    return [c.key for c in pagina.columnas].index(key) + 1


def _body_first(ws) -> int:
    return int(re.sub(r"[A-Z]+", "", ws.freeze_panes))


def _goal_row(ws, pagina: PaginaUnidad, numero: str) -> int:
    index = [f.numero for f in pagina.filas].index(numero)
    return _body_first(ws) + index


def _sheet_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")}


# --- sheets, titles, classification ---------------------------------------

def test_one_sheet_per_unit_in_order(presidencia):
    wb = _load(render_xlsx(presidencia))
    assert wb.sheetnames == [p.hoja for p in presidencia.paginas]
    assert len(wb.sheetnames) == 8


def test_titles_merged_bold_centred(cdi):
    wb = _load(render_xlsx(cdi))
    ws = wb["201 Promoción Industrial"]
    pagina = cdi.paginas[2]
    last = get_column_letter(len(pagina.columnas))
    assert last == "P"
    merged = {str(r) for r in ws.merged_cells.ranges}
    for i, titulo in enumerate(pagina.titulos, start=1):
        cell = ws.cell(row=i, column=1)
        assert cell.value == titulo
        assert cell.font.b and cell.alignment.horizontal == "center"
        assert f"A{i}:{last}{i}" in merged
    assert ws["A1"].value == "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
    assert ws["A3"].value == "AVANCE FÍSICO PROGRAMÁTICO"
    assert ws["A4"].value == "SEGUNDO TRIMESTRE 2023"


def test_classification_one_entry_per_line(turismo):
    pagina = turismo.paginas[2]  # 58201: three ejes, four líneas de acción
    ws = _load(render_xlsx(turismo))[pagina.hoja]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value, ws.cell(row=r, column=4).value) for r in range(6, 6 + len(pagina.clasificacion))]
    assert rows[0] == ("RAMO", "58", "COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA")
    assert rows[2] == ("UNIDAD EJECUTORA", "58201", "GERENCIA DE PROMOCION E INFORMACIÓN")
    assert rows[6:9] == [
        ("EJE DE GOBIERNO", "3", "MEXICALI CRECE"),
        (None, "4", "GOBERNAR PARA SERVIR"),
        (None, "2", "BIENESTAR PARA TODOS"),
    ]
    assert rows[9] == ("LÍNEAS DE ACCIÓN", "3.2.2", "PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS")
    assert rows[12] == (None, "2.3.1", "SENSIBILIZACION EN MATERIA DE GENERO Y DIVERSIDAD")
    assert all(isinstance(r[1], str) for r in rows)  # keys stay text: "3.7" is not a number
    assert ws["A6"].font.b
    # form code and date at the right
    assert ws["P6"].value == "TMM-F004"
    assert ws["P7"].value == "FECHA: 31-mar-24"
    assert ws["P6"].alignment.horizontal == "right"


# --- the table --------------------------------------------------------------

def test_header_merges_exactly_as_layout(cdi):
    pagina = cdi.paginas[2]
    ws = _load(render_xlsx(cdi))[pagina.hoja]
    first = _body_first(ws) - pagina.encabezado_filas
    expected = set()
    for e in pagina.encabezado:
        r1, c1 = first + e.row, e.col + 1
        ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c1 + e.colspan - 1)}{r1 + e.rowspan - 1}"
        if e.rowspan > 1 or e.colspan > 1:
            expected.add(ref)
        cell = ws.cell(row=r1, column=c1)
        assert cell.value == e.text
        assert cell.font.b and cell.alignment.wrap_text and cell.border.top.style == "thin"
    header_merges = {str(r) for r in ws.merged_cells.ranges if first <= r.min_row < first + pagina.encabezado_filas}
    assert header_merges == expected
    # the form's three header rows, spelled out
    assert first == 20
    assert {"A20:A22", "B20:B22", "C20:C22", "D20:D22", "E20:L20", "E21:F21", "G21:H21", "I21:J21", "K21:L21", "M20:M22", "N20:O22", "P20:P22"} == expected
    assert ws["E20"].value == "PERIODO" and ws["E21"].value == "Ene-Mar" and ws["E22"].value == "P" and ws["F22"].value == "A"
    # Excel draws a merged block's edges from every edge cell
    assert ws["L20"].border.right.style == "thin" and ws["A22"].border.bottom.style == "thin"


def test_figures_2018_presidencia_unit_003(presidencia):
    pagina = next(p for p in presidencia.paginas if p.hoja == "003 Atención Ciudadana")
    ws = _load(render_xlsx(presidencia))[pagina.hoja]
    row = _goal_row(ws, pagina, "2.3")
    avance = ws.cell(row=row, column=_col(pagina, "avance_absoluto"))
    assert avance.value == 3506 and isinstance(avance.value, int)
    assert avance.number_format == "#,##0"
    pct = ws.cell(row=row, column=_col(pagina, "acumulado_relativo"))
    assert pct.value == pytest.approx(0.18) and pct.number_format == "0%"
    meta = ws.cell(row=row, column=_col(pagina, "meta_anual"))
    assert meta.value == 20000 and meta.number_format == "#,##0"
    assert ws.cell(row=row, column=_col(pagina, "linea_accion")).value == "2.3.1"
    assert ws.cell(row=row, column=_col(pagina, "descripcion")).value.startswith("2.3.- ATENDER Y GESTIONAR")
    # quarters not yet reported stay empty
    assert ws.cell(row=row, column=_col(pagina, "a2")).value is None
    assert ws.cell(row=row, column=_col(pagina, "p2")).value == 4500


def test_figures_2023_cdi_goal_300(cdi):
    pagina = cdi.paginas[2]
    ws = _load(render_xlsx(cdi))[pagina.hoja]
    row = _goal_row(ws, pagina, "300")
    assert ws.cell(row=row, column=_col(pagina, "avance_absoluto")).value == 16
    pct = ws.cell(row=row, column=_col(pagina, "acumulado_relativo"))
    assert pct.value == pytest.approx(1.07) and pct.number_format == "0%"
    assert ws.cell(row=row, column=_col(pagina, "observaciones")).value.startswith("SE REBASÓ LA META.")


def test_na_is_text(turismo):
    pagina = turismo.paginas[0]
    ws = _load(render_xlsx(turismo))[pagina.hoja]
    cell = ws.cell(row=_goal_row(ws, pagina, "100"), column=_col(pagina, "acumulado_relativo"))
    assert cell.value == "N/A" and cell.data_type == "s"


def test_every_figure_matches_the_layout(cdi, presidencia, turismo):
    for reporte in (cdi, presidencia, turismo):
        wb = _load(render_xlsx(reporte))
        for pagina in reporte.paginas:
            ws = wb[pagina.hoja]
            first = _body_first(ws)
            for i, fila in enumerate(pagina.filas):
                for j, celda in enumerate(fila.celdas, start=1):
                    value = ws.cell(row=first + i, column=j).value
                    if isinstance(celda.value, Decimal):
                        assert value == pytest.approx(float(celda.value)), (pagina.hoja, fila.numero, j)
                        assert not isinstance(value, str)
                    elif celda.kind == "semaforo":
                        assert value is None
                    else:
                        assert value == (celda.value or None), (pagina.hoja, fila.numero, j)


def test_semaforo_fill_colours(cdi):
    pagina = cdi.paginas[2]
    ws = _load(render_xlsx(cdi))[pagina.hoja]
    col = _col(pagina, "semaforo")
    first = _body_first(ws)
    seen = set()
    for i, fila in enumerate(pagina.filas):
        semaforo = fila.celdas[col - 1].semaforo
        fill = ws.cell(row=first + i, column=col).fill
        assert fill.fill_type == "solid"
        assert fill.fgColor.rgb.upper().endswith(SEMAFORO_COLORES[semaforo])
        seen.add(semaforo)
    assert {Semaforo.NARANJA, Semaforo.VERDE, Semaforo.AMARILLO} <= seen


def test_without_semaforo_column():
    reporte = layout_report(check_workbook(str(EXAMPLES / "2023-cdi-T2.xlsx")).informe, semaforo=False)
    wb = _load(render_xlsx(reporte))
    ws = wb[reporte.paginas[0].hoja]
    assert len(reporte.paginas[0].columnas) == 15
    assert ws["O6"].value == "TMM-F004"  # the last column moved left
    fills = {ws.cell(row=r, column=c).fill.fgColor.rgb[-6:] for r in range(1, ws.max_row + 1) for c in range(1, 16) if ws.cell(row=r, column=c).fill.fill_type}
    assert fills == {"D9D9D9"}  # only the header's grey
    assert not any("SEMÁFORO" in str(ws.cell(row=r, column=1).value) for r in range(1, ws.max_row + 1))


def test_decimal_quantities_keep_decimals(cdi):
    pagina = cdi.paginas[0]
    fila = pagina.filas[0]
    celdas = list(fila.celdas)
    col = _col(pagina, "meta_anual")
    celdas[col - 1] = Celda("2.5", Decimal("2.5"), "cantidad")
    pagina = replace(pagina, filas=(replace(fila, celdas=tuple(celdas)),))
    ws = _load(render_xlsx(replace(cdi, paginas=(pagina,)))).active
    cell = ws.cell(row=_body_first(ws), column=col)
    assert cell.value == 2.5 and cell.number_format == "#,##0.##"


def test_legend_and_signatures(cdi):
    pagina = cdi.paginas[0]
    ws = _load(render_xlsx(cdi))[pagina.hoja]
    texts = [str(ws.cell(row=r, column=c).value) for r in range(_body_first(ws) + len(pagina.filas), ws.max_row + 1) for c in range(1, 17) if ws.cell(row=r, column=c).value]
    legend = next(t for t in texts if t.startswith("SEMÁFORO:"))
    for _, meaning in pagina.leyenda:
        assert meaning in legend
    blocks = [t for t in texts if "___" in t]
    assert len(blocks) == 3
    for block, firma in zip(blocks, pagina.firmas):
        lines = [line for line in block.split("\n") if line]
        assert lines[0] == firma.rol
        assert lines[1].startswith("_____")  # the line to sign on, below the room to sign
        assert lines[2:] == [firma.leyenda, firma.nombre, firma.cargo]
    assert [b.split("\n")[1] for b in blocks] == ["ELABORÓ", "REVISÓ", "AUTORIZÓ"]


# --- text safety --------------------------------------------------------------

NASTY = ["=1+1", "+52 686 555 0000", "-3", "@SUM(A1:A3)", "=HYPERLINK(\"http://x\",\"y\")", "#N/A", "#DIV/0!"]


def test_formula_like_text_stays_text(cdi):
    pagina = cdi.paginas[0]
    filas = []
    for i, fila in enumerate(pagina.filas):
        celdas = list(fila.celdas)
        text = NASTY[i % len(NASTY)]
        for key in ("descripcion", "observaciones", "unidad_medida"):
            celdas[_col(pagina, key) - 1] = Celda(text, text, "texto")
        filas.append(replace(fila, celdas=tuple(celdas)))
    filas.append(replace(pagina.filas[0], celdas=tuple(Celda(t, t, "texto") for t in (NASTY * 3)[: len(pagina.columnas)])))
    pagina = replace(pagina, filas=tuple(filas), titulos=("=CMD()", *pagina.titulos[1:]), hoja="=hoja")
    data = render_xlsx(replace(cdi, paginas=(pagina,)))
    for name, xml in _sheet_xml(data).items():
        assert "<f>" not in xml and "<f " not in xml, name
    ws = _load(data).active
    assert ws["A1"].value == "=CMD()" and ws["A1"].data_type == "s"
    first = _body_first(ws)
    for i in range(len(filas)):
        for key in ("descripcion", "observaciones"):
            cell = ws.cell(row=first + i, column=_col(pagina, key))
            assert cell.data_type == "s" and cell.value in NASTY
    values = {ws.cell(row=first + i, column=c).value for i in range(len(filas)) for c in range(1, 17)}
    assert set(NASTY) <= values
    assert ws.title == "=hoja"
    # and openpyxl's own formula reader agrees nothing here is a formula
    wb = _load(data, data_only=False)
    assert not any(c.data_type == "f" for row in wb.active.iter_rows() for c in row)


def test_control_characters_are_dropped(cdi):
    pagina = cdi.paginas[0]
    fila = pagina.filas[0]
    celdas = list(fila.celdas)
    col = _col(pagina, "observaciones")
    celdas[col - 1] = Celda("uno\x00dos\x0btres\r\ncuatro & <cinco>", "uno\x00dos\x0btres\r\ncuatro & <cinco>", "observaciones")
    pagina = replace(pagina, filas=(replace(fila, celdas=tuple(celdas)),))
    ws = _load(render_xlsx(replace(cdi, paginas=(pagina,)))).active
    assert ws.cell(row=_body_first(ws), column=col).value == "unodostres\ncuatro & <cinco>"


def test_sheet_names_valid_unique_with_nasty_units(cdi):
    base = cdi.paginas[0]
    hojas = [
        "Dirección General de Promoción Industrial y Comercial",  # too long
        "Dirección General de Promoción Industrial y Comercial",  # same again
        "dirección general de promoción industrial y comercial",  # same but for case
        "A/B: [Control]*?\\",
        "'Entre comillas'",
        "History",
        "",
        "   ",
        "101",
        "101",
        "😀" * 20,
    ]
    paginas = tuple(replace(base, hoja=h, clave=f"59-{i}") for i, h in enumerate(hojas))
    names = sheet_names(paginas)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'") and not name.endswith("'")
        assert name.lower() != "history"
    assert names[0] == "Dirección General de Promoción"[:31].rstrip()
    assert names[1].endswith(" (2)") and names[2].endswith(" (3)")
    assert names[6] == "59-6" and names[7] == "59-7"  # no capture sheet name: the unit's key
    assert names[8:10] == ["101", "101 (2)"]
    wb = _load(render_xlsx(replace(cdi, paginas=paginas)))
    assert wb.sheetnames == names
    for ws in wb.worksheets:  # print titles and areas survive quoting
        assert ws.print_title_rows == "$14:$16"
        assert ws.print_area.endswith(f"!$A$1:$P${ws.max_row}")


# --- rows, print setup, document --------------------------------------------

def test_row_heights_follow_text_length(cdi):
    pagina = cdi.paginas[2]
    ws = _load(render_xlsx(cdi))[pagina.hoja]
    heights = {f.numero: ws.row_dimensions[_goal_row(ws, pagina, f.numero)].height for f in pagina.filas}
    assert heights["301"] < 20  # one short line
    assert heights["305"] > 3 * heights["301"]  # long description and observación
    assert all(h <= MAX_ROW_HEIGHT for h in heights.values())
    # a huge text is capped at Excel's maximum
    fila = pagina.filas[0]
    celdas = list(fila.celdas)
    celdas[_col(pagina, "observaciones") - 1] = Celda("PALABRA " * 2000, "PALABRA " * 2000, "observaciones")
    pagina = replace(pagina, filas=(replace(fila, celdas=tuple(celdas)),))
    ws = _load(render_xlsx(replace(cdi, paginas=(pagina,)))).active
    assert ws.row_dimensions[_body_first(ws)].height == MAX_ROW_HEIGHT


def test_count_lines():
    assert count_lines("", 40) == 1
    assert count_lines("SE CUMPLIÓ SATISFACTORIAMENTE.", 40) == 1
    assert count_lines("uno\ndos\ntres", 40) == 3
    long = "ADMINISTRAR EFICIENTEMENTE LOS RECURSOS HUMANOS " * 6
    assert count_lines(long, 20) > count_lines(long, 46) > 1
    assert count_lines("x" * 200, 10) >= 200 // 14  # one long word still breaks


@pytest.mark.parametrize("papel, size", [("carta", "1"), ("oficio", "14")])
def test_print_setup(cdi, papel, size):
    wb = _load(render_xlsx(cdi, papel=papel))
    for ws, pagina in zip(wb.worksheets, cdi.paginas):
        setup = ws.page_setup
        assert setup.orientation == "landscape"
        assert str(setup.paperSize) == size
        # a fixed scale, one page wide (Excel ignores manual page breaks in a sheet fitted to pages)
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        widths = sum(c.width for c in pagina.columnas) * 5.55 / 72
        assert setup.scale == print_scale(papel, Impresion([c.width for c in pagina.columnas], {}, [], 1, paginado=False))
        assert (widths * setup.scale / 100) <= (11 if papel == "carta" else 13) - 0.8
        body_first = _body_first(ws)
        assert ws.print_title_rows == f"${body_first - 3}:${body_first - 1}"
        assert ws.freeze_panes == f"C{body_first}"
        assert ws.oddFooter.center.text == "Hoja &P de &N"
        assert pagina.clave in ws.oddFooter.left.text
        assert ws.print_area.endswith(f"!$A$1:$P${ws.max_row}")
        assert ws.page_margins.left == pytest.approx(0.4)
        assert ws.sheet_view.showGridLines is False
        widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, 17)]
        assert widths == [c.width for c in pagina.columnas]


def test_unknown_paper_is_refused(cdi):
    with pytest.raises(ValueError, match="Papel"):
        render_xlsx(cdi, papel="A4")


def test_named_styles_registered_once(presidencia):
    data = render_xlsx(presidencia)
    wb = _load(data)
    names = list(wb.named_styles)
    assert {"titulo", "etiqueta", "encabezado", "texto", "codigo", "cantidad", "porcentaje", "observaciones", "firma"} <= set(names)
    assert len(names) == len(set(names))
    with zipfile.ZipFile(BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
    # a handful of cell formats for 8 sheets, not one per cell
    assert int(re.search(r'<cellXfs count="(\d+)"', styles).group(1)) < 40


def test_properties_and_reproducible_bytes(cdi):
    first, second = render_xlsx(cdi), render_xlsx(cdi)
    assert first == second
    wb = _load(first)
    props = wb.properties
    assert props.title == cdi.titulo
    assert props.creator == cdi.autor == "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
    assert props.subject == cdi.asunto
    assert props.created.date().isoformat() == "2023-06-30" == props.modified.date().isoformat()
    with zipfile.ZipFile(BytesIO(first)) as z:
        assert {info.date_time[:3] for info in z.infolist()} == {(2023, 6, 30)}


def test_page_without_goals_or_signatures(cdi):
    pagina = replace(cdi.paginas[0], filas=(), firmas=(), leyenda=(), clasificacion=())
    ws = _load(render_xlsx(replace(cdi, paginas=(pagina,)))).active
    assert ws["A1"].value == pagina.titulos[0]
    assert ws["P6"].value == "TMM-F004"
    assert ws.print_title_rows


def test_empty_report_still_opens(cdi):
    wb = _load(render_xlsx(replace(cdi, paginas=())))
    assert wb.sheetnames == ["Reporte"]


# --- LibreOffice ---------------------------------------------------------------

def test_libreoffice_opens_and_prints_it(tmp_path, cdi):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the XLSX opens")
        pytest.skip("LibreOffice (soffice) is not installed; install libreoffice-calc-nogui to run this check")
    source = tmp_path / "reporte.xlsx"
    source.write_bytes(render_xlsx(cdi))
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    pdf = tmp_path / "reporte.pdf"
    assert pdf.exists(), (result.returncode, result.stdout, result.stderr)
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= len(cdi.paginas)
        for page in doc.pages:
            assert (round(page.width), round(page.height)) == (792, 612)  # Letter, landscape
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert text.count("AVANCE FÍSICO PROGRAMÁTICO") == len(cdi.paginas)
    assert "107%" in text and "FECHA: 30-jun-23" in text
    assert "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN" in text
    assert "Hoja 1 de" in text
