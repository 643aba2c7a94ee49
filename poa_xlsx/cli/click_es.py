"""Spanish for click's own messages (usage, errors, help headings).

click marks its texts with :func:`gettext.gettext` imported as ``_`` in each
module; we replace those module globals with a lookup in the table below, so
``poa-render`` speaks Spanish even for a mistyped option. Texts not in the
table stay as click wrote them.
"""
from __future__ import annotations

import gettext

_ES: dict[str, str] = {
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "%(prog)s, version %(version)s": "%(prog)s, versión %(version)s",
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "Escriba '{command} {option}' para ver la ayuda.",
    "No such option: {name}": "No existe la opción {name}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "No such command {name!r}.": "No existe el comando {name!r}.",
    "Missing argument": "Falta el argumento",
    "Missing argument {param_hint}.": "Falta el argumento {param_hint}.",
    "Missing option": "Falta la opción",
    "Missing option {param_hint}.": "Falta la opción {param_hint}.",
    "Missing parameter": "Falta un parámetro",
    "Missing parameter: {param_name}": "Falta el parámetro {param_name}",
    "Missing {param_type}": "Falta {param_type}",
    "Missing command.": "Falta el comando.",
    "argument": "el argumento",
    "option": "la opción",
    "parameter": "el parámetro",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor no válido: {message}",
    "Option {name!r} does not take a value.": "La opción {name!r} no lleva valor.",
    "Option {name!r} requires an argument.": "La opción {name!r} necesita un valor.",
    "Option {name!r} requires {nargs} arguments.": "La opción {name!r} necesita {nargs} valores.",
    "Got unexpected extra argument ({args})": "Sobra un argumento ({args})",
    "Got unexpected extra arguments ({args})": "Sobran argumentos ({args})",
    "{value!r} is not {choice}.": "{value!r} no es {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} no es una de estas opciones: {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} no es un {number_type} válido.",
    "integer": "número entero",
    "float": "número",
    "{value} is not in the range {range}.": "{value} no está en el rango {range}.",
    "{value!r} does not match the format {format}.": "{value!r} no tiene el formato {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} no tiene ninguno de los formatos {formats}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} es una carpeta.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} no se puede leer.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} no se puede escribir.",
    "File": "El archivo",
    "Directory": "La carpeta",
    "Path": "La ruta",
    "file": "archivo",
    "directory": "carpeta",
    "path": "ruta",
    "Did you mean {possibility}?": "¿Quiso decir {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(¿Quiso decir alguna de estas: {possibilities}?)",
    "Aborted!": "Cancelado.",
    "default: {default}": "predeterminado: {default}",
    "env var: {var}": "variable de entorno: {var}",
    "required": "obligatorio",
    "Repeat for confirmation": "Repita para confirmar",
    "Error: The two entered values do not match.": "Error: los dos valores no coinciden.",
    "Error: invalid input": "Error: entrada no válida",
    "Could not open file {filename!r}: {message}": "No se pudo abrir el archivo {filename!r}: {message}",
}


def _gettext(message: str) -> str:
    return _ES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click's messages Spanish (idempotent)."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - older or newer click layouts
            continue
        if getattr(module, "_", None) is gettext.gettext or getattr(module, "_", None) is _gettext:
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
