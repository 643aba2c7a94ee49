"""Layout -> PDF bytes: the TMM-F004 form as Tesorería prints and signs it.

Reads only :class:`~poa_xlsx.layout.reporte.Reporte`; every text and figure comes
from there, so the PDF cannot disagree with the XLSX.  Reproducible: the dates are
the report's FECHA (or ``SOURCE_DATE_EPOCH``), the document id is derived from the
content, and glyphs are assigned to font subsets in reading order, so the same
Reporte gives the same bytes in every process.  Archival and signable: PDF/A-2b
and one empty signature field over each signature block (:mod:`.pdfa`, the one
module that touches reportlab's internals).
"""
from __future__ import annotations

import functools
import io

from reportlab import Version as reportlab_version
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
)

from poa_xlsx import __version__
from poa_xlsx.layout.reporte import Reporte
from poa_xlsx.render.pdf import pdfa
from poa_xlsx.render.pdf.base import (
    BOLD,
    FOOTER_SPACE,
    MARGIN,
    PAPELES,
    TITLE_LEADING,
    TITLE_SIZE,
    Lineas,
    NumberedCanvas,
    clean_text,
    register_fonts,
)
from poa_xlsx.render.pdf.reportlab_interno import binary_streams
from poa_xlsx.render.pdf.resumen import resumen_flowables
from poa_xlsx.render.pdf.unidad import unidad_flowables

KEYWORDS = "POA, TMM-F004, avance físico programático"

# --------------------------------------------------------------------------- entry point


def render_pdf(reporte: Reporte, *, papel: str = "carta") -> bytes:
    """The report as PDF bytes: the summary first when the report has one, then
    one section per unit, each starting on a new page.

    ``papel`` is ``"carta"`` (Letter) or ``"oficio"`` (8.5 x 13 in), both landscape.
    The same ``reporte`` always gives the same bytes.
    """
    if papel not in PAPELES:
        raise ValueError(f"Papel desconocido {papel!r}: use 'carta' u 'oficio'.")
    register_fonts()
    page_w, page_h = PAPELES[papel]
    frame_w = page_w - 2 * MARGIN
    frame_h = page_h - 2 * MARGIN - FOOTER_SPACE
    buffer = io.BytesIO()
    meta = pdfa.Metadatos(
        titulo=clean_text(reporte.titulo),
        autor=clean_text(reporte.autor),
        asunto=clean_text(reporte.asunto),
        creador=f"poa-xlsx {__version__}",
        productor=f"poa-xlsx {__version__} (ReportLab {reportlab_version})",
        palabras_clave=KEYWORDS,
        fecha=pdfa.document_date(reporte.fecha),
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page_w, page_h),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=meta.titulo,
        author=meta.autor,
        subject=meta.asunto,
        creator=meta.creador,
        producer=meta.productor,
        keywords=meta.palabras_clave,
        lang="es-MX",
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(MARGIN, MARGIN + FOOTER_SPACE, frame_w, frame_h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="cuerpo")
    doc.addPageTemplates([PageTemplate(id="formato", frames=[frame])])
    story: list[Flowable] = []
    if reporte.resumen is not None:  # the summary comes first (docs/resumen.md)
        story += resumen_flowables(reporte.resumen, frame_w, frame_h)
    for pagina in reporte.paginas:
        if story:
            story.append(PageBreak())
        story += unidad_flowables(pagina, frame_w, frame_h)
    if not story:
        story.append(Lineas(["EL REPORTE NO TIENE UNIDADES."], BOLD, TITLE_SIZE, TITLE_LEADING))
    # Binary (not ASCII85) streams: a quarter smaller and faster to write.
    with binary_streams():
        doc.build(story, canvasmaker=functools.partial(NumberedCanvas, metadatos=meta))
    return buffer.getvalue()
