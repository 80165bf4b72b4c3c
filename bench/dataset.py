"""National-scale data sets for the benchmarks, built once per database on the local server.

    from bench import dataset
    url = dataset.database_url("18k")   # or "12k", "100k"
    dataset.prepare(url)                # before django.setup(): sets DATABASE_URL
    django.setup()
    dataset.build(scale="18k")          # migrate; import and generate only if still empty

"12k" is the shared 2022 SU file as imported (11,940 centers). "18k" adds about 6,000 generated
centers standing in for the MH directory's facilities, so the total is that of both SAMHSA
directories (about 18,000); "100k" goes on to 100,000 centers, for headroom.

A generated center is a copy of an imported one with its own name, slug, samhsa_key and
hsds_uuid, placed at another imported center's location in the same state (so in the same
state) moved by up to about a mile, with every term link of its source copied. The copies are
written by SQL, ``INSERT ... SELECT`` from the imported rows and their link tables in one
transaction: a few seconds for 18k, where importing generated files would take minutes.
Generated rows are recognised by their ``samhsa_key`` prefix, so a later build adds only what
is missing. Their ``hsds_uuid`` is an md5 of that key, not the importer's uuid5 of identity:
unique, which is all a benchmark needs.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMHSA_FILE = ROOT.parent / "shared/data/samhsa/national-directory-su-facilities-2022.xlsx"
SERVER = "postgres://postgres@127.0.0.1:5432"
# How many centers each scale has; None keeps the import as it is.
SCALES: dict[str, int | None] = {"12k": None, "18k": 18_000, "100k": 100_000}
DATABASES = {"12k": "dir_listing_bench", "18k": "dir_bench_h2_18k", "100k": "dir_bench_h2_100k"}
GENERATED_PREFIX = "bench-mh:"
# Largest move of a generated center from the location it borrows, in degrees (about a mile).
JITTER_DEGREES = 0.015


def database_url(scale: str) -> str:
    return f"{SERVER}/{DATABASES[scale]}"


def ensure_database(url: str) -> None:
    """Create the database at ``url`` when the server has none of that name."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(url: str) -> None:
    """Create the database if needed and point Django at it; call before ``django.setup()``."""
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def build(*, scale: str, samhsa_file: Path = SAMHSA_FILE) -> int:
    """Migrate, import the SU file into an empty database, and generate up to ``scale``.

    Returns the number of centers. Does nothing costly when the data set is already there.
    """
    from django.core.management import call_command

    from centers.models import Center

    call_command("migrate", verbosity=0)
    if not Center.objects.exists():
        if not samhsa_file.exists():
            sys.exit(f"No centers in the database and no SAMHSA file at {samhsa_file}")
        print(f"Importing {samhsa_file.name} first...", flush=True)
        call_command("import_samhsa", str(samhsa_file), verbosity=0)
    target = SCALES[scale]
    total = Center.objects.count()
    if target is not None and total < target:
        started = time.perf_counter()
        added = generate(target - total)
        print(f"Generated {added:,} centers in {time.perf_counter() - started:.1f} s", flush=True)
        total += added
        vacuum()
    return total


def vacuum() -> None:
    """What autovacuum would soon do to a table this fresh: the visibility map (without it a
    count over an index reads every row, 60 ms instead of 16 at 100,000) and the statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def generate(count: int) -> int:
    """Add ``count`` copies of the imported centers, with their links, in one transaction."""
    from django.db import connection, transaction

    from centers.models import Center

    table = Center._meta.db_table
    copied = [
        field.column
        for field in Center._meta.concrete_fields
        if field.column
        not in {
            "id", "name", "slug", "samhsa_key", "hsds_uuid", "samhsa_editions", "samhsa_codes",
            "city", "zip_code", "latitude", "longitude", "created_at", "updated_at",
        }
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.11)")  # the same jitter on every build
        # One row per new center: its id, its source (spread evenly over the imported rows by
        # a hash, not by import order) and the imported center whose place it borrows, the
        # source's neighbour some way along the same state's list.
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE bench_copy ON COMMIT DROP AS
            WITH source AS (
                SELECT id, state,
                       row_number() OVER (ORDER BY md5(id::text)) AS n,
                       row_number() OVER (PARTITION BY state ORDER BY id) - 1 AS in_state,
                       count(*) OVER (PARTITION BY state) AS state_size
                FROM {table} WHERE samhsa_key NOT LIKE %(prefix)s
            ),
            copy AS (
                SELECT s.*, round_no, (round_no - 1) * (SELECT count(*) FROM source) + s.n AS k
                FROM source s
                CROSS JOIN generate_series(1, %(count)s / (SELECT count(*) FROM source) + 1)
                    AS round_no
            )
            SELECT c.id AS source_id, c.round_no, c.k,
                   (SELECT coalesce(max(id), 0) FROM {table}) + c.k AS new_id,
                   place.id AS place_id
            FROM copy c
            JOIN source place ON place.state = c.state
                AND place.in_state = (c.in_state + c.round_no * 7 + c.k) %% c.state_size
            WHERE c.k <= %(count)s
            """,
            {"prefix": GENERATED_PREFIX + "%", "count": count},
        )
        columns = ", ".join(copied)
        source_columns = ", ".join(f"s.{column}" for column in copied)
        cursor.execute(
            f"""
            INSERT INTO {table} (id, name, slug, samhsa_key, hsds_uuid, samhsa_editions,
                                 samhsa_codes, city, zip_code, latitude, longitude,
                                 created_at, updated_at, {columns})
            SELECT m.new_id,
                   left(s.name, 180) || ' Mental Health ' || m.k,
                   left(s.slug, 200) || '-mh-' || m.new_id,
                   %(prefix)s || m.new_id,
                   md5(%(prefix)s || m.new_id)::uuid,
                   '["mh-2022"]'::jsonb,
                   jsonb_build_object('mh', coalesce(s.samhsa_codes -> 'su', '[]'::jsonb)),
                   place.city, place.zip_code,
                   place.latitude + (random() - 0.5) * 2 * %(jitter)s,
                   place.longitude + (random() - 0.5) * 2 * %(jitter)s,
                   now(), now(), {source_columns}
            FROM bench_copy m
            JOIN {table} s ON s.id = m.source_id
            JOIN {table} place ON place.id = m.place_id
            """,
            {"prefix": GENERATED_PREFIX, "jitter": JITTER_DEGREES},
        )
        added = cursor.rowcount
        for field in Center._meta.many_to_many:
            through = field.remote_field.through
            own = through._meta.get_field(field.m2m_field_name()).column
            term = through._meta.get_field(field.m2m_reverse_field_name()).column
            cursor.execute(
                f"""
                INSERT INTO {through._meta.db_table} ({own}, {term})
                SELECT m.new_id, link.{term}
                FROM bench_copy m JOIN {through._meta.db_table} link ON link.{own} = m.source_id
                """
            )
        # The ids were given explicitly: move the identity on past them.
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return added
