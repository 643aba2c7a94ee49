from __future__ import annotations

from django.apps import AppConfig


class CuentasConfig(AppConfig):
    name = "poa_xlsx.web.cuentas"
    label = "cuentas"
    verbose_name = "Cuentas"
