"""Plain factory functions: unique defaults, so each test states only the data it relies on."""

import itertools
from datetime import date

from centers.models import (
    Accreditation,
    CareSetting,
    Center,
    Language,
    Medication,
    PaymentOption,
    Population,
    TherapyType,
)

_counter = itertools.count(1)

# Tests must not rely on the vocabulary migration's rows: transactional tests flush the
# database, so terms are fetched or created here by slug.
_TERM_MODELS = {
    "therapies": TherapyType,
    "care_settings": CareSetting,
    "medications": Medication,
    "payment_options": PaymentOption,
    "populations": Population,
    "languages": Language,
    "accreditations": Accreditation,
}
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
        status=status,
        last_verified=last_verified,
        phone=phone or f"+1202555{100 + n % 100:04d}",
    )
    for relation, slugs in relations.items():
        getattr(center, relation).set([term(_TERM_MODELS[relation], slug) for slug in slugs])
    return center
