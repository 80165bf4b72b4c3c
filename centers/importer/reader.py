"""Read a SAMHSA directory file, xlsx or CSV, into plain text rows, one at a time.

Nothing here touches the database. The header and the file's kind are checked when the file
is opened, so a file that is not a directory at all (wrong sheet, missing columns, a PDF
renamed .xlsx, an empty file) is refused with ``NotADirectory`` before a row is read. Rows are
then read lazily: a 100,000-row file is never held as rows in memory (``xlsx`` streams the
sheet's XML; CSV goes through the ``csv`` module line by line).

Headers are matched loosely because editions differ: ``Name1``, ``name1`` and ``NAME 1`` are the
same column, and ``lat``/``long`` are ``latitude``/``longitude``. The header row is searched in
the first few rows, since some published copies put a title above it.
"""

import codecs
import csv
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from directory.spreadsheets import restore
from directory.text import strip_control

from .xlsx import WORKBOOK_ERRORS, Workbook

FACILITY_COLUMNS_REQUIRED = ("name1", "street1", "city", "state", "zip", "service_code_info")
FACILITY_COLUMNS_OPTIONAL = (
    "name2",
    "street2",
    "phone",
    "intake1",
    "intake2",
    "intake1a",
    "intake2a",
    "latitude",
    "longitude",
)
FACILITY_COLUMNS = FACILITY_COLUMNS_REQUIRED + FACILITY_COLUMNS_OPTIONAL
REFERENCE_COLUMNS_REQUIRED = ("category_code", "category_name", "service_code", "service_name")

_ALIASES = {
    "lat": "latitude",
    "long": "longitude",
    "lng": "longitude",
    "lon": "longitude",
    "zip_code": "zip",
    "zipcode": "zip",
}
# Published copies sometimes carry a title or a note above the header row.
_HEADER_SEARCH_ROWS = 10
_PROGRESS_EVERY = 500

ProgressCallback = Callable[[int, int | None], None]


class ImportRefused(Exception):
    """A file cannot be imported; the message says why, for the person importing it."""


class NotADirectory(ImportRefused):
    """The file is not a SAMHSA directory at all (wrong sheet, missing columns, not a table)."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    number: int  # As a spreadsheet shows it: the header is row 1 when it is the first row.
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    category_code: str
    category_name: str
    code: str
    name: str
    description: str


@dataclass(slots=True)
class DirectoryFile:
    path: Path
    # Read once, lazily; the file stays open until the last row is read.
    rows: Iterator[SourceRow]
    # ``None`` when the file carries no code reference (CSV files, trimmed workbooks): the
    # reference already in the database is used instead.
    reference: list[ReferenceEntry] | None
    has_coordinates: bool


def normalise_header(raw: object) -> str:
    """``'Service_code_info'`` -> ``'service_code_info'``; ``'Lat'`` -> ``'latitude'``."""
    text = re.sub(r"[^a-z0-9]+", "_", cell_text(raw).lower()).strip("_")
    return _ALIASES.get(text, text)


def cell_text(value: object) -> str:
    """A cell as trimmed text with inner runs of whitespace collapsed, without control
    characters (``directory.text.strip_control``).

    Spreadsheet cells arrive typed: a ZIP typed as a number is ``2134`` or ``2134.0`` and must
    read ``2134`` (``geo.normalise_zip`` then restores the leading zero).
    """
    if value is None:
        return ""
    if type(value) is str:
        text = value  # Nearly every cell: no type tests, no copy.
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    # The common case, tested in C: nothing strip_control would remove (every character it
    # strips is unprintable), so only whitespace is left to collapse.
    if text.isprintable():
        return " ".join(text.split())
    return strip_control(text, single_line=True)


def read_directory(path: Path, *, progress: ProgressCallback | None = None) -> DirectoryFile:
    """Open ``path``: its header and code reference now, its facility rows as they are read.

    Raises ``NotADirectory`` for anything that is not a directory file.
    """
    if not path.is_file():
        raise NotADirectory(f"{path} does not exist or is not a file")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise NotADirectory(f"{path.name} is empty")
    if head.startswith(b"%PDF"):
        raise NotADirectory(
            f"{path.name} is a PDF document, not a spreadsheet: download the directory's "
            "Excel (.xlsx) or CSV file instead"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotADirectory(
            f"{path.name} is in the old Excel .xls format: open it and save it as .xlsx or CSV"
        )
    if head.startswith(b"PK\x03\x04"):
        return _read_workbook(path, progress)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise NotADirectory(f"{path.name} is named like an Excel workbook but is not one")
    return _read_csv(path, progress)


def _read_workbook(path: Path, progress: ProgressCallback | None) -> DirectoryFile:
    try:
        workbook = Workbook(path)
    except WORKBOOK_ERRORS as error:
        raise NotADirectory(
            f"{path.name} cannot be opened as an Excel workbook ({error})"
        ) from None
    try:
        facilities = None
        reference = None
        shapes: list[str] = []
        for title, sheet in workbook.sheets:
            top = list(sheet.rows(max_row=_HEADER_SEARCH_ROWS))
            records = [values for _, values in top]
            if facilities is None and (found := _find_header(records, FACILITY_COLUMNS_REQUIRED)):
                facilities = (sheet, top[found[0]][0], found[1])
            elif reference is None and (found := _find_header(records, REFERENCE_COLUMNS_REQUIRED)):
                reference = (sheet, top[found[0]][0], found[1])
            else:
                shapes.append(_describe_sheet(title, records, FACILITY_COLUMNS_REQUIRED))
        if facilities is None:
            raise NotADirectory(
                f"{path.name} has no sheet of facilities with the columns "
                f"{', '.join(FACILITY_COLUMNS_REQUIRED)}. " + " ".join(shapes)
            )
        entries = None
        if reference is not None:
            ref_sheet, ref_header, ref_columns = reference
            entries = _reference_entries(
                (values for _, values in ref_sheet.rows(min_row=ref_header + 1)), ref_columns
            )
        sheet, header, columns = facilities
        last = sheet.max_row()
    except WORKBOOK_ERRORS as error:
        workbook.close()
        raise NotADirectory(f"{path.name} cannot be read as an Excel workbook ({error})") from None
    except BaseException:
        workbook.close()
        raise

    def records() -> Iterator[tuple[int, Sequence[object]]]:
        try:
            yield from sheet.rows(min_row=header + 1)
        except WORKBOOK_ERRORS as error:
            raise NotADirectory(
                f"{path.name} cannot be read as an Excel workbook ({error})"
            ) from None
        finally:
            workbook.close()

    total = last - header if last else None
    rows = _source_rows(records(), columns, total=total, progress=progress)
    return _opened(path, rows, entries, columns)


def _read_csv(path: Path, progress: ProgressCallback | None) -> DirectoryFile:
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(4096)
    if not sample.strip():
        raise NotADirectory(f"{path.name} is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    handle = path.open(encoding=encoding, errors="replace", newline="")
    # Our own export neutralises formula-like cells (directory.spreadsheets): undo it.
    reader = csv.reader(handle, dialect)
    records = ([restore(cell) for cell in row] for row in reader)
    try:
        top = list(itertools.islice(records, _HEADER_SEARCH_ROWS))
    except csv.Error as error:
        handle.close()
        raise NotADirectory(f"{path.name}, line {reader.line_num}: {error}") from None
    found = _find_header(top, FACILITY_COLUMNS_REQUIRED)
    if found is None:
        handle.close()
        raise NotADirectory(
            f"{path.name} is not a SAMHSA directory: "
            + _describe_sheet(None, top, FACILITY_COLUMNS_REQUIRED)
        )
    header_index, columns = found

    def body() -> Iterator[tuple[int, Sequence[object]]]:
        # Numbered as a spreadsheet would show the file: the first line is row 1.
        try:
            yield from enumerate(
                itertools.chain(top[header_index + 1 :], records), header_index + 2
            )
        except csv.Error as error:
            # A malformed line (an unclosed quote running past the field size limit...).
            raise NotADirectory(f"{path.name}, line {reader.line_num}: {error}") from None
        finally:
            handle.close()

    rows = _source_rows(body(), columns, total=None, progress=progress)
    return _opened(path, rows, None, columns)


def _csv_encoding(path: Path) -> str:
    """UTF-8 when the whole file decodes as UTF-8, else Windows-1252: Excel on Windows saves
    "CSV" in the legacy code page. Decoded in chunks, so a large file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        head = handle.read(4096)
        if b"\x00" in head:
            raise NotADirectory(f"{path.name} is a binary file, not a CSV or Excel directory")
        try:
            chunk = head
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _opened(
    path: Path,
    rows: Iterator[SourceRow],
    reference: list[ReferenceEntry] | None,
    columns: dict[str, int],
) -> DirectoryFile:
    return DirectoryFile(
        path=path,
        rows=rows,
        reference=reference,
        has_coordinates="latitude" in columns and "longitude" in columns,
    )


def _find_header(
    records: Sequence[Sequence[object]], required: Iterable[str]
) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, {column name: position}) of the first row naming ``required``."""
    for index, record in enumerate(records):
        columns: dict[str, int] = {}
        for position, value in enumerate(record):
            columns.setdefault(normalise_header(value), position)
        if all(name in columns for name in required):
            return index, columns
    return None


def _describe_sheet(
    title: str | None, records: Sequence[Sequence[object]], required: Iterable[str]
) -> str:
    """Why a sheet is not the facilities list, naming the columns closest to it."""
    where = f"Sheet {title!r}" if title is not None else "The file"
    best: set[str] = set()
    for record in records:
        names = {normalise_header(value) for value in record} - {""}
        if len(names & set(required)) > len(best & set(required)) or not best:
            best = names
    missing = [name for name in required if name not in best]
    if not best:
        return f"{where} is empty."
    return f"{where} lacks the columns {', '.join(missing)}."


def _source_rows(
    records: Iterable[tuple[int, Sequence[object]]],
    columns: dict[str, int],
    *,
    total: int | None,
    progress: ProgressCallback | None,
) -> Iterator[SourceRow]:
    wanted = [(name, columns[name]) for name in FACILITY_COLUMNS if name in columns]
    read = 0
    for read, (number, record) in enumerate(records, 1):
        if progress is not None and read % _PROGRESS_EVERY == 0:
            progress(read, total)
        values = {
            name: cell_text(record[position]) if position < len(record) else ""
            for name, position in wanted
        }
        # Spreadsheets often end with formatted but empty rows: they are not facilities.
        if any(values.values()):
            yield SourceRow(number=number, values=values)
    if progress is not None:
        progress(total or read, total or read)


def _reference_entries(
    records: Iterable[Sequence[object]], columns: dict[str, int]
) -> list[ReferenceEntry]:
    def text(record: Sequence[object], name: str) -> str:
        position = columns.get(name)
        return (
            cell_text(record[position]) if position is not None and position < len(record) else ""
        )

    entries = []
    for record in records:
        code = text(record, "service_code").upper()
        category = text(record, "category_code").upper()
        if not code or not category:
            continue
        entries.append(
            ReferenceEntry(
                category_code=category,
                category_name=text(record, "category_name") or category,
                code=code,
                name=text(record, "service_name") or code,
                description=text(record, "service_description"),
            )
        )
    return entries
