"""What crawlers and browsers ask every site for: robots.txt, /favicon.ico, the app icons and
the web app manifest."""

import json
import re
import struct
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders

from tests.factories import make_center

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


def disallowed(client) -> list[re.Pattern]:
    """robots.txt's Disallow rules as patterns, with RFC 9309's "*" (any characters)."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    rules = re.findall(r"^Disallow: (\S+)$", response.text, re.MULTILINE)
    return [re.compile(re.escape(rule).replace(r"\*", ".*")) for rule in rules]


def blocked(rules: list[re.Pattern], path: str) -> bool:
    return any(rule.match(path) for rule in rules)


def test_robots_keeps_private_and_state_changing_paths_out(client):
    center = make_center()
    rules = disallowed(client)
    for path in (
        "/admin/", "/admin/login/",
        "/helplines/voice/incoming/", "/helplines/voice/status/", "/helplines/voice/whisper/",
        "/helplines/voice/dial-status/", "/helplines/voice/language/",
        f"/helplines/call/{center.slug}/",
        "/callback/", "/es/callback/", f"/centers/{center.slug}/callback/",
        f"/es/centers/{center.slug}/callback/", f"/centers/{center.slug}/report/",
        "/compare/", "/compare/?c=a&c=b", "/es/compare/", "/compare/tray/",
        "/visitor/", "/es/visitor/", "/helplines/voice/screen/",
        f"/centers/{center.slug}/claim/", f"/es/centers/{center.slug}/claim/", "/claim/code/",
        "/manage/", "/manage/sign-in/", f"/manage/centers/{center.slug}/", "/es/manage/",
    ):  # fmt: skip
        assert blocked(rules, path), path


def test_robots_lets_every_public_page_be_read(client):
    center = make_center()
    rules = disallowed(client)
    for path in (
        "/", "/es/", "/centers/", "/centers/?therapy=cbt", center.get_absolute_url(),
        f"/es{center.get_absolute_url()}", "/therapies/cbt/", "/care-settings/residential/",
        "/guides/inpatient-vs-outpatient/", "/where-calls-go/", "/api/", "/sitemap.xml",
        "/sitemap-centers.xml",
    ):  # fmt: skip
        assert not blocked(rules, path), path


def test_robots_points_to_the_sitemap_with_an_absolute_url(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "directory.example.org"]
    assert "\nSitemap: http://testserver/sitemap.xml\n" in client.get("/robots.txt").text
    secure = client.get("/robots.txt", secure=True, headers={"host": "directory.example.org"})
    assert "Sitemap: https://directory.example.org/sitemap.xml" in secure.text
    assert client.get("/robots.txt").text.startswith("User-agent: *\n")


def ico_images(data: bytes) -> dict[int, bytes]:
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    images = {}
    for n in range(count):
        width, _h, _c, _r, _p, _bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * n : 22 + 16 * n]
        )
        images[width or 256] = data[offset : offset + size]
    return images


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    return struct.unpack(">II", data[16:24])


def test_favicon_ico_answers_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    images = ico_images(b"".join(response.streaming_content))
    assert sorted(images) == [16, 32, 48]
    for size, png in images.items():
        assert png_size(png) == (size, size)
    assert client.head("/favicon.ico").status_code == 200


def test_pages_name_their_icons_and_manifest(client):
    body = client.get("/").text
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in body
    assert '<link rel="icon" href="/static/img/icons/icon.svg" type="image/svg+xml">' in body
    assert '<link rel="apple-touch-icon" href="/static/img/icons/apple-touch-icon.png">' in body
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<link rel="manifest" href="/es/manifest.webmanifest">' in client.get("/es/").text
    apple = finders.find("img/icons/apple-touch-icon.png")
    with open(apple, "rb") as icon:
        assert png_size(icon.read()) == (180, 180)


def test_the_svg_icon_is_self_contained(client):
    path = finders.find("img/icons/icon.svg")
    with open(path) as icon:
        source = icon.read()
    root = ElementTree.fromstring(source)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "href" not in source and "url(" not in source and "<image" not in source


@pytest.mark.parametrize(
    ("path", "language", "name", "start"),
    [
        ("/manifest.webmanifest", "en", "Treatment Directory", "/"),
        ("/es/manifest.webmanifest", "es", "Directorio de Tratamiento", "/es/"),
    ],
)
def test_the_web_app_manifest(client, path, language, name, start):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["lang"], manifest["name"], manifest["start_url"]) == (language, name, start)
    assert manifest["display"] == "minimal-ui"
    sizes = {}
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        if icon["type"] == "image/png":
            with open(found, "rb") as image:
                sizes[icon.get("purpose", "any"), icon["sizes"]] = png_size(image.read())
    assert sizes == {
        ("any", "192x192"): (192, 192),
        ("any", "512x512"): (512, 512),
        ("maskable", "512x512"): (512, 512),
    }


def test_pages_kept_out_of_indexes_say_so_when_reached_anyway(client):
    """A link elsewhere can still lead a crawler to them: they ask not to be indexed."""
    center = make_center()
    for path in ("/compare/", "/callback/", f"/centers/{center.slug}/callback/", "/es/compare/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<meta name="robots" content="noindex">' in response.text, path
    assert 'name="robots"' not in client.get(center.get_absolute_url()).text
