"""The whole directory as an HSDS 3.0 tabular data package: ``datapackage.json`` plus one CSV
per resource, as the specification's own ``datapackage.json`` describes them.

Only the resources the directory fills are written, each with every field the specification
gives it, in its order, with its types and constraints; foreign keys to resources we do not
write (programs, contacts) are left out of the descriptor because no row refers to them.

Centers are streamed from the database a chunk at a time and their rows written as they come,
so memory stays bounded however many centers there are.

The package is for machines: a reader takes each cell as its schema's type. So cells are *not*
formula-neutralised as ``export_centers`` does for spreadsheets (``directory.spreadsheets``): an
apostrophe in front of a name starting with "-" or a number starting with "+" would change
the value every HSDS reader sees. Anyone opening these files in a spreadsheet should import
them as text.
"""

import csv
import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from centers.models import Center

from . import HSDS_VERSION, centers_for_detail, objects
from .taxonomy import vocabulary

CHUNK_SIZE = 500
NUMBER_FIELDS = {
    "year_incorporated",
    "minimum_age",
    "maximum_age",
    "latitude",
    "longitude",
    "extension",
}
EMAIL_FIELDS = {"email", "assurer_email"}
URI_FIELDS = {"website", "uri", "url", "term_uri"}
TYPES = {"assured_date": "date", "last_modified": "datetime"}
ENUMS = {
    "status": ["active", "inactive", "defunct", "temporarily closed"],
    "location_type": ["physical", "postal", "virtual"],
    "address_type": ["physical", "postal", "virtual"],
}


@dataclass(frozen=True)
class Table:
    resource: str
    path: str
    fields: tuple[str, ...]
    required: frozenset[str]
    references: dict[str, str] = field(default_factory=dict)  # field -> resource it refers to
    unique: frozenset[str] = frozenset({"id"})

    def field_schema(self, name: str) -> dict[str, object]:
        schema: dict[str, object] = {"name": name, "type": TYPES.get(name, "string")}
        if name == "id" or (name.endswith("_id") and name != "tax_id"):
            schema["format"] = "uuid"
        elif name in EMAIL_FIELDS:
            schema["format"] = "email"
        elif name in URI_FIELDS:
            schema["format"] = "uri"
        if name in NUMBER_FIELDS:
            schema["type"] = "number"
        constraints: dict[str, object] = {
            "required": name in self.required,
            "unique": name in self.unique,
        }
        if name in ENUMS:
            constraints["enum"] = ENUMS[name]
        return schema | {"constraints": constraints}

    def descriptor(self) -> dict[str, object]:
        schema: dict[str, object] = {
            "fields": [self.field_schema(name) for name in self.fields],
            "primaryKey": "id",
        }
        if self.references:
            schema["foreignKeys"] = [
                {"fields": name, "reference": {"resource": resource, "fields": "id"}}
                for name, resource in self.references.items()
            ]
        return {
            "name": self.resource,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }


def _table(
    resource: str, path: str, fields: str, required: str, unique: str = "id", **references: str
) -> Table:
    """Fields and constraints as space-separated names; keywords name what ``*_id`` refers to."""
    return Table(
        resource,
        path,
        tuple(fields.split()),
        frozenset(required.split()),
        references,
        frozenset(unique.split()),
    )


ORGANIZATION = _table(
    "organization",
    "organizations.csv",
    "id name alternate_name description email website tax_status tax_id year_incorporated "
    "legal_status logo uri parent_organization_id",
    "id name description",
)
SERVICE = _table(
    "service",
    "services.csv",
    "id organization_id program_id name alternate_name description url email status "
    "interpretation_services application_process fees_description wait_time fees "
    "accreditations eligibility_description minimum_age maximum_age assured_date "
    "assurer_email licenses alert last_modified",
    "id organization_id name status",
    organization_id="organization",
)
LOCATION = _table(
    "location",
    "locations.csv",
    "id location_type url organization_id name alternate_name description transportation "
    "latitude longitude external_identifier external_identifier_type",
    "id location_type",
    organization_id="organization",
)
SERVICE_AT_LOCATION = _table(
    "service_at_location",
    "service_at_location.csv",
    "id service_id location_id description",
    "id service_id location_id",
    service_id="service",
    location_id="location",
)
ADDRESS = _table(
    "address",
    "addresses.csv",
    "id location_id attention address_1 address_2 city region state_province postal_code "
    "country address_type",
    "id address_1 city state_province postal_code country address_type",
    location_id="location",
)
PHONE = _table(
    "phone",
    "phones.csv",
    "id location_id service_id organization_id contact_id service_at_location_id number "
    "extension type description",
    "id number",
    location_id="location",
    organization_id="organization",
    service_id="service",
    service_at_location_id="service_at_location",
)
LANGUAGE = _table(
    "language",
    "languages.csv",
    "id service_id location_id phone_id name code note",
    "id",
    location_id="location",
    phone_id="phone",
    service_id="service",
)
FUNDING = _table(
    "funding",
    "funding.csv",
    "id organization_id service_id source",
    "id",
    organization_id="organization",
    service_id="service",
)
ATTRIBUTE = _table(
    "attribute",
    "attributes.csv",
    "id link_id taxonomy_term_id link_type link_entity value",
    "id link_id taxonomy_term_id link_entity",
    taxonomy_term_id="taxonomy_term",
)
TAXONOMY = _table(
    "taxonomy", "taxonomies.csv", "id name description uri version", "id name description"
)
TAXONOMY_TERM = _table(
    "taxonomy_term",
    "taxonomy_terms.csv",
    "id code name description parent_id taxonomy language taxonomy_id term_uri",
    "id name description",
    unique="id code",
    taxonomy_id="taxonomy",
)
TABLES = (
    ORGANIZATION,
    SERVICE,
    LOCATION,
    SERVICE_AT_LOCATION,
    ADDRESS,
    PHONE,
    LANGUAGE,
    FUNDING,
    TAXONOMY,
    TAXONOMY_TERM,
    ATTRIBUTE,
)


def descriptor() -> dict[str, object]:
    return {
        "name": "treatment_directory_hsds",
        "title": "Treatment directory as Human Services Data Specification (HSDS) 3.0",
        "description": (
            "Addiction treatment centers from SAMHSA's national directories: each center is "
            "an organization with one service at one location."
        ),
        "profile": "tabular-data-package",
        "version": f"{HSDS_VERSION}.0",
        "licenses": [
            {
                "name": "other-pd",
                "title": "Public domain: SAMHSA's directories are a work of the US government",
            }
        ],
        "resources": [table.descriptor() for table in TABLES],
    }


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _center_rows(center: Center) -> Iterator[tuple[Table, dict[str, object]]]:
    """Every row one center contributes, by table. Reads what ``for_detail()`` prefetches."""
    yield ORGANIZATION, objects.organization(center)
    service = objects.service(center)
    # Table Schema's default datetime form: UTC, whole seconds.
    service["last_modified"] = center.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    yield SERVICE, service
    yield LOCATION, objects.location(center)
    yield SERVICE_AT_LOCATION, objects.service_at_location(center)
    if (address := objects.address(center)) is not None:
        yield ADDRESS, address
    for phone in objects.phone_list(center):
        yield PHONE, phone
    for language in objects.language_list(center):
        yield LANGUAGE, language
    for funding in objects.funding_list(center):
        yield FUNDING, funding
    for attribute in objects.attribute_list(center, nested=False):
        yield ATTRIBUTE, attribute


def write_package(directory: Path) -> dict[str, int]:
    """Write the package into ``directory`` (created if needed); rows written per resource."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {table.resource: 0 for table in TABLES}
    with ExitStack() as files:
        writers = {}
        for table in TABLES:
            stream = files.enter_context(
                (directory / table.path).open("w", encoding="utf-8", newline="")
            )
            writers[table.resource] = csv.writer(stream)
            writers[table.resource].writerow(table.fields)

        def write(table: Table, row: dict[str, object]) -> None:
            writers[table.resource].writerow([_cell(row.get(name)) for name in table.fields])
            counts[table.resource] += 1

        terms = vocabulary()
        for item in terms.taxonomies:
            write(TAXONOMY, item)
        for item in terms.terms:
            write(TAXONOMY_TERM, item)
        for center in centers_for_detail().iterator(chunk_size=CHUNK_SIZE):
            for table, row in _center_rows(center):
                write(table, row)
    (directory / "datapackage.json").write_text(json.dumps(descriptor(), indent=2) + "\n")
    return counts
