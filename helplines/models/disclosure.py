from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery
from django.urls import reverse
from django.utils import timezone


class DisclosureQuerySet(models.QuerySet):
    def in_effect(self, when: datetime | None = None) -> "DisclosureQuerySet":
        """Versions published by ``when``, newest first: a scheduled version stays private."""
        return self.filter(effective_from__lte=when or timezone.now()).order_by(
            "-effective_from", "-version"
        )

    def current(self, when: datetime | None = None) -> "Disclosure | None":
        """The version in effect at ``when`` (one query)."""
        return self.in_effect(when).first()

    def with_is_current(self, when: datetime | None = None) -> "DisclosureQuerySet":
        """Annotate ``is_current``: the version in effect at ``when`` (a subquery, no N+1)."""
        current = Disclosure.objects.in_effect(when).values("pk")[:1]
        return self.annotate(
            is_current=ExpressionWrapper(Q(pk=Subquery(current)), output_field=BooleanField())
        )


class Disclosure(models.Model):
    """One version of the admin-written text on the "Where do calls go?" page.

    Versions are never edited in place: saving one in the admin publishes a new version (see
    ``helplines.services.publish_disclosure``), so what the page said on any date stays readable.
    """

    version = models.PositiveIntegerField(editable=False)
    body = models.TextField(
        help_text="Plain text; a blank line starts a new paragraph. Shown under the live list of "
        "advertisers and the routing rules, which the site writes itself."
    )
    # One version, one statement: its Spanish is part of the same version (same number, same
    # date in effect), so "the current version" never means two texts that disagree on when
    # they took effect. Blank until translated; the Spanish page then says so and shows the
    # English rather than an older version's Spanish.
    body_es = models.TextField(
        "body in Spanish",
        blank=True,
        help_text="The same statement in Spanish. Blank: the Spanish page says this version "
        "is not translated yet and shows the English text.",
    )
    change_note = models.CharField(
        max_length=200, blank=True, help_text="What changed, shown in the public history."
    )
    effective_from = models.DateTimeField(
        default=timezone.now, help_text="When this version replaces the previous one."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="disclosure_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("helplines:disclosure-version", args=[self.version])

    def body_in(self, language: str) -> str:
        """This version's text in ``language``, or ``""`` when it has none."""
        if language == "es":
            return self.body_es
        return self.body
