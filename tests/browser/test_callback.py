"""A family asks for a callback: from a center's page, and from the site-wide form."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from helplines.models import Advertiser, CallbackRequest
from tests.factories import make_advertiser, make_center


@pytest.fixture
def harbor(transactional_db):
    # Every browser request comes from 127.0.0.1: start its rate-limit count at zero.
    cache.clear()
    return make_center(name="Harbor Light Recovery", city="San Francisco", state="CA")


@pytest.fixture
def maple(transactional_db):
    cache.clear()
    return make_advertiser(name="Maple Grove Recovery", weight=5)


def test_ask_a_center_to_call_back(page: Page, live_server, harbor):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(live_server.url + harbor.get_absolute_url())
    form = page.locator("#callback-form")
    expect(
        page.get_by_role("heading", name="Ask Harbor Light Recovery to call you back")
    ).to_be_visible()

    form.get_by_label("First name").fill("Sam")
    form.get_by_label("Phone number").fill("(202) 555-01")
    form.get_by_label("Evening").check()
    form.get_by_role("button", name="Ask for a callback").click()

    # The error summary takes focus and leads to the field; what was typed is still there.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There are 2 problems with your request")
    expect(summary).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ask Harbor Light Recovery to call you back"
    )
    phone = page.get_by_label("Phone number")
    expect(phone).to_have_value("(202) 555-01")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("First name")).to_have_value("Sam")
    expect(page.get_by_label("Evening")).to_be_checked()
    summary.get_by_role("link", name=re.compile("Enter a US phone number")).click()
    expect(phone).to_be_focused()

    phone.fill("(202) 555-0147")
    page.get_by_label("I agree that Harbor Light Recovery may call me").check()
    page.get_by_role("button", name="Ask for a callback").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    expect(page.get_by_role("status")).to_contain_text("Harbor Light Recovery will call you back")
    callback = CallbackRequest.objects.get()
    assert (callback.center_id, callback.phone, callback.best_time) == (
        harbor.pk,
        "+12025550147",
        "evening",
    )
    # The browser reports the 400 itself; nothing may be refused by the security policy.
    assert not [text for text in errors if "Content Security Policy" in text], errors


def test_ask_the_advertiser_next_in_turn_to_call_back(page: Page, live_server, maple):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ask for a confidential callback").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a confidential callback")
    expect(page.get_by_text("Next in turn: Maple Grove Recovery")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="where do calls go?", exact=True)).to_be_visible()

    page.get_by_label("Phone number").fill("202-555-0188")
    page.get_by_label("Morning").check()
    page.get_by_label("I agree that Maple Grove Recovery may call me").check()
    page.get_by_role("button", name="Ask Maple Grove Recovery to call me").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    expect(page.get_by_role("status")).to_contain_text("Maple Grove Recovery will call you back")
    callback = CallbackRequest.objects.get()
    assert (callback.advertiser_id, callback.phone, callback.best_time) == (
        maple.pk,
        "+12025550188",
        "morning",
    )


def test_the_form_fits_a_phone_with_large_tap_targets(browser, live_server, harbor, maple):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in (harbor.get_absolute_url(), "/callback/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                '#callback-form input[type=text]:not([tabindex="-1"]),'
                + ' #callback-form input[type=tel], #callback-form button,'
                + ' #callback-form .check label')]
              .filter(el => el.getBoundingClientRect().height < 44)
              .map(el => el.outerHTML.slice(0, 80))"""
        )
        assert small == [], path
    context.close()


def test_no_serious_accessibility_problems_in_any_state(browser, live_server, harbor, maple):
    """axe-core on the forms as they first appear, with errors, and after sending."""
    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    # axe is injected from the test, so this context may bypass the site's CSP to run it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []

    def check(state: str) -> None:
        page.evaluate(axe)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        problems.extend(
            f"{state}: {violation['id']} ({violation['impact']})"
            for violation in result["violations"]
            if violation["impact"] in {"serious", "critical"}
        )

    page.goto(live_server.url + harbor.get_absolute_url())
    check("center page")
    page.locator("#callback-form").get_by_role("button").click()
    check("center form with errors")
    page.goto(live_server.url + "/callback/")
    check("site-wide form")
    page.get_by_role("button", name="Ask Maple Grove Recovery to call me").click()
    check("site-wide form with errors")
    page.get_by_label("Phone number").fill("(202) 555-0190")
    page.get_by_label("I agree that Maple Grove Recovery may call me").check()
    page.get_by_role("button", name="Ask Maple Grove Recovery to call me").click()
    check("sent")
    Advertiser.objects.update(active=False)
    page.goto(live_server.url + "/callback/")
    check("no advertiser available")
    context.close()
    assert not problems, "\n".join(problems)
