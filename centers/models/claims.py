"""Claims of a listing by someone at the center, proven by a call to the listing's own phone,
and the monthly reminders sent to the people who manage listings."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .center import Center
from .management import CenterManager

CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5
CALLS_PER_DAY = 3


class ClaimQuerySet(models.QuerySet):
    def calls_today(self, center_id: int) -> int:
        """Calls placed (or being placed) to the center's phone in the last 24 hours."""
        return (
            self.filter(center_id=center_id, created_at__gte=timezone.now() - timedelta(days=1))
            .exclude(status=Claim.Status.CALL_FAILED)
            .count()
        )

    def waiting_for_editor(self) -> "ClaimQuerySet":
        return self.filter(status=Claim.Status.REVIEW)


class Claim(models.Model):
    """Someone's request to manage a center's listing.

    The proof is a six-digit code read out by a call to the phone already on the listing:
    whoever answers there is the center. Only a keyed hash of the code is kept.
    """

    class Status(models.TextChoices):
        CALLING = "calling", "Calling the listing's phone"
        AWAITING_CODE = "awaiting_code", "Waiting for the code"
        CALL_FAILED = "call_failed", "The call could not be placed"
        LOCKED = "locked", "Too many wrong codes"
        VERIFIED = "verified", "Verified: manager added"
        REVIEW = "review", "Verified: waiting for an editor"
        APPROVED = "approved", "Approved by an editor: manager added"
        REFUSED = "refused", "Refused by an editor"

    class Review(models.TextChoices):
        NONE = "", "None needed"
        PAID = "paid", "The listing is a paid advertiser's"
        MANAGED = "managed", "The listing already has a manager"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    center = models.ForeignKey(Center, models.CASCADE, related_name="claims")
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=150)
    role = models.CharField(max_length=100)
    language = models.CharField(max_length=8, default="en")
    phone_called = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.CALLING)
    review_reason = models.CharField(max_length=10, choices=Review, blank=True, default="")
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    call_sid = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    manager = models.ForeignKey(
        CenterManager, models.SET_NULL, null=True, blank=True, related_name="claims"
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["center", "-created_at"], name="claim_center_created_idx"),
            models.Index(fields=["status", "-created_at"], name="claim_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.center}"

    def new_code(self) -> str:
        """A fresh six-digit code: its hash is kept and the code itself returned, once."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        self.code_hash = self._hash(code)
        self.code_expires_at = timezone.now() + CODE_LIFETIME
        self.attempts = 0
        return code

    def code_matches(self, code: str) -> bool:
        return bool(self.code_hash) and constant_time_compare(self._hash(code), self.code_hash)

    @property
    def code_expired(self) -> bool:
        return self.code_expires_at is None or timezone.now() >= self.code_expires_at

    @property
    def tries_left(self) -> int:
        return max(0, CODE_TRIES - self.attempts)

    def _hash(self, code: str) -> str:
        # Keyed by the site's secret and salted by the claim: a copy of the table alone does
        # not give the codes away, even with only a million of them.
        return salted_hmac(
            "portal.claim-code", f"{self.token}:{code}", algorithm="sha256"
        ).hexdigest()


class Reminder(models.Model):
    """The monthly "is your listing still right?" email, one per manager and month: a second
    run of the command in the same month sends nothing again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month it was sent for.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="one_reminder_per_month")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.month:%B %Y}"
