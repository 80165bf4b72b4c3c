from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdvertiserPauseQuerySet(models.QuerySet):
    def in_force(self, when: datetime | None = None) -> "AdvertiserPauseQuerySet":
        """Pauses under way at ``when``."""
        when = when or timezone.now()
        return self.filter(started_at__lte=when, ends_at__gt=when)

    def overlapping(self, start: datetime, end: datetime) -> "AdvertiserPauseQuerySet":
        """Pauses that were in force at some moment of ``[start, end)``."""
        return self.filter(started_at__lt=end, ends_at__gt=start)


class AdvertiserPause(models.Model):
    """A period in which routing skipped an advertiser because it stopped taking calls.

    Started by the router (``helplines.services.pauses``) under the advertiser's row lock,
    mirrored in ``Advertiser.paused_until``; ends by itself at ``ends_at``, or earlier when an
    admin lifts it (``ended_early``). Kept as the public record the statistics page shows.
    """

    class Reason(models.TextChoices):
        MISSED_IN_A_ROW = "missed-in-a-row", _("Missed calls in a row")
        LOW_ACCEPTANCE = "low-acceptance", _("Few calls accepted in the last hour")

    advertiser = models.ForeignKey("Advertiser", models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=Reason)
    # The figures that triggered the pause, kept as they were then.
    missed = models.PositiveIntegerField(help_text="Calls missed in a row at the time.")
    offered_last_hour = models.PositiveIntegerField()
    accepted_last_hour = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    ended_early = models.BooleanField(
        default=False, help_text="An admin lifted the pause before its cool-off period ended."
    )

    objects = AdvertiserPauseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("started_at")), name="pause_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["advertiser", "-started_at"], name="pause_advertiser_idx")]

    def __str__(self) -> str:
        return f"Pause of advertiser {self.advertiser_id} from {self.started_at:%Y-%m-%d %H:%M}"

    def is_in_force(self, when: datetime | None = None) -> bool:
        when = when or timezone.now()
        return self.started_at <= when < self.ends_at
