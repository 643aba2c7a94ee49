"""The PDF renderer: shared primitives, unit sections, RESUMEN pages."""
