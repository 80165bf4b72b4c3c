"""Walk the public site from the home page and check what every page must have."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.factories import make_center

# Links that change state or leave HTML: a helpline link records a call and redirects to tel:.
NOT_PAGES = ("/admin/", "/helplines/call/", "/helplines/voice/", "/static/")
MAX_PAGES = 240


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1_count = 0
        self.links: list[str] = []
        self.has_main = self.has_skip_link = False
        self.ids: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        if tag == "meta" and (attributes.get("name") or attributes.get("property")):
            key = attributes.get("name") or attributes.get("property") or ""
            self.meta.setdefault(key, attributes.get("content") or "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href") or ""
        if tag == "h1":
            self.h1_count += 1
        elif tag == "main":
            self.has_main = True
        elif tag == "a" and attributes.get("href"):
            href = attributes["href"] or ""
            self.links.append(href)
            if href == "#main":
                self.has_skip_link = True


def crawl(client) -> dict[str, PageParser]:
    seen: dict[str, PageParser] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        parser = PageParser()
        parser.feed(response.content.decode())
        seen[url] = parser
        for href in parser.links:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue  # tel:, other sites, relative query links are covered by their page
            path = href.removeprefix("/es")  # the Spanish pages are walked too
            if path.startswith(NOT_PAGES) or "page=" in href:
                continue
            queue.append(href)
    return seen


@pytest.fixture
def small_site(db):
    from helplines.demo import create_demo_helplines

    centers = [
        make_center(
            therapies=["cbt", "mat"],
            care_settings=["residential", "outpatient"],
            payment_options=["medicaid"],
        ),
        make_center(therapies=["dbt"], care_settings=["inpatient"]),
    ]
    create_demo_helplines(centers=centers)
    return centers


def test_every_public_page_has_one_h1_landmarks_and_a_skip_link(client, small_site):
    pages = crawl(client)
    assert len(pages) > 20, sorted(pages)
    for url, page in pages.items():
        assert page.h1_count == 1, f"{url} has {page.h1_count} <h1> elements"
        assert page.has_main, f"{url} has no <main>"
        assert page.has_skip_link, f"{url} has no skip link"
        duplicated = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicated, f"{url} repeats ids {duplicated}"


def test_every_public_page_has_a_description_and_open_graph_meta(client, small_site):
    center = small_site[0].get_absolute_url()
    pages = crawl(client)
    descriptions = {}
    for url, page in pages.items():
        spanish = url.startswith("/es/")
        for key in ("description", "og:title", "og:description", "og:url", "og:type",
                    "og:site_name", "og:image", "og:locale"):  # fmt: skip
            assert page.meta.get(key, "").strip(), f"{url} has no {key}"
        assert page.meta["og:description"] == page.meta["description"], url
        assert page.meta["og:url"] == page.canonical, url
        assert page.canonical.startswith("http://testserver/"), url
        # One address per page: a query string only where it makes another page (filters).
        if "?" in page.canonical:
            assert page.canonical.startswith(("http://testserver/centers/?",
                                              "http://testserver/es/centers/?")), url  # fmt: skip
        assert page.meta["og:image"].startswith("http://testserver/static/img/icons/"), url
        assert page.meta["og:locale"] == ("es_US" if spanish else "en_US"), url
        descriptions[url] = page.meta["description"]
    # A center's Spanish page describes it in Spanish.
    assert descriptions[center] != descriptions[f"/es{center}"]
    assert "Tipos de atención" in descriptions[f"/es{center}"]


def test_a_center_page_is_canonical_without_its_query_string(client, small_site):
    center = small_site[0].get_absolute_url()
    page = PageParser()
    page.feed(client.get(f"{center}?utm_source=newsletter&next=/compare/").text)
    assert page.canonical == f"http://testserver{center}"


def test_free_public_lines_are_on_every_page(client, small_site):
    for url in crawl(client):
        body = client.get(url).content.decode()
        assert 'href="tel:+18006624357"' in body, url
        assert 'href="tel:988"' in body, url


def test_not_found_page_has_one_h1(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    parser = PageParser()
    parser.feed(response.content.decode())
    assert parser.h1_count == 1
