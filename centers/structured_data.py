"""A center's page described for machines: schema.org JSON-LD (``MedicalClinic``).

Search engines and other readers get what the page says to people, in the page's language:
the address, phones, coordinates, what care is offered and how it is paid for, and whether the
center is a paid advertiser, which is never shown to people without being told to machines too.
The block is data (``<script type="application/ld+json">``), which no browser runs, so the
Content-Security-Policy needs no ``unsafe-inline`` for it.
"""

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from centers.facts import Entry, Fact
from directory import phones

if TYPE_CHECKING:
    from centers.models import Center

SCHEMA = "https://schema.org"
# Substance use disorders are psychiatric disorders; schema.org has no narrower specialty.
SPECIALTY = f"{SCHEMA}/Psychiatric"
# The term kinds that are care a center gives (schema.org's ``availableService``).
SERVICE_RELATIONS = ("care_settings", "therapies", "medications")
# Inside <script>, "</script>" or "<!--" in a name would end or change the block: JSON allows
# these characters escaped, as Django's json_script does.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def center_json_ld(request: HttpRequest, center: "Center", facts: list[Fact]) -> dict[str, Any]:
    """The JSON-LD document of ``center``'s page, in the active language."""
    page = request.build_absolute_uri(center.get_absolute_url())
    # One center, one node: both languages' pages name it by the English page's address.
    with translation.override(settings.LANGUAGE_CODE):
        node = request.build_absolute_uri(center.get_absolute_url()) + "#center"
    rows = {fact.relation: fact for fact in facts}
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "@id": node,
        "name": center.name,
        "mainEntityOfPage": page,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(p for p in (center.street, center.street2) if p),
            "addressLocality": center.city,
            "addressRegion": center.state,
            "postalCode": center.zip_code,
            "addressCountry": "US",
        },
        "medicalSpecialty": SPECIALTY,
        "availableService": [
            _service(request, entry) for relation in SERVICE_RELATIONS
            for entry in rows[relation].entries
        ],
        # Not a schema.org term of its own: a named property, so that no reader can miss it.
        "additionalProperty": {
            "@type": "PropertyValue",
            "propertyID": "paidAdvertiser",
            "name": gettext("Paid advertiser"),
            "value": bool(getattr(center, "is_paid_advertiser", False)),
            "description": gettext(
                "Whether this center pays this directory to answer calls to its general "
                "helplines."
            ),
        },
    }  # fmt: skip
    if center.secondary_name:
        data["alternateName"] = center.secondary_name
    if center.best_phone:
        data["telephone"] = phones.international(center.best_phone)
    if center.website:
        data["url"] = center.website
    if center.location is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": round(center.latitude, 5),
            "longitude": round(center.longitude, 5),
        }
    payment = rows["payment_options"]
    if payment.listed:
        data["paymentAccepted"] = ", ".join(entry.name for entry in payment.entries)
    languages = rows["languages"]
    data["knowsLanguage"] = [entry.name for entry in languages.entries]
    if center.hsds_uuid:
        data["identifier"] = str(center.hsds_uuid)
    return data


def _service(request: HttpRequest, entry: Entry) -> dict[str, str]:
    service = {"@type": "MedicalTherapy", "name": entry.name}
    if entry.url:
        service["url"] = request.build_absolute_uri(entry.url)
    return service


def as_script_data(data: dict[str, Any]) -> SafeString:
    """``data`` as JSON safe to place between ``<script>`` tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))
