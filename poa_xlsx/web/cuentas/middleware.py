"""Every page but the sign-in page (and static files) requires a session."""
from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

PUBLIC = ("/entrar/", "/static/", "/admin/login/")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.user.is_authenticated or path == "/" or path.startswith(PUBLIC):
            # "/" shows the sign-in page itself
            return self.get_response(request)
        if request.method == "GET":
            return redirect(f"{settings.LOGIN_URL}?{urlencode({'siguiente': request.get_full_path()})}")
        return redirect(settings.LOGIN_URL)
