"""Every HSDS endpoint, its answers validated against the official 3.0 schemas."""

import json

import pytest
from django.core.cache import cache

from centers.api.hsds import taxonomy
from centers.api.identity import identity_uuid
from centers.models import TERM_KINDS, Center, Service, ServiceCategory
from tests.factories import make_center

from .hsds_schemas import assert_valid, needs_specs, page_validator, validator

pytestmark = needs_specs

HERE = "62701"  # Springfield, IL; its centroid is 39.8, -89.6495
# Queries of one service, organization or service at location: the center, then its SAMHSA
# codes (with their categories) and each kind of term.
DETAIL_QUERIES = 2 + len(TERM_KINDS)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def codes(db) -> dict[str, Service]:
    care = ServiceCategory.objects.create(code="TC", name="Type of Care ", position=1)
    approach = ServiceCategory.objects.create(code="TAP", name="Treatment Approaches", position=2)
    return {
        "SA": Service.objects.create(code="SA", category=care, name="Substance use treatment "),
        "CBT": Service.objects.create(code="CBT", category=approach, name="Cognitive behavioral"),
        "DBT": Service.objects.create(code="DBT", category=approach, name="Dialectical behavior"),
    }


@pytest.fixture
def centers(codes):
    full = make_center(
        name="Harbor House",
        phone="+12025550142",
        therapies=["cbt"],
        payment_options=["medicaid"],
        languages=["spanish"],
        accreditations=["joint-commission"],
    )
    full.secondary_name = "Harbor"
    full.website = "https://harbor.example.org/"
    full.intake_phone = "+12025550143;ext=12"
    full.description = "Residential care by the sea."
    full.street, full.street2 = "1 Dock Road", "Suite 2"
    full.samhsa_key = "harbor house|1 dock rd|62701"
    full.save()
    full.services.set([codes["SA"], codes["CBT"]])
    bare = make_center(name="Bare Minimum", latitude=None, longitude=None, zip_code="99999")
    far = make_center(name="Far Away", zip_code="60601", latitude=41.88, longitude=-87.63)
    far.services.set([codes["SA"], codes["DBT"]])
    make_center(name="Hidden", status=Center.Status.HIDDEN)
    return {"full": full, "bare": bare, "far": far}


def get(client, url: str, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def names(data: dict) -> list[str]:
    return [item.get("name") or item["service"]["name"] for item in data["contents"]]


# --- Answers validate --------------------------------------------------------------------


def test_root_names_the_version_profile_and_openapi_document(client, db):
    _r, data = get(client, "/api/hsds/")
    assert data["version"] == "3.0"
    assert data["openapi_url"] == "http://testserver/api/openapi.json"
    assert data["profile"].startswith("https://")


@pytest.mark.parametrize(
    ("url", "params", "item_schema"),
    [
        ("/api/hsds/services", {}, "service_list.json"),
        ("/api/hsds/services", {"full": "true"}, "service_list.json"),
        ("/api/hsds/services", {"minimal": "true"}, "service_list.json"),
        ("/api/hsds/organizations", {}, "organization_list.json"),
        # Nested organizations are whole organizations, not list items.
        ("/api/hsds/organizations", {"full": "true"}, "organization.json"),
        ("/api/hsds/organizations", {"full_service": "true"}, "organization.json"),
        ("/api/hsds/service_at_locations", {}, "service_at_location_list.json"),
        ("/api/hsds/service_at_locations", {"full": "true"}, "service_at_location_list.json"),
        ("/api/hsds/taxonomies", {}, "objects/taxonomy.json"),
        ("/api/hsds/taxonomy_terms", {}, "objects/taxonomy_term.json"),
    ],
)
def test_every_list_validates_as_a_page(client, centers, url, params, item_schema):
    response, data = get(client, url, **params, per_page=500)
    assert response.status_code == 200
    assert_valid(page_validator(item_schema), data)
    assert data["total_items"] == len(data["contents"]) > 0


def test_every_object_validates(client, centers):
    _r, services = get(client, "/api/hsds/services")
    assert len(services["contents"]) == 3  # the hidden center is not published
    for item in services["contents"]:
        _r, service = get(client, f"/api/hsds/services/{item['id']}")
        assert_valid(validator("service.json"), service)
        _r, organization = get(client, f"/api/hsds/organizations/{item['organization_id']}")
        assert_valid(validator("organization.json"), organization)
        _r, full = get(client, f"/api/hsds/organizations/{item['id']}", full_service="true")
        assert_valid(validator("organization.json"), full)
        # The OpenAPI file names service.json here; the API reference says a service at
        # location, which is what this is.
        _r, at_location = get(client, f"/api/hsds/service_at_locations/{item['id']}")
        assert_valid(validator("service_at_location.json"), at_location)
    _r, taxonomies = get(client, "/api/hsds/taxonomies", per_page=500)
    for item in taxonomies["contents"]:
        _r, found = get(client, f"/api/hsds/taxonomies/{item['id']}")
        assert_valid(validator("objects/taxonomy.json"), found)
        assert found == item
    _r, terms = get(client, "/api/hsds/taxonomy_terms", per_page=500)
    for item in terms["contents"]:
        _r, found = get(client, f"/api/hsds/taxonomy_terms/{item['id']}")
        assert_valid(validator("objects/taxonomy_term.json"), found)
        assert found == item


def test_a_service_carries_its_phones_address_languages_funding_and_codes(client, centers):
    full = centers["full"]
    _r, service = get(client, f"/api/hsds/services/{full.hsds_uuid}")
    assert [p["number"] for p in service["phones"]] == ["(202) 555-0142", "(202) 555-0143"]
    assert service["phones"][1]["extension"] == 12
    assert [language["name"] for language in service["languages"]] == ["Spanish"]
    assert [funding["source"] for funding in service["funding"]] == ["Medicaid"]
    assert service["accreditations"] == "The Joint Commission"
    codes = {a["taxonomy_term"]["code"] for a in service["attributes"]}
    assert codes == {
        "SA",
        "CBT",
        "therapies:cbt",
        "payment_options:medicaid",
        "languages:spanish",
        "accreditations:joint-commission",
    }
    (at_location,) = service["service_at_locations"]
    (address,) = at_location["location"]["addresses"]
    assert (address["address_1"], address["address_2"], address["postal_code"]) == (
        "1 Dock Road",
        "Suite 2",
        "62701",
    )
    assert address["address_type"] == "physical" and address["country"] == "US"


# --- Ids ---------------------------------------------------------------------------------


def test_ids_are_the_stored_uuid_derived_from_the_samhsa_identity(client, db):
    key = "harbor house|1 dock rd|62701"
    center = Center.objects.create(
        name="Harbor House", slug="harbor", city="X", state="IL", zip_code=HERE, samhsa_key=key
    )
    center.refresh_from_db()
    assert center.hsds_uuid == identity_uuid(samhsa_key=key, slug="ignored")
    _r, data = get(client, "/api/hsds/organizations", search="harbor")
    assert data["contents"][0]["id"] == str(center.hsds_uuid)


def test_a_hand_entered_center_keeps_its_id_when_its_slug_changes(db):
    center = make_center(name="Hand Entered")
    first = center.hsds_uuid
    assert first == identity_uuid(samhsa_key="", slug=center.slug)
    center.slug = "renamed"
    center.save()
    center.refresh_from_db()
    assert center.hsds_uuid == first


def test_one_object_is_one_indexed_query_plus_its_relations(
    client, centers, django_assert_num_queries
):
    for url in ("services", "organizations", "service_at_locations"):
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(f"/api/hsds/{url}/{centers['full'].hsds_uuid}")
        assert response.status_code == 200


# --- Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        ("/api/hsds/services", {"full": "true"}, 3),  # count, page, accreditations
        ("/api/hsds/services", {"minimal": "true"}, 3),
        ("/api/hsds/organizations", {}, 3),
        ("/api/hsds/organizations", {"full_service": "true"}, 2 + DETAIL_QUERIES - 1),
        ("/api/hsds/service_at_locations", {"full": "true", "postcode": HERE}, 3),
        # The vocabulary: categories, codes, each kind of term; then count, page, accreditations.
        ("/api/hsds/services", {"taxonomy_term_id": "term"}, 2 + len(TERM_KINDS) + 3),
        ("/api/hsds/taxonomy_terms", {}, 2 + len(TERM_KINDS)),
        ("/api/hsds/taxonomies", {}, 2 + len(TERM_KINDS)),
    ],
)
def test_query_counts_do_not_grow_with_the_page(
    client, codes, django_assert_num_queries, url, params, queries
):
    for n in range(12):
        center = make_center(name=f"Center {n}", therapies=["cbt"], accreditations=["carf"])
        center.services.set([codes["CBT"]])
    if params.get("taxonomy_term_id"):
        params["taxonomy_term_id"] = taxonomy.samhsa_term_id(codes["CBT"])
    for per_page in (1, 12):
        with django_assert_num_queries(queries):
            response = client.get(url, {**params, "per_page": per_page})
        data = json.loads(response.content)
        assert response.status_code == 200
        assert len(data["contents"]) == min(per_page, data["total_items"])


# --- Vocabulary --------------------------------------------------------------------------


def test_every_category_is_a_taxonomy_and_every_code_and_term_a_taxonomy_term(client, centers):
    _r, taxonomies = get(client, "/api/hsds/taxonomies", per_page=500)
    assert [t["name"] for t in taxonomies["contents"]] == [
        "Type of Care",
        "Treatment Approaches",
        taxonomy.DIRECTORY_TAXONOMY_NAME,
    ]
    _r, terms = get(client, "/api/hsds/taxonomy_terms", per_page=500)
    directory_terms = sum(kind.model.objects.count() for kind in TERM_KINDS)
    assert terms["total_items"] == Service.objects.count() + len(TERM_KINDS) + directory_terms
    codes = [term["code"] for term in terms["contents"]]
    assert len(codes) == len(set(codes))  # unique in the dataset, as the tabular schema asks


def test_terms_filter_by_taxonomy_parent_top_only_and_search(client, centers, codes):
    approaches = taxonomy.samhsa_taxonomy_id(codes["CBT"].category)
    _r, data = get(client, "/api/hsds/taxonomy_terms", taxonomy_id=approaches)
    assert [term["code"] for term in data["contents"]] == ["CBT", "DBT"]
    therapies = taxonomy.kind_term_id(TERM_KINDS[0])
    _r, data = get(client, "/api/hsds/taxonomy_terms", parent_id=therapies, search="cognitive")
    assert [term["code"] for term in data["contents"]] == ["therapies:cbt"]
    _r, data = get(
        client,
        "/api/hsds/taxonomy_terms",
        top_only="true",
        taxonomy_id=data["contents"][0]["taxonomy_id"],
        per_page=500,
    )
    assert [term["name"] for term in data["contents"]] == [kind.plural for kind in TERM_KINDS]
    _r, data = get(client, "/api/hsds/taxonomies", search="approaches")
    assert names(data) == ["Treatment Approaches"]


# --- Parameters, combined with AND -------------------------------------------------------


def test_taxonomy_term_organization_search_and_modified_after_combine(client, centers, codes):
    cbt_code = taxonomy.samhsa_term_id(codes["CBT"])
    _r, data = get(client, "/api/hsds/services", taxonomy_term_id=cbt_code)
    assert names(data) == ["Harbor House"]
    sa_code = taxonomy.samhsa_term_id(codes["SA"])
    _r, data = get(client, "/api/hsds/services", taxonomy_term_id=sa_code, search="far")
    assert names(data) == ["Far Away"]
    _r, data = get(
        client, "/api/hsds/services", taxonomy_term_id=sa_code, modified_after="2999-01-01"
    )
    assert data["empty"] and data["contents"] == []
    therapies = taxonomy.kind_term_id(TERM_KINDS[0])  # any therapy at all
    _r, data = get(client, "/api/hsds/service_at_locations", taxonomy_term_id=therapies)
    assert [item["service_id"] for item in data["contents"]] == [str(centers["full"].hsds_uuid)]
    approaches = taxonomy.samhsa_taxonomy_id(codes["CBT"].category)
    far = str(centers["far"].hsds_uuid)
    _r, data = get(client, "/api/hsds/services", taxonomy_id=approaches, organization_id=far)
    assert names(data) == ["Far Away"]
    _r, data = get(client, "/api/hsds/organizations", search="harbor", modified_after="2000-01-01")
    assert names(data) == ["Harbor House"]


def test_postcode_alone_matches_the_zip_and_with_proximity_the_distance(client, centers):
    _r, data = get(client, "/api/hsds/service_at_locations", postcode=HERE, full="true")
    assert names(data) == ["Harbor House"]
    _r, data = get(
        client, "/api/hsds/service_at_locations", postcode=HERE, proximity=10, full="true"
    )
    assert names(data) == []  # the center stands 43 m from the ZIP's centroid
    _r, data = get(
        client, "/api/hsds/service_at_locations", postcode=HERE, proximity=50, full="true"
    )
    assert names(data) == ["Harbor House"]
    _r, data = get(
        client, "/api/hsds/service_at_locations", postcode=HERE, proximity=300_000, full="true"
    )
    assert names(data) == ["Harbor House", "Far Away"]  # nearest first; unlocated left out


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/hsds/services", {"page": "x"}),
        ("/api/hsds/services", {"per_page": "-1"}),
        ("/api/hsds/services", {"modified_after": "yesterday"}),
        ("/api/hsds/services", {"full": "maybe"}),
        ("/api/hsds/services", {"full": "true", "minimal": "true"}),
        ("/api/hsds/services", {"taxonomy_term_id": "cbt"}),
        ("/api/hsds/services", {"taxonomy_term_id": "00000000-0000-4000-8000-000000000000"}),
        ("/api/hsds/services", {"organization_id": "x" * 5000}),
        ("/api/hsds/services", {"format": "ndjson"}),
        ("/api/hsds/service_at_locations", {"proximity": "1000"}),
        ("/api/hsds/service_at_locations", {"postcode": "abc"}),
        ("/api/hsds/service_at_locations", {"postcode": HERE, "proximity": "far"}),
        ("/api/hsds/service_at_locations", {"postcode": HERE, "proximity": "-5"}),
        ("/api/hsds/service_at_locations", {"postcode": HERE, "proximity": "inf"}),
        ("/api/hsds/service_at_locations", {"postcode": "00000", "proximity": "5"}),
        ("/api/hsds/taxonomy_terms", {"parent_id": "nope"}),
        ("/api/hsds/taxonomy_terms", {"top_only": "2"}),
        ("/api/hsds/organizations", {"full_service": "yes please"}),
        ("/api/hsds/services/not-a-uuid", {}),
        ("/api/hsds/taxonomies/not-a-uuid", {}),
        # PostgreSQL text cannot hold NUL: found by the live-server fuzz as a 500.
        ("/api/hsds/services", {"search": "a\x00b"}),
        ("/api/hsds/organizations", {"search": "\x00"}),
        ("/api/hsds/service_at_locations", {"postcode": "\x00"}),
        ("/locator/listing", {"sAddr": "40.7,\x00-74"}),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, centers, url, params):
    response, data = get(client, url, **params)
    assert response.status_code == 400
    assert data["error"]


@pytest.mark.parametrize(
    "kind", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
)
def test_an_unknown_id_is_a_404_with_a_message(client, centers, kind):
    response, data = get(client, f"/api/hsds/{kind}/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404 and data["error"]


def test_a_hidden_center_is_not_found(client, centers):
    hidden = Center.objects.get(name="Hidden")
    response = client.get(f"/api/hsds/services/{hidden.hsds_uuid}")
    assert response.status_code == 404
