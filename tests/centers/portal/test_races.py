"""Editors' decisions, managers' edits and reminder runs at the same moment (PostgreSQL)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from centers.edits import decide_change, edit_as_manager
from centers.models import Center, CenterManager, Claim, ListingChange, Reminder
from centers.portal.services import decide_claim, send_monthly_reminders
from tests.factories import make_center
from tests.threads import run_together

from .conftest import make_manager

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def editors(count: int) -> list:
    users = get_user_model()
    return [users.objects.create_user(f"editor{n}", is_staff=True) for n in range(count)]


def test_two_editors_deciding_one_claim_decide_it_once():
    claim = Claim.objects.create(
        center=make_center(), name="A", email="a@x.example", role="Nurse",
        status=Claim.Status.REVIEW, review_reason=Claim.Review.PAID,
    )  # fmt: skip
    people = editors(2)

    results = run_together(
        2, lambda i: decide_claim(claim_id=claim.pk, approve=i == 0, editor=people[i])
    )

    assert sorted(results) == [False, True]
    claim.refresh_from_db()
    assert claim.status in (Claim.Status.APPROVED, Claim.Status.REFUSED)
    assert CenterManager.objects.count() == (claim.status == Claim.Status.APPROVED)
    assert len(mail.outbox) == 1


def test_two_editors_deciding_one_correction_decide_it_once():
    center = make_center(name="Harbor")
    manager = make_manager(center)
    edit_as_manager(center_id=center.pk, user=manager.user, values={"name": "Harbor Center"})
    change = ListingChange.objects.get()
    people = editors(2)

    results = run_together(
        2, lambda i: decide_change(change_id=change.pk, approve=i == 0, editor=people[i])
    )

    assert sorted(results) == [False, True]
    change.refresh_from_db()
    center.refresh_from_db()
    assert (center.name == "Harbor Center") == (change.state == ListingChange.State.APPROVED)


def test_managers_saving_at_once_each_record_what_they_replaced():
    center = make_center()
    managers = [make_manager(center) for _ in range(4)]

    run_together(
        4,
        lambda i: edit_as_manager(
            center_id=center.pk, user=managers[i].user, values={"description": f"Version {i}"}
        ),
    )

    changes = list(ListingChange.objects.order_by("pk"))
    assert changes[0].old_value == ""
    assert [c.old_value for c in changes[1:]] == [c.new_value for c in changes[:-1]]
    assert Center.objects.get().description == changes[-1].new_value


def test_reminder_runs_at_once_send_once():
    make_manager(make_center(), email="ana@harbor.example")

    results = run_together(
        3, lambda i: send_monthly_reminders(today=date(2026, 12, 7), base_url="https://x")
    )

    assert sorted(results) == [(0, 1), (0, 1), (1, 0)]
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
