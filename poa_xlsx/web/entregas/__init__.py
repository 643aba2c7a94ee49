"""Uploads (each kept as a version) and, per period, the ramo's submission and its history."""
