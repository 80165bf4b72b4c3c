"""/sitemap.xml: every public page, in both languages where it has a Spanish twin, in files of
at most URLS_PER_FILE URLs, each at a fixed number of queries."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from centers.models import CareSetting, Center, TherapyType
from directory.sitemaps import URLS_PER_FILE, CenterSitemap
from helplines.models import Disclosure
from tests.factories import make_center

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
HOST = "http://testserver"
SHARED = "public, max-age=60, stale-while-revalidate=300"


def xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    assert response["Cache-Control"] == SHARED
    return ElementTree.fromstring(response.content)


def files(client) -> list[str]:
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    return [loc.text.removeprefix(HOST) for loc in index.findall("s:sitemap/s:loc", NS)]


def entries(client, url: str) -> dict[str, dict[str, str]]:
    """Each <url>'s location, with its hreflang alternates."""
    found = {}
    for entry in xml(client, url).findall("s:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href").removeprefix(HOST)
            for link in entry.findall("x:link", NS)
        }
        found[entry.find("s:loc", NS).text.removeprefix(HOST)] = alternates
    return found


def every_url(client) -> dict[str, dict[str, str]]:
    found = {}
    for url in files(client):
        found.update(entries(client, url))
    return found


@pytest.fixture
def site():
    published = [make_center() for _ in range(3)]
    make_center(status=Center.Status.HIDDEN)
    make_center(status=Center.Status.CLOSED)
    Disclosure.objects.create(version=1, body="First.")
    Disclosure.objects.create(
        version=2, body="Not yet.", effective_from=timezone.now() + timedelta(days=3)
    )
    return published


def test_every_published_center_in_both_languages_with_alternates(client, site):
    urls = every_url(client)
    listings = ("/centers/", "/es/centers/")
    centers = {url for url in urls if url.startswith(listings) and url not in listings}
    expected = set()
    for center in site:
        english = center.get_absolute_url()
        expected |= {english, f"/es{english}"}
        assert urls[english] == {"en": english, "es": f"/es{english}", "x-default": english}
        assert urls[f"/es{english}"] == urls[english]
    # Hidden and closed centers are nobody's search result.
    assert centers == expected


def test_terms_guide_statements_and_pages_are_listed(client, site):
    urls = every_url(client)
    for term in [*TherapyType.objects.all(), *CareSetting.objects.all()]:
        assert term.get_absolute_url() in urls
        assert f"/es{term.get_absolute_url()}" in urls
    for page in ("/", "/centers/", "/guides/inpatient-vs-outpatient/", "/where-calls-go/",
                 "/where-calls-go/history/", "/where-calls-go/history/1/"):  # fmt: skip
        assert page in urls and f"/es{page}" in urls, page
    # A statement not yet in effect is not public; the API's documentation is in English only.
    assert "/where-calls-go/history/2/" not in urls
    assert "/api/" in urls and "/es/api/" not in urls
    assert urls["/api/"] == {"en": "/api/", "x-default": "/api/"}


def test_long_sections_are_split_into_files_the_index_names(client, site, monkeypatch):
    assert URLS_PER_FILE <= 50_000
    make_center()
    monkeypatch.setattr(CenterSitemap, "limit", 3)  # 4 centers, 8 URLs: 3 files
    names = [name for name in files(client) if "centers" in name]
    assert names == ["/sitemap-centers.xml", "/sitemap-centers.xml?p=2", "/sitemap-centers.xml?p=3"]
    pages = [entries(client, name) for name in names]
    assert [len(page) for page in pages] == [3, 3, 2]
    listed = [url for page in pages for url in page]
    assert len(listed) == len(set(listed)) == 2 * Center.objects.published().count()


@pytest.mark.parametrize("count", [3, 12])
def test_each_file_costs_the_same_queries_however_many_centers(
    client, django_assert_num_queries, count
):
    for _ in range(count):
        make_center()
    # Count, then one slice of centers.
    with django_assert_num_queries(2):
        client.get("/sitemap-centers.xml")
    # Each section counted; the centers' latest change.
    with django_assert_num_queries(5):
        client.get("/sitemap.xml")


@pytest.mark.parametrize(
    "url", ["/sitemap-centers.xml?p=0", "/sitemap-centers.xml?p=9", "/sitemap-centers.xml?p=x",
            "/sitemap-centers.xml?p=1.5", "/sitemap-nothing.xml", "/sitemap-centers.xml?p=-1"],
)  # fmt: skip
def test_bad_pages_and_sections_are_not_found(client, site, url):
    assert client.get(url).status_code == 404


def test_the_index_dates_the_centers_by_their_latest_change(client, site):
    index = xml(client, "/sitemap.xml")
    dated = {
        node.find("s:loc", NS).text: node.find("s:lastmod", NS)
        for node in index.findall("s:sitemap", NS)
    }
    latest = max(center.updated_at for center in Center.objects.published())
    assert dated[f"{HOST}/sitemap-centers.xml"].text.startswith(str(latest.date())[:4])
