"""The compare tray in templates: which centers the visitor has picked (see ``centers.compare``)."""

from dataclasses import dataclass, field

from django import template

from centers.compare import MAX_CENTERS, compare_url, tray_slugs
from centers.models import Center

register = template.Library()


@dataclass
class Tray:
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


@register.simple_tag(takes_context=True)
def compare_tray(context: template.Context) -> Tray:
    """The tray as the visitor's cookie has it. No query: cheap enough for every card."""
    request = context.get("request")
    return Tray(tray_slugs(request) if request is not None else [])


@register.simple_tag(takes_context=True)
def compare_tray_centers(context: template.Context) -> Tray:
    """The tray with its centers, in the order picked, leaving out any no longer published.

    One query when the tray holds anything, none when it is empty.
    """
    slugs = compare_tray(context).slugs
    if not slugs:
        return Tray([])
    found = {
        center.slug: center
        for center in Center.objects.published().filter(slug__in=slugs).only("slug", "name")
    }
    centers = [found[slug] for slug in slugs if slug in found]
    return Tray([center.slug for center in centers], centers)
