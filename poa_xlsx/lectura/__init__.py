"""Workbook -> model (:class:`~poa_xlsx.model.Libro`), or located problems."""
