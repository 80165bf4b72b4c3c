from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory import phones
from directory.languages import Translated
from directory.statements import Statement, Statements, stand_in_text

if TYPE_CHECKING:
    from .advertiser import Advertiser


class HelplineQuerySet(models.QuerySet):
    def active(self) -> "HelplineQuerySet":
        return self.filter(active=True)

    def general(self) -> "HelplineQuerySet":
        return self.filter(kind=Helpline.Kind.GENERAL)

    def for_number(self, number: str) -> "Helpline | None":
        """The helpline whose public number is ``number`` (any format), active or not.

        Every call's first read: its statement is compiled once (``directory.statements``),
        so it reads from the whole table and refuses a filtered queryset.
        """
        if self.query.has_filters():
            raise TypeError("for_number() reads every helpline: call it on the manager")
        try:
            normalised = phones.normalise(number)
        except phones.InvalidPhoneNumber:
            return None
        using = self.db
        statement = _statements.get(("number", using), lambda: _compile_for_number(using))
        rows = statement.rows([normalised])  # one at most: numbers are unique
        return Helpline.from_db(using, _COLUMNS, rows[0]) if rows else None


class Helpline(models.Model):
    """A public number we answer through Twilio.

    A *general* helpline is shown on every page and is answered by paid advertisers in turn;
    a *center* helpline belongs to one listing and rings that center directly.
    """

    class Kind(models.TextChoices):
        GENERAL = "general", "General (answered by paid advertisers)"
        CENTER = "center", "One center's own line"

    label = models.CharField(max_length=60, help_text='Shown beside the number, e.g. "Detox".')
    label_es = models.CharField(
        "label in Spanish",
        max_length=60,
        blank=True,
        help_text='Shown on the Spanish pages, e.g. "Desintoxicación"; blank shows the label.',
    )
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in /helplines/call/<slug>/."
    )
    number = models.CharField(
        max_length=20,
        help_text="The Twilio number callers dial, e.g. +12025550123 or (202) 555-0123.",
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.GENERAL)
    center = models.ForeignKey(
        "centers.Center",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="helplines",
        help_text="Only for a center's own line: the center it rings.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Inactive lines are hidden on the site; calls to them go to the fallback line.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the site.")
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="What a general line's caller hears, and which advertisers it rings: a "
        "Spanish line rings only advertisers whose intake answers in Spanish. An English "
        "general line first offers Spanish (press 2). A center's own line is unchanged.",
    )
    advertisers = models.ManyToManyField(
        "Advertiser",
        blank=True,
        related_name="helplines",
        verbose_name="answered by",
        help_text="A general line only: the advertisers that answer it, e.g. only providers "
        "with detox for a detox line. None chosen: every advertiser shares it. Published with "
        "each one's share on the “Where do calls go?” page.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HelplineQuerySet.as_manager()

    # The label in the request's language (directory.languages.Translated).
    local_label = Translated("label")

    class Meta:
        ordering = ["position", "label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="helpline_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="general", center__isnull=True)
                | Q(kind="center", center__isnull=False),
                name="helpline_center_iff_center_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.number_display})"

    def clean(self) -> None:
        try:
            self.number = phones.normalise(self.number)
        except phones.InvalidPhoneNumber as error:
            raise ValidationError({"number": str(error)}) from None
        if ";ext=" in self.number:
            raise ValidationError({"number": "A helpline number cannot have an extension."})
        if self.kind == self.Kind.CENTER and self.center_id is None:
            raise ValidationError({"center": "A center's own line needs its center."})
        if self.kind == self.Kind.GENERAL and self.center_id is not None:
            raise ValidationError({"center": "A general helpline belongs to no center."})

    def shares(self, current: "Iterable[Advertiser]") -> list[tuple["Advertiser", int]]:
        """The advertisers among ``current`` that answer this line (in its pool, if it names
        one, and answering in its language), each with its share of the line's calls in percent
        (its weight over theirs). Reads ``advertisers``: prefetch it."""
        pool = {advertiser.pk for advertiser in self.advertisers.all()}
        answering = [
            a for a in current if (not pool or a.pk in pool) and a.answers_in(self.language)
        ]
        total = sum(advertiser.weight for advertiser in answering)
        return [(a, round(100 * a.weight / total)) for a in answering]

    @property
    def names_its_advertisers(self) -> bool:
        """Reads ``advertisers``: prefetch it."""
        return bool(self.advertisers.all())

    @property
    def offers_spanish(self) -> bool:
        """An English general line first offers "para español, oprima 2"."""
        return self.active and self.kind == self.Kind.GENERAL and self.language == "en"

    @property
    def number_display(self) -> str:
        return phones.display(self.number)


# Compiled statements of helplines, by kind and database.
_statements = Statements()
_COLUMNS = [field.attname for field in Helpline._meta.concrete_fields]


def _compile_for_number(using: str) -> Statement:
    number = stand_in_text("number")
    queryset = Helpline.objects.using(using).filter(number=number).values_list(*_COLUMNS)
    return Statement.select(queryset, [number])
