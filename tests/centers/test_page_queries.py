"""Exact query counts for the home and term pages: a new query is a decision, not an accident."""

import pytest
from django.urls import reverse

from tests.factories import make_center

pytestmark = pytest.mark.django_db

# Anonymous pages read no session. Home: the catalog version (the published count comes from
# the catalog index), therapies, care settings and the footer's general helplines.
HOME_QUERIES = 4
# The term, the catalog version, a page of cards with their paid status (their terms and the
# total come from the catalog index), and the footer's general helplines.
TERM_PAGE_QUERIES = 4


def _centers(count: int) -> None:
    for _ in range(count):
        make_center(therapies=["cbt"], care_settings=["outpatient"], payment_options=["medicaid"])


@pytest.mark.parametrize("count", [1, 12])
def test_home_page(client, django_assert_num_queries, count):
    _centers(count)
    client.get(reverse("centers:home"))  # builds this process's index of the catalog
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(reverse("centers:home")).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize(
    "url_name, slug", [("centers:therapy", "cbt"), ("centers:care-setting", "outpatient")]
)
def test_term_pages(client, django_assert_num_queries, count, url_name, slug):
    _centers(count)
    client.get(reverse(url_name, args=[slug]))  # builds this process's index of the catalog
    with django_assert_num_queries(TERM_PAGE_QUERIES):
        assert client.get(reverse(url_name, args=[slug])).status_code == 200
