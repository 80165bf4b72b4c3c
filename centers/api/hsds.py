"""Centers as Open Referral HSDS 3.0 objects: each center is an organization with one service.

Ids are uuid5 from the center's identity (``identity.center_uuid``) plus the object's role, so
they survive re-imports. Lists page exactly as the HSDS API reference says.
"""

import math
import uuid
from collections.abc import Callable
from datetime import UTC

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from centers.models import Center
from centers.models.center import CenterQuerySet
from directory import phones

from .errors import BadRequest
from .identity import NAMESPACE, center_uuid

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


def part_uuid(center: Center, role: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{center_uuid(center)}:{role}"))


def _blank_to_none(value: str) -> str | None:
    return value or None


def _compact(data: dict[str, object]) -> dict[str, object]:
    """HSDS fields are typed (a string is never null): an unknown value is left out."""
    return {key: value for key, value in data.items() if value is not None}


def _phones(center: Center) -> list[dict[str, object]]:
    numbers = []
    for role, value in (("main", center.phone), ("intake", center.intake_phone)):
        if value:
            number, _sep, extension = value.partition(";ext=")
            numbers.append(
                _compact(
                    {
                        "id": part_uuid(center, f"phone:{role}"),
                        "service_id": part_uuid(center, "service"),
                        "number": phones.display(number) or number,
                        "extension": float(extension) if extension.isdigit() else None,
                        "type": "voice",
                        "description": "Intake" if role == "intake" else "Main number",
                    }
                )
            )
    return numbers


def organization(center: Center) -> dict[str, object]:
    return _compact(
        {
            "id": str(center_uuid(center)),
            "name": center.name,
            "alternate_name": _blank_to_none(center.secondary_name),
            "description": center.description or f"{center.name}, {center.city}, {center.state}.",
            "website": _blank_to_none(center.website),
            "legal_status": _blank_to_none(center.operator_type),
        }
    )


def service(center: Center, *, full: bool, detail: bool = False) -> dict[str, object]:
    """``full`` nests the organization; ``detail`` (the single-service answer) adds phones and
    languages, which the list schema does not allow."""
    data: dict[str, object] = {
        "id": part_uuid(center, "service"),
        "organization_id": str(center_uuid(center)),
        "name": center.name,
        "alternate_name": _blank_to_none(center.secondary_name),
        "description": center.description or None,
        "url": _blank_to_none(center.website),
        "status": "active",
        "accreditations": ", ".join(a.name for a in center.accreditations.all()) or None,
        "last_modified": center.updated_at.isoformat(),
    }
    if full or detail:
        data["organization"] = organization(center)
    if detail:
        data["phones"] = _phones(center)
        data["languages"] = [
            {
                "id": part_uuid(center, f"language:{language.slug}"),
                "service_id": data["id"],
                "name": language.name,
            }
            for language in center.languages.all()
        ]
    return _compact(data)


def centers_for_api() -> CenterQuerySet:
    """Published centers with what an HSDS service shows, in a fixed number of queries."""
    return (
        Center.objects.published()
        .prefetch_related("accreditations", "languages")
        .order_by("name", "pk")
    )


def _int(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw[:40]!r}.") from None
    if value < 1:
        raise BadRequest(f"{name} must be at least 1.")
    return value


def filtered(centers: CenterQuerySet, params: QueryDict) -> CenterQuerySet:
    """``search`` and ``modified_after``, combined with AND."""
    if search := params.get("search", "").strip():
        centers = centers.matching_words(search[:200])
    if raw := params.get("modified_after", "").strip():
        try:
            moment = parse_datetime(raw) or (
                parse_date(raw) and parse_datetime(f"{raw}T00:00:00+00:00")
            )
        except ValueError:
            moment = None
        if not moment:
            raise BadRequest("modified_after must be an ISO 8601 date or date-time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        centers = centers.filter(updated_at__gt=moment)
    return centers


def page(
    centers: CenterQuerySet, params: QueryDict, render: Callable[[Center], dict[str, object]]
) -> dict[str, object]:
    number = _int(params, "page", 1)
    per_page = min(_int(params, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = centers.count()
    total_pages = math.ceil(total / per_page)
    start = (number - 1) * per_page
    contents = (
        [render(center) for center in centers[start : start + per_page]] if start < total else []
    )
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
