"""The cell values of an xlsx workbook's sheets, read straight from its XML, row by row.

openpyxl's read-only mode builds an object for every cell and every string; for a
100,000-row directory that was about 20 s of the 60 s an import may take. A directory needs only
each cell's value, which the sheet's XML holds as a shared-string index, an inline string or a
number, so this reads just that, with ElementTree's C parser, a few times faster.

What it leaves out: styles, so a number formatted as a date stays a number (no directory column
holds dates); formulas give the result Excel saved with them, as openpyxl's ``data_only`` does.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_INLINE, _TEXT, _RUN = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}r"
_DIMENSION = f"{_MAIN}dimension"

# What opening a file that is not a readable workbook raises.
WORKBOOK_ERRORS = (zipfile.BadZipFile, KeyError, ParseError, OSError, ValueError, StopIteration)

Row = tuple[int, list[object]]  # (row number as the spreadsheet shows it, cell values)


class Workbook:
    """An open xlsx file. ``sheets`` lists (title, sheet) in the workbook's order."""

    def __init__(self, path: object) -> None:
        self._zip = zipfile.ZipFile(path)
        try:
            package = self._relationships("_rels/.rels")
            book = next(t for kind, t in package.values() if kind.endswith("/officeDocument"))
            parts = self._relationships(_relationships_of(book), base=book)
            self.sheets: list[tuple[str, Sheet]] = []
            for element in self._elements(book, f"{_MAIN}sheet"):
                kind, target = parts[element.get(_RELATIONSHIP_ID, "")]
                if kind.endswith("/worksheet"):
                    self.sheets.append((element.get("name", ""), Sheet(self, target)))
            strings = [t for kind, t in parts.values() if kind.endswith("/sharedStrings")]
            self._strings_path = strings[0] if strings else None
            self._strings: list[str] | None = None
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    @property
    def strings(self) -> list[str]:
        """The shared strings, read on first use."""
        if self._strings is None:
            self._strings = []
            if self._strings_path is not None:
                with self._zip.open(self._strings_path) as stream:
                    for _, element in iterparse(stream):
                        if element.tag == f"{_MAIN}si":
                            self._strings.append(_text(element))
                            element.clear()
        return self._strings

    def _relationships(self, path: str, base: str = "") -> dict[str, tuple[str, str]]:
        """{id: (type, member path)} of a relationships part."""
        found = {}
        for element in self._elements(path, _RELATIONSHIPS):
            target = element.get("Target", "")
            if target.startswith("/"):
                member = target[1:]
            else:
                member = posixpath.normpath(posixpath.join(posixpath.dirname(base), target))
            found[element.get("Id", "")] = (element.get("Type", ""), member)
        return found

    def _elements(self, path: str, tag: str) -> list[Element]:
        with self._zip.open(path) as stream:
            return [element for _, element in iterparse(stream) if element.tag == tag]

    def open(self, member: str) -> object:
        return self._zip.open(member)


class Sheet:
    def __init__(self, workbook: Workbook, member: str) -> None:
        self._workbook = workbook
        self._member = member

    def max_row(self) -> int | None:
        """The last row the sheet says it uses (its ``dimension``), if it says."""
        with self._workbook.open(self._member) as stream:
            for _, element in iterparse(stream):
                if element.tag == _DIMENSION:
                    last = (
                        element.get("ref", "")
                        .rpartition(":")[2]
                        .lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                    )
                    return int(last) if last.isdigit() else None
                if element.tag == _ROW:
                    return None
        return None

    def rows(self, *, min_row: int = 1, max_row: int | None = None) -> Iterator[Row]:
        """(number, values) of each row present, values by column from A; blank cells None."""
        strings = self._workbook.strings
        columns: dict[str, int] = {}
        number = 0
        with self._workbook.open(self._member) as stream:
            # Only "end" events, and each row handled when it ends: its cells are all there.
            for _, element in iterparse(stream):
                if element.tag != _ROW:
                    continue
                mark = element.get("r")
                number = int(mark) if mark else number + 1
                if max_row is not None and number > max_row:
                    return
                if number < min_row:
                    element.clear()
                    continue
                values: list[object] = []
                for cell in element:
                    if cell.tag != _CELL:
                        continue
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        column = columns.get(letters)
                        if column is None:
                            column = columns[letters] = _column_index(letters)
                        if column > len(values):
                            values += [None] * (column - len(values))
                    values.append(_value(cell, strings))
                element.clear()
                yield number, values


def _relationships_of(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _column_index(letters: str) -> int:
    """``A`` -> 0, ``Z`` -> 25, ``AA`` -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _text(element: Element) -> str:
    """The text of a shared or inline string: its runs, without phonetic guides (``rPh``)."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts += [text.text or "" for text in child.iter(_TEXT)]
    return "".join(parts)


def _value(cell: Element, strings: list[str]) -> object:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        for child in cell:
            if child.tag == _INLINE:
                return _text(child)
        return None
    raw = None
    for child in cell:
        if child.tag == _VALUE:
            raw = child.text
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "n":
        try:
            return int(raw)
        except ValueError:
            return float(raw)
    if kind == "b":
        return raw == "1"
    # "str" (a formula's text), "e" (an error such as #N/A), "d" (an ISO date): as written.
    return raw
