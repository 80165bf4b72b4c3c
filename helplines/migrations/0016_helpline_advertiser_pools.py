from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("helplines", "0015_advertiser_pauses")]

    operations = [
        migrations.AddField(
            model_name="helpline",
            name="advertisers",
            field=models.ManyToManyField(
                blank=True,
                help_text="A general line only: the advertisers that answer it, e.g. only providers with detox for a detox line. None chosen: every advertiser shares it. Published with each one's share on the “Where do calls go?” page.",
                related_name="helplines",
                to="helplines.advertiser",
                verbose_name="answered by",
            ),
        ),
    ]
