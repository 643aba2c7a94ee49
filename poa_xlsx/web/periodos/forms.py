from __future__ import annotations

from django import forms


class AbrirForm(forms.Form):
    ejercicio = forms.IntegerField(label="Ejercicio", min_value=2000, max_value=2100)
    trimestre = forms.TypedChoiceField(label="Trimestre", choices=[(n, str(n)) for n in range(1, 5)], coerce=int)
    cierre = forms.DateField(label="Fecha límite", widget=forms.DateInput(attrs={"type": "date"}))


class ProrrogaForm(forms.Form):
    ramo = forms.CharField(label="Ramo", max_length=20)
    hasta = forms.DateField(label="Nueva fecha límite", widget=forms.DateInput(attrs={"type": "date"}))
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2}))


class ReabrirForm(forms.Form):
    motivo = forms.CharField(label="Motivo para reabrir", widget=forms.Textarea(attrs={"rows": 2}))
