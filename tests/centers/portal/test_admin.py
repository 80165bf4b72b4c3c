"""What editors see and do in the admin: claims, managers, the listing history as a diff, and
SAMHSA differences."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from centers.edits import edit_as_manager
from centers.models import CenterManager, Claim, ListingChange, SamhsaDifference
from tests.factories import make_center

from .conftest import make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-123")
    client.force_login(user)
    return client


def action(client, model: str, name: str, ids: list[int]):
    return client.post(
        reverse(f"admin:{model}_changelist"), {"action": name, "_selected_action": ids}
    )


def change_form_data(form) -> dict[str, object]:
    """What the admin's change form posts back unchanged."""
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data


def claim_for_review(center, **fields) -> Claim:
    values = {
        "name": "Ana <b>Ruiz</b>",
        "email": "ana@harbor.example",
        "role": "Director",
        "status": Claim.Status.REVIEW,
        "review_reason": Claim.Review.PAID,
        **fields,
    }
    return Claim.objects.create(center=center, **values)


@pytest.mark.parametrize(
    "model", ["centers_claim", "centers_reminder", "centers_centermanager",
              "centers_listingchange", "centers_samhsadifference"],
)  # fmt: skip
def test_every_list_opens(editor, model):
    center = make_center()
    claim_for_review(center)
    manager = make_manager(center)
    edit_as_manager(center_id=center.pk, user=manager.user, values={"description": "<b>x</b>"})
    SamhsaDifference.objects.create(
        center=center,
        field="phone",
        samhsa_value="+12175550199",
        listing_value="+12175550150",
        since_edition="su-2024",
    )

    response = editor.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200
    assert "<b>" not in response.text.replace("<b>Warning", "")  # hostile text escaped


def test_editors_approve_a_claim_waiting_for_them(editor, fake_twilio):
    claim = claim_for_review(make_center())

    action(editor, "centers_claim", "approve", [claim.pk])

    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.manager.user.email == "ana@harbor.example"
    assert mail.outbox[0].to == ["ana@harbor.example"]
    assert "https://directory.example/manage/sign-in/" in mail.outbox[0].body


def test_editors_refuse_a_claim_and_cannot_refuse_a_settled_one(editor):
    waiting = claim_for_review(make_center())
    settled = claim_for_review(make_center(), status=Claim.Status.VERIFIED)

    action(editor, "centers_claim", "refuse", [waiting.pk, settled.pk])

    waiting.refresh_from_db(), settled.refresh_from_db()
    assert (waiting.status, settled.status) == (Claim.Status.REFUSED, Claim.Status.VERIFIED)
    assert not CenterManager.objects.exists()
    assert len(mail.outbox) == 1


def test_editors_revoke_a_manager(editor, client):
    manager = make_manager(make_center())

    action(editor, "centers_centermanager", "revoke", [manager.pk])

    manager.refresh_from_db()
    assert manager.revoked_at is not None and manager.revoked_by.username == "editor"
    assert CenterManager.objects.emails_for(manager.center) == []


def test_the_history_shows_each_change_as_a_diff(editor):
    center = make_center()
    manager = make_manager(center)
    center.description = "We offer outpatient care."
    center.save()
    longer = "We offer outpatient and residential care."
    edit_as_manager(center_id=center.pk, user=manager.user, values={"description": longer})

    response = editor.get(reverse("admin:centers_listingchange_changelist"))

    assert "<span>We offer outpatient</span> <ins>and residential</ins> <span>care.</span>" in (
        response.text
    )


def test_editors_approve_a_correction_from_the_list(editor):
    center = make_center(name="Harbor")
    manager = make_manager(center)
    edit_as_manager(center_id=center.pk, user=manager.user, values={"name": "Harbor Center"})
    change = ListingChange.objects.get()

    action(editor, "centers_listingchange", "approve", [change.pk])

    center.refresh_from_db()
    change.refresh_from_db()
    assert center.name == "Harbor Center"
    assert (change.state, change.decided_by.username) == ("approved", "editor")


def test_editors_settle_a_samhsa_difference(editor):
    center = make_center(phone="+12175550150")
    difference = SamhsaDifference.objects.create(
        center=center, field="phone", samhsa_value="+12175550199",
        listing_value="+12175550150", since_edition="su-2024",
    )  # fmt: skip

    listed = editor.get(reverse("admin:centers_samhsadifference_changelist"))
    action(editor, "centers_samhsadifference", "keep_listing_value", [difference.pk])

    assert "SAMHSA lists a different phone since 2024" in listed.text
    difference.refresh_from_db()
    center.refresh_from_db()
    assert difference.resolved_at is not None and difference.took_samhsa_value is False
    assert center.phone == "+12175550150"


def test_an_editors_admin_edit_is_kept_in_the_history(editor):
    center = make_center(name="Harbor", phone="+12175550150")
    url = reverse("admin:centers_center_change", args=[center.pk])
    data = change_form_data(editor.get(url).context["adminform"].form)
    data.update({"name": "Harbor Recovery", "website": "https://harbor.example"})
    for prefix in ("problem_reports",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = editor.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    changes = {c.field: c for c in ListingChange.objects.all()}
    assert set(changes) == {"name", "website"}
    assert (changes["name"].old_value, changes["name"].new_value) == ("Harbor", "Harbor Recovery")
    assert changes["name"].source == ListingChange.Source.EDITOR


def test_status_actions_are_kept_in_the_history(editor):
    center = make_center()

    action(editor, "centers_center", "close", [center.pk])

    change = ListingChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == ("status", "published", "closed")
    assert change.changed_by.username == "editor"


def test_an_editor_stating_availability_dates_it_now(editor):
    center = make_center(name="Harbor")
    url = reverse("admin:centers_center_change", args=[center.pk])
    data = change_form_data(editor.get(url).context["adminform"].form)
    data.update({"availability": "not_now", "intake_hours": "{}"})
    data.update({"problem_reports-TOTAL_FORMS": "0", "problem_reports-INITIAL_FORMS": "0"})

    response = editor.post(url, data)

    assert response.status_code == 302
    center.refresh_from_db()
    assert center.availability == "not_now" and center.availability_stated_at is not None
    assert ListingChange.objects.get().field == "availability"
