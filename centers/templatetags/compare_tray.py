"""The compare tray in templates: which centers the visitor has picked (see ``centers.compare``).

Cards only need the slugs, read from the cookie here; the tray with its centers is fetched by the
views that show it (``centers.compare.tray_with_centers``).
"""

from django import template

from centers.compare import Tray, tray_slugs

register = template.Library()


@register.simple_tag(takes_context=True)
def compare_tray(context: template.Context) -> Tray:
    """The tray as the visitor's cookie has it. No query: cheap enough for every card."""
    request = context.get("request")
    return Tray(tray_slugs(request) if request is not None else [])
