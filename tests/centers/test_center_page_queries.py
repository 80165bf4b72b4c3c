"""The center page: a fixed number of queries, however many terms of however many kinds."""

import pytest
from django.utils import translation
from django.utils.html import escape

from centers.models import Center, prefetch_terms
from centers.models.taxonomy import TERM_KINDS
from tests.factories import make_center

pytestmark = pytest.mark.django_db

# The center with its paid status, its SAMHSA codes with their categories, every term of every
# kind (one UNION ALL), and the footer's general helplines. It was 10: one prefetch per kind.
CENTER_PAGE_QUERIES = 4


def every_kind(count: int) -> dict[str, list[str]]:
    return {kind.relation: [t["slug"] for t in kind.vocabulary[:count]] for kind in TERM_KINDS}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("count", [1, 3])
def test_the_center_page_runs_the_same_queries_whatever_it_lists(
    client, django_assert_num_queries, count, language
):
    center = make_center(**every_kind(count))
    # In Spanish the terms read their name_es (directory.languages.Translated): it must come
    # with the rows already loaded, not as one deferred query per term.
    with translation.override(language):
        url = center.get_absolute_url()
    with django_assert_num_queries(CENTER_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for kind in TERM_KINDS:
        for term in kind.vocabulary[:count]:
            name = term.get(f"name_{language}") or term["name"]
            assert escape(name) in page, (kind.relation, name)


def test_terms_loaded_in_one_query_match_the_prefetched_ones(django_assert_num_queries):
    make_center(**every_kind(3))
    make_center(**every_kind(2))
    expected = [
        {relation: list(getattr(c, relation).all()) for relation in every_kind(1)}
        for c in Center.objects.order_by("pk").for_detail()
    ]
    centers = list(Center.objects.order_by("pk"))
    with django_assert_num_queries(1):
        prefetch_terms(centers)
    loaded = [
        {relation: list(getattr(c, relation).all()) for relation in every_kind(1)} for c in centers
    ]
    assert loaded == expected
    assert (
        centers[0].offers_combination() == Center.objects.get(pk=centers[0].pk).offers_combination()
    )
