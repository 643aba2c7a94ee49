"""One version's page: problems grouped by sheet, errors first; the report's pages."""
from __future__ import annotations

import shutil

import pytest

from poa_xlsx.web.entregas.views import group_problems


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("c59", "rota59", 200), ("c59", "buena59", 200), ("c59", "buena58", 404),
        ("c58", "buena58", 200), ("c58", "rota59", 404), ("c58", "buena59", 404),
        ("teso", "rota59", 200), ("teso", "buena58", 200),
        ("admin", "rota59", 200), ("admin", "buena58", 200),
        ("sinramo", "rota59", 404), ("sinramo", "buena58", 404),
    ],
)
def test_who_sees_which_version(as_user, versiones, role, key, status):
    response = as_user(role).get(f"/versiones/{versiones[key].pk}/")
    assert response.status_code == status
    if status == 404:
        assert versiones[key].nombre not in response.content.decode()


def test_missing_version_is_404(as_user, versiones):
    assert as_user("teso").get("/versiones/999999/").status_code == 404


def test_problems_shown_with_sheet_cell_severity_and_message(as_user, versiones):
    html = as_user("c59").get(f"/versiones/{versiones['rota59'].pk}/").content.decode()
    assert "3 errores y 1 advertencia" in html
    assert "Hoja «201 Promoción Industrial»: 3 errores, 1 advertencia" in html
    # errors first (G20, I21, B26), then the warning (P17)
    cells = [html.index(f'<td class="celda">{c}</td>') for c in ("G20", "I21", "B26", "P17")]
    assert cells == sorted(cells)
    assert "Se esperaba un número y la celda dice &quot;doce&quot;" in html
    assert "/descargar/marcado/" in html
    assert "/descargar/pdf/" not in html  # no report while there are errors


def test_clean_version_shows_the_report_pages_and_downloads(as_user, versiones):
    v = versiones["buena59"]
    html = as_user("c59").get(f"/versiones/{v.pk}/").content.decode()
    assert "Sin errores" in html
    assert f"/versiones/{v.pk}/descargar/pdf/" in html and f"/versiones/{v.pk}/descargar/xlsx/" in html
    if shutil.which("pdftoppm"):
        from pypdf import PdfReader

        pages = len(PdfReader(v.path("2023-cdi-T2_TMM-F004.pdf")).pages)
        assert html.count(f'src="/versiones/{v.pk}/paginas/') == pages > 1
        png = as_user("c59").get(f"/versiones/{v.pk}/paginas/1.png")
        assert png.status_code == 200 and b"".join(png.streaming_content).startswith(b"\x89PNG")
        assert as_user("c59").get(f"/versiones/{v.pk}/paginas/99.png").status_code == 404
        assert as_user("c58").get(f"/versiones/{v.pk}/paginas/1.png").status_code == 404
    else:
        assert "<object" in html


def test_group_problems_puts_sheets_with_errors_first():
    def p(hoja, sev, celda):
        return {"hoja": hoja, "severidad": sev, "celda": celda, "codigo": "x", "mensaje": ""}

    grupos = group_problems([p("A", "advertencia", "B1"), p("B", "advertencia", "C1"), p("B", "error", "C2"), p("C", "advertencia", "D1")])
    assert [g["hoja"] for g in grupos] == ["B", "A", "C"]
    assert [x["celda"] for x in grupos[0]["problemas"]] == ["C2", "C1"]
