from django.db import migrations


def load(apps, schema_editor):
    from centers.vocabulary import sync_vocabulary

    sync_vocabulary(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_catalog")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
