"""The editors' view of how accurate the directory is: how much of it was checked lately, by
state; the problem reports still open and how old they are; how long a report takes to close;
listings reported with a disconnected number; listings SAMHSA's latest edition no longer has.

Four queries whatever the size of the catalog (the dashboard's test pins it): one grouped by
state over the published centers, one counting the open reports, one for the oldest of them,
one over the reports closed in the last year. Every figure carries the address of the admin
list of the rows behind it.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from centers.models import Center, ProblemReport

RECENT_DAYS = 90
YEAR_DAYS = 365
# Open reports by age: under a week, a week to a month, over a month.
AGE_BANDS = ((0, 7), (7, 30), (30, None))
OLDEST_SHOWN = 10


@dataclass(frozen=True)
class Figure:
    value: int
    url: str


@dataclass(frozen=True)
class Coverage:
    """How many of a state's (or the nation's) published listings were checked lately."""

    state: str  # "" for the nation
    total: int
    recent: Figure  # checked in the last 90 days
    year: Figure  # checked in the last 12 months
    not_in_latest: Figure

    @property
    def recent_share(self) -> float | None:
        return self.recent.value / self.total if self.total else None

    @property
    def year_share(self) -> float | None:
        return self.year.value / self.total if self.total else None


@dataclass(frozen=True)
class AgeBand:
    label: str
    count: Figure


@dataclass(frozen=True)
class Dashboard:
    nation: Coverage
    states: list[Coverage]
    open_reports: Figure
    open_by_age: list[AgeBand]
    oldest_open: datetime | None
    oldest_url: str
    oldest_reports: list[ProblemReport]  # the longest waiting, with their centers
    median_to_resolve: timedelta | None
    resolved_last_year: Figure
    disconnected: Figure  # listings with an open report of a disconnected number
    listings: str  # the published listings' admin list

    @property
    def median_to_resolve_text(self) -> str:
        """ "2 days 5 hours", "3 hours 20 minutes": at a glance, to the unit that matters."""
        span = self.median_to_resolve
        if span is None:
            return ""
        hours, minutes = span.seconds // 3600, span.seconds % 3600 // 60
        if span.days:
            return f"{span.days} day{'s' * (span.days != 1)} {hours} hour{'s' * (hours != 1)}"
        return f"{hours} hour{'s' * (hours != 1)} {minutes} minute{'s' * (minutes != 1)}"


def _admin_list(model: type, **query: object) -> str:
    url = reverse(f"admin:centers_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def _moment(value: datetime) -> str:
    """An aware time as the admin's filters read it (with its UTC offset)."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def dashboard(now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    recent_since = today - timedelta(days=RECENT_DAYS)
    year_since = today - timedelta(days=YEAR_DAYS)
    published = {"status__exact": Center.Status.PUBLISHED}

    rows = (
        Center.objects.published()
        .values("state")
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=Q(last_verified__gte=recent_since)),
            year=Count("pk", filter=Q(last_verified__gte=year_since)),
            not_in_latest=Count("pk", filter=Q(in_latest_directory=False)),
        )
        .order_by("state")
    )

    def coverage(state: str, total: int, recent: int, year: int, not_in_latest: int) -> Coverage:
        where = {**published, **({"state__exact": state} if state else {})}
        return Coverage(
            state=state,
            total=total,
            recent=Figure(
                recent, _admin_list(Center, **where, last_verified__gte=recent_since.isoformat())
            ),
            year=Figure(
                year, _admin_list(Center, **where, last_verified__gte=year_since.isoformat())
            ),
            not_in_latest=Figure(
                not_in_latest, _admin_list(Center, **where, in_latest_directory__exact=0)
            ),
        )

    states = [
        coverage(row["state"], row["total"], row["recent"], row["year"], row["not_in_latest"])
        for row in rows
    ]
    nation = coverage(
        "",
        sum(state.total for state in states),
        sum(state.recent.value for state in states),
        sum(state.year.value for state in states),
        sum(state.not_in_latest.value for state in states),
    )

    band_counts = {
        f"band{n}": Count(
            "pk",
            filter=Q(created_at__lte=now - timedelta(days=start))
            & (Q(created_at__gt=now - timedelta(days=end)) if end else Q()),
        )
        for n, (start, end) in enumerate(AGE_BANDS)
    }
    reports = ProblemReport.objects.open().aggregate(
        total=Count("pk"),
        oldest=Min("created_at"),
        disconnected=Count("center", distinct=True, filter=Q(kind=ProblemReport.Kind.DISCONNECTED)),
        **band_counts,
    )
    open_by_age = []
    for n, (start, end) in enumerate(AGE_BANDS):
        query = {"open": "yes", "created_at__lte": _moment(now - timedelta(days=start))}
        if end:
            query["created_at__gt"] = _moment(now - timedelta(days=end))
        label = f"{start} to {end} days old" if end else f"over {start} days old"
        open_by_age.append(
            AgeBand(label, Figure(reports[f"band{n}"], _admin_list(ProblemReport, **query)))
        )

    resolved_since = now - timedelta(days=YEAR_DAYS)
    durations = [
        resolved - created
        for created, resolved in ProblemReport.objects.closed()
        .filter(resolved_at__gte=resolved_since)
        .values_list("created_at", "resolved_at")
    ]
    return Dashboard(
        nation=nation,
        states=states,
        open_reports=Figure(reports["total"], _admin_list(ProblemReport, open="yes")),
        open_by_age=open_by_age,
        oldest_open=reports["oldest"],
        # The change list's second column (created) ascending: oldest first.
        oldest_url=_admin_list(ProblemReport, open="yes", o="1"),
        oldest_reports=list(
            ProblemReport.objects.open()
            .select_related("center")
            .order_by("created_at", "pk")[:OLDEST_SHOWN]
        ),
        median_to_resolve=statistics.median(durations) if durations else None,
        resolved_last_year=Figure(
            len(durations),
            _admin_list(ProblemReport, open="no", resolved_at__gte=_moment(resolved_since)),
        ),
        disconnected=Figure(reports["disconnected"], _admin_list(Center, reported="disconnected")),
        listings=_admin_list(Center, **published),
    )
