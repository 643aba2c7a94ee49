"""Figures -> one description of every page (unit pages, RESUMEN), read by both renderers."""
