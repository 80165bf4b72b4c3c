from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from helplines.services.retention import purge_callbacks


class Command(BaseCommand):
    help = (
        "Delete callback requests older than CALLBACK_RETENTION_DAYS, whatever their status, "
        "keeping only how many each advertiser was given and marked called back per day. "
        "Safe to run from cron as often as you like: each run deletes what has expired since "
        "the last, and two runs at once delete each request once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        now = timezone.now()
        days = settings.CALLBACK_RETENTION_DAYS
        # What the public statistics count of them is kept in a daily tally first.
        count = purge_callbacks(now=now, dry_run=dry_run)
        noun = "callback request" if count == 1 else "callback requests"
        verb = "Would delete" if dry_run else "Deleted"
        period = "1 day" if days == 1 else f"{days} days"
        self.stdout.write(f"{verb} {count} {noun} made more than {period} ago.")
