from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from centers.api.identity import identity_uuid
from centers.geo import Point, bounding_box, distance_expression
from directory import phones
from directory.languages import address
from directory.statements import Statement, Statements, stand_in_ints, stand_in_text

from . import availability as availability_rules
from .taxonomy import (
    TERM_RELATIONS,
    Accreditation,
    CareSetting,
    Language,
    Medication,
    PaymentOption,
    Population,
    Service,
    ServiceCategory,
    Term,
    TherapyType,
)

COMBINATION = "combination"
# Monday first, as Python's date.weekday() counts.
WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
# SAMHSA's category of "who runs the facility" codes (private non-profit, state, VA...).
OPERATOR_CATEGORY = "FOP"

# The seam through which paid status reaches the catalog. The app that knows who pays (helplines)
# registers, when it is ready, a function returning a boolean expression over the outer center's
# ``pk``; ``CenterQuerySet.with_paid_status`` applies it. The catalog never imports that app, and
# without one registered no center is marked paid. It may also register a function returning a
# key that changes whenever the expression's SQL or parameters would (the dates it compares),
# so that ``cards_by_id`` compiles its statement once per key rather than once per listing.
_paid_status: Callable[[], models.Expression] | None = None
_paid_status_key: Callable[[], Hashable] | None = None


def register_paid_status(
    expression: Callable[[], models.Expression], *, key: Callable[[], Hashable] | None = None
) -> None:
    """Name the expression that marks a center as a current paid advertiser (and its key)."""
    global _paid_status, _paid_status_key
    _paid_status, _paid_status_key = expression, key


def _links(relation: str, terms: list[str | int], **lookups: object) -> models.QuerySet:
    """Rows of ``relation``'s link table for the outer center and any of ``terms``."""
    field = Center._meta.get_field(relation)
    through = field.remote_field.through
    target = field.m2m_reverse_field_name()
    if terms and all(isinstance(term, int) for term in terms):
        lookups[f"{target}_id__in"] = terms
    elif terms:
        lookups[f"{target}__slug__in"] = terms
    return through.objects.filter(center=OuterRef("pk"), **lookups)


class IdentityUUIDField(models.UUIDField):
    """The center's public id, derived from its identity when the row is first written.

    Derived in ``pre_save``, which ``save()``, ``bulk_create`` and the importer's COPY all call,
    so every way a center is created fills it. Once set it never changes: a hand-entered
    center keeps its id when its slug is edited.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> object:
        value = getattr(model_instance, self.attname)
        if value is None:
            value = identity_uuid(samhsa_key=model_instance.samhsa_key, slug=model_instance.slug)
            setattr(model_instance, self.attname, value)
        return value


# What a listing card reads of a center (templates/centers/_card.html).
CARD_FIELDS = (
    "name",
    "secondary_name",
    "slug",
    "city",
    "state",
    "status",
    "phone",
    "intake_phone",
    "availability",
    "wait_days",
    "availability_stated_at",
    "last_verified",
    "last_verified_by",
)


class CenterQuerySet(models.QuerySet):
    def published(self) -> "CenterQuerySet":
        return self.filter(status=Center.Status.PUBLISHED)

    # Terms are named by slug, or by primary key where the caller already holds the ids (the
    # listing does): filtering on the link table's own foreign key needs no join, and lets
    # PostgreSQL estimate each term's share of centers from its statistics, which on national
    # data picks plans several times faster than going through the term's slug.

    def offering_all(self, relation: str, terms: Iterable[str | int]) -> "CenterQuerySet":
        """Centers linked to every one of ``terms`` through ``relation`` (one EXISTS each)."""
        queryset = self
        for term in terms:
            queryset = queryset.filter(Exists(_links(relation, [term])))
        return queryset

    def offering_any(
        self,
        relation: str,
        terms: Iterable[str | int],
        *,
        settings_by_kind: dict[str, list[int]] | None = None,
    ) -> "CenterQuerySet":
        """Centers linked to at least one of ``terms`` through ``relation`` (a single EXISTS).

        ``combination`` among care-setting terms means a 24-hour setting plus an outpatient one
        (see ``combination_condition`` for ``settings_by_kind``).
        """
        terms = list(terms)
        if not terms:
            return self
        plain = [t for t in terms if not (relation == "care_settings" and t == COMBINATION)]
        condition = Q(Exists(_links(relation, plain))) if plain else Q()
        if len(plain) != len(terms):
            condition |= self.combination_condition(settings_by_kind)
        return self.filter(condition)

    @staticmethod
    def combination_condition(settings_by_kind: dict[str, list[int]] | None = None) -> Q:
        """A 24-hour care setting and an outpatient one at the same center.

        ``settings_by_kind`` maps each kind to its care settings' ids, when the caller has them.
        """

        def has(kind: str) -> Exists:
            if settings_by_kind is None:
                return Exists(_links("care_settings", [], caresetting__kind=kind))
            return Exists(_links("care_settings", settings_by_kind.get(kind, [0])))

        return Q(has(CareSetting.Kind.TWENTY_FOUR_HOUR)) & Q(has(CareSetting.Kind.OUTPATIENT))

    def within(self, origin: Point, radius_miles: float) -> "CenterQuerySet":
        """Centers within ``radius_miles`` of ``origin``, annotated with ``distance`` in miles.

        The bounding box runs on the indexed latitude/longitude columns and discards nearly
        every row before the exact (and costlier) great-circle distance is computed.
        """
        min_lat, max_lat, min_lng, max_lng = bounding_box(origin, radius_miles)
        return (
            self.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng))
            .annotate(distance=distance_expression(origin))
            .filter(distance__lte=radius_miles)
        )

    def matching_words(self, text: str) -> "CenterQuerySet":
        """Every word must appear in the name, secondary name or city."""
        queryset = self
        for word in text.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(secondary_name__icontains=word)
                | Q(city__icontains=word)
            )
        return queryset

    def taking_new_clients(self, now: datetime) -> "CenterQuerySet":
        """Centers that said, within 14 days of ``now``, that they accept new clients."""
        return self.filter(availability_rules.taking_new_clients(now))

    def managed_by(self, user: object) -> "CenterQuerySet":
        """Centers ``user`` currently manages (none for an anonymous visitor)."""
        from .management import CenterManager  # defined after Center, which it refers to

        if not getattr(user, "is_authenticated", False):
            return self.none()
        managers = CenterManager.objects.active().filter(center=OuterRef("pk"), user=user)
        return self.filter(Exists(managers))

    def with_paid_status(self) -> "CenterQuerySet":
        """Annotate ``is_paid_advertiser``, which cards and pages read to show the paid badge."""
        if _paid_status is None:
            return self.annotate(is_paid_advertiser=models.Value(False))
        return self.annotate(is_paid_advertiser=_paid_status())

    def for_cards(self) -> "CenterQuerySet":
        """The columns a listing card shows, and the paid status; nothing else is read, so a
        card that showed another column would cost a query each (the listing's query-count
        tests, which draw cards afresh, would say so). The cards' terms come from the catalog
        index (``IndexedResults``)."""
        return self.only(*CARD_FIELDS).with_paid_status()

    def for_detail(self) -> "CenterQuerySet":
        """What a center's page shows: every term relation, and the SAMHSA codes with their
        categories (which ``Center.service_groups`` needs), one query each."""
        return self.with_services().prefetch_related(*TERM_RELATIONS)

    def with_services(self) -> "CenterQuerySet":
        """The SAMHSA codes with their categories (``Center.service_groups``), in one query."""
        return self.prefetch_related(
            models.Prefetch("services", queryset=Service.objects.select_related("category"))
        )


# Compiled card and page statements, by (kind, database, number of ids, paid-status key): a
# listing page has at most CENTERS_PER_PAGE ids, and the key changes once a day per time zone
# (``Statements`` drops them all at its bound, so past days do not pile up).
_card_statements = Statements()


def _kept_statement(key: tuple, compile: Callable[[], Statement]) -> Statement:
    """The statement of ``key`` and the current paid-status key; with a paid status that has
    no key (one registered without it), compiled each time."""
    if _paid_status is not None and _paid_status_key is None:
        return compile()
    return _card_statements.get((*key, _paid_status_key() if _paid_status_key else None), compile)


def cards_by_id(ids: Sequence[int], *, using: str) -> dict[int, "Center"]:
    """The centers of ``ids`` with what their cards show and their paid status, by id: what
    ``Center.objects.filter(pk__in=ids).for_cards().in_bulk()`` gives, one query, without
    compiling that queryset on each listing (about 1 ms, most of it the paid-status
    expression): ``directory.statements``, one statement per number of ids."""
    if not ids:
        return {}
    count = len(ids)
    statement = _kept_statement(("cards", using, count), lambda: _compile_cards(using, count))
    names = _card_columns()
    centers = {}
    for *values, paid in statement.rows(ids):
        center = Center.from_db(using, names, values)
        center.is_paid_advertiser = paid
        centers[center.pk] = center
    return centers


def _compile_cards(using: str, count: int) -> Statement:
    stand_ins = stand_in_ints(count)
    queryset = (
        Center.objects.using(using)
        .filter(pk__in=stand_ins)
        .with_paid_status()
        .order_by()
        .values_list(*_card_columns(), "is_paid_advertiser")
    )
    return Statement.select(queryset, stand_ins)


def _card_columns() -> list[str]:
    """The id and ``CARD_FIELDS``, in the model's column order, which ``from_db`` reads in."""
    shown = {"id", *CARD_FIELDS}
    return [field.attname for field in Center._meta.concrete_fields if field.attname in shown]


def center_for_page(slug: str, *, using: str | None = None) -> "Center | None":
    """The center at ``slug`` for its page, unless hidden (closed ones stay reachable, so old
    links explain why): every column, its paid status, its SAMHSA services with their categories
    and every term relation, in three queries, none of them compiled per page.

    The same as ``Center.objects.exclude(status=HIDDEN).with_paid_status().for_detail()`` and
    ``prefetch_terms``; the center's statement is compiled once per paid-status key, and the
    services are read by a statement written out from the models' tables (the queryset and its
    prefetch took about 3 ms of a center page to compile and to build)."""
    using = using or router.db_for_read(Center)
    names = [field.attname for field in Center._meta.concrete_fields]
    statement = _kept_statement(("page", using), lambda: _compile_page(using, names))
    rows = statement.rows([slug])
    if not rows:
        return None
    *values, paid = rows[0]
    center = Center.from_db(using, names, values)
    center.is_paid_advertiser = paid
    _read_services(center, using)
    prefetch_terms([center])
    return center


def _compile_page(using: str, names: list[str]) -> Statement:
    slug = stand_in_text("slug")
    queryset = (
        Center.objects.using(using)
        .exclude(status=Center.Status.HIDDEN)
        .filter(slug=slug)
        .with_paid_status()
        .order_by()
        .values_list(*names, "is_paid_advertiser")
    )
    return Statement.select(queryset, [slug])


def _read_services(center: "Center", using: str) -> None:
    """Fill ``center.services`` (each with its ``category``) with one query, as the page's
    ``with_services()`` prefetch would, in the services' own order."""
    connection = connections[using]
    service_fields = Service._meta.concrete_fields
    sql = _written(("services", connection.vendor), lambda: _services_sql(connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, [center.pk])
        rows = cursor.fetchall()
    services = [_service_of(using, row, len(service_fields)) for row in rows]
    if not hasattr(center, "_prefetched_objects_cache"):
        center._prefetched_objects_cache = {}
    queryset = models.QuerySet(model=Service)
    queryset._result_cache = services
    queryset._prefetch_done = True
    center._prefetched_objects_cache["services"] = queryset


def _services_sql(connection) -> str:
    quote = connection.ops.quote_name
    field = Center._meta.get_field("services")
    through = field.remote_field.through._meta
    columns = [f"s.{quote(f.column)}" for f in Service._meta.concrete_fields]
    columns += [f"c.{quote(f.column)}" for f in ServiceCategory._meta.concrete_fields]
    category_column = Service._meta.get_field("category").column
    category_pk = ServiceCategory._meta.pk.column
    return (
        f"SELECT {', '.join(columns)} FROM {quote(through.db_table)} l "
        f"JOIN {quote(Service._meta.db_table)} s ON s.{quote(Service._meta.pk.column)} = "
        f"l.{quote(through.get_field(field.m2m_reverse_field_name()).column)} "
        f"JOIN {quote(ServiceCategory._meta.db_table)} c ON c.{quote(category_pk)}"
        f" = s.{quote(category_column)} "
        f"WHERE l.{quote(through.get_field(field.m2m_field_name()).column)} = %s "
        f"ORDER BY c.{quote('position')}, s.{quote('position')}, s.{quote('code')}"
    )


# The statements written out from the models' tables, by kind, database vendor and size: the
# same text every time, and writing the terms' union cost about 65 µs of each center page.
_written_sql: dict[tuple, str] = {}


def _written(key: tuple, write: Callable[[], str]) -> str:
    sql = _written_sql.get(key)
    if sql is None:
        if len(_written_sql) >= 1_000:  # a size per number of centers read at once: a few
            _written_sql.clear()
        sql = _written_sql[key] = write()
    return sql


# Services and categories as read, by database and row: about a hundred per center page, the
# same few hundred SAMHSA codes everywhere, so a page shares these read-only instances instead
# of building its own. Keyed by the whole row, so an edit in the admin makes a new instance.
_services_by_row: dict[tuple, Service] = {}
_SERVICES_KEPT = 5_000


def _service_of(using: str, row: tuple, width: int) -> Service:
    key = (using, row)
    service = _services_by_row.get(key)
    if service is None:
        service = Service.from_db(using, _service_names(), row[:width])
        category = ServiceCategory.from_db(using, _category_names(), row[width:])
        Service._meta.get_field("category").set_cached_value(service, category)
        if len(_services_by_row) >= _SERVICES_KEPT:
            _services_by_row.clear()
        _services_by_row[key] = service
    return service


def _service_names() -> list[str]:
    return [f.attname for f in Service._meta.concrete_fields]


def _category_names() -> list[str]:
    return [f.attname for f in ServiceCategory._meta.concrete_fields]


# The columns every term table shares, which the page shows (a term's other columns stay
# deferred: reading one costs a query of its own, visibly, rather than an empty value). The
# Spanish name rides along so that a Spanish page (``local_name``) costs no query more.
_TERM_COLUMNS = ("id", "slug", "name", "name_es", "position")


def prefetch_terms(centers: Sequence["Center"]) -> None:
    """Fill every term relation of ``centers`` with one query, a UNION ALL over the link tables,
    instead of one prefetch query per relation: the center page's cost is then three queries
    whatever the number of term kinds. Afterwards ``center.therapies.all()`` and the rest read
    the cache, as after ``prefetch_related``."""
    if not centers:
        return
    ids = [center.pk for center in centers]
    # Where the centers were read from (the replica for a public page), as a prefetch would.
    connection = connections[centers[0]._state.db or router.db_for_read(Center)]
    with connection.cursor() as cursor:
        sql = _written(
            ("terms", connection.vendor, len(ids)), lambda: _terms_sql(connection, len(ids))
        )
        cursor.execute(sql, ids * len(TERM_RELATIONS))
        rows = cursor.fetchall()
    found: dict[tuple[int, int], list[Term]] = {}
    for center_id, *values, index, term_kind in rows:
        model = Center._meta.get_field(TERM_RELATIONS[index]).related_model
        names = list(_TERM_COLUMNS)
        if model is CareSetting:
            names.append("kind")
            values.append(term_kind)
        found.setdefault((center_id, index), []).append(model.from_db(None, names, values))
    for center in centers:
        for index, relation in enumerate(TERM_RELATIONS):
            set_prefetched_terms(center, relation, found.get((center.pk, index), []))


def _terms_sql(connection, count: int) -> str:
    """The UNION ALL of ``prefetch_terms``, for ``count`` center ids, written out from the
    models' tables and columns. Django's compiler took 5 ms to build the same statement from
    seven querysets, on every center page; this takes about 65 µs, once (``_written``)."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * count)
    parts = []
    for index, relation in enumerate(TERM_RELATIONS):
        field = Center._meta.get_field(relation)
        through, term = field.remote_field.through._meta, field.related_model._meta
        center_column = quote(through.get_field(field.m2m_field_name()).column)
        term_column = quote(through.get_field(field.m2m_reverse_field_name()).column)
        columns = ", ".join(f"t.{quote(term.get_field(name).column)}" for name in _TERM_COLUMNS)
        kind = f"t.{quote(term.get_field('kind').column)}" if term.model is CareSetting else "''"
        parts.append(
            f"SELECT l.{center_column}, {columns}, {index}, {kind} "
            f"FROM {quote(through.db_table)} l JOIN {quote(term.db_table)} t "
            f"ON t.{quote(term.pk.column)} = l.{term_column} WHERE l.{center_column} IN ({marks})"
        )
    return " UNION ALL ".join(parts)


def set_prefetched_terms(center: "Center", relation: str, terms: list[Term]) -> None:
    """Make ``getattr(center, relation).all()`` return ``terms`` (in the page's order) without
    a query, as after ``prefetch_related``."""
    if not hasattr(center, "_prefetched_objects_cache"):
        center._prefetched_objects_cache = {}
    # A bare queryset rather than ``getattr(center, relation).all()``: building the related
    # manager costs more than the rest of this, for every relation of every card.
    queryset = models.QuerySet(model=Center._meta.get_field(relation).related_model)
    queryset._result_cache = sorted(terms, key=lambda term: (term.position, term.name))
    queryset._prefetch_done = True
    center._prefetched_objects_cache[relation] = queryset


class Center(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    secondary_name = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)

    street = models.CharField(max_length=200, blank=True)
    street2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, help_text="Two-letter USPS code.")
    zip_code = models.CharField("ZIP code", max_length=10)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Most SAMHSA rows carry no coordinates: the importer then places the center at its ZIP
    # code's centre, which the map and the center page call an approximate location.
    exact_location = models.BooleanField(
        default=False,
        help_text="The coordinates are the center's own (from the source or an editor), not "
        "the centre of its ZIP code.",
    )

    # Stored as E.164 with an optional ";ext=N" (see directory.phones).
    phone = models.CharField(max_length=40, blank=True)
    intake_phone = models.CharField(max_length=40, blank=True)
    intake_phone_2 = models.CharField(max_length=40, blank=True)
    intake_phone_alt = models.CharField(max_length=40, blank=True)
    intake_phone_2_alt = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    operator_type = models.CharField(
        max_length=120, blank=True, help_text="Who runs it, e.g. Private non-profit organization."
    )

    class Availability(models.TextChoices):
        """Whether the center takes new clients, as the center itself last said."""

        NOT_STATED = "", _("Not stated")
        ACCEPTING = "accepting", _("Accepting new clients")
        WAITING_LIST = "waiting_list", _("Waiting list")
        NOT_NOW = "not_now", _("Not taking new clients now")

    class Checker(models.TextChoices):
        """Who last confirmed the listing's details (``last_verified``)."""

        UNKNOWN = "", _("Unknown")
        CENTER = "center", _("The center")
        EDITOR = "editor", _("Our editors")

    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    last_verified = models.DateField(
        null=True, blank=True, help_text="When someone last confirmed these details."
    )
    last_verified_by = models.CharField(
        "last verified by", max_length=10, choices=Checker, blank=True, default=Checker.UNKNOWN
    )

    # Families most need to know who can take someone now. Only the center can say, and what it
    # said ages fast: the stated time decides whether it is still shown as current.
    availability = models.CharField(
        "taking new clients",
        max_length=12,
        choices=Availability,
        blank=True,
        default=Availability.NOT_STATED,
    )
    wait_days = models.PositiveSmallIntegerField(
        "estimated wait in days",
        null=True,
        blank=True,
        help_text="With a waiting list: the center's estimate of the wait.",
    )
    availability_stated_at = models.DateTimeField(
        "availability stated at", null=True, blank=True, editable=False
    )

    # Kept up to date by the center's managers (centers.edits), shown on the center's page.
    insurance_notes = models.TextField(
        "insurance notes", blank=True, help_text="Which plans the center takes, in its words."
    )
    # When intake answers, by weekday (0 is Monday): {"0": ["09:00", "17:00"], ...}. A day left
    # out is closed to intake; an empty dict means the center has not said.
    intake_hours = models.JSONField("intake hours", default=dict, blank=True)

    services = models.ManyToManyField(Service, related_name="centers", blank=True)
    therapies = models.ManyToManyField(TherapyType, related_name="centers", blank=True)
    care_settings = models.ManyToManyField(CareSetting, related_name="centers", blank=True)
    medications = models.ManyToManyField(Medication, related_name="centers", blank=True)
    payment_options = models.ManyToManyField(PaymentOption, related_name="centers", blank=True)
    populations = models.ManyToManyField(Population, related_name="centers", blank=True)
    languages = models.ManyToManyField(Language, related_name="centers", blank=True)
    accreditations = models.ManyToManyField(Accreditation, related_name="centers", blank=True)

    # Import bookkeeping. The key is the normalised name, street and ZIP that identify the same
    # facility across editions; blank for centers entered by hand.
    samhsa_key = models.CharField(max_length=300, blank=True, db_index=True)
    samhsa_editions = models.JSONField(default=list, blank=True)
    # The codes each SAMHSA directory listed for this center in its latest listing of it,
    # {"su": ["CBT", ...], "mh": [...]}, codes missing from the reference included. Services
    # and terms are derived from their union, so a code one directory drops survives only if
    # the other still lists it. Written by the importer only.
    samhsa_codes = models.JSONField(default=dict, blank=True, editable=False)
    in_latest_directory = models.BooleanField(
        default=True, help_text="Listed in the most recent SAMHSA directory imported."
    )
    # The id the open-data API publishes (uuid5 of the identity above), stored so that an
    # /api/hsds/.../{id} lookup is one indexed query.
    hsds_uuid = IdentityUUIDField("public id", null=True, unique=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="center_location_idx"),
            models.Index(fields=["status", "state"], name="center_status_state_idx"),
            models.Index(fields=["status", "name"], name="center_status_name_idx"),
            models.Index(fields=["status", "-last_verified"], name="center_status_verified_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("centers:detail", self.slug)

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def location(self) -> Point | None:
        if self.latitude is None or self.longitude is None:
            return None
        return Point(self.latitude, self.longitude)

    @property
    def phone_display(self) -> str:
        return phones.display(self.phone)

    @property
    def best_phone(self) -> str:
        """The number a patient should call first: intake if the center gives one."""
        return self.intake_phone or self.phone

    def availability_freshness(self, now: datetime | None = None) -> str:
        """How old the center's word on taking new clients is (``availability.Freshness``)."""
        return availability_rules.freshness(
            self.availability, self.availability_stated_at, now or timezone.now()
        )

    @property
    def wait_phrase(self) -> str:
        """The center's estimate in words ("Wait about 2 weeks"); "" without one, or for 0."""
        return availability_rules.wait_phrase(self.wait_days) if self.wait_days else ""

    def intake_hours_by_day(self) -> list[tuple[str, str, str]]:
        """(weekday name, opens, closes) for each day the center takes intake calls, Monday
        first, names in the request's language."""
        hours = self.intake_hours if isinstance(self.intake_hours, dict) else {}
        return [
            (str(WEEKDAYS[day]), *hours[str(day)])
            for day in range(7)
            if isinstance(hours.get(str(day)), list) and len(hours[str(day)]) == 2
        ]

    def service_groups(self) -> list[tuple[ServiceCategory, list[Service]]]:
        """This center's SAMHSA codes grouped by category, in SAMHSA's reference order.

        Reads ``services`` and each one's ``category``: fetch the center through
        ``CenterQuerySet.for_detail()`` (a ``select_related("category")`` prefetch), or this
        costs one query per code.
        """
        services = sorted(self.services.all(), key=lambda s: (s.category.position, s.position))
        return [
            (category, list(items)) for category, items in groupby(services, lambda s: s.category)
        ]

    def local_operator_type(self) -> str:
        """Who runs the center, in the request's language.

        In English, ``operator_type`` as stored. In another language, the names of the center's
        facility-operation codes in that language (``Service.local_name``), or ``operator_type``
        when it lists none (entered by hand). Reads ``services`` with their categories, as
        ``service_groups`` does: fetch the center through ``for_detail()``.
        """
        if (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
            return self.operator_type
        services = sorted(self.services.all(), key=lambda s: s.position)
        names = [s.local_name for s in services if s.category.code == OPERATOR_CATEGORY]
        return "; ".join(names) or self.operator_type

    def offers_combination(self) -> bool:
        """A 24-hour setting and an outpatient one. Uses prefetched settings when present."""
        kinds = {setting.kind for setting in self.care_settings.all()}
        return {CareSetting.Kind.TWENTY_FOUR_HOUR, CareSetting.Kind.OUTPATIENT} <= kinds

    @property
    def one_line_address(self) -> str:
        street = ", ".join(part for part in (self.street, self.street2) if part)
        place = f"{self.city}, {self.state} {self.zip_code}".strip()
        return f"{street}, {place}" if street else place

    def directions_url(self) -> str:
        """Directions on OpenStreetMap to the street address, which is exact where the
        coordinates are often only the ZIP code's centre; the visitor picks where from."""
        return "https://www.openstreetmap.org/directions?" + urlencode(
            {"to": self.one_line_address}
        )

    def openstreetmap_url(self) -> str:
        if self.location is None:
            return ""
        return (
            "https://www.openstreetmap.org/"
            f"?mlat={self.latitude:.5f}&mlon={self.longitude:.5f}#map=15/"
            f"{self.latitude:.5f}/{self.longitude:.5f}"
        )
