"""Bulk inserts: hundreds of thousands of rows in seconds.

On PostgreSQL rows are streamed with COPY. Django's ``bulk_create`` is correct but spends most
of its time escaping values into arrays (about 2.5 s for the 11,940 centers of 2022, against
0.3 s for COPY), so centers are copied too, with ids drawn from their sequence first. Other
databases use ``bulk_create`` and ``executemany``.

Each row of a link table also costs four index insertions and two foreign-key checks, fired
one by one at commit: for the 1.1 million links of the first 2022 import, about 25 s on a
2-core machine. So when a load more than doubles a link table (the first import into an empty
directory, in practice), the table's keys and indexes are dropped before the COPY and rebuilt
after it from their own definitions, as ``pg_restore`` does; building an index or checking a
key once over the whole table is several times cheaper.

The price: dropping a foreign key locks the table it points to (``centers_center`` too), so
until that import commits, pages that read centers wait. Later imports, which change a small
share of the links, never take that path. When the locks are not granted within a few seconds
(a long report is reading) or the database user may not alter the tables, rows are loaded with
the keys and indexes in place: slower, never wrong.
"""

from itertools import batched

from django.db import DatabaseError, connection, transaction
from django.db.models import Model

# Below this many rows, rebuilding a table's indexes and keys costs more than it saves.
REBUILD_THRESHOLD = 10_000
_BATCH = 1000


def insert_objects(objects: list[Model]) -> None:
    """Insert new model instances of one model and set their primary keys."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=_BATCH)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for instance in objects:
                # What bulk_create does per value: defaults, auto_now, then the database form.
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(instance, add=True), connection)
                        for field in fields
                    ]
                )
    for instance in objects:
        instance._state.adding = False
        instance._state.db = connection.alias


def delete_links(through: type[Model], ids: list[int]) -> None:
    # SQLite caps the parameters of one statement; PostgreSQL takes any list.
    size = connection.features.max_query_params or 50_000
    for batch in batched(ids, size):
        through.objects.filter(pk__in=batch).delete()


def insert_links(
    through: type[Model],
    source: str,
    target: str,
    pairs: list[tuple[int, int]],
    *,
    rows_in_table: int,
) -> None:
    """Insert (center id, target id) rows into the link table ``through``."""
    if not pairs:
        return
    quote = connection.ops.quote_name
    table = through._meta.db_table
    columns = f"{quote(source)}, {quote(target)}"
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES (%s, %s)", pairs)
        return
    rebuild: list[str] = []
    if len(pairs) >= REBUILD_THRESHOLD and len(pairs) > rows_in_table:
        rebuild = _drop_keys_and_indexes(table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pair in pairs:
                copy.write_row(pair)
        for statement in rebuild:
            cursor.execute(statement)


def _drop_keys_and_indexes(table: str) -> list[str]:
    """Drop the constraints and indexes of ``table``; return the statements that re-create
    them exactly, names included.

    Returns ``[]``, having dropped nothing, when that is not possible right now.
    """
    quoted = connection.ops.quote_name(table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Wait a little for the locks, never for long: falling back is only slower.
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            # PostgreSQL refuses to alter a table with deferred checks still pending (the new
            # service codes' categories, for one): run them now, then defer again below.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Primary key and unique constraints first when re-created, foreign keys last.
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') "
                "ORDER BY contype = 'f', conname",
                [quoted],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
                [quoted],
            )
            indexes = cursor.fetchall()
            for name, _ in reversed(constraints):
                cursor.execute(
                    f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except DatabaseError:
        return []
    return [
        f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        for name, definition in constraints
    ] + [definition for _, definition in indexes]
