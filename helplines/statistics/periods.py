"""The periods the statistics cover: a month, or the last 30 days, in the site's time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

LAST_DAYS = 30
# The first month the page accepts: anything earlier is a typing error, not a question.
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    # The first day of the month shown, or None for the last 30 days.
    month: date | None

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m") if self.month else f"last-{self.start:%Y-%m-%d}"

    @property
    def last_day(self) -> date:
        return timezone.localtime(self.end - timedelta(microseconds=1)).date()


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(midnight(first), midnight(following), first)


def last_days(now: datetime | None = None) -> Period:
    """The last 30 days, today included, from midnight to midnight."""
    today = timezone.localtime(now or timezone.now()).date()
    return Period(
        midnight(today - timedelta(days=LAST_DAYS - 1)), midnight(today + timedelta(1)), None
    )


def parse_month(text: str, *, today: date) -> date | None:
    """``YYYY-MM`` between 2000 and next year, as the month's first day; else ``None``."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (FIRST_YEAR <= year <= today.year + 1 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def recent_months(today: date, count: int = 24) -> list[date]:
    """The first days of this month and the ``count - 1`` before it, newest first."""
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months
