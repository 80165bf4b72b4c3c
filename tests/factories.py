"""Plain factory functions: unique defaults, so each test states only the data it relies on."""

import itertools
from collections.abc import Iterable
from datetime import date, time

from centers.models import TERM_KINDS, CareSetting, Center
from helplines.models import Advertiser, BusinessHours, Helpline

_counter = itertools.count(1)
# Fictional numbers only (NXX-555-0100 to 0199). Factories give 555-0100 to 0169; 0170 to 0199
# are left to tests that need a number no factory ever makes (a caller's, for instance), which
# must not turn up in some center's phone after enough centers were made.
FACTORY_NUMBERS = 70

# Tests must not rely on the vocabulary migration's rows: transactional tests flush the
# database, so terms are fetched or created here by slug.
_TERM_MODELS = {kind.relation: kind.model for kind in TERM_KINDS}
_SETTING_KINDS = {
    "inpatient": CareSetting.Kind.TWENTY_FOUR_HOUR,
    "residential": CareSetting.Kind.TWENTY_FOUR_HOUR,
    "outpatient": CareSetting.Kind.OUTPATIENT,
    "intensive-outpatient": CareSetting.Kind.OUTPATIENT,
    "partial-hospitalization": CareSetting.Kind.OUTPATIENT,
}


def term(model, slug: str):
    defaults = {"name": slug.replace("-", " ").title()}
    if model is CareSetting:
        defaults["kind"] = _SETTING_KINDS.get(slug, CareSetting.Kind.OTHER)
    obj, _ = model.objects.get_or_create(slug=slug, defaults=defaults)
    return obj


def make_center(
    *,
    name: str | None = None,
    city: str = "Springfield",
    state: str = "IL",
    zip_code: str = "62701",
    latitude: float | None = 39.80,
    longitude: float | None = -89.65,
    exact_location: bool = False,
    status: str = Center.Status.PUBLISHED,
    last_verified: date | None = None,
    phone: str = "",
    **relations: list[str],
) -> Center:
    """A center; keyword lists of slugs set its terms, e.g. ``therapies=["cbt", "dbt"]``."""
    n = next(_counter)
    center = Center.objects.create(
        name=name or f"Test Center {n}",
        slug=f"test-center-{n}",
        city=city,
        state=state,
        zip_code=zip_code,
        latitude=latitude,
        longitude=longitude,
        exact_location=exact_location,
        status=status,
        last_verified=last_verified,
        phone=phone or f"+1202555{100 + n % FACTORY_NUMBERS:04d}",
    )
    for relation, slugs in relations.items():
        getattr(center, relation).set([term(_TERM_MODELS[relation], slug) for slug in slugs])
    return center


ALWAYS = [(day, time(0), time(0)) for day in range(7)]


def fictional_number(area: str = "202") -> str:
    """A unique-enough number in the range reserved for fiction: +1 AAA 555-01XX."""
    return f"+1{area}555{100 + next(_counter) % FACTORY_NUMBERS:04d}"


def make_helpline(
    *,
    label: str | None = None,
    kind: str = Helpline.Kind.GENERAL,
    center: Center | None = None,
    active: bool = True,
    number: str | None = None,
    position: int = 0,
) -> Helpline:
    n = next(_counter)
    return Helpline.objects.create(
        label=label or f"Helpline {n}",
        slug=f"helpline-{n}",
        number=number or f"+1303555{100 + n % FACTORY_NUMBERS:04d}",
        kind=kind,
        center=center,
        active=active,
        position=position,
    )


def make_advertiser(
    *,
    name: str | None = None,
    center: Center | None = None,
    weight: int = 1,
    daily_cap: int | None = None,
    concurrent_cap: int = 1000,
    time_zone: str = "America/New_York",
    hours: Iterable[tuple[int, time, time]] = ALWAYS,
    starts_on: date = date(2020, 1, 1),
    ends_on: date | None = None,
    active: bool = True,
    intake_number: str | None = None,
) -> Advertiser:
    """An advertiser open around the clock, with caps too high to matter, unless told."""
    n = next(_counter)
    advertiser = Advertiser.objects.create(
        name=name or f"Advertiser {n}",
        center=center or make_center(),
        intake_number=intake_number or f"+1415555{100 + n % FACTORY_NUMBERS:04d}",
        weight=weight,
        daily_cap=daily_cap,
        concurrent_cap=concurrent_cap,
        time_zone=time_zone,
        starts_on=starts_on,
        ends_on=ends_on,
        active=active,
    )
    BusinessHours.objects.bulk_create(
        BusinessHours(advertiser=advertiser, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in hours
    )
    return advertiser


def callback_form_data(advertiser: Advertiser | None = None, /, **changes: str) -> dict[str, str]:
    """A complete, valid callback request (agreeing to ``advertiser`` when given), as posted.

    ``changes`` replace fields by their unprefixed name; an empty string leaves a field out.
    """
    data = {
        "callback-advertiser": str(advertiser.pk) if advertiser else "",
        "callback-first_name": "Sam",
        "callback-phone": "(202) 555-0173",
        "callback-best_time": "evening",
        "callback-consent": "on",
        "callback-website": "",
    }
    data.update({f"callback-{name}": value for name, value in changes.items()})
    return {name: value for name, value in data.items() if value != "" or name.endswith("website")}
