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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
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
