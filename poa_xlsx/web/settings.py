"""Settings, read from the environment with safe defaults (docs/portal.md lists them).

POA_CARPETA         the portal's folder: database (SQLite), uploaded files, reports (./poa-portal)
POA_BASE_DE_DATOS   a postgres:// URL to use PostgreSQL instead of SQLite in POA_CARPETA
POA_SECRET_KEY      the signing key; else one is generated once and kept in POA_CARPETA/secreto.txt
POA_ANFITRIONES     host names the portal answers to, comma-separated (ALLOWED_HOSTS)
POA_ORIGENES        https://... origins trusted for forms behind a reverse proxy (CSRF_TRUSTED_ORIGINS)
POA_HTTPS           1 behind an HTTPS reverse proxy: secure cookies, X-Forwarded-Proto trusted
POA_DEBUG           1 only on a developer's machine: detailed error pages
POA_FIRMA_RAICES    root certificates trusted when verifying signed reports: files or folders,
                    separated like PATH (":" on Linux, ";" on Windows)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "si", "sí", "yes")


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


POA_CARPETA = os.path.abspath(os.environ.get("POA_CARPETA") or "poa-portal")


def _secret_key() -> str:
    key = os.environ.get("POA_SECRET_KEY", "").strip()
    if key:
        return key
    path = os.path.join(POA_CARPETA, "secreto.txt")
    try:
        with open(path, encoding="ascii") as handle:
            key = handle.read().strip()
    except OSError:
        key = ""
    if key:
        return key
    # No folder yet (a command that only reads settings): a key for this process only;
    # `poa-render servir` creates the folder and the key file before serving.
    from django.core.management.utils import get_random_secret_key

    return get_random_secret_key()


def database_from_url(url: str | None, carpeta: str) -> dict[str, Any]:
    """Django's DATABASES['default'] for a postgres:// URL, or SQLite in ``carpeta``."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(carpeta, "portal.sqlite3"),
            "OPTIONS": {
                # WAL: readers never wait for the writer; IMMEDIATE: a writing request takes the
                # lock at BEGIN and waits for it (timeout) instead of failing half-way
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(
            f"POA_BASE_DE_DATOS debe ser una dirección postgres://usuario:contraseña@servidor:puerto/base (se recibió «{parts.scheme}://...»)."
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "poa",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


SECRET_KEY = _secret_key()
DEBUG = _flag("POA_DEBUG")
ALLOWED_HOSTS = _list("POA_ANFITRIONES", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = _list("POA_ORIGENES", [])

if _flag("POA_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "poa_xlsx.web.cuentas",
    "poa_xlsx.web.periodos",
    "poa_xlsx.web.entregas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "poa_xlsx.web.cuentas.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "poa_xlsx.web.urls"
WSGI_APPLICATION = "poa_xlsx.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "poa_xlsx.web.cuentas.context.perfil",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("POA_BASE_DE_DATOS"), POA_CARPETA)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = os.environ.get("POA_ZONA_HORARIA", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [HERE / "static"]

LOGIN_URL = "/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # the report's PDF is shown in a frame of our own page
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads: a workbook bigger than the reader accepts is refused before it is read.
from poa_xlsx.xlsx.archivo import MAX_UNCOMPRESSED  # noqa: E402

POA_MAX_SUBIDA = MAX_UNCOMPRESSED  # bytes: what the reader accepts at most, compressed or not
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # bigger files go to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Signed reports (docs/firma.md): the root certificates (the SAT's) whose chains are trusted,
# as files (.cer DER or PEM) or folders of them. Without any, signatures are still checked
# (intact, nothing changed after, certificate in force) and the pages say the chain was not.
POA_FIRMA_RAICES = [p.strip() for p in os.environ.get("POA_FIRMA_RAICES", "").split(os.pathsep) if p.strip()]

# Worker processes that check workbooks and write reports (0: in the request's thread).
# `poa-render servir` sets POA_TRABAJADORES to the number of cores when it is not given.
POA_TRABAJADORES = int(os.environ.get("POA_TRABAJADORES", "0") or 0)

# Failed sign-ins: after this many in the window, that account (or address) must wait.
POA_INTENTOS_CUENTA = int(os.environ.get("POA_INTENTOS_CUENTA", "5"))
POA_INTENTOS_DIRECCION = int(os.environ.get("POA_INTENTOS_DIRECCION", "20"))
POA_VENTANA_INTENTOS = 15 * 60  # seconds

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "poa.portal": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "poa_xlsx.web.errores.csrf_failure"
