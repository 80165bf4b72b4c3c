"""Read-only figures about calls: the per-advertiser daily report and the call log export.

Days are the site's days (``settings.TIME_ZONE``), whatever each advertiser's own time zone,
so that one row per day adds up across advertisers.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Aggregate, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import StreamingHttpResponse
from django.utils import timezone

from directory.spreadsheets import neutralise

from .models import Call, CallAttempt


def attempt_figures() -> dict[str, Aggregate]:
    """What becomes of the calls offered to advertisers, as aggregates over their attempts
    (add to a ``values(...)`` grouping). The admin's report and the public statistics both
    count with these, so they agree for any period.

    - offered: the advertiser's phone rang for a call (once per call at most);
    - accepted: a person there pressed 1 after the whisper;
    - not_answered: busy, no answer, failed, or picked up without pressing 1;
    - sent_on / to_fallback: of those, the ones the call then rang another advertiser /
      the fallback line for (the rest: the caller hung up, or this was the last try).
    """
    following = CallAttempt.objects.filter(call=OuterRef("call"), order=OuterRef("order") + 1)
    missed = Q(outcome__in=CallAttempt.UNANSWERED, accepted_at__isnull=True)
    return {
        "offered": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
        "not_answered": Count("pk", filter=missed),
        "sent_on": Count(
            "pk",
            filter=missed
            & Q(Exists(following.filter(destination=CallAttempt.Destination.ADVERTISER))),
        ),
        "to_fallback": Count(
            "pk",
            filter=missed
            & Q(Exists(following.filter(destination=CallAttempt.Destination.FALLBACK))),
        ),
    }


@dataclass(frozen=True)
class DailyAnswerRate:
    day: date
    advertiser_id: int
    advertiser_name: str
    offered: int
    # Accepted by a person (pressed 1): the only way an advertiser answers a call.
    answered: int
    not_answered: int = 0
    sent_on: int = 0
    to_fallback: int = 0

    @property
    def answer_rate(self) -> float | None:
        """Share of offered calls answered, 0 to 1; ``None`` when none was offered."""
        return self.answered / self.offered if self.offered else None


def answer_rates(
    *, since: date, until: date, advertiser_id: int | None = None
) -> list[DailyAnswerRate]:
    """Calls offered to and answered by each advertiser per day, newest day first (one query).

    *Offered* counts every time an advertiser's phone was rung (one call rings an advertiser at
    most once); *answered* counts those a person accepted by pressing 1 (``attempt_figures``).
    """
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    attempts = CallAttempt.objects.filter(
        destination=CallAttempt.Destination.ADVERTISER, started_at__gte=start, started_at__lt=end
    )
    if advertiser_id is not None:
        attempts = attempts.filter(advertiser_id=advertiser_id)
    rows = (
        attempts.annotate(day=TruncDate("started_at"))
        .order_by()
        .values("day", "advertiser_id", "advertiser__name")
        .annotate(**attempt_figures())
        .order_by("-day", "advertiser__name", "advertiser_id")
    )
    return [
        DailyAnswerRate(
            day=row["day"],
            advertiser_id=row["advertiser_id"],
            advertiser_name=row["advertiser__name"],
            offered=row["offered"],
            answered=row["accepted"],
            not_answered=row["not_answered"],
            sent_on=row["sent_on"],
            to_fallback=row["to_fallback"],
        )
        for row in rows
    ]


def answer_rate_rows(rates: Iterable[DailyAnswerRate]) -> Iterator[list[object]]:
    yield [
        "day",
        "advertiser",
        "offered",
        "answered",
        "answer_rate",
        "not_answered",
        "sent_on",
        "to_fallback",
    ]
    for rate in rates:
        share = "" if rate.answer_rate is None else f"{rate.answer_rate:.3f}"
        yield [
            rate.day.isoformat(),
            _cell(rate.advertiser_name),
            rate.offered,
            rate.answered,
            share,
            rate.not_answered,
            rate.sent_on,
            rate.to_fallback,
        ]


CALL_LOG_HEADER = [
    "started_at",
    "ended_at",
    "helpline",
    "number_called",
    "source",
    "status",
    "answered_by",
    "answered_by_name",
    "duration_seconds",
    "attempts",
    "caller_hash",
    "call_sid",
]


def call_log_rows(calls: QuerySet[Call]) -> Iterator[list[object]]:
    """The call log as CSV rows, header first. Two queries per 500 calls, however many."""
    yield CALL_LOG_HEADER
    attempts = CallAttempt.objects.select_related("advertiser", "center").order_by("order")
    calls = calls.select_related("helpline", "answered_advertiser", "answered_center")
    for call in calls.prefetch_related(Prefetch("attempts", queryset=attempts)).iterator(
        chunk_size=500
    ):
        yield [
            _when(call.started_at),
            _when(call.ended_at),
            _cell(call.helpline.label if call.helpline else ""),
            _cell(call.to_number),
            _cell(call.source),
            _cell(call.status),
            _cell(call.answered_by),
            _cell(call.answered_by_name()),
            "" if call.duration is None else call.duration,
            "; ".join(
                f"{a.order}. {_cell(a.destination_name())}: {a.get_outcome_display()}"
                for a in call.attempts.all()
            ),
            _cell(call.caller_hash),
            _cell(call.call_sid or ""),
        ]


class Echo:
    """A file-like object that hands back what is written: lets ``csv.writer`` stream."""

    def write(self, value: str) -> str:
        return value


def csv_download(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV attachment named ``filename``."""
    response = StreamingHttpResponse(stream_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_csv(rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def neutralised(text: str) -> str:
    """Text that a spreadsheet will show, never run (CSV injection)."""
    return neutralise(text)


_cell = neutralised
