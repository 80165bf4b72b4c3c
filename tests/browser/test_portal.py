"""The claim page and the managers' portal in a real browser: accessibility (axe-core), no
console errors or other origins, and fit on a 360 px phone."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from centers.edits import edit_as_manager
from tests.browser.test_quality import AXE_SOURCE, BLOCKING_IMPACTS
from tests.centers.portal.conftest import make_manager
from tests.factories import make_center


@pytest.fixture
def portal(transactional_db, live_server):
    """A managed center with a waiting correction, and a browser cookie signed in as its
    manager."""
    center = make_center(name="Harbor Recovery", phone="+12175550111")
    manager = make_manager(center, email="ana@harbor.example")
    edit_as_manager(center_id=center.pk, user=manager.user, values={"name": "Harbor Center"})
    client = Client()
    client.force_login(manager.user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    paths = [
        f"/centers/{center.slug}/claim/",
        "/manage/sign-in/",
        "/manage/",
        f"/manage/centers/{center.slug}/",
        f"/manage/centers/{center.slug}/still-accurate/",
    ]
    return cookie, [*paths, *(f"/es{path}" for path in paths)]


def test_no_serious_accessibility_violations(browser, live_server, portal):
    cookie, paths = portal
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([cookie])
    page = context.new_page()
    problems = []
    for path in paths:
        page.goto(live_server.url + path)
        page.evaluate(AXE_SOURCE)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    assert not problems, "\n".join(problems)


def test_no_console_errors_and_no_requests_to_other_origins(browser, live_server, portal):
    cookie, paths = portal
    context = browser.new_context()
    context.add_cookies([cookie])
    page = context.new_page()
    origin = urlsplit(live_server.url).netloc
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in ("", origin) else None,
    )
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    context.close()
    assert not errors, errors
    assert not foreign, foreign


def test_pages_fit_a_360_px_phone_with_large_tap_targets(browser, live_server, portal):
    cookie, paths = portal
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([cookie])
    page = context.new_page()
    problems = []
    for path in paths:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px")
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                'button, select, input:not([type=checkbox]):not([type=radio]):not([tabindex="-1"]),'
                + ' summary, .button, .check label')]
              .filter(el => el.offsetParent !== null)
              .filter(el => el.getBoundingClientRect().height < 44)
              .map(el => el.outerHTML.slice(0, 80))"""
        )
        problems += [f"{path}: small tap target {html}" for html in small]
    context.close()
    assert not problems, "\n".join(problems)
