"""The flows families and staff go through, in a real browser."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from centers.models import Center
from helplines.models import Call, Disclosure
from tests.factories import make_center

STAFF_PASSWORD = "a-long-staff-password-2026"


@pytest.fixture
def three_centers(transactional_db):
    return [
        make_center(
            name=name,
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75,
            longitude=-122.41 + n / 100,
            therapies=therapies,
            care_settings=["outpatient"],
        )
        for n, (name, therapies) in enumerate(
            [("Alder House", ["cbt"]), ("Birch Clinic", ["cbt", "dbt"]), ("Cedar Place", ["mat"])]
        )
    ]


def test_add_three_centers_to_compare_and_open_the_comparison(
    page: Page, live_server, three_centers
):
    page.goto(f"{live_server.url}/centers/?near=94110")
    for name in ("Alder House", "Birch Clinic", "Cedar Place"):
        page.get_by_role("button", name=re.compile(f"^Add to compare\\W+{name}$")).click()
        remove = page.get_by_role("button", name=re.compile(f"^Remove from compare\\W+{name}$"))
        expect(remove).to_be_visible()
    page.get_by_role("link", name="Compare 3 centers").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare treatment centers")
    table = page.get_by_role("table")
    for name in ("Alder House", "Birch Clinic", "Cedar Place"):
        expect(table.get_by_role("link", name=name)).to_be_visible()
    shared_url = page.url
    assert all(f"c={center.slug}" in shared_url for center in three_centers)

    # The address alone reproduces the comparison, in a browser with no tray cookie.
    other = page.context.browser.new_context()
    other_page = other.new_page()
    other_page.goto(shared_url)
    expect(other_page.get_by_role("table").get_by_role("link", name="Cedar Place")).to_be_visible()
    other.close()


def test_the_shared_listing_shows_this_visitors_comparison_after_a_live_filter(
    page: Page, live_server, three_centers
):
    """The page is the same for everyone; the tray and button states come from /visitor/,
    and cards swapped in by htmx get them too."""
    page.goto(f"{live_server.url}/centers/?near=94110")
    page.get_by_role("button", name=re.compile(r"^Add to compare\W+Birch Clinic$")).click()
    expect(page.get_by_role("heading", name="Your comparison (1 of 4)")).to_be_visible()
    with page.expect_response(lambda response: "therapy=dbt" in response.url):
        page.locator("#f-therapy-dbt").check()
    expect(
        page.get_by_role("button", name=re.compile(r"^Remove from compare\W+Birch Clinic$"))
    ).to_be_visible()
    expect(page.get_by_text("Alder House")).to_have_count(0)


@pytest.fixture
def staff(transactional_db):
    return get_user_model().objects.create_superuser("editor", "", STAFF_PASSWORD)


def sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))
    ).to_be_visible()


def test_staff_edit_a_listing_and_the_disclosure(page: Page, live_server, staff, three_centers):
    sign_in(page, live_server)

    center = three_centers[0]
    page.goto(f"{live_server.url}/admin/centers/center/{center.pk}/change/")
    page.get_by_label("Description").fill("Evening groups on weekdays.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    center.refresh_from_db()
    assert center.description == "Evening groups on weekdays."

    page.goto(f"{live_server.url}/admin/helplines/disclosure/add/")
    page.locator("#id_body").fill("Calls to general numbers reach paid advertisers, named below.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"was added successfully"))).to_be_visible()
    assert Disclosure.objects.current().body.startswith("Calls to general numbers reach")

    page.goto(f"{live_server.url}/where-calls-go/")
    expect(page.get_by_text("Calls to general numbers reach paid advertisers")).to_be_visible()


def test_helpline_links_record_a_web_call_and_dial(page: Page, live_server, three_centers):
    from helplines.demo import create_demo_helplines

    create_demo_helplines(centers=list(Center.objects.order_by("pk")))
    calls_before = Call.objects.count()
    page.goto(live_server.url)
    footer = page.get_by_role("contentinfo")
    link = footer.locator("a[href^='/helplines/call/']").first
    expect(link).to_be_visible()
    expect(footer.get_by_role("link", name=re.compile("Where do calls go"))).to_be_visible()

    # The browser follows the redirect to a tel: address, which it cannot open here.
    with page.expect_request(lambda request: request.url.startswith("tel:")) as dialed:
        link.click()
    assert dialed.value.url.startswith("tel:+1")
    assert Call.objects.count() == calls_before + 1


def test_a_live_filter_in_spanish_stays_in_spanish_and_the_switch_keeps_the_filters(
    page: Page, live_server, three_centers
):
    page.goto(f"{live_server.url}/es/centers/?near=94110")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    with page.expect_response(lambda response: "therapy=dbt" in response.url):
        page.locator("#f-therapy-dbt").check()
    expect(page.get_by_text("Alder House")).to_have_count(0)
    expect(page.get_by_text("Birch Clinic").first).to_be_visible()
    assert "/es/centers/" in page.url and "therapy=dbt" in page.url
    # The switch follows the address the live filter pushed: the same listing in English.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "/es/" not in page.url and "therapy=dbt" in page.url and "near=94110" in page.url
    expect(page.get_by_text("Alder House")).to_have_count(0)
