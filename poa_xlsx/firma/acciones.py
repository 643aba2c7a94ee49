"""The two signature workflows as functions, for the command line and the portal.

:func:`firmar_reporte` signs a report's PDF with an e.firma and writes the
signed copy; :func:`verificar_reporte` checks every signature field of a PDF.
Both raise :class:`~poa_xlsx.firma.FirmaError` (a
:class:`~poa_xlsx.problems.PoaError`) with a Spanish message; nothing is
written when signing fails.  (To be listed in :mod:`poa_xlsx.acciones`.)
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from poa_xlsx.firma import FirmaError, require_pyhanko

if TYPE_CHECKING:  # these need asn1crypto (the firma extra): imported after require_pyhanko()
    from poa_xlsx.firma.credencial import Titular
    from poa_xlsx.firma.nombres import CampoReporte
    from poa_xlsx.firma.verificar import Verificacion

__all__ = ["FirmaEscrita", "firmar_reporte", "verificar_reporte", "default_output", "COMO"]

COMO = ("elaboro", "reviso", "autorizo")


@dataclass(frozen=True)
class FirmaEscrita:
    salida: str
    titular: Titular
    campos: tuple[CampoReporte, ...]


def default_output(entrada: str | os.PathLike[str]) -> str:
    """``REPORTE.pdf`` -> ``REPORTE_firmado.pdf`` -> ``REPORTE_firmado_2.pdf`` -> ``_3`` ...:
    never the input itself, so each person's signing leaves the previous file as it was."""
    path = Path(entrada)
    m = re.fullmatch(r"(.*)_firmado(?:_(\d+))?", path.stem)
    if m:
        n = int(m.group(2) or 1) + 1
        name = f"{m.group(1)}_firmado_{n}{path.suffix or '.pdf'}"
    else:
        name = f"{path.stem}_firmado{path.suffix or '.pdf'}"
    return str(path.with_name(name))


def firmar_reporte(
    entrada: str | os.PathLike[str],
    *,
    password: bytes,
    cer: str | os.PathLike[str] | None = None,
    key: str | os.PathLike[str] | None = None,
    pfx: str | os.PathLike[str] | None = None,
    salida: str | os.PathLike[str] | None = None,
    como: str | None = None,
    unidad: str | None = None,
    sello_tiempo: str | None = None,
    ahora: dt.datetime | None = None,
) -> FirmaEscrita:
    """Sign every empty field of ``entrada`` whose printed name is the holder's (or only
    those of role ``como`` / unit ``unidad``) and write the result atomically to ``salida``
    (default :func:`default_output`).  ``entrada`` is never changed unless ``salida`` names it."""
    require_pyhanko()
    from poa_xlsx.firma.credencial import load_credencial
    from poa_xlsx.firma.firmar import _reader, check_vigencia, choose_fields, list_fields, sign_pdf
    from poa_xlsx.firma.verificar import read_pdf
    from poa_xlsx.output import write_atomic

    if como is not None and como.lower() not in COMO:
        raise FirmaError(f"«{como}» no es un papel de firma: use elaboro, reviso o autorizo.")
    nombre = os.fspath(entrada)
    data = read_pdf(entrada)
    reader = _reader(data, nombre)  # a bad PDF is said before the password is used
    credencial = load_credencial(cer=cer, key=key, pfx=pfx, password=password)
    check_vigencia(credencial, ahora or dt.datetime.now(dt.timezone.utc))
    campos = choose_fields(list_fields(reader), credencial.titular.nombre, como=como, unidad=unidad, documento=nombre)
    firmado = sign_pdf(data, credencial, campos, sello_tiempo=sello_tiempo, documento=nombre)
    destino = os.fspath(salida) if salida is not None else default_output(entrada)
    try:
        write_atomic(destino, firmado)
    except OSError as exc:
        raise FirmaError(f"No se pudo escribir «{destino}»: {exc.strerror or exc}.") from exc
    return FirmaEscrita(destino, credencial.titular, tuple(campos))


def verificar_reporte(path: str | os.PathLike[str], raices: Sequence[str | os.PathLike[str]] = ()) -> Verificacion:
    """Every signature field of the PDF at ``path``: who signed, when, and whether it holds."""
    require_pyhanko()
    from poa_xlsx.firma.verificar import load_roots, read_pdf, verify_pdf

    roots = load_roots(raices)
    return verify_pdf(read_pdf(path), raices=roots, documento=os.fspath(path))
