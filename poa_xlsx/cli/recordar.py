"""``poa-render recordar``: e-mail reminders before the deadline, and delivery of pending notices."""
from __future__ import annotations

import sys
from typing import Any

import click

from poa_xlsx.cli.comun import DEBUG, handle_errors
from poa_xlsx.cli.correo_opciones import remitente_de, servidor_smtp, smtp_options
from poa_xlsx.cli.servir import _prepare, carpeta_option


@click.command("recordar", context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPCIONES]")
@click.option("--dias", type=click.IntRange(0, 60), default=3, show_default=True, help="Recordar a los ramos cuya fecha límite llega en estos días o menos.")
@carpeta_option
@smtp_options
@DEBUG
@handle_errors
def recordar(dias: int, carpeta: str | None, debug: bool = False, **smtp: Any) -> None:
    """Escribe a los ramos «sin enviar», «con errores» o «devuelto» cuya fecha límite está cerca,
    y envía los avisos pendientes del portal. Para el cron o el Programador de tareas de Windows:
    nunca manda el mismo recordatorio dos veces el mismo día."""
    _prepare(carpeta)
    from poa_xlsx.correo.mensaje import MailError
    from poa_xlsx.web.entregas import correo_config
    from poa_xlsx.web.entregas.avisos import deliver_pending, queue_reminders

    portal = correo_config.load() if not smtp.get("servidor") else None
    if portal is not None and portal.servidor is not None:  # the portal's own settings (correo.ini)
        if portal.advertencia:
            click.echo(f"Aviso: {portal.advertencia}", err=True)
        server, sender = portal.servidor, portal.remitente
    else:
        if not smtp.get("servidor"):
            raise MailError(
                f"Falta el servidor de correo: escríbalo en «{correo_config.ARCHIVO}» de la carpeta del portal "
                "(sección [smtp], servidor = ...), o indíquelo con --servidor o la variable POA_SMTP_HOST "
                "(vea docs/portal.md, «Correos»)."
            )
        server = servidor_smtp(smtp.get("servidor"), smtp.get("puerto"), smtp.get("usuario"), smtp.get("sin_tls", False),
                               smtp.get("tls_implicito", False), smtp.get("timeout", 30), smtp.get("ca_certificado"),
                               con_password=True)
        sender = remitente_de(smtp.get("remitente"), smtp.get("usuario"), True)
    nuevos = queue_reminders(dias)
    click.echo(f"Recordatorios nuevos: {len(nuevos)}.")
    fallidos = 0
    for aviso, error in deliver_pending((server, sender)):
        if error:
            fallidos += 1
            click.echo(f"NO ENVIADO a {aviso.para}: {aviso.asunto}. {error} (se reintentará)", err=True)
        else:
            click.echo(f"Enviado a {aviso.para}: {aviso.asunto}")
    sys.exit(1 if fallidos else 0)
