"""The comparison page: its URL, the distance origin and the whole comparison."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from centers.geo import Point, normalise_zip, zip_centroid
from centers.models import Center

from .rows import Group, build_groups
from .selection import Selection, select


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
        if normalise_zip(near) is None:
            notice = gettext("“%(value)s” is not a ZIP code, so distances are not shown.")
        else:
            notice = gettext("“%(value)s” is not one we know, so distances are not shown.")
        return Distance(notice=notice % {"value": near[:12]})
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
