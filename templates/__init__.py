"""Jinja2 templates shipped with poa-xlsx (observaciones, e-mail).

This folder is installed as the package ``poa_xlsx.templates``. To adapt the
wording, copy a template into a folder of your own with the same file name and
pass that folder with ``--plantillas CARPETA``.
"""
