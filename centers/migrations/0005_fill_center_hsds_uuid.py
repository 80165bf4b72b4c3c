"""Give every existing center its public id, so the API finds any center with one indexed query.

A frozen copy of ``centers.api.identity.identity_uuid``: the namespace and the formula are fixed
for good, and a migration must not change when the code does.
"""

import uuid

from django.db import migrations

NAMESPACE = uuid.UUID("6f1d8c1e-2b0e-5c43-9a57-3f2a4d0b8e61")
BATCH = 2000


def fill_public_ids(apps, schema_editor):
    Center = apps.get_model("centers", "Center")
    pending = Center.objects.filter(hsds_uuid__isnull=True).only("pk", "samhsa_key", "slug")
    batch = []
    for center in pending.iterator(chunk_size=BATCH):
        identity = f"samhsa:{center.samhsa_key}" if center.samhsa_key else f"slug:{center.slug}"
        center.hsds_uuid = uuid.uuid5(NAMESPACE, f"center:{identity}")
        batch.append(center)
        if len(batch) == BATCH:
            Center.objects.bulk_update(batch, ["hsds_uuid"])
            batch = []
    Center.objects.bulk_update(batch, ["hsds_uuid"])


class Migration(migrations.Migration):

    dependencies = [
        ("centers", "0004_center_hsds_uuid"),
    ]

    operations = [
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
    ]
