"""The import map (MAPA.toml): where each field of the capture format is in another layout.

The map is checked as a whole when it is loaded: an unknown key (a typo) or a
missing required one is a :class:`MapaError` naming it, before the source is
read. Whether the columns it names exist is checked against the source
(:mod:`poa_xlsx.importar.plano`). Every key is documented in ``docs/importar.md``.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from poa_xlsx import values as V
from poa_xlsx import vocabulario as W
from poa_xlsx.model import Base
from poa_xlsx.problems import PoaError
from poa_xlsx.text import normalize_label, one_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib


class MapaError(PoaError):
    """The map cannot be used: bad TOML, unknown or missing key, a column the source lacks."""


GOAL_COLUMNS = ("numero", "linea_accion", "descripcion", "unidad_medida", "meta_anual", "observaciones")
REQUIRED_GOAL_COLUMNS = ("descripcion", "unidad_medida", "meta_anual")
CLASSIFICATION_KEYS = ("ramo", "programa", "proyecto", "unidad_ejecutora", "finalidad", "funcion", "subfuncion",
                       "ejes", "lineas_accion")
ROLE_KEYS = {"ELABORO": "ELABORÓ", "REVISO": "REVISÓ", "AUTORIZO": "AUTORIZÓ"}
SECTIONS = ("origen", "general", "unidad", "columnas", "clasificacion", "celdas", "firmas", "unidades")

# A classification value: (clave, descripción); firmas: role -> (nombre, cargo, leyenda).
Valor = tuple[str, str]
Firmas = dict[str, tuple[str, str, str]]


@dataclass(frozen=True)
class UnidadMapa:
    """What the map says about one unit (``[unidades."NOMBRE"]``)."""

    hoja: str = ""
    clasificacion: dict[str, Valor | list[Valor]] = field(default_factory=dict)
    firmas: Firmas = field(default_factory=dict)


@dataclass(frozen=True)
class Mapa:
    """A loaded, checked map. Column references are titles, or letters with ``columnas_por = "letra"``."""

    path: str
    # [origen]
    hoja: str | None
    hojas: tuple[str, ...]
    fila_titulos: int
    primera_fila: int | None
    ultima_fila: int | None
    omitir: tuple[str, ...]
    por_letra: bool
    # [general]
    ayuntamiento: str
    ejercicio: int
    trimestre: int
    fecha: dt.date | None
    base: Base
    tolerancia: Decimal
    clave_formato: str
    correos: tuple[str, ...]
    # [unidad]
    columna_unidad: str | None  # a flat sheet: the column that names the unit
    por_hoja: bool  # one unit per sheet
    celda_unidad: str | None  # with por_hoja: the cell that names the unit (else the sheet's name)
    # [columnas]
    columnas: dict[str, str]  # goal field -> column
    clasificacion_columnas: dict[str, str]  # classification field -> column (a flat sheet)
    programado: tuple[tuple[str, ...], ...]  # four quarters, each the columns that add up to it
    alcanzado: tuple[tuple[str, ...], ...]
    # [clasificacion], [celdas], [firmas], [unidades]
    clasificacion: dict[str, Valor | list[Valor]]
    celdas: dict[str, str]  # classification field -> cell of each sheet (one unit per sheet)
    firmas: Firmas
    unidades: dict[str, UnidadMapa]


def load_mapa(path: str | os.PathLike[str]) -> Mapa:
    """Read and check the map at ``path``; raise :class:`MapaError` naming what is wrong."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise MapaError(f"No existe el mapa «{path}».") from exc
    except OSError as exc:
        raise MapaError(f"No se pudo leer el mapa «{path}»: {exc.strerror or exc}.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MapaError(f"El mapa «{path}» no es TOML válido: {exc}. Revise comillas, corchetes y signos =.") from exc
    return parse_mapa(data, path)


def parse_mapa(data: dict[str, Any], path: str = "MAPA.toml") -> Mapa:
    """Check a map already parsed from TOML."""
    where = _Where(path)
    where.only(data, "", SECTIONS)
    origen = where.table(data, "origen")
    where.only(origen, "origen", ("hoja", "hojas", "fila_titulos", "primera_fila", "ultima_fila", "omitir", "columnas_por"))
    general = where.table(data, "general")
    where.only(general, "general", ("ayuntamiento", "ejercicio", "trimestre", "fecha", "base", "tolerancia",
                                    "clave_formato", "correos"))
    unidad = where.table(data, "unidad")
    where.only(unidad, "unidad", ("columna", "por_hoja", "celda"))
    columnas = where.table(data, "columnas")
    where.only(columnas, "columnas", (*GOAL_COLUMNS, "programado", "alcanzado", *CLASSIFICATION_KEYS))

    columnas_por = where.text(origen, "origen.columnas_por", "titulo").lower()
    if columnas_por not in ("titulo", "título", "letra"):
        raise where.fail("origen.columnas_por", "debe ser \"titulo\" o \"letra\"")
    por_hoja = where.boolean(unidad, "unidad.por_hoja", False)
    columna_unidad = where.text(unidad, "unidad.columna", "") or None
    if por_hoja == bool(columna_unidad):
        raise where.fail(
            "unidad",
            "diga cómo se reconoce cada unidad: columna = \"TÍTULO\" (una hoja plana, la unidad en una columna) "
            "o por_hoja = true (una unidad por hoja)",
        )
    ejercicio = where.required(general, "general", "ejercicio")
    trimestre = where.required(general, "general", "trimestre")
    try:
        ejercicio_ok = V.parse_ejercicio(ejercicio)
        trimestre_ok = V.parse_trimestre(trimestre)
        fecha = V.parse_fecha(general["fecha"]) if general.get("fecha") not in (None, "") else None
        base = V.parse_base(general["base"]) if general.get("base") else Base.META_ANUAL
        tolerancia = V.parse_tolerancia(general["tolerancia"]) if general.get("tolerancia") is not None else Decimal("0.1")
        correos = V.parse_correos(general["correos"]) if general.get("correos") else ()
    except V.ValueProblemError as exc:
        raise MapaError(f"En el mapa «{path}», sección [general]: {exc.mensaje}") from exc

    for name in REQUIRED_GOAL_COLUMNS + ("programado", "alcanzado"):
        where.required(columnas, "columnas", name)
    goal_columns = {k: where.text(columnas, f"columnas.{k}") for k in GOAL_COLUMNS if k in columnas}
    clasif_columns = {k: where.text(columnas, f"columnas.{k}") for k in CLASSIFICATION_KEYS if k in columnas}
    if clasif_columns and por_hoja:
        raise where.fail("columnas", "con una unidad por hoja, la clasificación va en [celdas] o en [unidades], no en columnas")

    celdas = where.table(data, "celdas")
    where.only(celdas, "celdas", CLASSIFICATION_KEYS)
    celdas_ok = {k: where.text(celdas, f"celdas.{k}").upper() for k in celdas}
    if celdas_ok and not por_hoja:
        raise where.fail("celdas", "solo se usa con una unidad por hoja (por_hoja = true); en una hoja plana use [columnas]")

    unidades: dict[str, UnidadMapa] = {}
    for name, spec in where.table(data, "unidades").items():
        key = f"unidades.\"{name}\""
        if not isinstance(spec, dict):
            raise where.fail(key, "debe ser una sección con los datos de esa unidad")
        where.only(spec, key, ("hoja", *CLASSIFICATION_KEYS, "firmas"))
        unidades[normalize_label(name)] = UnidadMapa(
            hoja=where.text(spec, f"{key}.hoja", ""),
            clasificacion=where.clasificacion(spec, key),
            firmas=where.firmas(spec.get("firmas", {}), f"{key}.firmas"),
        )

    return Mapa(
        path=path,
        hoja=where.text(origen, "origen.hoja", "") or None,
        hojas=tuple(where.texts(origen, "origen.hojas")),
        fila_titulos=where.row(origen, "origen.fila_titulos", 1) or 1,
        primera_fila=where.row(origen, "origen.primera_fila", None),
        ultima_fila=where.row(origen, "origen.ultima_fila", None),
        omitir=tuple(normalize_label(t) for t in where.texts(origen, "origen.omitir")),
        por_letra=columnas_por == "letra",
        ayuntamiento=one_line(where.text(general, "general.ayuntamiento", "")),
        ejercicio=ejercicio_ok,
        trimestre=trimestre_ok,
        fecha=fecha,
        base=base,
        tolerancia=tolerancia,
        clave_formato=where.text(general, "general.clave_formato", "TMM-F004"),
        correos=correos,
        columna_unidad=columna_unidad,
        por_hoja=por_hoja,
        celda_unidad=(where.text(unidad, "unidad.celda", "") or None),
        columnas=goal_columns,
        clasificacion_columnas=clasif_columns,
        programado=where.quarters(columnas, "programado"),
        alcanzado=where.quarters(columnas, "alcanzado"),
        clasificacion=where.clasificacion(where.table(data, "clasificacion"), "clasificacion"),
        celdas=celdas_ok,
        firmas=where.firmas(where.table(data, "firmas"), "firmas"),
        unidades=unidades,
    )


class _Where:
    """Checks of one map's values, each failing with the key's full name."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, what: str) -> MapaError:
        shown = f"[{key}]" if key and "." not in key else key
        return MapaError(f"En el mapa «{self.path}», {shown or 'el mapa'}: {what}. Vea docs/importar.md.")

    def only(self, table: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                full = f"{key}.{name}" if key else name
                raise self.fail(full, f"no es una clave conocida (las de esta sección son: {', '.join(allowed)})")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "debe ser una sección [" + key + "]")
        return value

    def required(self, table: dict[str, Any], section: str, key: str) -> Any:
        if table.get(key) in (None, "", []):
            raise self.fail(f"{section}.{key}", "falta; es obligatoria")
        return table[key]

    def text(self, table: dict[str, Any], key: str, default: str | None = None) -> str:
        name = key.rsplit(".", 1)[-1]
        value = table.get(name, default)
        if value is None:
            raise self.fail(key, "falta")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(key, "debe ser un texto entre comillas")
        return str(value).strip()

    def texts(self, table: dict[str, Any], key: str) -> list[str]:
        value = table.get(key.rsplit(".", 1)[-1], [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.fail(key, "debe ser una lista de textos, como [\"TOTAL\", \"SUBTOTAL\"]")
        return [str(v) for v in value]

    def boolean(self, table: dict[str, Any], key: str, default: bool) -> bool:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            raise self.fail(key, "debe ser true o false")
        return value

    def row(self, table: dict[str, Any], key: str, default: int | None) -> int | None:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(key, "debe ser un número de fila, 1 o mayor")
        return value

    def quarters(self, columnas: dict[str, Any], key: str) -> tuple[tuple[str, ...], ...]:
        """Four quarters from 4 columns, 12 months (added three by three) or 4 lists of columns."""
        value = columnas.get(key)
        full = f"columnas.{key}"
        if not isinstance(value, list) or not value:
            raise self.fail(full, "debe ser una lista de 4 columnas (una por trimestre) o de 12 (una por mes)")
        if all(isinstance(v, list) for v in value):
            if len(value) != 4 or not all(v and all(isinstance(c, str) for c in v) for v in value):
                raise self.fail(full, "con listas, deben ser 4 (una por trimestre), cada una con las columnas que se suman")
            return tuple(tuple(c.strip() for c in v) for v in value)
        if not all(isinstance(v, str) for v in value):
            raise self.fail(full, "debe ser una lista de títulos de columna entre comillas")
        if len(value) == 4:
            return tuple((c.strip(),) for c in value)
        if len(value) == 12:
            return tuple(tuple(c.strip() for c in value[q * 3:q * 3 + 3]) for q in range(4))
        raise self.fail(full, f"tiene {len(value)} columnas; deben ser 4 (una por trimestre) o 12 (una por mes)")

    def clasificacion(self, table: dict[str, Any], key: str) -> dict[str, Valor | list[Valor]]:
        found: dict[str, Valor | list[Valor]] = {}
        for name in CLASSIFICATION_KEYS:
            if name not in table:
                continue
            value = table[name]
            full = f"{key}.{name}"
            if name in ("ejes", "lineas_accion"):
                # always a list of entries, each "CLAVE DESCRIPCIÓN" or ["CLAVE", "DESCRIPCIÓN"]
                items = value if isinstance(value, list) else [value]
                found[name] = [self.valor(v, full) for v in items]
            else:
                found[name] = self.valor(value, full)
        if key in ("clasificacion",):
            self.only(table, key, CLASSIFICATION_KEYS)
        return found

    def valor(self, value: Any, key: str) -> Valor:
        """``"59 COMISIÓN ..."`` or ``["59", "COMISIÓN ..."]``."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return V.parse_code(value), ""
        if isinstance(value, str):
            return W.split_code(value)
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (str, int)) for v in value):
            return str(value[0]).strip(), one_line(value[1])
        raise self.fail(key, "debe ser \"CLAVE DESCRIPCIÓN\" o [\"CLAVE\", \"DESCRIPCIÓN\"]")

    def firmas(self, table: Any, key: str) -> Firmas:
        if not isinstance(table, dict):
            raise self.fail(key, "debe ser una sección con elaboro, reviso y autorizo")
        found: Firmas = {}
        for name, value in table.items():
            rol = ROLE_KEYS.get(normalize_label(name))
            if rol is None:
                raise self.fail(f"{key}.{name}", "no es una firma; use elaboro, reviso o autorizo")
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not 1 <= len(value) <= 3 or not all(isinstance(v, str) for v in value):
                raise self.fail(f"{key}.{name}", "debe ser [\"NOMBRE\", \"CARGO\"] o [\"NOMBRE\", \"CARGO\", \"LEYENDA\"]")
            nombre, cargo, leyenda = (list(value) + ["", ""])[:3]
            found[rol] = (one_line(nombre), one_line(cargo), one_line(leyenda) or W.LEYENDAS[rol])
        return found
