"""Trigram indexes so the listing's word search (``matching_words``) stops scanning every row.

``icontains`` compiles to ``UPPER(column::text) LIKE UPPER('%word%')`` on PostgreSQL, which
pg_trgm's GIN operator class can answer from an index on that same expression. PostgreSQL only:
SQLite (the demo) keeps its plain scan, and the model's state does not change, so these indexes
live in this migration rather than in ``Center.Meta``.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

COLUMNS = ("name", "secondary_name", "city")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS center_{column}_trgm_idx ON centers_center "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS center_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0005_fill_center_hsds_uuid"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
