"""What the person who fills the capture workbook reads, in Spanish: the
INSTRUCCIONES sheet, the help column of GENERAL, the notes on the labels and
the next steps after a workbook is written.

:mod:`.plantilla` places these texts in the workbook; nothing here knows about
openpyxl. The legends of the INSTRUCCIONES sheet are named by the colour's
meaning (``legend:input``...), which :mod:`.plantilla` maps to its fills.
"""
from __future__ import annotations

from typing import Protocol

from poa_xlsx.formatting import plural
from poa_xlsx.vocabulario import QUARTER_NAMES


class LibroEscrito(Protocol):
    """What :func:`siguientes_pasos` needs of a written workbook (a :class:`.plantilla.Plantilla`;
    named by shape because :mod:`.plantilla` imports this module)."""

    @property
    def ejercicio(self) -> int: ...
    @property
    def trimestre(self) -> int: ...
    @property
    def unidades(self) -> int: ...
    @property
    def metas(self) -> int: ...


# Notes on the labels of a unit sheet (by label) and of the goals table (by field).
NOTES = {
    "RAMO": "Clave del ramo en la columna B (por ejemplo 59) y su nombre en la C, como en el POA autorizado. Obligatorio.",
    "PROGRAMA": "Clave del programa en la B (por ejemplo 592) y su nombre en la C. Obligatorio.",
    "PROYECTO": "Solo si la unidad trabaja por proyecto: clave en la B (por ejemplo PY10) y nombre en la C. "
    "Si no hay proyecto, déjelo en blanco.",
    "UNIDAD EJECUTORA": "Clave de la unidad ejecutora en la B (por ejemplo 005) y su nombre en la C. Obligatorio. "
    "No puede haber dos hojas con el mismo ramo y unidad (y proyecto).",
    "FINALIDAD": "Clave de la finalidad en la B (por ejemplo 3) y su nombre en la C. Obligatorio.",
    "FUNCIÓN": "Clave de la función en la B (por ejemplo 3.7) y su nombre en la C. Obligatorio.",
    "SUBFUNCIÓN": "Clave de la subfunción en la B (por ejemplo 3.7.1) y su nombre en la C. Obligatorio.",
    "EJE DE GOBIERNO": "Opcional. Clave del eje en la B y su nombre en la C. Si hay más de uno, use las filas de "
    "abajo (con la columna A vacía).",
    "LÍNEAS DE ACCIÓN": "Opcional. Clave de la línea de acción del Plan Municipal en la B (por ejemplo 3.1.2) y su "
    "nombre en la C; una por fila, en las filas de abajo (con la columna A vacía).",
    "ELABORÓ": "Quien elabora el reporte: nombre en la B (obligatorio), cargo en la C y, si quiere, en la D la "
    "leyenda que se imprime arriba del nombre.",
    "REVISÓ": "Quien revisa: nombre en la B (obligatorio), cargo en la C y leyenda opcional en la D.",
    "AUTORIZÓ": "Quien autoriza: nombre en la B (obligatorio), cargo en la C y leyenda opcional en la D.",
    "linea_accion": "Clave de la línea de acción de la meta (por ejemplo 3.1.2). Si son varias, sepárelas con un "
    "espacio. Opcional.",
    "numero": "Número de la meta, por ejemplo 2.3 o 101. Opcional, pero ayuda a ubicarla en el reporte.",
    "descripcion": "Qué se va a hacer, como dice el POA. Obligatorio. Una meta por fila.",
    "unidad_medida": "En qué se mide la meta: REUNIÓN, INFORME, PERSONA ATENDIDA... Obligatorio.",
    "meta_anual": "Cantidad autorizada para todo el año. Obligatorio. Debe ser igual a la suma de los cuatro P.",
    "periodo": "P = PROGRAMADO: lo que se planeó hacer en el trimestre (en blanco cuenta como 0).\n"
    "A = ALCANZADO: lo que de verdad se hizo. Se escribe al terminar cada trimestre; escriba 0 si no hubo avance. "
    "La columna A del trimestre que se reporta se marca en amarillo.",
    "observaciones": "Justificación. Obligatoria cuando la meta no se cumplió o se rebasó (la celda se pone "
    "naranja): explique por qué. El reporte antepone la frase «NO SE ALCANZÓ LA META» o «SE REBASÓ LA META».",
}

# GENERAL, row by row from row 2: (key, label, help text in column C).
GENERAL_ROWS: tuple[tuple[str, str, str], ...] = (
    # (key, label, help text in column C)
    ("ayuntamiento", "AYUNTAMIENTO", "Obligatorio. Primera línea del título del reporte, por ejemplo "
     "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA."),
    ("ejercicio", "EJERCICIO", "Obligatorio. Año del Programa Operativo Anual, por ejemplo 2024."),
    ("trimestre", "TRIMESTRE", "Obligatorio. Trimestre que se reporta: elija 1, 2, 3 o 4 en la lista. "
     "Si lo cambia, cambie también la FECHA."),
    ("fecha", "FECHA", "Déjela en blanco: el reporte lleva el último día del TRIMESTRE. Escriba una fecha, como "
     "31/03/2024, solo si el reporte debe llevar otra (del primer día del trimestre a seis meses después)."),
    ("base", "BASE DEL PORCENTAJE", "Contra qué se mide el ACUMULADO RELATIVO: META ANUAL (lo usual) o "
     "PROGRAMADO AL PERIODO. Elíjalo en la lista."),
    ("tolerancia", "TOLERANCIA", "Margen para dar una meta por cumplida: con 10%, un avance entre 90% y 110% "
     "de lo programado se considera cumplido. Si lo borra, se usa 10%."),
    ("clave_formato", "CLAVE DEL FORMATO", "Clave impresa en el reporte. Normalmente TMM-F004; no la cambie si no se lo piden."),
    ("correos", "CORREO TESORERÍA", "Opcional. Correo(s) de Tesorería a donde se envía el reporte, separados por "
     "punto y coma: tesoreria@mexicali.gob.mx; poa@mexicali.gob.mx"),
)
FECHA_NOTE = (
    "En blanco a propósito: el reporte lleva el último día del TRIMESTRE (31/03, 30/06, 30/09 o 31/12 del "
    "EJERCICIO). Si escribe otra fecha, debe caer entre el primer día del trimestre y seis meses después de su "
    "último día; si no, poa-render validar lo marca como error."
)

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("title", "LIBRO DE CAPTURA DEL AVANCE FÍSICO PROGRAMÁTICO (formato TMM-F004)"),
    ("text", "En este libro se captura el avance de las metas del Programa Operativo Anual (POA). Con él, el "
     "programa poa-render calcula el avance absoluto, el acumulado relativo y las observaciones, y genera el "
     "reporte TMM-F004 listo para firmar."),
    ("text", "Regla de oro: escriba solo en las celdas azules. No cambie los títulos (RAMO, META ANUAL, P, A...): "
     "el programa los busca para saber qué es cada dato. Pase el cursor sobre un título con triángulo rojo para "
     "ver qué va ahí."),
    ("heading", "Las hojas"),
    ("item", "INSTRUCCIONES: esta hoja. El programa no la lee."),
    ("item", "GENERAL: los datos de todo el libro: ayuntamiento, ejercicio (año), trimestre que se reporta, "
     "fecha, base del porcentaje y tolerancia."),
    ("item", "Una hoja por cada unidad ejecutora (la primera se llama «UNIDAD 1»; cámbiele el nombre, por ejemplo "
     "«201 Promoción»): arriba la clasificación de la unidad, en medio la tabla de metas y abajo las firmas. "
     "Las hojas ocultas y las que empiezan con «_» no se leen."),
    ("heading", "Cómo agregar otra unidad ejecutora"),
    ("item", "Excel: clic derecho en la pestaña de una hoja de unidad > Mover o copiar... > marque «Crear una "
     "copia» > Aceptar. LibreOffice: clic derecho en la pestaña > Mover o copiar hoja... > Copiar."),
    ("item", "Cambie el nombre de la pestaña nueva, borre las metas copiadas y escriba los datos de la otra unidad. "
     "No deje dos hojas con la misma unidad (mismo ramo, unidad y proyecto)."),
    ("heading", "La tabla de metas"),
    ("item", "Una meta por fila: línea de acción, número, descripción, unidad de medida y META ANUAL. Si necesita "
     "más filas, inserte filas entre las filas azules (no debajo de ELABORÓ)."),
    ("item", "P = PROGRAMADO: lo que se planeó hacer en cada trimestre. Se escribe al inicio del año; la suma de "
     "los cuatro P debe ser igual a la META ANUAL (si no, la META ANUAL se pone naranja). P en blanco cuenta como 0."),
    ("item", "A = ALCANZADO: lo que de verdad se hizo en el trimestre. Se escribe al terminar cada trimestre, en la "
     "columna amarilla. Si no hubo avance escriba 0; no lo deje en blanco. Los A de trimestres posteriores al "
     "que se reporta no se toman en cuenta (se ponen naranja)."),
    ("item", "Escriba solo la cantidad: 3506, no «3,506 personas». Se aceptan decimales; no se aceptan negativos."),
    ("heading", "Cuándo hay que justificar, y por qué"),
    ("item", "El programa compara lo alcanzado con lo programado hasta el trimestre que se reporta. Si queda entre "
     "90% y 110% (con la tolerancia de 10%), la meta se cumplió y no hace falta explicar nada."),
    ("item", "Si queda abajo, el reporte dice «NO SE ALCANZÓ LA META»; si queda arriba, o hubo avance sin nada "
     "programado, dice «SE REBASÓ LA META». En esos casos escriba en OBSERVACIONES por qué (la celda se pone "
     "naranja mientras falte). Tesorería y Contraloría piden esa explicación porque el avance se apartó de lo "
     "planeado; sin ella el reporte queda incompleto."),
    ("heading", "Las firmas"),
    ("item", "En las filas ELABORÓ, REVISÓ y AUTORIZÓ: columna B el nombre (obligatorio), C el cargo y D, si "
     "quiere, la leyenda que se imprime arriba del nombre."),
    ("heading", "Antes de enviar"),
    ("item", "1. Revise en GENERAL que el TRIMESTRE y la FECHA sean los del reporte."),
    ("item", "2. Guarde el libro como «Libro de Excel (.xlsx)»."),
    ("item", "3. Revíselo con «poa-render validar ARCHIVO.xlsx» (o pídalo a quien ejecuta el programa). Cada "
     "problema dice la hoja y la celda que hay que corregir. Corrija y vuelva a revisar hasta que no haya errores."),
    ("item", "4. Genere el reporte con «poa-render ARCHIVO.xlsx», revíselo y envíelo."),
    ("heading", "El siguiente trimestre"),
    ("item", "No vuelva a capturar todo: «poa-render plantilla», con este archivo como libro anterior, crea el "
     "libro del trimestre siguiente con las mismas unidades, metas, programado, alcanzado y firmas (vea cómo "
     "en «poa-render plantilla --help»). Solo escriba el alcanzado nuevo (columna amarilla) y las "
     "justificaciones que se pidan."),
    ("heading", "Colores"),
    ("legend:input", "Azul: escriba aquí."),
    ("legend:current", "Amarillo: alcanzado (A) del trimestre que se reporta."),
    ("legend:warn", "Naranja: revise: falta la justificación, los P no suman la META ANUAL o hay un A de "
     "un trimestre posterior."),
    ("legend:error", "Rojo: a la meta le falta la META ANUAL."),
)

# Excel refuses files whose validation titles pass 32 characters, prompts 255 or errors 225.
NUMBER_ERROR = "Escriba solo un número mayor o igual a 0 (por ejemplo 3506 o 2.5), sin texto ni signo negativo."


def siguientes_pasos(path: str, nuevo: LibroEscrito, desde: str | None = None) -> list[str]:
    """Lines saying what was written and what to do next, numbered."""
    shown = f'"{path}"' if " " in path else path
    periodo = f"ejercicio {nuevo.ejercicio}, trimestre {nuevo.trimestre} ({QUARTER_NAMES[nuevo.trimestre - 1]})"
    periodo = periodo[0].upper() + periodo[1:]
    copiadas = (f"{plural(nuevo.unidades, 'unidad', 'unidades')} y {plural(nuevo.metas, 'meta')} copiadas de "
                f"{desde} (que no se modificó).")
    if not desde:
        lines = [f"Libro de captura escrito: {path}", f"  {periodo}; {plural(nuevo.unidades, 'hoja', 'hojas')} de unidad."]
        pasos = [
            "Ábralo en Excel o LibreOffice y lea la hoja INSTRUCCIONES.",
            "Escriba en las celdas azules: primero la hoja GENERAL, luego cada hoja de unidad.",
        ]
    elif nuevo.trimestre == 1:
        lines = [f"Libro del ejercicio nuevo escrito: {path}", f"  {periodo}: {copiadas}"]
        pasos = [
            "Revise la clasificación y las firmas de cada hoja de unidad; borre las metas que ya no sigan y agregue las nuevas.",
            "Escriba la META ANUAL y lo programado (P) de cada meta para el ejercicio nuevo "
            "(los del año anterior quedaron como nota en la celda de la META ANUAL).",
        ]
    else:
        quarter = QUARTER_NAMES[nuevo.trimestre - 1]
        lines = [f"Libro del trimestre siguiente escrito: {path}", f"  {periodo}: {copiadas}"]
        pasos = [
            f"Escriba el alcanzado (A) de {quarter} en la columna amarilla de cada hoja de unidad (0 si no hubo avance).",
            "Escriba la justificación en las celdas de OBSERVACIONES que se pongan naranjas "
            "(la observación anterior quedó como nota en la celda, por si sigue valiendo).",
        ]
    pasos.append(f"Revíselo con: poa-render validar {shown}")
    return [*lines, "Siguientes pasos:", *(f"  {n}. {paso}" for n, paso in enumerate(pasos, start=1))]
