"""The HSDS API's query parameters and pagination, as its API reference defines them.

Parameters are combined with AND. Every bad value raises ``BadRequest`` with a message.
"""

import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from centers.geo import normalise_zip, zip_centroid
from centers.models import Center
from centers.models.center import CenterQuerySet

from ..errors import BadRequest
from .taxonomy import Link, vocabulary

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
METERS_PER_MILE = 1609.344
# Half the Earth's circumference: a larger proximity changes nothing.
MAX_PROXIMITY_METRES = 20_037_508
MAX_SEARCH_LENGTH = 200
TRUE, FALSE = ("true", "1"), ("false", "0", "")


def whole_number(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw[:40]!r}.") from None
    if value < 1:
        raise BadRequest(f"{name} must be at least 1.")
    return value


def flag(params: QueryDict, name: str) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw not in TRUE + FALSE:
        raise BadRequest(f"{name} must be true or false.")
    return raw in TRUE


def uuid_param(params: QueryDict, name: str) -> str | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadRequest(f"{name} must be a UUID.") from None


def json_format(params: QueryDict) -> None:
    if params.get("format", "json").strip().lower() not in ("json", ""):
        raise BadRequest("format must be json: results are paginated JSON.")


def _described_by(links: Sequence[Link]) -> Q:
    """Centers linked to any target of any of ``links`` (one EXISTS per relation)."""
    condition = Q(pk__in=[])
    for link in links:
        field = Center._meta.get_field(link.relation)
        target = field.m2m_reverse_field_name()
        through = field.remote_field.through.objects.filter(
            center=OuterRef("pk"), **{f"{target}_id__in": link.ids}
        )
        condition |= Q(Exists(through))
    return condition


def filtered(centers: CenterQuerySet, params: QueryDict, *, taxonomy: bool) -> CenterQuerySet:
    """``search``, ``modified_after``, ``organization_id`` and, where ``taxonomy``,
    ``taxonomy_term_id`` and ``taxonomy_id``."""
    json_format(params)
    if search := params.get("search", "").strip():
        centers = centers.matching_words(search[:MAX_SEARCH_LENGTH])
    if raw := params.get("modified_after", "").strip():
        centers = centers.filter(updated_at__gte=_moment(raw))
    if organization := uuid_param(params, "organization_id"):
        centers = centers.filter(hsds_uuid=organization)
    wanted = {name: uuid_param(params, name) for name in ("taxonomy_term_id", "taxonomy_id")}
    if taxonomy and any(wanted.values()):
        links = vocabulary().links
        for name, value in wanted.items():
            if value is None:
                continue
            if value not in links:
                raise BadRequest(f"{name} {value} is not a term or taxonomy of this directory.")
            centers = centers.filter(_described_by(links[value]))
    return centers


def _moment(raw: str) -> datetime:
    try:
        moment = parse_datetime(raw) or (
            parse_date(raw) and parse_datetime(f"{raw}T00:00:00+00:00")
        )
    except ValueError:
        moment = None
    if not moment:
        raise BadRequest("modified_after must be an ISO 8601 date or date-time.")
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def near_postcode(centers: CenterQuerySet, params: QueryDict) -> CenterQuerySet:
    """``postcode`` alone: locations with that ZIP code (we have no service areas).
    With ``proximity`` (metres): locations within that distance of the ZIP's centroid,
    nearest first."""
    raw_postcode = params.get("postcode", "").strip()
    raw_proximity = params.get("proximity", "").strip()
    if not raw_postcode:
        if raw_proximity:
            raise BadRequest("proximity needs postcode, the ZIP code to measure from.")
        return centers
    postcode = normalise_zip(raw_postcode)
    if postcode is None:
        raise BadRequest("postcode must be a US ZIP code, e.g. 62701.")
    if not raw_proximity:
        return centers.filter(zip_code__startswith=postcode)
    try:
        metres = float(raw_proximity)
    except ValueError:
        raise BadRequest("proximity must be a distance in metres.") from None
    if not 0 < metres < math.inf:
        raise BadRequest("proximity must be a positive distance in metres.")
    centroid = zip_centroid(postcode)
    if centroid is None:
        raise BadRequest(f"postcode {postcode} has no known location.")
    nearby = centers.within(centroid, min(metres, MAX_PROXIMITY_METRES) / METERS_PER_MILE)
    return nearby.order_by(F("distance").asc(), "name", "pk")


def page_of[T](
    items: CenterQuerySet | Sequence[T],
    params: QueryDict,
    render: Callable[[T], dict[str, object]],
) -> dict[str, object]:
    """One page in the reference's ``Page`` shape; ``items`` is a queryset or a list."""
    number = whole_number(params, "page", 1)
    per_page = min(whole_number(params, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = items.count() if isinstance(items, CenterQuerySet) else len(items)
    total_pages = math.ceil(total / per_page)
    start = (number - 1) * per_page
    chosen: Iterable[T] = items[start : start + per_page] if start < total else []
    contents = [render(item) for item in chosen]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }
