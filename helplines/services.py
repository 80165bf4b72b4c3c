"""Writes that span several models: calls, where they are routed, and disclosures.

Each function is keyword-only and runs in one transaction. The call functions return a
``NextStep`` (what the caller hears, and which number rings next) that ``helplines.twiml``
turns into TwiML. Twilio retries webhooks and may deliver them late or out of order, so every
function here is idempotent: given the same input twice it records once and answers the same.

How a general call is routed (the "Where do calls go?" page says the same in plain words):

1. Eligible advertisers are those active today, inside their business hours (their own time
   zone), under their daily cap and their concurrent-call cap, and not yet tried on this call.
2. One is chosen by smooth weighted round-robin, as nginx does it: every eligible advertiser's
   ``current_weight`` grows by its ``weight``; the largest is chosen and loses the eligible
   total. Over any run of calls each advertiser's share follows its weight exactly and evenly
   (weights 5/3/2 give 5, 3 and 2 calls in every 10, interleaved rather than in blocks).
3. Busy, no answer or failed: the next eligible advertiser, at most ``MAX_ADVERTISER_ATTEMPTS``
   in all; then the fallback line (``settings.HELPLINE_FALLBACK_NUMBER``).
"""

import logging
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone

from centers.models import Center

from .models import (
    Advertiser,
    AnsweredBy,
    BusinessHours,
    Call,
    CallAttempt,
    Disclosure,
    Helpline,
    hash_caller,
)
from .models.advertiser import local_midnight, local_weekdays

logger = logging.getLogger(__name__)

MAX_ADVERTISER_ATTEMPTS = 3
# Twilio ends every call after four hours (the <Dial> timeLimit default). An attempt still
# without an outcome after that lost its callback and stops counting as a call in progress.
LONGEST_CALL = timedelta(hours=4)

# DialCallStatus -> our outcome. "answered" is what Twilio reports for some bridged calls that
# the caller ended; for us it is a call the advertiser took, like "completed".
_DIAL_OUTCOMES = {
    "completed": CallAttempt.Outcome.COMPLETED,
    "answered": CallAttempt.Outcome.COMPLETED,
    "busy": CallAttempt.Outcome.BUSY,
    "no-answer": CallAttempt.Outcome.NO_ANSWER,
    "failed": CallAttempt.Outcome.FAILED,
    "canceled": CallAttempt.Outcome.CANCELED,
}


class Announcement(StrEnum):
    """What the caller hears before the next dial; ``helplines.twiml`` holds the words."""

    FIRST_ADVERTISER = "first-advertiser"
    NEXT_ADVERTISER = "next-advertiser"
    NO_ADVERTISER_AVAILABLE = "no-advertiser-available"
    NO_ADVERTISER_ANSWERED = "no-advertiser-answered"
    UNKNOWN_NUMBER = "unknown-number"
    CENTER = "center"
    CENTER_UNANSWERED = "center-unanswered"
    FALLBACK_UNANSWERED = "fallback-unanswered"
    NONE = "none"


@dataclass(frozen=True)
class NextStep:
    """What to tell the caller, then which attempt to dial (``None``: hang up)."""

    announcement: Announcement
    attempt: CallAttempt | None = None


NOTHING_MORE = NextStep(Announcement.NONE)


def route_call(
    *,
    helpline: Helpline | None,
    call_sid: str,
    caller_number: str,
    to_number: str,
    now: datetime | None = None,
) -> NextStep:
    """Record an incoming call and choose its first destination.

    ``helpline`` is ``None`` when ``to_number`` is not one of ours: the caller hears an apology
    and goes to the fallback line, and the call is recorded so that an admin can fix the number.
    ``caller_number`` is hashed here and goes no further.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            call = Call.objects.create(
                helpline=helpline,
                call_sid=call_sid,
                caller_hash=hash_caller(caller_number),
                to_number=to_number,
                source=Call.Source.VOICE,
                started_at=now,
            )
            return _first_step(call, helpline, now=now)
    except IntegrityError:
        # The race: Twilio retried this webhook, perhaps while the first delivery was still
        # routing. The unique CallSid made our insert wait for that transaction, then fail.
        # (No savepoint around the insert: it would cost two round trips on every call.)
        if not Call.objects.filter(call_sid=call_sid).exists():
            raise
    with transaction.atomic():
        return _replay(Call.objects.select_for_update().get(call_sid=call_sid))


def record_dial_result(
    *,
    call_sid: str,
    attempt_order: int,
    dial_status: str,
    duration: int | None = None,
    dial_call_sid: str = "",
    now: datetime | None = None,
) -> NextStep | None:
    """Record how attempt ``attempt_order`` ended and choose what follows.

    ``None`` when the call or attempt is unknown (the view then still gives the caller a way
    out). A duplicate delivery records nothing and replays the answer already given.
    """
    now = now or timezone.now()
    outcome = _DIAL_OUTCOMES.get(dial_status)
    if outcome is None:
        # Keep the caller moving rather than stall on a status Twilio may add one day.
        logger.warning(
            "Call %s: unknown DialCallStatus %r, treated as failed", call_sid, dial_status
        )
        outcome = CallAttempt.Outcome.FAILED
    with transaction.atomic():
        # The race: Twilio retries a Dial action it thinks timed out while the first delivery
        # is still being handled. Without this lock both would record the outcome and both
        # would ring another advertiser. The call row is always locked before any advertiser
        # row, so this adds no lock-order cycle with routing.
        call = Call.objects.select_for_update().filter(call_sid=call_sid).first()
        if call is None:
            return None
        attempt = (
            call.attempts.select_related("advertiser", "center").filter(order=attempt_order).first()
        )
        if attempt is None:
            return None
        if attempt.outcome:
            return _replay(call)
        attempt.outcome = outcome
        attempt.duration = duration
        attempt.dial_call_sid = dial_call_sid
        attempt.ended_at = now
        attempt.save(update_fields=["outcome", "duration", "dial_call_sid", "ended_at"])
        if attempt.is_answered:
            _mark_answered(call, attempt)
            return NOTHING_MORE
        if not attempt.is_unanswered or call.is_over:
            # Canceled means the caller hung up; an ended call is a late callback. Either way
            # nobody is waiting for another number.
            return NOTHING_MORE
        return _next_after_unanswered(call, attempt, now=now)


def record_call_status(
    *, call_sid: str, status: str, duration: int | None = None, now: datetime | None = None
) -> Call | None:
    """Record the final status and length of a call from Twilio's status callback.

    Interim statuses (ringing, in-progress) carry nothing we keep. The first final status wins:
    a retried or reordered callback changes nothing. ``None`` for an unknown call.
    """
    if status not in Call.FINAL_STATUSES:
        return Call.objects.filter(call_sid=call_sid).first()
    with transaction.atomic():
        # The race: a retried status callback handled alongside the original would otherwise
        # let the later one overwrite the first end time.
        call = Call.objects.select_for_update().filter(call_sid=call_sid).first()
        if call is None or call.is_over:
            return call
        call.status = status
        call.duration = duration
        call.ended_at = now or timezone.now()
        call.save(update_fields=["status", "duration", "ended_at"])
        # A leg whose Dial result has not come (and may never come) is over too: it must stop
        # counting against its advertiser's concurrent-call cap. Its outcome stays unknown
        # until, if ever, that result arrives.
        call.attempts.filter(ended_at__isnull=True).update(ended_at=call.ended_at)
        return call


def record_web_click(*, helpline: Helpline, now: datetime | None = None) -> Call:
    """A visitor tapped a helpline number on the site; their phone does the rest."""
    return Call.objects.create(
        helpline=helpline,
        to_number=helpline.number,
        source=Call.Source.WEB,
        status=Call.Status.CLICKED,
        started_at=now or timezone.now(),
    )


def publish_disclosure(
    *,
    body: str,
    effective_from: datetime | None = None,
    change_note: str = "",
    author: AbstractBaseUser | None = None,
) -> Disclosure:
    """Publish a new version of the disclosure text; earlier versions stay as they were."""
    with transaction.atomic():
        # The race: two admins saving at once would both read the same latest version and
        # both claim the next number. Locking the latest row makes the second wait.
        latest = Disclosure.objects.select_for_update().order_by("-version").first()
        return Disclosure.objects.create(
            version=(latest.version if latest else 0) + 1,
            body=body.strip(),
            change_note=change_note,
            effective_from=effective_from or timezone.now(),
            created_by=author,
        )


def smooth_weighted_choice(advertisers: Sequence[Advertiser]) -> Advertiser:
    """nginx's smooth weighted round-robin step over ``advertisers`` (not empty).

    Mutates ``current_weight`` on every advertiser given; the caller saves them. Ties go to the
    first in the sequence, which routing orders by id, so the rotation is deterministic.
    """
    total = 0
    best: Advertiser | None = None
    for advertiser in advertisers:
        advertiser.current_weight += advertiser.weight
        total += advertiser.weight
        if best is None or advertiser.current_weight > best.current_weight:
            best = advertiser
    assert best is not None, "smooth_weighted_choice needs at least one advertiser"
    best.current_weight -= total
    return best


def _pick_advertiser(*, now: datetime, tried: Collection[int] = ()) -> Advertiser | None:
    """Choose the next advertiser, none of ``tried`` (the ids already rung for this call), and
    advance the rotation, in the caller's transaction. ``None`` when nobody is eligible."""
    # The race: calls arriving together would read the same current_weight values and pick the
    # same advertiser (skewing the published shares), or each see an advertiser under its caps
    # and ring it (breaking the caps). So every advertiser that may be open is locked before
    # anything is counted, and concurrent routers take turns. The locks are taken in advertiser
    # id order, so two routers never wait on each other in a cycle: they queue, never deadlock.
    #
    # One query locks them and reads their hours: the hours rows for the weekdays current
    # somewhere in our time zones, joined to their active advertiser, sorted by advertiser id,
    # locking only the advertiser rows. An advertiser without hours on those days cannot be
    # open, so it is neither read nor locked.
    intervals = (
        BusinessHours.objects.filter(advertiser__active=True, weekday__in=local_weekdays(now))
        .exclude(advertiser__in=tried)
        .select_related("advertiser")
        .order_by("advertiser_id", "opens")
        .select_for_update(of=("advertiser",))
    )
    hours: dict[int, tuple[Advertiser, list[BusinessHours]]] = {}
    for interval in intervals:
        hours.setdefault(interval.advertiser_id, (interval.advertiser, []))[1].append(interval)
    # Dates and hours are read in each advertiser's own time zone, so they are checked here on
    # the few rows just locked rather than by a per-zone SQL condition that costs more to
    # build than the query takes to run. A test keeps these checks and
    # AdvertiserQuerySet.current/open_at in agreement.
    candidates = []
    for advertiser, own_hours in hours.values():
        # Converted once: both checks then find the time already in the advertiser's zone.
        local = now.astimezone(advertiser.zone)
        if advertiser.is_current_at(local) and advertiser.is_open_at(local, intervals=own_hours):
            candidates.append(advertiser)
    if not candidates:
        return None
    load = _load(candidates, now=now)
    eligible = [a for a in candidates if _is_eligible(a, load.get(a.pk, _IDLE))]
    if not eligible:
        return None
    chosen = smooth_weighted_choice(eligible)
    # The same step in SQL: every eligible row gains its weight, the chosen one loses the
    # total. Under the locks this writes exactly the values just computed in Python.
    total = sum(advertiser.weight for advertiser in eligible)
    Advertiser.objects.filter(pk__in=[advertiser.pk for advertiser in eligible]).update(
        current_weight=F("current_weight")
        + F("weight")
        - Case(When(pk=chosen.pk, then=Value(total)), default=Value(0))
    )
    return chosen


@dataclass(frozen=True)
class _Load:
    today: int = 0
    in_progress: int = 0


_IDLE = _Load()


def _load(candidates: Sequence[Advertiser], *, now: datetime) -> dict[int, _Load]:
    """Calls in progress, and calls offered today to those with a daily cap, per advertiser.

    One query, run under the candidates' row locks, so no other router can add an attempt to
    these counts until this transaction ends. Calls in progress are found through a partial
    index of unfinished attempts; a day's calls are counted only where a cap needs them.
    """
    ringing = Q(ended_at__isnull=True, started_at__gte=now - LONGEST_CALL)
    capped: dict[str, list[int]] = defaultdict(list)
    for advertiser in candidates:
        if advertiser.daily_cap is not None:
            capped[advertiser.time_zone].append(advertiser.pk)
    today = Q()
    for zone, ids in capped.items():
        today |= Q(advertiser_id__in=ids, started_at__gte=local_midnight(zone, now))
    rows = (
        CallAttempt.objects.filter(ringing | today, advertiser_id__in=[a.pk for a in candidates])
        .order_by()
        .values("advertiser_id")
        .annotate(
            today=Count("pk", filter=today) if capped else Value(0),
            in_progress=Count("pk", filter=ringing),
        )
    )
    return {row["advertiser_id"]: _Load(row["today"], row["in_progress"]) for row in rows}


def _is_eligible(advertiser: Advertiser, load: _Load) -> bool:
    if advertiser.daily_cap is not None and load.today >= advertiser.daily_cap:
        return False
    return load.in_progress < advertiser.concurrent_cap


def _first_step(call: Call, helpline: Helpline | None, *, now: datetime) -> NextStep:
    if helpline is None or not helpline.active:
        return _dial_fallback(call, Announcement.UNKNOWN_NUMBER, order=1, now=now)
    if helpline.kind == Helpline.Kind.CENTER:
        return _dial_center(call, helpline.center, now=now)
    advertiser = _pick_advertiser(now=now)
    if advertiser is None:
        return _dial_fallback(call, Announcement.NO_ADVERTISER_AVAILABLE, order=1, now=now)
    return _dial_advertiser(call, advertiser, Announcement.FIRST_ADVERTISER, order=1, now=now)


def _replay(call: Call) -> NextStep:
    """What we last told Twilio for ``call``: Twilio re-sent a webhook whose answer it lost."""
    latest = call.attempts.select_related("advertiser", "center").order_by("-order").first()
    if latest is None or call.is_over or latest.is_answered:
        return NOTHING_MORE
    if not latest.outcome:
        return NextStep(Announcement(latest.announcement), latest)
    if latest.destination == CallAttempt.Destination.FALLBACK and latest.is_unanswered:
        return NextStep(Announcement.FALLBACK_UNANSWERED)
    return NOTHING_MORE


def _next_after_unanswered(call: Call, attempt: CallAttempt, *, now: datetime) -> NextStep:
    order = attempt.order + 1
    if attempt.destination == CallAttempt.Destination.FALLBACK:
        return NextStep(Announcement.FALLBACK_UNANSWERED)
    if attempt.destination == CallAttempt.Destination.CENTER:
        return _dial_fallback(call, Announcement.CENTER_UNANSWERED, order=order, now=now)
    # Advertiser attempts are numbered 1, 2, 3 before any fallback.
    if attempt.order < MAX_ADVERTISER_ATTEMPTS:
        tried = set(
            call.attempts.filter(advertiser__isnull=False).values_list("advertiser_id", flat=True)
        )
        advertiser = _pick_advertiser(now=now, tried=tried)
        if advertiser is not None:
            return _dial_advertiser(
                call, advertiser, Announcement.NEXT_ADVERTISER, order=order, now=now
            )
    return _dial_fallback(call, Announcement.NO_ADVERTISER_ANSWERED, order=order, now=now)


def _dial_advertiser(
    call: Call, advertiser: Advertiser, announcement: Announcement, *, order: int, now: datetime
) -> NextStep:
    attempt = CallAttempt.objects.create(
        call=call,
        order=order,
        destination=CallAttempt.Destination.ADVERTISER,
        advertiser=advertiser,
        number=advertiser.intake_number,
        announcement=announcement,
        started_at=now,
    )
    logger.debug("Call %s: attempt %d rings advertiser %d", call.call_sid, order, advertiser.pk)
    return NextStep(announcement, attempt)


def _dial_center(call: Call, center: Center, *, now: datetime) -> NextStep:
    if not center.best_phone or center.status == Center.Status.CLOSED:
        return _dial_fallback(call, Announcement.CENTER_UNANSWERED, order=1, now=now)
    attempt = CallAttempt.objects.create(
        call=call,
        order=1,
        destination=CallAttempt.Destination.CENTER,
        center=center,
        number=center.best_phone,
        announcement=Announcement.CENTER,
        started_at=now,
    )
    return NextStep(Announcement.CENTER, attempt)


def _dial_fallback(
    call: Call, announcement: Announcement, *, order: int, now: datetime
) -> NextStep:
    attempt = CallAttempt.objects.create(
        call=call,
        order=order,
        destination=CallAttempt.Destination.FALLBACK,
        number=settings.HELPLINE_FALLBACK_NUMBER,
        announcement=announcement,
        started_at=now,
    )
    logger.info(
        "Call %s: attempt %d rings the fallback line (%s)", call.call_sid, order, announcement
    )
    return NextStep(announcement, attempt)


def _mark_answered(call: Call, attempt: CallAttempt) -> None:
    call.answered_by = AnsweredBy(attempt.destination)
    call.answered_advertiser = attempt.advertiser
    call.answered_center = attempt.center
    call.save(update_fields=["answered_by", "answered_advertiser", "answered_center"])
