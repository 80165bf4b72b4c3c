"""What a center's page draws from skeletons: ``{% service_groups_markup service_groups %}``.

A center page lists everything SAMHSA says of the center, about seventy services in twenty
groups; the template engine spent about a millisecond and a half on that list alone. Each group
is drawn instead from the skeleton of its shape (``directory.stencils.Skeletons``): the
``service_group`` partial of the page's template rendered once per language and list length
(one service, or several) with holes for the names.
"""

from collections.abc import Iterable, Sequence

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from centers.models import Service, ServiceCategory
from directory.stencils import Skeletons, StandIn, hole, list_shape, stand_ins

register = template.Library()

SERVICE_GROUP = "centers/center_detail.html#service_group"
service_group_skeletons = Skeletons(SERVICE_GROUP)


@register.simple_tag
def service_groups_markup(
    groups: Iterable[tuple[ServiceCategory, Sequence[Service]]],
) -> SafeString:
    language = translation.get_language()
    return mark_safe(
        "".join(_draw_group(category, services, language) for category, services in groups)
    )


def _draw_group(category: ServiceCategory, services: Sequence[Service], language: str) -> str:
    names = [Service.local_name.read(service, language) for service in services]
    values = {"category": ServiceCategory.local_name.read(category, language), "services": names}

    def figure(unknown: list[str]) -> dict[str, object]:
        items = stand_ins(
            "services", len(names), lambda name: StandIn({"local_name": name}, unknown)
        )
        return {"category": StandIn({"local_name": hole("category")}, unknown), "services": items}

    def render() -> str:
        return render_to_string(SERVICE_GROUP, {"category": category, "services": services})

    lists = ["services"] if len(names) > 1 else []
    shape = (language, list_shape(names))
    return service_group_skeletons.draw(shape, figure, values, lists, render)
