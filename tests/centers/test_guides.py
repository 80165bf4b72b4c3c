"""The inpatient-or-outpatient guide: its live counts, their links, and the figures' caveat.

The ``catalog`` fixture (tests/centers/conftest.py) gives four published centers, two of them in
California, and one hidden center in San Francisco that must never be counted.
"""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from centers.models import COMBINATION, CareSetting, Center
from tests.factories import make_center

GUIDE = reverse("centers:guide-inpatient-outpatient")
# The catalog version (1; every count comes from the catalog index, nearby ones too) +
# therapies for the reading list (1) + the general helplines in the header and footer (1).
GUIDE_QUERIES = 3


def counts_by_slug(response) -> dict[str, tuple[int, int | None]]:
    return {
        row.slug: (row.national.count, row.nearby.count if row.nearby else None)
        for row in response.context["counts"]
    }


def listing_count(client, url: str) -> int:
    return client.get(url).context["page"].paginator.count


def test_national_counts_match_the_database(client, catalog):
    response = client.get(GUIDE)
    counts = counts_by_slug(response)
    assert response.status_code == 200
    assert counts["residential"] == (2, None)  # San Francisco and Springfield
    assert counts["outpatient"] == (2, None)  # San Francisco and Los Angeles, not the hidden one
    assert counts["inpatient"] == (1, None)
    assert counts["detox"] == (0, None)
    assert counts[COMBINATION] == (1, None)  # San Francisco: residential plus outpatient
    published = Center.objects.published()
    for setting in CareSetting.objects.all():
        expected = published.offering_any("care_settings", [setting.slug]).count()
        assert counts[setting.slug][0] == expected
    assert response.context["counts"][0].national.total == 4


def test_each_count_links_to_the_matching_listing(client, catalog):
    response = client.get(GUIDE)
    body = response.content.decode()
    for row in response.context["counts"]:
        url = f"/centers/?{urlencode({'setting': row.slug})}"
        assert row.national.url == url
        assert f'<a href="{url}">{row.national.count}<span' in body
        assert listing_count(client, url) == row.national.count


def test_counts_near_a_zip_code(client, catalog):
    response = client.get(f"{GUIDE}?near=94110&radius=25")
    counts = counts_by_slug(response)
    # Only Bayview Recovery is within 25 miles of 94110 (Hidden Harbor is hidden).
    assert counts["residential"] == (2, 1)
    assert counts["outpatient"] == (2, 1)
    assert counts["inpatient"] == (1, 0)
    assert counts[COMBINATION] == (1, 1)
    body = response.content.decode()
    assert 'Near 94110<span class="visually-hidden">, within 25 miles</span></th>' in body
    for row in response.context["counts"]:
        expected = f"/centers/?{urlencode({'setting': row.slug, 'near': '94110', 'radius': 25})}"
        assert row.nearby.url == expected
        assert f'href="{expected.replace("&", "&amp;")}"' in body
        assert listing_count(client, expected) == row.nearby.count


def test_a_wider_radius_counts_more(client, catalog):
    counts = counts_by_slug(client.get(f"{GUIDE}?near=94110&radius=500"))
    assert counts["outpatient"] == (2, 2)  # Los Angeles is about 350 miles away


@pytest.mark.parametrize(
    "query, message",
    [
        ("near=00000", "is not one we know"),
        ("near=hello", "is not a ZIP code"),
        ("near=94110&radius=9999", "between 5 and 500 miles"),
        ("near=94110&radius=x", "between 5 and 500 miles"),
    ],
)
def test_bad_input_is_explained_and_national_counts_still_shown(client, catalog, query, message):
    response = client.get(f"{GUIDE}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts_by_slug(response)["residential"][0] == 2


@pytest.mark.parametrize("query", ["", "near=94110", "near=94110&radius=100"])
def test_query_count_is_constant(client, catalog, django_assert_num_queries, query):
    for _ in range(10):
        make_center(care_settings=["residential", "outpatient", "detox"])
    client.get(GUIDE)  # builds this process's index of the catalog
    with django_assert_num_queries(GUIDE_QUERIES):
        response = client.get(f"{GUIDE}?{query}")
    assert response.status_code == 200


def test_the_chart_draws_each_share_with_svg_attributes(client, catalog):
    body = client.get(f"{GUIDE}?near=94110").content.decode()
    # Residential: 2 of 4 centers nationally, 1 of 1 near 94110.
    residential = body[body.index('<dt class="chart__label">Residential</dt>') :]
    residential = residential[: residential.index("</div>")]
    assert "Nationally: 50%" in residential
    assert '<rect class="chart__fill" width="50.0" height="4"/>' in residential
    assert "Near 94110: 100%" in residential
    assert '<rect class="chart__fill chart__fill--near" width="100.0" height="4"/>' in residential


def test_an_empty_directory_draws_empty_bars(client, db):
    Center.objects.all().delete()
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert 'width="0.0"' in response.content.decode()


def test_the_retention_figures_come_with_their_caveat(client, db):
    body = client.get(GUIDE).content.decode()
    assert "About <strong>65 out of 100</strong>" in body
    assert "About <strong>35 out of 100</strong>" in body
    assert "They are reported figures, not ours." in body
    assert "do not say which study or year they come from" in body
    assert "not a promise" in body
    assert "triggers that are still around someone living at home" in body
    assert "Relapse is common" in body
    assert "aftercare" in body


def test_every_kind_of_care_is_explained_and_linked(client, db):
    body = client.get(GUIDE).content.decode()
    for slug in ("inpatient", "residential", "outpatient", "intensive-outpatient", "detox"):
        assert f'href="{reverse("centers:care-setting", args=[slug])}"' in body
    assert f'href="{reverse("centers:care-setting", args=["partial-hospitalization"])}"' in body
    for heading in ("Who it tends to suit", "A typical day", "Combination care"):
        assert heading in body
    assert 'href="/therapies/cbt/"' in body


def test_markup_has_one_h1_and_nothing_inline(client, catalog):
    body = client.get(f"{GUIDE}?near=94110").content.decode()
    assert body.count("<h1") == 1
    assert " style=" not in body
    assert "<script>" not in body
    assert '<caption id="counts-caption">' in body
    assert re.search(r'<table class="guide__counts">', body)
