from dataclasses import dataclass, replace

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from centers.filters import grouped, thousands_separator
from directory import phones
from directory.stencils import Stencil, hole, holes

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes: object) -> str:
    """The current query string with ``changes`` applied; ``None`` removes a parameter."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = str(value)
    return f"?{query.urlencode()}" if query else "?"


@register.filter
def phone(value: str) -> str:
    return phones.display(value)


@register.filter
def tel(value: str) -> str:
    return phones.tel_uri(value)


CARD_TEMPLATE = "centers/_card.html"
CARD_HOLES = ("distance", "next")


@register.simple_tag(takes_context=True)
def center_card(context, center, heading_level: int = 2) -> SafeString:
    """A listing card, from the stencil of this center at this catalog version, paid status
    and age of its availability statement (kept in the ``fragments`` cache); the distance and
    the compare form's return address are filled in for each request.

    ``center.catalog_token`` (set by ``IndexedResults``) changes with any write a card could
    show; a center without one is rendered afresh and not kept. ``center.fill_card_terms``
    (also ``IndexedResults``') gives it its terms only when the card has to be drawn.
    """
    token = getattr(center, "catalog_token", None)
    paid = bool(getattr(center, "is_paid_advertiser", False))
    # Ages by the clock, not by writes: part of the key, worked out afresh for each request.
    freshness = center.availability_freshness()

    def shape() -> dict[str, object]:
        if fill_terms := getattr(center, "fill_card_terms", None):
            fill_terms()
        return {
            "center": center,
            "freshness": freshness,
            "heading_level": heading_level,
            "live": holes(*CARD_HOLES),
        }

    # The card's words (its labels, its terms' names) are in the page's language.
    language = translation.get_language()
    key = (
        f"card:{center.pk}:{token}:{int(paid)}:{heading_level}:{language}:{freshness}"
        if token
        else None
    )
    stencil = Stencil.kept(key, CARD_TEMPLATE, shape, expected=CARD_HOLES)
    distance = getattr(center, "distance", None)
    return stencil.fill(
        {
            "distance": ""
            if distance is None
            else render_to_string(f"{CARD_TEMPLATE}#distance", {"center": center}),
            "next": f"{context['request'].get_full_path()}#center-{center.pk}",
        }
    )


LISTING_TEMPLATE = "centers/center_list.html"
CHECKED = mark_safe(" checked")


@dataclass(frozen=True, slots=True)
class _OptionShape:
    """A filter option as its stencil is rendered: its live parts are holes."""

    slug: str
    name: str
    checked: SafeString
    count_label: SafeString


@register.simple_tag
def facet_markup(facet, partial: str = "facet_group") -> SafeString:
    """A filter group's markup (``partial`` of the listing template), from the stencil of the
    group at its catalog version, with each option's checked state and count filled in."""

    def shape() -> dict[str, object]:
        options = [
            _OptionShape(option.slug, option.name, hole(f"checked{i}"), hole(f"count{i}"))
            for i, option in enumerate(facet.options)
        ]
        return {"facet": replace(facet, options=options)}

    # Its words (label, hints, option names) are in the language the facet was built in.
    key = (
        f"facet:{partial}:{facet.version}:{facet.language}:{facet.param}" if facet.version else None
    )
    stencil = Stencil.kept(key, f"{LISTING_TEMPLATE}#{partial}", shape)
    values: dict[str, object] = {}
    separator = thousands_separator()  # option.count_label, looked up once for the group
    for i, option in enumerate(facet.options):
        values[f"checked{i}"] = CHECKED if option.selected else ""
        values[f"count{i}"] = grouped(option.count, separator)
    return stencil.fill(values)


SELECTED = mark_safe(" selected")


@register.simple_tag
def state_options(filterset) -> SafeString:
    """The state picker's options, from a stencil made once per process and language (the
    states never change), with the chosen one selected."""
    stencil = Stencil.kept(
        f"state-options:{translation.get_language()}",
        f"{LISTING_TEMPLATE}#state_options",
        lambda: {"states": [(code, name, hole(code)) for code, name, _ in filterset.state_options]},
    )
    return stencil.fill(
        {code: SELECTED if selected else "" for code, _, selected in filterset.state_options}
    )
