"""Which centers a comparison URL asks for, and what had to be left out."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from centers.models import Center, CenterQuerySet

from .rows import TERM_GROUPS

MAX_CENTERS = 4
# Values beyond this are ignored before anything reaches the database, so a URL with thousands
# of ``c`` parameters costs the same as an honest one.
MAX_REQUESTED = 12
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")


def _shown(values: Iterable[str], limit: int = 3) -> str:
    """``“a”, “b”, “c” and 2 more``: user input, quoted and cut short."""
    values = list(values)
    quoted = ", ".join(f"“{value[:40]}”" for value in values[:limit])
    if len(values) <= limit:
        return quoted
    return gettext("%(values)s and %(count)s more") % {
        "values": quoted,
        "count": len(values) - limit,
    }


def compare_queryset() -> CenterQuerySet:
    """Everything the table shows, in one query plus one per term relation, whatever the count.

    Hidden centers are left out as if they did not exist; closed ones are fetched so that the
    page can say why they are missing from an old shared link.
    """
    return (
        Center.objects.exclude(status=Center.Status.HIDDEN)
        .with_paid_status()
        .prefetch_related(*(relation for _label, relation in TERM_GROUPS))
    )


@dataclass
class Selection:
    """The centers a comparison URL asks for, and what had to be left out, with reasons."""

    centers: list[Center] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    closed: list[Center] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    left_out: list[Center] = field(default_factory=list)
    ignored: int = 0

    @property
    def slugs(self) -> list[str]:
        return [center.slug for center in self.centers]

    @property
    def notices(self) -> list[str]:
        """Plain-language reasons for everything asked for but not shown (``left_out`` aside:
        the template lists those with links)."""
        notices = []
        if self.unknown:
            notices.append(
                gettext(
                    "We couldn’t find %(values)s in the directory: the link may be mistyped, "
                    "or the listing may have been removed."
                )
                % {"values": _shown(self.unknown)}
            )
        for center in self.closed:
            notices.append(
                gettext("%(name)s is reported as closed, so it is not in this comparison.")
                % {"name": center.name}
            )
        if self.duplicates:
            notices.append(
                gettext("%(values)s appeared more than once; each is shown once.")
                % {"values": _shown(self.duplicates)}
            )
        if self.ignored:
            notices.append(
                ngettext(
                    "That link named more centers than we can look up at once; the last "
                    "%(count)s was ignored.",
                    "That link named more centers than we can look up at once; the last "
                    "%(count)s were ignored.",
                    self.ignored,
                )
                % {"count": self.ignored}
            )
        return notices


def requested_slugs(values: Sequence[str]) -> tuple[list[str], list[str], int]:
    """(distinct values in order, repeated values, how many were ignored for being too many)."""
    distinct: list[str] = []
    repeated: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        if value in distinct:
            if value not in repeated:
                repeated.append(value)
        elif len(distinct) < MAX_REQUESTED:
            distinct.append(value)
    ignored = len({value.strip() for value in values if value.strip()}) - len(distinct)
    return distinct, repeated, ignored


def select(values: Sequence[str]) -> Selection:
    """Look up the centers named by ``values`` (a URL's ``c`` parameters) in a fixed number of
    queries; unknown, hidden, closed, repeated and surplus ones are reported, never raised."""
    wanted, repeated, ignored = requested_slugs(values)
    valid = [slug for slug in wanted if SLUG_PATTERN.match(slug)]
    found = (
        {center.slug: center for center in compare_queryset().filter(slug__in=valid)}
        if valid
        else {}
    )
    selection = Selection(ignored=ignored)
    for slug in wanted:
        center = found.get(slug)
        if center is None:
            selection.unknown.append(slug)
        elif not center.is_listed:
            selection.closed.append(center)
        elif len(selection.centers) < MAX_CENTERS:
            selection.centers.append(center)
        else:
            selection.left_out.append(center)
    names = {center.slug: center.name for center in found.values()}
    selection.duplicates = [names.get(slug, slug) for slug in repeated if slug in names]
    return selection
