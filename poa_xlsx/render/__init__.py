"""Layout -> bytes: XLSX, PDF and the open-data CSV."""
