from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from centers.catalog_index import current_index
from centers.filters import CenterFilter, facets_of
from centers.locator import outline_of
from centers.maps import map_json

# An outline's name changes with its drawing, so a browser or CDN may keep one for good; an
# old name (a page cached before a new drawing was deployed) gets today's, kept briefly.
OUTLINE_MAX_AGE = 365 * 24 * 3600
OLD_OUTLINE_MAX_AGE = 300


@require_safe
def map_points(request: HttpRequest) -> HttpResponse:
    """The listing's results for its map, under the listing's own parameters.

    Bad parameters are answered as the listing answers them: the bad part is ignored and
    explained in ``notices``, in the page's language; the rest still applies.
    """
    index = current_index()
    filterset = CenterFilter(request.GET, facets=facets_of(index)).validate()
    return HttpResponse(map_json(filterset, index), content_type="application/json")


@require_safe
def locator_outline(request: HttpRequest, name: str) -> HttpResponse:
    """A state's outline and its neighbours' for the locator map on its centers' pages
    (``centers.locator``), as an SVG file that every page of the state shares."""
    outline = outline_of(name.partition("-")[0].upper())
    if outline is None:
        raise Http404
    response = HttpResponse(
        render_to_string("centers/locator_outline.svg", {"outline": outline}),
        content_type="image/svg+xml",
    )
    if name == outline.name:
        patch_cache_control(response, public=True, max_age=OUTLINE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=OLD_OUTLINE_MAX_AGE)
    return response
