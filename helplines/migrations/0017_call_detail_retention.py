import django.db.models.deletion
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("helplines", "0016_helpline_advertiser_pools")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="detail_purged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="CallbackTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("requested", models.PositiveIntegerField(default=0)),
                ("called_back", models.PositiveIntegerField(default=0)),
                ("advertiser", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="callback_tallies", to="helplines.advertiser")),
            ],
            options={
                "ordering": ["-day", "advertiser_id"],
                "constraints": [models.UniqueConstraint(fields=("advertiser", "day"), name="callback_tally_unique")],
            },
        ),
    ]
