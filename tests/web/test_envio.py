"""Send, return, approve, reopen: every transition recorded, the forbidden ones refused, permissions."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from portal_helpers import CON_ERRORES, CORREGIDO, upload

from poa_xlsx.web.entregas.flujo import TransicionError, approve_envio, reopen_envio, return_envio, send_version
from poa_xlsx.web.entregas.matriz import build_matrix, counts_line
from poa_xlsx.web.entregas.models import Envio, Transicion
from poa_xlsx.web.periodos.models import Ramo
from poa_xlsx.web.periodos.servicio import open_period


def test_a_whole_round_with_every_transition_recorded(as_user, usuarios, periodo):
    buena = upload(usuarios["c59"], CORREGIDO)
    response = as_user("c59").post(f"/versiones/{buena.pk}/enviar/", follow=True)
    envio = Envio.objects.get()
    assert (envio.estado, envio.version, envio.periodo) == ("enviado", buena, periodo)
    assert "Enviado a Tesorería" in response.content.decode()

    # a capturista cannot review
    assert as_user("c59").post(f"/envios/{envio.pk}/revisar/", {"accion": "aprobar"}, follow=True).status_code == 200
    assert Envio.objects.get().estado == "enviado"

    # Tesorería returns it, with a comment; the ramo sees the comment
    as_user("teso").post(f"/envios/{envio.pk}/revisar/", {"accion": "devolver", "comentario": "Falta justificar la meta 300."})
    assert Envio.objects.get().estado == "devuelto"
    assert "Falta justificar la meta 300." in as_user("c59").get("/ramos/59/").content.decode()

    # the ramo sends a corrected version; Tesorería approves
    corregida = upload(usuarios["c59"], CORREGIDO)
    as_user("c59").post(f"/versiones/{corregida.pk}/enviar/")
    as_user("teso").post(f"/envios/{envio.pk}/revisar/", {"accion": "aprobar"})
    envio.refresh_from_db()
    assert (envio.estado, envio.version) == ("aprobado", corregida)

    # reopening needs a reason
    assert "escriba el motivo" in as_user("admin").post(f"/envios/{envio.pk}/revisar/", {"accion": "reabrir", "comentario": ""}, follow=True).content.decode()
    as_user("admin").post(f"/envios/{envio.pk}/revisar/", {"accion": "reabrir", "comentario": "Cifra mal capturada"})

    history = list(Transicion.objects.filter(envio=envio).values_list("de", "a", "usuario__username", "version_id", "comentario"))
    assert history == [
        ("", "enviado", "beto59", buena.pk, ""),
        ("enviado", "devuelto", "tesoreria", buena.pk, "Falta justificar la meta 300."),
        ("devuelto", "enviado", "beto59", corregida.pk, ""),
        ("enviado", "aprobado", "tesoreria", corregida.pk, ""),
        ("aprobado", "devuelto", "admin", corregida.pk, "Reabierto: Cifra mal capturada"),
    ]
    assert all(t.cuando for t in Transicion.objects.all())
    html = as_user("c59").get(f"/envios/{envio.pk}/").content.decode()
    assert "Cifra mal capturada" in html and "Historia" in html
    cumplidas = corregida.conteo["estatus"]["cumplida"]
    assert "<th scope=\"col\">Cumplida</th>" in html and f"<td>{cumplidas}</td>" in html


def test_forbidden_transitions(usuarios, periodo):
    buena = upload(usuarios["c59"], CORREGIDO)
    rota = upload(usuarios["c59"], CON_ERRORES)
    with pytest.raises(TransicionError, match="tiene errores"):
        send_version(rota, usuarios["c59"])
    with pytest.raises(TransicionError, match="capturistas del ramo"):
        send_version(buena, usuarios["teso"])  # Tesorería does not send for a ramo
    with pytest.raises(TransicionError, match="capturistas del ramo"):
        send_version(buena, usuarios["c58"])
    envio = send_version(buena, usuarios["c59"])
    with pytest.raises(TransicionError, match="Solo Tesorería"):
        approve_envio(envio, usuarios["c59"])
    with pytest.raises(TransicionError, match="escriba qué debe corregir"):
        return_envio(envio, usuarios["teso"], "  ")
    with pytest.raises(TransicionError, match="Solo se reabre"):
        reopen_envio(envio, usuarios["teso"], "motivo")
    approve_envio(envio, usuarios["teso"])
    with pytest.raises(TransicionError, match="Solo se aprueba"):
        approve_envio(envio, usuarios["teso"])
    with pytest.raises(TransicionError, match="Solo se devuelve"):
        return_envio(envio, usuarios["teso"], "x")
    with pytest.raises(TransicionError, match="ya fue aprobado"):
        send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    assert Transicion.objects.count() == 2  # only the two allowed moves were recorded


def test_sending_after_the_deadline_is_refused(usuarios, periodo, monkeypatch):
    buena = upload(usuarios["c59"], CORREGIDO)
    with pytest.raises(TransicionError, match="cerró el 10/07/2023"):
        send_version(buena, usuarios["c59"], today=dt.date(2023, 7, 11))


def test_without_a_period_a_version_cannot_be_sent(usuarios, db):
    buena = upload(usuarios["c59"], CORREGIDO)
    assert buena.periodo is None
    with pytest.raises(TransicionError, match="No hay un periodo abierto para el ejercicio 2023, trimestre 2"):
        send_version(buena, usuarios["c59"])


@pytest.mark.parametrize(("role", "status"), [("c59", 200), ("teso", 200), ("admin", 200), ("c58", 404), ("sinramo", 404)])
def test_who_sees_a_submission(as_user, usuarios, periodo, role, status):
    envio = send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    assert as_user(role).get(f"/envios/{envio.pk}/").status_code == status
    if status == 404:
        assert as_user(role).post(f"/envios/{envio.pk}/revisar/", {"accion": "aprobar"}).status_code == 404
        assert Envio.objects.get().estado == "enviado"


def test_matrix_states_counts_and_figures(as_user, usuarios, periodo):
    Ramo.objects.create(clave="1", nombre="Presidencia")
    rota = upload(usuarios["c59"], CON_ERRORES)
    assert rota.periodo == periodo
    filas = {f.ramo: f for f in build_matrix(periodo)}
    assert (filas["59"].estado, filas["58"].estado, filas["1"].estado) == ("con errores", "sin enviar", "sin enviar")
    buena = upload(usuarios["c59"], CORREGIDO)
    send_version(buena, usuarios["c59"])
    filas = {f.ramo: f for f in build_matrix(periodo)}
    assert filas["59"].estado == "enviado" and filas["59"].version == buena
    # the figures are the library's
    from poa_xlsx import check_workbook

    informe = check_workbook(str(CORREGIDO)).informe
    semaforos: dict[str, int] = {}
    for unidad in informe.unidades:
        for item in unidad.metas:
            semaforos[item.cifras.semaforo.value] = semaforos.get(item.cifras.semaforo.value, 0) + 1
    assert filas["59"].semaforo == semaforos and filas["59"].rojas == semaforos.get("rojo", 0)
    conteo = counts_line(list(filas.values()))
    assert conteo["texto"] == "1 de 3 ramos enviaron; faltan: 1, 58."
    html = as_user("teso").get(f"/periodos/{periodo.pk}/").content.decode()
    assert "1 de 3 ramos enviaron; faltan: 1, 58." in html
    only = as_user("teso").get(f"/periodos/{periodo.pk}/?estado=enviado").content.decode()
    assert 'href="/ramos/58/"' not in only and f'href="/envios/{Envio.objects.get().pk}/"' in only


def test_audit_page_and_csv(as_user, usuarios, periodo):
    envio = send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    return_envio(envio, usuarios["teso"], "Revise la meta 102")
    page = as_user("teso").get(f"/periodos/{periodo.pk}/auditoria/?a=devuelto").content.decode()
    assert "Revise la meta 102" in page
    response = as_user("teso").get(f"/periodos/{periodo.pk}/auditoria/?formato=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["cuando", "ramo", "de", "a", "usuario"]
    assert [(r[1], r[2], r[3], r[4], r[8]) for r in rows[1:]] == [("59", "", "enviado", "beto59", ""), ("59", "enviado", "devuelto", "tesoreria", "Revise la meta 102")]
    filtered = as_user("teso").get(f"/periodos/{periodo.pk}/auditoria/?formato=csv&usuario=tesoreria").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(filtered)))) == 2
    assert as_user("c59").get(f"/periodos/{periodo.pk}/auditoria/").status_code == 404


def test_consolidated_summary_of_approved_submissions(as_user, usuarios, periodo):
    import pdfplumber

    envio = send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    assert "Aún no hay envíos aprobados" in as_user("teso").get(f"/periodos/{periodo.pk}/consolidado.pdf", follow=True).content.decode()
    # including the sent ones, marked as such, and naming the missing ramo
    response = as_user("teso").get(f"/periodos/{periodo.pk}/consolidado.pdf?incluir_enviados=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "INCLUYE ENVIADOS SIN APROBAR (ramos 59)" in text and "FALTAN LOS RAMOS 58" in text
    approve_envio(envio, usuarios["teso"])
    with pdfplumber.open(io.BytesIO(as_user("teso").get(f"/periodos/{periodo.pk}/consolidado.pdf").content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "SIN APROBAR" not in text and "FALTAN LOS RAMOS 58" in text and "RESUMEN" in text
    xlsx = as_user("teso").get(f"/periodos/{periodo.pk}/consolidado.xlsx")
    assert xlsx.content.startswith(b"PK") and 'resumen_2023_T2.xlsx' in xlsx["Content-Disposition"]
    # the open-data CSV is the library's, for the approved workbooks
    from poa_xlsx import check_workbook
    from poa_xlsx.render.datos import render_csv

    csv_bytes = as_user("teso").get(f"/periodos/{periodo.pk}/consolidado.csv").content
    assert csv_bytes == render_csv([check_workbook(envio.version.original).informe])
    assert as_user("c59").get(f"/periodos/{periodo.pk}/consolidado.pdf").status_code == 404


def test_matrix_change_against_the_previous_quarter(usuarios, periodo):
    from poa_xlsx.web.entregas.models import Version
    from poa_xlsx.web.entregas.servicio import receive_upload

    anterior = open_period(2023, 1, dt.date(2023, 7, 10))
    data = CORREGIDO.read_bytes()
    v1 = receive_upload(usuarios["c59"], "59", CORREGIDO.name, [data], len(data), periodo=anterior)
    # the previous quarter had fewer goals met and more in red (figures as the library would have stored them)
    Version.objects.filter(pk=v1.pk).update(conteo={"estatus": {"cumplida": 5, "no alcanzada": 14, "sin programación": 1},
                                                    "semaforo": {"verde": 5, "rojo": 4, "amarillo": 10, "gris": 1}})
    v1.refresh_from_db()
    send_version(v1, usuarios["c59"])
    send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    fila = {f.ramo: f for f in build_matrix(periodo)}["59"]
    estatus = fila.version.conteo["estatus"]
    ahora = round(100 * estatus["cumplida"] / (sum(estatus.values()) - estatus.get("sin programación", 0)))
    assert fila.cumplidas_pct == ahora and fila.cambio_cumplidas == ahora - round(100 * 5 / 19)
    assert fila.cambio_rojas == fila.rojas - 4
    assert {f.ramo: f for f in build_matrix(anterior)}["59"].cambio_cumplidas is None  # nothing before 2023 T1


def test_submission_shows_each_units_figures_as_the_library_computes_them(as_user, usuarios, periodo):
    import html as htmllib
    import re

    from poa_xlsx.acciones import check_workbook
    from poa_xlsx.formatting import format_cantidad

    envio = send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    page = as_user("teso").get(f"/envios/{envio.pk}/").content.decode()
    informe = check_workbook(str(CORREGIDO)).informe
    assert informe is not None and informe.unidades
    sections = page.split('<table class="metas">')[1:]
    assert len(sections) == len(informe.unidades)
    for section, unidad in zip(sections, informe.unidades):
        table = section.split("</table>")[0]
        caption = htmllib.unescape(re.search(r"<caption>(.*?)</caption>", table, re.S).group(1))
        assert f"«{unidad.unidad.sheet}»" in caption and unidad.unidad.clave in caption
        assert all(f'<th scope="col">{h}</th>' in table for h in ("Meta anual", "Programado al periodo", "Avance absoluto", "Acumulado relativo", "Semáforo"))
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
        assert len(rows) == len(unidad.metas)
        for row, item in zip(rows, unidad.metas):
            cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.split(r"</t[hd]>", row)[:-1]]
            meta, cifras = item.meta, item.cifras
            assert cells[0] == meta.numero
            full = " ".join(meta.descripcion.split())
            assert cells[1] == full or (cells[1].endswith("…") and len(cells[1]) <= 90 and full.startswith(cells[1][:-1]))
            assert cells[2:8] == [
                meta.unidad_medida,
                format_cantidad(meta.meta_anual),
                format_cantidad(cifras.programado_acumulado),
                format_cantidad(cifras.avance_absoluto),
                cifras.porcentaje_texto,
                cifras.estatus.value.capitalize(),
            ]
            assert cells[8] == cifras.semaforo.value.capitalize()  # the colour's name, not only the colour
            assert f'class="semaforo sem-{cifras.semaforo.value}"' in row
    # the example has goals in several colours: the table is not one colour throughout
    assert len({i.cifras.semaforo for u in informe.unidades for i in u.metas}) > 1
    other = as_user("c58").get(f"/envios/{envio.pk}/")
    assert other.status_code == 404 and 'class="metas"' not in other.content.decode()
