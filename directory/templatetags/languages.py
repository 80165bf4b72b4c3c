"""The language switch and the ``hreflang`` alternates, on every page from ``base.html``.

The alternates are drawn from the skeleton of their shape (the page's language and the codes of
its versions) with holes for the addresses (``directory.stencils``): about 30 µs a page where
rendering their template took about 100 µs. Working out the addresses (``alternates``) costs
more than either.
"""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from directory.languages import alternates
from directory.stencils import Skeletons, StandIn, hole

register = template.Library()

# Open Graph names a language with its region: the site is written for readers in the US.
OG_LOCALES = {"en": "en_US", "es": "es_US"}


@register.inclusion_tag("includes/_language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    return {"others": [link for link in alternates(request) if link["code"] != current]}


ALTERNATES_TEMPLATE = "includes/_language_alternates.html"
alternates_skeletons = Skeletons(ALTERNATES_TEMPLATE)


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> SafeString:
    links = [
        {**link, "og_locale": OG_LOCALES.get(link["code"], link["code"])}
        for link in alternates(context["request"])
    ]
    current = context.get("LANGUAGE_CODE")
    at = next((i for i, link in enumerate(links) if link["code"] == current), 0)

    def links_context(items: list[Any]) -> dict[str, Any]:
        return {
            "links": items,
            "default": items[0],
            "canonical": items[at],
            "og_locale": links[at]["og_locale"],
        }

    def figure(unknown: list[str]) -> dict[str, Any]:
        # The codes and locales are the shape; only each version's address is a hole.
        return links_context(
            [StandIn({**link, "url": hole(f"url-{link['code']}")}, unknown) for link in links]
        )

    def render() -> str:
        return render_to_string(ALTERNATES_TEMPLATE, links_context(links))

    values = {f"url-{link['code']}": link["url"] for link in links}
    shape = (current, tuple(link["code"] for link in links))
    return mark_safe(alternates_skeletons.draw(shape, figure, values, [], render))
