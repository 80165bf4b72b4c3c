"""Counting the figures of a period from the call records (see the package's docstring)."""

import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from ..models import (
    Advertiser,
    AdvertiserPause,
    AnsweredBy,
    Call,
    CallAttempt,
    CallbackRequest,
    CallbackTally,
    Helpline,
)
from ..reports import attempt_figures
from .periods import Period, midnight, month_period, recent_months

# How many months the chart shows, ending with the month of the period.
CHART_MONTHS = 12


@dataclass
class AdvertiserFigures:
    advertiser_id: int
    name: str
    offered: int = 0
    accepted: int = 0
    not_answered: int = 0
    sent_on: int = 0
    to_fallback: int = 0
    median_seconds: float | None = None
    callbacks: int = 0
    called_back: int = 0
    paused_now: bool = False

    @property
    def median_whole_seconds(self) -> int | None:
        return None if self.median_seconds is None else round(self.median_seconds)

    @property
    def acceptance_percent(self) -> int | None:
        return round(100 * self.accepted / self.offered) if self.offered else None


@dataclass(frozen=True)
class PauseRecord:
    advertiser: str
    reason: str
    started_at: datetime
    ends_at: datetime
    ended_early: bool
    missed: int
    offered_last_hour: int
    accepted_last_hour: int

    @property
    def reason_label(self) -> str:
        return str(AdvertiserPause.Reason(self.reason).label)


@dataclass(frozen=True)
class MonthBar:
    """One month of the chart: general-line calls by what became of them."""

    month: date
    advertiser: int
    fallback: int
    other: int
    # The largest month's total: the full width of the chart.
    scale: int = 1

    @property
    def total(self) -> int:
        return self.advertiser + self.fallback + self.other

    def _width(self, count: int) -> float:
        return 100 * count / (self.scale or 1)

    @property
    def advertiser_width(self) -> str:
        return f"{self._width(self.advertiser):.2f}"

    @property
    def fallback_x(self) -> str:
        return self.advertiser_width

    @property
    def fallback_width(self) -> str:
        return f"{self._width(self.fallback):.2f}"

    @property
    def other_x(self) -> str:
        return f"{self._width(self.advertiser + self.fallback):.2f}"

    @property
    def other_width(self) -> str:
        return f"{self._width(self.other):.2f}"


@dataclass
class Statistics:
    period: Period
    advertisers: list[AdvertiserFigures]
    total: AdvertiserFigures
    center_calls: int
    center_answered: int
    center_to_fallback: int
    fallback_calls: int
    fallback_answered: int
    pauses: list[PauseRecord]
    chart: list[MonthBar] = field(default_factory=list)


def for_period(period: Period, *, now: datetime | None = None) -> Statistics:
    """The statistics of ``period``, reused for ``CALL_STATISTICS_CACHE_SECONDS``.

    Kept per language: labels built with the figures (months, the reasons for pauses) are in
    the language of the request that counted them."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"helplines:statistics:v1:{language}:{period.key}"
    found = cache.get(key)
    if found is None:
        found = build(period, now=now)
        cache.set(key, found, settings.CALL_STATISTICS_CACHE_SECONDS)
    return found


def build(period: Period, *, now: datetime | None = None) -> Statistics:
    """Ten queries, whatever the period holds."""
    now = now or timezone.now()
    start, end = period.start, period.end
    rows = _advertiser_rows(start, end, now=now)
    _add_medians(rows, start, end)
    _add_callbacks(rows, period)
    ordered = sorted(rows.values(), key=lambda row: (row.name.lower(), row.advertiser_id))
    total = AdvertiserFigures(0, "")
    for row in ordered:
        for name in ("offered", "accepted", "not_answered", "sent_on", "to_fallback"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.callbacks += row.callbacks
        total.called_back += row.called_back
    total.median_seconds = _median_of_all(start, end)
    center = _center_lines(start, end)
    fallback = (
        CallAttempt.objects.filter(
            destination=CallAttempt.Destination.FALLBACK, started_at__gte=start, started_at__lt=end
        )
        .order_by()
        .aggregate(calls=Count("pk"), answered=Count("pk", filter=Q(outcome="completed")))
    )
    return Statistics(
        period=period,
        advertisers=ordered,
        total=total,
        center_calls=center["calls"],
        center_answered=center["answered"],
        center_to_fallback=center["to_fallback"],
        fallback_calls=fallback["calls"],
        fallback_answered=fallback["answered"],
        pauses=_pauses(start, end),
        chart=_chart(period),
    )


def _advertiser_rows(
    start: datetime, end: datetime, *, now: datetime
) -> dict[int, AdvertiserFigures]:
    """Every current advertiser (with zeros if it had no call) and every advertiser rung in
    the period, with the figures of the admin's report summed over the period."""
    rows = {
        advertiser.pk: AdvertiserFigures(
            advertiser.pk, advertiser.name, paused_now=advertiser.is_paused_at(now)
        )
        for advertiser in Advertiser.objects.current(now).only("name", "paused_until")
    }
    figures = (
        CallAttempt.objects.filter(
            destination=CallAttempt.Destination.ADVERTISER,
            started_at__gte=start,
            started_at__lt=end,
        )
        .order_by()
        .values("advertiser_id", "advertiser__name", "advertiser__paused_until")
        .annotate(**attempt_figures())
    )
    for figure in figures:
        row = rows.get(figure["advertiser_id"])
        if row is None:
            paused_until = figure["advertiser__paused_until"]
            row = rows[figure["advertiser_id"]] = AdvertiserFigures(
                figure["advertiser_id"],
                figure["advertiser__name"],
                paused_now=paused_until is not None and now < paused_until,
            )
        for name in ("offered", "accepted", "not_answered", "sent_on", "to_fallback"):
            setattr(row, name, figure[name])
    return rows


def _accepted(start: datetime, end: datetime):
    return CallAttempt.objects.filter(
        destination=CallAttempt.Destination.ADVERTISER,
        started_at__gte=start,
        started_at__lt=end,
        answer_seconds__isnull=False,
    ).order_by()


def _add_medians(rows: dict[int, AdvertiserFigures], start: datetime, end: datetime) -> None:
    # SQLite has no median: the answer times of one period's accepted calls are few enough
    # (one integer per accepted call) to be fetched and sorted here.
    seconds: dict[int, list[int]] = defaultdict(list)
    for advertiser_id, value in _accepted(start, end).values_list(
        "advertiser_id", "answer_seconds"
    ):
        seconds[advertiser_id].append(value)
    for advertiser_id, values in seconds.items():
        if advertiser_id in rows:
            rows[advertiser_id].median_seconds = stats.median(values)


def _median_of_all(start: datetime, end: datetime) -> float | None:
    values = list(_accepted(start, end).values_list("answer_seconds", flat=True))
    return stats.median(values) if values else None


def _add_callbacks(rows: dict[int, AdvertiserFigures], period: Period) -> None:
    """Requests still kept, plus the tallies of those ``purge_callbacks`` deleted."""
    live = (
        CallbackRequest.objects.filter(
            advertiser__isnull=False, created_at__gte=period.start, created_at__lt=period.end
        )
        .order_by()
        .values("advertiser_id")
        .annotate(requested=Count("pk"), called_back=Count("pk", filter=Q(called_at__isnull=False)))
    )
    first_day = timezone.localtime(period.start).date()
    kept = (
        CallbackTally.objects.filter(day__gte=first_day, day__lte=period.last_day)
        .order_by()
        .values("advertiser_id")
        .annotate(requested=Sum("requested"), called_back=Sum("called_back"))
    )
    for group in (live, kept):
        for figure in group:
            row = rows.get(figure["advertiser_id"])
            if row is not None:
                row.callbacks += figure["requested"]
                row.called_back += figure["called_back"]


def _center_lines(start: datetime, end: datetime) -> dict[str, int]:
    fallback = CallAttempt.objects.filter(
        call=OuterRef("pk"), destination=CallAttempt.Destination.FALLBACK
    )
    return (
        Call.objects.filter(
            source=Call.Source.VOICE,
            helpline__kind=Helpline.Kind.CENTER,
            started_at__gte=start,
            started_at__lt=end,
        )
        .order_by()
        .aggregate(
            calls=Count("pk"),
            answered=Count("pk", filter=Q(answered_by=AnsweredBy.CENTER)),
            to_fallback=Count("pk", filter=Q(Exists(fallback))),
        )
    )


def _pauses(start: datetime, end: datetime) -> list[PauseRecord]:
    return [
        PauseRecord(
            advertiser=pause.advertiser.name,
            reason=pause.reason,
            started_at=pause.started_at,
            ends_at=pause.ends_at,
            ended_early=pause.ended_early,
            missed=pause.missed,
            offered_last_hour=pause.offered_last_hour,
            accepted_last_hour=pause.accepted_last_hour,
        )
        for pause in AdvertiserPause.objects.overlapping(start, end).select_related("advertiser")
    ]


def _chart(period: Period) -> list[MonthBar]:
    """General-line calls of the 12 months ending with the period, by what became of them:
    accepted by an advertiser, put through to the fallback line, or neither (the caller hung
    up first, or nobody answered at all)."""
    last = period.month or timezone.localtime(period.end - timedelta(microseconds=1)).date()
    months = recent_months(last, CHART_MONTHS)
    start, end = midnight(months[-1]), month_period(months[0]).end
    fallback = CallAttempt.objects.filter(
        call=OuterRef("pk"), destination=CallAttempt.Destination.FALLBACK
    )
    rows = (
        Call.objects.filter(
            source=Call.Source.VOICE,
            helpline__kind=Helpline.Kind.GENERAL,
            started_at__gte=start,
            started_at__lt=end,
        )
        .annotate(month=TruncMonth("started_at"))
        .order_by()
        .values("month")
        .annotate(
            calls=Count("pk"),
            advertiser=Count("pk", filter=Q(answered_by=AnsweredBy.ADVERTISER)),
            fallback=Count(
                "pk", filter=~Q(answered_by=AnsweredBy.ADVERTISER) & Q(Exists(fallback))
            ),
        )
    )
    found = {_as_date(row["month"]): row for row in rows}
    scale = max((row["calls"] for row in found.values()), default=0) or 1
    bars = []
    for month in reversed(months):
        row = found.get(month, {"calls": 0, "advertiser": 0, "fallback": 0})
        other = row["calls"] - row["advertiser"] - row["fallback"]
        bars.append(MonthBar(month, row["advertiser"], row["fallback"], other, scale))
    return bars


def _as_date(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value
