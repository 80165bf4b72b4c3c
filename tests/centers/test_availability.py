"""What families see of a center's word on taking new clients, and of who checked its details:
on its card and its page, aging by the clock (current for 14 days, old until 30, then no longer
current), with the listing's "Taking new clients now" filter and its count."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from centers.models import Center
from tests.factories import make_center

pytestmark = pytest.mark.django_db

LISTING = "/centers/"


def said(center: Center, availability: str, *, days_ago: float, wait_days=None) -> Center:
    """Record what the center said ``days_ago`` (an update, as the portal or the admin does)."""
    Center.objects.filter(pk=center.pk).update(
        availability=availability,
        wait_days=wait_days,
        availability_stated_at=timezone.now() - timedelta(days=days_ago),
    )
    center.refresh_from_db()
    return center


def checked(center: Center, by: str, on: date) -> None:
    Center.objects.filter(pk=center.pk).update(last_verified=on, last_verified_by=by)


@pytest.fixture
def clock(monkeypatch):
    """Moves the site's clock forward without any write to the catalog."""

    class Clock:
        def forward(self, days: float) -> None:
            moved = timezone.now() + timedelta(days=days)
            monkeypatch.setattr(timezone, "now", lambda: moved)

    return Clock()


def card_of(body: str, center: Center) -> str:
    start = body.index(f'id="center-{center.pk}"')
    return body[start : body.index("</article>", start)]


def test_a_current_statement_on_the_card_and_the_page(client):
    center = said(make_center(name="Harbor"), "accepting", days_ago=3)
    day = timezone.localtime(center.availability_stated_at)
    words = (
        "Accepting new clients</strong>, stated by the center on "
        f'<time datetime="{day:%Y-%m-%d}">{day.day} {day:%b}</time>'
    )
    assert words in card_of(client.get(LISTING).text, center)
    page = client.get(center.get_absolute_url()).text
    assert words in page and "over two weeks ago" not in page


@pytest.mark.parametrize(
    ("wait_days", "words"),
    [(3, "Wait about 3 days"), (1, "Wait about 1 day"), (14, "Wait about 2 weeks"),
     (40, "Wait about 6 weeks"), (90, "Wait about 3 months"), (None, "Waiting list"),
     (0, "Waiting list")],
)  # fmt: skip
def test_a_waiting_list_says_how_long(client, wait_days, words):
    center = said(make_center(), "waiting_list", days_ago=1, wait_days=wait_days)
    assert f"<strong>{words}</strong>, stated by the center" in card_of(
        client.get(LISTING).text, center
    )


def test_the_words_age_by_the_clock_not_by_writes(client, clock, django_assert_num_queries):
    """The card's stencil is kept per age band: the same catalog, days later, reads right."""
    center = said(make_center(), "not_now", days_ago=13)
    client.get(LISTING)
    assert "Not taking new clients now</strong>" in card_of(client.get(LISTING).text, center)
    assert "over two weeks ago" not in card_of(client.get(LISTING).text, center)
    clock.forward(2)  # 15 days: old
    with django_assert_num_queries(3):  # no rebuild: the catalog did not change
        card = card_of(client.get(LISTING).text, center)
    assert "Not taking new clients now</strong>" in card
    assert "(over two weeks ago: call to check)" in card
    clock.forward(16)  # 31 days: no longer current
    card = card_of(client.get(LISTING).text, center)
    assert "Not taking new clients" not in card
    page = client.get(center.get_absolute_url()).text
    assert "more than 30 days ago, so it may no longer be true" in page


@pytest.mark.parametrize(
    ("by", "words"),
    [
        ("center", "Details checked by the center on"),
        ("editor", "Details checked by our editors on"),
        ("", "Details last checked on"),
    ],
)
def test_who_checked_the_details_and_when(client, by, words):
    center = make_center()
    checked(center, by, date(2026, 11, 28))
    expected = f'{words} <time datetime="2026-11-28">November 28, 2026</time>.'
    assert expected in card_of(client.get(LISTING).text, center)
    assert expected in client.get(center.get_absolute_url()).text


def test_never_checked_says_so(client):
    center = make_center()
    assert "Details not yet checked by the center or our editors." in card_of(
        client.get(LISTING).text, center
    )


def test_spanish_cards_and_pages(client):
    center = said(make_center(), "waiting_list", days_ago=20, wait_days=14)
    checked(center, "center", date(2026, 11, 28))
    with_prefix = "/es" + LISTING
    card = card_of(client.get(with_prefix).text, center)
    assert "Espera de unas 2 semanas</strong>, según dijo el centro el" in card
    assert "(hace más de dos semanas: llame para confirmar)" in card
    assert "Datos revisados por el centro el" in card
    page = client.get(f"/es/centers/{center.slug}/").text
    assert "Espera de unas 2 semanas" in page


# --- The listing's filter and sort -------------------------------------------------------------


@pytest.fixture
def mixed():
    return {
        "fresh": said(make_center(name="Fresh"), "accepting", days_ago=1),
        "edge": said(make_center(name="Edge"), "accepting", days_ago=13.9),
        "old": said(make_center(name="Old"), "accepting", days_ago=14.1),
        "waiting": said(make_center(name="Waiting"), "waiting_list", days_ago=1, wait_days=5),
        "silent": make_center(name="Silent"),
    }


def names(response) -> list[str]:
    return [center.name for center in response.context["page"].object_list]


def test_taking_new_clients_now_is_accepting_within_14_days(client, mixed):
    response = client.get(LISTING + "?taking=now")
    assert names(response) == ["Edge", "Fresh"]
    assert response.context["filter"].taking_count == 2
    assert 'id="f-taking" name="taking" value="now" aria-describedby="f-taking-hint" checked' in (
        response.text
    )
    unfiltered = client.get(LISTING)
    assert len(names(unfiltered)) == 5 and unfiltered.context["filter"].taking_count == 2
    assert '<span class="count" id="count-taking">(2' in unfiltered.text


def test_the_filter_follows_the_clock_without_a_write(client, mixed, clock):
    assert names(client.get(LISTING + "?taking=now")) == ["Edge", "Fresh"]
    clock.forward(0.2)  # "Edge" turns 14 days old
    response = client.get(LISTING + "?taking=now")
    assert names(response) == ["Fresh"] and response.context["filter"].taking_count == 1
    clock.forward(13)  # and "Fresh" too
    assert names(client.get(LISTING + "?taking=now")) == []


def test_the_count_follows_the_other_filters_and_reaches_htmx(client, mixed):
    Center.objects.filter(name="Fresh").update(state="CA")
    response = client.get(LISTING + "?state=CA", headers={"HX-Request": "true"})
    assert response.context["filter"].taking_count == 1
    assert '<span class="count" id="count-taking" hx-swap-oob="true">(1' in response.text


@pytest.mark.parametrize("value", ["", "0", "false", "<script>", "now" * 50])
def test_odd_values_never_fail(client, mixed, value):
    response = client.get(LISTING, {"taking": value})
    assert response.status_code == 200


def test_most_recently_checked_first(client):
    for name, days in [("Month", 30), ("Never", None), ("Week", 7), ("Year", 365)]:
        center = make_center(name=name)
        if days is not None:
            checked(center, "editor", timezone.localdate() - timedelta(days=days))
    response = client.get(LISTING + "?sort=recently-verified")
    assert names(response) == ["Week", "Month", "Year", "Never"]
    assert '<option value="recently-verified" selected>Most recently checked</option>' in (
        response.text
    )


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-1")
    client.force_login(user)
    return client


def admin_form(center: Center, **changes) -> dict:
    """The change form as the admin shows it for ``center``, with ``changes``."""
    data = {
        "name": center.name,
        "slug": center.slug,
        "status": center.status,
        "city": center.city,
        "state": center.state,
        "zip_code": center.zip_code,
        "phone": center.phone,
        "availability": center.availability,
        "wait_days": "" if center.wait_days is None else center.wait_days,
        "last_verified": center.last_verified or "",
        "last_verified_by": center.last_verified_by,
        "in_latest_directory": "on",
        "samhsa_editions": "[]",
        "problem_reports-TOTAL_FORMS": "0",
        "problem_reports-INITIAL_FORMS": "0",
    }
    stated = center.availability_stated_at
    if stated is not None:
        local = timezone.localtime(stated)
        data["availability_stated_at_0"] = f"{local:%Y-%m-%d}"
        data["availability_stated_at_1"] = f"{local:%H:%M:%S}"
    data.update(changes)
    return data


def post_change(editor, center: Center, **changes):
    return editor.post(
        reverse("admin:centers_center_change", args=[center.pk]), admin_form(center, **changes)
    )


def test_an_editor_setting_availability_stamps_when_it_was_stated(editor):
    center = make_center()
    before = timezone.now()
    response = post_change(editor, center, availability="waiting_list", wait_days="10")
    assert response.status_code == 302, response.context["adminform"].form.errors
    center.refresh_from_db()
    assert (center.availability, center.wait_days) == ("waiting_list", 10)
    assert center.availability_stated_at >= before


def test_an_editor_may_give_the_time_the_center_said_it(editor):
    center = said(make_center(), "accepting", days_ago=20)
    response = post_change(
        editor,
        center,
        availability="not_now",
        availability_stated_at_0="2026-12-01",
        availability_stated_at_1="09:30:00",
    )
    assert response.status_code == 302
    center.refresh_from_db()
    assert timezone.localtime(center.availability_stated_at).replace(tzinfo=None) == datetime(
        2026, 12, 1, 9, 30
    )


def test_saving_without_a_change_keeps_the_stated_time(editor):
    center = said(make_center(), "accepting", days_ago=5)
    stated = center.availability_stated_at
    assert post_change(editor, center, name="Renamed").status_code == 302
    center.refresh_from_db()
    assert center.availability_stated_at == stated


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"availability": "accepting", "wait_days": "9"}, "wait_days", "Only a waiting list"),
        ({"availability": "waiting_list", "wait_days": "-3"}, "wait_days", "greater than"),
        (
            {"availability": "accepting", "availability_stated_at_0": "2999-01-01",
             "availability_stated_at_1": "10:00"},
            "availability_stated_at",
            "has not come yet",
        ),
        ({"last_verified": "2999-01-01"}, "last_verified", "has not come yet"),
        ({"availability": "open<script>"}, "availability", "Select a valid choice"),
    ],
)  # fmt: skip
def test_bad_availability_input_is_explained(editor, changes, field, error):
    center = make_center()
    response = post_change(editor, center, **changes)
    assert response.status_code == 200
    assert error in " ".join(response.context["adminform"].form.errors[field])


def test_a_checked_date_set_by_hand_records_the_editors(editor):
    center = make_center()
    assert post_change(editor, center, last_verified="2026-12-01").status_code == 302
    center.refresh_from_db()
    assert (center.last_verified, center.last_verified_by) == (date(2026, 12, 1), "editor")
