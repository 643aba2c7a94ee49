"""The capture workbook itself: the blank template and next quarter's workbook."""
