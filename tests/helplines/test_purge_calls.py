"""manage.py purge_calls: call detail goes after CALL_DETAIL_RETENTION_DAYS; the figures stay."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from helplines import reports, statistics
from helplines.models import Call, CallAttempt, CallbackRequest
from tests.threads import run_together

from .test_statistics import call

pytestmark = pytest.mark.django_db


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_calls", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_and_new(advertisers, detox_line):
    """Calls 120 days ago at 11:30 p.m. Eastern (the next day in UTC), and one today."""
    old = timezone.now() - timedelta(days=120)
    late = datetime.combine(timezone.localtime(old).date(), datetime.min.time()).replace(
        hour=23, minute=30, tzinfo=timezone.get_current_timezone()
    )
    call(detox_line, late, "accept", answer_after=9)
    call(detox_line, late, "no-answer", "voicemail", "accept", answer_after=25)
    call(detox_line, late + timedelta(minutes=5), "busy", "no-answer", "failed")
    call(detox_line, timezone.now(), "accept")
    return timezone.localtime(late).date()


def test_the_detail_goes_and_the_statistics_do_not_change(old_and_new):
    period = statistics.month_period(old_and_new.replace(day=1))
    before = statistics.build(period)
    daily_before = statistics.build(statistics.last_days())
    days = {"since": old_and_new - timedelta(days=1), "until": old_and_new + timedelta(days=1)}
    report_before = reports.answer_rates(**days)
    assert [rate.day for rate in report_before] == [old_and_new] * 3

    assert purge() == "Purged the detail of 3 calls made more than 90 days ago.\n"

    assert statistics.build(period) == before
    assert statistics.build(statistics.last_days()) == daily_before
    assert reports.answer_rates(**days) == report_before
    old = Call.objects.filter(detail_purged_at__isnull=False)
    assert old.count() == 3
    midnight = datetime.combine(old_and_new, datetime.min.time()).replace(
        tzinfo=timezone.get_current_timezone()
    )
    for each in old:
        assert (each.call_sid, each.caller_hash, each.duration) == ("", "", None)
        assert each.started_at == midnight
    attempts = CallAttempt.objects.filter(call__in=old)
    assert not attempts.exclude(dial_call_sid="").exists()
    assert not attempts.filter(duration__isnull=False).exists()
    assert set(attempts.values_list("started_at", flat=True)) == {midnight}
    assert sorted(
        attempts.exclude(answer_seconds=None).values_list("answer_seconds", flat=True)
    ) == [9, 25]
    recent = Call.objects.get(detail_purged_at__isnull=True)
    assert recent.call_sid and recent.caller_hash


def test_it_is_idempotent_and_a_dry_run_changes_nothing(old_and_new):
    assert purge("--dry-run") == "Would purge the detail of 3 calls made more than 90 days ago.\n"
    assert not Call.objects.filter(detail_purged_at__isnull=False).exists()
    purge()
    snapshot = list(Call.objects.values())
    assert purge() == "Purged the detail of 0 calls made more than 90 days ago.\n"
    assert list(Call.objects.values()) == snapshot


def test_the_retention_is_a_setting(old_and_new, settings):
    settings.CALL_DETAIL_RETENTION_DAYS = 200
    assert "0 calls made more than 200 days ago" in purge()


def test_purged_callbacks_still_count(advertisers):
    when = datetime(2026, 8, 5, 15, 0, tzinfo=UTC)
    for status in ("new", "called"):
        CallbackRequest.objects.create(
            advertiser=advertisers.maple,
            phone="+12025550166",
            status=status,
            called_at=when if status == "called" else None,
            created_at=when,
        )
    period = statistics.month_period(date(2026, 8, 1))
    before = statistics.build(period)
    out = StringIO()
    call_command("purge_callbacks", stdout=out)
    assert "Deleted 2 callback requests" in out.getvalue()
    assert not CallbackRequest.objects.exists()
    assert statistics.build(period) == before
    call_command("purge_callbacks", stdout=out)
    assert statistics.build(period) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_purge_each_call_once(old_and_new):
    results = run_together(2, lambda index: purge())
    counts = sorted(int(text.split()[4]) for text in results)
    assert sum(counts) == 3
    assert Call.objects.filter(detail_purged_at__isnull=False).count() == 3
