"""Problem reports an editor dismissed are now "rejected", the status the reporter is told."""

from django.db import migrations


def dismissed_to_rejected(apps, schema_editor):
    ProblemReport = apps.get_model("centers", "ProblemReport")
    ProblemReport.objects.filter(status="dismissed").update(status="rejected")


def rejected_to_dismissed(apps, schema_editor):
    """Back to the old statuses and kinds, none of the newer values left behind."""
    ProblemReport = apps.get_model("centers", "ProblemReport")
    ProblemReport.objects.filter(status="rejected").update(status="dismissed")
    ProblemReport.objects.filter(status="confirmed").update(status="new")
    ProblemReport.objects.filter(kind="disconnected").update(kind="phone")


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0012_problem_report_outcomes"),
    ]

    operations = [
        migrations.RunPython(dismissed_to_rejected, rejected_to_dismissed),
    ]
