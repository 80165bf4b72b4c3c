"""The one selection rule shared by general calls and site-wide callback requests.

1. Eligible advertisers are those whose intake answers in the caller's language (a Spanish call
   or request goes only to advertisers that answer in Spanish), in the line's own pool when it
   names one, active today, not paused for missed calls (``pauses``), inside their business
   hours (their own time zone), under their daily cap and their concurrent-call cap, and not
   yet tried on this call.
   A callback request assigned today counts against the daily cap like a call offered; it
   holds no line, so it never counts against the concurrent-call cap.
2. One is chosen by smooth weighted round-robin, as nginx does it: every eligible advertiser's
   ``current_weight`` grows by its ``weight``; the largest is chosen and loses the eligible
   total. Over any run of calls and callbacks each advertiser's share follows its weight
   exactly and evenly (weights 5/3/2 give 5, 3 and 2 in every 10, interleaved, not in blocks).

``select_advertiser(lock=True)`` locks the candidates and chooses; ``Selection.take()`` then
advances the rotation. Between the two the caller may still decline, as a callback request does
when the rotation no longer points at the advertiser its visitor agreed to.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from ..models import Advertiser, BusinessHours, CallAttempt, CallbackRequest, Helpline
from ..models.advertiser import local_midnight, local_weekdays
from . import pauses

# Twilio ends every call after four hours (the <Dial> timeLimit default). An attempt that
# connected and is still without an end after that lost its callbacks and stops counting as a
# call in progress.
LONGEST_CALL = timedelta(hours=4)
# An attempt that never connected rings for at most HELPLINE_DIAL_TIMEOUT seconds, after the
# caller has heard the words before it (the notice takes about 30 s). Once that and this margin
# have passed without a Dial result, the result was lost (a webhook failed, a callback never
# came), and the attempt must stop holding its advertiser at the concurrent-call cap.
RINGING_MARGIN = timedelta(minutes=2)


def ringing_limit() -> timedelta:
    """How long an attempt that never connected counts as a call in progress."""
    return timedelta(seconds=settings.HELPLINE_DIAL_TIMEOUT) + RINGING_MARGIN


def in_progress_condition(now: datetime) -> Q:
    """Attempts that hold a line at ``now``: no end recorded, and either still within the time
    a dial can ring, or connected within the longest call. (Attempts are created when the
    caller is told about them, so ``started_at`` comes before the ringing.)"""
    ringing = ringing_limit()
    return Q(
        Q(connected_at__isnull=True, started_at__gte=now - ringing)
        | Q(connected_at__gte=now - LONGEST_CALL),
        # Bounds the scan of the partial index of unfinished attempts.
        ended_at__isnull=True,
        started_at__gte=now - LONGEST_CALL - ringing,
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


@dataclass(frozen=True)
class Selection:
    """The advertiser the rotation chooses now, among ``eligible``. Nothing is written yet."""

    advertiser: Advertiser
    eligible: tuple[Advertiser, ...]
    locked: bool

    def take(self) -> Advertiser:
        """Advance the rotation past this choice, in the transaction that made the selection.

        Only for a selection made with ``lock=True``: the locks are what make the values
        written here the ones just computed.
        """
        if not self.locked:
            raise RuntimeError("a peek cannot advance the rotation: select with lock=True")
        if len(self.eligible) == 1:
            # Alone, the chosen one gains its weight and loses it again: nothing to write.
            return self.advertiser
        # The smooth_weighted_choice step in SQL: every eligible row gains its weight, the
        # chosen one loses the total.
        total = sum(advertiser.weight for advertiser in self.eligible)
        Advertiser.objects.filter(pk__in=[advertiser.pk for advertiser in self.eligible]).update(
            current_weight=F("current_weight")
            + F("weight")
            - Case(When(pk=self.advertiser.pk, then=Value(total)), default=Value(0))
        )
        return self.advertiser


def select_advertiser(
    *,
    now: datetime,
    tried: Collection[int] = (),
    lock: bool = True,
    language: str = "en",
    line: int | None = None,
    review: int | None = None,
) -> Selection | None:
    """Whom the rotation chooses at ``now``, among those answering in ``language``, in the
    pool of the helpline ``line`` if it names one, none of ``tried``; ``None`` when nobody is
    eligible.

    With ``lock`` (inside a transaction) every candidate row stays locked until the transaction
    ends, and ``take()`` on the result advances the rotation. Without it nothing is locked or
    written: a peek at who would be chosen, which may be out of date a moment later.

    ``review`` is an advertiser (one of ``tried``) that has just missed a call: its row is
    locked in order with the others and the pause rules are applied to it first.
    """
    # The race: calls and callback requests arriving together would read the same
    # current_weight values and pick the same advertiser (skewing the published shares), or
    # each see an advertiser under its caps and give it one more (breaking the caps). So every
    # advertiser that may be open is locked before anything is counted, and concurrent routers
    # take turns. The locks are taken in advertiser id order, so two routers never wait on each
    # other in a cycle: they queue, never deadlock.
    #
    # One query locks them and reads their hours: the hours rows for the weekdays current
    # somewhere in our time zones, joined to their active advertiser, sorted by advertiser id,
    # locking only the advertiser rows. An advertiser without hours on those days cannot be
    # open, so it is neither read nor locked.
    intervals = (
        BusinessHours.objects.filter(advertiser__active=True, weekday__in=local_weekdays(now))
        .select_related("advertiser")
        .order_by("advertiser_id", "opens")
    )
    skipped = set(tried) - {review}
    if skipped:  # a first attempt has tried nobody: an empty exclude only costs compiling
        intervals = intervals.exclude(advertiser__in=skipped)
    if line is not None:
        # In the same query: a line that names its advertisers rings only those.
        members = Helpline.advertisers.through.objects.filter(helpline_id=line)
        in_pool = Exists(members.filter(advertiser_id=OuterRef("advertiser_id"))) | ~Exists(members)
        intervals = intervals.filter(in_pool | Q(advertiser_id=review) if review else in_pool)
    if lock:
        intervals = intervals.select_for_update(of=("advertiser",))
    hours: dict[int, tuple[Advertiser, list[BusinessHours]]] = {}
    for interval in intervals:
        hours.setdefault(interval.advertiser_id, (interval.advertiser, []))[1].append(interval)
    # Dates and hours are read in each advertiser's own time zone, so they are checked here on
    # the few rows just locked rather than by a per-zone SQL condition that costs more to
    # build than the query takes to run. A test keeps these checks and
    # AdvertiserQuerySet.current/open_at in agreement. The language too is checked here (a JSON
    # list, which SQLite cannot search portably): the rows of advertisers that do not answer in
    # it are locked with the others, which only makes the locks a little wider, never crossed.
    if review is not None and review in hours and lock:
        # Under the lock taken above, in id order with the others (an advertiser without
        # hours today gets no calls now; its next miss reviews it).
        pauses.review_locked(hours[review][0], now=now)
    candidates = []
    for advertiser, own_hours in hours.values():
        if advertiser.pk in tried or advertiser.is_paused_at(now):
            continue
        if not advertiser.answers_in(language):
            continue
        # Converted once: both checks then find the time already in the advertiser's zone.
        local = now.astimezone(advertiser.zone)
        if advertiser.is_current_at(local) and advertiser.is_open_at(local, intervals=own_hours):
            candidates.append(advertiser)
    if not candidates:
        return None
    load = _load(candidates, now=now)
    eligible = tuple(a for a in candidates if _is_eligible(a, load.get(a.pk, _IDLE)))
    if not eligible:
        return None
    return Selection(smooth_weighted_choice(eligible), eligible, locked=lock)


def next_advertiser(*, now: datetime, language: str = "en") -> Advertiser | None:
    """Who the rotation would choose at ``now`` for ``language``, without locking or changing
    anything."""
    selection = select_advertiser(now=now, lock=False, language=language)
    return selection.advertiser if selection else None


@dataclass(frozen=True)
class _Load:
    today: int = 0
    in_progress: int = 0


_IDLE = _Load()


def _load(candidates: Sequence[Advertiser], *, now: datetime) -> dict[int, _Load]:
    """Calls in progress, and calls and callbacks offered today to those with a daily cap.

    One query, and a second only when a candidate has a daily cap, run under the candidates'
    row locks, so no other router can add to these counts until this transaction ends. Calls in
    progress are found through a partial index of unfinished attempts; a day's calls are
    counted only where a cap needs them.
    """
    holding = in_progress_condition(now)
    capped: dict[str, list[int]] = defaultdict(list)
    for advertiser in candidates:
        if advertiser.daily_cap is not None:
            capped[advertiser.time_zone].append(advertiser.pk)
    today = _since_local_midnight(capped, "started_at", now=now)
    rows = (
        CallAttempt.objects.filter(holding | today, advertiser_id__in=[a.pk for a in candidates])
        .order_by()
        .values("advertiser_id")
        .annotate(
            today=Count("pk", filter=today) if capped else Value(0),
            in_progress=Count("pk", filter=holding),
        )
    )
    counts = {row["advertiser_id"]: [row["today"], row["in_progress"]] for row in rows}
    if capped:
        callbacks = (
            CallbackRequest.objects.filter(_since_local_midnight(capped, "created_at", now=now))
            .order_by()
            .values("advertiser_id")
            .annotate(today=Count("pk"))
        )
        for row in callbacks:
            counts.setdefault(row["advertiser_id"], [0, 0])[0] += row["today"]
    return {pk: _Load(today, in_progress) for pk, (today, in_progress) in counts.items()}


def _since_local_midnight(ids_by_zone: dict[str, list[int]], field: str, *, now: datetime) -> Q:
    """Rows of these advertisers whose ``field`` falls on their own local today."""
    condition = Q()
    for zone, ids in ids_by_zone.items():
        condition |= Q(advertiser_id__in=ids, **{f"{field}__gte": local_midnight(zone, now)})
    return condition


def _is_eligible(advertiser: Advertiser, load: _Load) -> bool:
    if advertiser.daily_cap is not None and load.today >= advertiser.daily_cap:
        return False
    return load.in_progress < advertiser.concurrent_cap
