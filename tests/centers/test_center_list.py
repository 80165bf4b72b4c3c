"""The listing page: query counts, pagination and hostile input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_center

ALL_FILTERS = (
    "therapy=cbt&therapy=dbt&setting=residential&setting=combination&medication=methadone"
    "&payment=medicaid&payment=self-pay&population=adults&language=spanish&state=CA"
    "&near=94110&radius=100&q=center&sort=distance"
)
# vocabulary (1) + count (1) + page (1) + three prefetches for cards + one grouped count per
# facet (6) + the combination count (1) + the general helplines in the header and footer (1).
LISTING_QUERIES = 14


@pytest.fixture
def many_centers(db):
    return [
        make_center(
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75,
            longitude=-122.41,
            therapies=["cbt", "dbt"],
            care_settings=["residential", "outpatient"],
            payment_options=["medicaid"],
            medications=["methadone"],
            populations=["adults"],
            languages=["spanish"],
        )
        for _ in range(45)
    ]


@pytest.mark.parametrize("query", ["", "therapy=cbt", ALL_FILTERS, ALL_FILTERS + "&page=2"])
def test_query_count_is_constant(client, many_centers, django_assert_max_num_queries, query):
    with django_assert_max_num_queries(LISTING_QUERIES):
        response = client.get(f"{reverse('centers:list')}?{query}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_every_filter_at_once_finds_the_matching_centers(client, many_centers):
    response = client.get(f"{reverse('centers:list')}?{ALL_FILTERS}")
    assert response.context["page"].paginator.count == 45


def test_page_numbers_beyond_the_end_show_the_last_page_with_a_notice(client, many_centers):
    response = client.get(reverse("centers:list") + "?page=999999")
    assert response.status_code == 200
    assert response.context["page"].number == 3
    assert "There is no page 999999" in response.content.decode()


HOSTILE_QUERIES = {
    "non-numeric radius": ("near=94110&radius=far", "between 5 and 500 miles"),
    "negative radius": ("near=94110&radius=-5", "between 5 and 500 miles"),
    "huge radius": ("near=94110&radius=1e9", "between 5 and 500 miles"),
    "unknown ZIP": ("near=00000", "is not one we know"),
    "not a ZIP": ("near=<script>", "is not a ZIP code"),
    "unknown therapy": ("therapy=astrology", "we don’t know “astrology”"),
    "unknown setting": ("setting=moon-base&setting=outpatient", "we don’t know “moon-base”"),
    "unknown state": ("state=ZZ", "State:"),
    "lowercase state": ("state=ca", "State:"),
    "bad sort": ("sort=price", "Sort:"),
    "distance sort without ZIP": ("sort=distance", "needs a ZIP code"),
    "page zero": ("page=0", "Pages start at 1"),
    "page text": ("page=last", "is not a page number"),
    "very long q": ("q=" + "a" * 10_000, "shortened to 100 characters"),
    "NUL in q": ("q=abc%00def", "shortened"),
    "invalid UTF-8": ("q=%ff%fe%fd&therapy=%c3%28", "we don’t know"),
}


@pytest.mark.parametrize("case", HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_hostile_input_shows_the_page_with_a_clear_message(client, many_centers, case):
    query, message = case
    response = client.get(f"{reverse('centers:list')}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_repeated_parameters_are_harmless(client, many_centers):
    response = client.get(reverse("centers:list") + "?therapy=cbt&therapy=cbt&state=NY&state=CA")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 45


def test_a_bad_value_does_not_drop_the_good_ones(client, many_centers):
    make_center(therapies=["mat"], state="CA")
    response = client.get(reverse("centers:list") + "?therapy=cbt&therapy=nope")
    assert response.context["page"].paginator.count == 45


def test_htmx_requests_get_the_results_and_facet_counts_only(client, many_centers):
    response = client.get(reverse("centers:list") + "?therapy=cbt", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="result-count"' in body
    assert 'id="count-therapy-cbt" hx-swap-oob="true">(45' in body
    assert '<p id="live-status" hx-swap-oob="innerHTML"><strong>45</strong> centers found' in body
    assert "<html" not in body
    # The same for every visitor (the compare buttons get their token from /visitor/): a
    # shared cache keeps one copy per htmx header and encoding, none per cookie.
    assert response["Vary"] == "HX-Request, HX-History-Restore-Request, Accept-Encoding"


def test_history_restore_requests_get_the_whole_page(client, many_centers):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(reverse("centers:list") + "?therapy=cbt", headers=headers)
    assert "<html" in response.content.decode()


def test_find_turns_a_zip_or_a_city_into_listing_parameters(client):
    response = client.get(reverse("centers:find") + "?where=94110&therapy=cbt&setting=")
    assert response.status_code == 302
    assert response.url == reverse("centers:list") + "?therapy=cbt&setting=&near=94110"
    response = client.get(reverse("centers:find") + "?where=Chicago")
    assert response.url == reverse("centers:list") + "?q=Chicago"


def test_facet_counts_are_reused_for_the_same_filters(client, many_centers, settings):
    settings.FACET_COUNTS_CACHE_SECONDS = 60
    url = reverse("centers:list") + "?therapy=cbt&state=CA"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    make_center(therapies=["cbt"], state="CA", languages=["spanish"])
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    # The six grouped counts and the combination count come from the cache...
    assert len(second) == len(first) - 7
    # ...while the results themselves are always live.
    assert response.context["page"].paginator.count == 46
    facet = next(f for f in response.context["filter"].facets if f.param == "language")
    assert {o.slug: o.count for o in facet.options}["spanish"] == 45
