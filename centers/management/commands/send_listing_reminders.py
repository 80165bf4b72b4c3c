from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from centers.portal.services import send_monthly_reminders


class Command(BaseCommand):
    help = (
        "Emails every center manager, once a month, asking them to confirm their listings are "
        "still accurate or to update them. Safe to run daily from cron: a manager already "
        "reminded this month is skipped."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.SITE_URL:
            raise CommandError("Set SITE_URL (https://your-host): the emails need links.")
        sent, skipped = send_monthly_reminders(
            today=timezone.localdate(), base_url=settings.SITE_URL
        )
        self.stdout.write(f"Reminders sent: {sent}; already reminded this month: {skipped}.")
