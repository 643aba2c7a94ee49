"""Jinja2 templates: the shipped ones, optionally overridden by a user folder."""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources

import jinja2

from poa_xlsx.model import Meta
from poa_xlsx.problems import PoaError
from poa_xlsx.revision.compute import Cifras
from poa_xlsx.text import normalize_label

OBSERVACIONES = "observaciones.txt.j2"


class PlantillaError(PoaError):
    """A user template is missing, broken or uses an unknown variable."""


def shipped_templates_dir() -> str:
    """The shipped templates: the installed package data, or ``templates/`` of a source checkout."""
    try:
        return str(resources.files("poa_xlsx.templates"))
    except ModuleNotFoundError:
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "templates"))


class Plantillas:
    """Renders named templates; a user folder takes precedence over the shipped one."""

    def __init__(self, carpeta: str | os.PathLike[str] | None = None) -> None:
        if carpeta is not None and not os.path.isdir(carpeta):
            raise PlantillaError(f"La carpeta de plantillas «{carpeta}» no existe.")
        paths = ([os.fspath(carpeta)] if carpeta else []) + [shipped_templates_dir()]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(paths),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )
        self._templates: dict[str, jinja2.Template] = {}

    def render(self, name: str, **context: object) -> str:
        try:
            template = self._templates.get(name)
            if template is None:  # loaded once: get_template would stat the file again for every goal
                template = self._templates[name] = self.env.get_template(name)
            return template.render(**context)
        except jinja2.TemplateNotFound as exc:
            raise PlantillaError(f"No se encontró la plantilla «{name}».") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise PlantillaError(f"La plantilla «{exc.filename or name}» tiene un error en la línea {exc.lineno}: {exc.message}") from exc
        except jinja2.UndefinedError as exc:
            raise PlantillaError(f"La plantilla «{name}» usa un dato que no existe: {exc.message}") from exc
        except jinja2.TemplateError as exc:
            raise PlantillaError(f"La plantilla «{name}» no se pudo aplicar: {exc}") from exc

    def observaciones(self, meta: Meta, cifras: Cifras) -> str:
        """OBSERVACIONES of a goal: the status phrase and the staff's text."""
        texto = meta.observaciones.strip()
        frase = cifras.frase
        return self.render(
            OBSERVACIONES,
            frase=frase,
            texto=texto,
            texto_incluye_frase=bool(frase) and starts_with_phrase(texto, frase),
            estatus=cifras.estatus.value,
            semaforo=cifras.semaforo.value,
            meta=meta,
            cifras=cifras,
        ).strip()


@lru_cache(maxsize=64)
def _phrase_label(frase: str) -> str:
    return normalize_label(frase).rstrip(".")


def starts_with_phrase(texto: str, frase: str) -> bool:
    """Whether the staff text already begins with the status phrase."""
    target = _phrase_label(frase)
    # An observación may run to hundreds of characters; the normalised label of
    # its beginning is a beginning of the whole text's, so that is enough when
    # it is at least as long as the phrase (it falls short only with runs of
    # spaces or combining marks: then the whole text is normalised).
    cut = 2 * len(frase) + 16
    if len(texto) > cut:
        head = normalize_label(texto[:cut])
        if len(head) >= len(target):
            return head.startswith(target)
    return normalize_label(texto).startswith(target)


@lru_cache(maxsize=8)
def default_plantillas(carpeta: str | None = None) -> Plantillas:
    return Plantillas(carpeta)
