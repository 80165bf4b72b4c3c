"""Every public page, in a real browser: accessibility (axe-core), console errors, requests to
other origins, and fit on a 360 px wide phone."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.utils import timezone
from playwright.sync_api import Page

from centers.models import Center
from tests.factories import make_center

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def site(transactional_db):
    from helplines.demo import create_demo_helplines

    centers = [
        make_center(
            name=f"Harbor Center {n}",
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75 + n / 100,
            longitude=-122.41,
            therapies=["cbt", "mat"],
            care_settings=["residential", "outpatient"],
            payment_options=["medicaid", "self-pay"],
            medications=["buprenorphine"],
            populations=["adults"],
            languages=["spanish"],
            accreditations=["carf"],
        )
        for n in range(3)
    ]
    create_demo_helplines(centers=centers)
    # What the centers said about taking new clients, current, old and no longer current, and
    # who checked them: every way a card and a page read.
    now, today = timezone.now(), timezone.localdate()
    for center, (availability, days, wait) in zip(
        centers,
        [("accepting", 2, None), ("waiting_list", 20, 10), ("not_now", 40, None)],
        strict=True,
    ):
        Center.objects.filter(pk=center.pk).update(
            availability=availability,
            availability_stated_at=now - timedelta(days=days),
            wait_days=wait,
            last_verified=today - timedelta(days=days),
            last_verified_by="center",
        )
    return centers


def public_paths(centers) -> list[str]:
    """Each page in English and, under /es/, in Spanish."""
    english = english_paths(centers)
    return [*english, *(f"/es{path}" for path in english)]


def english_paths(centers) -> list[str]:
    slugs = "&".join(f"c={center.slug}" for center in centers)
    return [
        "/",
        "/centers/",
        "/centers/?near=94110&therapy=cbt&setting=residential&sort=distance",
        "/centers/?therapy=astrology&radius=-1",
        "/centers/?taking=now&sort=recently-verified",
        centers[0].get_absolute_url(),
        "/therapies/cbt/",
        "/care-settings/residential/",
        "/where-calls-go/",
        "/where-calls-go/statistics/",
        f"/compare/?{slugs}&near=94110",
        "/guides/inpatient-vs-outpatient/",
        "/no-such-page/",
    ]


def test_no_serious_accessibility_violations(browser, live_server, site):
    # axe is injected from the test, so this context may bypass the site's CSP to run it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = []
    for path in public_paths(site):
        page.goto(live_server.url + path)
        page.evaluate(AXE_SOURCE)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    assert not problems, "\n".join(problems)


def test_no_console_errors_and_no_requests_to_other_origins(page: Page, live_server, site):
    origin = urlsplit(live_server.url).netloc
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in ("", origin) else None,
    )
    for path in public_paths(site):
        errors_before = len(errors)
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if path.endswith("/no-such-page/"):
            # The browser itself logs the 404 status of the page; nothing else may be logged.
            del errors[errors_before : errors_before + 1]
    assert not errors, errors
    assert not foreign, foreign


def test_pages_fit_a_360_px_phone_with_large_tap_targets(browser, live_server, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    problems = []
    for path in public_paths(site):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px")
        # Controls (not links inside running text) must be at least 44 px tall.
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


def test_structured_data_needs_no_inline_script_and_icons_answer(page: Page, live_server, site):
    """The JSON-LD block is data: the site's strict policy lets the page load without a single
    violation, while an inline script added afterwards is refused (the check can fail)."""
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in (site[0].get_absolute_url(), f"/es{site[0].get_absolute_url()}"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
        data = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"
        )
        assert data["@type"] == "MedicalClinic"
        assert data["address"]["postalCode"] == "94110"
    assert not failed, failed
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    for path in ("/favicon.ico", "/manifest.webmanifest", "/es/manifest.webmanifest"):
        assert page.request.get(live_server.url + path).status == 200, path
