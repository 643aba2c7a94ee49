from __future__ import annotations

from django.apps import AppConfig


class PeriodosConfig(AppConfig):
    name = "poa_xlsx.web.periodos"
    label = "periodos"
    verbose_name = "Periodos"
