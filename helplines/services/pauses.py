"""Pausing an advertiser that stops taking calls, and lifting a pause.

An advertiser is paused for ``HELPLINE_PAUSE_MINUTES`` when, counting only calls offered since
its last pause ended:

- it did not accept the last ``HELPLINE_PAUSE_AFTER_MISSES`` calls offered to it (busy, no
  answer, failed, or picked up without pressing 1); or
- it accepted fewer than ``HELPLINE_PAUSE_BELOW_PERCENT`` % of the calls offered in the last
  hour, once at least ``HELPLINE_PAUSE_MIN_OFFERS`` were.

Calls the caller hung up on before anyone picked up, and calls still ringing, do not count
either way. Routing skips a paused advertiser; the pause ends by itself.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Advertiser, AdvertiserPause, CallAttempt

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)
# Results that count: accepted (even while the conversation goes on), or a miss.
_ACCEPTED = Q(accepted_at__isnull=False)
_COUNTED = _ACCEPTED | Q(outcome__in=CallAttempt.UNANSWERED)


@dataclass(frozen=True)
class Record:
    """An advertiser's recent results, as the pause rules read them."""

    missed_in_a_row: int
    offered_last_hour: int
    accepted_last_hour: int

    def reason(self) -> AdvertiserPause.Reason | None:
        misses = settings.HELPLINE_PAUSE_AFTER_MISSES
        if misses and self.missed_in_a_row >= misses:
            return AdvertiserPause.Reason.MISSED_IN_A_ROW
        percent = settings.HELPLINE_PAUSE_BELOW_PERCENT
        if (
            percent
            and self.offered_last_hour >= settings.HELPLINE_PAUSE_MIN_OFFERS
            and self.accepted_last_hour * 100 < percent * self.offered_last_hour
        ):
            return AdvertiserPause.Reason.LOW_ACCEPTANCE
        return None


def recent_record(advertiser: Advertiser, *, now: datetime) -> Record:
    """Two small queries on the advertiser's attempts index, newest first."""
    attempts = CallAttempt.objects.filter(_COUNTED, advertiser=advertiser)
    if advertiser.paused_until is not None:
        # Misses that led to a pause are not held against the advertiser twice.
        attempts = attempts.filter(started_at__gte=advertiser.paused_until)
    limit = max(settings.HELPLINE_PAUSE_AFTER_MISSES, 1)
    latest = attempts.order_by("-started_at", "-pk").values_list("accepted_at", flat=True)[:limit]
    missed = 0
    for accepted_at in latest:
        if accepted_at is not None:
            break
        missed += 1
    hour = attempts.filter(started_at__gte=now - RATE_WINDOW).aggregate(
        offered=Count("pk"), accepted=Count("pk", filter=_ACCEPTED)
    )
    return Record(missed, hour["offered"], hour["accepted"])


def review_locked(advertiser: Advertiser, *, now: datetime) -> AdvertiserPause | None:
    """Pause ``advertiser`` if its recent record calls for it. The caller holds its row lock
    (routing, or ``review``): that is what makes two calls missed at once give one pause."""
    if advertiser.is_paused_at(now):
        return None
    record = recent_record(advertiser, now=now)
    reason = record.reason()
    if reason is None:
        return None
    pause = AdvertiserPause.objects.create(
        advertiser=advertiser,
        reason=reason,
        missed=record.missed_in_a_row,
        offered_last_hour=record.offered_last_hour,
        accepted_last_hour=record.accepted_last_hour,
        started_at=now,
        ends_at=now + timedelta(minutes=settings.HELPLINE_PAUSE_MINUTES),
    )
    advertiser.paused_until = pause.ends_at
    advertiser.save(update_fields=["paused_until"])
    logger.warning(
        "Advertiser %d paused until %s: %s", advertiser.pk, pause.ends_at.isoformat(), reason
    )
    # Only once the pause is committed, and never holding the locks while SMTP answers.
    transaction.on_commit(lambda: _tell_admins(pause, advertiser.name))
    return pause


def review(*, advertiser_id: int, now: datetime | None = None) -> AdvertiserPause | None:
    """Lock one advertiser and pause it if need be. Only for a transaction that holds no other
    advertiser's lock: routing locks advertisers in id order and reviews under those locks."""
    now = now or timezone.now()
    with transaction.atomic():
        # The race: two calls missed at once would each count the misses and pause twice.
        advertiser = Advertiser.objects.select_for_update().filter(pk=advertiser_id).first()
        return review_locked(advertiser, now=now) if advertiser else None


def end_pause(*, advertiser: Advertiser, now: datetime | None = None) -> AdvertiserPause | None:
    """Lift the pause in force now, if any (an admin decided the advertiser is back)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The race: the router reads paused_until under this same lock.
        locked = Advertiser.objects.select_for_update().get(pk=advertiser.pk)
        pause = locked.pauses.in_force(now).first()
        if pause is None:
            return None
        pause.ends_at = now
        pause.ended_early = True
        pause.save(update_fields=["ends_at", "ended_early"])
        locked.paused_until = now
        locked.save(update_fields=["paused_until"])
        return pause


def _tell_admins(pause: AdvertiserPause, name: str) -> None:
    ends = timezone.localtime(pause.ends_at)
    record = (
        f"Missed in a row: {pause.missed}. Last hour: {pause.accepted_last_hour} accepted of "
        f"{pause.offered_last_hour} offered."
    )
    try:
        mail_admins(
            f"Advertiser paused: {name}",
            f"{name} stopped taking calls ({pause.get_reason_display()}), so the general "
            f"helplines skip it until {ends:%Y-%m-%d %H:%M %Z}.\n\n{record}\n\nThe pause is "
            "public on the call statistics page. An admin can lift it from the advertiser's "
            "page.",
        )
    except Exception:
        # The pause stands and is logged above; a mail server that is down must not undo it.
        logger.exception("Could not email the admins about the pause of advertiser %d", pause.pk)
