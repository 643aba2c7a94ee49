"""Periods (ejercicio, trimestre) with their deadline and extensions, and the ramos catalogue."""
