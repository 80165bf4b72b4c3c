"""Benchmark: the full SAMHSA file into a fresh PostgreSQL database, then the same file again.

    .venv/bin/python bench/import_samhsa.py [--file PATH] [--database-url URL]

It drops and re-creates the benchmark database (default ``dir_import_bench`` on the local
server), migrates it, and prints the figures the importer is held to: a full import within
20 s on a 2-core machine, and a re-import with no changes faster than that.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared/data/samhsa/national-directory-su-facilities-2022.xlsx"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dir_import_bench"


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class PhaseClock:
    """Records when each phase of the import starts, from the importer's progress calls."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        label = f"writing step {done}/{total}" if phase == "writing" else phase
        self.marks.setdefault(label, time.perf_counter() - self.started)

    def lines(self, total: float) -> list[str]:
        marks = sorted(self.marks.items(), key=lambda item: item[1])
        ends = [at for _, at in marks[1:]] + [total]
        return [
            f"    {label:<22}{end - at:6.2f} s"
            for (label, at), end in zip(marks, ends, strict=True)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--phases", action="store_true", help="Also time each phase.")
    options = parser.parse_args()
    if not options.file.is_file():
        sys.exit(f"No file at {options.file}: pass --file")

    recreate_database(options.database_url)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from centers.importer import import_file
    from centers.importer.loader import RELATIONS
    from centers.models import Center

    call_command("migrate", verbosity=0)
    print(f"{options.file.name} into {connection.settings_dict['NAME']} ({os.cpu_count()} CPUs)")
    runs = {}
    for run in ("full import", "re-import"):
        clock = PhaseClock()
        started = time.perf_counter()
        report = import_file(options.file, progress=clock)
        seconds = time.perf_counter() - started
        runs[run] = seconds
        print(
            f"  {run:<12}{seconds:7.2f} s  {report.rows / seconds:7,.0f} rows/s  "
            f"created {report.created:,}, updated {report.updated:,}, "
            f"unchanged {report.unchanged:,}, merged duplicates {report.duplicate_rows:,}, "
            f"skipped {len(report.skipped):,}, no coordinates {len(report.coordinates_missing):,}"
        )
        if options.phases:
            print("\n".join(clock.lines(seconds)))
    links = sum(
        Center._meta.get_field(name).remote_field.through.objects.count() for name in RELATIONS
    )
    print(f"  {Center.objects.count():,} centers, {links:,} links to services and terms")
    verdict = "within" if runs["full import"] <= 20 else "OVER"
    print(f"  full import {verdict} the 20 s budget; re-import {runs['re-import']:.2f} s")


if __name__ == "__main__":
    main()
