"""The locator contract of FindTreatment.gov's open-source front end (CBHSQ/findtreatment).

Parameters arrive form-encoded as that client's ``buildParams`` sends them; the answer is
``{page, totalPages, recordCount, rows}``. Filters reuse ``CenterQuerySet`` methods, so totals
equal the HTML listing's for the same filters.
"""

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.http import QueryDict

from centers.geo import Point, distance_expression
from centers.models import Center, Service
from centers.models.center import CenterQuerySet
from centers.states import STATES
from directory import phones

from .errors import BadRequest
from .identity import center_uuid

METERS_PER_MILE = 1609.344
DEFAULT_PAGE_SIZE = 10
# FindTreatment clients ask for up to 100,000 rows at once; we accept that and stream the rows
# from the database in chunks, so memory stays bounded whatever the page size.
MAX_PAGE_SIZE = 100_000
CHUNK_SIZE = 500
MAX_CODES = 100
# Half the Earth's circumference: any radius beyond it is the whole country.
MAX_RADIUS_MILES = 12_000.0


class LimitType:
    STATE, COUNTY, DISTANCE = 0, 1, 2


class Sort:
    DISTANCE, NAME = 0, 1


SERVICE_TYPES = {"SA": "su", "MH": "mh", "BOTH": None}


@dataclass
class LocatorQuery:
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    service_type: str = "SA"
    service_ids: list[int] = field(default_factory=list)
    language_ids: list[int] = field(default_factory=list)
    origin: Point | None = None
    state: str | None = None
    radius_miles: float | None = None
    sort: int = Sort.DISTANCE


def _integer(params: QueryDict, name: str, default: int, *, minimum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw[:40]!r}.") from None
    if value < minimum:
        raise BadRequest(f"{name} must be at least {minimum}.")
    return value


def _codes(params: QueryDict, name: str, known: dict[str, int]) -> list[int]:
    codes = [code.strip().upper() for code in params.get(name, "").split(",") if code.strip()]
    codes = list(dict.fromkeys(codes))
    if len(codes) > MAX_CODES:
        raise BadRequest(f"{name} may hold at most {MAX_CODES} codes, not {len(codes)}.")
    unknown = [code for code in codes if code not in known]
    if unknown:
        shown = ", ".join(code[:16] for code in unknown[:10])
        raise BadRequest(f"{name} has unknown SAMHSA service codes: {shown}.")
    return [known[code] for code in codes]


def _origin(raw: str) -> Point | None:
    if not raw.strip():
        return None
    try:
        lat_text, lng_text = raw.split(",")
        latitude, longitude = float(lat_text), float(lng_text)
    except ValueError:
        raise BadRequest('sAddr must be a coordinate, "latitude, longitude".') from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadRequest("sAddr is outside the range of latitudes and longitudes.")
    return Point(latitude, longitude)


def parse(params: QueryDict) -> LocatorQuery:
    """Check every parameter; raises ``BadRequest`` with a message for the client."""
    query = LocatorQuery(
        page=_integer(params, "page", 1, minimum=1),
        page_size=min(_integer(params, "pageSize", DEFAULT_PAGE_SIZE, minimum=1), MAX_PAGE_SIZE),
        origin=_origin(params.get("sAddr", "")),
    )
    service_type = params.get("sType", "SA").strip().upper() or "SA"
    if service_type not in SERVICE_TYPES:
        raise BadRequest("sType must be SA, MH or BOTH.")
    query.service_type = service_type
    known = dict(Service.objects.values_list("code", "pk"))
    query.service_ids = _codes(params, "sCodes", known)
    query.language_ids = _codes(params, "sLanguages", known)
    _parse_limit(params, query)
    query.sort = _integer(params, "sort", Sort.DISTANCE, minimum=0)
    if query.sort not in (Sort.DISTANCE, Sort.NAME):
        raise BadRequest("sort must be 0 (distance) or 1 (name).")
    return query


def _parse_limit(params: QueryDict, query: LocatorQuery) -> None:
    limit_type = params.get("limitType", "").strip()
    value = params.get("limitValue", "").strip()
    if not limit_type or not value:
        return  # no limit: the whole country
    if limit_type == str(LimitType.STATE):
        if value.upper() not in {code for code, _name in STATES}:
            raise BadRequest("limitValue must be a two-letter state code for limitType 0.")
        query.state = value.upper()
    elif limit_type == str(LimitType.COUNTY):
        raise BadRequest("limitType 1 (county) is not offered: use a state or a distance.")
    elif limit_type == str(LimitType.DISTANCE):
        try:
            metres = float(value)
        except ValueError:
            raise BadRequest("limitValue must be a distance in metres for limitType 2.") from None
        if not metres > 0 or math.isinf(metres):
            raise BadRequest("limitValue must be a positive distance in metres.")
        if query.origin is None:
            raise BadRequest("A distance limit needs sAddr, the point to measure from.")
        miles = metres / METERS_PER_MILE
        query.radius_miles = miles if miles < MAX_RADIUS_MILES else None
    else:
        raise BadRequest("limitType must be 0 (state), 1 (county) or 2 (distance).")


def matching(query: LocatorQuery) -> CenterQuerySet:
    """Published centers for ``query``, annotated with ``distance`` when there is an origin."""
    centers = Center.objects.published()
    kind = SERVICE_TYPES[query.service_type]
    if kind:
        # Hand-entered centers carry no SAMHSA codes; this directory lists addiction treatment.
        empty = Q(samhsa_codes={}) if kind == "su" else Q(pk__in=[])
        centers = centers.filter(Q(samhsa_codes__has_key=kind) | empty)
    centers = centers.offering_all("services", query.service_ids)
    centers = centers.offering_any("services", query.language_ids)
    if query.state:
        centers = centers.filter(state=query.state)
    if query.origin and query.radius_miles is not None:
        centers = centers.within(query.origin, query.radius_miles)
    elif query.origin:
        centers = centers.annotate(distance=distance_expression(query.origin))
    return centers


def ordered(centers: CenterQuerySet, query: LocatorQuery) -> CenterQuerySet:
    if query.origin and query.sort == Sort.DISTANCE:
        return centers.order_by(F("distance").asc(nulls_last=True), "name", "pk")
    return centers.order_by("name", "pk")


def _services(center: Center) -> list[dict[str, str]]:
    by_category: dict[int, tuple[object, list[str]]] = {}
    for service in center.services.all():
        entry = by_category.setdefault(service.category_id, (service.category, []))
        entry[1].append(service.name.strip())
    ordered_categories = sorted(by_category.values(), key=lambda e: (e[0].position, e[0].code))
    return [
        {"f1": category.name.strip(), "f2": category.code, "f3": "; ".join(names)}
        for category, names in ordered_categories
    ]


def _type_facility(center: Center) -> str:
    kinds = {kind for kind, codes in (center.samhsa_codes or {}).items() if codes}
    if kinds == {"mh"}:
        return "MH"
    if kinds == {"su", "mh"}:
        return "BOTH"
    return "SA"


def row(center: Center, position: int) -> dict[str, object]:
    distance = getattr(center, "distance", None)
    return {
        "_irow": position,
        "frid": str(center_uuid(center)),
        "name1": center.name,
        "name2": center.secondary_name,
        "street1": center.street,
        "street2": center.street2,
        "city": center.city,
        "state": center.state,
        "zip": center.zip_code,
        "phone": phones.display(center.phone),
        "intake1": phones.display(center.intake_phone),
        "hotline1": "",
        "website": center.website,
        "latitude": "" if center.latitude is None else str(center.latitude),
        "longitude": "" if center.longitude is None else str(center.longitude),
        "miles": None if distance is None else round(distance, 1),
        "typeFacility": _type_facility(center),
        "inLatestSamhsaDirectory": center.in_latest_directory,
        "services": _services(center),
    }


def answer(query: LocatorQuery) -> Iterator[str]:
    """The JSON answer in pieces: the count now (so a database fault is an error, not a cut
    stream), then the page's rows a chunk at a time as the client reads them."""
    centers = matching(query)
    total = centers.count()
    return _stream(centers, query, total)


def _stream(centers: CenterQuerySet, query: LocatorQuery, total: int) -> Iterator[str]:
    total_pages = math.ceil(total / query.page_size)
    head = {"page": query.page, "totalPages": total_pages, "recordCount": total}
    yield json.dumps(head)[:-1] + ', "rows": ['
    start = (query.page - 1) * query.page_size
    if start < total:
        page = ordered(centers, query)[start : start + query.page_size].prefetch_related(
            Prefetch("services", Service.objects.select_related("category"))
        )
        for offset, center in enumerate(page.iterator(chunk_size=CHUNK_SIZE)):
            yield ("," if offset else "") + json.dumps(row(center, start + offset + 1))
    yield "]}"
