from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from helplines.services.retention import purge_call_detail


class Command(BaseCommand):
    help = (
        "Delete the detail of calls older than CALL_DETAIL_RETENTION_DAYS (the caller hash, "
        "Twilio's call ids, the times of day and the lengths), keeping what the call "
        "statistics count. Safe to run from cron as often as you like: each call is purged "
        "once, and two runs at once never wait on or undo each other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        days = settings.CALL_DETAIL_RETENTION_DAYS
        count = purge_call_detail(now=timezone.now(), dry_run=dry_run)
        noun = "call" if count == 1 else "calls"
        verb = "Would purge" if dry_run else "Purged"
        period = "1 day" if days == 1 else f"{days} days"
        self.stdout.write(f"{verb} the detail of {count} {noun} made more than {period} ago.")
