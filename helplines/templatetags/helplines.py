"""What helplines adds to the catalog's pages, so that centers templates include no helplines
partial by name: ``{% load helplines %}``, then ``{% paid_badge center %}`` where a card or page
shows paid status (read from ``CenterQuerySet.with_paid_status``) and ``{% center_callback %}``
where a center's page offers a callback.
"""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from directory.stencils import Skeletons, StandIn, hole
from helplines.forms import CallbackForm

register = template.Library()


@register.inclusion_tag("helplines/_paid_badge_for.html")
def paid_badge(center: Any) -> dict[str, bool]:
    """The paid advertiser badge, for a center annotated by ``with_paid_status`` (or a bool)."""
    paid = center if isinstance(center, bool) else getattr(center, "is_paid_advertiser", False)
    return {"paid": bool(paid)}


CENTER_CALLBACK = "helplines/_center_callback.html"
center_callback_skeletons = Skeletons(CENTER_CALLBACK)


@register.simple_tag(takes_context=True)
def center_callback(context: template.Context) -> SafeString:
    """The callback box of a center's page: it reads ``center``, and ``form`` when the page
    shows a posted one (else an empty form for this center).

    The center's page is shared by a CDN, so the form carries no CSRF token: static/js/visitor.js
    adds one, and without scripts the failed post leads to the private callback page, which has
    its own (directory.views.csrf_failure).

    The box with an empty form is the same on every center's page but for the center's name
    and address: it is drawn from a skeleton (``directory.stencils.Skeletons``) per language,
    listed and paid status, with the name and the form's address filled in; its form was about
    a sixth of a center page, the consent field's words naming the center every time.
    """
    values = context.flatten()
    values["shared_page"] = True
    center = values.get("center")
    if center is None or values.get("form") is not None:
        return mark_safe(render_to_string(CENTER_CALLBACK, values))
    values["callback_url"] = reverse("helplines:center-callback", args=[center.slug])
    decided = {
        "is_listed": bool(center.is_listed),
        "is_paid_advertiser": bool(getattr(center, "is_paid_advertiser", False)),
    }

    def figure(unknown: list[str]) -> dict[str, object]:
        return {
            "center": StandIn({**decided, "name": hole("name")}, unknown),
            "form": CallbackForm(callee=hole("name")),
            "callback_url": hole("callback_url"),
            "shared_page": True,
        }

    def render() -> str:
        return render_to_string(
            CENTER_CALLBACK, {**values, "form": CallbackForm(callee=center.name)}
        )

    shape = (translation.get_language(), *decided.values())
    filled = {"name": center.name, "callback_url": values["callback_url"]}
    return mark_safe(center_callback_skeletons.draw(shape, figure, filled, [], render))
