from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class EntrarForm(AuthenticationForm):
    """Sign-in: fields ``username`` and ``password``, Spanish labels and messages."""

    error_messages = {
        "invalid_login": "Usuario o contraseña incorrectos. Revise que no tenga activada la tecla Bloq Mayús e intente de nuevo.",
        "inactive": "Esta cuenta está desactivada. Pida a Tesorería o al administrador del portal que la active.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Usuario"
        self.fields["password"].label = "Contraseña"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


