"""What an import gives, whatever the source's layout."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from poa_xlsx import vocabulario as W
from poa_xlsx.model import General, Origen, Unidad
from poa_xlsx.problems import PoaError, Problem

# Source problems after which the capture workbook would miss or misread data:
# the import writes nothing while one of them stands.
BLOCKING = frozenset({
    "numero-invalido", "numero-negativo", "formula-sin-valor", "fila-despues-de-firmas", "fila-en-encabezado",
    "sin-tabla", "columna-faltante", "hoja-no-es-unidad", "libro-no-es-de-captura", "sin-unidades",
    "fila-no-importada",
})


class ImportarError(PoaError):
    """The source cannot be imported at all (no unit found, no period given...).

    ``ajustes`` names what the person can give to import it (``"mapa"``,
    ``"trimestre"``, ``"ejercicio"``): the message says it in words and the
    command line adds its own options.
    """

    def __init__(self, mensaje: str, *, ajustes: tuple[str, ...] = ()) -> None:
        super().__init__(mensaje)
        self.ajustes = ajustes


@dataclass(frozen=True)
class Importado:
    """A source read into the model: GENERAL, units in order, and what was found on the way.

    ``problems`` are located at the source's sheet and cell; ``omitidas`` are
    the rows the map said to skip; ``notas`` say what was deduced (such as the
    quarter, from FECHA); ``deducidos`` names the settings that were deduced
    and may be given instead (``"trimestre"``, ``"ejercicio"``).
    """

    general: General
    unidades: tuple[Unidad, ...]
    problems: tuple[Problem, ...] = ()
    omitidas: tuple[Origen, ...] = ()
    notas: tuple[str, ...] = field(default_factory=tuple)
    deducidos: tuple[str, ...] = ()

    @property
    def bloqueantes(self) -> list[Problem]:
        """The errors that keep the capture workbook from being written."""
        return [p for p in self.problems if p.es_error and p.code in BLOCKING]

    @property
    def metas(self) -> int:
        return sum(len(u.metas) for u in self.unidades)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def sheet_names(wanted: list[str]) -> list[str]:
    """Valid, distinct Excel sheet names for the units, each read back as a unit."""
    taken: set[str] = {"GENERAL", "INSTRUCCIONES"}
    names = []
    for raw in wanted:
        base = " ".join(_BAD_SHEET_CHARS.sub(" ", raw).split())[:31].strip() or "UNIDAD"
        if W.sheet_kind(base) != "unidad":
            base = ("UE " + base)[:31]
        name, n = base, 2
        while name.upper() in taken:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.upper())
        names.append(name)
    return names
