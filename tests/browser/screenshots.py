"""`make screenshots`: the main pages at phone and desktop widths, into screenshots/.

Not part of the test suite (the file name keeps pytest from collecting it); run it by path.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from centers.demo import create_demo_centers

OUTPUT = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = (390, 1280)  # a common phone, a common laptop


@pytest.fixture
def demo_site(transactional_db):
    from helplines.demo import create_demo_helplines

    centers = create_demo_centers()
    create_demo_helplines(centers=centers)
    return centers


def test_take_screenshots(browser: Browser, live_server, demo_site):
    near = [c for c in demo_site if c.zip_code == "94110"][:3]
    pages = {
        "home": "/",
        "listing": "/centers/?near=94110&therapy=cbt",
        "detail": near[0].get_absolute_url(),
        "detail-es": f"/es{near[0].get_absolute_url()}",
        "compare": "/compare/?" + "&".join(f"c={c.slug}" for c in near) + "&near=94110",
    }
    # The listing with its map open (beside the list on a laptop, after "Map" on a phone):
    # the whole country by state, and one state's centers as points.
    maps = {
        "listing-map": "/centers/?state=CA&therapy=cbt",
        "listing-map-national": "/centers/",
    }
    OUTPUT.mkdir(exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.screenshot(path=OUTPUT / f"{name}-{width}.png", full_page=True)
        for name, path in maps.items():
            page.goto(live_server.url + path)
            if page.locator(".map-toggle button").is_visible():
                page.click(".map-toggle button")
            page.wait_for_selector("#map-panel[data-view]:not([aria-busy])")
            page.wait_for_load_state("networkidle")
            if width < 1200:  # the map opens above the list: show it, not the whole page
                page.locator("#map-panel").screenshot(path=OUTPUT / f"{name}-{width}.png")
            else:
                page.screenshot(path=OUTPUT / f"{name}-{width}.png")
        context.close()
    print(f"\nScreenshots written to {OUTPUT}/")
