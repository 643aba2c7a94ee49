"""``poa-render verificar``: every signature field of a report's PDF, signed or not."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from poa_xlsx.cli.comun import COMMAND, DEBUG, handle_errors

if TYPE_CHECKING:
    from poa_xlsx.firma.verificar import ResultadoCampo, Verificacion


def _si(value: bool | None, unknown: str = "no comprobado") -> str:
    return unknown if value is None else "sí" if value else "NO"


def describe(v: Verificacion) -> list[str]:
    """The report Tesorería reads: one block per field, then the verdict."""
    from poa_xlsx.firma.credencial import format_fecha_hora

    lines = [f"Documento: {v.documento}"]
    for r in v.campos:
        c = r.campo
        head = f"  {c.rol} de {c.clave} ({c.nombre_impreso or 'sin nombre impreso'})"
        if not r.firmado:
            lines.append(f"{head}: sin firmar")
            continue
        lines.append(f"{head}: {'FIRMA VÁLIDA' if r.valida else 'FIRMA NO VÁLIDA'}")
        lines.extend(_detail(r, format_fecha_hora))
    firmas, validas = len(v.firmados), sum(r.valida for r in v.firmados)
    pendientes = len(v.sin_firmar)
    if not firmas:
        lines.append(f"El documento no tiene ninguna firma; {pendientes} campo(s) sin firmar.")
    else:
        lines.append(
            f"{validas} de {firmas} firma(s) válida(s); {pendientes} campo(s) sin firmar."
            + ("" if v.con_raices else " Sin --raiz no se comprobó quién emitió los certificados.")
        )
    return lines


def _detail(r: ResultadoCampo, fmt) -> list[str]:
    t = r.titular
    out = []
    if t is not None:
        cuando = f" el {fmt(r.fecha_firma)}" if r.fecha_firma else ""
        sello = " (sello de tiempo)" if r.sello_tiempo else " (hora del equipo de quien firmó)" if r.fecha_firma else ""
        out.append(f"      firmó {t.describe()}{cuando}{sello}")
        if t.rfc_representante or t.curp_representante:
            out.append(f"      representante: RFC {t.rfc_representante or '—'}, CURP {t.curp_representante or '—'}")
    out.append(
        f"      bytes firmados intactos: {_si(r.integra)} · sin cambios después (salvo firmas): {_si(r.sin_cambios)}"
        f" · certificado vigente al firmar: {_si(r.vigente)}"
        f" · emitido por la raíz indicada: {_si(r.confiable, 'no comprobado (use --raiz)')}"
    )
    out += [f"      PROBLEMA: {p}" for p in r.problemas]
    return out


@click.command("verificar", **COMMAND)
@click.argument("reporte", metavar="REPORTE.pdf", type=click.Path(dir_okay=False))
@click.option("--raiz", "raices", multiple=True, metavar="AC.cer", help="Certificado raíz de confianza (repítalo para varios), p. ej. los del SAT.")
@click.option("--json", "as_json", is_flag=True, help="Imprime el resultado en JSON, para otros programas.")
@DEBUG
@handle_errors
def verificar(reporte: str, raices: tuple[str, ...], as_json: bool, debug: bool) -> None:
    """Revisa cada campo de firma del reporte: quién firmó, cuándo, y si la firma sigue valiendo.

    Código de salida 0 solo si todas las firmas son válidas y nada más cambió después
    (los campos sin firmar se listan); 1 si alguna firma no vale o el PDF no se pudo leer.
    """
    from poa_xlsx.acciones import verificar_reporte

    resultado = verificar_reporte(reporte, raices)
    if as_json:
        click.echo(json.dumps(resultado.como_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(describe(resultado)))
    sys.exit(0 if resultado.ok else 1)
