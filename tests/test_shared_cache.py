"""Which responses a CDN may keep, and that none of those holds anything of one visitor."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from centers.compare import TRAY_COOKIE
from directory.middleware import PUBLIC_PAGES
from tests.factories import make_center
from tests.test_public_pages import crawl

SHARED = "public, max-age=60, stale-while-revalidate=300"


@pytest.fixture
def site(db):
    from helplines.demo import create_demo_helplines

    centers = [
        make_center(therapies=["cbt"], care_settings=["residential", "outpatient"]),
        make_center(therapies=["dbt"], care_settings=["inpatient"]),
    ]
    create_demo_helplines(centers=centers)
    return centers


def visitor_with_everything(client: Client, slugs: list[str]) -> Client:
    """A returning visitor: a session, a CSRF cookie and a compare tray."""
    client.cookies["sessionid"] = "a-session-of-this-visitor"
    client.cookies["csrftoken"] = "A" * 32
    client.cookies[TRAY_COOKIE] = ".".join(slugs)
    return client


def public_urls(client: Client) -> list[str]:
    """Every page the crawl reaches whose URL name is in PUBLIC_PAGES, the API docs and their
    OpenAPI document, the guide (linked only from the care settings it explains), the listing
    map's data (which its script asks for), and what crawlers and browsers read: robots.txt,
    the sitemap and the web app manifest."""
    urls = [
        *crawl(client),
        reverse("api:docs"),
        reverse("api:openapi"),
        reverse("centers:guide-inpatient-outpatient"),
        reverse("robots"),
        reverse("sitemap"),
        reverse("sitemap-section", args=["centers"]),
        reverse("manifest"),
        reverse("centers:map-points") + "?state=CA",
    ]
    return [url for url in urls if client.get(url).resolver_match.view_name in PUBLIC_PAGES]


@pytest.mark.parametrize("returning", [False, True], ids=["new visitor", "returning visitor"])
def test_every_public_page_is_shared_and_holds_nothing_of_the_visitor(client, site, returning):
    urls = public_urls(client)
    names = {client.get(url).resolver_match.view_name for url in urls}
    assert names == PUBLIC_PAGES, f"the walk never reached {PUBLIC_PAGES - names}"
    if returning:
        visitor_with_everything(client, [center.slug for center in site])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == SHARED, url
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        vary = {value.strip() for value in response.get("Vary", "").split(",") if value.strip()}
        assert "Cookie" not in vary, url
        assert vary <= {"Accept-Encoding", "HX-Request", "HX-History-Restore-Request"}, url
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert "Your comparison (" not in body and "In your comparison" not in body, url


def test_the_listing_varies_on_htmx_and_its_fragment_is_shared_too(client, site):
    full = client.get("/centers/")
    assert {"HX-Request", "HX-History-Restore-Request"} <= set(full["Vary"].split(", "))
    fragment = client.get("/centers/", headers={"HX-Request": "true"})
    assert fragment["Cache-Control"] == SHARED
    assert len(fragment.content) < len(full.content)


def test_a_page_showing_a_message_is_private(client, site):
    center = site[0]
    client.post(
        reverse("centers:report-problem", args=[center.slug]),
        {"kind": "closed", "details": "The door was locked."},
    )
    response = client.get(center.get_absolute_url())
    assert "Thank you. Our editors will check this listing." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    # Shown once: the next visit is the shared page again.
    assert client.get(center.get_absolute_url())["Cache-Control"] == SHARED


@pytest.mark.parametrize(
    "url",
    ["/callback/", "/compare/", "/visitor/", "/admin/login/", "/healthz", "/no-such-page/"],
)
def test_forms_cookies_admin_and_errors_are_private(client, site, url):
    cache_control = client.get(url)["Cache-Control"]
    assert "private" in cache_control or "no-store" in cache_control, (url, cache_control)
    assert "public" not in cache_control


def test_posts_are_private(client, site):
    response = client.post(reverse("centers:compare-tray"), {"add": site[0].slug})
    assert response.status_code == 302
    assert "public" not in response["Cache-Control"]


def test_html_is_compressed_and_shrinks(client, site):
    plain = client.get("/centers/")
    packed = client.get("/centers/", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3


def test_json_is_compressed(client, site):
    response = client.get(reverse("api:openapi"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_gzip_output_varies_in_length_against_breach(client, site):
    """Django pads the gzip header with 0-99 random bytes, so lengths leak no secret."""
    lengths = {
        len(client.get("/centers/", headers={"Accept-Encoding": "gzip"}).content) for _ in range(8)
    }
    assert len(lengths) > 1


def test_each_compressed_page_carries_random_padding_against_breach(client, site):
    """As Django's own gzip does: the header names a file of 0 to 99 random bytes, so the same
    page compresses to different lengths, and any gzip reader reads it."""
    lengths = set()
    for _ in range(12):
        packed = client.get("/centers/", headers={"Accept-Encoding": "gzip"}).content
        assert packed[3] & gzip.FNAME
        lengths.add(len(packed))
        assert gzip.decompress(packed).startswith(b"<!doctype html>")
    assert len(lengths) > 1
