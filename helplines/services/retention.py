"""Keeping call records no longer than needed.

After ``CALL_DETAIL_RETENTION_DAYS`` a call keeps only what the public statistics count: its
day (not its time), its line, language and who answered, and for each number dialed the order,
the destination, the result, whether a person accepted and how many seconds that took. The
caller hash, Twilio's call ids (the call's and each dial's), every time of day (each becomes
its day's midnight, in the site's time zone, so it stays in the same day and month) and the
lengths of the call and of each dial are deleted.

Callback requests are deleted whole after ``CALLBACK_RETENTION_DAYS``; what the statistics
count of them is first added to a daily tally per advertiser.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import Call, CallAttempt, CallbackRequest, CallbackTally

BATCH = 1000
ATTEMPT_TIMES = ("started_at", "connected_at", "ended_at", "accepted_at")


def _midnight(moment: datetime | None) -> datetime | None:
    """The start of ``moment``'s day in the site's time zone."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date(), time.min))


def expired_calls(now: datetime):
    cutoff = now - timedelta(days=settings.CALL_DETAIL_RETENTION_DAYS)
    return Call.objects.filter(started_at__lt=cutoff, detail_purged_at__isnull=True)


def purge_call_detail(*, now: datetime, dry_run: bool = False) -> int:
    """Purge the detail of every expired call, a batch at a time; returns how many."""
    if dry_run:
        return expired_calls(now).count()
    purged = 0
    while True:
        with transaction.atomic():
            # The race: two runs from cron at once. Each locks its batch and skips rows the
            # other holds, so neither waits, and a purged call is never selected again.
            ids = list(
                expired_calls(now)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return purged
            # Midnights are computed here, in the site's time zone: a database truncates in
            # its session's zone, which would move a late-evening call to the previous day.
            attempts = list(CallAttempt.objects.filter(call_id__in=ids))
            for attempt in attempts:
                attempt.dial_call_sid = ""
                attempt.duration = None
                for name in ATTEMPT_TIMES:
                    setattr(attempt, name, _midnight(getattr(attempt, name)))
            CallAttempt.objects.bulk_update(
                attempts, ["dial_call_sid", "duration", *ATTEMPT_TIMES], batch_size=500
            )
            calls = list(Call.objects.filter(pk__in=ids))
            for each in calls:
                each.call_sid = each.caller_hash = ""
                each.duration = None
                each.started_at = _midnight(each.started_at)
                each.ended_at = _midnight(each.ended_at)
                each.detail_purged_at = now
            Call.objects.bulk_update(
                calls,
                [
                    "call_sid",
                    "caller_hash",
                    "duration",
                    "started_at",
                    "ended_at",
                    "detail_purged_at",
                ],
                batch_size=500,
            )
            purged += len(ids)


def purge_callbacks(*, now: datetime, dry_run: bool = False) -> int:
    """Delete expired callback requests, first adding advertisers' ones to their daily
    tallies; returns how many."""
    expired = CallbackRequest.objects.expired(now)
    if dry_run:
        return expired.count()
    with transaction.atomic():
        # The race: two runs at once would both tally the same requests. The rows are locked
        # first, so the second run waits, then finds them gone.
        ids = list(expired.order_by("pk").select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        groups = (
            CallbackRequest.objects.filter(pk__in=ids, advertiser__isnull=False)
            .annotate(day=TruncDate("created_at"))
            .order_by()
            .values("advertiser_id", "day")
            .annotate(
                requested=Count("pk"), called_back=Count("pk", filter=Q(called_at__isnull=False))
            )
        )
        for group in groups:
            tally, _ = CallbackTally.objects.select_for_update().get_or_create(
                advertiser_id=group["advertiser_id"], day=group["day"]
            )
            CallbackTally.objects.filter(pk=tally.pk).update(
                requested=F("requested") + group["requested"],
                called_back=F("called_back") + group["called_back"],
            )
        return CallbackRequest.objects.filter(pk__in=ids).delete()[0]
