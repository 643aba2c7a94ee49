"""A submission's history: its moves (Transicion) and the signed PDFs of its report
uploaded (ReporteFirmado), one list in time order, for its page and the audit log."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .firmados import summary
from .models import ReporteFirmado, Transicion

FIRMADO = "pdf firmado"  # what the "to" column says for a signed PDF uploaded


@dataclass(frozen=True)
class Hecho:
    """One line of the history: who, when, what (from which state to which, or a signed PDF)."""

    cuando: dt.datetime
    ramo: str
    envio_id: int | None
    usuario: str
    de: str
    a: str
    version_id: int
    version_nombre: str
    archivo: str  # the workbook of the version moved, or the signed PDF uploaded
    sha256: str
    comentario: str
    firmado_id: int | None = None


def from_transition(t: Transicion) -> Hecho:
    return Hecho(
        cuando=t.cuando, ramo=t.envio.ramo, envio_id=t.envio_id, usuario=t.usuario.get_username(), de=t.de, a=t.a,
        version_id=t.version_id, version_nombre=t.version.nombre, archivo=t.version.nombre, sha256=t.version.sha256,
        comentario=t.comentario,
    )


def from_signed(f: ReporteFirmado, envio_id: int | None) -> Hecho:
    return Hecho(
        cuando=f.subido, ramo=f.ramo, envio_id=envio_id, usuario=f.usuario.get_username(), de="", a=FIRMADO,
        version_id=f.version_id, version_nombre=f.version.nombre, archivo=f.nombre, sha256=f.sha256,
        comentario=summary(f), firmado_id=f.pk,
    )


def merge(transiciones: Iterable[Transicion], firmados: Iterable[ReporteFirmado], envios: dict[str, int]) -> list[Hecho]:
    """Both kinds in time order; ``envios`` maps a ramo to its submission in the period."""
    hechos = [from_transition(t) for t in transiciones]
    hechos += [from_signed(f, envios.get(f.ramo)) for f in firmados]
    return sorted(hechos, key=lambda h: h.cuando)
