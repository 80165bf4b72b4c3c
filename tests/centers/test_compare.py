"""The compare page, the "Add to compare" buttons and the compare tray.

Personas come from the ``catalog`` fixture (tests/centers/conftest.py): Bayview Recovery in
San Francisco (residential + outpatient, so combination care), Angel City Counseling in Los
Angeles (outpatient only), Hudson Hospital Unit in New York (hospital inpatient), Prairie House
in Springfield (residential only) and Hidden Harbor, hidden by an admin.
"""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from centers.compare import MAX_CENTERS, MAX_REQUESTED, TRAY_COOKIE
from centers.geo import miles_between, zip_centroid
from helplines.models import Advertiser
from tests.factories import make_center

COMPARE = reverse("centers:compare")
TRAY = reverse("centers:compare-tray")


def compare_path(*slugs: str, **params: str) -> str:
    return f"{COMPARE}?{urlencode([('c', slug) for slug in slugs] + list(params.items()))}"


def row_html(body: str, label: str) -> str:
    """The ``<tr>`` of the compare table whose row header starts with ``label``, or ``''``."""
    for row in re.findall(r"<tr\b.*?</tr>", body, flags=re.S):
        header = re.search(r'<th scope="row">(?:<a [^>]*>)?([^<]*)', row)
        if header and header.group(1).strip() == label:
            return row
    return ""


def row_values(response, label: str) -> list:
    for group in response.context["comparison"].shown_groups:
        for row in group.rows:
            if row.label == label:
                return row.values
    raise AssertionError(f"no row {label!r}")


def with_tray(client: Client, *slugs: str) -> Client:
    client.cookies[TRAY_COOKIE] = ".".join(slugs)
    return client


def tray_after(response) -> list[str] | None:
    """The tray the response leaves in the browser; ``None`` when it does not change it."""
    morsel = response.cookies.get(TRAY_COOKIE)
    if morsel is None:
        return None
    return [slug for slug in morsel.value.split(".") if slug]


@pytest.fixture
def sf(catalog):
    return catalog["san_francisco"]


@pytest.fixture
def la(catalog):
    return catalog["los_angeles"]


@pytest.fixture
def ny(catalog):
    return catalog["new_york"]


@pytest.fixture
def springfield(catalog):
    return catalog["springfield"]


# --- content ---------------------------------------------------------------------------------


def test_centers_appear_side_by_side_in_the_order_asked(client, sf, la, ny):
    response = client.get(compare_path(la.slug, sf.slug, ny.slug))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["comparison"].centers == [la, sf, ny]
    headers = re.findall(r'<th scope="col"><a href="([^"]+)">([^<]+)</a>', body)
    assert headers == [(c.get_absolute_url(), c.name) for c in (la, sf, ny)]
    assert (
        '<caption id="compare-caption" class="visually-hidden">Comparison of Angel City '
        "Counseling, Bayview Recovery and Hudson Hospital Unit</caption>"
    ) in body


def test_every_kind_of_detail_has_its_rows(client, sf, ny):
    ny.last_verified = date(2026, 3, 2)
    ny.save()
    response = client.get(compare_path(sf.slug, ny.slug))
    assert row_values(response, "Residential") == [True, False]
    assert row_values(response, "Hospital inpatient") == [False, True]
    assert row_values(response, "Combination of 24-hour and outpatient care") == [True, False]
    assert row_values(response, "Cognitive behavioral therapy (CBT)") == [True, False]
    assert row_values(response, "Buprenorphine") == [False, True]
    assert row_values(response, "Medicaid") == [True, True]
    assert row_values(response, "Medicare") == [False, True]
    assert row_values(response, "Spanish") == [True, False]
    assert row_values(response, "Details last verified") == [None, date(2026, 3, 2)]
    assert row_values(response, "Paid advertiser") == [False, False]
    body = response.content.decode()
    for group in ("Care settings", "Therapies", "Medications", "Payment accepted"):
        assert f'<th scope="rowgroup" colspan="3">{group}</th>' in body
    assert '<time datetime="2026-03-02">Mar 2, 2026</time>' in body
    assert "Not yet verified" in body
    assert "(202) 555-01" in body  # the factory's fictional phone numbers, as tel: links


def test_populations_languages_and_accreditations_are_compared(client, db):
    first = make_center(populations=["veterans"], accreditations=["carf"], languages=["french"])
    second = make_center(populations=["veterans", "women"], accreditations=["state-licence"])
    response = client.get(compare_path(first.slug, second.slug))
    assert row_values(response, "Veterans") == [True, True]
    assert row_values(response, "Women") == [False, True]
    assert row_values(response, "CARF accreditation") == [True, False]
    assert row_values(response, "State licence or certification") == [False, True]
    assert row_values(response, "French") == [True, False]
    body = response.content.decode()
    assert "None of these centers lists any." in body  # neither lists a medication


def test_term_rows_link_to_their_explanations(client, sf, la):
    body = client.get(compare_path(sf.slug, la.slug)).content.decode()
    assert '<a href="/therapies/dbt/">Dialectical behavior therapy (DBT)</a>' in body
    assert '<a href="/care-settings/residential/">Residential</a>' in body
    guide = reverse("centers:guide-inpatient-outpatient")
    assert f'<a href="{guide}#combination">Combination of 24-hour and outpatient care</a>' in body


def test_paid_advertisers_are_labelled(client, sf, la):
    Advertiser.objects.create(name="Angel City Ltd", center=la, intake_number="+12025550150")
    response = client.get(compare_path(sf.slug, la.slug))
    assert row_values(response, "Paid advertiser") == [False, True]
    row = row_html(response.content.decode(), "Paid advertiser")
    assert row.count("Paid advertiser<span") == 1  # the badge, in Angel City's column only
    assert "compare__mark" in row


def test_an_advertiser_whose_listing_has_ended_is_not_labelled(client, sf, la):
    Advertiser.objects.create(
        name="Angel City Ltd",
        center=la,
        intake_number="+12025550150",
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 12, 31),
    )
    response = client.get(compare_path(sf.slug, la.slug))
    assert row_values(response, "Paid advertiser") == [False, False]


# --- differences -----------------------------------------------------------------------------


def test_rows_that_differ_are_marked_in_words_not_only_colour(client, sf, la):
    body = client.get(compare_path(sf.slug, la.slug)).content.decode()
    differs = row_html(body, "Dialectical behavior therapy (DBT)")
    same = row_html(body, "Cognitive behavioral therapy (CBT)")
    assert 'class="compare__row compare__row--differs"' in differs
    assert '<span class="compare__mark">Differs</span>' in differs
    assert "compare__row--differs" not in same
    assert "Differs" not in same
    # Where a center is and its phone number are shown, never marked: they always differ.
    assert "Differs" not in row_html(body, "Where")


def test_a_single_center_has_no_differences_and_is_asked_for_a_second(client, sf):
    response = client.get(compare_path(sf.slug, diff="1"))
    body = response.content.decode()
    assert response.context["comparison"].diff_only is False
    assert "Differs</span>" not in body
    assert "you need at least two to see how they differ" in body
    assert row_html(body, "Cognitive behavioral therapy (CBT)")


def test_show_only_differences_works_from_the_url_alone(client, sf, la):
    all_rows = client.get(compare_path(sf.slug, la.slug)).content.decode()
    assert f'href="{compare_path(sf.slug, la.slug, diff="1")}"' in all_rows.replace("&amp;", "&")

    response = client.get(compare_path(sf.slug, la.slug, diff="1"))
    body = response.content.decode()
    assert response.context["comparison"].diff_only
    assert row_html(body, "Dialectical behavior therapy (DBT)")
    assert row_html(body, "Residential")
    assert not row_html(body, "Cognitive behavioral therapy (CBT)")  # both offer it
    assert row_html(body, "Where") and row_html(body, "Phone")
    assert row_html(body, "Paid advertiser")  # the same for both, but always disclosed
    assert "only the rows where they differ</caption>" in body
    assert re.search(r'aria-current="page">Show only differences \(\d+\)</a>', body)
    assert re.search(r'href="[^"]+"\s*>All rows</a>', body)


def test_identical_centers_say_so_when_only_differences_are_asked_for(client, db):
    first = make_center(therapies=["cbt"], care_settings=["outpatient"])
    second = make_center(therapies=["cbt"], care_settings=["outpatient"])
    response = client.get(compare_path(first.slug, second.slug, diff="1"))
    body = response.content.decode()
    assert response.context["comparison"].differing == 0
    assert "No row differs" in body
    assert not row_html(body, "Cognitive behavioral therapy (CBT)")


# --- distance --------------------------------------------------------------------------------


def test_distance_from_a_zip_code(client, sf, la):
    no_location = make_center(name="Unmapped Place", latitude=None, longitude=None)
    response = client.get(compare_path(sf.slug, la.slug, no_location.slug, near="94110"))
    origin = zip_centroid("94110")
    to_la = miles_between(origin, la.location)
    assert row_values(response, "Distance") == [
        pytest.approx(miles_between(origin, sf.location)),
        pytest.approx(to_la),
        None,
    ]
    assert 300 < to_la < 400
    body = response.content.decode()
    assert f"{to_la:.1f} miles" in body
    assert "Location not on file" in body
    assert "with distances from ZIP code 94110</caption>" in body
    # Removing a center or switching views keeps the ZIP code.
    assert "near=94110" in response.context["comparison"].differences_url


def test_without_a_zip_code_there_is_no_distance_row(client, sf, la):
    body = client.get(compare_path(sf.slug, la.slug)).content.decode()
    assert not row_html(body, "Distance")


@pytest.mark.parametrize(
    "near, message",
    [("00000", "is not one we know"), ("<b>x</b>", "is not a ZIP code")],
)
def test_a_bad_zip_code_is_explained_and_the_rest_still_compared(client, sf, la, near, message):
    response = client.get(compare_path(sf.slug, la.slug, near=near))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "<b>x</b>" not in body
    assert not row_html(body, "Distance")
    assert len(response.context["comparison"].centers) == 2


# --- bad slugs -------------------------------------------------------------------------------


def test_an_unknown_slug_is_reported_and_the_rest_compared(client, sf, la):
    response = client.get(compare_path(sf.slug, "no-such-place", la.slug))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["comparison"].centers == [sf, la]
    assert "We couldn’t find “no-such-place” in the directory: the link may be mistyped" in body


def test_a_hidden_center_is_treated_as_unknown(client, catalog, sf):
    hidden = catalog["hidden"]
    response = client.get(compare_path(sf.slug, hidden.slug))
    body = response.content.decode()
    assert response.context["comparison"].centers == [sf]
    assert f"We couldn’t find “{hidden.slug}”" in body
    assert hidden.name not in body


def test_a_closed_center_is_named_as_closed(client, sf, la):
    closed = make_center(name="Shut Door Clinic", status="closed")
    response = client.get(compare_path(sf.slug, closed.slug, la.slug))
    assert response.context["comparison"].centers == [sf, la]
    assert "Shut Door Clinic is reported as closed" in response.content.decode()


def test_a_repeated_slug_is_shown_once(client, sf, la):
    response = client.get(compare_path(sf.slug, la.slug, sf.slug, sf.slug))
    assert response.context["comparison"].centers == [sf, la]
    assert "“Bayview Recovery” appeared more than once" in response.content.decode()


def test_more_than_four_centers_keeps_the_first_four_and_lists_the_rest(client, catalog):
    extra = [make_center(name=f"Extra {n}") for n in range(2)]
    slugs = [
        catalog[key].slug for key in ("san_francisco", "los_angeles", "new_york", "springfield")
    ]
    response = client.get(compare_path(*slugs, *(c.slug for c in extra)))
    body = response.content.decode()
    assert response.status_code == 200
    assert [c.slug for c in response.context["comparison"].centers] == slugs
    assert f"You can compare up to {MAX_CENTERS} centers at a time" in body
    for center in extra:
        assert f'<a href="{center.get_absolute_url()}">{center.name}</a>' in body


@pytest.mark.parametrize(
    "query",
    [
        "c=",
        "c=%20",
        "c=<script>alert(1)</script>",
        "c=" + "x" * 5000,
        "c=%ff%fe",
        "c=a.b",
        "diff=yes&near=",
        "&".join(f"c=slug-{n}" for n in range(900)),
    ],
    ids=["empty", "blank", "markup", "very long", "bad UTF-8", "dot", "odd params", "900 slugs"],
)
def test_hostile_input_never_fails(client, sf, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(COMPARE_QUERIES):
        response = client.get(f"{COMPARE}?c={sf.slug}&{query}")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["comparison"].centers == [sf]
    assert "<script>alert" not in body


def test_more_parameters_than_django_accepts_is_a_bad_request_not_an_error(client, db):
    # Django refuses over DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) before the view runs.
    query = "&".join(f"c=slug-{n}" for n in range(2000))
    assert client.get(f"{COMPARE}?{query}").status_code == 400


def test_a_flood_of_slugs_is_cut_before_the_database(client, db):
    response = client.get(compare_path(*(f"slug-{n}" for n in range(50))))
    body = response.content.decode()
    assert response.context["comparison"].selection.ignored == 50 - MAX_REQUESTED
    assert f"the last {50 - MAX_REQUESTED} were ignored" in body


# --- query counts ----------------------------------------------------------------------------

# The centers with their paid-advertiser flag (1) + one prefetch per term relation (7) + the
# general helplines in the page header and footer (1).
COMPARE_QUERIES = 9


@pytest.mark.parametrize("near", ["", "94110"])
def test_query_count_does_not_grow_with_the_number_of_centers(
    client, catalog, django_assert_max_num_queries, near
):
    for center in catalog.values():
        Advertiser.objects.create(name="Ad", center=center, intake_number="+12025550150")
    counts = []
    for keys in (["san_francisco"], ["san_francisco", "los_angeles", "new_york", "springfield"]):
        slugs = [catalog[key].slug for key in keys]
        with django_assert_max_num_queries(COMPARE_QUERIES) as queries:
            response = client.get(compare_path(*slugs, near=near, diff="1"))
        assert len(response.context["comparison"].centers) == len(keys)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the URL, the tray cookie and the buttons ------------------------------------------------


def test_opening_a_comparison_remembers_it_for_the_add_buttons(client, sf, la):
    response = client.get(compare_path(sf.slug, la.slug, "no-such-place"))
    assert tray_after(response) == [sf.slug, la.slug]
    morsel = response.cookies[TRAY_COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert not morsel["max-age"] and not morsel["expires"]  # gone when the browser closes
    # The same comparison again sets nothing new.
    assert tray_after(client.get(compare_path(sf.slug, la.slug))) is None


def test_a_bare_compare_page_opens_the_remembered_comparison(client, sf, la):
    response = with_tray(client, sf.slug, la.slug).get(COMPARE)
    assert response.status_code == 302
    assert response.url == compare_path(sf.slug, la.slug)


def test_a_bare_compare_page_without_a_tray_explains_what_to_do(client, db):
    response = client.get(COMPARE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "No centers to compare yet" in body
    assert f'href="{reverse("centers:list")}"' in body


def test_adding_from_a_listing_returns_to_the_same_card(client, sf, la):
    next_url = f"/centers/?therapy=cbt#center-{la.pk}"
    response = with_tray(client, sf.slug).post(TRAY, {"add": la.slug, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    assert tray_after(response) == [sf.slug, la.slug]
    body = client.get(response.url).content.decode()
    assert "Angel City Counseling was added to your comparison (2 of 4)." in body


def test_the_tray_holds_at_most_four(client, catalog):
    slugs = [
        catalog[key].slug for key in ("san_francisco", "los_angeles", "new_york", "springfield")
    ]
    fifth = make_center(name="One Too Many")
    response = with_tray(client, *slugs).post(TRAY, {"add": fifth.slug, "next": "/"})
    assert tray_after(response) is None
    assert "already has 4 centers" in client.get("/").content.decode()


@pytest.mark.parametrize("slug", ["no-such-place", "<script>", ""])
def test_adding_an_unknown_center_changes_nothing(client, sf, slug):
    response = with_tray(client, sf.slug).post(TRAY, {"add": slug, "next": "/"})
    assert tray_after(response) is None
    assert "We couldn’t find that center" in client.get("/").content.decode()


def test_adding_a_hidden_center_is_refused(client, catalog, sf):
    response = with_tray(client, sf.slug).post(TRAY, {"add": catalog["hidden"].slug})
    assert tray_after(response) is None


def test_removing_and_clearing(client, sf, la):
    response = with_tray(client, sf.slug, la.slug).post(TRAY, {"remove": sf.slug})
    assert tray_after(response) == [la.slug]
    assert response.url == compare_path(la.slug)
    response = client.post(TRAY, {"clear": "1", "next": COMPARE})
    assert tray_after(response) == []
    assert response.cookies[TRAY_COOKIE]["max-age"] == 0
    assert "No centers to compare yet" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_the_tray_never_redirects_off_site(client, sf, next_url):
    response = client.post(TRAY, {"add": sf.slug, "next": next_url})
    assert response.url == compare_path(sf.slug)


def test_the_tray_only_changes_by_post_with_a_csrf_token(sf):
    client = Client(enforce_csrf_checks=True)
    assert client.get(TRAY).status_code == 405
    assert client.post(TRAY, {"add": sf.slug}).status_code == 403


VISITOR = reverse("centers:visitor")


def visitor_part(client: Client, next_url: str) -> str:
    response = client.get(VISITOR, {"next": next_url})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    return response.content.decode()


def test_every_listing_card_has_an_add_to_compare_form_without_a_token(client, sf, la):
    body = client.get(reverse("centers:list") + "?state=CA").content.decode()
    forms = re.findall(
        r'<form method="post" action="/compare/tray/" data-needs-token>(.*?)</form>', body, re.S
    )
    assert len(forms) == 2
    for center, form in zip((la, sf), forms, strict=True):  # sorted by name
        assert f'name="add" value="{center.slug}"' in form
        assert f'name="next" value="/centers/?state=CA#center-{center.pk}"' in form
        assert f'Add to compare<span class="visually-hidden">: {center.name}</span>' in form
    # The page is shared by a CDN: the token comes from the visitor's own request.
    assert "csrfmiddlewaretoken" not in body
    assert 'name="csrfmiddlewaretoken"' not in visitor_part(client, "/centers/")
    assert 'id="visitor-token" value="' in visitor_part(client, "/centers/")


def test_the_shared_listing_is_the_same_whatever_the_tray_holds(client, catalog, sf, la):
    url = reverse("centers:list") + "?state=CA"
    anonymous = client.get(url).content
    assert with_tray(client, sf.slug, la.slug).get(url).content == anonymous


def test_the_visitor_part_says_what_is_already_in_the_comparison(client, catalog, sf, la):
    body = visitor_part(with_tray(client, sf.slug), "/centers/?state=CA")
    assert f'<template data-compare-slug="{sf.slug}">' in body
    assert f'name="remove" value="{sf.slug}"' in body
    assert f'<template data-compare-slug="{la.slug}">' not in body
    assert "In your comparison · " in body
    assert "data-compare-full" not in body

    full = [catalog[k].slug for k in ("san_francisco", "new_york", "springfield", "hidden")]
    full[-1] = make_center(name="Fourth", state="NY").slug
    body = visitor_part(with_tray(client, *full), "/centers/?state=CA")
    assert "<template data-compare-full>" in body
    assert "Your comparison is full." in body


def test_the_visitor_part_costs_one_query_when_the_tray_holds_centers(
    client, sf, la, django_assert_num_queries
):
    with django_assert_num_queries(0):
        client.get(VISITOR)
    with django_assert_num_queries(1):
        with_tray(client, sf.slug, la.slug).get(VISITOR)


def test_the_visitor_part_has_the_tray(client, catalog, sf, la):
    assert "Your comparison (" not in visitor_part(client, la.get_absolute_url())

    hidden = catalog["hidden"].slug
    body = visitor_part(with_tray(client, sf.slug, hidden), la.get_absolute_url())
    assert "Your comparison (1 of 4)" in body
    assert f'<a href="{sf.get_absolute_url()}">{sf.name}</a>' in body
    assert catalog["hidden"].name not in body
    assert "Add at least one more center to compare." in body
    assert f'name="next" value="{la.get_absolute_url()}"' in body

    body = visitor_part(with_tray(client, sf.slug, la.slug), la.get_absolute_url())
    assert f'href="{compare_path(sf.slug, la.slug)}"'.replace("&", "&amp;") in body
    assert "Compare side by side" in body


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/", "x"])
def test_the_visitor_part_never_points_off_site(client, sf, next_url):
    body = visitor_part(with_tray(client, sf.slug), next_url)
    assert 'name="next" value=""' in body
    assert "elsewhere" not in body


def test_the_detail_page_has_the_button_and_a_place_for_the_tray(client, sf):
    body = with_tray(client, sf.slug).get(sf.get_absolute_url()).content.decode()
    assert f'name="add" value="{sf.slug}"' in body
    assert '<div data-visitor-slot="tray"></div>' in body
    assert "Your comparison (" not in body


def test_a_closed_center_has_no_add_button(client, db):
    closed = make_center(status="closed")
    body = client.get(closed.get_absolute_url()).content.decode()
    assert 'name="add"' not in body


# --- markup ----------------------------------------------------------------------------------


def test_accessible_table_and_no_inline_script_or_style(client, sf, la):
    body = client.get(compare_path(sf.slug, la.slug)).content.decode()
    assert body.count("<h1") == 1
    assert '<div class="compare__scroll" role="region" aria-labelledby="compare-caption"' in body
    assert "<caption" in body and '<th scope="col">' in body and '<th scope="row">' in body
    assert " style=" not in body
    assert re.findall(r"<script[^>]*>", body) == [
        '<script src="/static/js/languages.js" defer>',
        '<script src="/static/js/visitor.js" data-visitor-url="/visitor/" defer>',
        '<script src="/static/js/compare.js" defer>',
    ]
    assert "data-print hidden" in body  # shown by compare.js only


def test_the_stylesheet_has_print_rules_for_the_comparison():
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    print_rules = css[css.index("Compare and guides") :]
    assert "@media print" in print_rules
    assert ".compare__scroll, .table-scroll { overflow: visible" in print_rules


def test_a_shared_link_shows_anyone_the_same_comparison(client, sf, la, ny):
    path = compare_path(sf.slug, la.slug, near="94110", diff="1")
    first = client.get(path)
    assert first.context["share_url"] == f"http://testserver{path}"
    someone_else = with_tray(Client(), ny.slug)  # their own tray does not change the table
    assert _without_tokens(someone_else.get(path).content) == _without_tokens(first.content)


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_without_scripts_adding_from_a_shared_page_takes_one_more_click(sf):
    """The shared listing has no token; the refusal offers the same post back with one."""
    client = Client(enforce_csrf_checks=True)
    post = {"add": sf.slug, "next": f"/centers/#center-{sf.pk}"}
    refused = client.post(TRAY, post, headers={"Origin": "http://testserver"})
    assert refused.status_code == 403
    body = refused.content.decode()
    assert f'name="add" value="{sf.slug}"' in body
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(TRAY, {**post, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert tray_after(response) == [sf.slug]
