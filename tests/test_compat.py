"""Every kind of XLSX we write opens cleanly in other programs and prints like the PDF (issue #17).

Kinds: the report (RESUMEN + units), a unit's own file (--por-unidad), the
consolidated RESUMEN (`poa-render resumen`), the blank template
(`poa-render plantilla`) and next quarter's workbook (`plantilla --desde`).
They are opened with exceljs (Node), openpyxl and LibreOffice; their parts are
checked against what Excel writes; LibreOffice prints the reports on as many
pages as our PDF. In CI (CI set) a missing Node, npm or LibreOffice is a
failure, not a skip.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from pypdf import PdfReader

from poa_xlsx.xlsx.paquete import APPLICATION, WORKSHEET_ORDER

JS = ROOT / "tests" / "js"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required in CI (Debian package {package}; .ci/run installs it)")
        pytest.skip(f"{tool} is not installed (Debian package {package})")
    return path


def _cli(*args: object) -> None:
    from click.testing import CliRunner

    from poa_xlsx.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def outputs(tmp_path_factory, examples_dir) -> dict[str, list[Path]]:
    """Every kind of output, made by the command a user runs: kind -> files."""
    out = tmp_path_factory.mktemp("salidas")
    turismo = examples_dir / "2024-turismo-T1.xlsx"
    _cli(turismo, "-o", out / "reporte", "--por-unidad", "--formato", "xlsx")
    _cli("resumen", examples_dir / "2023-cdi-T2.xlsx", turismo, "--mezclar-periodos", "-o", out / "resumen" / "consolidado", "--formato", "xlsx")
    _cli("plantilla", "-o", out / "plantilla.xlsx", "--unidades", "2")
    _cli("plantilla", "--desde", turismo, "-o", out / "siguiente.xlsx")
    reportes = sorted((out / "reporte").glob("*.xlsx"))
    return {
        "reporte": [p for p in reportes if p.name == "2024-turismo-T1_TMM-F004.xlsx"],
        "por-unidad": [p for p in reportes if p.name != "2024-turismo-T1_TMM-F004.xlsx"],
        "resumen": sorted((out / "resumen").glob("*.xlsx")),
        "plantilla": [out / "plantilla.xlsx"],
        "siguiente": [out / "siguiente.xlsx"],
    }


def _all(outputs: dict[str, list[Path]]) -> list[Path]:
    files = [p for kind in outputs.values() for p in kind]
    assert all(outputs.values()) and len(files) >= 9, outputs
    return files


def _worksheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}


# --------------------------------------------------------------------------- opening


@pytest.fixture(scope="session")
def exceljs() -> Path:
    """tests/js with exceljs installed from the lock file (npm ci when node_modules is missing)."""
    node = _need("node", "nodejs")
    if not (JS / "node_modules" / "exceljs").is_dir():
        npm = _need("npm", "npm")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=JS, check=True, capture_output=True, timeout=600)
    assert node
    return JS


def test_exceljs_loads_every_output_with_its_text(outputs, exceljs):
    files = _all(outputs)
    done = subprocess.run(["node", str(exceljs / "load.js"), *map(str, files)], capture_output=True, text=True, timeout=300, check=True)
    results = {r["file"]: r for r in map(json.loads, done.stdout.splitlines())}
    for path in files:
        r = results[str(path)]
        assert r["ok"], f"exceljs cannot load {path.name}: {r.get('error')}"
        wb = load_workbook(path)
        assert [s["name"] for s in r["sheets"]] == wb.sheetnames
        for sheet, ws in zip(r["sheets"], wb.worksheets, strict=True):
            seen = dict(sheet["cells"])
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        # exceljs reads the shared strings (and rich text) as openpyxl does
                        assert seen.get(cell.coordinate) == cell.value, (path.name, ws.title, cell.coordinate)


def test_openpyxl_loads_every_output(outputs):
    for path in _all(outputs):
        wb = load_workbook(path)
        assert wb.sheetnames and all(ws.max_row >= 1 for ws in wb.worksheets)
        load_workbook(path, read_only=True).close()


def test_libreoffice_opens_every_output(outputs, tmp_path):
    files = _all(outputs)
    pdfs = _libreoffice_pdfs(files, tmp_path)
    for path, pdf in zip(files, pdfs, strict=True):
        assert len(PdfReader(pdf).pages) >= 1, path.name


def _libreoffice_pdfs(files: list[Path], tmp_path: Path) -> list[Path]:
    soffice = _need("soffice", "libreoffice-calc-nogui")
    profile = tmp_path / "lo-profile"
    outdir = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=900,
    )
    pdfs = [outdir / (p.stem + ".pdf") for p in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return pdfs


# --------------------------------------------------------------------------- the package


def test_worksheet_elements_in_schema_order(outputs):
    for path in _all(outputs):
        for name, data in _worksheets(path).items():
            from xml.etree import ElementTree as ET

            tags = [child.tag.replace(NS, "") for child in ET.fromstring(data)]
            unknown = [t for t in tags if t not in WORKSHEET_ORDER]
            assert not unknown, (path.name, name, unknown)
            positions = [WORKSHEET_ORDER.index(t) for t in tags]
            assert positions == sorted(positions), (path.name, name, tags)
            # only conditionalFormatting may repeat
            repeated = [t for t, n in Counter(tags).items() if n > 1 and t != "conditionalFormatting"]
            assert not repeated, (path.name, name, repeated)


def test_colours_are_opaque_and_borders_black(outputs):
    for path in _all(outputs):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    for rgb in re.findall(rb'\brgb="([0-9A-Fa-f]*)"', z.read(name)):
                        assert re.fullmatch(rb"FF[0-9A-F]{6}", rgb), (path.name, name, rgb)
    for path in outputs["reporte"] + outputs["resumen"]:
        wb = load_workbook(path)
        ws = wb.worksheets[-1]
        boxed = [c for row in ws.iter_rows() for c in row if c.border.left is not None and c.border.left.style == "thin"]
        assert boxed and all(c.border.left.color.rgb == "FF000000" for c in boxed)


def test_strings_are_shared_as_excel_writes_them(outputs):
    for path in _all(outputs):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert "xl/sharedStrings.xml" in names, path.name
            sst = z.read("xl/sharedStrings.xml")
            assert re.search(rb'count="\d+" uniqueCount="\d+"', sst)
            rels = z.read("xl/_rels/workbook.xml.rels")
            assert b'Target="sharedStrings.xml"' in rels
            assert b'PartName="/xl/sharedStrings.xml"' in z.read("[Content_Types].xml")
        for name, data in _worksheets(path).items():
            assert b"inlineStr" not in data, (path.name, name)


def test_part_names_and_targets_as_excel_writes_them(outputs):
    for path in _all(outputs):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert names[0] == "[Content_Types].xml"
            assert not [n for n in names if n.startswith("xl/comments/") or "commentsDrawing" in n], names
            for name in names:
                if name.endswith(".rels"):
                    assert b'Target="/' not in z.read(name), (path.name, name)
                if name.startswith("xl/drawings/drawing"):
                    assert z.read(name).split(b"?>")[-1].lstrip().startswith(b"<xdr:wsDr "), name
    with zipfile.ZipFile(outputs["siguiente"][0]) as z:
        names = z.namelist()
        assert "xl/comments1.xml" in names and "xl/drawings/vmlDrawing1.vml" in names
        assert b"<v:shape " in z.read("xl/drawings/vmlDrawing1.vml")


def test_codes_as_text_are_not_flagged_as_numbers(outputs):
    """RAMO 58, PROGRAMA 58: text on purpose, listed in the sheet's ignoredErrors."""
    for kind in ("reporte", "por-unidad", "siguiente"):
        for path in outputs[kind]:
            wb = load_workbook(path)
            sheets = _worksheets(path)
            for index, ws in enumerate(wb.worksheets, start=1):
                codes = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and re.fullmatch(r"\d+", c.value)]
                if not codes:
                    continue
                found = re.search(rb'<ignoredError sqref="([^"]+)" numberStoredAsText="1"/>', sheets[f"xl/worksheets/sheet{index}.xml"])
                assert found, (path.name, ws.title)
                covered = _cells_of(found.group(1).decode())
                missing = [c.coordinate for c in codes if c.coordinate not in covered]
                assert not missing, (path.name, ws.title, missing)


def _cells_of(sqref: str) -> set[str]:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    cells = set()
    for part in sqref.split():
        c1, r1, c2, r2 = range_boundaries(part)
        cells |= {f"{get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)}
    return cells


def test_document_properties(outputs):
    ayuntamiento = "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
    expected = {"reporte": ayuntamiento, "por-unidad": ayuntamiento, "siguiente": ayuntamiento, "plantilla": APPLICATION}
    for kind, files in outputs.items():
        for path in files:
            wb = load_workbook(path)
            props = wb.properties
            assert props.title and props.creator and props.creator != "openpyxl", (path.name, props.creator)
            assert props.lastModifiedBy != "openpyxl"
            if kind in expected:
                assert props.creator == expected[kind], (kind, props.creator)
            with zipfile.ZipFile(path) as z:
                app = z.read("docProps/app.xml")
            assert f"<Application>{APPLICATION}</Application>".encode() in app
            assert b"penpyxl" not in app


# --------------------------------------------------------------------------- printing


# The footer's section: our PDF prints "<key> Hoja n de N", the XLSX "Unidad <key> Hoja n de N".
FOOTER = r"(?:Unidad\s+)?(\S+)\s+Hoja\s+\d+\s+de\s+\d+"


def _pdf_sections(pdf: bytes | Path, pattern: str) -> Counter[str]:
    """Pages per section, told by each page's footer (unit key or RESUMEN)."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    counts: Counter[str] = Counter()
    for page in reader.pages:
        found = re.findall(pattern, page.extract_text() or "")
        assert found, "a page without its footer"
        counts[found[-1]] += 1
    return counts


@pytest.fixture(scope="session")
def libro40(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_workbook import make_workbook
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return make_workbook(tmp_path_factory.mktemp("b40") / "ayuntamiento-40.xlsx", 40, 20)


def test_libreoffice_prints_the_xlsx_on_the_pdf_pages(examples_dir, libro40, tmp_path):
    """Examples and a 40-unit workbook: LibreOffice's pages of our XLSX are the PDF's,
    section by section (RESUMEN, then each unit), on carta; and on oficio for one example."""
    jobs = [(p, "carta") for p in sorted(examples_dir.glob("*.xlsx"))] + [(libro40, "carta"), (examples_dir / "2023-cdi-T2.xlsx", "oficio")]
    files, pdfs = [], []
    for i, (libro, papel) in enumerate(jobs):
        out = tmp_path / f"{i}-{papel}"
        out.mkdir()
        copia = out / f"{i}-{papel}-{libro.name}"  # LibreOffice's PDFs are named after the XLSX: one name each
        shutil.copyfile(libro, copia)
        _cli(copia, "-o", out, "--papel", papel)
        files += sorted(out.glob("*_TMM-F004.xlsx"))
        pdfs += sorted(out.glob("*_TMM-F004.pdf"))
    lo = _libreoffice_pdfs(files, tmp_path)
    for ours, theirs in zip(pdfs, lo, strict=True):
        # our footer: "<key> Hoja n de N"; LibreOffice prints the XLSX's: "Unidad <key> Hoja n de N"
        pdf = _pdf_sections(ours, FOOTER)
        xlsx = _pdf_sections(theirs, FOOTER)
        assert sum(xlsx.values()) == sum(pdf.values()), (ours.name, sum(xlsx.values()), sum(pdf.values()))
        assert xlsx == pdf, ours.name


def test_paginacion_is_the_pdfs(examples_dir, libro40):
    """The breaks written into the layout are the PDF's pages, section by section."""
    from poa_xlsx import check_workbook
    from poa_xlsx.render.pdf.documento import render_pdf
    from poa_xlsx.render.pdf.paginacion import contar_paginas, paginar
    from poa_xlsx.render.reporte import Opciones, build_reporte

    for libro in [*sorted(examples_dir.glob("*.xlsx")), libro40]:
        reporte = build_reporte(check_workbook(libro).informe, Opciones())
        for papel in ("carta", "oficio"):
            paginado = paginar(reporte, papel)
            pdf = render_pdf(reporte, papel=papel)
            sections = _pdf_sections(pdf, FOOTER)
            assert contar_paginas(paginado) == sum(sections.values()), (libro.name, papel)
            for pagina in paginado.paginas:
                assert sections[pagina.clave] == 1 + len(pagina.saltos), (libro.name, papel, pagina.clave)
            assert paginado.resumen is not None
            assert sections["RESUMEN"] == 1 + len(paginado.resumen.saltos)


def test_awkward_pages_print_like_the_pdf(make_workbook, tmp_path):
    """Many goals (several pages, the header repeated), a long last goal that must go
    to the next page with the signatures, and a first goal too long for the room
    under the titles (the PDF splits it; the XLSX moves it whole): same pages. A goal
    taller than a whole page is split by the PDF over two pages; an XLSX row cannot
    be (docs/xlsx.md): that unit prints on fewer pages, never on more."""
    from builders import DEFAULT_HEADER, Goal, Unit

    def header(clave: str) -> list:  # each unit its own key, so the footers tell the sections apart
        return [(label, clave if label == "UNIDAD EJECUTORA" else key, text) for label, key, text in DEFAULT_HEADER]

    palabras = "seguimiento del programa con las dependencias y organismos del municipio "
    largo = (palabras * 12).strip()  # about 900 characters: a third of a page in the PDF
    muy_largo = (palabras * 22).strip()  # two thirds of a page
    enorme = (palabras * 60).strip()  # more than a page
    units = [
        Unit(sheet="101 Muchas metas", header=header("101"), goals=[Goal(numero=str(100 + i), obs=largo if i % 7 == 0 else "Sin novedad.") for i in range(45)]),
        Unit(sheet="102 Ultima larga", header=header("102"), goals=[*(Goal(numero=str(200 + i)) for i in range(14)), Goal(numero="299", obs=muy_largo)]),
        Unit(sheet="103 Primera larga", header=header("103"), goals=[Goal(numero="300", descripcion=muy_largo, obs=muy_largo), Goal(numero="301")]),
        Unit(sheet="104 Enorme", header=header("104"), goals=[Goal(numero="400"), Goal(numero="401", obs=enorme), Goal(numero="402")]),
    ]
    libro = make_workbook(units=units, name="incomodo.xlsx")
    out = tmp_path / "out"
    _cli(libro, "-o", out)
    [xlsx] = out.glob("*_TMM-F004.xlsx")
    [pdf] = out.glob("*_TMM-F004.pdf")
    [lo] = _libreoffice_pdfs([xlsx], tmp_path)
    ours, theirs = _pdf_sections(pdf, FOOTER), _pdf_sections(lo, FOOTER)
    assert ours["RESUMEN"] == 1 and ours["59-101"] >= 5 and ours["59-104"] >= 2, ours  # as awkward as meant
    assert 1 <= theirs.pop("59-104") <= ours.pop("59-104")
    assert theirs == ours
