"""The streamed workbook's text cells, read back by openpyxl: what was typed, XML's characters included."""

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from app.services.xlsx_stream import xlsx_stream


def test_text_cells_read_back_as_typed():
    rows = [
        ["Kim & Lee <Labs>", "  leading and trailing  ", "tab\tinside", "bell\x07gone", "=1+1", "대전 ", None, "x"],
        ["\u3000ideographic space", "", 3, Decimal("12.50"), True, datetime(2026, 10, 12, 9, 30), "last", "z"],
    ]
    data = b"".join(xlsx_stream([("People", [f"C{i}" for i in range(8)], rows)], rows_per_chunk=1))
    sheet = load_workbook(io.BytesIO(data)).active
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert read[0] == ["Kim & Lee <Labs>", "  leading and trailing  ", "tab\tinside", "bellgone", "=1+1", "대전 ",
                       None, "x"]
    assert read[1][0] == "\u3000ideographic space"
    assert read[1][2:] == [3, 12.5, True, datetime(2026, 10, 12, 9, 30), "last", "z"]
    assert sheet["E2"].data_type == "s"  # typed text, never a formula
