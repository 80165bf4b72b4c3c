from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Window
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import phones

# Time zones an advertiser may keep its hours in: every zone of the United States and its
# territories (zones that share rules, such as America/Detroit and America/New_York, are listed
# once). Listings evaluate "current" and "open now" in SQL with one branch per group of these
# zones, so the field accepts no other zone.
# The labels are read on the disclosure page as "Answers calls (<label> time)".
TIME_ZONES = [
    ("America/New_York", _("Eastern")),
    ("America/Chicago", _("Central")),
    ("America/Denver", _("Mountain")),
    ("America/Phoenix", _("Arizona (no daylight saving)")),
    ("America/Los_Angeles", _("Pacific")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico, U.S. Virgin Islands)")),
    ("Pacific/Guam", _("Chamorro (Guam, Northern Mariana Islands)")),
    ("Pacific/Pago_Pago", _("Samoa (American Samoa)")),
]
# The intake languages, named in the reader's language (settings.LANGUAGES names each in its
# own, which suits a language switch, not a sentence).
LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}
MIDNIGHT = time(0)
# Held here because ZoneInfo's own cache keeps only the 8 zones used last strongly: cycling
# through our 10 on every listing re-read zone files from disk (about 2 ms a listing).
ZONES = {zone: ZoneInfo(zone) for zone, _label in TIME_ZONES}


def _zones_by[K: Hashable](when: datetime, key: Callable[[datetime], K]) -> dict[K, list[str]]:
    """Our time zones grouped by ``key(local time at when)``: few groups, usually one to three."""
    groups: dict[K, list[str]] = defaultdict(list)
    for zone, _label in TIME_ZONES:
        groups[key(when.astimezone(ZONES[zone]))].append(zone)
    return groups


def local_midnight(zone: str, when: datetime) -> datetime:
    """The start of ``when``'s day in ``zone`` (US zones change clocks at 2 a.m., never 0)."""
    tz = ZONES.get(zone) or ZoneInfo(zone)
    return datetime.combine(when.astimezone(tz).date(), MIDNIGHT, tzinfo=tz)


def local_weekdays(when: datetime) -> set[int]:
    """Every weekday it may be somewhere in our time zones at ``when`` (two or three).

    United States time runs from UTC-11 (American Samoa) to UTC+10 (Guam): plain UTC
    arithmetic over that span, much cheaper than converting to each zone, gives a safe superset.
    """
    utc = when.astimezone(UTC)
    first, last = (utc - timedelta(hours=11)).date(), (utc + timedelta(hours=10)).date()
    return {(first + timedelta(days=n)).weekday() for n in range((last - first).days + 1)}


def current_condition(when: datetime) -> Q:
    """Active, and ``when`` falls within the active dates in the advertiser's own time zone."""
    condition = Q()
    for today, zones in _zones_by(when, lambda local: local.date()).items():
        condition |= Q(
            Q(time_zone__in=zones, starts_on__lte=today),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        )
    return Q(condition, active=True)


def current_key(when: datetime | None = None) -> tuple[tuple[date, tuple[str, ...]], ...]:
    """What ``current_condition`` at ``when`` depends on (each time zone's date): equal keys,
    equal SQL and parameters, so a compiled statement can be reused (``centers.models``)."""
    groups = _zones_by(when or timezone.now(), lambda local: local.date())
    return tuple((day, tuple(zones)) for day, zones in groups.items())


def open_condition(when: datetime) -> Exists:
    """Business hours cover ``when`` in the advertiser's own time zone (one EXISTS)."""
    condition = Q()
    for (weekday, moment), zones in _zones_by(
        when, lambda local: (local.weekday(), local.time())
    ).items():
        condition |= Q(
            Q(advertiser__time_zone__in=zones, weekday=weekday, opens__lte=moment),
            Q(closes__gt=moment) | Q(closes=MIDNIGHT),
        )
    return Exists(BusinessHours.objects.filter(condition, advertiser=OuterRef("pk")))


def default_languages() -> list[str]:
    return ["en"]


def validate_languages(value: object) -> None:
    """A list of the site's language codes, at least one, each once."""
    codes = {code for code, _name in settings.LANGUAGES}
    if (
        not isinstance(value, list)
        or not value
        or len(set(value)) != len(value)
        or not all(isinstance(code, str) and code in codes for code in value)
    ):
        raise ValidationError(
            "Choose at least one of the site's languages: %(codes)s.",
            params={"codes": ", ".join(sorted(codes))},
        )


class AdvertiserQuerySet(models.QuerySet):
    def current(self, when: datetime | None = None) -> "AdvertiserQuerySet":
        """Advertisers paying for a listing today (their local today): the public list."""
        return self.filter(current_condition(when or timezone.now()))

    def open_at(self, when: datetime) -> "AdvertiserQuerySet":
        """Advertisers whose intake line is staffed at ``when``."""
        return self.filter(open_condition(when))

    def with_is_current(self, when: datetime | None = None) -> "AdvertiserQuerySet":
        return self.annotate(
            is_current=ExpressionWrapper(
                current_condition(when or timezone.now()), output_field=models.BooleanField()
            )
        )

    def for_disclosure(self) -> "AdvertiserQuerySet":
        """What the public disclosure page shows, in two queries whatever the count.

        ``total_weight`` (a window sum over the same rows) lets the template show each
        advertiser's share of calls without another query.
        """
        return (
            self.select_related("center")
            .prefetch_related("hours")
            .annotate(total_weight=Window(Sum("weight")))
            .order_by("name", "pk")
        )


class Advertiser(models.Model):
    """A treatment provider that pays a flat fee to take calls to the general helplines."""

    class FeePeriod(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    name = models.CharField(max_length=200, help_text="The provider's legal or trading name.")
    center = models.ForeignKey(
        "centers.Center",
        models.PROTECT,
        related_name="advertisers",
        help_text="The provider's listing in the directory; it shows a “Paid advertiser” badge.",
    )
    intake_number = models.CharField(
        max_length=40,
        help_text="The number the provider's intake team answers. An extension is dialed after "
        "the call connects, e.g. (202) 555-0147 x12.",
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of general calls: an advertiser with weight 2 is offered twice as many "
        "calls as one with weight 1. Set from intake capacity, never sold. Published on the "
        "“Where do calls go?” page.",
    )
    # Smooth weighted round-robin state (see helplines.services). Only the router writes
    # it, under a row lock: saving a stale copy of an advertiser must leave this column alone.
    current_weight = models.IntegerField(default=0, editable=False)
    time_zone = models.CharField(
        max_length=40,
        choices=TIME_ZONES,
        default="America/New_York",
        help_text="Business hours and daily caps are in this time zone.",
    )
    daily_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most calls offered per day (its local day). Blank: no daily limit.",
    )
    concurrent_cap = models.PositiveSmallIntegerField(
        "concurrent-call cap",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Most calls ringing or in progress at once: the number of intake lines.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to pause all calls and the public listing at once."
    )
    starts_on = models.DateField(default=timezone.localdate, help_text="First day of the listing.")
    ends_on = models.DateField(
        null=True, blank=True, help_text="Last day of the listing. Blank: until further notice."
    )
    licences = models.TextField(
        blank=True,
        help_text="State licence references, one per line, e.g. “Illinois DHS licence 123-456”. "
        "Published on the disclosure page.",
    )
    certifications = models.TextField(
        blank=True,
        help_text="Accreditation and certification references, one per line, e.g. “CARF 0000”. "
        "Published on the disclosure page.",
    )
    fee_period = models.CharField(
        "listing fee period",
        max_length=10,
        choices=FeePeriod,
        default=FeePeriod.MONTHLY,
        help_text="Advertisers pay a flat listing fee per period. No fee, rebate or bonus may "
        "depend on the number or length of calls, on referrals or on admissions: that would "
        "be patient brokering (illegal under the federal EKRA, 18 U.S.C. § 220, and many "
        "state laws), and it is what our disclosure promises we never do.",
    )
    fee_amount = models.DecimalField(
        "listing fee (USD)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The flat fee per period. The same whatever the calls or admissions.",
    )
    # A JSON list rather than an ArrayField so that SQLite (make demo) stores it too. Routing
    # reads it in Python on the few rows it has locked anyway (helplines.services.routing).
    languages = models.JSONField(
        "intake languages",
        default=default_languages,
        validators=[validate_languages],
        help_text="The languages its intake team answers in. Calls and callback requests in "
        "Spanish go only to advertisers that answer in Spanish. Published on the disclosure "
        "page.",
    )
    # Set by the router when the advertiser stops answering (helplines.services.pauses), under
    # its row lock; routing skips it until then. Kept after the pause ends: misses before it
    # are not counted again.
    paused_until = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Paused automatically for missed calls until then (see the pause records).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AdvertiserQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="advertiser_weight_positive"),
            models.CheckConstraint(
                condition=Q(concurrent_cap__gte=1), name="advertiser_concurrent_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(daily_cap__isnull=True) | Q(daily_cap__gte=1),
                name="advertiser_daily_cap_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="advertiser_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.intake_number = phones.normalise(self.intake_number)
        except phones.InvalidPhoneNumber as error:
            raise ValidationError({"intake_number": str(error)}) from None
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The listing cannot end before it starts."})

    def is_paused_at(self, when: datetime) -> bool:
        return self.paused_until is not None and when < self.paused_until

    def answers_in(self, language: str) -> bool:
        return language in (self.languages or ())

    @property
    def answers_in_spanish(self) -> bool:
        return self.answers_in("es")

    def language_names(self) -> list[str]:
        """The intake languages in words, in the language of the request."""
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages or ()]

    @property
    def zone(self) -> ZoneInfo:
        return ZONES.get(self.time_zone) or ZoneInfo(self.time_zone)

    def local_date(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()

    def is_current_at(self, when: datetime) -> bool:
        """Python twin of ``AdvertiserQuerySet.current`` for an advertiser already loaded."""
        today = self.local_date(when)
        return (
            self.active
            and self.starts_on <= today
            and (self.ends_on is None or today <= self.ends_on)
        )

    def is_open_at(
        self, when: datetime, *, intervals: Iterable["BusinessHours"] | None = None
    ) -> bool:
        """Python twin of ``AdvertiserQuerySet.open_at``.

        Checks ``intervals`` if given, else ``hours`` (a query unless prefetched).
        """
        local = when.astimezone(self.zone)
        weekday, moment = local.weekday(), local.time()
        intervals = self.hours.all() if intervals is None else intervals
        return any(interval.covers(weekday, moment) for interval in intervals)

    @property
    def intake_number_display(self) -> str:
        return phones.display(self.intake_number)

    def licence_list(self) -> list[str]:
        return [line.strip() for line in self.licences.splitlines() if line.strip()]

    def certification_list(self) -> list[str]:
        return [line.strip() for line in self.certifications.splitlines() if line.strip()]

    def weekly_hours(self) -> list[tuple[str, str]]:
        """Hours as rows like ``("Monday to Friday", "8:00 AM to 8:00 PM")``, consecutive days
        with the same hours on one row. Reads ``hours``: prefetch it (``for_disclosure``)."""
        by_day: dict[int, list[str]] = {day: [] for day in BusinessHours.Weekday.values}
        for interval in self.hours.all():
            by_day[interval.weekday].append(interval.label())
        names = BusinessHours.Weekday.labels
        rows: list[tuple[int, int, str]] = []
        for day, labels in by_day.items():
            text = ", ".join(labels) or gettext("Closed")
            if rows and rows[-1][2] == text:
                rows[-1] = (rows[-1][0], day, text)
            else:
                rows.append((day, day, text))
        return [
            (
                capfirst(names[first])
                if first == last
                else gettext("%(first)s to %(last)s")
                % {"first": capfirst(names[first]), "last": names[last]},
                text,
            )
            for first, last, text in rows
        ]


class BusinessHours(models.Model):
    """One staffed interval of one weekday, in the advertiser's time zone.

    Closing at 00:00 means "until midnight", so 00:00-00:00 is the whole day; hours that run
    past midnight are two intervals (Friday 20:00-00:00 and Saturday 00:00-02:00).
    """

    class Weekday(models.IntegerChoices):
        # Python's date.weekday() numbering, which routing compares against.
        # Spanish writes weekdays in lower case; weekly_hours capitalizes the first of a row.
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    advertiser = models.ForeignKey(Advertiser, models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    opens = models.TimeField()
    closes = models.TimeField(help_text="00:00 means midnight at the end of the day.")

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = "business hours"
        verbose_name_plural = "business hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")) | Q(closes=MIDNIGHT),
                name="business_hours_close_after_open",
            ),
        ]
        indexes = [
            models.Index(fields=["advertiser", "weekday"], name="business_hours_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if (
            self.opens is not None
            and self.closes is not None
            and self.closes != MIDNIGHT
            and self.closes <= self.opens
        ):
            raise ValidationError(
                {"closes": "Closing must be after opening (use 00:00 for midnight)."}
            )

    @property
    def is_all_day(self) -> bool:
        return self.opens == MIDNIGHT and self.closes == MIDNIGHT

    def covers(self, weekday: int, moment: time) -> bool:
        return (
            self.weekday == weekday
            and self.opens <= moment
            and (self.closes > moment or self.closes == MIDNIGHT)
        )

    def label(self) -> str:
        """The interval in words, in the language of the request ("8:00 AM to 8:00 PM")."""
        if self.is_all_day:
            return gettext("24 hours")
        # Translators: a time of day in Django's date format ("g:i A" is 8:00 AM).
        clock = gettext("g:i A")
        closes = gettext("midnight") if self.closes == MIDNIGHT else time_format(self.closes, clock)
        return gettext("%(opens)s to %(closes)s") % {
            "opens": time_format(self.opens, clock),
            "closes": closes,
        }
