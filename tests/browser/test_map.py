"""The listing's map in a real browser: it shows every result, follows the filters and the back
button, works from the keyboard and on a phone, loads nothing from another origin, and passes
axe."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_quality import AXE_SOURCE, BLOCKING_IMPACTS
from tests.factories import make_center

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(transactional_db):
    """CBT in California: 22 centers, more than a page, ten of them sharing their ZIP's centre;
    others elsewhere and without CBT, and one in Puerto Rico."""
    centers = [
        make_center(
            name=f"Mission Clinic {n:02d}", city="San Francisco", state="CA", zip_code="94110",
            latitude=37.7485, longitude=-122.4184, therapies=["cbt"],
        )
        for n in range(10)
    ]  # fmt: skip
    centers += [
        make_center(
            name=f"Harbor House {n:02d}", city="Los Angeles", state="CA", zip_code="90012",
            latitude=34.0 + n / 50, longitude=-118.3 + n / 50, exact_location=True,
            therapies=["cbt"],
        )
        for n in range(12)
    ]  # fmt: skip
    centers.append(make_center(name="Valley DBT", state="CA", zip_code="93701", therapies=["dbt"]))
    centers.append(make_center(name="Prairie Center", therapies=["cbt"]))
    centers.append(
        make_center(
            name="Centro San Juan",
            city="San Juan",
            state="PR",
            zip_code="00901",
            latitude=18.46,
            longitude=-66.11,
            therapies=["cbt"],
        )  # fmt: skip
    )
    return centers


def watch(page: Page, origin: str) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"errors": [], "foreign": []}
    # The browser's own request for /favicon.ico is not the page's doing.
    page.on(
        "console",
        lambda m: (
            seen["errors"].append(f"{m.text} {m.location}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: seen["errors"].append(f"{error} {error.stack}"))
    page.on(
        "response",
        lambda r: seen["errors"].append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on(
        "request",
        lambda r: (
            seen["foreign"].append(r.url) if urlsplit(r.url).netloc not in ("", origin) else None
        ),
    )
    return seen


def axe_problems(page: Page) -> list[str]:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}) {[n['target'] for n in violation['nodes'][:3]]}"
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def result_count(page: Page) -> int:
    return int(page.get_attribute("#result-count", "data-count"))


def test_filtering_cbt_in_california_maps_every_result(browser, live_server, site):
    context = browser.new_context(viewport=WIDE, bypass_csp=True)  # bypass: axe is injected
    page = context.new_page()
    seen = watch(page, urlsplit(live_server.url).netloc)
    page.goto(live_server.url + "/centers/")
    panel = page.locator("#map-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("data-view", "states")
    assert page.locator(".map-toggle").is_hidden()
    assert page.locator("#map-zoom").is_hidden()  # the whole country needs no zoom
    # Nationally: a state per mark, and the counts as a table.
    expect(page.locator("#map-table-body th[scope=row]", has_text="Puerto Rico")).to_have_count(1)
    assert "Puerto Rico" in page.text_content("#map-table-body")
    assert not axe_problems(page)

    page.check("#f-therapy-cbt")
    expect(page.locator("#result-count")).to_have_attribute("data-count", "24")
    page.select_option("#id_state", "CA")
    expect(page.locator("#result-count")).to_have_attribute("data-count", "22")
    expect(panel).to_have_attribute("data-view", "points")
    expect(page.locator("#map-canvas .map-point")).to_have_count(22)
    assert int(panel.get_attribute("data-marks")) == result_count(page) == 22
    assert "10 of them at the centre of their ZIP code" in page.inner_text("#map-status")
    # Ten centers on one spot are spread apart so that each can be picked.
    spots = page.eval_on_selector_all(
        "#map-canvas .map-point",
        "els => els.map(e => e.getAttribute('cx') + ',' + e.getAttribute('cy'))",
    )
    assert len(set(spots)) == 22
    assert not axe_problems(page)

    # The back button: the map follows the list back to the whole country's counts by state.
    page.go_back()
    expect(page.locator("#result-count")).to_have_attribute("data-count", "24")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "states")
    context.close()
    assert not seen["errors"], seen["errors"]
    assert not seen["foreign"], seen["foreign"]


def test_keyboard_focus_reaches_a_point_and_opens_its_card(browser, live_server, site):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + "/centers/?therapy=cbt&state=CA")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "points")
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('map-point')"):
            break
    else:
        pytest.fail("Tab never reached a point on the map")
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert first.startswith("Harbor House 00")  # the list's first result, by name
    # One tab stop for the whole map; the arrow keys move between its points.
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Harbor House 01"
    )
    page.keyboard.press("Enter")
    card = page.locator("#map-card")
    expect(card.get_by_role("link", name="Harbor House 01")).to_be_visible()
    href = card.get_by_role("link", name="Harbor House 01").get_attribute("href")
    assert href == next(c for c in site if c.name == "Harbor House 01").get_absolute_url()
    # Its card in the list is highlighted.
    expect(page.locator(".card.is-selected")).to_have_count(1)
    assert "Harbor House 01" in page.inner_text(".card.is-selected")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    expect(card).to_contain_text("Mission Clinic 09")
    expect(card).to_contain_text("Approximate location")
    context.close()


def test_a_state_chosen_on_the_national_map_from_the_keyboard_shows_its_centers(
    browser, live_server, site
):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + "/centers/?therapy=cbt")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "states")
    page.locator("#map-canvas .map-state[tabindex='0']").focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "California: 22 centers"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_attribute("data-count", "22")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "points")
    assert page.locator("#id_state").input_value() == "CA"
    expect(page.locator("#map-canvas .map-point").first).to_be_focused()
    context.close()


def test_the_map_works_on_a_390_px_phone_behind_its_button(browser, live_server, site):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    seen = watch(page, urlsplit(live_server.url).netloc)
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if "map" in r.url or "d3" in r.url else None)
    page.goto(live_server.url + "/centers/?therapy=cbt&state=CA")
    page.wait_for_load_state("networkidle")
    panel = page.locator("#map-panel")
    assert panel.is_hidden()
    assert not loaded, f"the map loaded before it was asked for: {loaded}"
    toggle = page.get_by_role("button", name="Map")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(panel).to_have_attribute("data-view", "points")
    expect(page.locator("#map-canvas .map-point")).to_have_count(22)
    expect(page.get_by_role("button", name="Hide the map")).to_have_attribute(
        "aria-expanded", "true"
    )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    box = page.locator("#map-canvas svg").bounding_box()
    assert box and box["width"] >= 300
    page.locator("#map-canvas .map-point").first.click()
    expect(page.locator("#map-card a")).to_have_count(1)
    assert not axe_problems(page)
    context.close()
    assert not seen["errors"], seen["errors"]
    assert not seen["foreign"], seen["foreign"]


def test_without_javascript_the_listing_is_as_before(browser, live_server, site):
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/centers/?therapy=cbt&state=CA")
    assert page.locator("#map-panel").is_hidden()
    assert page.locator(".map-toggle").is_hidden()
    assert page.locator("article.card").count() == 20
    context.close()


def test_spanish_map_speaks_spanish(browser, live_server, site):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + "/es/centers/?therapy=cbt&state=CA")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "points")
    assert "en el mapa" in page.inner_text("#map-status")
    context.close()


def test_zooming_in_keeps_points_their_size_and_draws_them_apart(browser, live_server, site):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + "/centers/?therapy=cbt&state=CA")
    expect(page.locator("#map-panel")).to_have_attribute("data-view", "points")
    svg = page.locator("#map-canvas svg")
    first = page.locator("#map-canvas .map-point").first
    radius = float(first.get_attribute("r"))
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#map-panel")).to_have_attribute("data-zoom", "2")
    assert svg.get_attribute("viewBox").split()[2:] == ["300", "240"]
    assert float(first.get_attribute("r")) == pytest.approx(radius / 2, abs=0.06)
    # The keyboard brings a point outside the zoomed view into it.
    page.locator("#map-canvas .map-point[tabindex='0']").focus()
    page.keyboard.press("End")
    box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
    frame = svg.bounding_box()
    assert frame["x"] <= box["x"] <= frame["x"] + frame["width"]
    assert frame["y"] <= box["y"] <= frame["y"] + frame["height"]
    page.get_by_role("button", name="Whole area").click()
    assert svg.get_attribute("viewBox") == "0 0 600 480"
    context.close()


def test_a_center_pages_locator_draws_its_state_from_the_shared_outline(browser, live_server, site):
    """The locator's outlines come from /outlines/<state>.svg through <use>: the browser fetches
    it from this origin and draws both outlines, with the page's own colours, and axe passes."""
    page = browser.new_page(viewport=WIDE)
    seen = watch(page, urlsplit(live_server.url).netloc)
    outlines = []
    page.on("response", lambda r: outlines.append(r) if "/outlines/" in r.url else None)
    page.goto(f"{live_server.url}{site[10].get_absolute_url()}")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.locator use')].map(use => {
            const box = use.getBBox();
            return [use.getAttribute('class'), Math.round(box.width), Math.round(box.height),
                    getComputedStyle(use).fill];
        })"""
    )
    assert [name for name, *_ in drawn] == ["locator__land", "locator__state"]
    assert all(width > 50 and height > 50 for _, width, height, _ in drawn), drawn
    assert drawn[0][3] != drawn[1][3]  # land and state in their own colours
    assert [r.status for r in outlines] == [200]
    assert seen == {"errors": [], "foreign": []}
    assert axe_problems(page) == []
