from __future__ import annotations

from django.apps import AppConfig


class EntregasConfig(AppConfig):
    name = "poa_xlsx.web.entregas"
    label = "entregas"
    verbose_name = "Entregas"
