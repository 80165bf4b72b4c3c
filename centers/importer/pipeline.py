"""Import one SAMHSA directory file: read and check it whole, then write it in one transaction.

All or nothing per file: reading and checking happen before anything is written, and every
write of a file (its code reference, its centers, their links, batch after batch) happens
inside one ``transaction.atomic()``. A refused file or a failure half-way leaves the database
as it was.

Rows are read one at a time and checked as they come; what is kept of the file until it is
written is one small ``Facility`` per center (about 1.5 KB), never the rows themselves.
"""

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from centers.models import Center

from .codes import CodeBook, TermIndex, load_reference
from .editions import Edition, latest_editions
from .loader import BATCH_SIZE, lock_imports, stored_centers, write_centers
from .reader import DirectoryFile, ImportRefused, NotADirectory, read_directory
from .records import Facility, ParsedRows, RowProblem, parse_rows
from .report import ImportReport

ProgressCallback = Callable[[str, int, int | None], None]


def _silent(phase: str, done: int, total: int | None) -> None:
    pass


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import builds millions of small sets, dicts and tuples, all freed by reference
    counting; the cyclic collector would rescan them again and again (2 to 6 s of a 12 s
    import of the 2022 file). It runs again as soon as the import is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(slots=True)
class PreparedFile:
    """A file read and checked, not yet written."""

    source: DirectoryFile
    edition: Edition
    parsed: ParsedRows
    seconds: float


def prepare_file(
    path: Path, *, edition: str | None = None, progress: ProgressCallback = _silent
) -> PreparedFile:
    """Read ``path`` and check every row; touches no database.

    ``edition`` (``su-2022``) defaults to what the file name says. Raises ``ImportRefused``.
    """
    started = time.perf_counter()
    try:
        chosen = Edition.parse(edition) if edition else Edition.detect(path)
    except ValueError as error:
        raise ImportRefused(f"{path.name}: {error}") from None
    with _cyclic_gc_paused():
        source = read_directory(path, progress=lambda done, total: progress("reading", done, total))
        parsed = parse_rows(source.rows, has_coordinates=source.has_coordinates)
    if not parsed.rows:
        # An empty edition would mark every center "not in the latest directory".
        raise NotADirectory(f"{path.name} has the directory's columns but no facility rows")
    return PreparedFile(source, chosen, parsed, time.perf_counter() - started)


def import_prepared(
    prepared: PreparedFile,
    *,
    dry_run: bool = False,
    progress: ProgressCallback = _silent,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Write a prepared file, ``batch_size`` centers at a time, all in one transaction.

    Raises ``ImportRefused`` (nothing written) for an old edition.
    """
    started = time.perf_counter()
    source, edition, parsed = prepared.source, prepared.edition, prepared.parsed
    report = ImportReport(
        file_name=source.path.name,
        edition=edition.label,
        dry_run=dry_run,
        rows=parsed.rows,
        skipped=list(parsed.skipped),
        warnings=list(parsed.warnings),
        duplicate_rows=parsed.duplicate_rows,
        duplicate_keys=parsed.duplicate_keys,
    )
    with _cyclic_gc_paused(), transaction.atomic():
        lock_imports()
        stored = stored_centers()
        latest = latest_editions({label for center in stored.values() for label in center.editions})
        newest = latest.get(edition.directory)
        if newest is not None and edition.year < newest.year:
            # Writing it would overwrite newer details with older ones.
            raise ImportRefused(
                f"{source.path.name}: edition {edition} is older than {newest}, which is already "
                "imported. Import editions oldest first."
            )
        latest[edition.directory] = edition
        report.reference = load_reference(source.reference)
        book = CodeBook.from_database()
        report.warnings += _unknown_codes(parsed.facilities, book)
        write_centers(
            facilities=parsed.facilities,
            stored=stored,
            edition=edition,
            latest=latest,
            book=book,
            terms=TermIndex(),
            report=report,
            progress=progress,
            batch_size=batch_size,
        )
        if dry_run:
            transaction.set_rollback(True)
        # The deferred foreign-key checks of everything written run now.
        progress("committing", 0, None)
    if not dry_run:
        progress("analyzing", 0, None)
        _refresh_statistics()
    _count_coordinates(parsed.facilities, report)
    report.seconds = prepared.seconds + time.perf_counter() - started
    return report


def import_file(
    path: Path,
    *,
    edition: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback = _silent,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Read, check and import one file. Raises ``ImportRefused``; then nothing is written."""
    prepared = prepare_file(path, edition=edition, progress=progress)
    return import_prepared(prepared, dry_run=dry_run, progress=progress, batch_size=batch_size)


def _refresh_statistics() -> None:
    """Let PostgreSQL plan listing queries for the new row counts straight away.

    After a first import its statistics still describe empty tables until autovacuum gets
    round to them (never, where autovacuum is off), and the listing's facet counts run several
    times slower on such plans.
    """
    if connection.vendor != "postgresql":
        return
    tables = [Center._meta.db_table] + [
        field.remote_field.through._meta.db_table for field in Center._meta.many_to_many
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _unknown_codes(facilities: list[Facility], book: CodeBook) -> list[RowProblem]:
    """One warning per row that lists codes neither the file's reference nor ours defines.

    The codes stay in the center's ``samhsa_codes`` (and in exports); they become services as
    soon as an imported reference defines them.
    """
    by_row: dict[int, list[str]] = {}
    for facility in facilities:
        for code in set(facility.codes).difference(book.service_ids):
            by_row.setdefault(facility.first_row_listing(code), []).append(code)
    return [
        RowProblem(row, "unknown code", f"{', '.join(sorted(codes))} (kept, not shown)")
        for row, codes in sorted(by_row.items())
    ]


def _count_coordinates(facilities: list[Facility], report: ImportReport) -> None:
    for facility in facilities:
        if facility.coordinates_from == "file":
            report.coordinates_from_file += 1
        elif facility.coordinates_from == "zip":
            report.coordinates_from_zip += 1
        else:
            report.coordinates_missing.append(facility.rows[0])
