"""From figures to files: render the report in each format and write it safely.

The renderers return bytes; this module names the files, writes them as a
set, all or nothing, in the output folder (:func:`~poa_xlsx.output.write_files`)
and never writes outside that folder.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from poa_xlsx.layout.reporte import Reporte, layout_report
from poa_xlsx.layout.textos import Plantillas
from poa_xlsx.output import check_outputs, make_folder, safe_filename, write_files
from poa_xlsx.problems import PoaError
from poa_xlsx.revision.compute import Informe

FORMATOS = ("xlsx", "pdf")
PAPELES = ("carta", "oficio")
SUFIJO = "TMM-F004"


class ReporteError(PoaError):
    """The report could not be made (a write error is an :class:`~poa_xlsx.output.EscrituraError`)."""


@dataclass(frozen=True)
class Opciones:
    """How the report is made; the defaults are what a user gets with no options."""

    formatos: tuple[str, ...] = FORMATOS
    papel: str = "carta"
    semaforo: bool = True
    por_unidad: bool = False
    plantillas: str | None = None
    resumen: bool = True  # the RESUMEN sheet / first page (docs/resumen.md)


def render(reporte: Reporte, formato: str, papel: str) -> bytes:
    """The bytes of ``reporte`` in ``formato`` ("xlsx" or "pdf")."""
    if formato == "xlsx":
        from poa_xlsx.render.pdf.paginacion import paginar
        from poa_xlsx.render.xlsx.documento import render_xlsx

        # page breaks where the PDF's pages break (a no-op when write_report paginated it)
        return render_xlsx(paginar(reporte, papel), papel=papel)
    if formato == "pdf":
        from poa_xlsx.render.pdf.documento import render_pdf

        return render_pdf(reporte, papel=papel)
    raise ValueError(f"unknown format {formato!r}")


def render_many(
    jobs: list[tuple[str, Reporte, str]], papel: str, started: Callable[[int], None] | None = None
) -> list[bytes]:
    """The bytes of every (name, report, format) job, in order: on two cores the
    XLSX and the PDF are rendered side by side (:func:`~poa_xlsx.parallel.map_bytes`)."""
    from poa_xlsx.parallel import map_bytes

    # rough relative cost: a PDF row takes about three times an XLSX row
    costs = [(sum(len(p.filas) for p in r.paginas) + 20 * len(r.paginas) + 50) * (3 if f == "pdf" else 1)
             for _, r, f in jobs]
    return map_bytes(lambda job: render(job[1], job[2], papel), jobs, costs, started=started)


def build_reporte(informe: Informe, opciones: Opciones) -> Reporte:
    plantillas = Plantillas(opciones.plantillas) if opciones.plantillas else None
    reporte = layout_report(informe, semaforo=opciones.semaforo, plantillas=plantillas)
    if opciones.resumen:
        from poa_xlsx.layout.resumen import layout_resumen
        from poa_xlsx.revision.resumen import build_resumen

        reporte = replace(reporte, resumen=layout_resumen(build_resumen([informe]), [informe.general]))
    return reporte


def report_paths(libro: str, carpeta: str | None, opciones: Opciones) -> list[str]:
    """The report files of ``libro`` known before reading it (not the ``por_unidad`` ones)."""
    base = safe_filename(stem_of(libro), "reporte")
    return [os.path.join(carpeta or default_folder(libro), f"{base}_{SUFIJO}.{fmt}") for fmt in opciones.formatos]


def output_names(stem: str, reporte: Reporte, opciones: Opciones) -> list[tuple[str, Reporte, str]]:
    """(file name, report to render, format) for every file to write, in order."""
    base = safe_filename(stem, "reporte")
    names = [(f"{base}_{SUFIJO}.{fmt}", reporte, fmt) for fmt in opciones.formatos]
    if opciones.por_unidad:
        used: set[str] = set()
        for pagina in reporte.paginas:
            unit = safe_filename(pagina.clave, "unidad", limit=60)
            name, n = unit, 2
            while name in used:
                name, n = f"{unit}_{n}", n + 1
            used.add(name)
            single = replace(reporte, paginas=(pagina,), resumen=None)  # a unit's own file: no summary
            names += [(f"{base}_{name}_{SUFIJO}.{fmt}", single, fmt) for fmt in opciones.formatos]
    return names


def write_report(
    informe: Informe,
    carpeta: str,
    stem: str,
    opciones: Opciones = Opciones(),
    *,
    progress: Callable[[str], None] | None = None,
    entradas: Iterable[str] = (),
) -> list[str]:
    """Render and write every output file of one workbook; return their paths.

    Nothing is written when a file to write is one of ``entradas`` (the
    workbooks being read): :class:`~poa_xlsx.output.SalidaEsEntradaError`.

    The files are written as a set, all or nothing (:func:`~poa_xlsx.output.write_files`):
    a full disk or an unwritable folder leaves none of them, and the previous
    complete files, if any, as they were. Raises
    :class:`~poa_xlsx.output.EscrituraError` (Spanish, naming the file and why).
    """
    if not os.path.isdir(carpeta):
        make_folder(carpeta)
    reporte = build_reporte(informe, opciones)
    if "xlsx" in opciones.formatos:
        from poa_xlsx.render.pdf.paginacion import paginar

        # Once, here, before the XLSX and the PDF are rendered side by side: the
        # XLSX's page breaks repeat the PDF's pages, and the PDF reuses the texts
        # wrapped here (the time it takes comes off the PDF's). Memory: the fonts
        # and wrapped texts it loads stay in the XLSX's forked child while the
        # PDF's process copies what it touches (peak 358 -> 417 MB at 300 x 40);
        # paginating in the child instead costs more (it loads its own fonts).
        reporte = paginar(reporte, opciones.papel)
    jobs = output_names(stem, reporte, opciones)
    paths = [os.path.join(carpeta, name) for name, _, _ in jobs]
    check_outputs(paths, entradas)
    datas = render_many(jobs, opciones.papel, started=(lambda i: progress(paths[i])) if progress else None)
    return write_files(zip(paths, datas, strict=True))


def default_folder(path: str) -> str:
    """The workbook's own folder."""
    return os.path.dirname(os.path.abspath(path))


def stem_of(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def count_units(informes: Iterable[Informe]) -> int:
    return sum(len(i.unidades) for i in informes)
