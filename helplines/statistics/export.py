"""The statistics table as CSV, cells formula-neutralised like the other spreadsheets."""

from django.utils import timezone

from ..reports import neutralised
from .figures import Statistics

CSV_HEADER = [
    "period_start",
    "period_end",
    "advertiser",
    "offered",
    "accepted_by_a_person",
    "not_answered",
    "sent_on_to_another_advertiser",
    "sent_to_fallback_line",
    "median_seconds_to_answer",
    "callbacks_requested",
    "callbacks_marked_called_back",
]


def csv_rows(figures: Statistics) -> list[list[object]]:
    """The page's table as CSV rows, header first: one row per advertiser, then the totals of
    all advertisers, the center lines and the fallback line (their counts in ``offered`` and
    ``accepted_by_a_person``: calls, and calls answered)."""
    first = timezone.localtime(figures.period.start).date().isoformat()
    last = figures.period.last_day.isoformat()
    rows: list[list[object]] = [CSV_HEADER]
    for row in [*figures.advertisers, figures.total]:
        rows.append(
            [
                first,
                last,
                neutralised(row.name) if row.advertiser_id else "All advertisers",
                row.offered,
                row.accepted,
                row.not_answered,
                row.sent_on,
                row.to_fallback,
                "" if row.median_seconds is None else row.median_seconds,
                row.callbacks,
                row.called_back,
            ]
        )
    empty = ["", "", "", "", "", ""]
    rows.append(
        [first, last, "Center lines", figures.center_calls, figures.center_answered, *empty]
    )
    rows.append(
        [first, last, "Fallback line", figures.fallback_calls, figures.fallback_answered, *empty]
    )
    return rows
