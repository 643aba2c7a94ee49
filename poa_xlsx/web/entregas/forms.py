from __future__ import annotations

from django import forms


class SubirForm(forms.Form):
    archivo = forms.FileField(
        label="Libro de captura (.xlsx o .xlsm)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm"}),
        error_messages={"required": "Elija el archivo de su libro de captura.", "empty": "El archivo está vacío."},
    )


class FirmadoForm(forms.Form):
    archivo = forms.FileField(
        label="Reporte firmado (.pdf)",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": "Elija el PDF firmado del reporte.", "empty": "El archivo está vacío."},
    )
    # where to go back: this version's page or its submission's (never a free URL)
    volver = forms.ChoiceField(choices=[("version", "version"), ("envio", "envio")], required=False)
