from dataclasses import dataclass, replace

from django import template
from django.http import QueryDict
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from centers.filters import grouped, thousands_separator
from directory import phones
from directory.stencils import (
    Skeletons,
    StandIn,
    Stencil,
    hole,
    hole_aware,
    holes,
    list_shape,
    stand_ins,
)

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
@hole_aware
def phone(value: str) -> str:
    return phones.display(value)


@register.filter
@hole_aware
def tel(value: str) -> str:
    return phones.tel_uri(value)


CARD_TEMPLATE = "centers/_card.html"
CARD_HOLES = ("distance", "next")
# What the card reads of a center (with _compare_button.html and the paid badge), for its
# skeleton: texts it shows, values it decides on, and the term lists it names one by one. A
# card that reads anything else is rendered from the template instead (directory.stencils).
CARD_TEXTS = ("pk", "get_absolute_url", "name", "secondary_name", "city", "state", "best_phone")
CARD_TEXTS_PLAIN = ("slug",)
CARD_VALUES = ("is_listed", "is_paid_advertiser")
CARD_TERMS = ("care_settings", "therapies", "payment_options")
card_skeletons = Skeletons(CARD_TEMPLATE)


@register.simple_tag(takes_context=True)
def center_card(context, center, heading_level: int = 2) -> SafeString:
    """A listing card, from the stencil of this center at this catalog version, paid status
    and age of its availability statement (kept in the ``fragments`` cache); the distance and
    the compare form's return address are filled in for each request.

    ``center.catalog_token`` (set by ``IndexedResults``) changes with any write a card could
    show; a center without one is rendered afresh and not kept. ``center.card_terms`` (also
    ``IndexedResults``') gives its terms from the index, only when the card has to be drawn; a
    card is drawn from the skeleton of its shape (``draw_card``).
    """
    token = getattr(center, "catalog_token", None)
    paid = bool(getattr(center, "is_paid_advertiser", False))
    # Ages by the clock, not by writes: part of the key, worked out afresh for each request.
    freshness = center.availability_freshness()
    # The card's words (its labels, its terms' names) are in the page's language.
    language = translation.get_language()
    key = (
        f"card:{center.pk}:{token}:{int(paid)}:{heading_level}:{language}:{freshness}"
        if token
        else None
    )
    stencil = Stencil.kept_drawn(
        key, lambda: draw_card(center, heading_level, language, freshness), CARD_HOLES
    )
    distance = getattr(center, "distance", None)
    return stencil.fill(
        {
            "distance": "" if distance is None else distance_markup(distance),
            "next": f"{context['request'].get_full_path()}#center-{center.pk}",
        }
    )


def draw_card(center, heading_level: int, language: str, freshness: str) -> SafeString:
    """The card's markup with holes for its live values, from the skeleton of its shape (which
    texts are empty, its paid and listed status, whether it has no, one or several terms of each
    kind): about 30 µs,
    where rendering the template takes about 0.6 ms."""
    terms = center.card_terms() if hasattr(center, "card_terms") else None
    if terms is None:
        terms = {relation: list(getattr(center, relation).all()) for relation in CARD_TERMS}
    texts = {name: getattr(center, name) for name in CARD_TEXTS}
    texts["get_absolute_url"] = center.get_absolute_url()
    values = {name: bool(getattr(center, name, False)) for name in CARD_VALUES}
    shape = (
        language,
        heading_level,
        tuple(values.values()),
        tuple(bool(text) for text in texts.values()),
        tuple(list_shape(terms[relation]) for relation in CARD_TERMS),
    )
    fill: dict[str, object] = {name: str(text) for name, text in texts.items()}
    fill["slug"] = center.slug
    for relation in CARD_TERMS:
        fill[relation] = [type(term).local_name.read(term, language) for term in terms[relation]]
    fill.update(holes(*CARD_HOLES))
    notes = card_notes(center, freshness)
    fill.update(notes)
    lists = [relation for relation in CARD_TERMS if len(terms[relation]) > 1]

    def figure(unknown: list[str]) -> dict[str, object]:
        attributes: dict[str, object] = {
            name: hole(name) if text else text for name, text in texts.items()
        }
        attributes["slug"] = hole("slug")
        attributes.update(values)
        for relation in CARD_TERMS:
            items = stand_ins(
                relation,
                len(terms[relation]),
                lambda name: StandIn({"local_name": name}, unknown),
            )
            attributes[relation] = StandIn({"all": lambda items=items: items}, unknown)
        return {
            "center": StandIn(attributes, unknown),
            "heading_level": heading_level,
            "live": holes(*CARD_HOLES),
            "notes": holes(*CARD_NOTES),
        }

    def render() -> str:
        if fill_terms := getattr(center, "fill_card_terms", None):
            fill_terms()
        context = {
            "center": center,
            "heading_level": heading_level,
            "live": holes(*CARD_HOLES),
            "notes": notes,
        }
        return render_to_string(CARD_TEMPLATE, context)

    return mark_safe(card_skeletons.draw(shape, figure, fill, lists, render))


# What the center said about taking new clients and who last checked its details: dates and
# words a skeleton's stand-in does not model, so each card gets them drawn from their own small
# templates, kept by what they show (many cards share the same words and dates).
CARD_NOTES = ("availability", "checked")
_notes: dict[tuple, dict[str, SafeString]] = {}


def card_notes(center, freshness: str) -> dict[str, SafeString]:
    stated = center.availability_stated_at
    key = (
        translation.get_language(),
        freshness,
        center.availability,
        center.wait_days,
        stated.date() if stated else None,
        center.last_verified,
        center.last_verified_by,
    )
    notes = _notes.get(key)
    if notes is None:
        if len(_notes) > 20_000:
            _notes.clear()
        context = {"center": center, "freshness": freshness}
        notes = _notes[key] = {
            "availability": mark_safe(
                render_to_string("centers/_availability.html", context).strip()
            ),
            "checked": mark_safe(render_to_string("centers/_checked.html", context).strip()),
        }
    return notes


# The card's distance (its "distance" partial) by language and miles as the card writes them:
# the partial shows nothing else, and a listing near a ZIP shows twenty distances.
_distances: dict[tuple[str, str], str] = {}


def distance_markup(distance: float) -> str:
    miles = floatformat(distance, 1)
    key = (translation.get_language(), str(miles))
    markup = _distances.get(key)
    if markup is None:
        if len(_distances) > 20_000:
            _distances.clear()
        markup = _distances[key] = render_to_string(
            f"{CARD_TEMPLATE}#distance", {"center": {"distance": distance}}
        )
    return markup


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
