"""Safe zip and sheet parsing: the only code that opens a workbook's bytes."""
