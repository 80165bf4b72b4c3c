"""The locator contract of FindTreatment.gov's open-source front end (CBHSQ/findtreatment).

Parameters arrive form-encoded as that client's ``buildParams`` sends them; the answer is
``{page, totalPages, recordCount, rows}``. Filters reuse ``CenterQuerySet`` methods, so totals
equal the HTML listing's for the same filters.
"""

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import batched

from django.db.models import F, Q
from django.http import QueryDict

from centers.geo import Point, county_zips, distance_expression
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


# What a row shows; the rest of a center (its description, bookkeeping) stays in the database.
ROW_FIELDS = (
    "name", "secondary_name", "street", "street2", "city", "state", "zip_code", "phone",
    "intake_phone", "website", "latitude", "longitude", "samhsa_codes", "in_latest_directory",
    "hsds_uuid", "samhsa_key", "slug",
)  # fmt: skip


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
    zip_codes: frozenset[str] | None = None
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
        query.state, query.zip_codes = _county(value)
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


def _county(value: str) -> tuple[str, frozenset[str]]:
    """``"Cook County, IL"`` (or ``"Cook, IL"``) -> the state and the county's ZIP codes.

    FindTreatment's client defines limitType 1 but never sends it, so the value's form is ours:
    a county name and a state code, which is what the offline ZIP data can answer. Our source
    file has no county column; a center is in the county its ZIP code belongs to."""
    name, _comma, state = value.rpartition(",")
    state = state.strip().upper()
    if not name.strip() or state not in {code for code, _name in STATES}:
        raise BadRequest(
            'limitValue must be a county and a state code for limitType 1: "Cook County, IL".'
        )
    zip_codes = county_zips(name, state)
    if not zip_codes:
        raise BadRequest(f"limitValue names no county we know in {state}: {name.strip()[:60]!r}.")
    return state, zip_codes


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
    if query.zip_codes is not None:
        centers = centers.filter(zip_code__in=sorted(query.zip_codes))
    if query.origin and query.radius_miles is not None:
        centers = centers.within(query.origin, query.radius_miles)
    elif query.origin:
        centers = centers.annotate(distance=distance_expression(query.origin))
    return centers


def ordered(centers: CenterQuerySet, query: LocatorQuery) -> CenterQuerySet:
    if query.origin and query.sort == Sort.DISTANCE:
        return centers.order_by(F("distance").asc(nulls_last=True), "name", "pk")
    return centers.order_by("name", "pk")


@dataclass(frozen=True)
class CatalogEntry:
    """One SAMHSA code as a row shows it, with the keys that put it in SAMHSA's order."""

    order: tuple[int, str, int, str]
    category_name: str
    category_code: str
    name: str


def catalog() -> dict[int, CatalogEntry]:
    """Every SAMHSA code by primary key, in one query (a few hundred rows)."""
    codes = Service.objects.values_list(
        "pk", "code", "name", "position", "category__code", "category__name",
        "category__position",
    )  # fmt: skip
    return {
        pk: CatalogEntry(
            (category_position, category_code, position, code),
            category_name.strip(),
            category_code,
            name.strip(),
        )
        for pk, code, name, position, category_code, category_name, category_position in codes
    }


def _services(entries: list[CatalogEntry]) -> list[dict[str, str]]:
    """One ``{f1, f2, f3}`` per SAMHSA category, the center's service names joined by "; "."""
    grouped: dict[str, list[CatalogEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.order):
        grouped.setdefault(entry.category_code, []).append(entry)
    return [
        {
            "f1": group[0].category_name,
            "f2": code,
            "f3": "; ".join(entry.name for entry in group),
        }
        for code, group in grouped.items()
    ]


def _type_facility(center: Center) -> str:
    kinds = {kind for kind, codes in (center.samhsa_codes or {}).items() if codes}
    if kinds == {"mh"}:
        return "MH"
    if kinds == {"su", "mh"}:
        return "BOTH"
    return "SA"


def row(center: Center, position: int, services: list[CatalogEntry]) -> dict[str, object]:
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
        "services": _services(services),
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
        codes = catalog()
        page = ordered(centers, query).only(*ROW_FIELDS)[start : start + query.page_size]
        links = Center.services.through.objects
        position = start
        # A chunk of centers at a time, their codes as (center, code) pairs looked up in the
        # catalog: a national page holds ~50 codes a center, and model instances for each
        # made a 10,000-row page take half a minute.
        for chunk in batched(page.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
            by_center: dict[int, list[CatalogEntry]] = {center.pk: [] for center in chunk}
            pairs = links.filter(center_id__in=list(by_center)).values_list(
                "center_id", "service_id"
            )
            for center_id, service_id in pairs:
                by_center[center_id].append(codes[service_id])
            for center in chunk:
                position += 1
                separator = "," if position > start + 1 else ""
                yield separator + json.dumps(row(center, position, by_center[center.pk]))
    yield "]}"
