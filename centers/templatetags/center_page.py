"""What a center's page draws from skeletons: ``{% service_groups_markup service_groups %}``,
``{% facts_markup facts %}`` and ``{% compare_button center next_path %}``.

A center page lists everything SAMHSA says of the center, about seventy services in twenty
groups; the template engine spent about a millisecond and a half on that list alone. Each group
is drawn instead from the skeleton of its shape (``directory.stencils.Skeletons``): the
``service_group`` partial of the page's template rendered once per language and list length
(one service, or several) with holes for the names.

The facts at a glance are drawn the same way, a row per term kind, each entry first (a link to
the term's page or a plain name), then the row from the skeleton of its shape (how many entries,
which notes follow them); the template engine spent about a millisecond on them. The "Add to
compare" form is drawn from the skeleton of the page's language, with holes for the center and
the page's address.
"""

from collections.abc import Iterable, Sequence

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from centers.facts import Entry, Fact
from centers.models import Center, Service, ServiceCategory
from directory.stencils import Skeletons, StandIn, hole, holes, list_shape, stand_ins

register = template.Library()

SERVICE_GROUP = "centers/center_detail.html#service_group"
service_group_skeletons = Skeletons(SERVICE_GROUP)
FACT_ROW = "centers/center_detail.html#fact_row"
FACT_ENTRY = "centers/center_detail.html#fact_entry"
fact_row_skeletons = Skeletons(FACT_ROW)
fact_entry_skeletons = Skeletons(FACT_ENTRY)
COMPARE_BUTTON = "centers/_compare_button.html"
compare_button_skeletons = Skeletons(COMPARE_BUTTON)


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


@register.simple_tag
def facts_markup(facts: Iterable[Fact]) -> SafeString:
    language = translation.get_language()
    return mark_safe("".join(_draw_fact(fact, language) for fact in facts))


def _draw_fact(fact: Fact, language: str) -> str:
    entries = [mark_safe(_draw_entry(entry)) for entry in fact.entries]
    values = {"label": fact.label, "entries": entries}
    flags = {
        "combination": fact.combination,
        "from_samhsa": fact.from_samhsa,
        "listed": fact.listed,
    }

    def figure(unknown: list[str]) -> dict[str, object]:
        return {
            "fact": StandIn({"label": hole("label"), **flags}, unknown),
            "entries": stand_ins("entries", len(entries), lambda name: name),
        }

    def render() -> str:
        return render_to_string(FACT_ROW, {"fact": fact, "entries": entries})

    lists = ["entries"] if len(entries) > 1 else []
    shape = (language, list_shape(entries), *flags.values())
    return fact_row_skeletons.draw(shape, figure, values, lists, render)


def _draw_entry(entry: Entry) -> str:
    values = {"name": entry.name, "url": entry.url}

    def figure(unknown: list[str]) -> dict[str, object]:
        url = hole("url") if entry.url else ""
        return {"entry": StandIn({"name": hole("name"), "url": url}, unknown)}

    def render() -> str:
        return render_to_string(FACT_ENTRY, {"entry": entry})

    return fact_entry_skeletons.draw(bool(entry.url), figure, values, [], render)


@register.simple_tag
def compare_button(center: Center, next_path: str) -> SafeString:
    if not center.is_listed:
        return mark_safe("")
    values = {"slug": center.slug, "name": center.name, "next_path": next_path}

    def figure(unknown: list[str]) -> dict[str, object]:
        attributes = {"is_listed": True, **holes("slug", "name")}
        return {"center": StandIn(attributes, unknown), **holes("next_path")}

    def render() -> str:
        return render_to_string(COMPARE_BUTTON, {"center": center, "next_path": next_path})

    shape = translation.get_language()
    return mark_safe(compare_button_skeletons.draw(shape, figure, values, [], render))
