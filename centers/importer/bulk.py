"""Bulk inserts: hundreds of thousands of rows in seconds.

On PostgreSQL rows are streamed with COPY. Django's ``bulk_create`` is correct but spends most
of its time escaping values into arrays (about 2.5 s for the 11,940 centers of 2022, against
0.3 s for COPY), so centers are copied too, with ids drawn from their sequence first, and
without building a model instance per row. Other databases use ``bulk_create`` and
``executemany``.

Each row of a link table also costs four index insertions and two foreign-key checks, fired
one by one at commit: for the 1.1 million links of the first 2022 import, about 25 s on a
2-core machine. So when a load more than doubles a link table (the first import into an empty
directory, in practice), the table's keys and indexes are dropped before the first batch is
copied and rebuilt after the last from their own definitions, as ``pg_restore`` does; building
an index or checking a key once over the whole table is several times cheaper.

The price: dropping a foreign key locks the table it points to (``centers_center`` too), so
until that import commits, pages that read centers wait. Later imports, which change a small
share of the links, never take that path. When the locks are not granted within a few seconds
(a long report is reading) or the database user may not alter the tables, rows are loaded with
the keys and indexes in place: slower, never wrong.
"""

from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction
from django.db.models import Model

# Below this many rows, rebuilding a table's indexes and keys costs more than it saves.
REBUILD_THRESHOLD = 10_000
# Centers whose links go to PostgreSQL in one piece of a COPY.
_COPY_CENTERS = 500
# Field types whose Python values psycopg writes as they are: no Django conversion per value.
_PLAIN_TYPES = {
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "FloatField",
    "IntegerField",
    "SlugField",
    "TextField",
    "URLField",
    "UUIDField",
}


def insert_rows(model: type[Model], rows: list[dict[str, object]]) -> list[int]:
    """COPY new rows of ``model`` into PostgreSQL; return their ids, in order.

    Each row gives values by attname; every row names the same fields. A field the rows leave
    out gets what a new instance would get (its default), the same for every row: so a field
    derived per row in ``pre_save`` (``Center.hsds_uuid``) must be given. Ids are drawn from
    the table's sequence first.
    """
    if not rows:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    given = rows[0].keys()
    template = model()
    constants = {
        field.attname: field.get_db_prep_save(field.pre_save(template, add=True), connection)
        for field in fields
        if field.attname not in given
    }
    converters = [
        (field.attname, None if field.get_internal_type() in _PLAIN_TYPES else field)
        for field in fields
        if field.attname in given
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(rows)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        names = [meta.pk.attname, *constants, *(name for name, _ in converters)]
        columns = ", ".join(quote(meta.get_field(name).column) for name in names)
        fixed = list(constants.values())
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(pks, rows, strict=True):
                copy.write_row(
                    [
                        pk,
                        *fixed,
                        *(
                            row[name]
                            if field is None
                            else field.get_db_prep_save(row[name], connection)
                            for name, field in converters
                        ),
                    ]
                )
    return pks


def delete_links(
    through: type[Model], source: str, target: str, links: dict[int, set[int]]
) -> None:
    """Delete the rows (center id, target id) of ``links`` from the link table ``through``."""
    if not links:
        return
    if connection.vendor != "postgresql":
        source_field = through._meta.get_field(source.removesuffix("_id"))
        target_field = through._meta.get_field(target.removesuffix("_id"))
        for center, targets in links.items():
            through.objects.filter(
                **{source_field.attname: center, f"{target_field.attname}__in": list(targets)}
            ).delete()
        return
    quote = connection.ops.quote_name
    centers = [center for center, targets in links.items() for _ in targets]
    ends = [target_id for targets in links.values() for target_id in targets]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(through._meta.db_table)} "
            f"WHERE ({quote(source)}, {quote(target)}) IN "
            "(SELECT * FROM unnest(%s::bigint[], %s::bigint[]))",
            [centers, ends],
        )


def insert_links(
    through: type[Model], source: str, target: str, links: dict[int, Iterable[int]]
) -> None:
    """Insert a row (center id, target id) into the link table ``through`` for each link."""
    if not links:
        return
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    columns = f"{quote(source)}, {quote(target)}"
    if connection.vendor != "postgresql":
        pairs = [(center, target_id) for center, targets in links.items() for target_id in targets]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", pairs)
        return
    # COPY's text format, a center's links joined in C: ``write_row`` per link costs about
    # 1.5 us, 14 s for the 9 million links of 100,000 centers. Written a few hundred centers
    # at a time, so that PostgreSQL stores one part while the next is formatted.
    centers = list(links.items())
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, len(centers), _COPY_CENTERS):
            copy.write(
                "".join(
                    [
                        f"{center}\t" + f"\n{center}\t".join(map(str, targets)) + "\n"
                        for center, targets in centers[start : start + _COPY_CENTERS]
                        if targets
                    ]
                )
            )


def start_bulk_load(model: type[Model], *, expected_rows: int, keys: bool = True) -> list[str]:
    """Before loading about ``expected_rows`` rows into ``model``'s table: when that would more
    than double it, drop its indexes, and its keys too unless ``keys`` is false, and return
    the statements that rebuild them (for ``finish_bulk_load``); else, or when that is not
    possible right now, drop nothing and return ``[]``.

    Centers keep their keys (``keys=False``): the link tables' foreign keys point at them.
    Their other indexes, trigram indexes above all, cost more updated row by row than rebuilt
    (6.4 s against 2.8 s for 98,000 centers).
    """
    if connection.vendor != "postgresql" or expected_rows < REBUILD_THRESHOLD:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Counted only as far as it matters: a table of millions is not read to the end.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS head", [expected_rows]
        )
        (rows_in_table,) = cursor.fetchone()
    if rows_in_table >= expected_rows:
        return []
    return _drop_keys_and_indexes(model._meta.db_table, keys=keys)


def finish_bulk_load(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _drop_keys_and_indexes(table: str, *, keys: bool) -> list[str]:
    """Drop the indexes of ``table``, and with ``keys`` its constraints; return the statements
    that re-create them exactly, names included.

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
            constraints = cursor.fetchall() if keys else []
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
