"""The listing's cards and filter groups come from stencils kept per catalog version: what each
request fills in (distance, return address, checked boxes, counts) must be its own."""

import re
from dataclasses import replace

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from centers.catalog_index import current_index
from centers.filters import CenterFilter, facets_of
from centers.models import Center
from centers.templatetags.listing import (
    CARD_HOLES,
    CARD_TEMPLATE,
    CHECKED,
    LISTING_TEMPLATE,
    _OptionShape,
    card_notes,
    card_skeletons,
    center_card,
    draw_card,
    facet_markup,
)
from directory.stencils import holes
from tests.factories import make_advertiser, make_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def centers(db):
    near = [
        make_center(
            name=f"Bay Center {n}",
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75 + n / 100,
            longitude=-122.41,
            therapies=["cbt"] if n % 2 else ["cbt", "dbt"],
            care_settings=["outpatient"],
        )
        for n in range(3)
    ]
    far = make_center(name="Plains Center", therapies=["dbt"], care_settings=["residential"])
    return [*near, far]


def card_of(body: str, center) -> str:
    start = body.index(f'aria-labelledby="center-{center.pk}"')
    return body[start : body.index("</article>", start)]


def listing(client, query: str = "", **headers) -> str:
    response = client.get(f"{reverse('centers:list')}?{query}", headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x00" not in body  # no marker ever reaches a page
    return body


def test_a_kept_card_shows_each_requests_distance_and_return_address(client, centers):
    caches["fragments"].clear()
    bay = centers[0]
    plain = card_of(listing(client, "therapy=cbt"), bay)
    assert "miles away" not in plain
    assert 'name="next" value="/centers/?therapy=cbt#center-' in plain
    near = card_of(listing(client, "therapy=cbt&near=94110&radius=25"), bay)
    assert re.search(r'card__distance">\d+\.\d miles away', near)
    assert 'value="/centers/?therapy=cbt&amp;near=94110&amp;radius=25#center-' in near
    # Apart from those two, the kept card is the one drawn first.
    strip = re.compile(r' · <span class="card__distance">[^<]*</span>|name="next" value="[^"]*"')
    assert strip.sub("", near) == strip.sub("", plain)


def test_a_kept_card_is_the_card_drawn_fresh(client, centers):
    caches["fragments"].clear()
    fresh = listing(client, "state=CA")
    kept = listing(client, "state=CA")
    assert kept == fresh


def test_each_request_gets_its_own_checked_boxes_and_counts(client, centers):
    caches["fragments"].clear()
    listing(client, "therapy=cbt")  # the filter groups' stencils are made here
    body = listing(client, "therapy=dbt&setting=outpatient")
    assert re.search(r'value="dbt" checked', body)
    assert not re.search(r'value="cbt" checked', body)
    assert re.search(r'value="outpatient" checked', body)
    # DBT: Bay Centers 0 and 2 (outpatient, and CBT too) and Plains (residential).
    assert 'id="count-therapy-cbt">(2<' in body
    assert 'id="count-therapy-dbt">(2<' in body
    assert 'id="count-setting-residential">(1<' in body
    fragment = listing(client, "therapy=cbt", **{"HX-Request": "true"})
    assert 'id="count-therapy-dbt" hx-swap-oob="true">(2<' in fragment
    assert 'id="count-setting-outpatient" hx-swap-oob="true">(3<' in fragment


def test_a_filled_stencil_is_the_template_rendered_with_the_same_values(rf, centers):
    """Filling a kept stencil gives what rendering the template with the values would."""
    caches["fragments"].clear()
    index = current_index()
    filterset = CenterFilter({"therapy": ["cbt"], "near": "94110"}, facets=facets_of(index))
    center = filterset.validate().search(index)[0:1][0]
    assert center.distance is not None
    request = rf.get("/centers/?therapy=cbt&near=94110")
    for _ in range(2):  # drawn, then kept
        card = center_card({"request": request}, center)
        center.fill_card_terms()
        live = {
            "distance": render_to_string(f"{CARD_TEMPLATE}#distance", {"center": center}),
            "next": f"/centers/?therapy=cbt&near=94110#center-{center.pk}",
        }
        notes = card_notes(center, center.availability_freshness())
        assert card == render_to_string(
            CARD_TEMPLATE, {"center": center, "heading_level": 2, "live": live, "notes": notes}
        )
    for facet in filterset.facets:
        options = [
            _OptionShape(o.slug, o.name, CHECKED if o.selected else "", o.count_label)
            for o in facet.options
        ]
        for _ in range(2):
            assert facet_markup(facet) == render_to_string(
                f"{LISTING_TEMPLATE}#facet_group", {"facet": replace(facet, options=options)}
            )


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_card_drawn_from_its_skeleton_is_the_card_the_template_renders(language):
    """Cards of every shape (texts empty or not, no, one or several terms of each kind, paid or
    not, odd characters), drawn from skeletons, equal the template's; and the card template
    is one a skeleton can draw (no shape falls back to rendering)."""
    terms = ["cbt", "dbt", "mat", "contingency-management"]
    for n in range(12):
        center = make_center(
            name=["A & B <Recovery>", 'The "Quoted" Place', "Plain", "Ünïcode Señor"][n % 4],
            city="O'Fallon" if n % 3 else "Springfield",
            therapies=terms[: n % 5],
            care_settings=["outpatient", "residential"][: n % 3],
            payment_options=["medicaid", "cash", "medicare"][: (n + 1) % 4],
        )
        Center.objects.filter(pk=center.pk).update(
            secondary_name="" if n % 2 else "Unit & Annex",
            intake_phone="" if n % 4 else "+12025550150;ext=7",
            phone="" if n == 5 else center.phone,
        )
        if n in (1, 6):
            make_advertiser(center=center)
    card_skeletons.clear()
    caches["fragments"].clear()
    index = current_index()
    with translation.override(language):
        filterset = CenterFilter({}, facets=facets_of(index)).validate()
        results = filterset.search(index)
        centers = results[0 : len(results)]
        assert len(centers) >= 12
        assert sum(bool(center.is_paid_advertiser) for center in centers) == 2
        for center in centers:
            freshness = center.availability_freshness()
            drawn = draw_card(center, 2, language, freshness)
            center.fill_card_terms()
            context = {
                "center": center,
                "heading_level": 2,
                "live": holes(*CARD_HOLES),
                "notes": card_notes(center, freshness),
            }
            assert drawn == render_to_string(CARD_TEMPLATE, context), center.name
    assert card_skeletons._skeletons
    assert None not in card_skeletons._skeletons.values()
