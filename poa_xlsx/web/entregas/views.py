"""A ramo's page, uploading a workbook, one version's problems and report, downloads."""
from __future__ import annotations

import mimetypes
import os
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import autorizacion
from ..cuentas.bitacora import record
from ..cuentas.models import Evento, Perfil, Rol
from . import firmados, historia
from .avisos import notify
from .cifras import figures_table
from .flujo import TransicionError, approve_envio, reopen_envio, return_envio, send_version
from .forms import FirmadoForm, SubirForm
from .models import Envio, ReporteFirmado, Transicion, Version
from .servicio import SubidaRechazada, marked_path, output_path, page_count, page_image, receive_upload, report_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"


@require_GET
def inicio(request: HttpRequest) -> HttpResponse:
    """After signing in: a capturista goes to their ramo; Tesorería and admins see every ramo."""
    if not request.user.is_authenticated:
        from ..cuentas.views import entrar

        return entrar(request)
    mine = autorizacion.own_ramo(request.user)
    if mine:
        return redirect("ramo", ramo=mine)
    if not autorizacion.sees_all(request.user):
        return render(request, "entregas/sin_ramo.html", status=403)
    resumen = (
        Version.objects.values("ramo")
        .annotate(n=Count("id"), ultima=Max("subido"), sin_errores=Count("id", filter=Q(resultado=Version.Resultado.SIN_ERRORES)))
        .order_by("ramo")
    )
    con_cuenta = set(Perfil.objects.filter(rol=Rol.CAPTURISTA).exclude(ramo="").values_list("ramo", flat=True))
    filas = {r["ramo"]: r for r in resumen}
    for ramo in con_cuenta - set(filas):
        filas[ramo] = {"ramo": ramo, "n": 0, "ultima": None, "sin_errores": 0}
    return render(request, "entregas/ramos.html", {"filas": [filas[k] for k in sorted(filas, key=_ramo_key)]})


def _ramo_key(ramo: str) -> tuple[int, str]:
    return (int(ramo), "") if ramo.isdigit() else (10**9, ramo)


@require_GET
def ramo(request: HttpRequest, ramo: str) -> HttpResponse:
    """The ramo's page: its uploads, newest first, and (for its capturistas) the upload form."""
    ramo = autorizacion.require_ramo(request.user, ramo)
    versiones = Version.objects.filter(ramo=ramo).select_related("usuario", "periodo").order_by("-subido", "-id")
    from ..periodos.models import Periodo

    periodos = []
    for p in Periodo.objects.filter(abierto=True).order_by("-ejercicio", "-trimestre"):
        envio = Envio.objects.filter(periodo=p, ramo=ramo).first()
        ultima = envio.transiciones.order_by("-cuando", "-id").first() if envio else None
        periodos.append({"p": p, "cierre": p.deadline_for(ramo), "envio": envio, "ultima": ultima})
    return render(
        request,
        "entregas/ramo.html",
        {"ramo": ramo, "versiones": versiones, "form": SubirForm(), "puede_subir": autorizacion.can_upload(request.user, ramo),
         "periodos": periodos},
    )


@require_POST
def subir(request: HttpRequest, ramo: str) -> HttpResponse:
    ramo = autorizacion.require_ramo(request.user, ramo)
    if not autorizacion.can_upload(request.user, ramo):
        raise Http404("Solo los capturistas del ramo suben sus libros.")
    form = SubirForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("ramo", ramo=ramo)
    archivo = form.cleaned_data["archivo"]
    try:
        version = receive_upload(request.user, ramo, archivo.name, archivo.chunks(), archivo.size)
    except SubidaRechazada as exc:
        record(Evento.Tipo.SUBIDA_RECHAZADA, request, detalle=f"ramo {ramo}, archivo «{archivo.name}»: {exc.mensaje}")
        messages.error(request, exc.mensaje)
        return redirect("ramo", ramo=ramo)
    record(
        Evento.Tipo.SUBIDA, request,
        detalle=f"ramo {ramo}, versión {version.pk}, archivo «{version.nombre}», SHA-256 {version.sha256}, "
        f"{version.errores} errores, {version.advertencias} advertencias",
    )
    return redirect("version", pk=version.pk)


def group_problems(problemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problems by sheet (sheets with errors first, in workbook order), errors first within a sheet."""
    order: dict[str | None, int] = {}
    for p in problemas:
        order.setdefault(p.get("hoja"), len(order))
    ordered = sorted(problemas, key=lambda p: order[p.get("hoja")])
    grupos = []
    for hoja, items in groupby(ordered, key=lambda p: p.get("hoja")):
        lista = sorted(items, key=lambda p: p["severidad"] != "error")
        errores = sum(1 for p in lista if p["severidad"] == "error")
        grupos.append({"hoja": hoja, "problemas": lista, "errores": errores, "advertencias": len(lista) - errores})
    grupos.sort(key=lambda g: g["errores"] == 0)  # stable: sheets with errors first, each kept in workbook order
    return grupos


@require_GET
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """One upload: what the library found, grouped by sheet; the report when there are no errors."""
    v = autorizacion.get_visible(request.user, Version.objects.select_related("usuario"), pk=pk)
    return render(
        request,
        "entregas/version.html",
        {
            "v": v,
            "grupos": group_problems(v.problemas),
            "paginas": range(1, (page_count(v) if v.ok else 0) + 1),
            "pdf": output_path(v, "pdf") is not None,
            "xlsx": v.ok,
            "puede_subir": autorizacion.can_upload(request.user, v.ramo),
            "form": SubirForm(),
            "envio": Envio.objects.filter(periodo=v.periodo, ramo=v.ramo).first() if v.periodo_id else None,
            "firmas": firmados.page_context(v, autorizacion.can_upload_signed(request.user, v.ramo)),
            "firmado_form": FirmadoForm(),
        },
    )


def _file(request: HttpRequest, v: Version, path: str | None, nombre: str, tipo: str) -> FileResponse:
    if path is None or not os.path.isfile(path):
        raise Http404("Ese archivo no existe para esta versión.")
    record(Evento.Tipo.DESCARGA, request, detalle=f"versión {v.pk} ({tipo}): {nombre}")
    content_type = mimetypes.guess_type(nombre)[0] or "application/octet-stream"
    if nombre.lower().endswith(".xlsx"):
        content_type = XLSX
    elif nombre.lower().endswith(".xlsm"):
        content_type = XLSM
    inline = tipo == "pdf" and request.GET.get("ver") == "1"
    return FileResponse(open(path, "rb"), as_attachment=not inline, filename=nombre, content_type=content_type)


@require_GET
def descargar(request: HttpRequest, pk: int, tipo: str) -> HttpResponseBase:
    """The original, the marked workbook, or the report's XLSX / PDF of a version."""
    v = autorizacion.get_visible(request.user, Version.objects.all(), pk=pk)
    if tipo == "original":
        return _file(request, v, v.original, v.nombre, tipo)
    if tipo == "marcado":
        if v.resultado == Version.Resultado.ILEGIBLE:
            raise Http404("Un archivo que no se pudo leer no tiene copia marcada.")
        path = marked_path(v)
        return _file(request, v, path, os.path.basename(path), tipo)
    if tipo in ("xlsx", "pdf"):
        report = report_file(v, tipo)
        return _file(request, v, report, os.path.basename(report) if report else "", tipo)
    raise Http404("Tipo de archivo desconocido.")


@require_GET
def pagina(request: HttpRequest, pk: int, numero: int) -> HttpResponseBase:
    """One page of the report as a PNG image."""
    v = autorizacion.get_visible(request.user, Version.objects.all(), pk=pk)
    path = page_image(v, numero) if v.ok else None
    if path is None:
        raise Http404("No existe esa página.")
    response = FileResponse(open(path, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def version_url(v: Version) -> str:
    return reverse("version", kwargs={"pk": v.pk})


@require_POST
def enviar(request: HttpRequest, pk: int) -> HttpResponse:
    """The ramo's capturista sends this version to Tesorería."""
    v = autorizacion.get_visible(request.user, Version.objects.select_related("periodo"), pk=pk)
    try:
        envio = send_version(v, request.user)
    except TransicionError as exc:
        messages.error(request, str(exc))
        return redirect("version", pk=v.pk)
    record(Evento.Tipo.SUBIDA, request, detalle=f"ramo {v.ramo}: versión {v.pk} enviada a Tesorería (periodo {envio.periodo})")
    notify(envio)
    messages.success(request, f"Enviado a Tesorería para el periodo {envio.periodo}.")
    return redirect("envio", pk=envio.pk)


@require_GET
def envio(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission: its version, state, figures per goal, history; Tesorería's actions."""
    e = autorizacion.get_visible(request.user, Envio.objects.select_related("periodo", "version", "version__usuario"), pk=pk)
    transiciones = Transicion.objects.filter(envio=e).select_related("envio", "usuario", "version").order_by("cuando", "id")
    subidos = ReporteFirmado.objects.filter(ramo=e.ramo, version__periodo=e.periodo).select_related("usuario", "version")
    return render(request, "entregas/envio.html", {
        "e": e, "v": e.version,
        "historia": historia.merge(transiciones, subidos, {e.ramo: e.pk}),
        "firmas": firmados.page_context(e.version, autorizacion.can_upload_signed(request.user, e.ramo)),
        "firmado_form": FirmadoForm(),
        "revisa": autorizacion.sees_all(request.user),
        "paginas": range(1, page_count(e.version) + 1),
        "grupos": group_problems(e.version.problemas),
        "tablas": figures_table(e.version.original) if e.version.ok else [],
    })


@require_POST
def revisar(request: HttpRequest, pk: int) -> HttpResponse:
    """Tesorería approves, returns (with a comment) or reopens (with a reason) a submission."""
    e = autorizacion.get_visible(request.user, Envio.objects.all(), pk=pk)
    accion = request.POST.get("accion", "")
    comentario = request.POST.get("comentario", "")
    acciones = {"aprobar": approve_envio, "devolver": return_envio, "reabrir": reopen_envio}
    if accion not in acciones:
        raise Http404("Acción desconocida.")
    try:
        e = acciones[accion](e, request.user, comentario)
    except TransicionError as exc:
        messages.error(request, str(exc))
        return redirect("envio", pk=e.pk)
    record(Evento.Tipo.CUENTA, request, detalle=f"envío {e.pk} (ramo {e.ramo}, {e.periodo}): {accion}; {comentario}")
    notify(e)
    messages.success(request, {"aprobar": "Envío aprobado.", "devolver": "Envío devuelto al ramo.", "reabrir": "Envío reabierto."}[accion])
    return redirect("envio", pk=e.pk)



@require_POST
def subir_firmado(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF of this version's report: checked to be that report, verified, kept."""
    v = autorizacion.get_visible(request.user, Version.objects.select_related("periodo"), pk=pk)
    if not autorizacion.can_upload_signed(request.user, v.ramo):
        raise Http404("Solo el ramo y Tesorería suben el reporte firmado.")
    form = FirmadoForm(request.POST, request.FILES)
    volver = _back_to(v, request.POST.get("volver", ""))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return volver
    archivo = form.cleaned_data["archivo"]
    try:
        f = firmados.receive_signed(request.user, v, archivo.name, archivo.chunks(), archivo.size)
    except SubidaRechazada as exc:
        record(Evento.Tipo.FIRMADO_RECHAZADO, request, detalle=f"ramo {v.ramo}, versión {v.pk}, archivo «{archivo.name}»: {exc.mensaje}")
        messages.error(request, exc.mensaje)
        return volver
    resumen = firmados.summary(f)
    record(
        Evento.Tipo.FIRMADO, request,
        detalle=f"ramo {v.ramo}, versión {v.pk}: PDF firmado «{f.nombre}», SHA-256 {f.sha256}; {resumen}",
    )
    (messages.success if f.estado != ReporteFirmado.Estado.INVALIDO else messages.error)(request, f"PDF firmado recibido. {resumen}")
    return volver


def _back_to(v: Version, volver: str) -> HttpResponse:
    """Back to the page the form was on: the version's, or its submission's."""
    if volver == "envio" and v.periodo_id:
        envio = Envio.objects.filter(periodo=v.periodo, ramo=v.ramo, version=v).first()
        if envio is not None:
            return redirect(reverse("envio", kwargs={"pk": envio.pk}) + "#firmas")
    return redirect(version_url(v) + "#firmas")


@require_GET
def descargar_firmado(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One uploaded signed PDF, as it came; for those who may see its ramo."""
    f = autorizacion.get_visible(request.user, ReporteFirmado.objects.select_related("version"), pk=pk)
    return _file(request, f.version, f.path(), f.nombre, "firmado")
