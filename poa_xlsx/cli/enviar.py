"""``poa-render enviar``: the report by e-mail to Tesorería, or as a draft."""
from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from poa_xlsx.cli.comun import COMMAND, calculo_options, check_book, handle_errors, reporte_options
from poa_xlsx.cli.correo_opciones import option_hints, remitente_de, servidor_smtp, smtp_options

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo, Correo, Opciones


def _describe(correo: Correo, servidor_texto: str) -> list[str]:
    msg = correo.mensaje
    lines = [f"De:        {msg['From'] or '(lo pondrá su programa de correo o el servidor)'}", f"Para:      {msg['To']}"]
    if msg["Cc"]:
        lines.append(f"CC:        {msg['Cc']}")
    lines += [f"Asunto:    {msg['Subject']}", "Adjuntos:", *(f"  {a.nombre} ({a.tamano})" for a in correo.adjuntos)]
    if servidor_texto:
        lines.append(f"Servidor:  {servidor_texto}")
    return [*lines, "", "--- Texto del correo ---", correo.cuerpo.rstrip("\n"), "--- Fin del texto ---"]


def _destinatarios(values: tuple[str, ...], hint: str) -> tuple[str, ...]:
    from poa_xlsx.correo.mensaje import MailError, parse_destinatarios

    try:
        return parse_destinatarios(values)
    except MailError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


@click.command("enviar", **COMMAND)
@click.argument("libro", metavar="LIBRO.xlsx", type=click.Path(dir_okay=False))
@click.option("--para", multiple=True, metavar="CORREO", help="Destinatario; repítala para varios (predeterminado: CORREO TESORERÍA de la hoja GENERAL).")
@click.option("--cc", multiple=True, metavar="CORREO", help="Con copia a; repítala para varios.")
@click.option("--adjuntar-xlsx", is_flag=True, help="Adjunta también el reporte en XLSX (el PDF siempre se adjunta).")
@click.option("--borrador", type=click.Path(dir_okay=False), metavar="ARCHIVO.eml", help="No envía: guarda el correo como borrador para abrirlo y enviarlo desde Outlook o Thunderbird.")
@click.option("--simular", is_flag=True, help="No envía: muestra destinatarios, asunto, adjuntos y texto del correo.")
@smtp_options
@reporte_options
@calculo_options
@handle_errors
def enviar(libro: str, para: tuple[str, ...], cc: tuple[str, ...], adjuntar_xlsx: bool, borrador: str | None, simular: bool,
           servidor: str | None, puerto: int | None, usuario: str | None, remitente: str | None, tls_implicito: bool,
           sin_tls: bool, ca_certificado: str | None, timeout: float, carpeta: str | None, opciones: Opciones,
           calculo: Calculo, debug: bool) -> None:
    """Genera el reporte de LIBRO.xlsx y lo envía por correo a Tesorería, con el PDF adjunto.

    \b
    Destinatarios: --para, o CORREO TESORERÍA de la hoja GENERAL.
    Servidor: opciones o variables POA_SMTP_HOST, POA_SMTP_PORT, POA_SMTP_USUARIO,
    POA_SMTP_REMITENTE; la contraseña solo en POA_SMTP_PASSWORD o escrita al preguntarla.
    Cifrado STARTTLS (puerto 587) o TLS implícito (465); --sin-tls solo para un servidor local.

    \b
    Sin servidor de correo:
      --borrador ARCHIVO.eml   guarda el correo listo para enviar desde Outlook o Thunderbird
      --simular                muestra lo que se enviaría, sin enviar nada

    Si el libro tiene errores no envía nada y los lista por hoja y celda.
    Asunto y texto salen de las plantillas correo_asunto.txt.j2 y correo_cuerpo.txt.j2 (véase --plantillas).
    """
    from poa_xlsx.acciones import check_outputs, compose_email, draft_path, save_attachments, save_draft, send_email
    from poa_xlsx.render.reporte import report_paths

    if borrador and simular:
        raise click.UsageError("Use --borrador o --simular, no los dos.")
    if opciones.formatos == ("xlsx",):
        raise click.UsageError("En «enviar» el PDF siempre se adjunta; para adjuntar también el XLSX use --adjuntar-xlsx.")
    para_, cc_ = _destinatarios(para, "'--para'"), _destinatarios(cc, "'--cc'")
    de_verdad = not (borrador or simular)
    check_outputs(([draft_path(borrador)] if borrador else [])
                  + (report_paths(libro, carpeta, replace(opciones, formatos=("pdf", "xlsx"))) if carpeta else []), [libro])
    revision = check_book(libro, calculo, debug, "no se envió nada")
    if revision is None or revision.informe is None:
        sys.exit(1)
    if not (para_ or revision.informe.general.correos):
        from poa_xlsx.correo.mensaje import MailError

        raise MailError("No hay a quién enviar el reporte: escriba la dirección de Tesorería en CORREO TESORERÍA de la "
                        "hoja GENERAL, o indíquela con --para CORREO.")
    # Everything that can be wrong in the settings is checked, and the password asked, before the (slow) rendering.
    smtp: Any = None
    if de_verdad or (simular and servidor):
        smtp = servidor_smtp(servidor, puerto, usuario, sin_tls, tls_implicito, timeout, ca_certificado, con_password=de_verdad)
    de = remitente_de(remitente, usuario, required=de_verdad)
    opciones = replace(opciones, formatos=("pdf", "xlsx") if adjuntar_xlsx else ("pdf",))
    correo = compose_email(revision.informe, libro, opciones=opciones, para=para_, cc=cc_, remitente=de, borrador=not de_verdad,
                           progress=lambda name: click.echo(f"Generando {name} ...", err=True))
    for path in save_attachments(correo, carpeta, entradas=[libro]) if carpeta else []:
        click.echo(path)
    if simular:
        click.echo("Simulación: no se envió nada.")
        texto = smtp.descripcion + (f", usuario {smtp.usuario}" if smtp.usuario else ", sin usuario") if smtp else ""
        click.echo("\n".join(_describe(correo, texto)))
    elif borrador:
        click.echo(save_draft(correo, borrador, entradas=[libro]))
        click.echo("Borrador guardado; no se envió nada. Ábralo con doble clic en Outlook (o en Thunderbird: "
                   "Archivo > Abrir > Mensaje guardado y, si hace falta, «Editar como nuevo mensaje»), revíselo y envíelo.", err=True)
    else:
        with option_hints():
            send_email(correo, smtp, progress=lambda text: click.echo(text, err=True))
        click.echo(f"Reporte enviado a {', '.join(correo.para)}" + (f" (CC: {', '.join(correo.cc)})" if correo.cc else "") + ".")
        click.echo(f"Asunto: {correo.asunto}")
        click.echo("Adjuntos: " + ", ".join(a.nombre for a in correo.adjuntos))


# reporte_options' help speaks of writing files; for enviar they mean something else
for _param in enviar.params:
    if _param.name == "carpeta":
        _param.help = "Además de enviarlos, guarda los archivos adjuntos en esta carpeta (predeterminado: no se guardan)."
    elif _param.name == "por_unidad":
        _param.help = "Adjunta además un PDF (y un XLSX con --adjuntar-xlsx) por cada unidad ejecutora."
    elif _param.name == "formato":
        _param.hidden = True  # the PDF is always attached; --adjuntar-xlsx adds the XLSX
