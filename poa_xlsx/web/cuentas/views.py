"""Signing in and out; the first page after signing in."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from . import limites
from .bitacora import client_address, record
from .forms import EntrarForm
from .models import Evento


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("siguiente") or request.GET.get("siguiente") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@never_cache
@csrf_protect
def entrar(request: HttpRequest) -> HttpResponse:
    """The sign-in page (also what ``/`` shows to a visitor without a session)."""
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_next_url(request))
    form = EntrarForm(request, data=request.POST or None)
    status = 200
    bloqueado = False
    if request.method == "POST":
        nombre = (request.POST.get("username") or "").strip()[:150]
        direccion = client_address(request)
        if limites.blocked(nombre, direccion):
            bloqueado = True
            status = 429
            record(Evento.Tipo.ACCESO_BLOQUEADO, request, nombre=nombre)
            form = EntrarForm(request)
        elif form.is_valid():
            user = form.get_user()
            login(request, user)
            record(Evento.Tipo.ACCESO, request, usuario=user)
            return redirect(_next_url(request))
        else:
            record(Evento.Tipo.ACCESO_FALLIDO, request, nombre=nombre)
            status = 200
    return render(
        request,
        "cuentas/entrar.html",
        {"form": form, "bloqueado": bloqueado, "minutos": limites.minutes_to_wait(), "siguiente": _next_url(request)},
        status=status,
    )


@require_POST
def salir(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(Evento.Tipo.SALIDA, request)
    logout(request)
    return redirect("/")


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the portal's own (with its limits); a signed-in user who is
    not an administrator is told so instead of being sent back and forth."""
    if request.user.is_authenticated and not request.user.is_staff:
        from ..errores import forbidden

        return forbidden(request)
    return redirect("/entrar/?siguiente=/admin/")
