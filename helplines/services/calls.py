"""Calls to the helplines: where each is routed, and what Twilio reports about it.

Each function is keyword-only and runs in one transaction. The call functions return a
``NextStep`` (what the caller hears, and which number rings next) that ``helplines.twiml``
turns into TwiML. Twilio retries webhooks and may deliver them late or out of order, so every
function here is idempotent: given the same input twice it records once and answers the same.

How a general call is routed (the "Where do calls go?" page says the same in plain words):

0. The call's language: a Spanish line's is Spanish; on an English line the caller is first
   offered Spanish (press 2, see ``helplines.views.voice_language``), and the call is recorded
   and routed only once they have chosen. A call in Spanish hears Spanish and rings only
   advertisers whose intake answers in Spanish.
1. The first advertiser is chosen by the rule in ``helplines.services.routing``: eligible
   (active today, open, under its caps), then smooth weighted round-robin.
   A line that names its own advertisers (``Helpline.advertisers``) rings only those.
2. Screening: whoever picks up hears the whisper, a ``<Gather>`` ("press 1 to take the call").
   Only a 1 for that leg (``record_acceptance``) makes the call answered; any other key, none,
   or a machine ends the advertiser's leg, and Twilio reports the dial as completed: recorded
   as ``declined``, it moves on like a miss. The caller hears ringing meanwhile.
3. Busy, no answer, failed or declined: the next eligible advertiser not yet tried on this
   call, at most ``MAX_ADVERTISER_ATTEMPTS`` in all; then the fallback line
   (``settings.HELPLINE_FALLBACK_NUMBER``). Each miss may pause its advertiser (``pauses``).
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from centers.models import Center
from directory.text import strip_control

from ..models import Advertiser, AnsweredBy, Call, CallAttempt, Helpline, hash_caller
from . import pauses
from .routing import select_advertiser

logger = logging.getLogger(__name__)

MAX_ADVERTISER_ATTEMPTS = 3
# The key that takes a screened call.
ACCEPT_DIGIT = "1"

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
    # A call we could not route: what Twilio sent made no sense, or the database failed.
    NOT_ROUTED = "not-routed"
    NONE = "none"


@dataclass(frozen=True)
class NextStep:
    """What to tell the caller, in which language, then which attempt to dial (``None``: hang
    up)."""

    announcement: Announcement
    attempt: CallAttempt | None = None
    language: str = "en"


NOTHING_MORE = NextStep(Announcement.NONE)


def route_call(
    *,
    helpline: Helpline | None,
    call_sid: str,
    caller_number: str,
    to_number: str,
    language: str | None = None,
    now: datetime | None = None,
) -> NextStep:
    """Record an incoming call and choose its first destination.

    ``language`` is the caller's (``"es"`` after pressing 2 on an English line); ``None`` means
    the line's own. A general call in Spanish hears Spanish and rings only advertisers that
    answer in Spanish, then the fallback line; a center's own line is always in English.

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
                language=_call_language(helpline, language),
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
        if attempt.outcome and not attempt.outcome_inferred:
            return _replay(call)
        if (
            outcome == CallAttempt.Outcome.COMPLETED
            and attempt.destination == CallAttempt.Destination.ADVERTISER
            and not attempt.is_accepted
        ):
            # Picked up, but nobody pressed 1: a voicemail, a wrong key, no key. Twilio
            # counts the leg as completed; the caller was never put through.
            outcome = CallAttempt.Outcome.DECLINED
        elif attempt.is_accepted and outcome in CallAttempt.UNANSWERED:
            # A person pressed 1 and the caller was put through: whatever Twilio reports for
            # the leg, nobody is to be rung next.
            outcome = CallAttempt.Outcome.COMPLETED
        attempt.outcome = outcome
        attempt.outcome_inferred = False
        attempt.duration = duration
        if attempt.dial_call_sid and dial_call_sid and attempt.dial_call_sid != dial_call_sid:
            # The leg that picked up (and maybe pressed 1) is the one we keep.
            logger.warning(
                "Call %s: attempt %d reported for leg %s, picked up on %s",
                call_sid,
                attempt_order,
                dial_call_sid,
                attempt.dial_call_sid,
            )
        attempt.dial_call_sid = attempt.dial_call_sid or dial_call_sid
        attempt.ended_at = now
        attempt.save(
            update_fields=["outcome", "outcome_inferred", "duration", "dial_call_sid", "ended_at"]
        )
        if attempt.is_answered:
            _mark_answered(call, attempt)
            return NOTHING_MORE
        missed = attempt.advertiser_id if attempt.is_unanswered else None
        if not attempt.is_unanswered or call.is_over or attempt.order >= MAX_ADVERTISER_ATTEMPTS:
            # Canceled means the caller hung up; an ended call is a late callback. Either way
            # nobody is waiting for another number. After the last advertiser, the fallback.
            step = (
                _next_after_unanswered(call, attempt, now=now)
                if attempt.is_unanswered and not call.is_over
                else NOTHING_MORE
            )
            if missed is not None:
                # This transaction holds no advertiser's lock yet: locking one is safe.
                pauses.review(advertiser_id=missed, now=now)
            return step
        return _next_after_unanswered(call, attempt, now=now, review=missed)


def record_acceptance(
    *, call_sid: str, attempt_order: int, leg_sid: str, digits: str, now: datetime | None = None
) -> bool:
    """The person who picked up attempt ``attempt_order`` of ``call_sid`` answered the
    whisper's "press 1": ``True`` puts the caller through, ``False`` ends their leg (the caller
    rings on to the next advertiser).

    ``leg_sid`` is the CallSid of the leg that pressed (Twilio's ``DialCallSid`` for the
    attempt): it must be the leg the whisper was fetched for. Only ``digits == "1"`` accepts. A
    repeat of an acceptance answers the same and counts once; an unknown call or attempt, a call
    already over or a dial already ended never accepts.
    """
    if str(digits).strip() != ACCEPT_DIGIT or not leg_sid:
        return False
    now = now or timezone.now()
    with transaction.atomic():
        # The race: Twilio retries the Gather action while the first delivery is being
        # handled; under the call's lock the second finds the acceptance already recorded.
        call = Call.objects.select_for_update().filter(call_sid=call_sid).first()
        attempt = (
            call.attempts.filter(
                order=attempt_order, destination=CallAttempt.Destination.ADVERTISER
            ).first()
            if call
            else None
        )
        if attempt is None or (attempt.dial_call_sid and attempt.dial_call_sid != leg_sid):
            return False
        if attempt.is_accepted:
            return True
        if call.is_over or (attempt.outcome and not attempt.outcome_inferred):
            return False
        attempt.accepted_at = now
        attempt.answer_seconds = max(int((now - attempt.started_at).total_seconds()), 0)
        attempt.dial_call_sid = leg_sid
        attempt.connected_at = attempt.connected_at or now
        attempt.save(
            update_fields=["accepted_at", "answer_seconds", "dial_call_sid", "connected_at"]
        )
        _mark_answered(call, attempt)
        return True


def record_unrouted_call(
    *,
    call_sid: str,
    to_number: str,
    caller_number: str,
    language: str = "en",
    now: datetime | None = None,
) -> Call | None:
    """Record a call that Twilio signed but whose parameters we could not route by, sent to
    the fallback line (``Announcement.NOT_ROUTED``): what it called, cut to fit, and the
    fallback attempt. ``call_sid`` may be blank; a sid already recorded records nothing.

    The values are Twilio's, but may be anything: control characters are removed and each
    is cut to its column, so that the row can always be written.
    """
    now = now or timezone.now()
    call_sid = strip_control(call_sid, single_line=True)[
        : Call._meta.get_field("call_sid").max_length
    ]
    to_number = strip_control(to_number, single_line=True)[
        : Call._meta.get_field("to_number").max_length
    ]
    if call_sid and Call.objects.filter(call_sid=call_sid).exists():
        return None
    try:
        with transaction.atomic():
            call = Call.objects.create(
                call_sid=call_sid,
                to_number=to_number,
                caller_hash=hash_caller(caller_number),
                source=Call.Source.VOICE,
                language=language if language in dict(settings.LANGUAGES) else "en",
                started_at=now,
            )
            CallAttempt.objects.create(
                call=call,
                order=1,
                destination=CallAttempt.Destination.FALLBACK,
                number=settings.HELPLINE_FALLBACK_NUMBER,
                announcement=Announcement.NOT_ROUTED,
                started_at=now,
            )
    except IntegrityError:
        # The race: Twilio retried the webhook and both deliveries passed the check above; the
        # unique CallSid made this insert wait for the other transaction, then fail. The first
        # one's record stands (a thread test delivers ten at once).
        return None
    return call


def record_connected(
    *, call_sid: str, attempt_order: int, leg_sid: str = "", now: datetime | None = None
) -> bool:
    """The person dialed by attempt ``attempt_order`` picked up (Twilio asks for the whisper).

    From now on the attempt is a conversation, which may last hours, not a dial that rings
    for seconds. ``leg_sid`` is the CallSid of the leg that picked up: only that leg's "press 1"
    will count. ``False`` when the call or attempt is unknown; a repeat changes nothing.
    """
    updated = CallAttempt.objects.filter(
        call__call_sid=call_sid, order=attempt_order, connected_at__isnull=True
    ).update(connected_at=now or timezone.now(), dial_call_sid=leg_sid)
    return bool(updated)


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
        _reconcile_attempts(call)
        return call


def _reconcile_attempts(call: Call) -> None:
    """Close the attempts of the ended ``call`` whose Dial result has not come (and may never
    come), so that they stop counting against their advertiser's concurrent-call cap.

    Their outcome follows from what we know: one that connected was answered, and who
    answered is recorded if the Dial result never said; an advertiser or center that never
    connected ended while it rang, as when the caller hangs up, so it is canceled. The
    fallback line gets no whisper, so its outcome stays unknown. Twilio's own Dial result, if
    it comes later, replaces the inferred outcome.
    """
    open_attempts = call.attempts.filter(ended_at__isnull=True).select_related(
        "advertiser", "center"
    )
    for attempt in open_attempts:
        attempt.ended_at = call.ended_at
        fields = ["ended_at"]
        if not attempt.outcome and attempt.destination != CallAttempt.Destination.FALLBACK:
            connected = attempt.connected_at is not None
            if attempt.destination == CallAttempt.Destination.ADVERTISER:
                # Screened: picked up is not answered; the caller hung up before a 1.
                connected = attempt.is_accepted
            attempt.outcome = (
                CallAttempt.Outcome.COMPLETED if connected else CallAttempt.Outcome.CANCELED
            )
            attempt.outcome_inferred = True
            fields += ["outcome", "outcome_inferred"]
            if connected and attempt.duration is None:
                attempt.duration = int((call.ended_at - attempt.connected_at).total_seconds())
                fields.append("duration")
        attempt.save(update_fields=fields)
        if attempt.is_answered and not call.answered_by:
            _mark_answered(call, attempt)


def record_web_click(*, helpline: Helpline, now: datetime | None = None) -> Call:
    """A visitor tapped a helpline number on the site; their phone does the rest."""
    return Call.objects.create(
        helpline=helpline,
        to_number=helpline.number,
        source=Call.Source.WEB,
        status=Call.Status.CLICKED,
        started_at=now or timezone.now(),
    )


def _call_language(helpline: Helpline | None, chosen: str | None) -> str:
    """What the caller hears: English on a center's own line or an unknown number (nothing
    there depends on it), else the language chosen, else the line's."""
    if helpline is None or helpline.kind == Helpline.Kind.CENTER:
        return "en"
    known = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in known else helpline.language


def _pick_advertiser(
    *, call: Call, now: datetime, tried: Collection[int] = (), review: int | None = None
) -> Advertiser | None:
    """Choose the advertiser to ring next for ``call``, in its line's pool, answering in its
    language, none of ``tried`` (the ids already rung for it), and advance the rotation, in
    the caller's transaction. ``None`` when nobody is eligible. The rows stay locked until the
    call's transaction ends (see ``routing``); ``review`` is the advertiser that just missed."""
    selection = select_advertiser(
        now=now,
        tried=tried,
        language=call.language,
        line=call.helpline_id,
        review=review,
    )
    return selection.take() if selection else None


def _first_step(call: Call, helpline: Helpline | None, *, now: datetime) -> NextStep:
    if helpline is None or not helpline.active:
        return _dial_fallback(call, Announcement.UNKNOWN_NUMBER, order=1, now=now)
    if helpline.kind == Helpline.Kind.CENTER:
        return _dial_center(call, helpline.center, now=now)
    advertiser = _pick_advertiser(call=call, now=now)
    if advertiser is None:
        return _dial_fallback(call, Announcement.NO_ADVERTISER_AVAILABLE, order=1, now=now)
    return _dial_advertiser(call, advertiser, Announcement.FIRST_ADVERTISER, order=1, now=now)


def _replay(call: Call) -> NextStep:
    """What we last told Twilio for ``call``: Twilio re-sent a webhook whose answer it lost."""
    latest = call.attempts.select_related("advertiser", "center").order_by("-order").first()
    if latest is None or call.is_over or latest.is_answered:
        return NOTHING_MORE
    if not latest.outcome:
        return NextStep(Announcement(latest.announcement), latest, call.language)
    if latest.destination == CallAttempt.Destination.FALLBACK and latest.is_unanswered:
        return NextStep(Announcement.FALLBACK_UNANSWERED, language=call.language)
    return NOTHING_MORE


def _next_after_unanswered(
    call: Call, attempt: CallAttempt, *, now: datetime, review: int | None = None
) -> NextStep:
    order = attempt.order + 1
    if attempt.destination == CallAttempt.Destination.FALLBACK:
        return NextStep(Announcement.FALLBACK_UNANSWERED, language=call.language)
    if attempt.destination == CallAttempt.Destination.CENTER:
        return _dial_fallback(call, Announcement.CENTER_UNANSWERED, order=order, now=now)
    # Advertiser attempts are numbered 1, 2, 3 before any fallback.
    if attempt.order < MAX_ADVERTISER_ATTEMPTS:
        tried = set(
            call.attempts.filter(advertiser__isnull=False).values_list("advertiser_id", flat=True)
        )
        advertiser = _pick_advertiser(call=call, now=now, tried=tried, review=review)
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
    return NextStep(announcement, attempt, call.language)


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
    return NextStep(announcement, attempt, call.language)


def _mark_answered(call: Call, attempt: CallAttempt) -> None:
    call.answered_by = AnsweredBy(attempt.destination)
    # By id: the rows need not be read to be pointed at.
    call.answered_advertiser_id = attempt.advertiser_id
    call.answered_center_id = attempt.center_id
    call.save(update_fields=["answered_by", "answered_advertiser", "answered_center"])
