from django import template

from centers.locator import LocatorMap, locator_map
from centers.models import Center

register = template.Library()


@register.simple_tag
def locator_map_of(center: Center) -> LocatorMap | None:
    """The center page's locator map (``centers.locator``), or None when it cannot be drawn."""
    return locator_map(state=center.state, latitude=center.latitude, longitude=center.longitude)
