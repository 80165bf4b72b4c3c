"""Center pages described for machines: schema.org JSON-LD, read with a JSON-LD processor."""

import json

import pytest
from django.conf import settings
from pyld import jsonld

from centers.models import Center
from tests.centers.jsonld import (
    KNOWN_PROPERTIES,
    KNOWN_TYPES,
    OPTIONS,
    SCHEMA,
    blocks,
    expanded,
    terms_used,
    values,
)
from tests.factories import make_advertiser, make_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    center = make_center(
        name="Bayview Recovery",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        latitude=37.750912,
        longitude=-122.415301,
        phone="+14155550147",
        therapies=["cbt"],
        care_settings=["residential"],
        medications=["buprenorphine"],
        payment_options=["medicaid"],
        languages=["spanish"],
    )
    center.street = "1 Valencia Street"
    center.street2 = "Suite 2"
    center.intake_phone = "+14155550148;ext=7"
    center.website = "https://bayview.example.org/"
    center.save()
    return center


def page_data(client, url: str) -> dict:
    (document,) = blocks(client.get(url).text)
    return document


def test_the_json_ld_parses_and_names_the_address_phone_and_place(client, center):
    document = page_data(client, center.get_absolute_url())
    node = expanded(document)
    assert node["@type"] == [SCHEMA + "MedicalClinic"]
    assert node["@id"] == f"http://testserver{center.get_absolute_url()}#center"
    assert values(node, "name") == ["Bayview Recovery"]
    (address,) = node[SCHEMA + "address"]
    assert address["@type"] == [SCHEMA + "PostalAddress"]
    assert values(address, "streetAddress") == ["1 Valencia Street, Suite 2"]
    assert values(address, "addressLocality") == ["San Francisco"]
    assert values(address, "addressRegion") == ["CA"]
    assert values(address, "postalCode") == ["94110"]
    assert values(address, "addressCountry") == ["US"]
    # The number to call first: intake, with its extension.
    assert values(node, "telephone") == ["+1 415-555-0148 ext. 7"]
    (geo,) = node[SCHEMA + "geo"]
    assert (values(geo, "latitude"), values(geo, "longitude")) == ([37.75091], [-122.4153])
    assert values(node, "url") == ["https://bayview.example.org/"]
    assert values(node, "mainEntityOfPage") == [f"http://testserver{center.get_absolute_url()}"]
    assert values(node, "medicalSpecialty") == ["https://schema.org/Psychiatric"]
    services = [values(s, "name")[0] for s in node[SCHEMA + "availableService"]]
    assert services == ["Residential", "Cognitive behavioral therapy (CBT)", "Buprenorphine"]
    assert values(node, "paymentAccepted") == ["Medicaid"]
    assert values(node, "knowsLanguage") == ["English", "Spanish"]
    # As RDF too: every statement has a schema.org predicate.
    quads = jsonld.to_rdf(document, {**OPTIONS, "format": "application/n-quads"})
    assert '<http://schema.org/telephone> "+1 415-555-0148 ext. 7"' in quads


def test_only_schema_org_terms_are_used(client, center):
    make_advertiser(center=center)
    node = expanded(page_data(client, center.get_absolute_url()))
    types, properties = terms_used(node)
    assert types <= KNOWN_TYPES, types - KNOWN_TYPES
    assert properties <= KNOWN_PROPERTIES, properties - KNOWN_PROPERTIES
    # Nothing was dropped by expansion: every key of the document became a property.
    document = page_data(client, center.get_absolute_url())
    assert set(document) - {"@context", "@type", "@id"} <= properties


def paid_property(document: dict) -> dict:
    prop = document["additionalProperty"]
    assert prop["propertyID"] == "paidAdvertiser"
    return prop


def test_a_paid_advertiser_says_so_to_machines(client, center):
    ordinary = make_center(name="Ordinary Clinic")
    make_advertiser(center=center)
    assert paid_property(page_data(client, center.get_absolute_url()))["value"] is True
    assert paid_property(page_data(client, ordinary.get_absolute_url()))["value"] is False
    node = expanded(page_data(client, center.get_absolute_url()))
    (prop,) = node[SCHEMA + "additionalProperty"]
    assert values(prop, "value") == [True]


def test_spanish_pages_describe_the_center_in_spanish(client, center):
    make_advertiser(center=center)
    english_url = center.get_absolute_url()
    spanish_url = f"/es{english_url}"
    document = page_data(client, spanish_url)
    assert document["mainEntityOfPage"] == f"http://testserver{spanish_url}"
    # The same center, so the same node as the English page's.
    assert document["@id"] == f"http://testserver{english_url}#center"
    assert [s["name"] for s in document["availableService"]][:2] == [
        "Residencial",
        "Terapia cognitivo-conductual (TCC)",
    ]
    assert document["availableService"][1]["url"] == "http://testserver/es/therapies/cbt/"
    assert document["knowsLanguage"] == ["Inglés", "Español"]
    assert paid_property(document)["name"] == "Anunciante pagado"
    assert paid_property(document)["value"] is True
    expanded(document)


@pytest.mark.parametrize(
    "name", ["</script><script>alert(1)</script>", "A <!-- B", "Smith & Sons </SCRIPT >"]
)
def test_a_name_can_never_end_the_script_block(client, name):
    center = make_center(name=name)
    body = client.get(center.get_absolute_url()).text
    start = body.index('<script type="application/ld+json">')
    block = body[start : body.index("</script>", start)]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    assert blocks(body)[0]["name"] == name


def test_only_listed_centers_are_described(client):
    closed = make_center(status=Center.Status.CLOSED)
    body = client.get(closed.get_absolute_url()).text
    assert "reported as closed" in body
    assert "application/ld+json" not in body


def test_a_center_with_little_data_is_still_valid(client):
    center = make_center(latitude=None, longitude=None, phone="+12025550101")
    document = page_data(client, center.get_absolute_url())
    assert "geo" not in document and "url" not in document
    assert document["availableService"] == []
    assert document["address"]["streetAddress"] == ""
    assert document["telephone"] == "+1 202-555-0101"
    expanded(document)


def test_json_ld_is_data_so_the_policy_stays_strict(client, center):
    """A ``<script type="application/ld+json">`` is a data block, which browsers never run: it
    needs no ``unsafe-inline``, no nonce and no hash, and the policy is the site's own."""
    home = client.get("/")
    response = client.get(center.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert policy == home["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives == {name: " ".join(sources) for name, sources in settings.SECURE_CSP.items()}
    assert "unsafe-inline" not in policy and "nonce-" not in policy and "sha256-" not in policy
    body = response.text
    # The only inline script is the data block; every other script is a file of ours.
    assert body.count("<script") == body.count('<script src="/static/') + 1
    assert json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
