"""The listing page: query counts, pagination and hostile input."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from centers.models import Center
from tests.factories import make_center

ALL_FILTERS = (
    "therapy=cbt&therapy=dbt&setting=residential&setting=combination&medication=methadone"
    "&payment=medicaid&payment=self-pay&population=adults&language=spanish&state=CA"
    "&near=94110&radius=100&q=center&sort=distance"
)
# Once the process's catalog index is current: the catalog version (1), the page of cards with
# their paid status (1), the general helplines in the header and footer (1, not in the htmx
# fragment). Word search, counts, totals and the cards' terms come from the index.
LISTING_QUERIES = 3
HELPLINE_QUERIES = 1
# After a catalog write, the first request also rebuilds the index: centers, terms, links.
INDEX_BUILD_QUERIES = 3

# Every filter alone and in company, every sort, words, distance, pages and the htmx fragment:
# the count must not depend on which filters are used.
FILTER_MIXES = {
    "nothing": "",
    "one therapy": "therapy=cbt",
    "two therapies": "therapy=cbt&therapy=dbt",
    "setting": "setting=residential",
    "combination": "setting=combination",
    "medication": "medication=methadone",
    "payment": "payment=medicaid&payment=self-pay",
    "population": "population=adults",
    "language": "language=spanish",
    "state": "state=CA",
    "near": "near=94110&radius=50",
    "near, by distance": "near=94110&radius=50&sort=distance",
    "recently verified": "sort=recently-verified",
    "taking new clients now": "taking=now&therapy=cbt",
    "words": "q=center",
    "all filters": ALL_FILTERS,
    "all filters, page 2": ALL_FILTERS + "&page=2",
    "a page past the end": "therapy=cbt&page=99",
    "nothing matches": "therapy=cbt&state=NY",
    "hostile": "therapy=astrology&radius=far&state=ZZ&page=last",
}


@pytest.fixture
def many_centers(db):
    centers = [
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
    # Half of them said this week that they take new clients.
    Center.objects.filter(pk__in=[c.pk for c in centers[::2]]).update(
        availability=Center.Availability.ACCEPTING, availability_stated_at=timezone.now()
    )
    return centers


@pytest.mark.parametrize(
    "language, found", [("en", "centers found"), ("es", "centros encontrados")]
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("query", FILTER_MIXES.values(), ids=FILTER_MIXES.keys())
def test_query_count_is_the_same_for_every_filter_mix(
    client, many_centers, django_assert_num_queries, query, htmx, language, found
):
    """In either language: a Spanish page costs what the English one does."""
    with translation.override(language):
        url = reverse("centers:list")
    client.get(url)  # builds this process's index of the catalog
    expected = (
        LISTING_QUERIES
        - (HELPLINE_QUERIES if htmx else 0)
        - (1 if query == FILTER_MIXES["nothing matches"] else 0)  # no page of cards to read
    )
    headers = {"HX-Request": "true"} if htmx else {}
    with django_assert_num_queries(expected):
        response = client.get(f"{url}?{query}", headers=headers)
    assert response.status_code == 200
    assert found in response.content.decode()
    assert expected <= 5


@pytest.mark.parametrize("query", FILTER_MIXES.values(), ids=FILTER_MIXES.keys())
def test_cards_drawn_afresh_cost_no_query(client, many_centers, django_assert_num_queries, query):
    """A card reads only the columns the page query fetched, and its terms from the index."""
    client.get(reverse("centers:list"))
    caches["fragments"].clear()
    expected = LISTING_QUERIES - (1 if query == FILTER_MIXES["nothing matches"] else 0)
    with django_assert_num_queries(expected):
        response = client.get(f"{reverse('centers:list')}?{query}")
    assert response.status_code == 200


def test_a_catalog_write_costs_one_rebuild(client, many_centers, django_assert_num_queries):
    client.get(reverse("centers:list"))
    make_center(therapies=["cbt"])
    with django_assert_num_queries(LISTING_QUERIES + INDEX_BUILD_QUERIES):
        client.get(reverse("centers:list") + "?therapy=cbt")
    with django_assert_num_queries(LISTING_QUERIES):
        client.get(reverse("centers:list") + "?therapy=dbt")


def test_a_full_page_of_cards_reads_no_term_table(client, many_centers):
    client.get(reverse("centers:list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("centers:list") + "?" + ALL_FILTERS)
    assert len(response.context["page"].object_list) == 20
    assert not [q["sql"] for q in queries if "centers_therapytype" in q["sql"]]
    card = response.content.decode()
    assert "Cognitive" in card and "Residential" in card and "Medicaid" in card


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


def test_a_new_center_counts_at_once(client, many_centers):
    """The index behind the listing follows every write: no cache to wait out."""
    url = reverse("centers:list") + "?therapy=cbt&state=CA"
    client.get(url)
    make_center(therapies=["cbt"], state="CA", languages=["spanish"])
    response = client.get(url)
    assert response.context["page"].paginator.count == 46
    facet = next(f for f in response.context["filter"].facets if f.param == "language")
    assert {o.slug: o.count for o in facet.options}["spanish"] == 46
