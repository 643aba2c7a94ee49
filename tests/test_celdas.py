"""Cell addresses (poa_xlsx.celdas) agree with openpyxl's, which writes the workbooks users send."""
from __future__ import annotations

import pytest
from openpyxl.utils import column_index_from_string, coordinate_to_tuple, get_column_letter

from poa_xlsx.celdas import cell_name, column_index, column_letter, split_cell


@pytest.mark.parametrize("col", [1, 2, 26, 27, 52, 53, 702, 703, 16384, 18278])
def test_column_letters_both_ways_as_openpyxl(col):
    assert column_letter(col) == get_column_letter(col)
    assert column_index(get_column_letter(col)) == col == column_index_from_string(get_column_letter(col))
    assert column_index(get_column_letter(col).lower()) == col


@pytest.mark.parametrize("col", [0, -1, 18279])
def test_column_out_of_range(col):
    with pytest.raises(ValueError):
        column_letter(col)


@pytest.mark.parametrize("letters", ["", "AAAA", "A1", "Ñ", "$A"])
def test_not_a_column(letters):
    with pytest.raises(ValueError):
        column_index(letters)


@pytest.mark.parametrize("cell", ["A1", "F14", "AB203", "XFD1048576", "zz9"])
def test_split_cell_as_openpyxl(cell):
    assert split_cell(cell) == coordinate_to_tuple(cell.upper())
    assert cell_name(*split_cell(cell)) == cell.upper()


@pytest.mark.parametrize("cell", ["", "14", "F", "$F$14", "F14:G15", "AAAA1", " F14"])
def test_split_cell_refuses_what_is_not_a_cell(cell):
    with pytest.raises(ValueError):
        split_cell(cell)
