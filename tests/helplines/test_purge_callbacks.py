"""`manage.py purge_callbacks`: requests older than CALLBACK_RETENTION_DAYS go, whatever their
status; younger ones stay; running it again changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from helplines import services
from helplines.models import CallbackRequest
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_callbacks", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def requests_by_age() -> dict[str, CallbackRequest]:
    """Requests made 31, 30 (just over and just under) and 2 days ago, in every status."""
    center = make_center()
    now = timezone.now()

    def made(ago: timedelta, status: str = "new") -> CallbackRequest:
        callback = services.request_center_callback(
            center=center, first_name="", phone="+12025550173", best_time="any", now=now - ago
        )
        if status == "called":
            CallbackRequest.objects.filter(pk=callback.pk).mark_called()
        elif status == "closed":
            CallbackRequest.objects.filter(pk=callback.pk).close()
        return callback

    return {
        "old_new": made(timedelta(days=31)),
        "old_called": made(timedelta(days=40), "called"),
        "old_closed": made(timedelta(days=30, minutes=1), "closed"),
        "recent_edge": made(timedelta(days=30) - timedelta(minutes=1)),
        "recent_closed": made(timedelta(days=2), "closed"),
    }


def remaining() -> set[int]:
    return set(CallbackRequest.objects.values_list("pk", flat=True))


def test_deletes_only_requests_older_than_the_retention_period(requests_by_age):
    assert purge() == "Deleted 3 callback requests made more than 30 days ago."
    assert remaining() == {
        requests_by_age["recent_edge"].pk,
        requests_by_age["recent_closed"].pk,
    }


def test_is_idempotent(requests_by_age):
    purge()
    assert purge() == "Deleted 0 callback requests made more than 30 days ago."
    assert len(remaining()) == 2


def test_a_dry_run_counts_and_deletes_nothing(requests_by_age):
    assert purge("--dry-run") == "Would delete 3 callback requests made more than 30 days ago."
    assert len(remaining()) == 5


def test_follows_the_setting(requests_by_age, settings):
    settings.CALLBACK_RETENTION_DAYS = 1
    assert purge() == "Deleted 5 callback requests made more than 1 day ago."
    assert remaining() == set()


def test_one_request_is_counted_in_the_singular(requests_by_age, settings):
    settings.CALLBACK_RETENTION_DAYS = 35
    assert purge() == "Deleted 1 callback request made more than 35 days ago."


def test_an_empty_queue_is_fine(db):
    assert purge() == "Deleted 0 callback requests made more than 30 days ago."
