"""What helplines adds to the catalog's pages, so that centers templates include no helplines
partial by name: ``{% load helplines %}``, then ``{% paid_badge center %}`` where a card or page
shows paid status (read from ``CenterQuerySet.with_paid_status``) and ``{% center_callback %}``
where a center's page offers a callback.
"""

from typing import Any

from django import template

from helplines.forms import CallbackForm

register = template.Library()


@register.inclusion_tag("helplines/_paid_badge_for.html")
def paid_badge(center: Any) -> dict[str, bool]:
    """The paid advertiser badge, for a center annotated by ``with_paid_status`` (or a bool)."""
    paid = center if isinstance(center, bool) else getattr(center, "is_paid_advertiser", False)
    return {"paid": bool(paid)}


@register.inclusion_tag("helplines/_center_callback.html", takes_context=True)
def center_callback(context: template.Context) -> template.Context:
    """The callback box of a center's page; it reads ``center``, and ``form`` when the page
    shows a posted one (else an empty form for this center).

    The center's page is shared by a CDN, so the form carries no CSRF token: static/js/visitor.js
    adds one, and without scripts the failed post leads to the private callback page, which has
    its own (directory.views.csrf_failure).
    """
    values = context.flatten()
    values["shared_page"] = True
    if values.get("form") is None and values.get("center") is not None:
        values["form"] = CallbackForm(callee=values["center"].name)
    return values
