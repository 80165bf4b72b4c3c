"""A visitor searches by ZIP code, narrows by therapy and setting, and opens a center."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_center


@pytest.fixture
def bay_area(transactional_db):
    make_center(
        name="Bayview Recovery",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        latitude=37.7509,
        longitude=-122.4153,
        therapies=["cbt", "dbt"],
        care_settings=["residential", "outpatient"],
        payment_options=["medicaid"],
    )
    make_center(
        name="Mission Outpatient",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        latitude=37.76,
        longitude=-122.42,
        therapies=["cbt"],
        care_settings=["outpatient"],
    )
    make_center(
        name="Far Away House",
        city="Springfield",
        state="IL",
        therapies=["cbt"],
        care_settings=["residential"],
    )


def test_search_by_zip_then_filter_live(page: Page, live_server, bay_area):
    page.goto(live_server.url)
    page.get_by_label("ZIP code or city").fill("94110")
    page.get_by_label("Therapy").select_option("cbt")
    page.get_by_role("button", name="Search").click()

    count = page.locator("#result-count")
    expect(count).to_have_attribute("data-count", "2")
    expect(page).to_have_url(re.compile(r"near=94110"))

    # Live filtering: ticking a box updates results, counts and the URL without a reload.
    page.evaluate("window.__sameDocument = true")
    page.get_by_label(re.compile(r"^Residential")).check()
    expect(count).to_have_attribute("data-count", "1")
    expect(page).to_have_url(re.compile(r"setting=residential"))
    expect(page.locator("#live-status")).to_contain_text("1 center found")
    assert page.evaluate("window.__sameDocument") is True  # no full page load happened

    # Focus stays on the control the visitor used.
    assert page.evaluate("document.activeElement.id") == "f-setting-residential"

    # The back button restores the previous state.
    page.go_back()
    expect(count).to_have_attribute("data-count", "2")

    page.get_by_role("link", name="Bayview Recovery").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bayview Recovery")
    expect(page.get_by_role("link", name="See the location on OpenStreetMap")).to_be_visible()


def test_filters_work_without_javascript(browser, live_server, bay_area):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/centers/?near=94110")
    expect(page.locator("#result-count")).to_have_attribute("data-count", "2")
    page.get_by_label(re.compile(r"^Residential")).check()
    page.get_by_role("button", name="Show results").click()
    expect(page.locator("#result-count")).to_have_attribute("data-count", "1")
    context.close()


def test_taking_new_clients_now_filters_live_and_counts(page: Page, live_server, bay_area):
    from django.utils import timezone

    from centers.models import Center

    Center.objects.filter(name="Bayview Recovery").update(
        availability="accepting", availability_stated_at=timezone.now()
    )
    page.goto(f"{live_server.url}/centers/?near=94110")
    count = page.locator("#result-count")
    expect(count).to_have_attribute("data-count", "2")
    expect(page.locator("#count-taking")).to_contain_text("(1")
    page.get_by_label(re.compile(r"^Taking new clients now")).check()
    expect(count).to_have_attribute("data-count", "1")
    expect(page).to_have_url(re.compile(r"taking=now"))
    expect(page.locator(".card .availability")).to_contain_text("Accepting new clients")
    # Narrowing to the other center updates the filter's own count too.
    page.get_by_label(re.compile(r"^Taking new clients now")).uncheck()
    expect(count).to_have_attribute("data-count", "2")
    page.get_by_label("Name or city").fill("Mission")
    expect(count).to_have_attribute("data-count", "1")
    expect(page.locator("#count-taking")).to_contain_text("(0")
