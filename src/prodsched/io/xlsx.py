"""Writing .xlsx workbooks (openpyxl): the common look of every sheet prodsched writes.

A sheet is a header and rows of plain values; numbers become number cells,
naive date-times date-time cells (``yyyy-mm-dd hh:mm``), everything else
text. Headers are bold, the header row stays in view when scrolling, and
columns are as wide as their contents (within reason).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATETIME_SECONDS_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_WIDTH = 48


def excel_value(value: Any) -> Any:
    """A value Excel can hold: a date-time with a time zone becomes ISO text."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return value


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx file of the given sheets.

    Parameters
    ----------
    sheets
        ``(sheet name, header, rows)`` in the order the sheets appear.

    Returns
    -------
    bytes
        The workbook file's content.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    default = book.active
    bold = Font(bold=True)
    for name, header, rows in sheets:
        sheet = book.create_sheet(title=name)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(str(h)) for h in header]
        for row in rows:
            values = [excel_value(v) for v in row]
            sheet.append(values)
            for i, value in enumerate(values):
                if i < len(widths):
                    widths[i] = max(widths[i], _width(value))
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime):
                    whole = cell.value.second == 0 and cell.value.microsecond == 0
                    cell.number_format = DATETIME_FORMAT if whole else DATETIME_SECONDS_FORMAT
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[_letter(i)].width = min(MAX_WIDTH, width + 2)
        sheet.freeze_panes = "A2"
    if default is not None and len(book.sheetnames) > 1:
        book.remove(default)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16 if value.second == 0 else 19
    return len(str(value))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
