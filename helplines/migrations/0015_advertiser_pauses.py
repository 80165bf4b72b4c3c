import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):
    dependencies = [("helplines", "0014_call_screening")]

    operations = [
        migrations.AddField(
            model_name="advertiser",
            name="paused_until",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Paused automatically for missed calls until then (see the pause records).",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="AdvertiserPause",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(choices=[("missed-in-a-row", "Missed calls in a row"), ("low-acceptance", "Few calls accepted in the last hour")], max_length=20)),
                ("missed", models.PositiveIntegerField(help_text="Calls missed in a row at the time.")),
                ("offered_last_hour", models.PositiveIntegerField()),
                ("accepted_last_hour", models.PositiveIntegerField()),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ends_at", models.DateTimeField()),
                ("ended_early", models.BooleanField(default=False, help_text="An admin lifted the pause before its cool-off period ended.")),
                ("advertiser", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="pauses", to="helplines.advertiser")),
            ],
            options={
                "ordering": ["-started_at", "-pk"],
                "indexes": [models.Index(fields=["advertiser", "-started_at"], name="pause_advertiser_idx")],
                "constraints": [models.CheckConstraint(condition=models.Q(("ends_at__gte", models.F("started_at"))), name="pause_ends_after_start")],
            },
        ),
    ]
