"""A fictional national dataset for `make demo` and for trying the site by hand.

Names are invented, places are real cities (so distance search works), and every phone number
is in the range reserved for fiction (NXX-555-0100 to 0199).
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from centers.geo import Point, zip_centroid
from centers.models import TERM_KINDS, Center, ProblemReport, Service, ServiceCategory
from centers.models.center import OPERATOR_CATEGORY
from centers.samhsa_es import CATEGORY_NAMES_ES, SERVICE_NAMES_ES

# (state, city, ZIP, area code)
PLACES = [
    ("CA", "San Francisco", "94110", "415"),
    ("CA", "Los Angeles", "90012", "213"),
    ("CA", "San Diego", "92101", "619"),
    ("NY", "New York", "10001", "212"),
    ("NY", "Buffalo", "14202", "716"),
    ("TX", "Austin", "78701", "512"),
    ("TX", "Houston", "77002", "713"),
    ("IL", "Chicago", "60601", "312"),
    ("IL", "Springfield", "62701", "217"),
    ("FL", "Miami", "33130", "305"),
    ("FL", "Orlando", "32801", "407"),
    ("WA", "Seattle", "98101", "206"),
    ("CO", "Denver", "80202", "303"),
    ("GA", "Atlanta", "30303", "404"),
    ("PA", "Philadelphia", "19103", "215"),
    ("PA", "Pittsburgh", "15222", "412"),
    ("OH", "Columbus", "43215", "614"),
    ("MA", "Boston", "02108", "617"),
    ("AZ", "Phoenix", "85004", "602"),
    ("NC", "Raleigh", "27601", "919"),
]
FIRST_WORDS = [
    "Cedar", "Harbor", "Willow", "Summit", "Riverbend", "Lantern", "Northstar", "Meadow",
    "Bridgeway", "Clearwater", "Hillside", "Juniper", "Beacon", "Stillwater", "Oakridge",
    "Sunrise", "Fairview", "Pinecrest", "Tidewater", "Greenway",
]  # fmt: skip
SECOND_WORDS = [
    "Recovery Center", "Treatment Services", "Behavioral Health", "Counseling Clinic",
    "Wellness House", "Recovery Residence", "Health Partners", "Outpatient Program",
]  # fmt: skip
STREETS = ["Main Street", "Oak Avenue", "Elm Street", "Park Road", "Lake Drive", "Market Street"]
# SAMHSA's facility-operation codes (category FOP) and their names in its reference.
OPERATORS = [
    ("PVTN", "Private non-profit organization"),
    ("PVTP", "Private for-profit organization"),
    ("LCCG", "Local, county, or community government"),
    ("STG", "State government"),
]
CENTERS_PER_PLACE = 16


def demo_phone(rng: random.Random, area_code: str) -> str:
    return f"+1{area_code}5550{rng.randint(100, 199)}"


@transaction.atomic
def create_demo_centers(*, seed: int = 2026) -> list[Center]:
    """Create the demo centers (320 in 13 states), with what they say about taking new
    clients and a few problem reports; deterministic for a given seed."""
    rng = random.Random(seed)
    terms = {kind.relation: list(kind.model.objects.all()) for kind in TERM_KINDS}
    services = _demo_services(terms)
    operators = _demo_operators()
    today = timezone.localdate()
    centers: list[Center] = []
    used_slugs: set[str] = set()
    for state, city, zip_code, area_code in PLACES:
        origin = zip_centroid(zip_code)
        for number in range(CENTERS_PER_PLACE):
            name = f"{rng.choice(FIRST_WORDS)} {rng.choice(SECOND_WORDS)}"
            slug = slugify(f"{name} {city}")
            while slug in used_slugs:
                slug = f"{slugify(f'{name} {city}')}-{len(used_slugs)}"
            used_slugs.add(slug)
            verified_days_ago = rng.choice([None, *range(3, 420, 9)])
            centers.append(
                Center(
                    name=name,
                    slug=slug,
                    description="A fictional listing in the demo data set.",
                    street=f"{rng.randint(10, 9900)} {rng.choice(STREETS)}",
                    city=city,
                    state=state,
                    zip_code=zip_code,
                    **_demo_location(origin, rng, exact=number % 3 != 0),
                    phone=demo_phone(rng, area_code),
                    intake_phone=demo_phone(rng, area_code) if rng.random() < 0.4 else "",
                    operator_type=rng.choice(OPERATORS)[1],
                    last_verified=None
                    if verified_days_ago is None
                    else today - timedelta(days=verified_days_ago),
                )
            )
    Center.objects.bulk_create(centers)
    links: dict[str, list] = {relation: [] for relation in [*terms, "services"]}
    for index, center in enumerate(centers):
        chosen_services = set()
        for kind in TERM_KINDS:
            relation, (fewest, most) = kind.relation, kind.demo_draws
            options = terms[relation]
            chosen = set(rng.sample(options, min(len(options), rng.randint(fewest, most))))
            # The first centers take every option in turn, so each one appears at least once.
            if index < len(options):
                chosen.add(options[index])
            links[relation] += [(center, term) for term in chosen]
            chosen_services |= {services[(relation, term.pk)] for term in chosen}
        chosen_services.add(operators[center.operator_type])
        links["services"] += [(center, service) for service in chosen_services]
    for relation, pairs in links.items():
        field = Center._meta.get_field(relation)
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [through(center=center, **{target: term}) for center, term in pairs]
        )
    add_demo_accuracy(centers, seed=seed)
    return centers


def _demo_location(origin: Point, rng: random.Random, *, exact: bool) -> dict[str, object]:
    """Two in three demo centers have their own coordinates, near the place's ZIP; the others
    sit at the ZIP's centre, as most SAMHSA rows do, so the map shows both kinds (the shared
    spot spread apart, and "approximate location")."""
    # Drawn either way, so the rest of the data set stays what the seed made it.
    latitude = origin.latitude + rng.uniform(-0.12, 0.12)
    longitude = origin.longitude + rng.uniform(-0.12, 0.12)
    if not exact:
        latitude, longitude = origin.latitude, origin.longitude
    return {"latitude": latitude, "longitude": longitude, "exact_location": exact}


def _demo_operators() -> dict[str, Service]:
    """Who runs a center as SAMHSA codes it, so the center page can name it in Spanish too."""
    category, _ = ServiceCategory.objects.get_or_create(
        code=OPERATOR_CATEGORY,
        defaults={
            "name": "Facility Operation",
            "name_es": CATEGORY_NAMES_ES[OPERATOR_CATEGORY],
            "position": len(TERM_KINDS),
        },
    )
    return {
        name: Service.objects.get_or_create(
            code=code,
            defaults={
                "category": category, "name": name, "name_es": SERVICE_NAMES_ES[code],
                "position": position,
            },
        )[0]
        for position, (code, name) in enumerate(OPERATORS)
    }  # fmt: skip


def _demo_services(terms: dict) -> dict[tuple[str, int], Service]:
    """One SAMHSA-style service per term, so detail pages show codes grouped by category."""
    services = {}
    for position, kind in enumerate(TERM_KINDS):
        code, name = kind.demo_category
        category, _ = ServiceCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_es": CATEGORY_NAMES_ES[code], "position": position},
        )
        relation = kind.relation
        for term in terms[relation]:
            service_code = term.samhsa_codes[0] if term.samhsa_codes else term.slug.upper()[:16]
            services[(relation, term.pk)], _ = Service.objects.get_or_create(
                code=service_code,
                defaults={
                    "category": category,
                    "name": term.name,
                    "name_es": term.name_es,
                    "position": term.position,
                },
            )
    return services


# What demo centers say about taking new clients, and how long ago (days): a spread across
# current (14 days), old (to 30) and no longer current, so every way a card reads shows.
STATEMENT_AGES = (0.2, 1, 2, 4, 6, 9, 12, 13, 16, 20, 25, 29, 35, 50, 90)
AVAILABILITIES = (
    (Center.Availability.ACCEPTING, None),
    (Center.Availability.ACCEPTING, None),
    (Center.Availability.WAITING_LIST, 5),
    (Center.Availability.WAITING_LIST, 14),
    (Center.Availability.WAITING_LIST, 45),
    (Center.Availability.WAITING_LIST, None),
    (Center.Availability.NOT_NOW, None),
)
# (kind, status, made days ago, closed days after, details, reporter asked to hear)
DEMO_REPORTS = [
    ("disconnected", "new", 1, None, "The number says it is not in service.", True),
    ("disconnected", "new", 3, None, "Disconnected tone on both numbers.", False),
    ("disconnected", "confirmed", 12, None, "Called twice, out of service.", True),
    ("phone", "new", 0.3, None, "The intake line goes to a fax machine.", False),
    ("closed", "new", 9, None, "The building is empty, sign says closed.", True),
    ("address", "confirmed", 21, None, "They moved to the next block.", False),
    ("services", "new", 45, None, "They no longer offer detox.", False),
    ("phone", "fixed", 30, 2, "Wrong area code.", False),
    ("disconnected", "fixed", 60, 5, "Number disconnected.", False),
    ("closed", "rejected", 40, 1, "Closed on Sundays only.", False),
    ("other", "rejected", 90, 7, "Parking is hard.", False),
    ("address", "fixed", 120, 3, "Suite number missing.", False),
]


def add_demo_accuracy(centers: list[Center], *, seed: int = 2026) -> None:
    """Availability statements of various ages, who checked each listing, a few listings not in
    SAMHSA's latest edition and problem reports in every status, so the cards, the filter and
    the editors' dashboard have something to show.
    Its own random generator: the rest of the demo data stays as it was."""
    rng = random.Random(seed + 15)
    now = timezone.now()
    for center in centers:
        if center.last_verified is not None:
            center.last_verified_by = rng.choice(
                [Center.Checker.CENTER, Center.Checker.EDITOR, Center.Checker.EDITOR]
            )
        # A few that SAMHSA's latest edition no longer lists, as after a real re-import.
        center.in_latest_directory = rng.random() >= 0.04
        if rng.random() < 0.45:
            center.availability, center.wait_days = rng.choice(AVAILABILITIES)
            center.availability_stated_at = now - timedelta(days=rng.choice(STATEMENT_AGES))
    Center.objects.bulk_update(
        centers,
        [
            "last_verified_by",
            "in_latest_directory",
            "availability",
            "wait_days",
            "availability_stated_at",
        ],
    )
    reports = []
    for n, (kind, status, age, took, details, asked) in enumerate(DEMO_REPORTS):
        created = now - timedelta(days=age)
        reports.append(
            ProblemReport(
                center=centers[(n * 37) % len(centers)],
                kind=kind,
                status=status,
                details=details,
                created_at=created,
                resolved_at=None if took is None else created + timedelta(days=took),
                reporter_email=f"reporter{n}@example.org" if asked else "",
                resolution_note="Checked with the center by phone." if took else "",
            )
        )
    ProblemReport.objects.bulk_create(reports)
