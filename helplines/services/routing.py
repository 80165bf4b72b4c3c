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
from django.db import router
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from directory.statements import Statement, Statements, stand_in_ints, stand_in_times

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
    return _in_progress(*_in_progress_bounds(now))


def _in_progress_bounds(now: datetime) -> tuple[datetime, datetime, datetime]:
    ringing = ringing_limit()
    return now - ringing, now - LONGEST_CALL, now - LONGEST_CALL - ringing


def _in_progress(rung_since: datetime, connected_since: datetime, oldest: datetime) -> Q:
    return Q(
        Q(connected_at__isnull=True, started_at__gte=rung_since)
        | Q(connected_at__gte=connected_since),
        # Bounds the scan of the partial index of unfinished attempts.
        ended_at__isnull=True,
        started_at__gte=oldest,
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
        using = router.db_for_write(Advertiser)
        count = len(self.eligible)
        statement = _statements.get(("take", using, count), lambda: _compile_take(using, count))
        total = sum(advertiser.weight for advertiser in self.eligible)
        ids = [advertiser.pk for advertiser in self.eligible]
        statement.execute([*ids, self.advertiser.pk, total])
        return self.advertiser


def _compile_take(using: str, count: int) -> Statement:
    ids = stand_in_ints(count)
    chosen, total = stand_in_ints(2, after=count)
    return Statement.update(
        Advertiser.objects.using(using).filter(pk__in=ids),
        [*ids, chosen, total],
        current_weight=F("current_weight")
        + F("weight")
        - Case(When(pk=chosen, then=Value(total)), default=Value(0)),
    )


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
    hours: dict[int, tuple[Advertiser, list[BusinessHours]]] = {}
    skipped = set(tried) - {review}
    for interval in _read_hours(now=now, skipped=skipped, line=line, review=review, lock=lock):
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


# The statements of routing, compiled once per shape (``directory.statements``): building and
# compiling these querysets took about 4 ms of every call routed, the queries themselves under 1.
_statements = Statements()
_HOURS_COLUMNS = [field.attname for field in BusinessHours._meta.concrete_fields]
_ADVERTISER_COLUMNS = [field.attname for field in Advertiser._meta.concrete_fields]


def _read_hours(
    *, now: datetime, skipped: set[int], line: int | None, review: int | None, lock: bool
) -> list[BusinessHours]:
    """The hours rows for the weekdays current somewhere in our time zones at ``now``, each
    with its active advertiser, in advertiser id order, none of ``skipped``'s, only the pool of
    ``line`` (and ``review``) if it names one; with ``lock``, the advertiser rows locked."""
    weekdays = sorted(local_weekdays(now))
    skipped_ids = sorted(skipped)
    using = router.db_for_write(Advertiser) if lock else router.db_for_read(BusinessHours)
    # The advertiser under review only matters inside a pool's condition, which lets it in.
    in_pool, reviewed = line is not None, line is not None and review is not None
    shape = (len(weekdays), len(skipped_ids), in_pool, reviewed, lock)
    statement = _statements.get(("hours", using, shape), lambda: _compile_hours(using, *shape))
    values = [
        *weekdays,
        *skipped_ids,
        *([line] if in_pool else []),
        *([review] if reviewed else []),
    ]
    split = len(_HOURS_COLUMNS)
    advertisers: dict[int, Advertiser] = {}
    intervals = []
    for row in statement.rows(values):
        interval = BusinessHours.from_db(using, _HOURS_COLUMNS, row[:split])
        advertiser = advertisers.get(interval.advertiser_id)
        if advertiser is None:
            advertiser = Advertiser.from_db(using, _ADVERTISER_COLUMNS, row[split:])
            advertisers[advertiser.pk] = advertiser
        BusinessHours.advertiser.field.set_cached_value(interval, advertiser)
        intervals.append(interval)
    return intervals


def _compile_hours(
    using: str, weekdays: int, skipped: int, line: bool, review: bool, lock: bool
) -> Statement:
    """The query of ``_read_hours`` for that shape, with stand-ins for its values."""
    day_ids, skipped_ids = stand_in_ints(weekdays), stand_in_ints(skipped, after=weekdays)
    line_id, review_id = stand_in_ints(2, after=weekdays + skipped)
    intervals = (
        BusinessHours.objects.using(using)
        .filter(advertiser__active=True, weekday__in=day_ids)
        .select_related("advertiser")
        .order_by("advertiser_id", "opens")
    )
    if skipped:  # a first attempt has tried nobody: no condition at all
        intervals = intervals.exclude(advertiser__in=skipped_ids)
    if line:
        # In the same query: a line that names its advertisers rings only those.
        members = Helpline.advertisers.through.objects.filter(helpline_id=line_id)
        in_pool = Exists(members.filter(advertiser_id=OuterRef("advertiser_id"))) | ~Exists(members)
        intervals = intervals.filter(in_pool | Q(advertiser_id=review_id) if review else in_pool)
    if lock:
        intervals = intervals.select_for_update(of=("advertiser",))
    stand_ins = [
        *day_ids,
        *skipped_ids,
        *([line_id] if line else []),
        *([review_id] if review else []),
    ]
    return Statement.select(intervals, stand_ins)


def _load(candidates: Sequence[Advertiser], *, now: datetime) -> dict[int, _Load]:
    """Calls in progress, and calls and callbacks offered today to those with a daily cap.

    One query, and a second only when a candidate has a daily cap, run under the candidates'
    row locks, so no other router can add to these counts until this transaction ends. Calls in
    progress are found through a partial index of unfinished attempts; a day's calls are
    counted only where a cap needs them.
    """
    capped: dict[str, list[int]] = defaultdict(list)
    for advertiser in candidates:
        if advertiser.daily_cap is not None:
            capped[advertiser.time_zone].append(advertiser.pk)
    ids = [advertiser.pk for advertiser in candidates]
    days = []  # each capped zone's local midnight, then its advertisers
    for zone, zone_ids in capped.items():
        days += [local_midnight(zone, now), *zone_ids]
    shape = (len(ids), tuple(len(zone_ids) for zone_ids in capped.values()))
    using = router.db_for_read(CallAttempt)
    attempts = _statements.get(("attempts", using, shape), lambda: _compile_attempts(using, shape))
    counts = {
        advertiser_id: [calls_today, in_progress]
        for advertiser_id, calls_today, in_progress in attempts.rows(
            [*ids, *_in_progress_bounds(now), *days]
        )
    }
    if capped:
        using = router.db_for_read(CallbackRequest)
        callbacks = _statements.get(
            ("callbacks", using, shape), lambda: _compile_callbacks(using, shape)
        )
        for advertiser_id, calls_today in callbacks.rows(days):
            counts.setdefault(advertiser_id, [0, 0])[0] += calls_today
    return {pk: _Load(today, in_progress) for pk, (today, in_progress) in counts.items()}


def _compile_attempts(using: str, shape: tuple[int, tuple[int, ...]]) -> Statement:
    candidates, zones = shape
    ids = stand_in_ints(candidates)
    bounds = stand_in_times(3)
    today, today_stand_ins = _since_local_midnight(zones, "started_at", after=candidates)
    holding = _in_progress(*bounds)
    queryset = (
        CallAttempt.objects.using(using)
        .filter(holding | today, advertiser_id__in=ids)
        .order_by()
        .values("advertiser_id")
        .annotate(
            today=Count("pk", filter=today) if zones else Value(0),
            in_progress=Count("pk", filter=holding),
        )
        .values_list("advertiser_id", "today", "in_progress")
    )
    return Statement.select(queryset, [*ids, *bounds, *today_stand_ins])


def _compile_callbacks(using: str, shape: tuple[int, tuple[int, ...]]) -> Statement:
    today, stand_ins = _since_local_midnight(shape[1], "created_at", after=shape[0])
    queryset = (
        CallbackRequest.objects.using(using)
        .filter(today)
        .order_by()
        .values("advertiser_id")
        .annotate(today=Count("pk"))
        .values_list("advertiser_id", "today")
    )
    return Statement.select(queryset, stand_ins)


def _since_local_midnight(zones: Sequence[int], field: str, *, after: int) -> tuple[Q, list]:
    """Rows whose ``field`` falls on their advertiser's own local today, for advertisers in
    ``len(zones)`` time zones, ``zones[n]`` of them in the n-th: the condition, with stand-ins
    for each zone's midnight followed by its advertisers' ids (numbered after ``after``)."""
    condition, stand_ins = Q(), []
    for index, count in enumerate(zones):
        midnight = stand_in_times(1, after=3 + index)[0]  # after the in-progress bounds
        ids = stand_in_ints(count, after=after + len(stand_ins))
        condition |= Q(advertiser_id__in=ids, **{f"{field}__gte": midnight})
        stand_ins += [midnight, *ids]
    return condition, stand_ins


def _is_eligible(advertiser: Advertiser, load: _Load) -> bool:
    if advertiser.daily_cap is not None and load.today >= advertiser.daily_cap:
        return False
    return load.in_progress < advertiser.concurrent_cap
