"""render_pdf: text per page with pdfplumber, document properties with pypdf."""
from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (str(ROOT / "tests"), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import pdfplumber  # noqa: E402
import pytest  # noqa: E402
from builders import Goal, Unit, build_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.layout.base import SEMAFORO_COLORES, Celda  # noqa: E402
from poa_xlsx.layout.reporte import Reporte, layout_report  # noqa: E402
from poa_xlsx.layout.unidad import BloqueFirma  # noqa: E402
from poa_xlsx.render.pdf.base import REPLACEMENT  # noqa: E402
from poa_xlsx.render.pdf.documento import render_pdf  # noqa: E402

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def reportes() -> dict[str, Reporte]:
    return {
        name: layout_report(check_workbook(str(EXAMPLES / f"{name}.xlsx")).informe)
        for name in ("2018-presidencia-T1", "2023-cdi-T2", "2024-turismo-T1")
    }


@pytest.fixture(scope="module")
def pdfs(reportes) -> dict[str, bytes]:
    return {name: render_pdf(rep) for name, rep in reportes.items()}


@pytest.fixture(scope="module")
def texts(pdfs) -> dict[str, list[str]]:
    return {name: page_texts(data) for name, data in pdfs.items()}


def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def page_words(data: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def footer_clave(text: str) -> str:
    """The unit key printed at the left of the last line ("59-101 Hoja 1 de 5")."""
    last = text.strip().splitlines()[-1]
    return last.split(" Hoja ")[0].strip()


def pages_of(texts: list[str], clave: str) -> list[str]:
    return [t for t in texts if footer_clave(t) == clave]


def with_filas(rep: Reporte, filas, **changes) -> Reporte:
    """The first unit of ``rep`` with other goal rows."""
    pagina = dataclasses.replace(rep.paginas[0], filas=tuple(filas), **changes)
    return dataclasses.replace(rep, paginas=(pagina,))


def with_cell(fila, key_index: int, text: str, kind: str | None = None):
    celdas = list(fila.celdas)
    old = celdas[key_index]
    celdas[key_index] = Celda(text, text, kind or old.kind, old.semaforo)
    return dataclasses.replace(fila, celdas=tuple(celdas))


def col(rep: Reporte, key: str) -> int:
    return [c.key for c in rep.paginas[0].columnas].index(key)


# --------------------------------------------------------------------------- the examples


def test_every_unit_starts_a_page_with_titles_classification_and_date(reportes, texts):
    for name, rep in reportes.items():
        pages = texts[name]
        for pagina in rep.paginas:
            first = pages_of(pages, pagina.clave)[0]
            lines = first.splitlines()
            assert lines[:4] == list(pagina.titulos), name
            for linea in pagina.clasificacion:
                expected = " ".join(x for x in (f"{linea.etiqueta}:" if linea.etiqueta else "", linea.clave, linea.descripcion) if x)
                assert any(line.startswith(expected) for line in lines), (name, expected)
            assert pagina.clave_formato in first
            assert f"FECHA: {pagina.fecha}" in first
        # a unit never shares a page with another: the pages of each unit are consecutive
        claves = [footer_clave(t) for t in pages]
        assert [c for i, c in enumerate(claves) if i == 0 or claves[i - 1] != c] == [p.clave for p in rep.paginas]


def test_2018_presidencia_unit_003_figures(texts):
    text = "\n".join(pages_of(texts["2018-presidencia-T1"], "01-003"))
    assert "PRIMER TRIMESTRE 2018" in text
    assert "FECHA: 9-abr-18" in text
    # goal 2.3's row: 20,000 6,000 3,506 ... 3,506 18% on its middle line
    line = next(l for l in text.splitlines() if "20,000" in l.split())
    assert line.split().count("3,506") == 2 and "18%" in line.split()


def test_2023_cdi_goal_300_figures(texts):
    pages = texts["2023-cdi-T2"]
    page = next(t for t in pages if "300.- Fomentar" in t)
    # The figures of goal 300 print on the row's middle line: ... 16 107% ...
    assert any("16" in l.split() and "107%" in l.split() for l in page.splitlines())
    assert "FECHA: 30-jun-23" in "\n".join(pages)


def test_footer_hoja_x_de_y_on_every_page(texts):
    for pages in texts.values():
        n = len(pages)
        assert n > 1
        for i, text in enumerate(pages, start=1):
            assert text.strip().splitlines()[-1].endswith(f"Hoja {i} de {n}")


def test_signature_names_under_their_roles(reportes, pdfs, texts):
    rep = reportes["2018-presidencia-T1"]
    pagina = rep.paginas[0]
    words_by_page = page_words(pdfs["2018-presidencia-T1"])
    pages = texts["2018-presidencia-T1"]
    index = max(i for i, t in enumerate(pages) if footer_clave(t) == pagina.clave)
    words = words_by_page[index]
    roles = {w["text"]: w for w in words if w["text"] in ("ELABORÓ", "REVISÓ", "AUTORIZÓ")}
    assert set(roles) == {"ELABORÓ", "REVISÓ", "AUTORIZÓ"}
    assert roles["ELABORÓ"]["x0"] < roles["REVISÓ"]["x0"] < roles["AUTORIZÓ"]["x0"]

    def column_of(word):
        center = (word["x0"] + word["x1"]) / 2
        return min(roles, key=lambda r: abs((roles[r]["x0"] + roles[r]["x1"]) / 2 - center))

    for firma in pagina.firmas:
        for text in (firma.nombre, firma.cargo, firma.leyenda):
            first_word = text.split()[0]
            candidates = [w for w in words if w["text"] == first_word and w["top"] > roles[firma.rol]["top"]]
            assert any(column_of(w) == firma.rol for w in candidates), (firma.rol, text)
    page_text = pages[index]
    assert "MTRA. DIANA ARRIOLA BASTIDAS" in page_text
    assert "LIC. ALFONSO MARTÍNEZ MORENO" in page_text


def test_semaforo_cells_are_filled_and_legend_printed(reportes, pdfs):
    rep = reportes["2023-cdi-T2"]
    with pdfplumber.open(io.BytesIO(pdfs["2023-cdi-T2"])) as pdf:
        fills = {
            tuple(round(c, 3) for c in r["non_stroking_color"])
            for page in pdf.pages
            for r in page.rects
            if r.get("fill") and r.get("non_stroking_color") and len(r["non_stroking_color"]) == 3
        }
        text = "\n".join(page.extract_text() for page in pdf.pages)
    used = {f.celdas[col(rep, "semaforo")].semaforo for p in rep.paginas for f in p.filas} - {None}
    assert used
    for semaforo in used:
        hex_color = SEMAFORO_COLORES[semaforo]
        rgb = tuple(round(int(hex_color[i: i + 2], 16) / 255, 3) for i in (0, 2, 4))
        assert rgb in fills, semaforo
    for _semaforo, meaning in rep.paginas[0].leyenda:
        assert meaning in text


def test_sin_semaforo_prints_the_plain_form(reportes):
    informe = check_workbook(str(EXAMPLES / "2023-cdi-T2.xlsx")).informe
    rep = layout_report(informe, semaforo=False)
    data = render_pdf(rep)
    colours = set()
    for hex_color in SEMAFORO_COLORES.values():
        colours.add(tuple(round(int(hex_color[i: i + 2], 16) / 255, 3) for i in (0, 2, 4)))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for r in page.rects:
                color = r.get("non_stroking_color")
                if r.get("fill") and color and len(color) == 3:
                    assert tuple(round(c, 3) for c in color) not in colours
            text = page.extract_text()
            assert "cumplida (" not in text
    assert "ACUMULADO RELATIVO" in page_texts(data)[0].replace("\n", " ") or "ACUMULADO" in page_texts(data)[0]
    assert "107%" in "\n".join(page_texts(data))


# --------------------------------------------------------------------------- pagination


@pytest.fixture(scope="module")
def sixty(tmp_path_factory) -> Reporte:
    path = build_workbook(tmp_path_factory.mktemp("wb") / "sesenta.xlsx", units=[Unit(goals=[Goal(numero=str(i)) for i in range(60)])])
    return layout_report(check_workbook(str(path)).informe)


def test_header_rows_repeat_on_continuation_pages(sixty):
    texts = page_texts(render_pdf(sixty))
    assert len(texts) >= 3
    for text in texts:
        assert "DESCRIPCIÓN DE METAS Y ACCIONES" in text
        assert "OBSERVACIONES" in text
        assert "Ene-Mar Abr-Jun Jul-Sep Oct-Dic" in text
        assert "P A P A P A P A" in text
    # titles only once, at the start of the unit
    assert sum("AVANCE FÍSICO PROGRAMÁTICO" in t for t in texts) == 1
    # every goal printed exactly once, in order
    joined = "\n".join(texts)
    positions = [joined.index(f"\n{i}.- Promover") if f"\n{i}.- Promover" in joined else -1 for i in range(60)]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    assert all(joined.count(f"{i}.- Promover") == 1 for i in range(10, 60))


def test_oficio_is_wider_and_carta_is_letter(sixty):
    carta = PdfReader(io.BytesIO(render_pdf(sixty))).pages[0].mediabox
    oficio_pdf = render_pdf(sixty, papel="oficio")
    oficio = PdfReader(io.BytesIO(oficio_pdf)).pages[0].mediabox
    assert (round(float(carta.width)), round(float(carta.height))) == (792, 612)
    assert (round(float(oficio.width)), round(float(oficio.height))) == (936, 612)
    assert "Hoja 1 de" in page_texts(oficio_pdf)[0]
    with pytest.raises(ValueError):
        render_pdf(sixty, papel="a4")


def test_50000_character_observaciones_split_across_pages(sixty):
    words = [f"w{i:05d}" for i in range(8400)]  # 8,400 x 6 chars ≈ 50,000 characters
    text = " ".join(words)
    assert len(text) >= 50_000
    filas = list(sixty.paginas[0].filas[:3])
    filas[1] = with_cell(filas[1], col(sixty, "observaciones"), text)
    data = render_pdf(with_filas(sixty, filas))
    texts = fast_texts(data)
    assert len(texts) > 10
    joined = "\n".join(texts)
    found = [w for w in joined.split() if len(w) == 6 and w.startswith("w") and w[1:].isdigit()]
    assert found == words  # every word, once, in order: nothing cut
    for t in texts:
        assert "DESCRIPCIÓN DE METAS Y ACCIONES" in t
    assert "ELABORÓ" in texts[-1] and "2.- Promover" in texts[-1]


def test_50000_character_last_goal_keeps_its_end_with_signatures(sixty):
    text = " ".join(f"z{i:05d}" for i in range(8400))
    filas = list(sixty.paginas[0].filas[:2])
    filas[-1] = with_cell(filas[-1], col(sixty, "descripcion"), "1.- " + text, "texto")
    texts = fast_texts(render_pdf(with_filas(sixty, filas)))
    joined = "\n".join(texts)
    found = [w for w in joined.split() if len(w) == 6 and w.startswith("z")]
    assert found == [f"z{i:05d}" for i in range(8400)]
    last = texts[-1]
    assert "ELABORÓ" in last and "z08399" in last
    assert all("ELABORÓ" not in t for t in texts[:-1])


def fast_texts(data: bytes) -> list[str]:
    """pypdf text per page: content order, several times faster than pdfplumber."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _check_signatures_per_unit(rep: Reporte) -> None:
    """Each unit's signature block is on one page with the legend and at least one goal row."""
    texts = fast_texts(render_pdf(rep))
    by_unit: dict[str, list[str]] = {}
    for text in texts:
        clave = re.search(r"\bK\d\d\b", text).group(0)
        by_unit.setdefault(clave, []).append(text)
    assert list(by_unit) == [p.clave for p in rep.paginas]
    for pagina in rep.paginas:
        pages = by_unit[pagina.clave]
        with_sign = [t for t in pages if "ELABORÓ" in t]
        assert len(with_sign) == 1 and with_sign[0] is pages[-1], pagina.clave
        page = with_sign[0]
        for firma in pagina.firmas:
            assert firma.rol in page and firma.nombre in page and firma.cargo in page, pagina.clave
        assert "cumplida (" in page
        last_goal = pagina.filas[-1].celdas[1].text.split()[0]  # "7.-"
        assert last_goal in page, f"{pagina.clave}: signatures without the last goal row"


def _units(template: Reporte, filas, counts) -> Reporte:
    paginas = tuple(
        dataclasses.replace(template.paginas[0], clave=f"K{n:02d}", filas=tuple(filas[:n])) for n in counts
    )
    return dataclasses.replace(template, paginas=paginas)


def test_signature_block_never_alone_nor_split(sixty):
    """1 to 29 goals: the page break falls before, inside and after the block; it moves with the last goal."""
    _check_signatures_per_unit(_units(sixty, sixty.paginas[0].filas, range(1, 30)))


def test_signature_block_with_tall_rows(sixty):
    long_obs = "observación larga " * 60
    filas = [with_cell(f, col(sixty, "observaciones"), long_obs) for f in sixty.paginas[0].filas[:12]]
    _check_signatures_per_unit(_units(sixty, filas, range(1, 12)))


def test_signature_block_sits_below_the_last_row(sixty):
    """Layout check on one page break: the goal row is above ELABORÓ on the same page."""
    data = render_pdf(with_filas(sixty, sixty.paginas[0].filas[:8]))
    words = page_words(data)
    page = next(w for w in words if any(x["text"] == "ELABORÓ" for x in w))
    elaboro = next(x for x in page if x["text"] == "ELABORÓ")
    goal = next(x for x in page if x["text"] == "7.-")
    assert goal["bottom"] < elaboro["top"]


# --------------------------------------------------------------------------- text and document


def test_user_text_is_printed_literally(sixty):
    fila = sixty.paginas[0].filas[0]
    fila = with_cell(fila, col(sixty, "descripcion"), "1.- <b>&amp; x > y & z</b>\nsegunda línea")
    fila = with_cell(fila, col(sixty, "observaciones"), "nota <i>sin cursiva</i> & más")
    firmas = (BloqueFirma("ELABORÓ", "RESPONSABLE <b>", "ING. A&B <C>", "CARGO & <br/> PUESTO"),)
    rep = with_filas(sixty, [fila], firmas=firmas, titulos=("AYUNTAMIENTO <&>", "PROGRAMA OPERATIVO ANUAL 2023", "AVANCE FÍSICO PROGRAMÁTICO", "SEGUNDO TRIMESTRE 2023"))
    text = page_texts(render_pdf(rep))[0]
    assert "1.- <b>&amp; x > y & z</b>" in text
    lines = text.splitlines()
    first = next(i for i, l in enumerate(lines) if "1.- <b>&amp; x > y & z</b>" in l)
    second = next(i for i, l in enumerate(lines) if "segunda línea" in l)
    assert second > first and "&amp;" not in lines[second]  # the line break is kept
    assert "nota <i>sin cursiva</i> & más" in text
    assert "ING. A&B <C>" in text and "CARGO & <br/> PUESTO" in text and "RESPONSABLE <b>" in text
    assert text.splitlines()[0] == "AYUNTAMIENTO <&>"


def test_characters_missing_from_the_font_are_replaced_not_fatal(sixty):
    fila = with_cell(sixty.paginas[0].filas[0], col(sixty, "descripcion"), "1.- 中文 \U0001f99c ok\x07\ttab")
    data = render_pdf(with_filas(sixty, [fila]))
    text = page_texts(data)[0]
    assert f"1.- {REPLACEMENT}{REPLACEMENT} {REPLACEMENT} ok tab" in text


def test_same_input_same_bytes(reportes, sixty):
    rep = reportes["2023-cdi-T2"]
    first = render_pdf(rep)
    render_pdf(sixty)  # caches warmed by another document change nothing
    assert render_pdf(rep) == first
    assert render_pdf(sixty, papel="oficio") == render_pdf(sixty, papel="oficio")


def test_same_bytes_in_another_process():
    """Font subsets must not depend on str hashing, which changes from process to process."""
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from poa_xlsx.acciones import check_workbook; from poa_xlsx.layout.reporte import layout_report;"
        "from poa_xlsx.render.pdf.documento import render_pdf;"
        "import dataclasses as d; rep = layout_report(check_workbook(sys.argv[2]).informe);"
        # many new non-ASCII characters first met in the same table line
        "from poa_xlsx.layout.base import Celda; f = rep.paginas[0].filas[0];"
        "f = d.replace(f, celdas=f.celdas[:-1] + (Celda('«»¿¡çøåæßðþ', '', 'observaciones'),));"
        "p = d.replace(rep.paginas[0], filas=(f,) + rep.paginas[0].filas[1:]);"
        "print(hashlib.sha256(render_pdf(d.replace(rep, paginas=(p,) + rep.paginas[1:]))).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, str(ROOT), str(EXAMPLES / "2024-turismo-T1.xlsx")],
            env=env, capture_output=True, text=True, check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_metadata_language_and_embedded_fonts(reportes, pdfs):
    rep = reportes["2023-cdi-T2"]
    reader = PdfReader(io.BytesIO(pdfs["2023-cdi-T2"]))
    assert reader.trailer["/Root"]["/Lang"] == "es-MX"
    meta = reader.metadata
    assert meta.title == rep.titulo
    assert meta.author == rep.autor
    assert meta.subject == rep.asunto
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded TrueType
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_empty_report_and_unit_without_goals(sixty):
    empty = dataclasses.replace(sixty, paginas=())
    assert "NO TIENE UNIDADES" in page_texts(render_pdf(empty))[0]
    texts = page_texts(render_pdf(with_filas(sixty, [])))
    assert len(texts) == 1 and "ELABORÓ" in texts[0] and "OBSERVACIONES" in texts[0]


def test_wide_figures_fit_their_columns(sixty):
    fila = sixty.paginas[0].filas[0]
    celdas = list(fila.celdas)
    for key in ("meta_anual", "p1", "a1", "avance_absoluto"):
        celdas[col(sixty, key)] = Celda("12,345,678", Decimal(12345678), "cantidad")
    fila = dataclasses.replace(fila, celdas=tuple(celdas))
    data = render_pdf(with_filas(sixty, [fila]))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        edges = sorted({round(l["x0"], 1) for l in page.lines if abs(l["x0"] - l["x1"]) < 0.1})
        numbers = [w for w in page.extract_words() if w["text"] == "12,345,678"]
    assert len(numbers) == 4
    for w in numbers:  # each inside one column: no rule runs through it
        assert not any(w["x0"] < x < w["x1"] for x in edges)


def test_table_stays_inside_the_margins(pdfs):
    margin = 28.3  # 1 cm
    for name, data in pdfs.items():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages[:3]:
                xs = [x for l in page.lines for x in (l["x0"], l["x1"])] + [w["x1"] for w in page.extract_words()]
                assert min(xs) >= margin - 0.5 and max(xs) <= page.width - margin + 0.5, name


@pytest.mark.parametrize("case", ["many_clasificacion", "long_firmas", "unbreakable_words", "nothing"])
def test_hostile_layouts_render(sixty, case):
    pagina = sixty.paginas[0]
    fila = pagina.filas[0]
    if case == "many_clasificacion":  # the classification block itself spans pages
        lineas = tuple(dataclasses.replace(pagina.clasificacion[0], clave=f"{i}.1", descripcion="DESCRIPCIÓN " * 8) for i in range(90))
        pagina = dataclasses.replace(pagina, clasificacion=lineas, filas=pagina.filas[:2])
        expect = ["89.1", "ELABORÓ", "1.- Promover"]
    elif case == "long_firmas":
        firmas = tuple(BloqueFirma(f.rol, "LEYENDA " * 150, "NOMBRE " * 100, "CARGO " * 200) for f in pagina.firmas)
        pagina = dataclasses.replace(pagina, firmas=firmas, filas=pagina.filas[:9])
        expect = ["AUTORIZÓ", "8.- Promover"]
    elif case == "unbreakable_words":
        fila = with_cell(fila, col(sixty, "descripcion"), "0.- " + "Ж" * 3000)
        fila = with_cell(fila, col(sixty, "unidad_medida"), "PROGRAMÁTICAPRESUPUESTALMUYLARGA")
        celdas = list(fila.celdas)
        celdas[col(sixty, "p1")] = Celda("123,456,789,012", Decimal(123456789012), "cantidad")
        pagina = dataclasses.replace(pagina, filas=(dataclasses.replace(fila, celdas=tuple(celdas)),))
        expect = ["123,456,789,012", "ELABORÓ"]
    else:
        pagina = dataclasses.replace(pagina, titulos=("", "", "", ""), clasificacion=(), firmas=(), leyenda=(), filas=())
        expect = ["OBSERVACIONES"]
    texts = fast_texts(render_pdf(dataclasses.replace(sixty, paginas=(pagina,))))
    joined = "\n".join(texts)
    for text in expect:
        assert text in joined, (case, text)
    if case == "unbreakable_words":  # every letter printed, broken over lines
        assert joined.count("Ж") == 3000
    if case == "long_firmas":  # taller than a page: split between lines, nothing lost
        assert joined.count("NOMBRE") == 300 and joined.count("CARGO") == 600 and joined.count("LEYENDA") == 450


def test_table_header_at_most_once_per_page(texts):
    # regression: a continuation part used to split its first goal on the same
    # page, drawing a second table header mid-page (2023 CDI unit 201, page 4)
    for name, pages in texts.items():
        for number, text in enumerate(pages, start=1):
            assert text.count("DESCRIPCIÓN DE METAS Y ACCIONES") <= 1, (name, number)


def test_clean_text_skips_translate_only_for_text_it_would_not_change():
    """The quick search (issue #8) must find every character the translation changes."""
    from poa_xlsx.render.pdf.base import _CHANGED, _TRANSLATE

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert bool(_CHANGED.search(ch)) == (ch.translate(_TRANSLATE) != ch), hex(code)
