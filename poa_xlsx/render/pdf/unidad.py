"""One unit's section of the PDF: titles, classification block, goals table, legend and signatures.
"""
from __future__ import annotations

from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
)

from poa_xlsx.layout.base import SEMAFORO_COLORES
from poa_xlsx.layout.unidad import PaginaUnidad
from poa_xlsx.render.pdf.base import (
    BODY_LEADING,
    BOLD,
    CLAS_LEADING,
    CLAS_SIZE,
    MIN_PIECE_LINES,
    PAD_X,
    PAD_Y,
    REGULAR,
    TITLE_LEADING,
    TITLE_SIZE,
    Firmas,
    InicioUnidad,
    LeyendaSemaforo,
    Lineas,
    PlantillaTabla,
    TablaMetas,
    TablaRapida,
    clean_text,
    filas_tabla,
    text_metrics,
)

# --------------------------------------------------------------------------- the unit's blocks


def _clasificacion(pagina: PaginaUnidad, width: float) -> Table:
    """Classification lines (label, key, description) with the form code and date at the right."""
    bold = text_metrics(BOLD, CLAS_SIZE)
    reg = text_metrics(REGULAR, CLAS_SIZE)
    code = text_metrics(BOLD, 9.0)
    labels = [clean_text(f"{l.etiqueta}:" if l.etiqueta else "", BOLD) for l in pagina.clasificacion]
    claves = [clean_text(l.clave) for l in pagina.clasificacion]
    codigo = clean_text(pagina.clave_formato, BOLD)
    fecha = clean_text(f"FECHA: {pagina.fecha}", BOLD)
    pad = 2 * PAD_X
    w_label = max((bold.width(t) for t in labels), default=0.0) + pad + 4
    w_clave = min(max((reg.width(t) for t in claves), default=0.0) + pad + 6, width * 0.12)
    w_right = max(code.width(codigo), bold.width(fecha), 90.0) + pad
    w_desc = max(width - w_label - w_clave - w_right, width * 0.3)
    rows = max(len(labels), 2)
    data = []
    for i in range(rows):
        if i < len(labels):
            label = "\n".join(bold.wrap(labels[i], w_label - pad))
            clave = "\n".join(reg.wrap(claves[i], w_clave - pad))
            desc = "\n".join(reg.wrap(clean_text(pagina.clasificacion[i].descripcion), w_desc - pad))
        else:
            label = clave = desc = ""
        right = codigo if i == 0 else fecha if i == 1 else ""
        data.append([label, clave, desc, right])
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CLAS_SIZE, CLAS_LEADING),
        ("FONT", (0, 0), (0, -1), BOLD, CLAS_SIZE, CLAS_LEADING),
        ("FONT", (3, 0), (3, -1), BOLD, CLAS_SIZE, CLAS_LEADING),
        ("FONT", (3, 0), (3, 0), BOLD, 9.0, CLAS_LEADING),
        ("ALIGN", (3, 0), (3, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
    ]
    table = TablaRapida(data, colWidths=[w_label, w_clave, w_desc, w_right], style=style, hAlign="LEFT")
    return table


def _tabla(pagina: PaginaUnidad, width: float, frame_height: float) -> list[Flowable]:
    """The goals table followed by the legend and the signatures, kept with the last goal row."""
    plantilla = PlantillaTabla(pagina, width, frame_height)
    filas = filas_tabla(pagina, plantilla)
    tail: list[tuple[Flowable, float]] = []
    if pagina.leyenda:
        leyenda = LeyendaSemaforo([(SEMAFORO_COLORES[s], text) for s, text in pagina.leyenda])
        tail.append((leyenda, leyenda.wrap(width, frame_height)[1]))
    if pagina.firmas:
        firmas = Firmas(pagina.firmas, width, frame_height)
        tail.append((firmas, firmas.height))
    tail_h = sum(h for _f, h in tail)
    room_with_tail = plantilla.usable - tail_h
    if tail and room_with_tail < BODY_LEADING * MIN_PIECE_LINES + 2 * PAD_Y:
        # Signatures so long they could never share a page with a goal row: let them follow on their own.
        return [TablaMetas(plantilla, filas, ()), *(f for f, _h in tail)]
    if filas and filas[-1].height > room_with_tail:
        # The last goal is too tall to move to a new page with the signatures: its last lines will.
        last = filas.pop()
        keep = int((room_with_tail - 2 * PAD_Y) / BODY_LEADING)
        filas += last.split(last.lines - keep)
    return [TablaMetas(plantilla, filas, tuple(tail))]


def unidad_flowables(pagina: PaginaUnidad, width: float, frame_height: float) -> list[Flowable]:
    return [
        InicioUnidad(pagina.clave),
        Lineas(pagina.titulos, BOLD, TITLE_SIZE, TITLE_LEADING),
        Spacer(1, 6),
        _clasificacion(pagina, width),
        Spacer(1, 6),
        *_tabla(pagina, width, frame_height),
    ]
