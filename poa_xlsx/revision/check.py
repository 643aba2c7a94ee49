"""One call from a path to problems and figures: what every command needs."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from poa_xlsx.lectura.reader import Lectura, read_workbook
from poa_xlsx.model import Base
from poa_xlsx.problems import Problem
from poa_xlsx.revision.compute import Cifras, Informe, compute_figures
from poa_xlsx.revision.validate import validate


@dataclass(frozen=True)
class Revision:
    """A checked workbook: its problems and, when it has no errors, its figures."""

    path: str
    lectura: Lectura
    problems: tuple[Problem, ...]
    informe: Informe | None

    @property
    def errores(self) -> list[Problem]:
        return [p for p in self.problems if p.es_error]

    @property
    def advertencias(self) -> list[Problem]:
        return [p for p in self.problems if not p.es_error]

    @property
    def ok(self) -> bool:
        return self.informe is not None


def check_workbook(
    path: str,
    *,
    trimestre: int | None = None,
    base: Base | None = None,
    fecha: dt.date | None = None,
    estricto: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Revision:
    """Read, validate and, if there are no errors, compute a workbook.

    Raises :class:`~poa_xlsx.problems.LibroError` if the file cannot be read.
    """
    lectura = read_workbook(path, trimestre=trimestre, base=base, fecha=fecha, progress=progress)
    cifras: dict[int, Cifras] = {}  # each goal's figures, computed once by validate and reused here
    problems = tuple(validate(lectura, estricto=estricto, cifras=cifras, fecha_indicada=fecha is not None))
    informe = None
    if lectura.libro is not None and not any(p.es_error for p in problems):
        informe = compute_figures(lectura.libro, known=cifras)
    return Revision(path=str(path), lectura=lectura, problems=problems, informe=informe)
