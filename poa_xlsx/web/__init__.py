"""The web portal (Django): staff upload their workbook, see what to fix, take the report.

Nothing in the library imports this package; it calls the library's public
functions (``check_workbook``, ``write_report``, ``mark_workbook``) like the CLI does.
Django is an optional dependency: ``pip install 'poa-xlsx[web]'``.
"""
