"""How old a center's word on taking new clients may be before families are told so.

A center says it is accepting new clients, has a waiting list or is not taking anyone now
(``Center.availability``), and when it said so (``availability_stated_at``). What it said ages
by the clock, not by any write: a statement is current for 14 days, then shown as old (with
a nudge to call and check), and after 30 days no longer shown as the center's current word.
The listing's "Taking new clients now" filter takes only current statements of "accepting".
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import ngettext

CURRENT_FOR = timedelta(days=14)
SHOWN_FOR = timedelta(days=30)


class Freshness:
    """The age band of a statement, which decides how it is shown."""

    NONE = "none"  # nothing stated
    CURRENT = "current"  # within 14 days
    OLD = "old"  # 14 to 30 days: shown, marked old
    EXPIRED = "expired"  # over 30 days: no longer shown as current


def freshness(availability: str, stated_at: datetime | None, now: datetime) -> str:
    if not availability or stated_at is None:
        return Freshness.NONE
    age = now - stated_at
    if age <= CURRENT_FOR:
        return Freshness.CURRENT
    if age <= SHOWN_FOR:
        return Freshness.OLD
    return Freshness.EXPIRED


def taking_new_clients(now: datetime) -> Q:
    """Accepting new clients, said within the last 14 days (the listing's filter)."""
    return Q(availability="accepting", availability_stated_at__gte=now - CURRENT_FOR)


def wait_phrase(days: int) -> str:
    """A center's estimate of the wait in words a family reads at a glance: days under two
    weeks, then weeks, then months."""
    if days < 14:
        return ngettext("Wait about %(count)d day", "Wait about %(count)d days", days) % {
            "count": days
        }
    if days < 60:
        weeks = round(days / 7)
        return ngettext("Wait about %(count)d week", "Wait about %(count)d weeks", weeks) % {
            "count": weeks
        }
    months = round(days / 30)
    return ngettext("Wait about %(count)d month", "Wait about %(count)d months", months) % {
        "count": months
    }
