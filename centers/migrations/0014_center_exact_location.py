"""Whether a center's coordinates are its own or its ZIP code's centre (``exact_location``).

Every center already stored gets False, "approximate": the importers so far filled in the ZIP's
centre for every row without coordinates and did not record which rows had them; the next
import of a file with coordinates marks its centers exact. SQLite adds the column by
rebuilding the centers table, which drops its catalog-version triggers: the last step puts
them back, as in 0008 (PostgreSQL's ALTER TABLE keeps them).
"""

from importlib import import_module

from django.db import migrations, models

_TRACKING = import_module("centers.migrations.0007_track_catalog_changes")


restore_catalog_triggers = _TRACKING.restore_triggers_on_sqlite


class Migration(migrations.Migration):

    dependencies = [
        ("centers", "0013_rejected_replaces_dismissed"),
    ]

    operations = [
        # Last when unapplied, after the column is dropped (another rebuild on SQLite).
        migrations.RunPython(migrations.RunPython.noop, restore_catalog_triggers, elidable=False),
        migrations.AddField(
            model_name="center",
            name="exact_location",
            field=models.BooleanField(
                default=False,
                help_text="The coordinates are the center's own (from the source or an editor), "
                "not the centre of its ZIP code.",
            ),
        ),
        migrations.RunPython(restore_catalog_triggers, migrations.RunPython.noop, elidable=False),
    ]
