"""Workbooks in other layouts read into the capture format's model (issue #18).

Two ways in, both giving an :class:`Importado` (GENERAL, the units with their
goals, and every problem located at the source's sheet and cell):

* :func:`poa_xlsx.importar.plano.import_with_map`: a follow-up sheet of another
  office, described by a map (``MAPA.toml``, :mod:`poa_xlsx.importar.mapa`):
  one flat sheet with the unit in a column, or one unit per sheet.
* :func:`poa_xlsx.importar.tmm_f004.import_tmm_f004`: the TMM-F004 report
  itself, made by hand in Excel (computed columns ignored, signatures side by
  side), read with the tolerant reader of :mod:`poa_xlsx.lectura`.

Writing the capture workbook is :func:`poa_xlsx.captura.siguiente.make_libro`'s
job; :func:`poa_xlsx.acciones.importar_libro` puts the two together.
"""
from __future__ import annotations

from poa_xlsx.importar.resultado import Importado, ImportarError

__all__ = ["Importado", "ImportarError"]
