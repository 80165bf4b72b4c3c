"""The center page's locator map, ``{% locator_markup center %}``: drawn from the skeleton of its
shape (the page's language, and whether the location is exact) with holes for the center's
name, state and ZIP code, the state's outline and the dot's place (``directory.stencils``),
where rendering the template took about half a millisecond of each center page."""

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from centers.locator import LocatorMap, locator_map
from centers.models import Center
from directory.languages import address
from directory.stencils import Skeletons, StandIn, holes

register = template.Library()

LOCATOR_TEMPLATE = "centers/includes/locator_map.html"
locator_skeletons = Skeletons(LOCATOR_TEMPLATE)
CENTER_TEXTS = ("name", "state", "zip_code")
LOCATOR_NUMBERS = ("width", "height", "x", "y")


@register.simple_tag
def locator_map_of(center: Center) -> LocatorMap | None:
    """The center page's locator map (``centers.locator``), or None when it cannot be drawn."""
    return locator_map(state=center.state, latitude=center.latitude, longitude=center.longitude)


@register.simple_tag
def locator_markup(center: Center) -> SafeString:
    locator = locator_map_of(center)
    if locator is None:
        return mark_safe("")
    outline_url = address("locator-outline", name=locator.outline)
    values: dict[str, object] = {name: getattr(center, name) for name in CENTER_TEXTS}
    # Localized as the template writes numbers (a Spanish page keeps the point: directory.formats).
    values.update({name: localize(getattr(locator, name)) for name in LOCATOR_NUMBERS})
    values["outline_url"] = outline_url

    def figure(unknown: list[str]) -> dict[str, object]:
        texts = holes(*CENTER_TEXTS)
        return {
            "center": StandIn({**texts, "exact_location": center.exact_location}, unknown),
            "locator": StandIn(holes(*LOCATOR_NUMBERS), unknown),
            **holes("outline_url"),
        }

    def render() -> str:
        context = {"center": center, "locator": locator, "outline_url": outline_url}
        return render_to_string(LOCATOR_TEMPLATE, context)

    shape = (translation.get_language(), bool(center.exact_location))
    return mark_safe(locator_skeletons.draw(shape, figure, values, [], render))
