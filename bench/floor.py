"""The site with two more pages, for ``bench/throughput.py --floor``: the listing and the center
page with everything they read, and markup that costs nothing to make.

    gunicorn -c directory/gunicorn.conf.py bench.floor

``/floor/centers/?<filters>`` reads what the listing reads for those filters (the catalog
version, the filter form, the search with its counts, the page of centers) and
``/floor/centers/<slug>/`` what a center page reads (its three queries); each answers with the
markup of the first such page it served, kept as it was rendered, through the same middleware
(gzip included). Side by side with the real pages, they show how much of a page's cost is
making its markup, and what a renderer that cost nothing would leave: the ceiling of any
template engine or fragment cache, on this machine, for these pages.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")

from django.conf import settings  # noqa: E402 - the settings module is named first
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import Http404, HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.cache import patch_vary_headers  # noqa: E402
from django.views.decorators.http import require_safe  # noqa: E402

application = get_wsgi_application()

from centers.catalog_index import current_index  # noqa: E402 - needs the apps loaded
from centers.filters import CenterFilter, facets_of  # noqa: E402
from centers.models import center_for_page  # noqa: E402
from centers.pages import page_of  # noqa: E402
from centers.views import catalog  # noqa: E402
from directory.urls import urlpatterns as site  # noqa: E402

_kept: dict[str, bytes] = {}


def _markup(kind: str, render) -> bytes:
    """The markup of the first page of ``kind`` this process served, rendered by its view."""
    if kind not in _kept:
        _kept[kind] = render().content
    return _kept[kind]


@require_safe
def listing(request: HttpRequest) -> HttpResponse:
    index = current_index()
    filterset = CenterFilter(request.GET, facets=facets_of(index)).validate()
    page, _notice = page_of(request, filterset.search(index))
    list(page.object_list)  # the page's query and its centers
    response = HttpResponse(_markup("listing", lambda: catalog.center_list(request)))
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_safe
def center(request: HttpRequest, slug: str) -> HttpResponse:
    if center_for_page(slug) is None:
        raise Http404
    return HttpResponse(_markup("center", lambda: catalog.center_detail(request, slug)))


urlpatterns = [
    path("floor/centers/", listing),
    path("floor/centers/<slug:slug>/", center),
    *site,
]
settings.ROOT_URLCONF = __name__
