"""Periods for Tesorería: list and open, the matrix, extensions, audit log, consolidation."""
from __future__ import annotations

import csv
import io
from typing import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import autorizacion
from ..cuentas.bitacora import record
from ..cuentas.models import Evento
from ..entregas.firmados import FILTROS
from ..entregas.historia import FIRMADO, merge
from ..entregas.matriz import ESTADOS, build_matrix, counts_line
from ..entregas.models import Envio, ReporteFirmado, Transicion
from .forms import AbrirForm, ProrrogaForm, ReabrirForm
from .models import Periodo
from .servicio import PeriodoError, close_period, closed_note, grant_extension, open_period, reopen_period


def _tesoreria(request: HttpRequest) -> None:
    """Periods are Tesorería's pages: for anyone else they do not exist."""
    if not autorizacion.sees_all(request.user):
        raise Http404("No existe.")


def lista(request: HttpRequest) -> HttpResponse:
    _tesoreria(request)
    form = AbrirForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            periodo = open_period(form.cleaned_data["ejercicio"], form.cleaned_data["trimestre"], form.cleaned_data["cierre"],
                                  usuario=request.user, request=request)
        except PeriodoError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Periodo {periodo} abierto; cierra el {periodo.cierre:%d/%m/%Y}.")
            return redirect("periodo", pk=periodo.pk)
    return render(request, "periodos/lista.html", {"periodos": Periodo.objects.all(), "form": form})


ORDENES = {"ramo": None, "estado": "estado", "ultima": "ultima"}


@require_GET
def periodo(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix: every expected ramo, its state, last action, goals by semáforo, change."""
    _tesoreria(request)
    p = get_object_or_404(Periodo, pk=pk)
    filas = build_matrix(p)
    conteo = counts_line(filas)
    estado = request.GET.get("estado", "")
    if estado in ESTADOS:
        filas = [f for f in filas if f.estado == estado]
    firmas = request.GET.get("firmas", "")
    if firmas in dict(FILTROS):
        filas = [f for f in filas if f.firmas_clave == firmas]
    orden = request.GET.get("orden", "ramo")
    if orden == "estado":
        filas.sort(key=lambda f: ESTADOS.index(f.estado))
    elif orden == "ultima":
        filas.sort(key=lambda f: (f.ultima is None, f.ultima), reverse=False)
    return render(request, "periodos/periodo.html", {
        "p": p, "filas": filas, "conteo": conteo, "estados": ESTADOS, "estado": estado, "orden": orden,
        "filtros_firmas": FILTROS, "firmas": firmas,
        "prorroga": ProrrogaForm(), "reabrir": ReabrirForm(), "prorrogas": p.prorrogas.select_related("otorgada_por"),
        "pendientes": p.avisos.filter(enviado__isnull=True).order_by("creado"),
    })


@require_POST
def prorroga(request: HttpRequest, pk: int) -> HttpResponse:
    _tesoreria(request)
    p = get_object_or_404(Periodo, pk=pk)
    form = ProrrogaForm(request.POST)
    if form.is_valid():
        try:
            pr = grant_extension(p, form.cleaned_data["ramo"], form.cleaned_data["hasta"], form.cleaned_data["motivo"],
                                 usuario=request.user, request=request)
        except PeriodoError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Prórroga para el ramo {pr.ramo} hasta el {pr.hasta:%d/%m/%Y}." + closed_note(p))
    else:
        messages.error(request, "Revise la prórroga: " + " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("periodo", pk=p.pk)


def _change_state(request: HttpRequest, pk: int, change: Callable[[Periodo], Periodo], done: str) -> HttpResponse:
    """Close or reopen the period with ``change``; ``done`` ({p}: the period) on success."""
    _tesoreria(request)
    p = get_object_or_404(Periodo, pk=pk)
    try:
        p = change(p)
    except PeriodoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(p=p))
    return redirect("periodo", pk=p.pk)


@require_POST
def cerrar(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the period: no more uploads or sends, until it is reopened."""
    return _change_state(request, pk, lambda p: close_period(p, usuario=request.user, request=request),
                         "Periodo {p} cerrado: ningún ramo puede subir ni enviar. Puede reabrirlo indicando el motivo.")


@require_POST
def reabrir(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed period; the reason is required and recorded."""
    form = ReabrirForm(request.POST)
    motivo = form.cleaned_data["motivo"] if form.is_valid() else ""
    return _change_state(request, pk, lambda p: reopen_period(p, motivo, usuario=request.user, request=request),
                         "Periodo {p} reabierto: los ramos pueden subir y enviar hasta su fecha límite.")


@require_GET
def auditoria(request: HttpRequest, pk: int) -> HttpResponse:
    """Every transition of the period's submissions and every signed PDF uploaded, filterable, and as CSV."""
    _tesoreria(request)
    p = get_object_or_404(Periodo, pk=pk)
    qs = Transicion.objects.filter(envio__periodo=p).select_related("envio", "usuario", "version").order_by("cuando", "id")
    subidos = ReporteFirmado.objects.filter(version__periodo=p).select_related("usuario", "version").order_by("subido", "id")
    ramo = request.GET.get("ramo", "").strip()
    a = request.GET.get("a", "").strip()
    usuario = request.GET.get("usuario", "").strip()
    if ramo:
        from ..entregas.analisis import normalize_ramo

        qs = qs.filter(envio__ramo=normalize_ramo(ramo))
        subidos = subidos.filter(ramo=normalize_ramo(ramo))
    if a == FIRMADO:
        qs = qs.none()
    elif a:
        qs = qs.filter(a=a)
        subidos = subidos.none()
    if usuario:
        qs = qs.filter(usuario__username__iexact=usuario)
        subidos = subidos.filter(usuario__username__iexact=usuario)
    envios = dict(Envio.objects.filter(periodo=p).values_list("ramo", "pk"))
    hechos = merge(qs, subidos, envios)
    if request.GET.get("formato") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["cuando", "ramo", "de", "a", "usuario", "version", "archivo", "sha256", "comentario"])
        for h in hechos:
            writer.writerow([h.cuando.isoformat(), h.ramo, h.de or "", h.a, h.usuario, h.version_id, h.archivo, h.sha256, h.comentario])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="auditoria_{p.ejercicio}_T{p.trimestre}.csv"'
        return response
    return render(request, "periodos/auditoria.html", {"p": p, "hechos": hechos, "ramo": ramo, "a": a, "usuario": usuario,
                                                       "estados": ["enviado", "devuelto", "aprobado", FIRMADO]})


@require_GET
def consolidado(request: HttpRequest, pk: int, formato: str) -> HttpResponse:
    """The consolidated RESUMEN (PDF, XLSX) or open-data CSV of the period's approved submissions."""
    from ..entregas.consolidado import ConsolidadoError, build_consolidated

    _tesoreria(request)
    p = get_object_or_404(Periodo, pk=pk)
    if formato not in ("pdf", "xlsx", "csv"):
        raise Http404("Formato desconocido.")
    incluir = request.GET.get("incluir_enviados") == "1"
    try:
        c = build_consolidated(p, formato, incluir_enviados=incluir)
    except ConsolidadoError as exc:
        messages.error(request, str(exc))
        return redirect("periodo", pk=p.pk)
    record(Evento.Tipo.DESCARGA, request, detalle=f"consolidado {p} ({formato}): ramos {', '.join(c.incluidos)}"
           + (f"; sin aprobar {', '.join(c.pendientes)}" if c.pendientes else ""))
    types = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(c.datos, content_type=types[formato])
    sufijo = "_con_enviados" if incluir else ""
    response["Content-Disposition"] = f'attachment; filename="{c.nombre}{sufijo}.{formato}"'
    return response
