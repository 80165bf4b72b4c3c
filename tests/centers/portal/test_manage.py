"""A manager's own page: what publishes at once, what waits for an editor, and who may edit."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from centers.edits import decide_change
from centers.models import Center, ListingChange
from tests.factories import make_advertiser, make_center

from .conftest import make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    """Ana manages Harbor Recovery, and is signed in."""
    center = make_center(name="Harbor Recovery", phone="+12175550111")
    manager = make_manager(center, email="ana@harbor.example")
    client.force_login(manager.user)
    return manager


def edit(client, center: Center, section: str, **data: str):
    payload = {"section": section, **{f"{section}-{k}": v for k, v in data.items()}}
    return client.post(reverse("portal:center", args=[center.slug]), payload)


def test_the_page_reads_the_listing_and_its_history_in_fixed_queries(
    client, manager, django_assert_num_queries
):
    edit(client, manager.center, "details", website="https://harbor.example")
    url = reverse("portal:center", args=[manager.center.slug])

    # Session, user, center, the manager check, the history, the footer's helplines.
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count("<h1>") == 1
    assert "no-store" in response["Cache-Control"]


def test_a_manager_of_one_center_gets_403_on_another(client, manager):
    other = make_center(name="Other Place")

    answers = [
        client.get(reverse("portal:center", args=[other.slug])),
        edit(client, other, "availability", availability="not_now"),
        client.post(reverse("portal:still-accurate", args=[other.slug])),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403]
    other.refresh_from_db()
    assert other.availability == "" and other.last_verified is None
    assert not ListingChange.objects.filter(center=other).exists()


def test_a_revoked_manager_gets_403(client, manager):
    manager.revoked_at = timezone.now()
    manager.save()

    assert client.get(reverse("portal:center", args=[manager.center.slug])).status_code == 403


def test_a_waiting_list_publishes_at_once_with_the_time_it_was_stated(client, manager):
    before = timezone.now()

    response = edit(client, manager.center, "availability", availability="waiting_list",
                    wait_days="10")  # fmt: skip

    assert response.status_code == 302
    center = Center.objects.get(pk=manager.center.pk)
    assert (center.availability, center.wait_days) == ("waiting_list", 10)
    assert center.availability_stated_at >= before
    change = ListingChange.objects.get(field="availability")
    assert (change.old_value, change.new_value, change.state, change.changed_by) == (
        "", "waiting_list", ListingChange.State.PUBLISHED, manager.user,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"availability": "waiting_list"}, "Enter the estimated wait in days"),
        ({"availability": "waiting_list", "wait_days": "0"}, "greater than or equal to 1"),
        ({"availability": "waiting_list", "wait_days": "9999"}, "less than or equal to 365"),
        ({"availability": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_availability_is_explained_and_nothing_saved(client, manager, data, message):
    response = edit(client, manager.center, "availability", **data)

    assert response.status_code == 400
    assert message in response.text
    assert not ListingChange.objects.exists()


def test_stating_the_same_availability_again_restates_its_date(client, manager):
    edit(client, manager.center, "availability", availability="accepting")
    Center.objects.filter(pk=manager.center.pk).update(
        availability_stated_at=timezone.now() - timezone.timedelta(days=20)
    )

    edit(client, manager.center, "availability", availability="accepting")

    center = Center.objects.get(pk=manager.center.pk)
    assert (timezone.now() - center.availability_stated_at).total_seconds() < 60
    assert ListingChange.objects.filter(field="availability").count() == 1


def test_intake_hours_publish_and_show_on_the_center_page(client, manager):
    response = edit(client, manager.center, "hours", opens_0="09:00", closes_0="17:00",
                    opens_5="10:00", closes_5="13:30")  # fmt: skip

    assert response.status_code == 302
    center = Center.objects.get(pk=manager.center.pk)
    assert center.intake_hours == {"0": ["09:00", "17:00"], "5": ["10:00", "13:30"]}
    page = client.get(center.get_absolute_url()).text
    assert "Intake hours" in page and "Monday" in page and "13:30" in page
    assert "Tuesday" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"opens_0": "09:00"}, "Give both times"),
        ({"opens_0": "17:00", "closes_0": "09:00"}, "must be after the opening"),
        ({"opens_0": "nine", "closes_0": "17:00"}, "Enter a time"),
    ],
)
def test_bad_hours_are_explained(client, manager, data, message):
    response = edit(client, manager.center, "hours", **data)

    assert response.status_code == 400
    assert message in response.text
    assert Center.objects.get(pk=manager.center.pk).intake_hours == {}


def test_details_publish_at_once_without_control_characters_and_escaped(client, manager):
    response = edit(
        client, manager.center, "details",
        website="harbor.example",
        description="We help.\x00\x1b\r\nWalk-ins <b>welcome</b>.",
        insurance_notes="Medicaid\x07, most BCBS plans",
        intake_phone="(217) 555-0142",
    )  # fmt: skip

    assert response.status_code == 400  # a null character is refused with a clear error
    assert "Null characters are not allowed" in response.text
    response = edit(
        client, manager.center, "details",
        website="harbor.example",
        description="We help.\x1b\r\nWalk-ins <b>welcome</b>.",
        insurance_notes="Medicaid\x07, most BCBS plans",
        intake_phone="(217) 555-0142",
    )  # fmt: skip
    center = Center.objects.get(pk=manager.center.pk)
    assert response.status_code == 302
    assert center.website == "https://harbor.example"
    assert center.description == "We help.\nWalk-ins <b>welcome</b>."
    assert center.insurance_notes == "Medicaid, most BCBS plans"
    assert center.intake_phone == "+12175550142"
    page = client.get(center.get_absolute_url()).text
    assert "Walk-ins &lt;b&gt;welcome&lt;/b&gt;" in page
    assert "Medicaid, most BCBS plans" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "x" * 2001}, "at most 2000 characters"),
        ({"insurance_notes": "x" * 1001}, "at most 1000 characters"),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"intake_phone": "call us"}, "Enter a phone number with its area code"),
    ],
)
def test_oversized_or_bad_details_are_explained(client, manager, data, message):
    response = edit(client, manager.center, "details", **data)

    assert response.status_code == 400
    assert message in response.text
    assert not ListingChange.objects.exists()


def test_name_address_and_main_phone_wait_for_an_editor(client, manager, admin_user):
    center = manager.center
    data = {
        "name": "Harbor Recovery Center", "street": center.street or "1 Main St",
        "city": center.city, "state": center.state, "zip_code": center.zip_code,
        "phone": "(217) 555-0150",
    }  # fmt: skip

    response = edit(client, center, "corrections", **data)

    assert response.status_code == 302
    center.refresh_from_db()
    assert (center.name, center.phone) == ("Harbor Recovery", "+12175550111")
    pending = ListingChange.objects.pending().order_by("field")
    assert {c.field for c in pending} >= {"name", "phone"}
    for change in pending:
        decide_change(change_id=change.pk, approve=True, editor=admin_user)
    center.refresh_from_db()
    assert (center.name, center.phone) == ("Harbor Recovery Center", "+12175550150")


def test_a_newer_correction_replaces_the_one_waiting(client, manager):
    center = manager.center
    base = {"street": "1 Main St", "city": center.city, "state": center.state,
            "zip_code": center.zip_code, "phone": "(217) 555-0111"}  # fmt: skip

    edit(client, center, "corrections", name="First try", **base)
    edit(client, center, "corrections", name="Second try", **base)

    assert [c.new_value for c in ListingChange.objects.pending().filter(field="name")] == [
        "Second try"
    ]


def test_still_accurate_is_one_click_after_sign_in(client, manager, django_assert_num_queries):
    center = manager.center
    edit(client, center, "availability", availability="accepting")
    Center.objects.filter(pk=center.pk).update(availability_stated_at=None)
    url = reverse("portal:still-accurate", args=[center.slug])

    with django_assert_num_queries(5):  # session, user, center, manager check, helplines
        page = client.get(url)
    response = client.post(url)

    assert "Yes, it is still accurate" in page.text
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.last_verified == timezone.localdate()
    assert center.last_verified_by == Center.Checker.CENTER
    assert center.availability_stated_at is not None


def test_the_portal_home_lists_the_managers_centers(client, manager, django_assert_num_queries):
    second = make_center(name="Harbor East")
    make_manager(second, email="ana@harbor.example")
    make_center(name="Not Hers")

    with django_assert_num_queries(4):  # session, user, centers, helplines
        response = client.get(reverse("portal:home"))

    assert "Harbor Recovery" in response.text and "Harbor East" in response.text
    assert "Not Hers" not in response.text


def test_a_paid_advertisers_manager_sees_no_advertiser_terms_nor_callers(client, manager):
    advertiser = make_advertiser(center=manager.center, name="Harbor Ads")
    from helplines.models import CallbackRequest

    CallbackRequest.objects.create(
        center=manager.center, first_name="Caller",
        phone="+12025550177", best_time="any",
    )  # fmt: skip

    page = client.get(reverse("portal:center", args=[manager.center.slug])).text
    bad = edit(client, manager.center, "details", weight="99", daily_cap="1")

    for secret in ("weight", "daily_cap", "Caller", "555-0177", "2025550177", "Harbor Ads"):
        assert secret not in page
    assert bad.status_code == 302
    advertiser.refresh_from_db()
    assert (advertiser.weight, advertiser.daily_cap) == (1, None)


def test_the_history_is_kept_as_values_the_importer_can_read(client, manager):
    edit(client, manager.center, "hours", opens_2="08:00", closes_2="12:00")

    change = ListingChange.objects.get()
    assert json.loads(change.new_value) == {"2": ["08:00", "12:00"]}
    assert ListingChange.objects.fields_set_by_people([manager.center.pk]) == {
        manager.center.pk: {"intake_hours"}
    }


def test_phones_show_as_people_write_them_and_saving_unchanged_changes_nothing(client, manager):
    center = manager.center
    Center.objects.filter(pk=center.pk).update(intake_phone="+12175550142;ext=7")

    page = client.get(reverse("portal:center", args=[center.slug])).text
    response = edit(client, center, "details", intake_phone="(217) 555-0142 ext. 7")

    assert 'value="(217) 555-0142 ext. 7"' in page and 'value="(217) 555-0111"' in page
    assert response.status_code == 302
    assert not ListingChange.objects.exists()
