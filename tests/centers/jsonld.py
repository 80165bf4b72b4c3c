"""Read a page's schema.org JSON-LD the way a search engine does, with PyLD, offline.

schema.org's context (https://schema.org, served as JSON-LD) maps every term onto its
vocabulary with ``@vocab`` and marks link-valued properties as IRIs; the loader below answers
that URL with the same mappings for the terms our pages use, so no test reaches the network.
Any other URL is refused.
"""

import json
import re
from html import unescape
from typing import Any

from pyld import jsonld

SCHEMA = "http://schema.org/"
SCHEMA_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
        "mainEntityOfPage": {"@id": "schema:mainEntityOfPage", "@type": "@id"},
    }
}
# Every type and property the center pages use, each checked against schema.org's definitions
# (MedicalClinic is a MedicalBusiness, so a LocalBusiness and a Place, and a MedicalOrganization).
KNOWN_TYPES = {
    "MedicalClinic",
    "PostalAddress",
    "GeoCoordinates",
    "MedicalTherapy",
    "PropertyValue",
}
KNOWN_PROPERTIES = {
    "name", "alternateName", "description", "url", "mainEntityOfPage", "identifier",
    "address", "streetAddress", "addressLocality", "addressRegion", "postalCode",
    "addressCountry", "telephone", "geo", "latitude", "longitude", "medicalSpecialty",
    "availableService", "paymentAccepted", "knowsLanguage", "additionalProperty", "propertyID",
    "value",
}  # fmt: skip
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def offline_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise jsonld.JsonLdError(
            f"no network in tests: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


OPTIONS = {"documentLoader": offline_loader}


def blocks(html: str) -> list[dict[str, Any]]:
    """The page's JSON-LD blocks, as JSON (the text of a script element is not HTML-escaped)."""
    return [json.loads(text) for text in SCRIPT.findall(html)]


def expanded(document: dict[str, Any]) -> dict[str, Any]:
    """The one node of ``document`` in expanded form: full IRIs for every type and property."""
    (node,) = jsonld.expand(document, OPTIONS)
    return node


def values(node: dict[str, Any], prop: str) -> list[Any]:
    return [item.get("@value", item.get("@id", item)) for item in node.get(SCHEMA + prop, [])]


def terms_used(node: Any) -> tuple[set[str], set[str]]:
    """Every schema.org type and property in an expanded node, without the namespace."""
    types, properties = set(), set()
    if isinstance(node, list):
        for item in node:
            found = terms_used(item)
            types |= found[0]
            properties |= found[1]
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types |= {unescape(t).removeprefix(SCHEMA) for t in value}
            elif not key.startswith("@"):
                properties.add(key.removeprefix(SCHEMA))
                found = terms_used(value)
                types |= found[0]
                properties |= found[1]
    return types, properties
