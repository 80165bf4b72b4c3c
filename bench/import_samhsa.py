"""Benchmark: a SAMHSA file into a fresh PostgreSQL database, then the same file again.

    .venv/bin/python bench/import_samhsa.py [--file PATH | --rows N] [--database-url URL]

It drops and re-creates the benchmark database (default ``dir_import_bench`` on the local
server), migrates it, and imports the file twice, each import in a child process of its own, so
that the child's peak resident memory (``ru_maxrss``, from ``os.wait4``) is the import's and
nothing else's. It prints each import's time and peak memory beside the goal of issue 11:
100,000 rows within 60 s and 600 MB on this 2-core machine. The re-import must write nothing.

``--rows N`` builds a file of N rows first: the rows of the shared 2022 file over and over, each
pass with its own names (so its own identities), phones in the fictional 555-01XX range and
coordinates moved by up to about a mile from the ZIP centroid (so the file has
latitude/longitude columns, as some published copies do). Rows SAMHSA repeats within the file
stay repeated in every pass, so duplicates still merge, across batch boundaries too. The file is
kept in ``--work-dir`` and reused by later runs with the same N.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared/data/samhsa/national-directory-su-facilities-2022.xlsx"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dir_import_bench"
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "samhsa-import-bench"
# Issue 11's goal for one import of 100,000 rows on this 2-core machine.
GOAL_SECONDS = 60
GOAL_MEGABYTES = 600
# Largest move of a generated row's coordinates from its ZIP centroid, in degrees (a mile).
JITTER_DEGREES = 0.015
# Bumped when the generated rows change, so an older file in --work-dir is not reused.
GENERATOR_VERSION = 1
PHONE_COLUMNS = ("phone", "intake1", "intake2", "intake1a", "intake2a")


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def generate_file(source: Path, rows: int, work_dir: Path) -> Path:
    """A directory file of ``rows`` facility rows made from ``source`` (see the module doc)."""
    import openpyxl
    import zipcodes

    # The name says the edition, as SAMHSA's do, so the importer detects it (su-2022).
    path = work_dir / f"national-directory-su-facilities-2022-bench{GENERATOR_VERSION}-{rows}.xlsx"
    if path.is_file():
        print(f"reusing {path}")
        return path
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    facilities, reference = workbook.worksheets[0], workbook.worksheets[1]
    table = [list(record) for record in facilities.iter_rows(values_only=True)]
    reference_rows = [list(record) for record in reference.iter_rows(values_only=True)]
    workbook.close()
    header, body = [str(name).strip().lower() for name in table[0]], table[1:]
    name_at, zip_at = header.index("name1"), header.index("zip")
    phone_at = [header.index(name) for name in PHONE_COLUMNS if name in header]

    centroids: dict[str, tuple[float, float] | None] = {}

    def centroid(raw: object) -> tuple[float, float] | None:
        code = str(raw or "").strip().zfill(5)[:5]
        if code not in centroids:
            found = [
                (float(entry["lat"]), float(entry["long"]))
                for entry in zipcodes.matching(code)
                if entry["lat"] and entry["long"]
            ]
            centroids[code] = found[0] if found else None
        return centroids[code]

    chance = random.Random(rows)
    out = openpyxl.Workbook(write_only=True)
    sheet = out.create_sheet("Facilities List")
    sheet.append([*header, "latitude", "longitude"])
    for number in range(rows):
        copy, record = divmod(number, len(body))
        row = list(body[record])
        if copy:
            row[name_at] = f"{row[name_at]} site {copy + 1}"
        for at in phone_at:
            digits = "".join(c for c in str(row[at] or "") if c.isdigit())
            # The area code is kept, so phones parse as varied as the real file's.
            if len(digits) >= 10:
                row[at] = f"{digits[-10:-7]}-555-01{chance.randrange(100):02d}"
        point = centroid(row[zip_at])
        if point is None:
            row += [None, None]
        else:
            row += [
                round(point[0] + chance.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
                round(point[1] + chance.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
            ]
        sheet.append(row)
    codes = out.create_sheet("Service Code Reference")
    for record in reference_rows:
        codes.append(record)
    out.save(path)
    print(f"generated {path} ({rows:,} rows) in {time.perf_counter() - started:.1f} s")
    return path


class PhaseClock:
    """Records when each phase of the import starts, from the importer's progress calls."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        # Batches are reported as they are written: one mark for them all.
        self.marks.setdefault(phase, time.perf_counter() - self.started)

    def lines(self, total: float) -> list[str]:
        marks = sorted(self.marks.items(), key=lambda item: item[1])
        ends = [at for _, at in marks[1:]] + [total]
        return [
            f"    {label:<22}{end - at:6.2f} s"
            for (label, at), end in zip(marks, ends, strict=True)
        ]


def child(path: Path, phases: bool) -> None:
    """One import, in this process; prints its figures as one JSON line."""
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from centers.importer import import_file
    from centers.importer.loader import RELATIONS
    from centers.models import Center

    clock = PhaseClock()
    started = time.perf_counter()
    report = import_file(path, progress=clock)
    seconds = time.perf_counter() - started
    links = sum(
        Center._meta.get_field(name).remote_field.through.objects.count() for name in RELATIONS
    )
    figures = {
        "seconds": seconds,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "merged duplicates": report.duplicate_rows,
        "skipped": len(report.skipped),
        "warnings": len(report.warnings),
        "no coordinates": len(report.coordinates_missing),
        "centers": Center.objects.count(),
        "links": links,
        "phases": clock.lines(seconds) if phases else [],
    }
    print(json.dumps(figures))


def measured_import(path: Path, url: str, phases: bool) -> tuple[dict, float, float]:
    """(the child's figures, its wall time in s, its peak RSS in MB)."""
    command = [sys.executable, __file__, "--child", str(path)] + (["--phases"] if phases else [])
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, env={**os.environ, "DATABASE_URL": url}
    )
    assert process.stdout is not None
    output = process.stdout.read()
    # wait4 gives this child's own rusage: its peak RSS, not that of any earlier child.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"the import failed (exit status {process.returncode})")
    return json.loads(output.decode().splitlines()[-1]), wall, usage.ru_maxrss / 1024


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument(
        "--rows", type=int, help="Build a file of this many rows from --file and import it."
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--phases", action="store_true", help="Also time each phase.")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.phases)
        return
    if not options.file.is_file():
        sys.exit(f"No file at {options.file}: pass --file")
    if options.rows is not None and options.rows < 1:
        sys.exit("--rows must be at least 1")

    path = options.file
    if options.rows:
        path = generate_file(options.file, options.rows, options.work_dir)
    recreate_database(options.database_url)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        check=True,
        env={
            **os.environ,
            "DATABASE_URL": options.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
        },
    )
    database = options.database_url.rsplit("/", 1)[1]
    print(f"{path.name} into {database} ({os.cpu_count()} CPUs, {load()})")
    results = {}
    for run in ("full import", "re-import"):
        figures, wall, megabytes = measured_import(path, options.database_url, options.phases)
        results[run] = (figures["seconds"], megabytes)
        print(
            f"  {run:<12}{figures['seconds']:7.2f} s (process {wall:.2f} s)  "
            f"peak RSS {megabytes:6.0f} MB  {figures['rows'] / figures['seconds']:7,.0f} rows/s  "
            f"({load()})"
        )
        print(
            f"    rows {figures['rows']:,}: created {figures['created']:,}, "
            f"updated {figures['updated']:,}, unchanged {figures['unchanged']:,}, "
            f"merged duplicates {figures['merged duplicates']:,}, "
            f"skipped {figures['skipped']:,}, warnings {figures['warnings']:,}, "
            f"no coordinates {figures['no coordinates']:,}"
        )
        if figures["phases"]:
            print("\n".join(figures["phases"]))
    print(f"  {figures['centers']:,} centers, {figures['links']:,} links to services and terms")
    for run, (seconds, megabytes) in results.items():
        verdict = "met" if seconds <= GOAL_SECONDS and megabytes <= GOAL_MEGABYTES else "NOT met"
        print(
            f"  {run}: {seconds:.1f} s, {megabytes:.0f} MB; goal <= {GOAL_SECONDS} s and "
            f"<= {GOAL_MEGABYTES} MB per import of 100,000 rows: {verdict}"
        )


if __name__ == "__main__":
    main()
