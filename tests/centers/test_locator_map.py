"""The locator map beside a center's address: server-drawn SVG, honest about its precision."""

import re

import pytest

from centers.locator import HEIGHT, WIDTH, locator_map
from tests.factories import make_center


def test_a_zip_centre_is_called_an_approximate_location(client, db):
    center = make_center(zip_code="62701", latitude=39.8, longitude=-89.65)
    html = client.get(center.get_absolute_url()).content.decode()
    assert '<figure class="locator">' in html
    assert "Approximate location: the centre of ZIP code 62701" in html
    assert "locator__dot--approximate" in html
    # The state is drawn, and the dot inside the picture.
    dot = re.search(r'<circle class="locator__dot[^"]*" cx="([\d.]+)" cy="([\d.]+)"', html)
    assert dot and 0 <= float(dot[1]) <= WIDTH and 0 <= float(dot[2]) <= HEIGHT
    # The outlines come from a file every page of the state shares.
    outline = re.search(
        r'<use class="locator__state" href="(/outlines/il-[0-9a-f]{8}\.svg)#state"', html
    )
    assert outline and f'<use class="locator__land" href="{outline[1]}#land"/>' in html


def test_a_states_outline_file_is_kept_for_good_under_its_name(client, db):
    center = make_center(state="IL")
    html = client.get(center.get_absolute_url()).content.decode()
    url = re.search(r'href="(/outlines/[^"#]+)#state"', html)[1]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    body = response.content.decode()
    assert re.search(r'<path id="state" d="M[\d.,L]+Z', body)
    assert '<path id="land" d="M' in body
    assert client.get(f"/es{url}").status_code == 404  # one copy, whatever the language
    # A name from before a new drawing still gets the outline, kept only briefly.
    old = client.get("/outlines/il-00000000.svg")
    assert old.content == response.content
    assert old["Cache-Control"] == "public, max-age=300"
    for unknown in ("/outlines/zz-00000000.svg", "/outlines/pw-00000000.svg"):
        assert client.get(unknown).status_code == 404


def test_the_sources_own_coordinates_are_not_called_approximate(client, db):
    center = make_center(latitude=39.78, longitude=-89.65, exact_location=True)
    html = client.get(center.get_absolute_url()).content.decode()
    assert "Location given by the source." in html
    assert "Approximate location" not in html


def test_spanish_page(client, db):
    center = make_center(zip_code="62701")
    html = client.get(f"/es{center.get_absolute_url()}").content.decode()
    assert "Ubicación aproximada: el centro del código postal 62701" in html


def test_no_map_without_coordinates_an_outline_or_a_plausible_point(client, db):
    assert locator_map(state="IL", latitude=None, longitude=None) is None
    assert locator_map(state="PW", latitude=7.5, longitude=134.6) is None  # no Census outline
    assert locator_map(state="IL", latitude=61.2, longitude=-149.9) is None  # far outside IL
    center = make_center(latitude=None, longitude=None)
    assert "locator" not in client.get(center.get_absolute_url()).content.decode()


def test_alaska_across_the_antimeridian_and_the_territories(db):
    assert locator_map(state="AK", latitude=52.9, longitude=173.2)  # Attu, past 180°
    assert locator_map(state="PR", latitude=18.46, longitude=-66.11)
    assert locator_map(state="GU", latitude=13.47, longitude=144.75)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_map_drawn_from_skeletons_is_what_the_template_renders(db, language):
    """Exact and approximate locations, names to escape, in both languages: drawn from
    skeletons, the second time from kept ones, the map equals the template rendered directly,
    and no shape falls back to rendering."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from centers.templatetags.locator import (
        LOCATOR_TEMPLATE,
        locator_map_of,
        locator_markup,
        locator_skeletons,
    )
    from directory.languages import address

    centers = [
        make_center(name='"Quoted" & <Sons>', latitude=39.81, longitude=-89.6, exact_location=True),
        make_center(name="Plain", state="CA", zip_code="94110", latitude=37.75, longitude=-122.4),
        make_center(name="O'Neil House", latitude=41.88, longitude=-87.63),
    ]
    locator_skeletons.clear()
    with translation.override(language):
        for _ in range(2):  # drawn and compared, then from the skeletons
            for center in centers:
                locator = locator_map_of(center)
                outline_url = address("locator-outline", name=locator.outline)
                context = {"center": center, "locator": locator, "outline_url": outline_url}
                assert locator_markup(center) == render_to_string(LOCATOR_TEMPLATE, context)
        assert "&quot;Quoted&quot; &amp; &lt;Sons&gt;" in locator_markup(centers[0])
    assert len(locator_skeletons._skeletons) == 2
    assert None not in locator_skeletons._skeletons.values()
    nowhere = make_center(latitude=None, longitude=None)
    assert locator_markup(nowhere) == ""
