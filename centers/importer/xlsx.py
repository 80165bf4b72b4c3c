"""The cell values of an xlsx workbook's sheets, row by row, read with python-calamine.

python-calamine is the Python binding of calamine, a maintained Rust reader of spreadsheet
files (MIT licence). It reads the 100,000 rows of the import benchmark's file in 1.6 s, where
openpyxl's read-only mode, which builds an object for every cell, took 18.9 s of the 60 s an
import may take (and a reader of the sheet XML of our own, 5.6 s). The price is memory: it holds
a sheet's values natively while they are read, about 140 MB for those 100,000 rows against
40 MB for openpyxl.

Values come as calamine gives them: text, numbers (integral ones as ``int``), booleans, dates
for cells formatted as dates, and a formula's value as Excel saved it; a blank cell is ``None``.
"""

from collections.abc import Iterator

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

# What opening or reading a file that is not a readable workbook raises. calamine's own errors
# (a damaged zip or XML, a password) are all CalamineError.
WORKBOOK_ERRORS = (CalamineError, OSError, ValueError)

Row = tuple[int, list[object]]  # (row number as the spreadsheet shows it, cell values)


class Workbook:
    """An open xlsx file. ``sheets`` lists (title, sheet) in the workbook's order."""

    def __init__(self, path: object) -> None:
        self._book = CalamineWorkbook.from_path(str(path))
        self.sheets = [(name, Sheet(self._book, name)) for name in self._book.sheet_names]

    def close(self) -> None:
        self._book.close()


class Sheet:
    def __init__(self, book: CalamineWorkbook, name: str) -> None:
        self._book = book
        self._name = name
        self._sheet: CalamineSheet | None = None

    @property
    def _values(self) -> CalamineSheet:
        # Read once, on first use: a sheet the importer never looks at costs nothing.
        if self._sheet is None:
            self._sheet = self._book.get_sheet_by_name(self._name)
        return self._sheet

    def max_row(self) -> int | None:
        """The number of the sheet's last row with a value, if it has any."""
        end = self._values.end
        return end[0] + 1 if end else None

    def rows(self, *, min_row: int = 1, max_row: int | None = None) -> Iterator[Row]:
        """(number, values) of each row, values by column from A; blank cells None."""
        sheet = self._values
        if sheet.start is None:
            return
        first_row, first_column = sheet.start
        padding = [None] * first_column  # a sheet whose values start right of column A
        for number, values in enumerate(sheet.iter_rows(), start=first_row + 1):
            if max_row is not None and number > max_row:
                return
            if number >= min_row:
                yield number, [*padding, *(None if value == "" else value for value in values)]
