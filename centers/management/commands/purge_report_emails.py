from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from centers.models import ProblemReport


class Command(BaseCommand):
    help = (
        "Erase the reporter's email from problem reports made more than "
        "REPORT_EMAIL_RETENTION_DAYS ago that still hold one (still open, or their outcome "
        "email failed). The reports themselves stay. Safe to run from cron, e.g. daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; erase nothing."
        )

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        days = settings.REPORT_EMAIL_RETENTION_DAYS
        holding = ProblemReport.objects.holding_old_emails(timezone.now(), days)
        # One UPDATE: a concurrent run, or an editor closing a report meanwhile, finds the
        # address already gone (resolve_problem_report reads it under a row lock).
        count = holding.count() if dry_run else holding.update(reporter_email="")
        noun = "reporter's email" if count == 1 else "reporters' emails"
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {count} {noun} from reports made more than {days} days ago.")
