"""The XLSX renderer: shared grid primitives, unit sheets, RESUMEN sheet."""
