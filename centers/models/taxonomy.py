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

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from centers import vocabulary
from directory.languages import Translated, address


class ServiceCategory(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    name_es = models.CharField(
        "name in Spanish",
        max_length=200,
        blank=True,
        help_text="Shown on Spanish pages; the English name is shown while this is blank.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order in SAMHSA's reference.")

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "service categories"

    local_name = Translated("name")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """One SAMHSA service code, e.g. ``CBT`` in category ``TAP``."""

    code = models.CharField(max_length=16, unique=True)
    category = models.ForeignKey(ServiceCategory, models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    name_es = models.CharField(
        "name in Spanish",
        max_length=300,
        blank=True,
        help_text="Shown on Spanish pages; the English name is shown while this is blank.",
    )
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in SAMHSA's reference.")

    class Meta:
        ordering = ["category__position", "position", "code"]

    local_name = Translated("name")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Term(models.Model):
    """A concept patients filter by, described in our own words."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    summary = models.CharField(
        max_length=200, blank=True, help_text="One line, shown beside the filter."
    )
    description = models.TextField(blank=True, help_text="Plain-language explanation.")
    # Spanish beside the English: Translated (below) shows the English while one is blank.
    name_es = models.CharField("name in Spanish", max_length=100, blank=True)
    summary_es = models.CharField("summary in Spanish", max_length=200, blank=True)
    description_es = models.TextField("description in Spanish", blank=True)
    samhsa_codes = models.JSONField(
        default=list,
        blank=True,
        help_text='SAMHSA service codes this stands for, e.g. ["CBT"]. Used by the importer.',
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    # In the language of the request (directory.languages.Translated): what templates show.
    local_name = Translated("name")
    local_summary = Translated("summary")
    local_description = Translated("description")

    def __str__(self) -> str:
        return self.name


class TherapyType(Term):
    what_to_expect = models.TextField(blank=True, help_text="What a session is like.")
    who_it_suits = models.TextField(blank=True)
    what_to_expect_es = models.TextField("what to expect, in Spanish", blank=True)
    who_it_suits_es = models.TextField("who it suits, in Spanish", blank=True)
    local_what_to_expect = Translated("what_to_expect")
    local_who_it_suits = Translated("who_it_suits")

    class Meta(Term.Meta):
        pass

    def get_absolute_url(self) -> str:
        return address("centers:therapy", self.slug)


class CareSetting(Term):
    class Kind(models.TextChoices):
        # A 24-hour setting plus an outpatient one is a "combination": the patient can step down
        # from round-the-clock care to outpatient care without changing provider.
        TWENTY_FOUR_HOUR = "24-hour", _("24-hour care")
        OUTPATIENT = "outpatient", _("Outpatient care")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.OTHER)
    what_to_expect = models.TextField(blank=True, help_text="What a typical day looks like.")
    who_it_suits = models.TextField(blank=True)
    what_to_expect_es = models.TextField("what to expect, in Spanish", blank=True)
    who_it_suits_es = models.TextField("who it suits, in Spanish", blank=True)
    local_what_to_expect = Translated("what_to_expect")
    local_who_it_suits = Translated("who_it_suits")

    class Meta(Term.Meta):
        pass

    def get_absolute_url(self) -> str:
        return address("centers:care-setting", self.slug)


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


@dataclass(frozen=True, slots=True)
class TermKind:
    """One kind of term: everything the catalog needs to know about it, in one place.

    The filters, the comparison table, the importer, the admin, the demo data and the test
    factories all derive their lists from ``TERM_KINDS``; adding a kind is one entry here, its
    model above, a ``Center`` relation and a migration.
    """

    relation: str  # the Center many-to-many field
    model: type[Term]
    plural: str  # row group label in the comparison table (lazily translated, as is label)
    vocabulary: list[dict[str, Any]]  # the terms the vocabulary migration starts with
    demo_category: tuple[str, str]  # (SAMHSA category code, name) the demo data files it under
    demo_draws: tuple[int, int]  # how many of these a demo center has: (fewest, most)
    compare_position: int  # order of its rows in the comparison table
    param: str = ""  # the listing's query parameter; blank when the listing does not filter
    label: str = ""  # the listing's filter group label
    match_all: bool = False  # must a center offer every selected value, or any one?
    # SAMHSA's categories that speak of the same thing: a center with none of our terms of this
    # kind but codes in these shows SAMHSA's words instead of "Not listed" on its page.
    samhsa_categories: tuple[str, ...] = ()


TERM_KINDS: tuple[TermKind, ...] = (
    TermKind(
        "therapies", TherapyType, _("Therapies"), vocabulary.THERAPIES,
        ("TAP", "Treatment Approaches"), (1, 5), 1, param="therapy", label=_("Therapy"),
        match_all=True, samhsa_categories=("TAP",),
    ),
    TermKind(
        "care_settings", CareSetting, _("Care settings"), vocabulary.CARE_SETTINGS,
        ("SET", "Service Setting"), (1, 3), 0, param="setting", label=_("Care setting"),
        samhsa_categories=("SET",),
    ),
    TermKind(
        "medications", Medication, _("Medications"), vocabulary.MEDICATIONS,
        ("PHR", "Pharmacotherapies"), (0, 3), 2, param="medication", label=_("Medication"),
        samhsa_categories=("OM", "OT", "PHR"),
    ),
    TermKind(
        "payment_options", PaymentOption, _("Payment accepted"), vocabulary.PAYMENT_OPTIONS,
        ("PAY", "Payment Accepted"), (1, 5), 3, param="payment", label=_("Payment accepted"),
        samhsa_categories=("PAY", "PYAS"),
    ),
    TermKind(
        "populations", Population, _("Who they serve"), vocabulary.POPULATIONS,
        ("SG", "Special Programs and Groups Offered"), (1, 4), 4, param="population",
        label=_("Serves"), samhsa_categories=("SG", "AGE", "GN", "EXCL"),
    ),
    TermKind(
        "languages", Language, _("Languages other than English"), vocabulary.LANGUAGES,
        ("SL", "Language Services"), (0, 2), 5, param="language", label=_("Language"),
        samhsa_categories=("SL", "OL"),
    ),
    TermKind(
        "accreditations", Accreditation, _("Licences and accreditation"), vocabulary.ACCREDITATIONS,
        ("LCA", "License, Certification or Accreditation"), (1, 2), 6,
        samhsa_categories=("LCA",),
    ),
)  # fmt: skip
# The kinds the listing filters by, in the order its filter groups appear.
FACET_KINDS: tuple[TermKind, ...] = tuple(kind for kind in TERM_KINDS if kind.param)
TERM_RELATIONS: tuple[str, ...] = tuple(kind.relation for kind in TERM_KINDS)
