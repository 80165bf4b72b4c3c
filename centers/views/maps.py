from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from centers.catalog_index import current_index
from centers.filters import CenterFilter, facets_of
from centers.maps import map_json


@require_safe
def map_points(request: HttpRequest) -> HttpResponse:
    """The listing's results for its map, under the listing's own parameters.

    Bad parameters are answered as the listing answers them: the bad part is ignored and
    explained in ``notices``, in the page's language; the rest still applies.
    """
    index = current_index()
    filterset = CenterFilter(request.GET, facets=facets_of(index)).validate()
    return HttpResponse(map_json(filterset, index), content_type="application/json")
