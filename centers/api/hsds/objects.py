"""A center as Open Referral HSDS 3.0 objects.

Each center is one organization offering one service at one location. Those four objects
(organization, service, location, service at location) share the center's stored UUID
(``Center.hsds_uuid``): ids need only be unique within their own kind, and sharing one makes
every ``/{id}`` lookup a single indexed query. A center's parts (phones, address, languages,
funding, attributes) get uuid5 ids derived from it and their role, so they are stable too.

HSDS fields are typed (a string is never null), so an unknown value is left out.
"""

from centers.models import TERM_KINDS, Center
from directory import phones

from ..identity import center_uuid, part_uuid
from . import taxonomy

COUNTRY = "US"


def center_id(center: Center) -> str:
    return str(center_uuid(center))


def _compact(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if value is not None and value != ""}


def organization(center: Center) -> dict[str, object]:
    return _compact(
        {
            "id": center_id(center),
            "name": center.name,
            "alternate_name": center.secondary_name,
            "description": center.description or f"{center.name}, {center.city}, {center.state}.",
            "website": center.website,
            "legal_status": center.operator_type,
        }
    )


def service(center: Center, *, full: bool = False) -> dict[str, object]:
    """The one-to-one fields (a list item); ``full`` nests the organization.

    Reads ``center.accreditations``: prefetch it.
    """
    data = _compact(
        {
            "id": center_id(center),
            "organization_id": center_id(center),
            "name": center.name,
            "alternate_name": center.secondary_name,
            "description": center.description,
            "url": center.website,
            "status": "active",
            "accreditations": ", ".join(a.name for a in center.accreditations.all()),
            "last_modified": center.updated_at.isoformat(),
        }
    )
    if full:
        data["organization"] = organization(center)
    return data


def minimal_service(center: Center) -> dict[str, object]:
    """What ``minimal`` asks for (id and modification time), plus the name and status that
    ``service_list.json`` requires."""
    return {
        "id": center_id(center),
        "name": center.name,
        "status": "active",
        "last_modified": center.updated_at.isoformat(),
    }


def phone_list(center: Center) -> list[dict[str, object]]:
    numbers = []
    for role, value in (("main", center.phone), ("intake", center.intake_phone)):
        if value:
            number, _sep, extension = value.partition(";ext=")
            numbers.append(
                _compact(
                    {
                        "id": part_uuid(center_id(center), f"phone:{role}"),
                        "service_id": center_id(center),
                        "number": phones.display(number) or number,
                        "extension": float(extension) if extension.isdigit() else None,
                        "type": "voice",
                        "description": "Intake" if role == "intake" else "Main number",
                    }
                )
            )
    return numbers


def language_list(center: Center) -> list[dict[str, object]]:
    return [
        {
            "id": part_uuid(center_id(center), f"language:{language.slug}"),
            "service_id": center_id(center),
            "name": language.name,
        }
        for language in center.languages.all()
    ]


def funding_list(center: Center) -> list[dict[str, object]]:
    """The payment the center accepts (SAMHSA's "Payment/Insurance/Funding Accepted")."""
    return [
        {
            "id": part_uuid(center_id(center), f"funding:{option.slug}"),
            "service_id": center_id(center),
            "source": option.name,
        }
        for option in center.payment_options.all()
    ]


def attribute_list(center: Center, *, nested: bool = True) -> list[dict[str, object]]:
    """Every SAMHSA code and every directory term of the center, as attributes of its service.

    Reads ``services`` (with ``category``) and every term relation: fetch the center with
    ``CenterQuerySet.for_detail()``.
    """
    terms = [taxonomy.samhsa_term(service) for service in center.services.all()]
    for kind in TERM_KINDS:
        terms += [taxonomy.directory_term(kind, t) for t in getattr(center, kind.relation).all()]
    attributes = []
    for term in terms:
        attribute = {
            "id": part_uuid(center_id(center), f"attribute:{term['id']}"),
            "link_id": center_id(center),
            "link_entity": "service",
            "taxonomy_term_id": term["id"],
        }
        if nested:
            attribute["taxonomy_term"] = term
        attributes.append(attribute)
    return attributes


def address(center: Center) -> dict[str, object] | None:
    """The physical address; None without a street, as HSDS requires ``address_1`` (the
    location still gives the coordinates)."""
    if not center.street:
        return None
    data = {
        "id": part_uuid(center_id(center), "address:physical"),
        "location_id": center_id(center),
        "address_1": center.street,
        "city": center.city,
        "state_province": center.state,
        "postal_code": center.zip_code,
        "country": COUNTRY,
        "address_type": "physical",
    }
    if center.street2:
        data["address_2"] = center.street2
    return data


def location(center: Center, *, detail: bool = False) -> dict[str, object]:
    data = _compact(
        {
            "id": center_id(center),
            "location_type": "physical",
            "organization_id": center_id(center),
            "name": center.name,
            "latitude": center.latitude,
            "longitude": center.longitude,
        }
    )
    if detail:
        data["addresses"] = [found] if (found := address(center)) else []
    return data


def service_detail(center: Center, *, at_locations: bool = True) -> dict[str, object]:
    """The whole service: organization, phones, languages, funding, attributes and (unless
    nested in its own service at location) where it is offered."""
    data = service(center, full=True) | {
        "phones": phone_list(center),
        "languages": language_list(center),
        "funding": funding_list(center),
        "attributes": attribute_list(center),
    }
    if at_locations:
        data["service_at_locations"] = [service_at_location(center, detail=True, nest=False)]
    return data


def service_at_location(
    center: Center, *, full: bool = False, detail: bool = False, nest: bool = True
) -> dict[str, object]:
    """``full`` nests the service's and the location's one-to-one fields; ``detail`` nests
    them whole. ``nest`` False gives only the location (inside a service's own answer)."""
    data: dict[str, object] = {
        "id": center_id(center),
        "service_id": center_id(center),
        "location_id": center_id(center),
    }
    if detail or full or not nest:
        data["location"] = location(center, detail=detail)
    if nest and detail:
        data["service"] = service_detail(center, at_locations=False)
    elif nest and full:
        data["service"] = service(center)
    return data


def organization_detail(center: Center, *, full_service: bool = False) -> dict[str, object]:
    return organization(center) | {
        "services": [service_detail(center) if full_service else service(center)],
        "locations": [location(center, detail=True)],
    }
