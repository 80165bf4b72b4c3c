"""The language switch and the ``hreflang`` alternates, on every page from ``base.html``."""

from typing import Any

from django import template

from directory.languages import alternates

register = template.Library()

# Open Graph names a language with its region: the site is written for readers in the US.
OG_LOCALES = {"en": "en_US", "es": "es_US"}


@register.inclusion_tag("includes/_language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    return {"others": [link for link in alternates(request) if link["code"] != current]}


@register.inclusion_tag("includes/_language_alternates.html", takes_context=True)
def language_alternates(context: template.Context) -> dict[str, Any]:
    links = [
        {**link, "og_locale": OG_LOCALES.get(link["code"], link["code"])}
        for link in alternates(context["request"])
    ]
    current = context.get("LANGUAGE_CODE")
    canonical = next((link for link in links if link["code"] == current), links[0])
    return {
        "links": links,
        "default": links[0],
        "canonical": canonical,
        "og_locale": canonical["og_locale"],
    }
