from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import phones


class CallbackRequestQuerySet(models.QuerySet):
    def expired(self, now: datetime | None = None) -> "CallbackRequestQuerySet":
        """Requests made more than ``settings.CALLBACK_RETENTION_DAYS`` ago, whatever their
        status: they hold a phone number, so they are deleted rather than archived."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.CALLBACK_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff)

    def in_queue_order(self) -> "CallbackRequestQuerySet":
        """New requests first, then called, then closed; the oldest first within each."""
        return self.annotate(
            queue_position=Case(
                When(status=CallbackRequest.Status.NEW, then=Value(0)),
                When(status=CallbackRequest.Status.CALLED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("queue_position", "created_at", "pk")

    def mark_called(self, now: datetime | None = None) -> int:
        """Mark the new requests among these as called back; returns how many changed."""
        return self.filter(status=CallbackRequest.Status.NEW).update(
            status=CallbackRequest.Status.CALLED, called_at=now or timezone.now()
        )

    def close(self, now: datetime | None = None) -> int:
        """Close those not closed yet; returns how many changed."""
        return self.exclude(status=CallbackRequest.Status.CLOSED).update(
            status=CallbackRequest.Status.CLOSED, closed_at=now or timezone.now()
        )


class CallbackRequest(models.Model):
    """A visitor's request to be called back, by one center or by one paid advertiser.

    It holds the one thing the directory otherwise never keeps: a phone number in the clear,
    because someone has to dial it. So it holds nothing else about the person (no diagnosis,
    substance, insurance or date of birth), only staff with the ``handle_callbackrequest``
    permission can see it, ``__str__`` leaves the number out (the admin's history and messages
    print it), and ``purge_callbacks`` deletes it after ``settings.CALLBACK_RETENTION_DAYS``.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        CALLED = "called", "Called back"
        CLOSED = "closed", "Closed"

    class BestTime(models.TextChoices):
        # The visitor's own local time; the form says so.
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning (8 a.m. to noon)")
        AFTERNOON = "afternoon", _("Afternoon (noon to 5 p.m.)")
        EVENING = "evening", _("Evening (5 p.m. to 8 p.m.)")

    # Exactly one of the two is set: the center whose page the request came from, or the paid
    # advertiser the rotation assigned a site-wide request to. PROTECT: people waiting for a
    # call must be dealt with before the one who is to call them can be deleted.
    center = models.ForeignKey(
        "centers.Center",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="callback_requests",
        help_text="The center asked to call, from its own page.",
    )
    advertiser = models.ForeignKey(
        "Advertiser",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="callback_requests",
        help_text="The paid advertiser the rotation assigned a site-wide request to.",
    )
    first_name = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=40, help_text="As the visitor gave it, normalised.")
    best_time = models.CharField(max_length=10, choices=BestTime, default=BestTime.ANY)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of the page the request was sent from: call back in it.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    called_at = models.DateTimeField("called back at", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CallbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # One permission instead of Django's four: seeing a request means seeing a phone
        # number, so whoever may see requests is also the one who handles them.
        default_permissions = ()
        permissions = [("handle_callbackrequest", "Can see and handle callback requests")]
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False, advertiser__isnull=True)
                | Q(center__isnull=True, advertiser__isnull=False),
                name="callback_request_one_assignee",
            ),
            models.CheckConstraint(
                condition=~Q(status="called") | Q(called_at__isnull=False),
                name="callback_request_called_at_set",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="callback_request_closed_at_set",
            ),
        ]
        indexes = [
            # The admin's queue, filtered by status, newest or oldest first.
            models.Index(fields=["status", "created_at"], name="callback_status_created_idx"),
            # purge_callbacks deletes by age.
            models.Index(fields=["created_at"], name="callback_created_idx"),
            # Daily caps count an advertiser's requests since its local midnight.
            models.Index(fields=["advertiser", "created_at"], name="callback_advertiser_idx"),
        ]

    def __str__(self) -> str:
        # Never the phone number or the name: this text is written to the admin's history.
        return f"Callback request {self.pk}" if self.pk else "New callback request"

    @property
    def phone_display(self) -> str:
        return phones.display(self.phone)

    def assignee_name(self) -> str:
        """Who is to call, in words. Uses the related rows: select them first."""
        if self.advertiser_id:
            return self.advertiser.name
        return self.center.name if self.center_id else ""

    def stamp_status(self, now: datetime | None = None) -> None:
        """Record when the request reached its current status, if not recorded yet.

        For a status set in a form; ``mark_called`` and ``close`` on the queryset do the same
        for many requests in one UPDATE.
        """
        now = now or timezone.now()
        if self.status == self.Status.CALLED and self.called_at is None:
            self.called_at = now
        elif self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = now


class CallbackTally(models.Model):
    """How many callback requests an advertiser was given on a day, and how many it marked
    called back: what the public statistics still count once ``purge_callbacks`` has deleted
    the requests themselves (with their phone numbers)."""

    advertiser = models.ForeignKey("Advertiser", models.CASCADE, related_name="callback_tallies")
    # The site's day (settings.TIME_ZONE) the requests were made, as the statistics count.
    day = models.DateField()
    requested = models.PositiveIntegerField(default=0)
    called_back = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "advertiser_id"]
        constraints = [
            models.UniqueConstraint(fields=["advertiser", "day"], name="callback_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"Callbacks of advertiser {self.advertiser_id} on {self.day}"
