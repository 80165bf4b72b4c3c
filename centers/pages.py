"""Pagination that explains itself instead of failing on a bad ``page`` parameter."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext


def page_of(request: HttpRequest, results: Sequence) -> tuple[Page, str]:
    """The requested page, or the nearest real one with a notice saying why.

    ``results`` is a queryset or anything sliceable with a length (the listing's
    ``IndexedResults``)."""
    paginator = Paginator(results, settings.CENTERS_PER_PAGE)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), gettext("“%(value)s” is not a page number; showing page 1.") % {
            "value": raw[:12]
        }
    if number < 1:
        return paginator.page(1), gettext("Pages start at 1; showing page 1.")
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), gettext(
            "There is no page %(number)s; showing page %(last)s, the last."
        ) % {"number": number, "last": last}
    return paginator.page(number), ""
