"""The listing map's data (/centers/map.json): the listing's results, points or counts."""

import gzip

import pytest
from django.contrib.staticfiles import finders

from centers import maps
from tests.factories import make_advertiser, make_center

URL = "/centers/map.json"
# A request once the catalog index is current: the catalog version (1), then, unless the body
# is in the cache, the points' names and paid status, or the ZIP codes for county counts (1).
# Counts by state need nothing more than the index.
TOKEN_QUERIES = 1
POINT_QUERIES = 1
# What opening the map may add to a listing's first load, gzipped (issue 14).
MAP_BUDGET_BYTES = 120 * 1024
MAP_SCRIPTS = (
    "js/d3-array-3.2.5.min.js",
    "js/d3-geo-3.1.2.min.js",
    "js/topojson-client-3.1.0.min.js",
    "js/map.js",
)


@pytest.fixture(autouse=True)
def empty_cache():
    maps._bodies.clear()


@pytest.fixture
def catalog(db):
    """Five CBT centers in California (two sharing a ZIP's centre), one in Puerto Rico, one in
    Illinois without CBT."""
    sf = [
        make_center(
            name=f"Mission Center {n}", city="San Francisco", state="CA", zip_code="94110",
            latitude=37.7485, longitude=-122.4184, therapies=["cbt"],
        )
        for n in range(2)
    ]  # fmt: skip
    la = [
        make_center(
            name=f"Harbor Center {n}", city="Los Angeles", state="CA", zip_code="90012",
            latitude=34.06 + n / 100, longitude=-118.24, exact_location=True, therapies=["cbt"],
        )
        for n in range(3)
    ]  # fmt: skip
    pr = make_center(
        name="Centro San Juan", city="San Juan", state="PR", zip_code="00901",
        latitude=18.46, longitude=-66.11, therapies=["cbt"],
    )  # fmt: skip
    il = make_center(name="Prairie Center", therapies=["dbt"])
    return {"sf": sf, "la": la, "pr": pr, "il": il}


def rows_of(body: dict) -> list[dict]:
    fields = body["points"]["fields"]
    return [dict(zip(fields, row, strict=True)) for row in body["points"]["rows"]]


def test_a_state_shows_every_result_as_a_point_in_the_listings_order(client, catalog):
    body = client.get(URL, {"state": "CA", "therapy": "cbt"}).json()
    listing = client.get("/centers/", {"state": "CA", "therapy": "cbt"})
    assert body["view"] == "points"
    assert body["total"] == listing.context["page"].paginator.count == 5
    points = rows_of(body)
    assert [p["name"] for p in points] == [
        "Harbor Center 0", "Harbor Center 1", "Harbor Center 2",
        "Mission Center 0", "Mission Center 1",
    ]  # fmt: skip
    assert [p["exact"] for p in points] == [1, 1, 1, 0, 0]
    assert points[0]["slug"] == catalog["la"][0].slug
    assert body["detail_url"].replace(body["slug_hole"], points[0]["slug"]) == (
        catalog["la"][0].get_absolute_url()
    )
    assert body["states"] == [{"code": "CA", "name": "California", "fips": "06", "count": 5}]
    assert list(body["outlines"]) == ["06"]
    assert finders.find(body["outlines"]["06"].removeprefix("/static/"))
    assert body["notices"] == []


def test_paid_status_comes_with_each_point(client, catalog):
    make_advertiser(center=catalog["la"][1])
    points = rows_of(client.get(URL, {"state": "CA"}).json())
    assert {p["name"]: p["paid"] for p in points}["Harbor Center 1"] == 1
    assert sum(p["paid"] for p in points) == 1


def test_the_whole_country_is_counted_by_state_without_points(client, catalog):
    body = client.get(URL).json()
    assert body["view"] == "states"
    assert body["points"] is None
    assert {s["code"]: s["count"] for s in body["states"]} == {"CA": 5, "IL": 1, "PR": 1}
    assert body["outlines"] == {}


def test_near_a_zip_shows_the_points_within_the_circle(client, catalog):
    body = client.get(URL, {"near": "94110", "radius": "25"}).json()
    assert body["view"] == "points"
    assert [p["name"] for p in rows_of(body)] == ["Mission Center 0", "Mission Center 1"]
    assert body["near"]["radius"] == 25


def test_past_the_point_limit_a_state_is_counted_by_county(client, catalog, monkeypatch):
    monkeypatch.setattr(maps, "POINT_LIMIT", 3)
    body = client.get(URL, {"state": "CA"}).json()
    assert body["view"] == "counties"
    assert body["points"] is None
    assert body["counties"] == [
        {"name": "Los Angeles County", "count": 3},
        {"name": "San Francisco County", "count": 2},
    ]
    # A circle with too many results has no state to count counties in: counts by state.
    wide = client.get(URL, {"near": "94110", "radius": "500"}).json()
    assert wide["view"] == "states"
    assert wide["points"] is None


def test_query_count_is_constant_and_a_repeat_is_served_from_the_cache(
    client, catalog, django_assert_num_queries
):
    client.get(URL)  # builds the catalog index
    for params in ({"state": "CA"}, {"near": "94110"}, {"therapy": "cbt", "state": "PR"}):
        with django_assert_num_queries(TOKEN_QUERIES + POINT_QUERIES):
            client.get(URL, params)
        with django_assert_num_queries(TOKEN_QUERIES):
            client.get(URL, params)
    with django_assert_num_queries(TOKEN_QUERIES):
        client.get(URL, {"therapy": "cbt"})


def test_county_counts_cost_one_query(client, catalog, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(maps, "POINT_LIMIT", 1)
    client.get(URL)
    with django_assert_num_queries(TOKEN_QUERIES + POINT_QUERIES):
        assert client.get(URL, {"state": "CA"}).json()["view"] == "counties"


def test_the_map_data_is_public_and_cacheable(client, catalog):
    response = client.get(URL, {"state": "CA"})
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.parametrize(
    "query",
    [
        "therapy=astrology&radius=far&state=ZZ&near=abc&sort=distance",
        "q=" + "x" * 500,
        "q=%00%00&near=%00",
        "near=00000&radius=-5",
        "therapy=cbt&therapy=cbt&state=CA&state=NY",
        "page=last&unknown=1",
        "radius=1e309&near=94110",
    ],
)
def test_bad_parameters_are_ignored_with_notices_never_a_500(client, catalog, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    body = response.json()
    assert body["view"] in {"points", "states"}
    assert isinstance(body["notices"], list)


def test_notices_say_what_was_ignored_like_the_listing(client, catalog):
    query = "therapy=astrology&near=abc"
    body = client.get(f"{URL}?{query}").json()
    listing = client.get(f"/centers/?{query}")
    assert body["notices"] == listing.context["notices"]
    assert any("astrology" in notice for notice in body["notices"])
    assert body["total"] == 7


def test_spanish_notices_and_words_on_the_spanish_url(client, catalog):
    body = client.get(f"/es{URL}?therapy=astrology").json()
    assert "Terapia" in body["notices"][0]
    assert body["labels"]["paid"] == "Anunciante pagado"
    assert body["detail_url"].startswith("/es/centers/")


def test_opening_the_map_adds_at_most_120_kb_gzipped(client, db):
    """The scripts, the state outlines, one state's counties and as many points as the map
    shows one by one, with long names: the heaviest map there is."""
    for n in range(maps.POINT_LIMIT):
        make_center(
            name=f"Valley Recovery Services of Greater Los Angeles {n}", city="Los Angeles",
            state="CA", zip_code="90012", latitude=34 + n / 1000, longitude=-118 - n / 1000,
        )  # fmt: skip
    response = client.get(URL, {"state": "CA"})
    body = response.json()
    assert len(body["points"]["rows"]) == maps.POINT_LIMIT
    sizes = {"map.json": len(gzip.compress(response.content, 9))}
    for name in [*MAP_SCRIPTS, "map/states-10m.json", *body["outlines"].values()]:
        path = finders.find(name.removeprefix("/static/"))
        with open(path, "rb") as file:
            sizes[name] = len(gzip.compress(file.read(), 9))
    print(f"map weight, gzipped: {sizes} total {sum(sizes.values())} bytes")
    assert sum(sizes.values()) <= MAP_BUDGET_BYTES, sizes


def test_the_kept_bodies_are_bounded_in_number_and_time(monkeypatch):
    kept = maps._RecentBodies(size=2, seconds=60)
    for key in ("a", "b", "c"):
        kept.put(key, "{}")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, "{}", "{}")
    now = maps.time.monotonic()
    monkeypatch.setattr(maps.time, "monotonic", lambda: now + 61)
    assert kept.get("c") is None
