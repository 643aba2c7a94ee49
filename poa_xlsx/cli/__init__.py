"""The ``poa-render`` command line: parse -> one library call (:mod:`poa_xlsx.acciones`) -> print -> exit code.

One module per command; options that several commands share are declared once
in :mod:`poa_xlsx.cli.comun`. Exit codes: 0 fine (warnings allowed), 1 invalid
data or failed job, 2 bad usage. No traceback unless ``--debug``. Everything
printed is Spanish. Heavy libraries are imported inside the commands so
``--help`` is instant.
"""
from __future__ import annotations

import click

from poa_xlsx import __version__
from poa_xlsx.cli.click_es import install as _install_spanish
from poa_xlsx.cli.comun import CONTEXT, pipe_closed
from poa_xlsx.cli.enviar import enviar
from poa_xlsx.cli.firmar import firmar
from poa_xlsx.cli.generar import generar
from poa_xlsx.cli.importar import importar
from poa_xlsx.cli.periodo import periodo
from poa_xlsx.cli.plantilla import plantilla
from poa_xlsx.cli.ramos import ramos
from poa_xlsx.cli.recordar import recordar
from poa_xlsx.cli.resumen import resumen
from poa_xlsx.cli.servir import servir
from poa_xlsx.cli.usuarios import usuarios
from poa_xlsx.cli.validar import validar
from poa_xlsx.cli.verificar import verificar

_install_spanish()


class DefaultGroup(click.Group):
    """A group whose first argument may be a workbook: then it runs ``generar``."""

    default_command = "generar"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version"):
            if _looks_like_a_command(args[0]):
                raise click.UsageError(self._unknown(args[0]), ctx)
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def _unknown(self, word: str) -> str:
        """``«validr» no es un comando ni un libro. ¿Quiso decir «validar»?``"""
        import difflib

        visible = sorted(name for name, command in self.commands.items() if not command.hidden)
        close = difflib.get_close_matches(word.lower(), visible, n=1, cutoff=0.6)
        text = f"«{word}» no es un comando ni un libro .xlsx que exista."
        if close:
            return f"{text} ¿Quiso decir «{close[0]}»?"
        return f"{text} Los comandos son: {', '.join(visible)}; o indique el libro, por ejemplo: poa-render LIBRO.xlsx"

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPCIONES] LIBRO.xlsx [MÁS.xlsx ...]  |  COMANDO [ARGUMENTOS]...")


def _looks_like_a_command(word: str) -> bool:
    """A word in the command position that is no option, no existing file and no
    workbook name: a mistyped command, not a workbook to report (issue #12)."""
    import os

    if word.startswith("-"):
        return False  # an option of the default command, as in `poa-render -o salida LIBRO.xlsx`
    return not os.path.exists(word) and not word.lower().endswith((".xlsx", ".xlsm"))


@click.group(cls=DefaultGroup, context_settings=CONTEXT, invoke_without_command=False)
@click.version_option(__version__, "--version", prog_name="poa-render", message="%(prog)s %(version)s")
def cli() -> None:
    """Genera el reporte TMM-F004 «AVANCE FÍSICO PROGRAMÁTICO» a partir del libro de captura.

    \b
    Uso más común:
      poa-render LIBRO.xlsx              valida, calcula y genera el reporte
      poa-render validar LIBRO.xlsx      solo revisa el libro y lista los problemas

    Cada problema indica la hoja y la celda que hay que corregir.
    """


# the portal's commands after the report's (docs/portal.md)
for _command in (validar, generar, enviar, plantilla, resumen, firmar, verificar, importar, servir, usuarios, periodo, ramos, recordar):
    cli.add_command(_command)


# A run builds large object graphs without reference cycles (rows, model, layout, PDF
# operators); with Python's default thresholds the garbage collector walked them over
# and over, a fifth of a whole Ayuntamiento's run (benchmarks/run.py).
GC_THRESHOLD = (100_000, 50, 100)


def main() -> None:
    """Console-script entry point."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    try:
        cli(prog_name="poa-render")
    except BrokenPipeError:  # outside a command: help, usage errors
        pipe_closed()
