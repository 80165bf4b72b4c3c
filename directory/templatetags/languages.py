"""The language switch and the ``hreflang`` alternates, on every page from ``base.html``."""

from typing import Any

from django import template

from directory.languages import alternates

register = template.Library()


@register.inclusion_tag("includes/_language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    current = context.get("LANGUAGE_CODE")
    return {"others": [link for link in alternates(request) if link["code"] != current]}


@register.inclusion_tag("includes/_language_alternates.html", takes_context=True)
def language_alternates(context: template.Context) -> dict[str, Any]:
    links = alternates(context["request"])
    current = context.get("LANGUAGE_CODE")
    return {
        "links": links,
        "default": links[0],
        "canonical": next((link for link in links if link["code"] == current), links[0]),
    }
