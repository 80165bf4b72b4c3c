"""Every public helplines page has exactly one <h1>, and renders without inline code."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helplines import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(advertisers, detox_line):
    services.publish_disclosure(body="First words.")
    services.publish_disclosure(body="Second words.")
    services.publish_disclosure(body="Later.", effective_from=timezone.now() + timedelta(days=1))


PAGES = [
    reverse("helplines:where-calls-go"),
    reverse("helplines:disclosure-history"),
    reverse("helplines:disclosure-version", args=[1]),
    reverse("helplines:disclosure-version", args=[2]),
]


@pytest.mark.parametrize("url", PAGES)
def test_exactly_one_h1(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_script_or_style(client, published, url):
    html = client.get(url).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_where_calls_go_is_linked_from_every_page(client, published):
    for url in PAGES:
        assert 'href="/where-calls-go/"' in client.get(url).content.decode()


def test_exactly_one_h1_on_an_empty_site(client):
    html = client.get(reverse("helplines:where-calls-go")).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    html = client.get(reverse("helplines:disclosure-history")).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_the_admin_report_has_one_h1(client, django_user_model):
    client.force_login(
        django_user_model.objects.create(username="ada", is_staff=True, is_superuser=True)
    )
    html = client.get(reverse("admin:helplines_advertiser_report")).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
