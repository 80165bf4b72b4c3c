"""Input no form expects gets a 400 with a message, never a 500; HEAD works wherever GET does."""

import pytest

from helplines.models import Call, CallbackRequest
from tests.factories import make_center
from tests.helplines.conftest import CALLER


@pytest.fixture
def staff_client(admin_client):
    return admin_client


def test_a_callback_for_a_superscript_advertiser_is_asked_again(client, advertisers):
    # "²".isdigit() is true, but int("²") fails.
    response = client.post(
        "/callback/",
        {
            "callback-advertiser": "²",
            "callback-first_name": "Sam",
            "callback-phone": CALLER,
            "callback-best_time": "morning",
            "callback-consent": "on",
            "callback-website": "",
        },
    )
    assert response.status_code == 400
    assert not CallbackRequest.objects.exists()


def test_removing_a_nul_from_the_compare_tray_says_so(client, db):
    center = make_center()
    client.post("/compare/tray/", {"add": center.slug})
    response = client.post("/compare/tray/", {"remove": "\x00"})
    assert response.status_code == 400
    assert "not a center" in response.content.decode()
    assert client.get("/compare/", follow=True).content.decode().count(center.name) >= 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/admin/helplines/call/?advertiser=%C2%B2", "advertiser"),
        ("/admin/helplines/call/?advertiser=99999999999999999999999", "advertiser"),
        ("/admin/helplines/callbackrequest/?status=%00", "status"),
        ("/admin/helplines/call/?status=%00", "status"),
        ("/admin/helplines/call/?helpline=%00", "helpline"),
    ],
)
def test_admin_filters_with_impossible_values_answer_400_with_a_message(staff_client, url, message):
    response = staff_client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "filter" in body.lower()
    assert message in body


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/centers/",
        "/where-calls-go/",
        "/compare/",
        "/callback/",
        "/healthz",
        "/guides/inpatient-or-outpatient/",
    ],
)
def test_head_is_answered_wherever_get_is(client, db, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == get.status_code
    assert head.content == b""


def test_head_on_a_helpline_link_does_not_count_a_tap(client, detox_line):
    response = client.head(f"/helplines/call/{detox_line.slug}/")
    assert response.status_code == 302
    assert not Call.objects.exists()
