"""Spanish error pages without internals, and the few static files the pages use."""
from __future__ import annotations

import mimetypes
import os

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        return render(request, template, status=status)
    except Exception:  # an error page must never fail itself
        return HttpResponse(f"Error {status}", status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # no context processors: the database may be what failed
    try:
        return HttpResponse(loader.get_template("500.html").render({}), status=500)
    except Exception:
        return HttpResponse("Error 500", status=500, content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403_csrf.html", 403)


def static_file(request: HttpRequest, path: str) -> FileResponse:
    """The portal's CSS/JS and the admin's, from the installed package (no collectstatic, no CDN)."""
    if ".." in path.split("/"):
        raise Http404()
    found = finders.find(path)
    if not found or not os.path.isfile(str(found)):
        raise Http404()
    response = FileResponse(open(str(found), "rb"), content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=3600"
    return response
