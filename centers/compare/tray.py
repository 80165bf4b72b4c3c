"""The visitor's own selection (the compare tray), remembered in a cookie."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext

from centers.models import Center

from .page import compare_url
from .selection import MAX_CENTERS, SLUG_PATTERN

TRAY_COOKIE = "compare"
# Cookie values may not contain commas or spaces; a dot never appears in a slug.
TRAY_SEPARATOR = "."


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
        return TrayChange([], gettext("Your comparison is now empty."))
    if remove:
        kept = [slug for slug in slugs if slug != remove]
        name = Center.objects.published().filter(slug=remove).values_list("name", flat=True)
        found = next(iter(name), None)
        if found is None:
            return TrayChange(kept, gettext("That center was removed from your comparison."))
        return TrayChange(
            kept, gettext("%(name)s was removed from your comparison.") % {"name": found}
        )
    names = dict(
        Center.objects.published()
        .filter(slug__in=[*slugs, add] if SLUG_PATTERN.match(add) else slugs)
        .values_list("slug", "name")
    )
    current = [slug for slug in slugs if slug in names]
    if add not in names:
        return TrayChange(
            current, gettext("We couldn’t find that center in the directory."), ok=False
        )
    if add in current:
        return TrayChange(
            current, gettext("%(name)s is already in your comparison.") % {"name": names[add]}
        )
    if len(current) >= MAX_CENTERS:
        return TrayChange(
            current,
            gettext(
                "Your comparison already has %(most)s centers, the most that fit side by side. "
                "Remove one to make room for %(name)s."
            )
            % {"most": MAX_CENTERS, "name": names[add]},
            ok=False,
        )
    current.append(add)
    return TrayChange(
        current,
        gettext("%(name)s was added to your comparison (%(count)s of %(most)s).")
        % {"name": names[add], "count": len(current), "most": MAX_CENTERS},
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
