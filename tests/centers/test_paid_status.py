"""Paid status is always visible: on listing cards, detail pages and therapy pages."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_advertiser, make_center

BADGE = 'class="paid-badge"'


@pytest.fixture
def advertiser_center(db):
    center = make_center(name="Paying Provider", therapies=["cbt"])
    make_advertiser(center=center)
    return center


@pytest.fixture
def ordinary_center(db):
    return make_center(name="Ordinary Clinic", therapies=["cbt"])


def card(body: str, name: str) -> str:
    start = body.index(f">{name}</a>")
    return body[start : body.index("</article>", start)]


def test_listing_cards_show_the_badge_only_for_current_advertisers(
    client, advertiser_center, ordinary_center
):
    body = client.get(reverse("centers:list")).content.decode()
    assert BADGE in card(body, "Paying Provider")
    assert BADGE not in card(body, "Ordinary Clinic")


def test_therapy_pages_show_the_badge(client, advertiser_center, ordinary_center):
    body = client.get(reverse("centers:therapy", args=["cbt"])).content.decode()
    assert BADGE in card(body, "Paying Provider")


def test_detail_page_shows_the_badge(client, advertiser_center, ordinary_center):
    assert BADGE in client.get(advertiser_center.get_absolute_url()).content.decode()
    assert BADGE not in client.get(ordinary_center.get_absolute_url()).content.decode()


def test_a_lapsed_advertiser_loses_the_badge(client, db):
    center = make_center(name="Former Advertiser")
    make_advertiser(center=center, starts_on=date(2020, 1, 1), ends_on=date(2021, 1, 1))
    assert BADGE not in client.get(center.get_absolute_url()).content.decode()


def test_a_new_advertiser_gets_its_badge_on_the_next_listing(client, ordinary_center):
    """Cards keep their costly part in a per-process cache; the badge is never in it."""
    assert BADGE not in card(
        client.get(reverse("centers:list")).content.decode(), "Ordinary Clinic"
    )
    make_advertiser(center=ordinary_center)
    assert BADGE in card(client.get(reverse("centers:list")).content.decode(), "Ordinary Clinic")
