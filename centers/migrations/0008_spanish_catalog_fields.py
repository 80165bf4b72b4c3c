"""A Spanish column beside each English one of the catalog's words (``name_es``...).

SQLite adds these columns by rebuilding each table, which drops the table's triggers: the last
step puts back the catalog-version triggers of 0007 (PostgreSQL's ALTER TABLE keeps them);
the first step does the same when the migration is unapplied.
"""

from importlib import import_module

from django.db import migrations, models

_TRACKING = import_module("centers.migrations.0007_track_catalog_changes")


restore_catalog_triggers = _TRACKING.restore_triggers_on_sqlite


class Migration(migrations.Migration):

    dependencies = [
        ('centers', '0007_track_catalog_changes'),
    ]

    operations = [
        # Last when unapplied, after the columns are dropped (another rebuild on SQLite).
        migrations.RunPython(migrations.RunPython.noop, restore_catalog_triggers, elidable=False),
        migrations.AddField(
            model_name='accreditation',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='accreditation',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='accreditation',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='caresetting',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='caresetting',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='caresetting',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='caresetting',
            name='what_to_expect_es',
            field=models.TextField(blank=True, verbose_name='what to expect, in Spanish'),
        ),
        migrations.AddField(
            model_name='caresetting',
            name='who_it_suits_es',
            field=models.TextField(blank=True, verbose_name='who it suits, in Spanish'),
        ),
        migrations.AddField(
            model_name='language',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='language',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='language',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='medication',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='medication',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='medication',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='paymentoption',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='paymentoption',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='paymentoption',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='population',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='population',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='population',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='service',
            name='name_es',
            field=models.CharField(blank=True, help_text='Shown on Spanish pages; the English name is shown while this is blank.', max_length=300, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='servicecategory',
            name='name_es',
            field=models.CharField(blank=True, help_text='Shown on Spanish pages; the English name is shown while this is blank.', max_length=200, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='therapytype',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description in Spanish'),
        ),
        migrations.AddField(
            model_name='therapytype',
            name='name_es',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in Spanish'),
        ),
        migrations.AddField(
            model_name='therapytype',
            name='summary_es',
            field=models.CharField(blank=True, max_length=200, verbose_name='summary in Spanish'),
        ),
        migrations.AddField(
            model_name='therapytype',
            name='what_to_expect_es',
            field=models.TextField(blank=True, verbose_name='what to expect, in Spanish'),
        ),
        migrations.AddField(
            model_name='therapytype',
            name='who_it_suits_es',
            field=models.TextField(blank=True, verbose_name='who it suits, in Spanish'),
        ),
            migrations.RunPython(restore_catalog_triggers, migrations.RunPython.noop, elidable=False),
    ]
