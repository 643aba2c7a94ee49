"""Downloads: original, marked workbook, report XLSX and PDF; only for those who may see the ramo."""
from __future__ import annotations

import io

import openpyxl
import pytest
from portal_helpers import CON_ERRORES

from poa_xlsx.web.cuentas.models import Evento


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_marked_workbook_has_comments_fills_and_the_problems_sheet(as_user, versiones):
    v = versiones["rota59"]
    response = as_user("c59").get(f"/versiones/{v.pk}/descargar/marcado/")
    assert response.status_code == 200
    assert 'filename="2023-cdi-T2-con-errores_revision.xlsx"' in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(_body(response)))
    assert wb.sheetnames[0] == "PROBLEMAS"
    sheet = wb["201 Promoción Industrial"]
    assert "numero-invalido" in sheet["G20"].comment.text and "doce" in sheet["G20"].comment.text
    assert sheet["G20"].fill.start_color.rgb.endswith("FFC7CE")  # red: error
    assert sheet["P17"].fill.start_color.rgb.endswith("FFD8A8")  # orange: warning
    links = [c.hyperlink.location for c in wb["PROBLEMAS"]["B"] if c.hyperlink]
    assert "'201 Promoción Industrial'!G20" in links
    assert open(v.original, "rb").read() == CON_ERRORES.read_bytes()  # the kept original is unchanged


@pytest.mark.parametrize("tipo", ["original", "marcado", "xlsx", "pdf"])
def test_other_ramos_files_are_404(as_user, versiones, tipo):
    for key in ("buena59", "rota59"):
        assert as_user("c58").get(f"/versiones/{versiones[key].pk}/descargar/{tipo}/").status_code == 404
        assert as_user("sinramo").get(f"/versiones/{versiones[key].pk}/descargar/{tipo}/").status_code == 404


@pytest.mark.parametrize("role", ["c59", "teso", "admin"])
def test_report_downloads_for_those_who_see_the_ramo(as_user, versiones, role):
    v = versiones["buena59"]
    pdf = as_user(role).get(f"/versiones/{v.pk}/descargar/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert _body(pdf) == open(v.path("2023-cdi-T2_TMM-F004.pdf"), "rb").read()
    xlsx = as_user(role).get(f"/versiones/{v.pk}/descargar/xlsx/")
    assert xlsx.status_code == 200 and _body(xlsx).startswith(b"PK")
    assert Evento.objects.filter(tipo=Evento.Tipo.DESCARGA).count() == 2


def test_no_report_for_a_version_with_errors(as_user, versiones):
    v = versiones["rota59"]
    assert as_user("c59").get(f"/versiones/{v.pk}/descargar/pdf/").status_code == 404
    assert as_user("c59").get(f"/versiones/{v.pk}/descargar/otro/").status_code == 404


def test_original_download_is_the_uploaded_bytes(as_user, versiones):
    v = versiones["rota59"]
    response = as_user("teso").get(f"/versiones/{v.pk}/descargar/original/")
    assert _body(response) == CON_ERRORES.read_bytes()
