from __future__ import annotations

from django import forms


class SubirForm(forms.Form):
    archivo = forms.FileField(
        label="Libro de captura (.xlsx o .xlsm)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm"}),
        error_messages={"required": "Elija el archivo de su libro de captura.", "empty": "El archivo está vacío."},
    )
