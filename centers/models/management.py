"""Who keeps a listing true besides our editors: the center's own managers, every change they
or the editors make, and where SAMHSA's newer files now disagree with what they set."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .center import Center

# Fields a manager changes at once: what patients ask about, which only the center knows.
PUBLISHED_AT_ONCE = (
    "website",
    "description",
    "insurance_notes",
    "intake_hours",
    "intake_phone",
    "intake_phone_2",
    "availability",
    "wait_days",
)
# Fields that say which place this is. A wrong one sends a family elsewhere, and the main phone
# is what a claim is proven by: an editor approves each change first.
IDENTITY_FIELDS = (
    "name",
    "secondary_name",
    "street",
    "street2",
    "city",
    "state",
    "zip_code",
    "phone",
)


class CenterManagerQuerySet(models.QuerySet):
    def active(self) -> "CenterManagerQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def emails_for(self, center: Center) -> list[str]:
        """The addresses of ``center``'s current managers (one query)."""
        return list(
            self.active()
            .filter(center=center)
            .exclude(user__email="")
            .order_by("user__email")
            .values_list("user__email", flat=True)
            .distinct()
        )


class CenterManager(models.Model):
    """A person allowed to keep one center's listing up to date.

    One person may manage several centers and a center have several managers. Editors revoke
    a manager in the admin; the row stays, so that the listing's history still says who
    changed what.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="managed_centers"
    )
    center = models.ForeignKey(Center, models.CASCADE, related_name="managers")
    role = models.CharField("role at the center", max_length=100, blank=True)
    # The language the person claimed in: their emails are written in it.
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CenterManagerQuerySet.as_manager()

    class Meta:
        verbose_name = "center manager"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "center"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_manager_per_user_and_center",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} manages {self.center}"


class ListingChangeQuerySet(models.QuerySet):
    def applied(self) -> "ListingChangeQuerySet":
        return self.filter(state__in=[ListingChange.State.PUBLISHED, ListingChange.State.APPROVED])

    def pending(self) -> "ListingChangeQuerySet":
        return self.filter(state=ListingChange.State.PENDING)

    def fields_set_by_people(self, center_ids: list[int]) -> dict[int, set[str]]:
        """{center id: fields a manager or an editor has set}, which an import must keep."""
        fields: dict[int, set[str]] = {}
        rows = self.applied().filter(center_id__in=center_ids).values_list("center_id", "field")
        for center_id, field in rows.distinct():
            fields.setdefault(center_id, set()).add(field)
        return fields


class ListingChange(models.Model):
    """One field of a listing changed by a manager or an editor: who, when, before and after.

    Our own model rather than django-simple-history: that keeps a whole copy of the row on each
    ``save()``, while we need one field at a time, a change that waits for an editor before it
    touches the listing, and a record the importer can ask "did a person set this field?".
    """

    class Source(models.TextChoices):
        MANAGER = "manager", _("The center")
        EDITOR = "editor", _("Our editors")

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for an editor")
        APPROVED = "approved", _("Approved by an editor")
        REFUSED = "refused", _("Refused by an editor")

    center = models.ForeignKey(Center, models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source)
    state = models.CharField(max_length=10, choices=State)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ListingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["center", "field"], name="change_center_field_idx"),
            models.Index(fields=["state", "-created_at"], name="change_state_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.center}: {self.field_label}"

    @property
    def field_label(self) -> str:
        return str(Center._meta.get_field(self.field).verbose_name)


class SamhsaDifferenceQuerySet(models.QuerySet):
    def open(self) -> "SamhsaDifferenceQuerySet":
        return self.filter(resolved_at__isnull=True)


class SamhsaDifference(models.Model):
    """A field a person set that a later SAMHSA file gives differently. The import keeps the
    person's value and leaves this for an editor to resolve."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="samhsa_differences")
    field = models.CharField(max_length=40)
    samhsa_value = models.TextField(blank=True)
    listing_value = models.TextField(blank=True)
    # The edition that first gave this value ("su-2024").
    since_edition = models.CharField(max_length=20)
    noticed_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    took_samhsa_value = models.BooleanField(null=True, blank=True)

    objects = SamhsaDifferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-noticed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "field"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_samhsa_difference_per_field",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        year = self.since_edition.rsplit("-", 1)[-1]
        label = Center._meta.get_field(self.field).verbose_name
        return f"SAMHSA lists a different {label} since {year}"
