from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .center import Center


class ProblemReportQuerySet(models.QuerySet):
    def open(self) -> "ProblemReportQuerySet":
        return self.filter(status=ProblemReport.Status.NEW)


class ProblemReport(models.Model):
    """A visitor's note that a listing is wrong. Stale listings are what people complain about
    most in every treatment locator, so each report lands in an admin queue."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The center has closed")
        PHONE = "phone", _("The phone number is wrong")
        ADDRESS = "address", _("The address is wrong")
        SERVICES = "services", _("The services or payment listed are wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", "New"
        FIXED = "fixed", "Fixed"
        DISMISSED = "dismissed", "Dismissed"

    center = models.ForeignKey(Center, models.CASCADE, related_name="problem_reports")
    kind = models.CharField("what is wrong", max_length=10, choices=Kind)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.center}"
