"""English at today's URLs, Spanish under /es/, and nothing but the URL choosing between them."""

import pytest


@pytest.mark.django_db
def test_english_stays_at_the_root_and_spanish_lives_under_es(client):
    english = client.get("/")
    spanish = client.get("/es/")
    assert english.status_code == spanish.status_code == 200
    assert english.content.startswith(b'<!doctype html>\n<html lang="en">')
    assert spanish.content.startswith(b'<!doctype html>\n<html lang="es">')
    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"
    assert "Saltar al contenido principal" in spanish.text
    assert "Skip to main content" in english.text


@pytest.mark.django_db
def test_every_page_links_to_itself_in_the_other_language_with_its_query(client):
    english = client.get("/centers/?therapy=cbt&state=CA")
    assert 'href="/es/centers/?therapy=cbt&amp;state=CA" hreflang="es" lang="es"' in english.text
    spanish = client.get("/es/centers/?therapy=cbt&state=CA")
    assert 'href="/centers/?therapy=cbt&amp;state=CA" hreflang="en" lang="en"' in spanish.text


@pytest.mark.django_db
def test_alternates_and_canonical_name_both_languages(client):
    spanish = client.get("/es/")
    assert '<link rel="canonical" href="http://testserver/es/">' in spanish.text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/">' in spanish.text
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/">' in spanish.text
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/">' in spanish.text
    english = client.get("/")
    assert '<link rel="canonical" href="http://testserver/">' in english.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"},
        {"HTTP_ACCEPT_LANGUAGE": "\x00;;q=garbage,,"},
        {"HTTP_COOKIE": "django_language=es"},
        {"HTTP_COOKIE": "django_language=<script>"},
        {"HTTP_COOKIE": "django_language=" + "x" * 4000},
    ],
)
def test_neither_accept_language_nor_a_cookie_moves_a_visitor(client, headers):
    """The page asked for is the page served: no redirect, no other language, no Vary."""
    response = client.get("/centers/", **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")
    spanish = client.get("/es/centers/", **headers)
    assert spanish.status_code == 200
    assert spanish["Content-Language"] == "es"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/xx/centers/", "/en/centers/", "/es-zz/", "/ES/centers/", "/es/no-such-page/", "/es/%00/"],
)
def test_unknown_language_prefixes_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_api_health_check_and_admin_have_no_spanish_twin(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/es/healthz").status_code == 404
    assert client.get("/es/admin/").status_code == 404
    assert client.get("/es/api/v1/centers/").status_code == 404


def test_numbers_and_dates_read_as_us_spanish_does():
    import datetime

    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import date
    from django.utils import formats, translation

    with translation.override("es"):
        assert intcomma(17940) == "17,940"
        assert formats.localize(3.5) == "3.5"
        assert date(datetime.date(2026, 12, 3)) == "3 de diciembre de 2026"
        assert date(datetime.date(2026, 12, 3), "MONTH_DAY_FORMAT") == "3 de diciembre"
    with translation.override("en"):
        assert intcomma(17940) == "17,940"
        assert date(datetime.date(2026, 12, 3)) == "Dec. 3, 2026"


@pytest.mark.django_db
def test_a_page_with_no_spanish_version_offers_no_switch(client):
    docs = client.get("/api/")
    assert docs.status_code == 200
    assert 'hreflang="es"' not in docs.text
    assert '<link rel="canonical" href="http://testserver/api/">' in docs.text


def test_addresses_are_kept_per_language_and_match_reverse():
    from django.urls import reverse
    from django.utils import translation

    from directory.languages import address

    for language in ("en", "es", "en"):
        with translation.override(language):
            for args in (("cbt",), ("a-b",)):
                assert address("centers:therapy", *args) == reverse("centers:therapy", args=args)
            assert address("centers:list") == reverse("centers:list")
    with translation.override("es"):
        assert address("centers:detail", "harbor") == "/es/centers/harbor/"
    assert address("centers:detail", "harbor") == "/centers/harbor/"
    # Kept: each view, arguments and language is reversed once.
    from directory import languages

    kept = [key for key in languages._addresses if key[:2] == ("centers:detail", ("harbor",))]
    assert sorted(key[3] for key in kept) == ["en", "es"]


def test_a_page_whose_url_passes_a_dict_gets_its_404_page_not_a_500(client, db):
    """The sitemap's URLconf passes the sitemaps themselves (a dict) to its view; its 404
    page is the site's own, with its frame and its address (which cannot be kept)."""
    response = client.get("/sitemap-nothing.xml")
    assert response.status_code == 404
    body = response.content.decode()
    assert "1-800-662-4357" in body
    assert '<link rel="canonical" href="http://testserver/sitemap-nothing.xml">' in body


@pytest.mark.django_db
def test_alternates_drawn_from_skeletons_are_what_their_template_renders(client):
    """Each page kind's alternates, in both languages and with a query string to escape, drawn
    from the skeleton another page of the same shape left equal their template rendered for
    this page; no shape falls back to rendering."""
    from django.template import Context

    from directory.templatetags.languages import alternates_skeletons, language_alternates
    from tests.factories import make_center

    centers = [make_center(name=name) for name in ("First", "Second & co")]
    pairs = [
        ("/centers/?therapy=cbt&state=CA", "/centers/?q=<b>&page=2"),
        (centers[0].get_absolute_url(), centers[1].get_absolute_url()),
        ("/api/", "/api/?from=menu"),
    ]
    pairs += [(f"/es{first}", f"/es{second}") for first, second in pairs[:2]]
    drawings = []
    for first, second in pairs:
        contexts = [
            Context(
                {"request": response.wsgi_request, "LANGUAGE_CODE": response["Content-Language"]}
            )
            for response in (client.get(first), client.get(second))
        ]
        alternates_skeletons.clear()
        language_alternates(contexts[0])  # the skeleton of this shape, drawn and compared
        drawn = language_alternates(contexts[1])
        alternates_skeletons.clear()
        assert drawn == language_alternates(contexts[1])  # rendered directly
        assert 'rel="canonical"' in drawn
        drawings.append(drawn)
    assert "/es/centers/?q=%3Cb%3E&amp;page=2" in drawings[0]
    assert drawings[2].count('rel="alternate"') == 0  # the API's page has one version
    assert None not in alternates_skeletons._skeletons.values()
