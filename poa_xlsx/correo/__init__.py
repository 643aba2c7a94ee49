"""E-mail: compose the message, send it by SMTP or save it as a draft."""
