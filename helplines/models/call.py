import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory import phones

# What Twilio puts in ``From`` when the caller withheld their number. Hashing these would give
# every anonymous caller the same "identity", so they are kept as no hash at all.
WITHHELD_CALLER_IDS = frozenset(
    {"+266696687", "+7378742833", "+86282452253", "+8656696", "anonymous", "restricted"}
)


def hash_caller(number: str) -> str:
    """The caller's number as hex HMAC-SHA256 under ``settings.CALLER_HASH_KEY``.

    The raw number is never stored or logged: the keyed hash is enough to spot a repeat caller
    or honour a "do not call me back" request, and cannot be reversed by trying every US number
    without the key. Normalised first, so one phone always gives one hash. ``''`` when the
    number is withheld or not a phone number.
    """
    text = (number or "").strip()
    if text.lower() in WITHHELD_CALLER_IDS:
        return ""
    try:
        stored = phones.normalise(text)
    except phones.InvalidPhoneNumber:
        return ""
    if not stored:
        return ""
    if not settings.CALLER_HASH_KEY:
        # An empty key would turn the hash into a plain digest anyone can reverse.
        raise ImproperlyConfigured("CALLER_HASH_KEY (or SECRET_KEY) must be set to hash callers")
    key = settings.CALLER_HASH_KEY.encode()
    return hmac.new(key, stored.encode(), hashlib.sha256).hexdigest()


class AnsweredBy(models.TextChoices):
    ADVERTISER = "advertiser", "Paid advertiser"
    CENTER = "center", "The center itself"
    FALLBACK = "fallback", "Fallback line"


class CallQuerySet(models.QuerySet):
    def for_log(self) -> "CallQuerySet":
        """What the admin call log shows per row, in one query whatever the page size."""
        return self.select_related("helpline", "answered_advertiser", "answered_center").annotate(
            attempt_count=models.Count("attempts")
        )


class Call(models.Model):
    """One inbound call to a helpline, or one tap on a helpline number on the site."""

    class Source(models.TextChoices):
        VOICE = "voice", "Phone call"
        WEB = "web", "Web click"

    class Status(models.TextChoices):
        # A web click only says someone tapped the number; their phone call, if they made it,
        # is recorded separately when it reaches us.
        CLICKED = "clicked", "Clicked on the site"
        IN_PROGRESS = "in-progress", "In progress"
        COMPLETED = "completed", "Completed"
        BUSY = "busy", "Busy"
        NO_ANSWER = "no-answer", "No answer"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    FINAL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})

    helpline = models.ForeignKey(
        "Helpline",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        help_text="Blank when the number called is not one of our helplines.",
    )
    to_number = models.CharField("number called", max_length=64, blank=True)
    call_sid = models.CharField(
        "Twilio CallSid", max_length=64, blank=True, help_text="Blank for web clicks."
    )
    caller_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="HMAC-SHA256 of the caller's number; the number itself is never kept.",
    )
    source = models.CharField(max_length=5, choices=Source, default=Source.VOICE)
    status = models.CharField(max_length=12, choices=Status, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds, as reported by Twilio."
    )
    answered_by = models.CharField(max_length=10, choices=AnsweredBy, blank=True)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language the caller heard: the line's, or Spanish if they pressed 2. "
        "General calls in Spanish ring only advertisers that answer in Spanish.",
    )
    answered_advertiser = models.ForeignKey(
        "Advertiser", models.PROTECT, null=True, blank=True, related_name="answered_calls"
    )
    answered_center = models.ForeignKey(
        "centers.Center", models.PROTECT, null=True, blank=True, related_name="answered_calls"
    )
    # purge_calls removes a call's detail after CALL_DETAIL_RETENTION_DAYS: the caller hash,
    # Twilio's call ids, the times of day (each becomes its day's midnight) and the lengths.
    # What the statistics count stays.
    detail_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One row per Twilio call, however often Twilio retries the incoming webhook.
            models.UniqueConstraint(
                fields=["call_sid"], condition=~Q(call_sid=""), name="call_sid_unique"
            ),
            models.CheckConstraint(
                condition=Q(answered_advertiser__isnull=True) | Q(answered_by="advertiser"),
                name="call_answered_advertiser_consistent",
            ),
            models.CheckConstraint(
                condition=Q(answered_center__isnull=True) | Q(answered_by="center"),
                name="call_answered_center_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["-started_at"], name="call_started_idx"),
            models.Index(fields=["helpline", "-started_at"], name="call_helpline_started_idx"),
            models.Index(fields=["caller_hash"], name="call_caller_hash_idx"),
        ]

    def __str__(self) -> str:
        return self.call_sid or f"Web click {self.pk}"

    @property
    def is_over(self) -> bool:
        return self.ended_at is not None

    def answered_by_name(self) -> str:
        """Who answered, in words. Uses the related rows: select them (``for_log``)."""
        if self.answered_by == AnsweredBy.ADVERTISER and self.answered_advertiser:
            return self.answered_advertiser.name
        if self.answered_by == AnsweredBy.CENTER and self.answered_center:
            return self.answered_center.name
        if self.answered_by == AnsweredBy.FALLBACK:
            return "Fallback line"
        return ""


def announcement_choices() -> list[tuple[str, str]]:
    """The announcements of ``services.Announcement``; called lazily, so that the enum (which
    lives beside the code that chooses it) can grow without a migration."""
    from helplines.services.calls import Announcement

    return [(item.value, item.value.replace("-", " ").capitalize()) for item in Announcement]


class CallAttempt(models.Model):
    """One destination dialed for a call, in order. The outcome is Twilio's ``DialCallStatus``."""

    class Destination(models.TextChoices):
        ADVERTISER = "advertiser", "Paid advertiser"
        CENTER = "center", "Center"
        FALLBACK = "fallback", "Fallback line"

    class Outcome(models.TextChoices):
        # Blank while ringing or connected: Twilio reports the outcome when the leg ends.
        PENDING = "", "No result yet"
        COMPLETED = "completed", "Answered"
        BUSY = "busy", "Busy"
        NO_ANSWER = "no-answer", "No answer"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled (caller hung up)"
        # An advertiser's phone was picked up but nobody pressed 1 to take the call (a
        # voicemail, a wrong key, no key): Twilio says "completed", we say not accepted.
        DECLINED = "declined", "Picked up, not accepted"

    # Outcomes after which the caller is still on the line and waiting for the next destination.
    UNANSWERED = frozenset({Outcome.BUSY, Outcome.NO_ANSWER, Outcome.FAILED, Outcome.DECLINED})

    call = models.ForeignKey(Call, models.CASCADE, related_name="attempts")
    order = models.PositiveSmallIntegerField()
    destination = models.CharField(max_length=10, choices=Destination)
    advertiser = models.ForeignKey(
        "Advertiser", models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    center = models.ForeignKey(
        "centers.Center", models.PROTECT, null=True, blank=True, related_name="call_attempts"
    )
    number = models.CharField(
        "number dialed", max_length=40, help_text="As dialed then; the advertiser may change it."
    )
    # What the caller was told just before this dial, kept so that a retried webhook replays
    # exactly the same words, and as a record that the caller heard the disclosure.
    announcement = models.CharField(max_length=30, choices=announcement_choices)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    # The outcome was inferred when the call ended without this attempt's Dial result; the
    # result, if it comes after all, replaces it.
    outcome_inferred = models.BooleanField(default=False)
    duration = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds connected, as reported by Twilio."
    )
    dial_call_sid = models.CharField("Twilio DialCallSid", max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    # When the person dialed picked up (Twilio fetched the whisper for them); blank while the
    # attempt rings, and for the fallback line, which gets no whisper.
    connected_at = models.DateTimeField(null=True, blank=True)
    # Set by the Dial result, or by the end of the call if that result has not come: an
    # attempt without an end is ringing or connected, and counts against the concurrent cap
    # (for a few minutes if it never connected, see helplines.services.routing).
    ended_at = models.DateTimeField(null=True, blank=True)
    # An advertiser's call is answered only when a person presses 1 after the whisper (the
    # Gather action for this leg, matched by its CallSid): a voicemail never does.
    accepted_at = models.DateTimeField("accepted by a person at", null=True, blank=True)
    # Seconds from the start of the attempt (the caller being told whom they are put through
    # to) to the key press. A figure, not a time of day: purge_calls keeps it.
    answer_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["call_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="call_attempt_order_unique"),
            models.CheckConstraint(
                condition=Q(destination="advertiser", advertiser__isnull=False, center__isnull=True)
                | Q(destination="center", advertiser__isnull=True, center__isnull=False)
                | Q(destination="fallback", advertiser__isnull=True, center__isnull=True),
                name="call_attempt_destination_consistent",
            ),
        ]
        indexes = [
            # Daily caps count an advertiser's attempts since its local midnight.
            models.Index(
                fields=["advertiser", "started_at"], name="attempt_advertiser_started_idx"
            ),
            # Concurrent caps count the few attempts still ringing or connected.
            models.Index(
                fields=["advertiser", "started_at"],
                condition=Q(ended_at__isnull=True),
                name="attempt_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.order} of {self.call}"

    @property
    def is_answered(self) -> bool:
        return self.outcome == self.Outcome.COMPLETED

    @property
    def is_unanswered(self) -> bool:
        return self.outcome in self.UNANSWERED

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def destination_name(self) -> str:
        """Who was dialed, in words. Uses the related rows: select them first."""
        if self.advertiser_id:
            return self.advertiser.name
        if self.center_id:
            return self.center.name
        return "Fallback line"
