"""Comparing a few centers side by side: which centers, and the rows that tell them apart.

The comparison lives in the URL (``/compare/?c=<slug>&c=<slug>``), so it can be shared,
bookmarked and printed, and the URL alone always shows the same table. Separately, the browser
remembers the visitor's own selection (the "compare tray") in a cookie, so that the "Add to
compare" buttons on every card can extend it without carrying it through every listing link.
The cookie holds slugs only and lasts until the browser is closed. Opening a comparison
replaces it with that comparison, so "Add to compare" always extends what was last on screen.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from centers.geo import Point, miles_between, normalise_zip, zip_centroid
from centers.models import TERM_KINDS, Center, CenterQuerySet

MAX_CENTERS = 4
# Values beyond this are ignored before anything reaches the database, so a URL with thousands
# of ``c`` parameters costs the same as an honest one.
MAX_REQUESTED = 12
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")

TRAY_COOKIE = "compare"
# Cookie values may not contain commas or spaces; a dot never appears in a slug.
TRAY_SEPARATOR = "."

# (row group label, Center relation) for the rows that list terms, in page order.
TERM_GROUPS: list[tuple[str, str]] = [
    (kind.plural, kind.relation) for kind in sorted(TERM_KINDS, key=lambda k: k.compare_position)
]


# --- which centers ---------------------------------------------------------------------------


def _shown(values: Iterable[str], limit: int = 3) -> str:
    """``“a”, “b”, “c” and 2 more``: user input, quoted and cut short."""
    values = list(values)
    quoted = ", ".join(f"“{value[:40]}”" for value in values[:limit])
    return quoted + (f" and {len(values) - limit} more" if len(values) > limit else "")


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
                f"We couldn’t find {_shown(self.unknown)} in the directory: the link may be "
                "mistyped, or the listing may have been removed."
            )
        for center in self.closed:
            notices.append(f"{center.name} is reported as closed, so it is not in this comparison.")
        if self.duplicates:
            notices.append(
                f"{_shown(self.duplicates)} appeared more than once; each is shown once."
            )
        if self.ignored:
            notices.append(
                f"That link named more centers than we can look up at once; the last "
                f"{self.ignored} {'was' if self.ignored == 1 else 'were'} ignored."
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


# --- rows -----------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a label and one value per center.

    ``kind`` tells the template how to show the values: ``term`` and ``yes-no`` are booleans
    (offered or not), ``distance`` miles or ``None``, ``date`` a date or ``None``, ``place`` and
    ``phone`` a center. Only ``compared`` rows can differ: where a center is and how to call it
    always differ and say nothing about care. ``pinned`` rows stay in "only differences".
    """

    label: str
    kind: str
    values: list[Any]
    url: str = ""
    compared: bool = True
    pinned: bool = False

    @property
    def differs(self) -> bool:
        if not self.compared or len(self.values) < 2:
            return False
        return len({self._key(value) for value in self.values}) > 1

    @staticmethod
    def _key(value: Any) -> Any:
        # Distances that print the same are the same to a reader.
        return round(value, 1) if isinstance(value, float) else value


@dataclass
class Group:
    label: str
    rows: list[Row]
    note: str = ""

    def only_differences(self) -> "Group":
        """The pinned rows and the rows that differ."""
        return Group(self.label, [row for row in self.rows if row.differs or row.pinned], self.note)


def _term_rows(centers: Sequence[Center], relation: str) -> list[Row]:
    """One row per term that at least one of ``centers`` lists (from the prefetched rows)."""
    offered = [{term.pk for term in getattr(center, relation).all()} for center in centers]
    terms = {term.pk: term for center in centers for term in getattr(center, relation).all()}
    ordered = sorted(terms.values(), key=lambda term: (term.position, term.name))
    rows = []
    for term in ordered:
        url = term.get_absolute_url() if hasattr(term, "get_absolute_url") else ""
        rows.append(Row(term.name, "term", [term.pk in pks for pks in offered], url=url))
    return rows


def build_groups(centers: Sequence[Center], origin: Point | None) -> list[Group]:
    """The table's row groups for ``centers`` (prefetched by ``compare_queryset``), no queries."""
    basics = [
        Row("Where", "place", list(centers), compared=False, pinned=True),
        Row("Phone", "phone", list(centers), compared=False, pinned=True),
    ]
    if origin is not None:
        basics.append(
            Row(
                "Distance",
                "distance",
                [
                    miles_between(origin, center.location) if center.location else None
                    for center in centers
                ],
            )
        )
    basics += [
        # Who pays us is always in view, even when every center gives the same answer.
        Row(
            "Paid advertiser",
            "paid",
            [bool(center.is_paid_advertiser) for center in centers],
            pinned=True,
        ),
        Row("Details last verified", "date", [center.last_verified for center in centers]),
    ]
    groups = [Group("The basics", basics)]
    for label, relation in TERM_GROUPS:
        rows = _term_rows(centers, relation)
        note = ""
        if relation == "care_settings":
            rows.append(
                Row(
                    "Combination of 24-hour and outpatient care",
                    "yes-no",
                    [center.offers_combination() for center in centers],
                    url=reverse("centers:guide-inpatient-outpatient") + "#combination",
                )
            )
        elif not rows:
            note = "None of these centers lists any."
        groups.append(Group(label, rows, note))
    return groups


# --- the page -------------------------------------------------------------------------------


def compare_url(slugs: Iterable[str], **params: str | None) -> str:
    """``/compare/?c=a&c=b`` plus any non-empty ``params`` (``near``, ``diff``)."""
    query = [("c", slug) for slug in slugs]
    query += [(key, value) for key, value in params.items() if value]
    return reverse("centers:compare") + (f"?{urlencode(query)}" if query else "")


@dataclass
class Distance:
    """The ZIP code distances are measured from, if it is one we know."""

    zip_code: str = ""
    origin: Point | None = None
    notice: str = ""


def distance_from(query: QueryDict) -> Distance:
    near = (query.get("near") or "").strip()
    if not near:
        return Distance()
    origin = zip_centroid(near)
    if origin is None:
        reason = "is not a ZIP code" if normalise_zip(near) is None else "is not one we know"
        return Distance(notice=f"“{near[:12]}” {reason}, so distances are not shown.")
    return Distance(zip_code=normalise_zip(near) or "", origin=origin)


@dataclass
class Comparison:
    """Everything the compare page shows for one URL."""

    selection: Selection
    distance: Distance
    groups: list[Group]
    diff_requested: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "Comparison":
        selection = select(query.getlist("c"))
        distance = distance_from(query)
        return cls(
            selection,
            distance,
            build_groups(selection.centers, distance.origin),
            diff_requested=query.get("diff") == "1",
        )

    @property
    def centers(self) -> list[Center]:
        return self.selection.centers

    @property
    def slugs(self) -> list[str]:
        return self.selection.slugs

    @property
    def diff_only(self) -> bool:
        # With a single center nothing can differ: show everything rather than an empty table.
        return self.diff_requested and len(self.centers) > 1

    @property
    def differing(self) -> int:
        return sum(row.differs for group in self.groups for row in group.rows)

    @property
    def shown_groups(self) -> list[Group]:
        if not self.diff_only:
            return self.groups
        trimmed = [group.only_differences() for group in self.groups]
        return [group for group in trimmed if group.rows]

    @property
    def notices(self) -> list[str]:
        return [*self.selection.notices, *([self.distance.notice] if self.distance.notice else [])]

    def url(self, slugs: Sequence[str] | None = None, *, diff: bool | None = None) -> str:
        """This comparison's URL, optionally with other centers or the other row view."""
        diff = self.diff_only if diff is None else diff
        return compare_url(
            self.slugs if slugs is None else slugs,
            near=self.distance.zip_code,
            diff="1" if diff else None,
        )

    @property
    def all_rows_url(self) -> str:
        return self.url(diff=False)

    @property
    def differences_url(self) -> str:
        return self.url(diff=True)

    def removal_urls(self) -> list[tuple[Center, str]]:
        """Each center with the URL of this comparison without it."""
        return [
            (center, self.url([slug for slug in self.slugs if slug != center.slug]))
            for center in self.centers
        ]


# --- the visitor's own selection (the tray) --------------------------------------------------


def tray_slugs(request: HttpRequest) -> list[str]:
    """The slugs in the tray cookie: well-formed, distinct, at most ``MAX_CENTERS``. No query."""
    raw = request.COOKIES.get(TRAY_COOKIE, "")
    slugs: list[str] = []
    for slug in raw.split(TRAY_SEPARATOR):
        if SLUG_PATTERN.match(slug) and slug not in slugs:
            slugs.append(slug)
    return slugs[:MAX_CENTERS]


def tray_cookie_value(slugs: Iterable[str]) -> str:
    return TRAY_SEPARATOR.join(slugs)


@dataclass
class TrayChange:
    slugs: list[str]
    message: str
    ok: bool = True


def change_tray(
    slugs: Sequence[str], *, add: str = "", remove: str = "", clear: bool = False
) -> TrayChange:
    """The tray after one visitor action, and a sentence saying what happened.

    Adding looks the center up (one query): only published centers can be compared, and the
    cookie may still hold slugs of centers hidden since, which are dropped here.
    """
    if clear:
        return TrayChange([], "Your comparison is now empty.")
    if remove:
        kept = [slug for slug in slugs if slug != remove]
        name = Center.objects.published().filter(slug=remove).values_list("name", flat=True)
        label = next(iter(name), "That center")
        return TrayChange(kept, f"{label} was removed from your comparison.")
    names = dict(
        Center.objects.published()
        .filter(slug__in=[*slugs, add] if SLUG_PATTERN.match(add) else slugs)
        .values_list("slug", "name")
    )
    current = [slug for slug in slugs if slug in names]
    if add not in names:
        return TrayChange(current, "We couldn’t find that center in the directory.", ok=False)
    if add in current:
        return TrayChange(current, f"{names[add]} is already in your comparison.")
    if len(current) >= MAX_CENTERS:
        return TrayChange(
            current,
            f"Your comparison already has {MAX_CENTERS} centers, the most that fit side by "
            f"side. Remove one to make room for {names[add]}.",
            ok=False,
        )
    current.append(add)
    return TrayChange(
        current,
        f"{names[add]} was added to your comparison ({len(current)} of {MAX_CENTERS}).",
    )


@dataclass
class Tray:
    """The visitor's selection as the pages show it: slugs, and the centers when fetched."""

    slugs: list[str]
    centers: list[Center] = field(default_factory=list)
    most: int = MAX_CENTERS

    @property
    def count(self) -> int:
        return len(self.slugs)

    @property
    def full(self) -> bool:
        return self.count >= MAX_CENTERS

    @property
    def url(self) -> str:
        return compare_url(self.slugs)


def tray_with_centers(request: HttpRequest) -> Tray:
    """The tray with its centers, in the order picked, leaving out any no longer published.

    One query when the tray holds anything, none when it is empty.
    """
    slugs = tray_slugs(request)
    if not slugs:
        return Tray([])
    found = {
        center.slug: center
        for center in Center.objects.published().filter(slug__in=slugs).only("slug", "name")
    }
    centers = [found[slug] for slug in slugs if slug in found]
    return Tray([center.slug for center in centers], centers)
