"""The FindTreatment-compatible locator: parameters as their ``buildParams`` sends them."""

import json
import math

import pytest
from django.core.cache import cache

from centers.api import locator
from centers.api.identity import center_uuid
from centers.api.ratelimit import RATE_LIMIT
from centers.models import Center, Service, ServiceCategory
from tests.factories import make_center

METRES_25_MILES = 25 * locator.METERS_PER_MILE


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def codes(db) -> dict[str, Service]:
    care = ServiceCategory.objects.create(code="TC", name="Type of Care", position=1)
    approach = ServiceCategory.objects.create(code="TAP", name="Treatment approaches", position=2)
    language = ServiceCategory.objects.create(code="LANG", name="Language Services", position=3)
    return {
        "SA": Service.objects.create(code="SA", category=care, name="Substance use treatment "),
        "CBT": Service.objects.create(code="CBT", category=approach, name="Cognitive behavioral "),
        "DBT": Service.objects.create(code="DBT", category=approach, name="Dialectical behavior"),
        "SP": Service.objects.create(code="SP", category=language, name="Spanish"),
    }


def center_at(name: str, lat: float, lng: float, state: str, services: list[Service]) -> Center:
    center = make_center(name=name, latitude=lat, longitude=lng, state=state)
    center.samhsa_codes = {"su": [service.code for service in services]}
    center.samhsa_key = f"{name.lower()}|1 main st|00000"
    center.save()
    center.services.set(services)
    return center


@pytest.fixture
def places(codes):
    """Distances from Springfield, IL (39.80, -89.65): here 0, near ~14 mi, chicago ~180 mi."""
    return {
        "here": center_at("Here", 39.80, -89.65, "IL", [codes["SA"], codes["CBT"]]),
        "near": center_at("Near", 40.00, -89.65, "IL", [codes["SA"], codes["CBT"], codes["SP"]]),
        "chicago": center_at("Chicago", 41.88, -87.63, "IL", [codes["SA"], codes["DBT"]]),
        "la": center_at("Angels", 34.06, -118.24, "CA", [codes["SA"], codes["CBT"]]),
        "hidden": make_center(name="Hidden", status=Center.Status.HIDDEN),
    }


def listing(client, **params):
    response = client.post("/locator/listing", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, json.loads(body)


def test_distance_search_is_sorted_by_miles_within_the_radius(client, places):
    response, data = listing(
        client, sType="SA", sAddr="39.8, -89.65", limitType=2, limitValue=200 * 1609.344
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert [r["name1"] for r in data["rows"]] == ["Here", "Near", "Chicago"]
    assert [r["_irow"] for r in data["rows"]] == [1, 2, 3]
    miles = [r["miles"] for r in data["rows"]]
    assert miles == sorted(miles) and miles[-1] <= 200
    assert data["recordCount"] == 3 and data["totalPages"] == 1 and data["page"] == 1


def test_row_shape_matches_findtreatment(client, places):
    _response, data = listing(client, sAddr="39.8, -89.65", limitType=2, limitValue=1000)
    (row,) = data["rows"]
    assert row["frid"] == str(center_uuid(places["here"]))
    assert isinstance(row["latitude"], str) and isinstance(row["longitude"], str)
    assert row["services"] == [
        {"f1": "Type of Care", "f2": "TC", "f3": "Substance use treatment"},
        {"f1": "Treatment approaches", "f2": "TAP", "f3": "Cognitive behavioral"},
    ]
    assert row["typeFacility"] == "SA" and row["inLatestSamhsaDirectory"] is True
    expected = "_irow frid name1 name2 street1 street2 city state zip phone intake1 hotline1"
    assert set(expected.split()) | {"website", "latitude", "longitude", "miles"} <= set(row)


def test_pages_number_rows_across_pages_and_past_the_end_is_empty(client, places):
    common = {"sAddr": "39.8, -89.65", "pageSize": 2}
    _r, first = listing(client, page=1, **common)
    _r, second = listing(client, page=2, **common)
    _r, beyond = listing(client, page=9, **common)
    assert [r["_irow"] for r in first["rows"] + second["rows"]] == [1, 2, 3, 4]
    assert first["totalPages"] == math.ceil(4 / 2) == second["totalPages"]
    assert second["rows"][-1]["name1"] == "Angels"  # no radius: the whole country, nearest first
    assert beyond["page"] == 9 and beyond["rows"] == [] and beyond["recordCount"] == 4


def test_service_codes_all_required_and_languages_and_state(client, places):
    _r, both = listing(client, sCodes="SA,CBT")
    assert {r["name1"] for r in both["rows"]} == {"Here", "Near", "Angels"}
    _r, spanish = listing(client, sLanguages="SP")
    assert [r["name1"] for r in spanish["rows"]] == ["Near"]
    _r, california = listing(client, limitType=0, limitValue="ca")
    assert [r["name1"] for r in california["rows"]] == ["Angels"]


def test_county_limit_by_the_zip_codes_of_the_county(client, places, django_assert_max_num_queries):
    # Sangamon County, IL holds Springfield (62701, 62704); Cook County holds Chicago (60601).
    for name, zip_code in (("Here", "62701"), ("Near", "62704"), ("Chicago", "60601")):
        Center.objects.filter(pk=places[name.lower()].pk).update(zip_code=zip_code)
    with django_assert_max_num_queries(5):
        _r, cook = listing(client, limitType=1, limitValue="Cook County, IL")
    assert [r["name1"] for r in cook["rows"]] == ["Chicago"]
    _r, first = listing(
        client, limitType=1, limitValue="sangamon, il", sAddr="40.1, -89.65", pageSize=1
    )
    _r, second = listing(
        client, limitType=1, limitValue="Sangamon County, IL", sAddr="40.1, -89.65", pageSize=1,
        page=2,
    )  # fmt: skip
    assert first["recordCount"] == 2 and first["totalPages"] == 2
    assert [r["name1"] for r in first["rows"] + second["rows"]] == ["Near", "Here"]
    assert [r["_irow"] for r in first["rows"] + second["rows"]] == [1, 2]
    assert first["rows"][0]["miles"] < second["rows"][0]["miles"]
    # The factory's default ZIP is Springfield's: the state filter keeps out the CA center.
    expected = Center.objects.published().filter(state="IL", zip_code__in=["62701", "62704"])
    assert first["recordCount"] == expected.count()


def test_totals_equal_the_listing_querysets(client, places):
    _r, data = listing(client, sAddr="39.8, -89.65", limitType=2, limitValue=METRES_25_MILES)
    from centers.geo import Point

    expected = Center.objects.published().within(Point(39.8, -89.65), 25).count()
    assert data["recordCount"] == expected == 2


def test_name_order_and_get_with_the_same_parameters(client, places):
    response = client.get("/locator/listing", {"sort": 1, "sAddr": "39.8, -89.65"})
    data = json.loads(b"".join(response.streaming_content))
    assert [r["name1"] for r in data["rows"]] == ["Angels", "Chicago", "Here", "Near"]


def test_flagged_when_not_in_the_latest_directory(client, places):
    Center.objects.filter(pk=places["la"].pk).update(in_latest_directory=False)
    _r, data = listing(client, limitType=0, limitValue="CA")
    assert data["rows"][0]["inLatestSamhsaDirectory"] is False


@pytest.mark.parametrize(
    "params",
    [
        {"page": "two"},
        {"pageSize": "-5"},
        {"page": "0"},
        {"sAddr": "somewhere"},
        {"sAddr": "91, 0"},
        {"sCodes": "NOPE"},
        {"sCodes": ",".join(f"X{i}" for i in range(10_000))},
        {"sType": "XX"},
        {"limitType": "2", "limitValue": "1000"},
        {"limitType": "2", "limitValue": "-1", "sAddr": "1,1"},
        {"limitType": "2", "limitValue": "nan", "sAddr": "1,1"},
        {"limitType": "0", "limitValue": "ZZ"},
        {"limitType": "1", "limitValue": "Cook"},
        {"limitType": "1", "limitValue": "Nowhere County, IL"},
        {"limitType": "1", "limitValue": "Cook County, ZZ"},
        {"limitType": "1", "limitValue": ", IL"},
        {"limitType": "7", "limitValue": "1"},
        {"sort": "4"},
    ],
)
def test_bad_input_is_a_400_with_a_message(client, codes, params):
    response, data = listing(client, **params)
    assert response.status_code == 400
    assert data["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_huge_page_size_is_capped_and_streamed(client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        _r, data = listing(client, pageSize=10**12, sAddr="39.8, -89.65")
    assert data["totalPages"] == 1 and len(data["rows"]) == 4


def test_a_large_page_reads_its_codes_a_chunk_at_a_time(
    client, codes, monkeypatch, django_assert_num_queries
):
    for n in range(5):
        center_at(f"C{n}", 39.8 + n / 100, -89.65, "IL", [codes["SA"], codes["CBT"]])
    monkeypatch.setattr(locator, "CHUNK_SIZE", 2)
    # Codes, count, the catalog, the page; then the codes of each chunk of two centers.
    with django_assert_num_queries(4 + 3):
        _r, data = listing(client, pageSize=5, sAddr="39.8, -89.65")
    assert [r["_irow"] for r in data["rows"]] == [1, 2, 3, 4, 5]
    assert all(len(r["services"]) == 2 for r in data["rows"])


def test_query_count_does_not_grow_with_the_page(client, codes, django_assert_num_queries):
    for n in range(30):
        center_at(f"C{n}", 39.8 + n / 100, -89.65, "IL", [codes["SA"], codes["CBT"]])
    # Codes, count, the code catalog, the page, its codes (one query per chunk of centers).
    for size in (1, 30):
        with django_assert_num_queries(5):
            _r, data = listing(client, pageSize=size, sAddr="39.8, -89.65")
        assert len(data["rows"]) == size


def test_no_cookies_no_csrf_and_a_rate_limit(codes):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for _ in range(RATE_LIMIT):
        response = client.post("/locator/listing", {})
        assert response.status_code == 200
        assert not response.cookies
    refused = client.post("/locator/listing", {})
    assert refused.status_code == 429 and json.loads(refused.content)["error"]
    assert refused["Retry-After"]


def test_preflight_allows_any_origin(client, db):
    response = client.options("/locator/listing")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
