"""A catalog version row, and the triggers that change its token on every catalog write.

The listing answers from an in-memory index of the catalog in each process
(``centers.catalog_index``), rebuilt when this token changes. Triggers rather than Django
signals, because the importer writes with COPY and bulk statements that send no signal, and a
missed change would leave a listing wrong until the next one.

The tables are those the listing's index reads: centers, the filterable term kinds and their
links to centers, as they stand in this migration (a frozen copy: a new filterable kind needs a
migration adding its two tables). The triggers insert the row if it is missing (a test run
flushes every table). PostgreSQL fires once per statement, so a COPY of 10,000 rows
costs one update; SQLite (the demo) has only per-row triggers.
"""

from django.db import migrations, models

# The Center relations the listing filters by, and their term models (see FACET_KINDS).
RELATIONS = (
    "therapies",
    "care_settings",
    "medications",
    "payment_options",
    "populations",
    "languages",
)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def watched_tables(apps) -> list[str]:
    center = apps.get_model("centers", "Center")
    tables = [center._meta.db_table]
    for relation in RELATIONS:
        field = center._meta.get_field(relation)
        tables += [field.remote_field.through._meta.db_table, field.related_model._meta.db_table]
    return tables


def create_triggers(apps, schema_editor):
    version = apps.get_model("centers", "CatalogVersion")
    version.objects.using(schema_editor.connection.alias).get_or_create(pk=1, defaults={"token": 1})
    table = version._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        # A random token: see CatalogVersion for why not a counter.
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION centers_touch_catalog_version() RETURNS trigger AS $$ "
            f"BEGIN INSERT INTO {table} (id, token) VALUES (1, (random() * 9e15)::bigint) "
            "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for watched in watched_tables(apps):
            schema_editor.execute(
                f"CREATE TRIGGER {watched}_catalog_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {watched} "
                "FOR EACH STATEMENT EXECUTE FUNCTION centers_touch_catalog_version()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for watched in watched_tables(apps):
            for event in SQLITE_EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {watched}_catalog_version_{event.lower()} "
                    f"AFTER {event} ON {watched} FOR EACH ROW "
                    f"BEGIN INSERT INTO {table} (id, token) VALUES (1, abs(random())) "
                    "ON CONFLICT (id) DO UPDATE SET token = excluded.token; END"
                )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for watched in watched_tables(apps):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {watched}_catalog_version ON {watched}")
        schema_editor.execute("DROP FUNCTION IF EXISTS centers_touch_catalog_version()")
    elif schema_editor.connection.vendor == "sqlite":
        for watched in watched_tables(apps):
            for event in SQLITE_EVENTS:
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {watched}_catalog_version_{event.lower()}"
                )


def restore_triggers_on_sqlite(apps, schema_editor):
    """For later migrations that add a column to a watched table: SQLite does so by rebuilding
    the table, which drops its triggers (PostgreSQL's ALTER TABLE keeps them)."""
    if schema_editor.connection.vendor == "sqlite":
        drop_triggers(apps, schema_editor)
        create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0006_index_center_words_by_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "catalog version",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
