"""The vocabulary a center is described with.

Two layers:

* ``ServiceCategory`` and ``Service`` mirror SAMHSA's service-code reference exactly (about 225
  codes in 2022, in categories such as "Treatment Approaches" or "Payment/Insurance/Funding
  Accepted"). The importer fills them from each edition's own reference sheet, so codes added or
  dropped between years need no code change, and every code a facility lists is kept.
* ``Term`` subclasses (therapies, care settings, medications, payment, populations, languages,
  accreditations) are the few concepts patients filter by, written in plain words. Each names
  the SAMHSA codes it stands for; the importer derives a center's terms from its codes.
"""

from django.db import models
from django.urls import reverse


class ServiceCategory(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0, help_text="Order in SAMHSA's reference.")

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """One SAMHSA service code, e.g. ``CBT`` in category ``TAP``."""

    code = models.CharField(max_length=16, unique=True)
    category = models.ForeignKey(ServiceCategory, models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in SAMHSA's reference.")

    class Meta:
        ordering = ["category__position", "position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TermQuerySet(models.QuerySet):
    def for_codes(self, codes: set[str]) -> list:
        """The terms any of ``codes`` stands for (evaluated in Python: terms are few)."""
        return [term for term in self if codes.intersection(term.samhsa_codes)]


class Term(models.Model):
    """A concept patients filter by, described in our own words."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    summary = models.CharField(
        max_length=200, blank=True, help_text="One line, shown beside the filter."
    )
    description = models.TextField(blank=True, help_text="Plain-language explanation.")
    samhsa_codes = models.JSONField(
        default=list,
        blank=True,
        help_text='SAMHSA service codes this stands for, e.g. ["CBT"]. Used by the importer.',
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class TherapyType(Term):
    what_to_expect = models.TextField(blank=True, help_text="What a session is like.")
    who_it_suits = models.TextField(blank=True)

    class Meta(Term.Meta):
        pass

    def get_absolute_url(self) -> str:
        return reverse("centers:therapy", args=[self.slug])


class CareSetting(Term):
    class Kind(models.TextChoices):
        # A 24-hour setting plus an outpatient one is a "combination": the patient can step down
        # from round-the-clock care to outpatient care without changing provider.
        TWENTY_FOUR_HOUR = "24-hour", "24-hour care"
        OUTPATIENT = "outpatient", "Outpatient care"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.OTHER)
    what_to_expect = models.TextField(blank=True, help_text="What a typical day looks like.")
    who_it_suits = models.TextField(blank=True)

    class Meta(Term.Meta):
        pass

    def get_absolute_url(self) -> str:
        return reverse("centers:care-setting", args=[self.slug])


class Medication(Term):
    class Meta(Term.Meta):
        pass


class PaymentOption(Term):
    class Meta(Term.Meta):
        pass


class Population(Term):
    class Meta(Term.Meta):
        pass


class Language(Term):
    class Meta(Term.Meta):
        pass


class Accreditation(Term):
    """A licence, certification or accreditation (state licence, CARF, Joint Commission...)."""

    class Meta(Term.Meta):
        pass
