from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("helplines", "0013_helpline_spanish_label")]

    operations = [
        migrations.AddField(
            model_name="callattempt",
            name="accepted_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="accepted by a person at"
            ),
        ),
        migrations.AddField(
            model_name="callattempt",
            name="answer_seconds",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="callattempt",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No result yet"),
                    ("completed", "Answered"),
                    ("busy", "Busy"),
                    ("no-answer", "No answer"),
                    ("failed", "Failed"),
                    ("canceled", "Canceled (caller hung up)"),
                    ("declined", "Picked up, not accepted"),
                ],
                max_length=10,
            ),
        ),
    ]
