from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .center import Center


class ProblemReportQuerySet(models.QuerySet):
    def open(self) -> "ProblemReportQuerySet":
        """Reports an editor has not closed yet: new, or confirmed and waiting for a fix."""
        return self.filter(status__in=ProblemReport.OPEN_STATUSES)

    def closed(self) -> "ProblemReportQuerySet":
        return self.filter(status__in=ProblemReport.CLOSED_STATUSES)

    def holding_old_emails(self, now: datetime, days: int) -> "ProblemReportQuerySet":
        """Reports made more than ``days`` before ``now`` that still hold a reporter's email
        (never closed, or the outcome email failed)."""
        return self.filter(created_at__lt=now - timedelta(days=days)).exclude(reporter_email="")


class ProblemReport(models.Model):
    """A visitor's note that a listing is wrong. Stale listings are what people complain about
    most in every treatment locator, so each report lands in an admin queue, and the editors
    are emailed (``centers.services.file_problem_report``)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The center has closed")
        DISCONNECTED = "disconnected", _("The phone number is disconnected or out of service")
        PHONE = "phone", _("The phone number is wrong")
        ADDRESS = "address", _("The address is wrong")
        SERVICES = "services", _("The services or payment listed are wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONFIRMED = "confirmed", "Confirmed, not yet fixed"
        FIXED = "fixed", "Fixed"
        REJECTED = "rejected", "Rejected"

    OPEN_STATUSES = (Status.NEW, Status.CONFIRMED)
    # An outcome the reporter is told about, if they left an email.
    CLOSED_STATUSES = (Status.FIXED, Status.REJECTED)

    center = models.ForeignKey(Center, models.CASCADE, related_name="problem_reports")
    kind = models.CharField("what is wrong", max_length=12, choices=Kind)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    resolution_note = models.TextField(
        max_length=2000,
        blank=True,
        help_text="What was done. Sent to the reporter with the outcome, if they asked to hear.",
    )
    # Kept only until the reporter has been told the outcome, then erased: we store no more
    # about a visitor than the one message they asked for.
    reporter_email = models.EmailField(
        "reporter's email",
        blank=True,
        help_text="Erased once the reporter has been told the outcome.",
    )
    # The language the report was written in: the outcome email is written in it too.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    reporter_told_at = models.DateTimeField(
        "reporter told at", null=True, blank=True, editable=False
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.center}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
