"""The locator map beside a center's address: server-drawn SVG, honest about its precision."""

import re

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
    assert re.search(r'<path class="locator__state" d="M[\d.,L]+Z', html)


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
